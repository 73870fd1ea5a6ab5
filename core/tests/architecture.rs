//! The core's shape as checks, so it cannot drift back: what the bindings
//! see is exported only from `src/facade/`, the foreign traits the app
//! implements included (registration and logging call plain-Rust twins).

use std::fs;
use std::path::{Path, PathBuf};

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
fn nothing_outside_the_facade_is_exported() {
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
            stray.push(format!("src/{path}:{}: {item}", n + 1));
        }
    }
    assert!(
        stray.is_empty(),
        "exports belong in src/facade/ (a one-line delegate to the internal function):\n{}",
        stray.join("\n")
    );
}

#[test]
fn the_export_check_sees_an_export_and_finds_the_foreign_traits_in_the_facade() {
    let lines = ["#[uniffi::export]", "/// doc", "pub fn core_version() {}"];
    assert_eq!(item_after(&lines, 0), "pub fn core_version() {}");
    let foreign_traits: Vec<String> = sources()
        .into_iter()
        .flat_map(|(path, text)| {
            let lines: Vec<String> = text.lines().map(str::to_string).collect();
            let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
            (0..lines.len())
                .filter(|&n| {
                    let l = lines[n].trim();
                    l == "#[uniffi::export(with_foreign)]"
                        || l == "#[uniffi::export(rust, foreign)]"
                })
                .map(|n| format!("{path}: {}", item_after(&lines, n)))
                .collect::<Vec<_>>()
        })
        .collect();
    for name in [
        "LogForwarder",
        "PushPlatform",
        "TokenReporter",
        "PushListener",
    ] {
        let expected = format!("facade/foreign.rs: pub trait {name}: Send + Sync {{");
        assert!(
            foreign_traits.contains(&expected),
            "{name} not found: {foreign_traits:?}"
        );
    }
}

/// The top-level module a file belongs to (`registration/actor.rs` ->
/// `registration`, `routing.rs` -> `routing`), or `None` for the crate root.
fn top_module(path: &str) -> Option<&str> {
    let first = path.split('/').next()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (name != "lib").then_some(name)
}

/// The part of a file that ships: everything before its unit tests.
fn shipped_part(text: &str) -> &str {
    let end = text.find("#[cfg(test)]\nmod tests").unwrap_or(text.len());
    &text[..end]
}

/// The top-level modules each top-level module names through `crate::`,
/// leaving out test files and the crate root's re-exports.
fn module_graph() -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let mut graph = std::collections::BTreeMap::<String, std::collections::BTreeSet<String>>::new();
    for (path, text) in sources() {
        let Some(from) = top_module(&path) else {
            continue;
        };
        if path.ends_with("/tests.rs") || path.contains("/tests/") {
            continue;
        }
        let edges = graph.entry(from.to_string()).or_default();
        for line in shipped_part(&text).lines() {
            let line = line.trim_start();
            if line.starts_with("//") {
                continue;
            }
            for (i, _) in line.match_indices("crate::") {
                let rest = &line[i + "crate::".len()..];
                let to: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                // `crate::PushError` and friends are the root's re-exports:
                // resolve the ones internals use to their owners.
                let to = match to.as_str() {
                    "PushError" => "error".to_string(),
                    "PushChannel" => "channel".to_string(),
                    "PushConfig" => "config".to_string(),
                    "ClickInput" | "NormalizedNotification" => "payload".to_string(),
                    "ChatType" | "NotificationAction" => "entity".to_string(),
                    "Route" => "routing".to_string(),
                    "VERSION" => continue,
                    other => other.to_string(),
                };
                if !to.is_empty() && to != from && to.chars().next().is_some_and(char::is_lowercase)
                {
                    edges.insert(to);
                }
            }
        }
    }
    graph
}

/// A circle through `start`, if there is one (depth-first search).
fn circle_through(
    graph: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
    start: &str,
) -> Option<Vec<String>> {
    fn walk(
        graph: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
        start: &str,
        path: &mut Vec<String>,
        seen: &mut std::collections::BTreeSet<String>,
    ) -> bool {
        let here = path.last().cloned().unwrap_or_default();
        for next in graph.get(&here).into_iter().flatten() {
            if next == start {
                path.push(next.clone());
                return true;
            }
            if seen.insert(next.clone()) {
                path.push(next.clone());
                if walk(graph, start, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    let mut path = vec![start.to_string()];
    let mut seen = std::collections::BTreeSet::new();
    walk(graph, start, &mut path, &mut seen).then_some(path)
}

#[test]
fn no_two_top_level_modules_import_each_other_even_through_others() {
    let graph = module_graph();
    let circles: Vec<String> = graph
        .keys()
        .filter_map(|m| circle_through(&graph, m))
        .map(|c| c.join(" -> "))
        .collect();
    assert!(
        circles.is_empty(),
        "import circles between top-level modules (give the shared concept one owner lower down):\n{}",
        circles.join("\n")
    );
}

#[test]
fn the_circle_check_finds_a_circle_of_three() {
    let mut graph = std::collections::BTreeMap::new();
    for (from, to) in [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")] {
        graph
            .entry(from.to_string())
            .or_insert_with(std::collections::BTreeSet::new)
            .insert(to.to_string());
    }
    assert_eq!(
        circle_through(&graph, "a"),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
    assert_eq!(circle_through(&graph, "d"), None);
    assert!(module_graph().contains_key("registration"));
}

/// The doc comment block right above line `n` (attributes skipped).
fn doc_above(lines: &[&str], n: usize) -> String {
    let mut docs = Vec::new();
    for line in lines[..n].iter().rev() {
        let line = line.trim();
        if line.starts_with("#[") {
            continue;
        }
        match line.strip_prefix("///") {
            Some(doc) => docs.push(doc.trim()),
            None => break,
        }
    }
    docs.reverse();
    docs.join("\n")
}

#[test]
fn every_exported_call_that_can_fail_says_which_errors_in_its_doc() {
    let mut missing = Vec::new();
    for (path, text) in sources() {
        if !path.starts_with("facade/") || path.starts_with("facade/fast/") {
            continue;
        }
        let lines: Vec<&str> = text.lines().collect();
        for (n, line) in lines.iter().enumerate() {
            let trimmed = line.trim_start();
            if !(trimmed.starts_with("pub fn ") || trimmed.starts_with("pub async fn ")) {
                continue;
            }
            let signature: String = lines[n..]
                .iter()
                .take_while(|l| !l.trim_end().ends_with('{'))
                .chain(
                    lines.get(
                        n + lines[n..]
                            .iter()
                            .take_while(|l| !l.trim_end().ends_with('{'))
                            .count(),
                    ),
                )
                .copied()
                .collect();
            if signature.contains("PushError>") && !doc_above(&lines, n).contains("# Errors") {
                missing.push(format!("src/{path}:{}: {}", n + 1, trimmed));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "exported calls without an `# Errors` section naming their PushError codes:\n{}",
        missing.join("\n")
    );
}
