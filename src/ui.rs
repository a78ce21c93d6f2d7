//! What a person sees on stderr: progress bars on a terminal, warnings,
//! errors with a hint. Part of the binary, not the library.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;

use hakobu::progress::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress bar on stderr when it is a terminal and not `-q`.
pub struct Bar {
    bar: Mutex<Option<ProgressBar>>,
    enabled: bool,
    quiet: bool,
}

impl Bar {
    pub fn new(quiet: bool) -> Self {
        Bar { bar: Mutex::new(None), enabled: !quiet && std::io::stderr().is_terminal(), quiet }
    }
}

impl Progress for Bar {
    fn start(&self, phase: &str, total: u64) {
        if !self.enabled {
            return;
        }
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        let color = std::env::var_os("NO_COLOR").is_none();
        let template = if color {
            "{msg:12} [{bar:30.cyan/blue}] {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta}"
        } else {
            "{msg:12} [{bar:30}] {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta}"
        };
        bar.set_style(ProgressStyle::with_template(template).expect("valid template").progress_chars("=> "));
        bar.set_message(phase.to_owned());
        *self.bar.lock().expect("bar lock") = Some(bar);
    }

    fn advance(&self, bytes: u64) {
        if let Some(bar) = self.bar.lock().expect("bar lock").as_ref() {
            bar.inc(bytes);
        }
    }

    fn finish(&self) {
        if let Some(bar) = self.bar.lock().expect("bar lock").take() {
            bar.finish_and_clear();
        }
    }

    fn warn(&self, message: &str) {
        if !self.quiet {
            eprintln!("warning: {}", hakobu::paths::terminal_safe(message));
        }
    }
}

/// Writes a line to stdout; a closed pipe (`| head`) ends the program quietly.
pub fn out(line: &str) {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = writeln!(stdout, "{line}").and_then(|()| stdout.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: cannot write to standard output: {e}");
        std::process::exit(hakobu::error::exit::IO.into());
    }
}

/// An informational line on stderr, unless `-q`.
pub fn note(quiet: bool, line: &str) {
    if !quiet {
        eprintln!("{line}");
    }
}

/// Prints an error and its hint.
pub fn error(e: &hakobu::Error) {
    use hakobu::paths::terminal_safe;
    eprintln!("error: {}", terminal_safe(&e.to_string()));
    if let Some(hint) = e.hint() {
        eprintln!("hint: {}", terminal_safe(&hint));
    }
}
