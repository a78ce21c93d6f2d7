//! What a person sees on stderr: progress bars on a terminal, warnings,
//! errors with a hint. Part of the binary, not the library.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;

use hakobu::ops::{Notice, Phase, Progress};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use crate::cli::render;

/// A progress bar on stderr when it is a terminal and not `-q`.
pub struct Bar {
    bar: Mutex<Option<ProgressBar>>,
    enabled: bool,
    quiet: bool,
    /// While a phase runs no question is open: keys typed then (a
    /// passphrase typed ahead) are neither shown nor kept (issue #31).
    input: Mutex<Option<hakobu::ops::desktop::QuietInput>>,
}

impl Bar {
    pub fn new(quiet: bool) -> Self {
        Bar { bar: Mutex::new(None), enabled: !quiet && std::io::stderr().is_terminal(), quiet, input: Mutex::new(None) }
    }
}

impl Bar {
    /// Prints around the bar, so that a line never lands inside it.
    fn suspend(&self, print: impl FnOnce()) {
        match self.bar.lock().expect("bar lock").as_ref() {
            Some(bar) => bar.suspend(print),
            None => print(),
        }
    }
}

impl Bar {
    /// Shows `next` instead of the current bar, which is cleared.
    fn replace(&self, next: Option<ProgressBar>) {
        let showing = next.is_some();
        let mut slot = self.bar.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(old) = std::mem::replace(&mut *slot, next) {
            old.finish_and_clear();
        }
        let mut input = self.input.lock().unwrap_or_else(|e| e.into_inner());
        match (showing, input.is_some()) {
            (true, false) => *input = Some(hakobu::ops::desktop::quiet_input()),
            (false, true) => *input = None,
            _ => {}
        }
    }
}

/// An operation that fails or is cancelled mid-phase never calls `finish`:
/// the bar is cleared here, before the error is printed, so the error does
/// not land under a frozen bar (issue #12 §9).
impl Drop for Bar {
    fn drop(&mut self) {
        self.replace(None);
    }
}

impl Progress for Bar {
    fn start(&self, phase: Phase, total: u64) {
        if !self.enabled {
            return;
        }
        let color = std::env::var_os("NO_COLOR").is_none();
        if total == 0 {
            // A wait of unknown length (the final flush to the stick): a
            // spinner shows hakobu is still at work.
            let spinner = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            // `wide_msg`: the message cut to what the terminal leaves, so the
            // spinner stays one line and is cleared whole (a line the terminal
            // wrapped by itself was left behind, #26 item 3).
            let style = ProgressStyle::with_template("{spinner} {wide_msg} {took}").expect("valid template").with_key(
                "took",
                |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = w.write_str(&render::duration(s.elapsed()));
                },
            );
            spinner.set_style(style);
            spinner.set_message(render::phase(phase));
            spinner.enable_steady_tick(std::time::Duration::from_millis(120));
            self.replace(Some(spinner));
            return;
        }
        let target = ProgressDrawTarget::stderr();
        let columns = usize::from(console::Term::stderr().size().1);
        let bar = ProgressBar::with_draw_target(Some(total), target);
        // The bar takes what the terminal leaves (`wide_bar`) and a narrow
        // terminal gets fewer figures, so the line never wraps, whatever the
        // width of the words (Japanese is two columns a character). Sizes,
        // speed and time left in the chosen language, as summaries write them.
        let bar_part = if color { "[{wide_bar:.cyan/blue}]" } else { "[{wide_bar}]" };
        let figures = match columns {
            72.. => " {done}/{all} {rate} {left}",
            44.. => " {done}/{all}",
            _ => " {percent}%",
        };
        let template = format!("{{label}} {bar_part}{figures}");
        let label = pad_to_width(&render::phase(phase), 14);
        let style = ProgressStyle::with_template(&template)
            .expect("valid template")
            .progress_chars("=> ")
            .with_key("label", move |_: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = w.write_str(&label);
            })
            .with_key("done", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = w.write_str(&render::size(s.pos()));
            })
            .with_key("all", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = w.write_str(&render::size(s.len().unwrap_or(0)));
            })
            .with_key("rate", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = w.write_str(&render::rate(s.per_sec()));
            })
            .with_key("left", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = w.write_str(&render::time_left(s.eta()));
            });
        bar.set_style(style);
        self.replace(Some(bar));
    }

    fn advance(&self, bytes: u64) {
        if let Some(bar) = self.bar.lock().expect("bar lock").as_ref() {
            bar.inc(bytes);
        }
    }

    fn finish(&self) {
        self.replace(None);
    }

    fn notice(&self, notice: &Notice) {
        // A secret key on the stick is said even with -q: the user must act before the stick leaves.
        // Who signed is said before anything is released, with -q too (issue #32).
        let must_see = matches!(
            notice,
            Notice::DefaultKeyOnMedium { .. }
                | Notice::KeyLikeFileOnMedium { .. }
                | Notice::SignatureHolds { .. }
                | Notice::SignedAfterPacking { .. }
                | Notice::LedgerRecordNotWritten { .. }
        );
        if must_see || !self.quiet {
            // A signature that holds is good news, not a warning.
            if matches!(notice, Notice::SignatureHolds { .. }) {
                self.suspend(|| err_line(&render::notice(notice)));
            } else {
                self.suspend(|| warn(&render::notice(notice)));
            }
        }
    }
}

/// Writes a line to stdout; a closed pipe (`| head`) ends the program quietly.
/// On a terminal the line is cut to its width by the line-breaking rules
/// (#26 item 3), never inside a word (a key, a path, an id: what is
/// copied from the screen stays whole); to a pipe or a file it goes as it
/// is (scripts read one fact per line).
pub fn out(line: &str) {
    match crate::cli::wrap::stdout_columns() {
        Some(columns) => out_raw(&crate::cli::wrap::wrap_keeping_words(line, crate::cli::wrap::usable(columns))),
        None => out_raw(line),
    }
}

/// [`out`] without cutting: a line that must stay one line on the screen
/// too (a name and its key, copied from the terminal).
pub fn out_raw(line: &str) {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = writeln!(stdout, "{line}").and_then(|()| stdout.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        err_line(&crate::tr!("prefix-error", text = crate::tr!("error-stdout", detail = e.to_string())));
        std::process::exit(hakobu::error::exit::IO.into());
    }
}

/// An informational line on stderr, unless `-q`.
pub fn note(quiet: bool, line: &str) {
    if !quiet {
        err_line(line);
    }
}

/// A warning that must be seen: printed even with `-q`.
pub fn warn(line: &str) {
    err_line(&crate::tr!("prefix-warning", text = line));
}

/// Prints an error: what happened, details, what to do, and its kind code
/// (stable, for IT and scripts).
pub fn error(e: &hakobu::Error, op: render::Operation) {
    let message = render::error_in(e, op);
    let mut text = crate::tr!("prefix-error", text = message.title);
    text.push('\n');
    text.push_str(&crate::tr!("prefix-data", text = message.data));
    for detail in &message.details {
        text.push_str(&format!("\n  {detail}"));
    }
    if let Some(hint) = &message.hint {
        text.push('\n');
        text.push_str(&crate::tr!("prefix-hint", text = hint.as_str()));
    }
    text.push('\n');
    text.push_str(&crate::tr!("prefix-code", code = e.kind()));
    err_line(&text);
}

/// Writes `text` and a newline to stderr in one write, ignoring failure:
/// `eprintln!` would panic when stderr is closed or the medium behind it
/// fails, turning a documented exit code into 101. One write also keeps the
/// message whole when several processes share the terminal.
pub fn err_line(text: &str) {
    // Line by line through terminal_safe: the last line of defence against
    // control characters, keeping the line breaks of a multi-line message.
    let mut safe = String::with_capacity(text.len() + 1);
    for line in text.lines() {
        safe.push_str(&hakobu::format::paths::terminal_safe(line));
        safe.push('\n');
    }
    // On a terminal, cut to its width by the line-breaking rules (#26 item 3).
    if let Some(columns) = crate::cli::wrap::stderr_columns() {
        safe = crate::cli::wrap::wrap(safe.trim_end_matches('\n'), crate::cli::wrap::usable(columns));
        safe.push('\n');
    }
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(safe.as_bytes());
}

/// A line on stderr that must stay one line (a key to copy): made safe for
/// the terminal, never cut to its width.
pub fn err_raw(line: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{}", hakobu::format::paths::terminal_safe(line));
}

/// `text` followed by spaces up to `width` terminal columns (a Japanese
/// character takes two).
fn pad_to_width(text: &str, width: usize) -> String {
    let used = unicode_width::UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}

/// A refused command line in the catalogue's words, with clap's usage line.
pub fn usage_error(words: &str, e: &clap::Error) {
    err_line(&crate::tr!("prefix-error", text = words));
    // A refused command line did nothing (#26): said as every error says it.
    let data = render::data_outcome(hakobu::error::DataOutcome::NothingWritten, render::Operation::Other);
    err_line(&crate::tr!("prefix-data", text = data));
    let rendered = e.to_string();
    if let Some(usage) = rendered.lines().find_map(|l| l.trim().strip_prefix("Usage:")) {
        err_line(&crate::tr!("prefix-hint", text = crate::tr!("usage-hint", usage = usage.trim().to_owned())));
    }
    err_line(&crate::tr!("prefix-code", code = "usage"));
}
