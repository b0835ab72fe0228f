//! A crate's files as modules: which module each file is, which modules exist, where each
//! `#[macro_export]` macro is defined, and the longest-known-prefix rule that turns an absolute
//! path into the module it refers to.

use std::collections::{BTreeMap, BTreeSet};

use syn::visit::{self, Visit};

/// One source file, its path relative to the crate's `src/` (with `/`) and its text.
pub struct Source {
    pub path: String,
    /// How the file is named in a cycle report, e.g. `app/src/ssr/db/mod.rs`.
    pub shown: String,
    pub text: String,
}

/// Every file of one crate, and the name its binary uses for its library (`calcom_standin`).
pub struct CrateSources {
    pub lib_name: String,
    pub files: Vec<Source>,
}

/// A node of the graph: a module of the library, or the binary's `main.rs`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Node {
    Lib(Vec<String>),
    Main,
}

impl Node {
    pub fn name(&self) -> String {
        match self {
            Node::Lib(path) if path.is_empty() => "crate".to_owned(),
            Node::Lib(path) => path.join("::"),
            Node::Main => "main".to_owned(),
        }
    }
}

/// The file at `path` (relative to `src/`) as a node; `main.rs` is the crate root only when
/// there is no `lib.rs`.
pub fn node_of(path: &str, has_lib: bool) -> Node {
    let stem = path.strip_suffix(".rs").unwrap_or(path);
    let mut segments: Vec<String> = stem.split('/').map(str::to_owned).collect();
    match segments.as_slice() {
        [only] if only == "lib" => return Node::Lib(Vec::new()),
        [only] if only == "main" => {
            return if has_lib {
                Node::Main
            } else {
                Node::Lib(Vec::new())
            }
        }
        _ => {}
    }
    if segments.last().is_some_and(|last| last == "mod") {
        segments.pop();
    }
    Node::Lib(segments)
}

/// The library's module tree as its files spell it.
pub struct Tree {
    pub lib_name: String,
    modules: BTreeSet<Vec<String>>,
    /// `#[macro_export] macro_rules! name` → the module whose file defines it.
    macros: BTreeMap<String, Vec<String>>,
}

impl Tree {
    /// `parsed` holds each file's node and syntax tree.
    pub fn new(lib_name: &str, parsed: &[(Node, &syn::File)]) -> Self {
        let mut modules = BTreeSet::from([Vec::new()]);
        let mut macros = BTreeMap::new();
        for (node, file) in parsed {
            let Node::Lib(path) = node else { continue };
            modules.insert(path.clone());
            let mut exported = ExportedMacros::default();
            exported.visit_file(file);
            for name in exported.names {
                macros.insert(name, path.clone());
            }
        }
        Self {
            lib_name: lib_name.to_owned(),
            modules,
            macros,
        }
    }

    /// The module an absolute path (segments after `crate::`) refers to: a `#[macro_export]`
    /// name's defining module, else the longest prefix that is a known module.
    pub fn resolve(&self, absolute: &[String]) -> Vec<String> {
        if let [name] = absolute {
            if let Some(home) = self.macros.get(name) {
                if !self.modules.contains(std::slice::from_ref(name)) {
                    return home.clone();
                }
            }
        }
        (0..=absolute.len())
            .rev()
            .map(|len| &absolute[..len])
            .find(|prefix| self.modules.contains(*prefix))
            .map(<[String]>::to_vec)
            .unwrap_or_default()
    }

    /// The module defining the `#[macro_export]` macro `name`, if there is one.
    pub fn macro_home(&self, name: &str) -> Option<&Vec<String>> {
        self.macros.get(name)
    }
}

#[derive(Default)]
struct ExportedMacros {
    names: Vec<String>,
}

impl<'ast> Visit<'ast> for ExportedMacros {
    fn visit_item_macro(&mut self, item: &'ast syn::ItemMacro) {
        let exported = item.attrs.iter().any(|a| a.path().is_ident("macro_export"));
        if let (true, true, Some(name)) =
            (exported, item.mac.path.is_ident("macro_rules"), &item.ident)
        {
            self.names.push(name.to_string());
        }
        visit::visit_item_macro(self, item);
    }
}
