//! The folders of `src/` are layers, and imports only point down: a module may use the layers
//! below its own, never one above (README, "How the code is laid out").

use std::path::{Path, PathBuf};

/// From the bottom up. Modules on one floor do not use each other.
const LAYERS: [&[&str]; 8] =
    [&["text", "measure"], &["model"], &["engine"], &["tasks"], &["app"], &["ui"], &["runtime"], &["cli"]];

/// Modules the app may not use although they sit below it: they do I/O, and the app has none.
const IO_MODULES: [&str; 3] = ["engine", "tasks", "measure::local"];

fn floor(module: &str) -> Option<usize> {
    LAYERS.iter().position(|floor| floor.contains(&module))
}

fn sources(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// Every `crate::a::b` path in the code (comments left out), as `a::b`.
fn crate_paths(text: &str) -> Vec<String> {
    let mut paths = Vec::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or_default();
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            // `crate::{a, b::c}`: each name in the braces.
            if let Some(group) = after.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                paths.extend(group[..end].split(',').map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()));
                rest = &group[end..];
                continue;
            }
            let end =
                after.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')).unwrap_or(after.len());
            paths.push(after[..end].trim_end_matches(':').to_owned());
            rest = &after[end..];
        }
    }
    paths
}

/// The layer a source file belongs to: its first folder under `src/`.
fn home(root: &Path, file: &Path) -> Option<String> {
    let relative = file.strip_prefix(root).ok()?;
    let mut parts = relative.components();
    let first = parts.next()?.as_os_str().to_str()?.to_owned();
    parts.next().map(|_| first)
}

#[test]
fn paths_are_read_from_code_and_groups_but_not_comments() {
    let text = "use crate::model::Plan;\nuse crate::{app, ui::theme}; // crate::cli\nlet x = crate::text::format::size(1);";
    assert_eq!(crate_paths(text), ["model::Plan", "app", "ui::theme", "text::format::size"]);
}

#[test]
fn imports_only_point_down() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &mut files);
    let mut wrong = Vec::new();
    for file in &files {
        let Some(home) = home(&root, file) else { continue };
        let here = floor(&home)
            .unwrap_or_else(|| panic!("{} is in no layer: add its folder to LAYERS", file.display()));
        let text = std::fs::read_to_string(file).unwrap();
        for path in crate_paths(&text) {
            let module = path.split("::").next().unwrap_or_default();
            if module == home {
                continue;
            }
            let Some(there) = floor(module) else { continue };
            let io =
                home == "app" && IO_MODULES.iter().any(|m| path == *m || path.starts_with(&format!("{m}::")));
            if there >= here || io {
                wrong.push(format!("{} uses crate::{path}", file.strip_prefix(&root).unwrap().display()));
            }
        }
    }
    wrong.sort();
    wrong.dedup();
    assert!(
        wrong.is_empty(),
        "imports that run up, sideways or from the app into I/O:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn every_folder_of_src_is_a_layer() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for entry in std::fs::read_dir(&root).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            let name = path.file_name().unwrap().to_str().unwrap();
            assert!(floor(name).is_some(), "src/{name} is in no layer");
        } else {
            let name = path.file_name().unwrap().to_str().unwrap();
            assert!(["lib.rs", "main.rs"].contains(&name), "src/{name}: code lives in the layers' folders");
        }
    }
}
