//! The core's shape as checks, so it cannot drift back: what the bindings
//! see is exported only from `src/facade/`.

use std::fs;
use std::path::{Path, PathBuf};

/// The foreign traits the app implements. Internal modules call them, so
/// their definitions stay with the internals that own them: moving them into
/// the facade would make those internals import the facade (an import
/// circle). Nothing else outside the facade may carry an export attribute.
const FOREIGN_TRAIT_DEFINITIONS: [(&str, &str); 4] = [
    ("logging.rs", "LogForwarder"),
    ("registration/traits.rs", "PushPlatform"),
    ("registration/traits.rs", "TokenReporter"),
    ("registration/traits.rs", "PushListener"),
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`, with its path relative to `src/`.
fn rust_files(dir: &Path, out: &mut Vec<(String, String)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = fs::read_to_string(&path).unwrap();
            let relative = path.strip_prefix(src()).unwrap();
            let relative = relative.to_string_lossy().replace('\\', "/");
            out.push((relative, text));
        }
    }
}

fn sources() -> Vec<(String, String)> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    files.sort();
    files
}

/// The item an attribute at `line` applies to: the next line that is not an
/// attribute, comment or blank.
fn item_after(lines: &[&str], line: usize) -> String {
    lines[line + 1..]
        .iter()
        .map(|l| l.trim())
        .find(|l| !(l.is_empty() || l.starts_with("#[") || l.starts_with("//")))
        .unwrap_or("")
        .to_string()
}

#[test]
fn nothing_outside_the_facade_is_exported_except_the_foreign_traits() {
    let mut stray = Vec::new();
    for (path, text) in sources() {
        if path.starts_with("facade/") {
            continue;
        }
        let lines: Vec<&str> = text.lines().collect();
        for (n, line) in lines.iter().enumerate() {
            if !line.trim_start().starts_with("#[uniffi::export") {
                continue;
            }
            let item = item_after(&lines, n);
            let allowed = FOREIGN_TRAIT_DEFINITIONS.iter().any(|(file, name)| {
                path == *file && item.starts_with(&format!("pub trait {name}"))
            });
            if !allowed {
                stray.push(format!("src/{path}:{}: {item}", n + 1));
            }
        }
    }
    assert!(
        stray.is_empty(),
        "exports belong in src/facade/ (a one-line delegate to the internal function):\n{}",
        stray.join("\n")
    );
}

#[test]
fn the_export_check_sees_an_export_and_the_allowed_traits() {
    let lines = ["#[uniffi::export]", "/// doc", "pub fn core_version() {}"];
    assert_eq!(item_after(&lines, 0), "pub fn core_version() {}");
    let traits = sources()
        .iter()
        .filter(|(_, text)| {
            text.contains("#[uniffi::export(with_foreign)]")
                || text.contains("#[uniffi::export(rust, foreign)]")
        })
        .count();
    assert!(traits >= 2, "the foreign trait files were not found");
}
