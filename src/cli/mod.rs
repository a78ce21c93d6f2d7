//! The command-line front-end: arguments, one file per command, rendering
//! of the library's facts, the terminal (progress bars, prompts, output).

pub mod args;
pub mod commands;
pub mod guided;
pub mod help;
pub mod i18n;
pub mod prompt;
pub mod render;
pub mod render_ledger;
pub mod render_scan;
pub mod render_sign;
pub mod term;
pub mod wrap;

/// The front-end's settings, decided once from the command line and passed
/// to every command: how much to say and in which form.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ui {
    /// `-q`: nothing but errors and the requested output.
    pub quiet: bool,
    /// `--json`: one JSON object on stdout.
    pub json: bool,
}

impl Ui {
    /// An informational line on stderr, unless `-q` (or `--json`, whose stdout is the result).
    pub fn note(&self, line: &str) {
        term::note(self.quiet, line);
    }
}
