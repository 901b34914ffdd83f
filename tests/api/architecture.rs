//! The shape of the code, checked: the core's and the live layer's modules import each other in
//! one direction only, no source file grows past 600 lines, and docs/architecture.md names only
//! files that exist and every folder of src/.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Test files may be long: a rule per test reads better than a rule per file.
fn is_test_file(path: &Path) -> bool {
    let name = path.file_name().unwrap().to_string_lossy();
    name == "tests.rs" || name.ends_with("_tests.rs") || name == "contract.rs"
}

/// The source before its `#[cfg(test)]` module, if any.
fn without_tests(text: &str) -> &str {
    text.split("#[cfg(test)]").next().unwrap_or(text)
}

/// For each module directly inside `dir` (a file or a folder), the sibling modules it names.
fn sibling_imports(dir: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let package = dir.file_name().unwrap().to_string_lossy().to_string();
    let mut files = Vec::new();
    rust_files(dir, &mut files);
    let siblings: BTreeSet<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter_map(|p| {
            let stem = p.file_stem()?.to_string_lossy().to_string();
            (stem != "mod").then_some(stem)
        })
        .collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        if is_test_file(&file) {
            continue;
        }
        let rel = file.strip_prefix(dir).unwrap();
        let top = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if top == "mod" {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let deps = graph.entry(top.clone()).or_default();
        let code = without_tests(&text);
        for prefix in [
            format!("crate::{package}::"),
            "super::super::".to_owned(),
            "super::".to_owned(),
        ] {
            for (i, _) in code.match_indices(&prefix) {
                let name: String = code[i + prefix.len()..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                // `super::` inside a folder names that folder's own modules, not its siblings.
                let nested = rel.components().count() > 1 && prefix == "super::";
                if !nested && name != top && siblings.contains(&name) {
                    deps.insert(name);
                }
            }
        }
    }
    graph
}

fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == node) {
            let mut found = path[i..].to_vec();
            found.push(node.to_owned());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|n| visit(n, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_core_and_the_live_layer_import_one_way() {
    for dir in ["src/session", "src/live"] {
        let graph = sibling_imports(&root().join(dir));
        assert!(graph.len() > 3, "{dir}: {graph:?}");
        if let Some(c) = cycle(&graph) {
            panic!("{dir} has an import circle: {}", c.join(" → "));
        }
    }
}

#[test]
fn no_source_file_is_longer_than_600_lines() {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    for file in files.iter().filter(|f| !is_test_file(f)) {
        let lines = std::fs::read_to_string(file).unwrap().lines().count();
        assert!(lines <= 600, "{} has {lines} lines", file.display());
    }
}

#[test]
fn the_architecture_page_names_what_exists_and_every_folder() {
    let page = std::fs::read_to_string(root().join("docs/architecture.md")).unwrap();
    // Every path-like word in backticks or in the tree must exist.
    let mut named = BTreeSet::new();
    for word in page.split(|c: char| c.is_whitespace() || "`(),".contains(c)) {
        let word = word.trim_end_matches(['.', ':', ';']);
        let looks_like_a_file = word.ends_with(".rs") || word.ends_with(".js");
        if looks_like_a_file || word.starts_with("src/") {
            named.insert(word.to_owned());
        }
    }
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    let mut elsewhere = Vec::new();
    rust_files(&root().join("examples"), &mut elsewhere);
    rust_files(&root().join("tests"), &mut elsewhere);
    let all: Vec<String> = files
        .iter()
        .map(|f| {
            f.strip_prefix(root())
                .unwrap()
                .to_string_lossy()
                .to_string()
        })
        .collect();
    let web: Vec<String> = std::fs::read_dir(root().join("web"))
        .unwrap()
        .map(|e| format!("web/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    let others: Vec<String> = elsewhere
        .iter()
        .map(|f| {
            f.strip_prefix(root())
                .unwrap()
                .to_string_lossy()
                .to_string()
        })
        .collect();
    for word in &named {
        let exists = root().join(word).exists()
            || all
                .iter()
                .chain(&web)
                .chain(&others)
                .any(|f| f.ends_with(&format!("/{word}")));
        assert!(
            exists,
            "docs/architecture.md names {word}, which does not exist"
        );
    }
    let mut folders = BTreeSet::new();
    for f in &all {
        let mut p = Path::new(f).parent();
        while let Some(dir) = p.filter(|d| d != &Path::new("src") && d != &Path::new("")) {
            folders.insert(dir.to_string_lossy().to_string());
            p = dir.parent();
        }
    }
    for folder in folders {
        // The tree names a nested folder by its own name, under its parent.
        let short = Path::new(&folder)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        assert!(
            page.contains(&format!(" {short}/")),
            "docs/architecture.md does not describe {folder}/"
        );
    }
}
