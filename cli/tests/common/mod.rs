//! Shared by the CLI integration tests: run the built `pushcore` binary.

use std::io::Write;
use std::process::{Child, Command, Output, Stdio};

/// Runs `pushcore ARGS` with `stdin` piped in and collects its output. The
/// input is written from a thread so a command that answers while still
/// reading (dedup) cannot deadlock on full pipes, and a command that stops
/// reading early (usage errors, oversized input) only costs a broken pipe.
pub fn pushcore(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pushcore"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the pushcore binary runs");
    let mut pipe = child.stdin.take().expect("stdin is piped");
    let input = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&input);
    });
    let out = child.wait_with_output().expect("pushcore finishes");
    let _ = writer.join();
    out
}

/// Starts `pushcore ARGS` through `sh -c "<limits> && exec pushcore ARGS"`,
/// so that shell limits (`ulimit`, `trap`) apply to the binary alone; all
/// three streams piped.
#[allow(dead_code)] // not every test file runs under limits
pub fn spawn_under_limits(limits: &str, args: &[&str]) -> Child {
    Command::new("sh")
        .arg("-c")
        .arg(format!("{limits} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_pushcore"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sh runs")
}
