//! A check that keeps CI from failing at random: under `set -o pipefail`, a
//! pipeline into a reader that stops early (`head`, `grep -q`, `grep -m`)
//! fails whenever the writer is still writing when the reader exits, since
//! the writer then dies of SIGPIPE. That made `.ci/run` red 2 runs in 5
//! (`mvn --version 2>&1 | head -1`). The project's shell scripts are scanned
//! by a unit test, so the pattern cannot come back.

use std::path::{Path, PathBuf};

/// Readers that may exit before their input ends.
const EARLY_CLOSERS: [&str; 4] = ["head", "grep -q", "grep -m", "grep --max-count"];

/// The 1-based line numbers of `script` that pipe into a reader that may stop
/// early, when the script runs with `pipefail`. Empty for scripts without it.
pub fn early_closing_pipes(script: &str) -> Vec<usize> {
    if !script.lines().any(sets_pipefail) {
        return Vec::new();
    }
    script
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim_start().starts_with('#'))
        .filter(|(_, line)| {
            line.replace("||", " ").split('|').skip(1).any(|stage| {
                EARLY_CLOSERS
                    .iter()
                    .any(|c| stage.trim_start().starts_with(c))
            })
        })
        .map(|(index, _)| index + 1)
        .collect()
}

fn sets_pipefail(line: &str) -> bool {
    let line = line.trim_start();
    line.starts_with("set ") && line.contains("pipefail")
}

/// Every shell script of the repository: `.ci/run` and the `*.sh` files
/// outside build outputs.
pub fn shell_scripts(root: &Path) -> Vec<PathBuf> {
    let mut found = vec![root.join(".ci/run")];
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if path.is_dir() {
                if !matches!(name.as_ref(), "target" | ".git" | "node_modules" | "build") {
                    dirs.push(path);
                }
            } else if name.ends_with(".sh") {
                found.push(path);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_piped_into_head_under_pipefail_is_reported() {
        let script = "#!/bin/bash\nset -euo pipefail\necho hi\nmvn --version 2>&1 | head -1\n";
        assert_eq!(early_closing_pipes(script), vec![4]);
    }

    #[test]
    fn early_closers_without_pipefail_or_in_comments_are_not_reported() {
        assert!(early_closing_pipes("set -eu\nmvn --version | head -1\n").is_empty());
        assert!(early_closing_pipes("set -o pipefail\n# x | head -1\n").is_empty());
        assert!(early_closing_pipes("set -o pipefail\nfind . | sort | tail -n 1\n").is_empty());
        assert!(early_closing_pipes("set -o pipefail\ntrue || head -1 x\n").is_empty());
        assert_eq!(
            early_closing_pipes("set -o pipefail\nps | grep -q java\n"),
            vec![2]
        );
    }

    #[test]
    fn no_project_script_pipes_into_a_reader_that_stops_early() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("xtask lives in the workspace");
        let scripts = shell_scripts(root);
        assert!(scripts.iter().any(|p| p.ends_with(".ci/run")));
        assert!(scripts.len() >= 3, "found only {scripts:?}");
        for script in scripts {
            let text = std::fs::read_to_string(&script).expect("script is readable");
            let lines = early_closing_pipes(&text);
            assert!(lines.is_empty(), "{}: lines {lines:?}", script.display());
        }
    }
}
