//! What one file refers to: every `use` leaf, every path in code and every path spelled in a
//! macro's tokens that starts at `crate`, `$crate`, `self`, `super`, a child module declared
//! with `mod x;`, or (in the binary) the library's name, resolved to a module of the crate.

use std::collections::BTreeSet;

use proc_macro2::{Spacing, TokenStream, TokenTree};
use syn::visit::{self, Visit};

use super::tree::{Node, Tree};

/// One reference from a file to another node, and the text that made it.
#[derive(Clone, Debug)]
pub struct Reference {
    pub target: Node,
    pub text: String,
    pub line: usize,
}

/// The references of `file`, the syntax tree of the file that is `node`; self-references
/// and external crates are left out.
pub fn references(tree: &Tree, node: &Node, file: &syn::File) -> Vec<Reference> {
    let scope = match node {
        Node::Lib(path) => path.clone(),
        Node::Main => Vec::new(),
    };
    let mut children = ChildModules {
        scope: scope.clone(),
        declared: BTreeSet::new(),
    };
    children.visit_file(file);
    let mut finder = Finder {
        tree,
        node,
        scope,
        children: children.declared,
        found: Vec::new(),
    };
    finder.visit_file(file);
    finder.found
}

/// The logical paths of the file modules this file declares with `mod x;`.
struct ChildModules {
    scope: Vec<String>,
    declared: BTreeSet<Vec<String>>,
}

impl<'ast> Visit<'ast> for ChildModules {
    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        self.scope.push(item.ident.to_string());
        match &item.content {
            None => {
                self.declared.insert(self.scope.clone());
            }
            Some(_) => visit::visit_item_mod(self, item),
        }
        self.scope.pop();
    }
}

struct Finder<'a> {
    tree: &'a Tree,
    node: &'a Node,
    /// The file's module path plus the inline modules (`mod tests { … }`) we are inside.
    scope: Vec<String>,
    children: BTreeSet<Vec<String>>,
    found: Vec<Reference>,
}

impl Finder<'_> {
    /// Resolves `segments` as written in the current scope and records the reference unless
    /// it is external or points back at this file.
    fn refer(&mut self, segments: &[String], text: String, line: usize) {
        let Some(target) = self.target(segments) else {
            return;
        };
        if &target != self.node {
            self.found.push(Reference { target, text, line });
        }
    }

    fn target(&self, segments: &[String]) -> Option<Node> {
        let (first, rest) = segments.split_first()?;
        let in_main = *self.node == Node::Main;
        let (mut base, mut rest) = match first.as_str() {
            "crate" | "$crate" if in_main => return Some(Node::Main),
            "self" | "super" if in_main => return Some(Node::Main),
            "crate" | "$crate" => (Vec::new(), rest),
            "self" => (self.scope.clone(), rest),
            "super" => (self.scope.clone(), segments),
            name if in_main && name == self.tree.lib_name => (Vec::new(), rest),
            name if !in_main => (self.child(name)?, rest),
            _ => return None,
        };
        while let Some((first, after)) = rest.split_first() {
            if first != "super" {
                break;
            }
            base.pop()?;
            rest = after;
        }
        base.extend(rest.iter().cloned());
        Some(Node::Lib(self.tree.resolve(&base)))
    }

    /// The child module `name` seen from the current scope; an inline module's own `use
    /// super::*` makes its file's children visible inside it, so enclosing scopes count too.
    fn child(&self, name: &str) -> Option<Vec<String>> {
        (0..=self.scope.len()).rev().find_map(|len| {
            let mut candidate = self.scope[..len].to_vec();
            candidate.push(name.to_owned());
            self.children.contains(&candidate).then_some(candidate)
        })
    }

    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree, line: usize) {
        let leaf = |prefix: &[String], last: Option<String>| {
            let mut path = prefix.to_vec();
            path.extend(last);
            path
        };
        match tree {
            syn::UseTree::Path(step) => {
                prefix.push(step.ident.to_string());
                self.use_tree(prefix, &step.tree, line);
                prefix.pop();
            }
            syn::UseTree::Name(name) if name.ident == "self" => {
                let path = leaf(prefix, None);
                self.refer(&path, format!("use {}", path.join("::")), line);
            }
            syn::UseTree::Name(syn::UseName { ident })
            | syn::UseTree::Rename(syn::UseRename { ident, .. }) => {
                let path = leaf(prefix, Some(ident.to_string()));
                self.refer(&path, format!("use {}", path.join("::")), line);
            }
            syn::UseTree::Glob(_) => {
                let text = format!("use {}::*", prefix.join("::"));
                self.refer(&prefix.clone(), text, line);
            }
            syn::UseTree::Group(group) => {
                for item in &group.items {
                    self.use_tree(prefix, item, line);
                }
            }
        }
    }

    /// Paths spelled in a macro's (or attribute's) tokens, at any depth of nesting.
    fn tokens(&mut self, stream: TokenStream, within: &str) {
        let tokens: Vec<TokenTree> = stream.into_iter().collect();
        let mut at = 0;
        while at < tokens.len() {
            if let TokenTree::Group(group) = &tokens[at] {
                self.tokens(group.stream(), within);
            }
            match path_at(&tokens, at) {
                Some((segments, line, end)) => {
                    let text = format!("{} (in {within})", segments.join("::"));
                    self.refer(&segments, text, line);
                    at = end;
                }
                None => at += 1,
            }
        }
    }
}

impl<'ast> Visit<'ast> for Finder<'_> {
    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        for attr in &item.attrs {
            self.visit_attribute(attr);
        }
        if let Some((_, items)) = &item.content {
            self.scope.push(item.ident.to_string());
            for inner in items {
                self.visit_item(inner);
            }
            self.scope.pop();
        }
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        if item.leading_colon.is_none() {
            let line = item.use_token.span.start().line;
            self.use_tree(&mut Vec::new(), &item.tree, line);
        }
    }

    // `pub(super)` and `pub(in crate::a)` say who may look, not what this module needs.
    fn visit_visibility(&mut self, _: &'ast syn::Visibility) {}

    fn visit_path(&mut self, path: &'ast syn::Path) {
        // A lone `self` is the receiver value; a lone module name is no reference on its own.
        if path.leading_colon.is_none() && path.segments.len() >= 2 {
            let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
            let line = path.segments[0].ident.span().start().line;
            self.refer(&segments, segments.join("::"), line);
        }
        visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.visit_path(&mac.path);
        let name = mac
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect::<Vec<_>>()
            .join("::");
        // A bare `on_pool!` reaches a `#[macro_export]` macro through textual scope.
        if let (Some(only), Node::Lib(_)) = (mac.path.get_ident(), self.node) {
            if let Some(home) = self.tree.macro_home(&only.to_string()) {
                let target = Node::Lib(home.clone());
                if &target != self.node {
                    let line = only.span().start().line;
                    self.found.push(Reference {
                        target,
                        text: format!("{name}!"),
                        line,
                    });
                }
            }
        }
        self.tokens(mac.tokens.clone(), &format!("{name}!"));
    }

    fn visit_meta_list(&mut self, list: &'ast syn::MetaList) {
        self.visit_path(&list.path);
        let name = list
            .path
            .get_ident()
            .map_or_else(|| "an attribute".to_owned(), |i| format!("#[{i}]"));
        self.tokens(list.tokens.clone(), &name);
    }
}

/// A path starting at `tokens[at]` (`$crate::…` or `ident::…`, not preceded by `::`, `.` or
/// `$`): its segments, its line, and the index after it.
fn path_at(tokens: &[TokenTree], at: usize) -> Option<(Vec<String>, usize, usize)> {
    let is_punct =
        |i: usize, c: char| matches!(tokens.get(i), Some(TokenTree::Punct(p)) if p.as_char() == c);
    let colons = |i: usize| {
        matches!(tokens.get(i), Some(TokenTree::Punct(p)) if p.as_char() == ':' && p.spacing() == Spacing::Joint)
            && is_punct(i + 1, ':')
    };
    let ident = |i: usize| match tokens.get(i) {
        Some(TokenTree::Ident(ident)) => Some(ident),
        _ => None,
    };
    let (mut segments, line, mut next) = if is_punct(at, '$') {
        let krate = ident(at + 1).filter(|i| *i == "crate")?;
        (vec!["$crate".to_owned()], krate.span().start().line, at + 2)
    } else {
        let first = ident(at)?;
        let after_path =
            at >= 1 && (is_punct(at - 1, ':') || is_punct(at - 1, '.') || is_punct(at - 1, '$'));
        if after_path {
            return None;
        }
        (vec![first.to_string()], first.span().start().line, at + 1)
    };
    if !colons(next) {
        return None;
    }
    while colons(next) {
        let Some(segment) = ident(next + 2) else {
            break;
        };
        segments.push(segment.to_string());
        next += 3;
    }
    Some((segments, line, next))
}
