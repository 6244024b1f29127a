//! The shape of the web crate, checked: an area (its router, API, pages and
//! actions) imports nothing from another area, the shared `http` and
//! `schemas` modules import no area, and no API module reaches into pages. A new area is
//! added to `AREAS`.

use std::path::{Path, PathBuf};

const AREAS: [&str; 9] = [
    "account",
    "audit",
    "decisions",
    "eis",
    "governance",
    "org",
    "staffing",
    "teams",
    "trust",
];

fn source() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// Code lines, comments left out: a comment may name another area.
fn code_lines(file: &Path) -> Vec<(usize, String)> {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    text.lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.split("//").next().unwrap_or("").to_string()))
        .collect()
}

/// Every `crate::<name>` a file uses, with its line.
fn crate_paths(file: &Path) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (number, line) in code_lines(file) {
        for (at, _) in line.match_indices("crate::") {
            let name: String = line[at + "crate::".len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            found.push((number, name));
        }
    }
    found
}

fn where_(file: &Path, line: usize) -> String {
    format!("{}:{line}", file.strip_prefix(source()).unwrap_or(file).display())
}

#[test]
fn no_area_imports_another() {
    let mut crossings = Vec::new();
    for area in AREAS {
        let dir = source().join(area);
        assert!(dir.is_dir(), "the area {area} has no folder {}", dir.display());
        for file in rust_files(&dir) {
            for (line, name) in crate_paths(&file) {
                if AREAS.contains(&name.as_str()) && name != area {
                    crossings.push(format!("{}: {area} uses crate::{name}", where_(&file, line)));
                }
            }
        }
    }
    assert!(
        crossings.is_empty(),
        "areas importing one another:\n{}",
        crossings.join("\n")
    );
}

/// Shared code: owned by no area, used by all.
const SHARED: [&str; 2] = ["http", "schemas"];

#[test]
fn shared_code_imports_no_area() {
    let mut crossings = Vec::new();
    for shared in SHARED {
        for file in rust_files(&source().join(shared)) {
            for (line, name) in crate_paths(&file) {
                if AREAS.contains(&name.as_str()) {
                    crossings.push(format!("{}: {shared} uses crate::{name}", where_(&file, line)));
                }
            }
        }
    }
    assert!(
        crossings.is_empty(),
        "shared code importing an area:\n{}",
        crossings.join("\n")
    );
}

#[test]
fn the_api_never_imports_pages() {
    let mut crossings = Vec::new();
    for area in AREAS {
        let dir = source().join(area);
        let api: Vec<PathBuf> = rust_files(&dir)
            .into_iter()
            .filter(|f| {
                f.strip_prefix(&dir)
                    .is_ok_and(|p| p.starts_with("api") || p == Path::new("api.rs"))
            })
            .collect();
        assert!(!api.is_empty(), "the area {area} has no api module");
        for file in api {
            for (line, text) in code_lines(&file) {
                let names_pages = text
                    .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .any(|word| word == "pages");
                if names_pages {
                    crossings.push(format!("{}: {}", where_(&file, line), text.trim()));
                }
            }
        }
    }
    assert!(
        crossings.is_empty(),
        "API code importing pages:\n{}",
        crossings.join("\n")
    );
}
