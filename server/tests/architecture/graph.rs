//! A crate's module-level import graph: built from its files, printed one line per module, and
//! searched for cycles (strongly connected components, and one shortest cycle to show).

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::{
    references::references,
    tree::{node_of, CrateSources, Node, Tree},
};

/// Where an edge comes from: a file, a line and the path text.
#[derive(Clone, Debug)]
pub struct Evidence {
    pub file: String,
    pub line: usize,
    pub text: String,
}

/// Module → module it refers to → every place that refers to it.
pub struct Graph {
    pub edges: BTreeMap<String, BTreeMap<String, Vec<Evidence>>>,
}

impl Graph {
    /// Parses every file; a file that does not parse fails the build of the graph.
    pub fn build(sources: &CrateSources) -> Self {
        assert!(!sources.files.is_empty(), "no source files were read");
        let has_lib = sources.files.iter().any(|f| f.path == "lib.rs");
        let parsed: Vec<(Node, syn::File, &str)> = sources
            .files
            .iter()
            .map(|f| {
                let file = syn::parse_file(&f.text)
                    .unwrap_or_else(|e| panic!("{} does not parse: {e}", f.shown));
                (node_of(&f.path, has_lib), file, f.shown.as_str())
            })
            .collect();
        let nodes: Vec<(Node, &syn::File)> =
            parsed.iter().map(|(n, f, _)| (n.clone(), f)).collect();
        let tree = Tree::new(&sources.lib_name, &nodes);
        let mut edges: BTreeMap<String, BTreeMap<String, Vec<Evidence>>> = BTreeMap::new();
        for (node, file, shown) in &parsed {
            let from = edges.entry(node.name()).or_default();
            for reference in references(&tree, node, file) {
                from.entry(reference.target.name())
                    .or_default()
                    .push(Evidence {
                        file: (*shown).to_owned(),
                        line: reference.line,
                        text: reference.text,
                    });
            }
        }
        let targets: BTreeSet<String> = edges.values().flat_map(|d| d.keys().cloned()).collect();
        for target in targets {
            edges.entry(target).or_default();
        }
        Self { edges }
    }

    pub fn deps(&self, node: &str) -> Vec<&str> {
        self.edges
            .get(node)
            .map(|deps| deps.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// `module -> dep, dep, …`, one line per module.
    pub fn render(&self) -> String {
        self.edges
            .iter()
            .map(|(node, deps)| {
                let deps: Vec<&str> = deps.keys().map(String::as_str).collect();
                if deps.is_empty() {
                    format!("{node} -> (nothing)\n")
                } else {
                    format!("{node} -> {}\n", deps.join(", "))
                }
            })
            .collect()
    }

    /// The strongly connected components of more than one module (Tarjan's algorithm).
    pub fn components(&self) -> Vec<Vec<String>> {
        let mut search = Tarjan::default();
        for node in self.edges.keys() {
            if !search.index.contains_key(node.as_str()) {
                search.connect(self, node);
            }
        }
        let mut found: Vec<Vec<String>> = search
            .components
            .into_iter()
            .filter(|c| c.len() > 1)
            .map(|mut c| {
                c.sort();
                c
            })
            .collect();
        found.sort();
        found
    }

    /// One shortest cycle in each component, through its first module: the modules in
    /// order, the first repeated at the end.
    pub fn cycles(&self) -> Vec<Vec<String>> {
        self.components()
            .iter()
            .filter_map(|component| self.cycle_in(component))
            .collect()
    }

    fn cycle_in(&self, component: &[String]) -> Option<Vec<String>> {
        let start = component.first()?;
        let mut came_from: BTreeMap<&str, &str> = BTreeMap::new();
        let mut queue = VecDeque::from([start.as_str()]);
        while let Some(node) = queue.pop_front() {
            for dep in self.deps(node) {
                if !component.iter().any(|c| c == dep) || came_from.contains_key(dep) {
                    continue;
                }
                came_from.insert(dep, node);
                if dep == start {
                    let mut path = vec![start.clone()];
                    let mut at = node;
                    while at != start {
                        path.push(at.to_owned());
                        at = came_from[at];
                    }
                    path.push(start.clone());
                    path.reverse();
                    return Some(path);
                }
                queue.push_back(dep);
            }
        }
        None
    }

    /// `a -> b -> a`, then each edge with the places that make it.
    pub fn explain(&self, cycle: &[String]) -> String {
        let mut text = format!("{}\n", cycle.join(" -> "));
        for pair in cycle.windows(2) {
            let (from, to) = (&pair[0], &pair[1]);
            text.push_str(&format!("  {from} -> {to}:\n"));
            let evidence = &self.edges[from][to];
            for e in evidence.iter().take(3) {
                text.push_str(&format!("    {}:{}  {}\n", e.file, e.line, e.text));
            }
            if evidence.len() > 3 {
                text.push_str(&format!("    … and {} more\n", evidence.len() - 3));
            }
        }
        text
    }

    /// Every strongly connected component, then one cycle of each, explained.
    pub fn report(&self) -> String {
        let components = self.components();
        let mut text = format!("strongly connected components ({}):\n", components.len());
        for component in &components {
            text.push_str(&format!("  {{{}}}\n", component.join(", ")));
        }
        text.push_str("one cycle in each:\n");
        for cycle in self.cycles() {
            text.push_str(&self.explain(&cycle));
        }
        text
    }
}

#[derive(Default)]
struct Tarjan<'g> {
    next: usize,
    index: BTreeMap<&'g str, usize>,
    low: BTreeMap<&'g str, usize>,
    stack: Vec<&'g str>,
    on_stack: BTreeSet<&'g str>,
    components: Vec<Vec<String>>,
}

impl<'g> Tarjan<'g> {
    fn connect(&mut self, graph: &'g Graph, node: &'g str) {
        self.index.insert(node, self.next);
        self.low.insert(node, self.next);
        self.next += 1;
        self.stack.push(node);
        self.on_stack.insert(node);
        for dep in graph.deps(node) {
            if !self.index.contains_key(dep) {
                self.connect(graph, dep);
                let low = self.low[node].min(self.low[dep]);
                self.low.insert(node, low);
            } else if self.on_stack.contains(dep) {
                let low = self.low[node].min(self.index[dep]);
                self.low.insert(node, low);
            }
        }
        if self.low[node] == self.index[node] {
            let mut component = Vec::new();
            while let Some(member) = self.stack.pop() {
                self.on_stack.remove(member);
                component.push(member.to_owned());
                if member == node {
                    break;
                }
            }
            self.components.push(component);
        }
    }
}
