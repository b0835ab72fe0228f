//! The checker on small made-up crates, so that it cannot pass by missing edges.

use super::{
    graph::Graph,
    tree::{CrateSources, Source},
};

fn graph(files: &[(&str, &str)]) -> Graph {
    Graph::build(&CrateSources {
        lib_name: "demo".to_owned(),
        files: files
            .iter()
            .map(|(path, text)| Source {
                path: (*path).to_owned(),
                shown: format!("demo/src/{path}"),
                text: (*text).to_owned(),
            })
            .collect(),
    })
}

#[test]
fn a_cycle_through_a_re_export_is_found() {
    let graph = graph(&[
        ("lib.rs", "pub mod a; pub mod b; pub use a::Thing;"),
        ("a.rs", "pub struct Thing; fn f() { crate::b::g() }"),
        ("b.rs", "use crate::Thing; pub fn g() {}"),
    ]);
    assert_eq!(graph.deps("crate"), ["a"]);
    assert_eq!(graph.deps("b"), ["crate"]);
    assert_eq!(graph.components(), [["a", "b", "crate"]]);
    assert_eq!(graph.cycles(), [["a", "b", "crate", "a"]]);
    let explained = graph.report();
    assert!(
        explained.contains("\na -> b -> crate -> a\n"),
        "{explained}"
    );
    assert!(
        explained.contains("demo/src/a.rs:1  crate::b::g"),
        "{explained}"
    );
    assert!(
        explained.contains("demo/src/b.rs:1  use crate::Thing"),
        "{explained}"
    );
    assert!(
        explained.contains("demo/src/lib.rs:1  use a::Thing"),
        "{explained}"
    );
}

#[test]
fn super_resolves_to_the_parent_module() {
    let graph = graph(&[
        ("lib.rs", "pub mod a;"),
        ("a/mod.rs", "pub mod b; pub struct Item;"),
        ("a/b/mod.rs", "pub mod c; use super::Item;"),
        (
            "a/b/c.rs",
            "fn f() -> super::super::Item { super::super::Item }",
        ),
    ]);
    assert_eq!(graph.deps("a::b"), ["a"]);
    assert_eq!(graph.deps("a::b::c"), ["a"]);
    assert!(graph.cycles().is_empty());
}

#[test]
fn a_path_resolves_to_the_longest_known_module_prefix() {
    let graph = graph(&[
        ("lib.rs", "pub mod a; pub mod b;"),
        ("a/mod.rs", "pub mod deep;"),
        ("a/deep.rs", "pub struct Item;"),
        (
            "b.rs",
            "use crate::a::deep::Item; fn f() -> crate::a::Missing { todo!() }",
        ),
    ]);
    assert_eq!(graph.deps("b"), ["a", "a::deep"]);
}

#[test]
fn a_macro_export_name_resolves_to_its_defining_module() {
    let graph = graph(&[
        ("lib.rs", "pub mod db; pub mod store; pub mod other;"),
        (
            "db/mod.rs",
            "pub use crate::on_pool; #[macro_export] macro_rules! on_pool { () => {} }",
        ),
        (
            "store.rs",
            "use crate::{on_pool, other::Thing}; fn f() { on_pool!() }",
        ),
        ("other.rs", "fn f() { crate::on_pool!() }"),
    ]);
    assert_eq!(
        graph.deps("db"),
        Vec::<&str>::new(),
        "a self-edge is no edge"
    );
    assert_eq!(graph.deps("store"), ["db", "other"]);
    assert_eq!(graph.deps("other"), ["db"]);
}

#[test]
fn an_edge_through_a_macro_body_is_found() {
    let graph = graph(&[
        ("lib.rs", "pub mod view; pub mod model; pub mod db;"),
        (
            "view.rs",
            "fn f() { view! { <p>{crate::model::name()}</p> }; format!(\"{}\", self::g()); }",
        ),
        (
            "model.rs",
            "fn f() { on_pool!(&pool, p => sqlx::query(super::db::SQL)) }",
        ),
        (
            "db.rs",
            "#[macro_export] macro_rules! m { () => { $crate::model::Row } }",
        ),
    ]);
    assert_eq!(graph.deps("view"), ["model"]);
    assert_eq!(graph.deps("model"), ["db"]);
    assert_eq!(graph.deps("db"), ["model"], "$crate resolves like crate");
    assert_eq!(graph.cycles(), [["db", "model", "db"]]);
}

#[test]
fn a_child_module_name_starts_a_path_in_its_parent_and_its_inline_tests() {
    let graph = graph(&[
        ("lib.rs", "pub mod a;"),
        (
            "a/mod.rs",
            "mod child; mod other; pub use child::Thing; \
             #[cfg(test)] mod tests { use super::*; fn t() { other::f(); } }",
        ),
        ("a/child.rs", "pub struct Thing;"),
        ("a/other.rs", "pub fn f() {}"),
    ]);
    assert_eq!(graph.deps("a"), ["a::child", "a::other"]);
}

#[test]
fn inline_modules_belong_to_their_file() {
    let graph = graph(&[
        ("lib.rs", "pub mod a; pub mod b;"),
        (
            "a.rs",
            "pub fn f() {} mod tests { use super::f; use super::super::b::g; }",
        ),
        ("b.rs", "pub fn g() {}"),
    ]);
    assert_eq!(graph.deps("a"), ["b"]);
    assert_eq!(
        graph.render(),
        "a -> b\nb -> (nothing)\ncrate -> (nothing)\n"
    );
}

#[test]
fn nested_use_groups_and_globs_each_make_an_edge() {
    let graph = graph(&[
        ("lib.rs", "pub mod a; pub mod b; pub mod c; pub mod d;"),
        (
            "a.rs",
            "use crate::{b::{self, X as Y}, c::*, d::{inner::{Z}}};",
        ),
        ("b.rs", ""),
        ("c.rs", ""),
        ("d/mod.rs", "pub mod inner;"),
        ("d/inner.rs", "pub struct Z;"),
    ]);
    assert_eq!(graph.deps("a"), ["b", "c", "d::inner"]);
}

#[test]
fn visibility_external_crates_and_method_turbofish_are_not_edges() {
    let graph = graph(&[
        ("lib.rs", "pub mod parse; pub mod user;"),
        ("parse.rs", "pub(crate) fn p() {}"),
        (
            "user/mod.rs",
            "mod parse; pub(super) fn f() { let n = \"1\".parse::<u8>(); \
             println!(\"{}\", x.parse::<u8>()); serde::de::foo(); ::std::mem::drop(n); }",
        ),
        ("user/parse.rs", "pub(in crate::user) fn g() {}"),
    ]);
    assert_eq!(graph.deps("user"), Vec::<&str>::new());
    assert_eq!(graph.deps("user::parse"), Vec::<&str>::new());
}

#[test]
fn the_binary_reaches_the_library_through_its_crate_name() {
    let graph = graph(&[
        ("lib.rs", "pub mod cli; pub mod serve; pub use serve::run;"),
        ("cli.rs", ""),
        ("serve.rs", ""),
        (
            "main.rs",
            "use demo::cli::Cli; fn main() { demo::run(); crate::helper(); } fn helper() {}",
        ),
    ]);
    assert_eq!(graph.deps("main"), ["cli", "crate"]);
    assert!(graph.cycles().is_empty());
}
