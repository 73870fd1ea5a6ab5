//! `pushcore`: the command-line face of the core.
//!
//! Each subcommand lives in its own module and returns an exit code; this
//! file only dispatches. Errors are printed as one JSON object on stderr
//! (`{"error":"<code>","message":"..."}`) so scripts can branch on them.

mod args;
mod build_push;
mod dedup;
mod demo;
mod diagnose;
mod input;
mod ledger;
mod parse;
mod simulate;

use std::process::ExitCode;

const HELP: &str = "\
pushcore - PushCore's core from the command line

USAGE:
    pushcore <COMMAND> [OPTIONS]

COMMANDS:
    demo        Play the whole life of a push on simulated phones (--json: event log)
    diagnose    Findings and fixes for a device that gets no pushes
    help        Print this help (also --help, -h)
    parse       Normalize what a notification tap delivered, and route it
    dedup       Mark keys in a dedup store: fresh or duplicate (or --stats)
    ledger      Shown notifications: mark shown, recall, read, badge, list
    build-push  Build a message's offline push info, its grouping fields, and check it per channel
    simulate    Render a message as a channel delivers it on tap (--shade: each shade after a sequence)
    version     Print the version (also --version, -V)

Run `pushcore <COMMAND> --help` for a command's options.
";

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = argv.split_first() else {
        print!("{HELP}");
        return ExitCode::SUCCESS;
    };
    let rest = rest.to_vec();
    match command.as_str() {
        "help" | "--help" | "-h" => {
            print!("{HELP}");
            ExitCode::SUCCESS
        }
        "demo" => demo::run(rest),
        "diagnose" => diagnose::run(rest),
        "parse" => parse::run(rest),
        "version" | "--version" | "-V" => {
            println!("pushcore {}", pushcore::VERSION);
            ExitCode::SUCCESS
        }
        "dedup" => dedup::run(rest),
        "ledger" => ledger::run(rest),
        "build-push" => build_push::run(rest),
        "simulate" => simulate::run(rest),
        other => args::usage_error(&format!("unknown command `{other}`; see `pushcore --help`")),
    }
}
