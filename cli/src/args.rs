//! Small helpers shared by subcommands: argument scanning and error output.
//! The CLI has a handful of flags per command, so a parser crate would cost
//! more than these few lines.

use std::process::ExitCode;

/// Prints a usage problem as a JSON error on stderr and returns exit code 2.
pub fn usage_error(message: &str) -> ExitCode {
    print_error("usage", message);
    ExitCode::from(2)
}

/// Prints `{"error":code,"message":message}` on stderr.
pub fn print_error(code: &str, message: &str) {
    let line = serde_json::json!({ "error": code, "message": message });
    eprintln!("{line}");
}

/// Prints a core error on stderr and returns exit code 1.
pub fn core_error(err: &pushcore::PushError) -> ExitCode {
    print_error(err.code(), &err.message());
    ExitCode::from(1)
}

/// Command-line arguments of one subcommand, consumed as they are read so
/// that leftovers can be reported as unknown.
pub struct Args {
    items: Vec<String>,
}

impl Args {
    pub fn new(items: Vec<String>) -> Self {
        Args { items }
    }

    /// Removes `--name` and reports whether it was present.
    pub fn flag(&mut self, name: &str) -> bool {
        let before = self.items.len();
        self.items.retain(|a| a != name);
        self.items.len() != before
    }

    /// Removes `--name VALUE` (or `--name=VALUE`) and returns VALUE.
    pub fn option(&mut self, name: &str) -> Result<Option<String>, String> {
        let prefix = format!("{name}=");
        if let Some(i) = self.items.iter().position(|a| a == name) {
            if i + 1 >= self.items.len() {
                return Err(format!("{name} needs a value"));
            }
            let value = self.items.remove(i + 1);
            self.items.remove(i);
            return Ok(Some(value));
        }
        if let Some(i) = self.items.iter().position(|a| a.starts_with(&prefix)) {
            let value = self.items.remove(i)[prefix.len()..].to_string();
            return Ok(Some(value));
        }
        Ok(None)
    }

    /// The remaining arguments, all of which must be positional.
    pub fn positionals(self) -> Result<Vec<String>, String> {
        if let Some(unknown) = self.items.iter().find(|a| a.starts_with("--")) {
            return Err(format!("unknown option `{unknown}`"));
        }
        Ok(self.items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_flags_and_positionals() {
        let mut args = Args::new(
            ["--db", "x.db", "--stats", "a", "--kind=clicked", "-"]
                .map(String::from)
                .to_vec(),
        );
        assert!(args.flag("--stats"));
        assert!(!args.flag("--json"));
        assert_eq!(args.option("--db").unwrap().as_deref(), Some("x.db"));
        assert_eq!(args.option("--kind").unwrap().as_deref(), Some("clicked"));
        assert_eq!(args.option("--dir").unwrap(), None);
        assert_eq!(args.positionals().unwrap(), vec!["a", "-"]);
        let mut args = Args::new(vec!["--db".into()]);
        assert!(args.option("--db").is_err());
        assert!(Args::new(vec!["--nope".into()]).positionals().is_err());
    }
}
