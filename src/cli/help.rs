//! `--help` in the chosen language. clap's derive (args.rs) still parses;
//! the built command tree then takes every about and argument help from the
//! catalogue and, in Japanese, clap's headings too. The doc comments in
//! args.rs stay as the developers' description; what users read is here.
//!
//! Ids: `help-<command>-about` and `help-<command>-<argument id>`, where
//! `<command>` is `hakobu` or the subcommand path joined with `-`
//! (`ledger-list`). An argument without its own message takes its parent
//! command's (`help-ledger-json` serves every `ledger` subcommand), then the
//! shared `help-any-<id>` (`--quiet`, `--help`, ...). The `help` subcommand's
//! entries mirror the commands they name. Messages may use `$key`, the
//! default key file's path.

use clap::Command;

use super::i18n::{current, Lang, LOADER};
use super::wrap;
use crate::tr;

/// The command tree with its help texts from the catalogue.
pub fn localized(mut cmd: Command) -> Command {
    // Build first: clap adds --help, --version, the `help` subcommand and
    // the global arguments of each subcommand only while building.
    cmd.build();
    localize(cmd, "hakobu")
}

/// Every catalogue id the tree uses, and every about or argument that
/// finds none (for the catalogue's test).
#[cfg(test)]
pub fn ids(mut cmd: Command) -> (Vec<String>, Vec<String>) {
    cmd.build();
    let (mut used, mut missing) = (Vec::new(), Vec::new());
    collect(&cmd, "hakobu", &mut used, &mut missing);
    (used, missing)
}

#[cfg(test)]
fn collect(cmd: &Command, path: &str, used: &mut Vec<String>, missing: &mut Vec<String>) {
    let mut note = |found: Option<String>, wanted: String| match found {
        Some(id) => used.push(id),
        None => missing.push(wanted),
    };
    note(about_id(path), format!("help-{}-about", real(path)));
    for arg in cmd.get_arguments() {
        let id = arg.get_id().to_string();
        note(arg_id(path, &id), format!("help-{}-{id}", real(path)));
    }
    for sub in cmd.get_subcommands() {
        collect(sub, &sub_path(path, sub.get_name()), used, missing);
    }
    // The placeholders' Japanese names (#26 item 2): `help-value-<name>`, when there is one.
    for arg in cmd.get_arguments() {
        for name in arg.get_value_names().unwrap_or_default() {
            used.extend(has(&value_id(name)));
        }
    }
    used.extend(has("help-usage-options"));
    used.extend(has("help-usage-command"));
}

fn sub_path(path: &str, name: &str) -> String {
    if path == "hakobu" {
        name.to_owned()
    } else {
        format!("{path}-{name}")
    }
}

/// The command a path's help is about: `help-ledger-list` and
/// `ledger-help-list` (entries of the `help` subcommand) are `ledger-list`.
fn real(path: &str) -> String {
    let parts: Vec<&str> = path.split('-').collect();
    match parts.iter().position(|p| *p == "help") {
        Some(i) if i + 1 < parts.len() => parts.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, p)| *p).collect::<Vec<_>>().join("-"),
        _ => path.to_owned(),
    }
}

/// The catalogue id of a placeholder's name: `<DIR>` is `help-value-dir`.
fn value_id(name: &str) -> String {
    format!("help-value-{}", name.to_lowercase())
}

fn has(id: &str) -> Option<String> {
    LOADER.has(id).then(|| id.to_owned())
}

fn about_id(path: &str) -> Option<String> {
    let real = real(path);
    // The `help` subcommand itself (at any level).
    if real == "help" || real.ends_with("-help") {
        return has("help-any-help-about");
    }
    has(&format!("help-{real}-about"))
}

fn arg_id(path: &str, id: &str) -> Option<String> {
    let mut at = real(path);
    loop {
        if let Some(found) = has(&format!("help-{at}-{id}")) {
            return Some(found);
        }
        match at.rsplit_once('-') {
            Some((parent, _)) => at = parent.to_owned(),
            None if at != "hakobu" => at = "hakobu".to_owned(),
            None => break,
        }
    }
    has(&format!("help-any-{id}"))
}

/// A message with `$key`, the default key file's path.
fn text(id: &str) -> String {
    let key = match hakobu::keys::keyfile::default_identity_path() {
        Some(p) => p.display().to_string(),
        None => tr!("help-no-default-key"),
    };
    LOADER.get_args(id, std::collections::HashMap::from([("key", key)]))
}

/// clap's indent of a help text put on the line under its option.
const NEXT_LINE_INDENT: usize = 10;

fn localize(mut cmd: Command, path: &str) -> Command {
    let japanese = current() == Lang::Ja;
    // On a terminal, the texts are cut into lines here, by the line-breaking
    // rules (cli::wrap), and clap puts each under its option, indented: clap's
    // own wrapping breaks at spaces only, which Japanese does not have (#26 item 3).
    let columns = wrap::stdout_columns().map(wrap::usable);
    if columns.is_some() {
        cmd = cmd.next_line_help(true);
    }
    let fit = |text: String, indent: usize| match columns {
        Some(c) => wrap::wrap_flush(&text, c.saturating_sub(indent).max(20)),
        None => text,
    };
    if let Some(id) = about_id(path) {
        // One text for -h and --help: derive's long forms (from doc comments) go.
        cmd = cmd.about(fit(text(&id), 0)).long_about(None);
    }
    let args: Vec<(String, bool)> = cmd.get_arguments().map(|a| (a.get_id().to_string(), a.is_positional())).collect();
    for (id, positional) in args {
        let help = arg_id(path, &id).map(|found| fit(text(&found), NEXT_LINE_INDENT));
        cmd = cmd.mut_arg(&id, |mut a| {
            if let Some(help) = help {
                a = a.help(help).long_help(None);
            }
            if japanese {
                a = a.help_heading(if positional { tr!("help-heading-arguments") } else { tr!("help-heading-options") });
                // Placeholders named in Japanese (<DIR> is <フォルダー>): the usage line and the options' table.
                let names: Vec<String> = a
                    .get_value_names()
                    .unwrap_or_default()
                    .iter()
                    .map(|n| has(&value_id(n)).map_or_else(|| n.to_string(), |id| LOADER.get(&id)))
                    .collect();
                if !names.is_empty() {
                    a = a.value_names(names);
                }
            }
            a
        });
    }
    let subs: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_owned()).collect();
    for name in subs {
        let sub = sub_path(path, &name);
        cmd = cmd.mut_subcommand(&name, |s| localize(s, &sub));
    }
    if japanese {
        cmd = cmd.subcommand_help_heading(tr!("help-heading-commands")).help_template(tr!("help-template"));
        // clap writes [OPTIONS] and [COMMAND] itself: the usage line, rendered
        // with the Japanese placeholders above, with those two named too.
        let usage = cmd.render_usage().to_string();
        let usage = usage.trim_start().strip_prefix("Usage:").unwrap_or(&usage).trim().to_owned();
        let usage = usage
            .replace("[OPTIONS]", &format!("[{}]", tr!("help-usage-options")))
            .replace("[COMMAND]", &format!("[{}]", tr!("help-usage-command")))
            .replace("<COMMAND>", &format!("<{}>", tr!("help-usage-command")));
        // After 「使い方: 」 (eight columns), its continuation lines indented.
        let usage = match columns {
            Some(c) => wrap::wrap_synopsis(&usage, c.saturating_sub(8).max(20)),
            None => usage,
        };
        cmd = cmd.override_usage(usage);
    }
    cmd
}
