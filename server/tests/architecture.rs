//! The module graphs of `app` and `calcom-standin` have no import cycle.
//!
//! Each file is one module (`lib.rs` the root, `foo/mod.rs` is `foo`, `foo/bar.rs` is
//! `foo::bar`; inline modules belong to their file; every `#[cfg]` counts). A module depends on
//! each module its `use` trees, code paths and macro tokens name; see `architecture/` for the
//! rules. `cargo test -p server --test architecture -- --nocapture` prints both graphs.

// Test code may panic: a failed expectation is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used)]

// A test crate's modules would be looked up beside it in `tests/`, where Cargo takes every
// file for a test target of its own.
#[path = "architecture/graph.rs"]
mod graph;
#[path = "architecture/references.rs"]
mod references;
#[path = "architecture/resolver_tests.rs"]
mod resolver_tests;
#[path = "architecture/tree.rs"]
mod tree;

use std::path::{Path, PathBuf};

use graph::Graph;
use tree::{CrateSources, Source};

/// Every `.rs` file under `<workspace>/<dir>/src`.
fn read_crate(dir: &str, lib_name: &str) -> CrateSources {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let src = workspace.join(dir).join("src");
    let mut paths = Vec::new();
    collect_rs(&src, &mut paths);
    paths.sort();
    let files = paths
        .into_iter()
        .map(|path| {
            let relative = path.strip_prefix(&src).expect("under src");
            let relative = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            Source {
                shown: format!("{dir}/src/{relative}"),
                text: std::fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display())),
                path: relative,
            }
        })
        .collect();
    CrateSources {
        lib_name: lib_name.to_owned(),
        files,
    }
}

fn collect_rs(dir: &Path, into: &mut Vec<PathBuf>) {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            collect_rs(&path, into);
        } else if path.extension().is_some_and(|e| e == "rs") {
            into.push(path);
        }
    }
}

fn assert_acyclic(name: &str, graph: &Graph) {
    assert!(
        graph.components().is_empty(),
        "{name} has import cycles; {}",
        graph.report()
    );
}

#[test]
fn the_app_crate_has_no_import_cycle() {
    let graph = Graph::build(&read_crate("app", "app"));
    assert!(graph.edges.len() > 40, "app's modules were read");
    assert_acyclic("app", &graph);
}

#[test]
fn the_calcom_standin_crate_has_no_import_cycle() {
    let graph = Graph::build(&read_crate("calcom-standin", "calcom_standin"));
    assert!(!graph.deps("main").is_empty(), "main.rs uses the library");
    assert_acyclic("calcom-standin", &graph);
}

#[test]
fn each_crates_module_graph_is_printed_one_line_per_module() {
    for (dir, lib_name) in [("app", "app"), ("calcom-standin", "calcom_standin")] {
        let sources = read_crate(dir, lib_name);
        let graph = Graph::build(&sources);
        let rendered = graph.render();
        assert_eq!(
            rendered.lines().count(),
            sources.files.len(),
            "one line per file"
        );
        println!("{dir}:\n{rendered}");
    }
}
