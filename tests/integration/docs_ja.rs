//! The Japanese documents (#14): the guides exist and link each other, use
//! the glossary's words, show only commands and flags the program has, and
//! the age crate's Japanese catalogue (contrib/age-ja) matches the age
//! version in Cargo.lock message for message.

use std::collections::BTreeSet;
use std::fs;
use std::path::PathBuf;
use std::process::Command;

use crate::support::hakobu_bin;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

const GUIDES: [&str; 5] =
    ["README.ja.md", "docs/ja/送る人へ.md", "docs/ja/受け取る人へ.md", "docs/ja/情報システム担当へ.md", "docs/ja/用語集.md"];

/// Words the glossary rules out for clerk-facing text (docs/ja/用語集.md,
/// "使わない言葉"); the glossary itself names them, so it is not checked.
const FORBIDDEN: [&str; 7] = ["パスワード", "解凍", "キャンセル", "ディレクトリ", "アドレス帳", "ポリシー", "イジェクト"];

fn read(rel: &str) -> String {
    fs::read_to_string(repo().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn guides_exist_and_link_each_other() {
    for g in GUIDES {
        let text = read(g);
        assert!(text.lines().count() > 20, "{g} is too short to be a guide");
    }
    let readme = read("README.md");
    let first_lines: String = readme.lines().take(5).collect::<Vec<_>>().join("\n");
    for g in GUIDES {
        assert!(first_lines.contains(g), "README.md's first lines do not link {g}");
    }
    // Every relative link in the Japanese documents resolves.
    for g in GUIDES {
        let dir = repo().join(g).parent().unwrap().to_owned();
        for target in markdown_links(&read(g)) {
            if target.starts_with("http") || target.starts_with('#') {
                continue;
            }
            let file = target.split('#').next().unwrap();
            assert!(dir.join(file).exists(), "{g} links {target}, which does not exist");
        }
    }
}

#[test]
fn guides_use_the_glossary_words() {
    let mut texts: Vec<(String, String)> = GUIDES[..4].iter().map(|g| (g.to_string(), read(g))).collect();
    let catalogue = repo().join("i18n/ja/hakobu.ftl");
    if catalogue.exists() {
        texts.push(("i18n/ja/hakobu.ftl".into(), fs::read_to_string(&catalogue).unwrap()));
    }
    for (name, text) in &texts {
        // The one allowed quote of another tool's word: the password ZIP files hakobu replaces.
        let text = &text.replace("パスワード付き ZIP", "");
        for word in FORBIDDEN {
            assert!(!text.contains(word), "{name} uses 「{word}」, which docs/ja/用語集.md rules out");
        }
        // フォルダー, never フォルダ.
        let short = text.match_indices("フォルダ").filter(|(i, _)| !text[i + "フォルダ".len()..].starts_with('ー')).count();
        assert_eq!(short, 0, "{name} writes フォルダ; the glossary's word is フォルダー");
    }
    // The glossary defines every term the guides rely on.
    let glossary = read("docs/ja/用語集.md");
    for term in [
        "アーカイブ",
        "暗号化して保存する",
        "展開する",
        "検証する",
        "宛先",
        "宛先帳",
        "鍵ファイル",
        "公開鍵",
        "パスフレーズ",
        "USBメモリ",
        "情報システム担当",
        "控えの鍵",
    ] {
        assert!(glossary.contains(&format!("| {term}")), "the glossary has no row for {term}");
    }
}

#[test]
fn commands_in_the_guides_exist() {
    let mut help_of = std::collections::HashMap::new();
    let mut checked = 0;
    for g in GUIDES {
        for line in code_lines(&read(g)) {
            let line = line.split('#').next().unwrap().trim();
            let Some(rest) = line.strip_prefix("hakobu ") else { continue };
            let words: Vec<&str> = rest.split_whitespace().collect();
            // A nested subcommand (`ledger list`) has flags of its own.
            let nested = words.len() > 1 && !words[1].starts_with('-') && {
                let out = Command::new(hakobu_bin()).args([words[0], "--help"]).env("HAKOBU_LANG", "en").output().unwrap();
                String::from_utf8_lossy(&out.stdout).contains("\nCommands:")
            };
            let sub = if nested { words[..2].join(" ") } else { words[0].to_owned() };
            let help = help_of.entry(sub.clone()).or_insert_with(|| {
                let out = Command::new(hakobu_bin()).args(sub.split(' ')).arg("--help").env("HAKOBU_LANG", "en").output().unwrap();
                assert!(out.status.success(), "{g}: `hakobu {sub}` is not a command");
                String::from_utf8_lossy(&out.stdout).into_owned()
            });
            for flag in words.iter().filter(|w| w.starts_with('-')) {
                let flag = flag.split('=').next().unwrap();
                let known = help.split(|c: char| c.is_whitespace() || c == ',' || c == '[' || c == ']').any(|w| w == flag);
                assert!(known, "{g}: `{line}` uses {flag}, which `hakobu {sub} --help` does not list");
            }
            checked += 1;
        }
    }
    assert!(checked >= 8, "only {checked} commands found in the guides' code blocks");
}

#[test]
fn the_age_crate_japanese_catalogue_matches_its_english_one() {
    let ja = read("contrib/age-ja/age.ftl");
    let en = fs::read_to_string(age_en_ftl()).unwrap();
    let (ja_ids, en_ids) = (message_ids(&ja), message_ids(&en));
    assert!(en_ids.len() > 40, "the age crate's en-US catalogue looks wrong: {} ids", en_ids.len());
    assert_eq!(ja_ids, en_ids, "contrib/age-ja/age.ftl and the age crate's en-US age.ftl differ in message IDs");
    // Every variable of an English message appears in its Japanese twin.
    for id in &en_ids {
        let (e, j) = (message_body(&en, id), message_body(&ja, id));
        for var in variables(&e) {
            assert!(j.contains(&var), "{id}: the Japanese text lacks {var}");
        }
    }
}

/// The en-US catalogue of the age version Cargo.lock pins, in cargo's
/// registry (present once `cargo test --locked` has fetched the crates).
fn age_en_ftl() -> PathBuf {
    let lock = read("Cargo.lock");
    let version = lock
        .split("[[package]]")
        .find(|p| p.contains("\nname = \"age\"\n"))
        .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = \"")))
        .map(|v| v.trim_end_matches('"').to_string())
        .expect("Cargo.lock has no age package");
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cargo"));
    let src = cargo_home.join("registry/src");
    for index in fs::read_dir(&src).unwrap_or_else(|e| panic!("{}: {e}", src.display())) {
        let candidate = index.unwrap().path().join(format!("age-{version}/i18n/en-US/age.ftl"));
        if candidate.exists() {
            return candidate;
        }
    }
    panic!("age-{version}'s i18n/en-US/age.ftl is not in {}", src.display());
}

fn message_ids(ftl: &str) -> BTreeSet<String> {
    ftl.lines()
        .filter(|l| !l.starts_with(' ') && !l.starts_with('#'))
        .filter_map(|l| l.split_once(" =").map(|(id, _)| id.trim().to_string()))
        .filter(|id| !id.is_empty())
        .collect()
}

fn message_body(ftl: &str, id: &str) -> String {
    let mut body = String::new();
    let mut inside = false;
    for line in ftl.lines() {
        if !line.starts_with(' ') && !line.is_empty() {
            inside = line.split_once(" =").is_some_and(|(i, _)| i.trim() == id);
        }
        if inside {
            body.push_str(line);
            body.push('\n');
        }
    }
    body
}

fn variables(body: &str) -> Vec<String> {
    body.split('{').skip(1).filter_map(|s| s.split_once('}')).map(|(v, _)| format!("{{{v}}}")).collect()
}

fn code_lines(md: &str) -> Vec<String> {
    let mut inside = false;
    let mut lines = Vec::new();
    for line in md.lines() {
        if line.trim_start().starts_with("```") {
            inside = !inside;
        } else if inside {
            lines.push(line.trim().to_string());
        }
    }
    lines
}

fn markdown_links(md: &str) -> Vec<String> {
    md.split("](").skip(1).filter_map(|s| s.split_once(')')).map(|(t, _)| t.to_string()).collect()
}

/// Every error's kind code (what `code:` shows) is explained in a Japanese guide.
#[test]
fn every_error_code_is_in_a_guide() {
    let source = read("src/error.rs");
    let codes: BTreeSet<String> = source
        .lines()
        .map(str::trim)
        .filter(|l| l.ends_with("\",") || l.ends_with('"'))
        .filter_map(|l| l.split_once("=> \"").map(|(_, rest)| rest.trim_end_matches(',').trim_end_matches('"').to_string()))
        .filter(|c| !c.is_empty() && c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-'))
        .collect();
    assert!(codes.len() > 60, "only {} codes read from src/error.rs", codes.len());
    let guides: String = GUIDES.iter().map(|g| read(g)).collect();
    let missing: Vec<&String> = codes.iter().filter(|c| !guides.contains(&format!("`{c}`"))).collect();
    assert!(missing.is_empty(), "codes no Japanese guide explains: {missing:?}");
}
