//! Project automation, run as `cargo xtask <task>` (alias in .cargo/config.toml).
//!
//! - `bindings`: build the core and generate Kotlin and Swift bindings in
//!   library mode from the unstripped debug library, with the root
//!   uniffi.toml passed explicitly.
//! - `test`: every check the project has, stage by stage, with a summary.
//!   This is the README's test command and what CI runs.
//!
//! Plain std only: the tasks are sequences of commands, and a dependency
//! here would slow every first build of the workspace.

#[cfg(test)]
mod shell_lint;
mod swift6_async;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
    bindings    build the core and generate the Kotlin and Swift bindings
    test        run every check: build, bindings, cargo test, clippy, fmt,
                the Kotlin tests on the JVM, the Android sample's click
                handling on the JVM, the CLI smoke tests and a few seconds
                of every fuzz target
";

fn main() -> ExitCode {
    let task = std::env::args().nth(1).unwrap_or_default();
    let root = workspace_root();
    match task.as_str() {
        "bindings" => match generate_bindings(&root) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("xtask bindings: {e}");
                ExitCode::FAILURE
            }
        },
        "test" => run_all_tests(&root),
        _ => {
            eprint!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|p| if p.is_absolute() { p } else { root.join(p) })
        .unwrap_or_else(|| root.join("target"))
}

/// The unstripped debug cdylib: library-mode bindgen reads UniFFI's
/// metadata symbols from it, and the JVM tests load it through JNA.
fn debug_cdylib(root: &Path) -> PathBuf {
    let name = format!(
        "{}pushcore{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    );
    target_dir(root).join("debug").join(name)
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let shown = format!("{cmd:?}");
    println!("  $ {shown}");
    let status = cmd
        .status()
        .map_err(|e| format!("cannot start {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({status})"))
    }
}

fn build_core(root: &Path) -> Result<(), String> {
    run(cargo().current_dir(root).args([
        "build",
        "--package",
        "pushcore",
        "--package",
        "pushcore-cli",
    ]))
}

fn generate_bindings(root: &Path) -> Result<(), String> {
    build_core(root)?;
    let lib = debug_cdylib(root);
    let config = root.join("uniffi.toml");
    let kotlin_out = root.join("bindings/kotlin/src/main/generated");
    let swift_out = root.join("bindings/swift/Sources");
    let generated_swift = root.join("target/uniffi-swift");
    for dir in [&kotlin_out, &generated_swift] {
        if dir.exists() {
            std::fs::remove_dir_all(dir)
                .map_err(|e| format!("cannot clean {}: {e}", dir.display()))?;
        }
    }
    let bindgen = |language: &str, out: &Path| {
        run(cargo()
            .current_dir(root)
            .args([
                "run",
                "--quiet",
                "--package",
                "uniffi-bindgen",
                "--",
                "generate",
                "--no-format",
            ])
            .arg("--config")
            .arg(&config)
            .args(["--language", language, "--out-dir"])
            .arg(out)
            .arg(&lib))
    };
    bindgen("kotlin", &kotlin_out)?;
    bindgen("swift", &generated_swift)?;

    // Prove the root uniffi.toml was read, not silently replaced by defaults.
    let kotlin_file = kotlin_out.join("dev/pushcore/pushcore.kt");
    let kotlin = std::fs::read_to_string(&kotlin_file).map_err(|e| {
        format!(
            "generated Kotlin not found at {}: {e}",
            kotlin_file.display()
        )
    })?;
    if !kotlin.lines().any(|l| l.trim() == "package dev.pushcore") {
        return Err(
            "generated Kotlin is not in package dev.pushcore: uniffi.toml was not applied".into(),
        );
    }

    // Lay the Swift output out as the Swift package expects it.
    let places = [
        ("PushCore.swift", "PushCore/PushCore.swift"),
        ("PushCoreFFI.h", "PushCoreFFI/include/PushCoreFFI.h"),
        (
            "PushCoreFFI.modulemap",
            "PushCoreFFI/include/module.modulemap",
        ),
    ];
    for (from, to) in places {
        let src = generated_swift.join(from);
        let dst = swift_out.join(to);
        if let Some(parent) = dst.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::copy(&src, &dst).map_err(|e| {
            format!(
                "generated Swift file {} missing (module names from uniffi.toml not applied?): {e}",
                src.display()
            )
        })?;
    }
    swift6_async::rewrite_file(&swift_out.join("PushCore/PushCore.swift"))?;
    println!(
        "  bindings: Kotlin in {}, Swift in {}",
        kotlin_out.display(),
        swift_out.display()
    );
    Ok(())
}

struct Stage {
    name: &'static str,
    result: Result<(), String>,
    took: Duration,
}

fn run_all_tests(root: &Path) -> ExitCode {
    let lib = debug_cdylib(root);
    let libdir = lib.parent().map(Path::to_path_buf).unwrap_or_default();
    let maven = |project: &'static str| {
        let root = root.to_path_buf();
        let libdir = libdir.clone();
        move || {
            run(Command::new(mvn())
                .current_dir(root.join(project))
                .args(["--batch-mode", "--no-transfer-progress", "test"])
                .arg(format!("-Dpushcore.libdir={}", libdir.display())))
        }
    };
    type Step<'a> = (&'static str, bool, Box<dyn Fn() -> Result<(), String> + 'a>);
    // (name, later stages need it, action)
    let steps: Vec<Step> = vec![
        (
            "build core and generate bindings",
            true,
            Box::new(|| generate_bindings(root)),
        ),
        (
            "cargo test --workspace",
            false,
            Box::new(|| run(cargo().current_dir(root).args(["test", "--workspace"]))),
        ),
        (
            "pushcore demo (smoke)",
            false,
            Box::new(|| {
                run(cargo().current_dir(root).args([
                    "run",
                    "-q",
                    "-p",
                    "pushcore-cli",
                    "--",
                    "demo",
                ]))
            }),
        ),
        (
            "cargo clippy (-D warnings)",
            false,
            Box::new(|| {
                run(cargo().current_dir(root).args([
                    "clippy",
                    "--workspace",
                    "--all-targets",
                    "--",
                    "-D",
                    "warnings",
                ]))
            }),
        ),
        (
            "cargo fmt --check",
            false,
            Box::new(|| run(cargo().current_dir(root).args(["fmt", "--all", "--check"]))),
        ),
        (
            "Kotlin tests on the JVM (Maven)",
            false,
            Box::new(maven("bindings/kotlin")),
        ),
        (
            "Android sample click handling (Maven)",
            false,
            Box::new(maven("android-sample/click-handling")),
        ),
        (
            "fuzz smoke run (every cargo-fuzz target)",
            false,
            Box::new(|| fuzz_smoke(root)),
        ),
    ];

    let mut stages = Vec::new();
    let mut blocked = false;
    for (name, required, action) in steps {
        println!("\n==> {name}");
        let started = Instant::now();
        let result = if blocked {
            Err("skipped: an earlier stage it needs failed".to_string())
        } else {
            action()
        };
        if result.is_err() && required {
            blocked = true;
        }
        stages.push(Stage {
            name,
            result,
            took: started.elapsed(),
        });
    }

    println!("\n==> summary");
    let mut failed = 0;
    for stage in &stages {
        let (mark, detail) = match &stage.result {
            Ok(()) => ("ok  ", String::new()),
            Err(e) => {
                failed += 1;
                ("FAIL", format!("  ({e})"))
            }
        };
        println!(
            "  {mark} {:<40} {:>7.1}s{detail}",
            stage.name,
            stage.took.as_secs_f64()
        );
    }
    let passed = stages.len() - failed;
    println!("xtask: {passed} passed, {failed} failed");
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Seconds each fuzz target runs in the test command: enough to replay the
/// seeds and mutate a few thousand inputs, not a substitute for the long
/// runs described in fuzz/README.md.
const FUZZ_SMOKE_SECONDS: u32 = 3;

/// Builds every cargo-fuzz target once (unoptimized: a smoke run executes
/// too few inputs for optimization to pay back its compile time) and runs
/// each for a few seconds from the committed seeds with a fixed seed, so a
/// failure replays. cargo-fuzz needs nightly flags; RUSTC_BOOTSTRAP lets the
/// stable toolchain accept them.
fn fuzz_smoke(root: &Path) -> Result<(), String> {
    let fuzz_dir = root.join("fuzz");
    let cargo_fuzz = || {
        let mut cmd = cargo();
        cmd.current_dir(&fuzz_dir)
            .env("RUSTC_BOOTSTRAP", "1")
            // Sanitizer flags would invalidate the main workspace's build.
            .env_remove("CARGO_TARGET_DIR")
            .arg("fuzz");
        cmd
    };
    let installed = cargo_fuzz()
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success());
    if !installed {
        run(cargo().args(["install", "cargo-fuzz", "--locked"]))?;
    }
    run(cargo_fuzz().args(["build", "--dev"]))?;
    let listed = cargo_fuzz()
        .arg("list")
        .output()
        .map_err(|e| format!("cannot list fuzz targets: {e}"))?;
    let targets: Vec<String> = String::from_utf8_lossy(&listed.stdout)
        .split_whitespace()
        .map(str::to_string)
        .collect();
    if !listed.status.success() || targets.is_empty() {
        return Err("cargo fuzz list found no targets".into());
    }
    for target in &targets {
        // libFuzzer writes new inputs to the first directory only, so the
        // committed seeds stay untouched.
        let corpus = fuzz_dir.join("corpus").join(target);
        std::fs::create_dir_all(&corpus).map_err(|e| format!("{}: {e}", corpus.display()))?;
        let seeds = fuzz_dir.join("seeds").join(target);
        let mut cmd = cargo_fuzz();
        cmd.args(["run", "--dev", target]).arg(&corpus);
        if seeds.is_dir() {
            cmd.arg(seeds);
        }
        run(cmd
            .arg("--")
            .arg(format!("-max_total_time={FUZZ_SMOKE_SECONDS}"))
            .args(["-seed=1", "-print_final_stats=0"]))?;
    }
    Ok(())
}

fn mvn() -> String {
    std::env::var("MVN").unwrap_or_else(|_| {
        if cfg!(windows) {
            "mvn.cmd".into()
        } else {
            "mvn".into()
        }
    })
}
