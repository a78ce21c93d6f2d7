//! The CLI's languages: Japanese and English messages from the Fluent
//! catalogues in `i18n/<lang>/hakobu.ftl`, embedded in the binary.
//!
//! The language is chosen once, at start: `HAKOBU_LANG=ja|en` first, then
//! the locale variables (`LC_ALL`, `LC_MESSAGES`, `LANG`, in POSIX order),
//! then the system's UI language (Windows). Japanese when that says `ja`,
//! English otherwise. The age crate is told the same languages, so its own
//! strings (few reach the user: hakobu prompts itself) follow.

use std::sync::LazyLock;

use i18n_embed::fluent::{fluent_language_loader, FluentLanguageLoader};
use i18n_embed::unic_langid::LanguageIdentifier;
use i18n_embed::LanguageLoader;
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "i18n"]
pub(crate) struct Catalogues;

pub static LOADER: LazyLock<FluentLanguageLoader> = LazyLock::new(|| {
    let loader = fluent_language_loader!();
    // Fluent's isolation marks (U+2068/U+2069) around every argument would
    // reach the terminal, pinentry dialogs and log files as invisible
    // characters; names are escaped by render.rs instead.
    let fallback: LanguageIdentifier = "en-US".parse().expect("valid language id");
    loader.load_languages(&Catalogues, &[fallback]).expect("the en-US catalogue is embedded");
    loader.set_use_isolating(false);
    loader
});

/// A message of the catalogue, in the chosen language.
#[macro_export]
macro_rules! tr {
    ($id:literal) => {{
        i18n_embed_fl::fl!($crate::cli::i18n::LOADER, $id)
    }};
    ($id:literal, $($args:tt)*) => {{
        i18n_embed_fl::fl!($crate::cli::i18n::LOADER, $id, $($args)*)
    }};
}

/// The languages hakobu speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Ja,
}

/// Chooses the language from the environment and loads its catalogue
/// (English stays loaded underneath, for any message not yet translated).
pub fn init() {
    let lang = chosen(|name| std::env::var(name).ok(), sys_locale::get_locale);
    let ids: Vec<LanguageIdentifier> = match lang {
        Lang::Ja => vec!["ja".parse().expect("valid"), "en-US".parse().expect("valid")],
        Lang::En => vec!["en-US".parse().expect("valid")],
    };
    let _ = LOADER.load_languages(&Catalogues, &ids);
    // Loading makes new bundles, which isolate again by default.
    LOADER.set_use_isolating(false);
    let _ = age::localizer().select(&ids);
    CURRENT.set(lang).ok();
}

static CURRENT: std::sync::OnceLock<Lang> = std::sync::OnceLock::new();

/// The language chosen by [`init`] (English before it ran).
pub fn current() -> Lang {
    CURRENT.get().copied().unwrap_or(Lang::En)
}

/// The decision, from a way to read variables and the system's UI language.
fn chosen(var: impl Fn(&str) -> Option<String>, system: impl Fn() -> Option<String>) -> Lang {
    if let Some(forced) = var("HAKOBU_LANG").filter(|v| !v.is_empty()) {
        return if is_japanese(&forced) { Lang::Ja } else { Lang::En };
    }
    // POSIX: the first of these that is set and not empty decides.
    for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        if let Some(value) = var(name).filter(|v| !v.is_empty()) {
            return if is_japanese(&value) { Lang::Ja } else { Lang::En };
        }
    }
    match system() {
        Some(tag) if is_japanese(&tag) => Lang::Ja,
        _ => Lang::En,
    }
}

/// `ja`, `ja_JP.UTF-8`, `ja-JP`, `Japanese_Japan.932`.
fn is_japanese(locale: &str) -> bool {
    let lower = locale.to_ascii_lowercase();
    lower == "ja" || lower.starts_with("ja_") || lower.starts_with("ja-") || lower.starts_with("ja.") || lower.starts_with("japanese")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decide(vars: &[(&str, &str)], system: Option<&str>) -> Lang {
        let vars: Vec<(String, String)> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        chosen(|name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()), || system.map(String::from))
    }

    #[test]
    fn the_override_comes_first_then_posix_order_then_the_system() {
        assert_eq!(decide(&[("HAKOBU_LANG", "ja"), ("LANG", "C.UTF-8")], None), Lang::Ja);
        assert_eq!(decide(&[("HAKOBU_LANG", "en"), ("LANG", "ja_JP.UTF-8")], None), Lang::En);
        assert_eq!(decide(&[("LANG", "ja_JP.UTF-8")], None), Lang::Ja);
        assert_eq!(decide(&[("LC_ALL", "C"), ("LANG", "ja_JP.UTF-8")], None), Lang::En);
        assert_eq!(decide(&[("LC_MESSAGES", "ja_JP.eucJP"), ("LANG", "en_US.UTF-8")], None), Lang::Ja);
        assert_eq!(decide(&[("LC_ALL", ""), ("LANG", "ja_JP.UTF-8")], None), Lang::Ja);
        assert_eq!(decide(&[], Some("ja-JP")), Lang::Ja);
        assert_eq!(decide(&[], Some("en-US")), Lang::En);
        assert_eq!(decide(&[], None), Lang::En);
        assert_eq!(decide(&[("LANG", "jam_JM")], None), Lang::En);
    }

    /// The ids of a catalogue: every line that starts a message.
    fn ids(ftl: &str) -> std::collections::BTreeSet<String> {
        ftl.lines()
            .filter(|l| l.starts_with(|c: char| c.is_ascii_lowercase()))
            .filter_map(|l| l.split_once(" =").map(|(id, _)| id.to_string()))
            .collect()
    }

    /// Every `tr!("id"` in the front-end's sources.
    fn used_ids() -> std::collections::BTreeSet<String> {
        let mut used = std::collections::BTreeSet::new();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        for entry in walkdir::WalkDir::new(root) {
            let entry = entry.unwrap();
            // This file defines the macro and names it in its tests; it uses no message.
            if entry.path().extension().is_some_and(|e| e == "rs") && !entry.path().ends_with("cli/i18n.rs") {
                let source = std::fs::read_to_string(entry.path()).unwrap();
                for part in source.split("tr!(").skip(1) {
                    if let Some(rest) = part.trim_start().strip_prefix('"') {
                        used.insert(rest.split('"').next().unwrap().to_string());
                    }
                }
            }
        }
        used
    }

    #[test]
    fn both_catalogues_hold_the_same_messages_and_all_are_used() {
        let en = ids(include_str!("../../i18n/en-US/hakobu.ftl"));
        let ja = ids(include_str!("../../i18n/ja/hakobu.ftl"));
        assert!(en.len() > 50, "{} ids", en.len());
        let only_en: Vec<_> = en.difference(&ja).collect();
        let only_ja: Vec<_> = ja.difference(&en).collect();
        assert!(only_en.is_empty() && only_ja.is_empty(), "not in ja: {only_en:?}; not in en-US: {only_ja:?}");
        let mut used = used_ids();
        // --help's messages are looked up by computed ids (cli/help.rs).
        let (help_used, help_missing) = crate::cli::help::ids(<crate::cli::args::Cli as clap::CommandFactory>::command());
        used.extend(help_used);
        let unused: Vec<_> = en.difference(&used).collect();
        let unknown: Vec<_> = used.difference(&en).collect();
        if std::env::var_os("HAKOBU_DUMP_HELP").is_some() {
            // Prints the --help entries the catalogue lacks, with clap's English, to paste in.
            dump_missing_help();
        }
        assert!(unused.is_empty(), "catalogue messages no code uses: {unused:?}");
        assert!(help_missing.is_empty(), "--help texts the catalogue lacks (HAKOBU_DUMP_HELP=1 prints them): {help_missing:?}");
        assert!(unknown.is_empty(), "messages the code uses that the catalogue lacks: {unknown:?}");
    }

    #[test]
    fn japanese_text_uses_the_glossary_words() {
        let ja = include_str!("../../i18n/ja/hakobu.ftl");
        for word in ["パスワード", "解凍", "キャンセル", "ディレクトリ", "アドレス帳", "ポリシー"] {
            assert!(!ja.contains(word), "i18n/ja/hakobu.ftl uses 「{word}」 (docs/ja/用語集.md)");
        }
    }

    /// A catalogue's messages as (id, text), continuation lines joined.
    fn messages(ftl: &str) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for line in ftl.lines() {
            if line.starts_with(|c: char| c.is_ascii_lowercase()) {
                if let Some((id, text)) = line.split_once(" = ") {
                    out.push((id.to_string(), text.to_string()));
                    continue;
                }
            }
            if line.starts_with(' ') {
                if let Some(last) = out.last_mut() {
                    last.1.push_str(line.trim());
                }
            }
        }
        out
    }

    /// What happened to the data is said once, by its own line (#26): no
    /// error, hint or cancel message says one of the `data-*` sentences
    /// again (each sentence of them, cut at 。 or a period).
    #[test]
    fn no_error_message_repeats_what_happened_to_the_data() {
        for ftl in [include_str!("../../i18n/ja/hakobu.ftl"), include_str!("../../i18n/en-US/hakobu.ftl")] {
            let all = messages(ftl);
            let sentences: Vec<String> = all
                .iter()
                .filter(|(id, _)| id.starts_with("data-"))
                .flat_map(|(_, t)| {
                    t.split_inclusive(['。', ':', ';'])
                        .map(|p| p.trim_end_matches(['。', '.', ':', ';']).trim().to_lowercase())
                        .collect::<Vec<_>>()
                })
                .filter(|p| p.chars().count() >= 6)
                .collect();
            assert!(sentences.len() >= 10, "{sentences:?}");
            let mut found = Vec::new();
            for (id, text) in &all {
                let said = ["error-", "hint-", "cancelled", "interrupted", "guided-error-"].iter().any(|p| id.starts_with(p));
                let lower = text.to_lowercase();
                for s in sentences.iter().filter(|s| said && lower.contains(s.as_str())) {
                    found.push(format!("{id}: 「{s}」"));
                }
            }
            assert!(
                found.is_empty(),
                "messages that say what happened to the data themselves (the data line says it):\n{}",
                found.join("\n")
            );
        }
    }

    /// Every error kind has an outcome: `Error::data_outcome` matches every
    /// variant by name, with no catch-all arm that would give a new kind an
    /// outcome nobody decided (#26).
    #[test]
    fn every_error_kind_has_a_decided_data_outcome() {
        let source = include_str!("../error.rs");
        let enum_body = source.split("pub enum Error {").nth(1).unwrap().split("\n}\n").next().unwrap();
        let variants: Vec<&str> = enum_body
            .lines()
            .filter_map(|l| l.strip_prefix("    "))
            .filter(|l| l.starts_with(|c: char| c.is_ascii_uppercase()))
            .map(|l| l.split([' ', '{', '(', ',']).next().unwrap())
            .collect();
        assert!(variants.len() > 80, "{} variants: is the parse still right?", variants.len());
        let body = source.split("pub fn data_outcome(&self) -> DataOutcome {").nth(1).unwrap().split("\n    }\n").next().unwrap();
        assert!(!body.contains("_ =>"), "data_outcome has a catch-all arm");
        let named: std::collections::BTreeSet<&str> = body.split(|c: char| !c.is_ascii_alphanumeric()).collect();
        let missing: Vec<&&str> = variants.iter().filter(|v| !named.contains(**v)).collect();
        assert!(missing.is_empty(), "error kinds without a decided outcome: {missing:?}");
        // Every outcome has a stable, distinct JSON code.
        let codes: std::collections::BTreeSet<_> = hakobu::error::DataOutcome::ALL.iter().map(|o| o.code()).collect();
        assert_eq!(codes.len(), hakobu::error::DataOutcome::ALL.len());
    }

    fn dump_missing_help() {
        let mut cmd = <crate::cli::args::Cli as clap::CommandFactory>::command();
        let (_, missing) = crate::cli::help::ids(cmd.clone());
        cmd.build();
        fn walk(cmd: &clap::Command, path: &str, missing: &[String]) {
            let about = format!("help-{path}-about");
            if missing.contains(&about) {
                println!("{about} = {}", cmd.get_about().map(|a| a.to_string()).unwrap_or_default());
            }
            for a in cmd.get_arguments() {
                let id = format!("help-{path}-{}", a.get_id());
                if missing.contains(&id) {
                    println!("{id} = {}", a.get_help().map(|h| h.to_string()).unwrap_or_default());
                }
            }
            for s in cmd.get_subcommands() {
                let p = if path == "hakobu" { s.get_name().to_owned() } else { format!("{path}-{}", s.get_name()) };
                walk(s, &p, missing);
            }
        }
        walk(&cmd, "hakobu", &missing);
    }

    /// Lines of the front-end allowed to hold English words in a string:
    /// content of files hakobu writes, or other programs' words it matches, not words shown to people.
    const NOT_WORDS: [&str; 3] = [
        "# hakobu demo: an empty address book",
        // age's English warning, matched to say it in hakobu's words (cli/prompt.rs).
        "Warning: encrypted identity file '",
        "' didn't match file's recipients",
    ];

    /// A string literal with two English words in a row, outside the
    /// catalogue, is a message someone forgot to put in it.
    #[test]
    fn no_english_sentence_outside_the_catalogue() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut found = Vec::new();
        let files = walkdir::WalkDir::new(root.join("cli")).into_iter().map(|e| e.unwrap().into_path()).chain([root.join("main.rs")]);
        for path in files.filter(|p| p.extension().is_some_and(|e| e == "rs")) {
            let source = std::fs::read_to_string(&path).unwrap();
            for (n, line) in source.lines().enumerate() {
                // Tests and what follows them are for developers.
                if line.trim_start().starts_with("#[cfg(test)]") {
                    break;
                }
                let code = line.trim_start();
                let for_developers = ["//", "#[", "assert", "panic!", "unreachable!", "debug_assert"].iter().any(|p| code.starts_with(p))
                    || [".expect(\"", "tr!(", "LOADER.get"].iter().any(|p| code.contains(p));
                if for_developers || NOT_WORDS.iter().any(|w| line.contains(w)) {
                    continue;
                }
                for literal in line.split('"').skip(1).step_by(2) {
                    let words: Vec<&str> = literal.split(' ').collect();
                    let sentence =
                        words.windows(2).any(|w| w.iter().all(|x| x.len() >= 2 && x.chars().all(|c| c.is_ascii_lowercase() || c == '\'')));
                    if sentence {
                        found.push(format!("{}:{}: {literal:?}", path.display(), n + 1));
                    }
                }
            }
        }
        assert!(found.is_empty(), "English words outside the catalogue (put them in i18n/*/hakobu.ftl):\n{}", found.join("\n"));
    }
}
