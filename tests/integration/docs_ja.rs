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

// ── The guides agree with the program (issue #25) ──────────────────────────
//
// Every command example in docs/ja/*.md is parsed by the program's own
// argument parser; the IT guide's commands for working without hakobu are
// run on a real archive (Linux) and, for Windows, checked for what breaks
// binary data in PowerShell and cmd; each screen line the clerk guides show
// is a message of the Japanese catalogue; what keygen does with an empty
// passphrase and what pack prints are compared with the real program.

/// Code blocks of a Markdown text with their language tag (`""` when none).
fn tagged_blocks(md: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut inside: Option<(String, String)> = None;
    for line in md.lines() {
        let trimmed = line.trim_start();
        if let Some(tag) = trimmed.strip_prefix("```") {
            match inside.take() {
                Some(block) => blocks.push(block),
                None => inside = Some((tag.trim().to_owned(), String::new())),
            }
            continue;
        }
        if let Some((_, text)) = inside.as_mut() {
            text.push_str(trimmed);
            text.push('\n');
        }
    }
    blocks
}

/// The guides under docs/ja and the Japanese README.
fn japanese_docs() -> Vec<String> {
    let mut docs: Vec<String> = fs::read_dir(repo().join("docs/ja"))
        .unwrap()
        .map(|e| format!("docs/ja/{}", e.unwrap().file_name().to_string_lossy()))
        .filter(|p| p.ends_with(".md"))
        .collect();
    docs.push("README.ja.md".into());
    docs.sort();
    docs
}

/// clap's own words when it cannot parse a command line.
const PARSE_ERRORS: [&str; 6] = [
    "error: unexpected argument",
    "error: unrecognized subcommand",
    "error: the following required arguments were not provided",
    "error: invalid value",
    "error: a value is required",
    "cannot be used with",
];

#[test]
fn every_hakobu_command_in_the_japanese_docs_parses() {
    let sandbox = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for doc in japanese_docs() {
        for (_, block) in tagged_blocks(&read(&doc)) {
            for line in block.lines() {
                // A table of commands and what they do: the command ends at two spaces.
                let line = line.split(" #").next().unwrap().split("  ").next().unwrap().trim();
                let Some(rest) = line.strip_prefix("hakobu ") else { continue };
                let args: Vec<&str> = rest.split_whitespace().collect();
                // In an empty folder with no terminal: the command fails for want of
                // files or keys, never for want of a parse.
                let out = Command::new("timeout")
                    .arg("60")
                    .arg(hakobu_bin())
                    .args(&args)
                    .current_dir(sandbox.path())
                    .env("HOME", sandbox.path())
                    .env("XDG_CONFIG_HOME", sandbox.path().join("config"))
                    .env("XDG_DATA_HOME", sandbox.path().join("data"))
                    .env("PINENTRY_PROGRAM", sandbox.path().join("no-pinentry"))
                    .env_remove("HAKOBU_CONFIG")
                    .env_remove("HAKOBU_IDENTITY")
                    .env("HAKOBU_LANG", "en")
                    .stdin(std::process::Stdio::null())
                    .output()
                    .unwrap();
                let err = String::from_utf8_lossy(&out.stderr);
                assert_ne!(out.status.code(), Some(124), "{doc}: `{line}` did not finish");
                for words in PARSE_ERRORS {
                    assert!(!err.contains(words), "{doc}: `{line}` is not a command the program takes:\n{err}");
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 25, "only {checked} hakobu commands found in the Japanese docs");
}

/// The IT guide's example archive name, which the test gives its archives.
const EXAMPLE: &str = "k7tq-4mzp-x2wd-9hbr";

#[test]
fn the_it_guides_commands_without_hakobu_work_on_linux() {
    for tool in ["age", "tar", "sha256sum", "ssh-keygen", "bash"] {
        if !crate::support::require(tool) {
            return;
        }
    }
    let guide = read("docs/ja/情報システム担当へ.md");
    let s = crate::support::Session::new();
    write_tree(&s.path("data"));
    let sk = s.path("signing_key");
    let out = crate::support::run_ok(s.dir.path(), &["keygen", "--sign", "--no-passphrase", "-o", sk.to_str().unwrap()]);
    let signer = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    // One archive whole, one in volumes, both signed, both named as in the guide.
    for (dir, extra) in [("single", &[][..]), ("split", &["--split", "64K"][..])] {
        fs::create_dir(s.path(dir)).unwrap();
        let mut args = vec!["pack", "data", "-o", dir, "-r", &s.recipient, "--name", EXAMPLE, "--sign", sk.to_str().unwrap(), "-q"];
        args.extend_from_slice(extra);
        s.run_ok(&args);
        fs::write(s.path(dir).join("allowed_signers"), format!("本社 {signer}\n")).unwrap();
    }
    assert!(s.path(format!("split/{EXAMPLE}.age.002").as_str()).is_file(), "the split archive has one volume only");
    // Sections 1 to 4 (working without hakobu, and checking archives); later
    // sections' sh blocks are an administrator's (sudo install …), not run here.
    let part = guide.split("\n## 5.").next().unwrap();
    let mut ran = 0;
    for (tag, block) in tagged_blocks(part) {
        if tag != "sh" {
            continue;
        }
        for line in block.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with("hakobu ") && !l.starts_with('#')) {
            // A command about volumes runs beside the volumes, any other beside the archive.
            let dir = if line.contains(".age.0") || line.starts_with("cat ") { "split" } else { "single" };
            // The guide's stick (/media/usb) is the folder the archive is in.
            let cmd = line.replace("鍵ファイル", s.key.to_str().unwrap()).replace("/media/usb/", "./");
            let out = Command::new("bash").args(["-o", "pipefail", "-c", &cmd]).current_dir(s.path(dir)).output().unwrap();
            assert!(
                out.status.success(),
                "the IT guide's `{line}` failed in {dir}/ ({:?}):\n{}{}\n{}",
                out.status.code(),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr),
                crate::support::listing(&s.path(dir))
            );
            ran += 1;
        }
    }
    assert!(ran >= 5, "only {ran} commands without hakobu found in the IT guide's sh blocks");
    // What `age | tar` took out is the data, and `sha256sum -c .hakobu/SHA256SUMS` checked it.
    crate::support::assert_same_tree(&s.path("data"), &s.path("single/data"));
}

fn write_tree(dir: &std::path::Path) {
    crate::support::write(&dir.join("名簿.csv"), "番号,氏名\n1,架空 太郎\n".as_bytes());
    crate::support::write(&dir.join("健診/結果.bin"), &crate::support::synthetic_bytes(31, 200_000));
}

#[test]
fn the_it_guides_windows_commands_keep_binary_data_whole() {
    let guide = read("docs/ja/情報システム担当へ.md");
    let blocks = tagged_blocks(&guide);
    let (mut powershell, mut cmd) = (0, 0);
    for (tag, block) in &blocks {
        for line in block.lines().map(str::trim).filter(|l| !l.is_empty()) {
            match tag.as_str() {
                "powershell" => {
                    powershell += 1;
                    // PowerShell has no sha256sum or `<`; its cat/copy and its pipes treat bytes as text.
                    let own = line.strip_prefix("cmd /c ").is_none();
                    for bad in ["sha256sum", "cat ", "copy /b", "<", "| age", "| tar", "| ssh-keygen", "Get-Content -Raw"] {
                        assert!(
                            !(own && line.contains(bad)),
                            "PowerShell block: `{line}` uses {bad:?}, which breaks binary data or does not exist there"
                        );
                    }
                }
                "bat" | "cmd" => {
                    cmd += 1;
                    for bad in ["sha256sum", "cat ", "|", "Get-FileHash"] {
                        assert!(
                            !line.contains(bad),
                            "cmd block: `{line}` uses {bad:?}, which cmd does not have or which breaks binary data"
                        );
                    }
                }
                _ => {}
            }
        }
    }
    assert!(powershell >= 3 && cmd >= 3, "the IT guide gives Windows commands for PowerShell ({powershell}) and cmd ({cmd})");
    // The checksum, the joining of volumes, the signature: each for PowerShell and for cmd.
    let text_of = |t: &[&str]| blocks.iter().filter(|(tag, _)| t.contains(&tag.as_str())).map(|(_, b)| b.as_str()).collect::<String>();
    let (ps, bat) = (text_of(&["powershell"]), text_of(&["bat", "cmd"]));
    assert!(ps.contains("Get-FileHash") && bat.contains("certutil -hashfile"), "checksums on Windows");
    assert!(ps.contains("cmd /c copy /b") && bat.contains("copy /b"), "joining volumes on Windows");
    assert!(ps.contains("ssh-keygen -Y verify"), "the signature from PowerShell");
    // Nowhere in the guide's text a Unix tool offered as if Windows had it.
    for line in guide.lines().filter(|l| l.contains("PowerShell") || l.contains("コマンドプロンプト")) {
        assert!(!line.contains("sha256sum") && !line.contains("`cat "), "{line}");
    }
}

#[test]
fn the_receivers_guide_says_what_keygen_does_with_an_empty_passphrase() {
    if !crate::support::require("script") {
        return;
    }
    let guide = read("docs/ja/受け取る人へ.md");
    let section = guide.split("## 1.").nth(1).and_then(|s| s.split("## 2.").next()).expect("受け取る人へ: section 1");
    // The program: an empty answer is asked again with these words, and no key is written.
    let dir = tempfile::tempdir().unwrap();
    let program = vec![hakobu_bin().display().to_string(), "keygen".into(), "-o".into(), "key.txt".into()];
    let (code, screen) = crate::guided::drive_program(
        dir.path(),
        &[("HAKOBU_LANG", "ja")],
        &program,
        &[("パスフレーズを入力してください", "\r"), ("空のパスフレーズでは鍵を守れません", "\x03")],
    );
    assert_eq!(code, Some(130), "{screen}");
    assert!(!dir.path().join("key.txt").exists(), "{screen}");
    let said = "空のパスフレーズでは鍵を守れません。入力してください";
    assert!(screen.contains(said), "keygen's words for an empty passphrase changed:\n{screen}");
    // The guide: the same words, and no promise of a generated passphrase.
    assert!(section.contains(said), "受け取る人へ section 1 does not say what keygen does with an empty passphrase (「{said}」)");
    assert!(!section.contains("パスフレーズを作って"), "受け取る人へ section 1 promises a generated passphrase, which keygen refuses");
}

/// Every message of the Japanese catalogue as literal pieces between its placeables.
fn catalogue_messages() -> Vec<(String, Vec<String>)> {
    let ftl = read("i18n/ja/hakobu.ftl");
    let mut out = Vec::new();
    for line in ftl.lines() {
        if line.starts_with(' ') || line.starts_with('#') {
            continue;
        }
        let Some((id, value)) = line.split_once(" = ") else { continue };
        if value.contains("->") || value.trim().is_empty() {
            continue;
        }
        // A message that is all placeables would explain any line.
        let literal: String = value.split('{').map(|p| p.split_once('}').map(|(_, l)| l).unwrap_or(p)).collect();
        if literal.trim().chars().count() < 2 {
            continue;
        }
        let mut pieces = vec![String::new()];
        let mut rest = value;
        while let Some(open) = rest.find('{') {
            pieces.last_mut().unwrap().push_str(&rest[..open]);
            let close = rest[open..].find('}').map(|c| open + c + 1).unwrap_or(rest.len());
            pieces.push(String::new());
            rest = &rest[close..];
        }
        pieces.last_mut().unwrap().push_str(rest);
        out.push((id.trim().to_owned(), pieces));
    }
    out
}

/// How much of `line` a message with these pieces covers from its start (a
/// placeable takes one or more characters), if it matches there.
fn covers(pieces: &[String], line: &str) -> Option<usize> {
    fn go(pieces: &[String], line: &str, at: usize) -> Option<usize> {
        let Some((first, rest)) = pieces.split_first() else { return Some(at) };
        if !line[at..].starts_with(first.as_str()) {
            return None;
        }
        let at = at + first.len();
        if rest.is_empty() {
            return Some(at);
        }
        // A placeable: try every end, shortest first, keeping the rest matching.
        let mut ends: Vec<usize> = line[at..].char_indices().skip(1).map(|(i, _)| at + i).collect();
        ends.push(line.len());
        for end in ends {
            if let Some(done) = go(rest, line, end) {
                return Some(done);
            }
        }
        None
    }
    go(pieces, line, 0)
}

/// The yes/no questions: what follows them on screen is the program's own words.
const CONFIRMS: [&str; 2] = ["guided-ask-go", "guided-ask-open"];

/// A screen line is the program's: one catalogue message, then nothing, a
/// second message, or what the person typed (never after a yes/no question).
fn explained(line: &str, messages: &[(String, Vec<String>)], depth: u8) -> bool {
    let line = line.trim();
    messages.iter().any(|(id, pieces)| {
        let Some(end) = covers(pieces, line) else { return false };
        let rest = line[end..].trim();
        rest.is_empty()
            || (depth == 0 && explained(rest, messages, 1))
            || (!CONFIRMS.contains(&id.as_str()) && pieces.iter().any(|p| p.ends_with('）') || p.ends_with("ください")))
    })
}

#[test]
fn the_screens_in_the_clerks_guides_are_the_programs_words() {
    let messages = catalogue_messages();
    assert!(messages.len() > 200, "only {} messages read from the catalogue", messages.len());
    // Items of a list that are data, not words of the program: the data
    // categories (docs/LEDGER.md's list, the default of [ledger] categories)
    // and the guides' example offices.
    let ledger_doc = read("docs/LEDGER.md");
    let suggested = ledger_doc.split("IT writes its own):").nth(1).and_then(|t| t.split("\n\n").next()).unwrap_or_default();
    let mut data: Vec<String> =
        suggested.split(',').map(|c| c.split_whitespace().collect::<String>().trim_end_matches('.').to_owned()).collect();
    assert!(data.len() >= 5, "docs/LEDGER.md's suggested categories: {data:?}");
    data.extend(["本社", "千葉支部"].map(String::from));
    let mut lines = 0;
    for doc in ["docs/ja/送る人へ.md", "docs/ja/受け取る人へ.md"] {
        for (tag, block) in tagged_blocks(&read(doc)) {
            // What `hakobu pack` prints is compared with a real pack (below).
            if tag != "text" || is_pack_output(&block) {
                continue;
            }
            for line in block.lines().filter(|l| !l.trim().is_empty()) {
                // dialoguer marks the chosen item with "> " and the text cursor with "|".
                let shown = line.trim().trim_start_matches("> ").trim_end_matches('|');
                assert!(
                    explained(shown, &messages, 0) || data.contains(&shown.trim().to_owned()),
                    "{doc}: the screen line 「{line}」 is not what the program shows (i18n/ja/hakobu.ftl)"
                );
                lines += 1;
            }
        }
    }
    assert!(lines >= 10, "only {lines} screen lines in the clerks' guides");
}

/// The senders' guide's block of what `hakobu pack` prints (it ends with the archive).
fn is_pack_output(block: &str) -> bool {
    block.lines().last().is_some_and(|l| l.trim().ends_with(".age")) && block.contains("暗号化しました")
}

/// A line with its variable parts made alike: numbers, shortened keys, the archive's path.
fn normalised(line: &str, archive: &str) -> String {
    let line = line.trim().replace(archive, "ARCHIVE");
    let mut out = String::new();
    let mut words = line.split(' ').peekable();
    while let Some(w) = words.next() {
        // `(age1abcdefgh…uvwxyz)`: a key shortened for the screen.
        let w = if w.starts_with("(age1") && w.contains('…') { "(KEY)" } else { w };
        out.push_str(w);
        if words.peek().is_some() {
            out.push(' ');
        }
    }
    let mut digits = false;
    out.chars()
        .filter_map(|c| {
            let d = c.is_ascii_digit() || (digits && (c == ',' || c == '.'));
            let keep = if d && digits {
                None
            } else if d {
                Some('#')
            } else {
                Some(c)
            };
            digits = d;
            keep
        })
        .collect()
}

#[test]
fn the_senders_guide_shows_what_pack_prints() {
    let guide = read("docs/ja/送る人へ.md");
    let shown = tagged_blocks(&guide).into_iter().find(|(t, b)| t == "text" && is_pack_output(b)).map(|(_, b)| b);
    let shown = shown.expect("送る人へ shows no ```text block of what `hakobu pack` prints");
    // The guide's command, for real: a folder for 千葉支部 from the address book.
    let s = crate::support::Session::new();
    write_tree(&s.path("会員名簿"));
    fs::create_dir(s.path("stick")).unwrap();
    let config = s.path("config.toml");
    s.run_ok(&["recipients", "add", "千葉支部", &s.recipient, "--config", config.to_str().unwrap()]);
    let out = crate::support::run_env(
        s.dir.path(),
        // The guide's E:\ is a stick: the test hook makes the folder one.
        &[("HAKOBU_LANG", "ja"), ("HAKOBU_CONFIG", config.to_str().unwrap()), ("HAKOBU_TEST_REMOVABLE", s.path("stick").to_str().unwrap())],
        &["pack", "会員名簿", "-o", "stick", "--to", "千葉支部"],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let archive = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let real: Vec<String> = String::from_utf8_lossy(&out.stderr)
        .lines()
        .chain(String::from_utf8_lossy(&out.stdout).lines())
        .map(|l| normalised(l, &archive))
        .collect();
    let example = shown.lines().last().unwrap().trim().to_owned();
    for line in shown.lines().filter(|l| !l.trim().is_empty()) {
        let line = normalised(line, &example);
        assert!(real.contains(&line), "送る人へ shows 「{line}」, which `hakobu pack` does not print; it prints:\n{}", real.join("\n"));
    }
}

/// The IT guide's cmd lines for a volume set (`copy /b` to join, `type` to
/// show the checksum file), run by Wine's cmd.exe: the joined file is the
/// archive, byte for byte (Wine's cmd stands in for Windows' here; certutil
/// and PowerShell are not in Wine).
#[test]
fn the_it_guides_cmd_lines_join_volumes_whole_under_wine() {
    let Some(w) = crate::windows_wine::wine() else { return };
    let guide = read("docs/ja/情報システム担当へ.md");
    let part = guide.split("\n## 5.").next().unwrap().to_owned();
    let s = crate::support::Session::new();
    crate::support::write(&s.path("data/scan.bin"), &crate::support::synthetic_bytes(41, 120_000));
    fs::create_dir(s.path("split")).unwrap();
    s.run_ok(&["pack", "data", "-o", "split", "-r", &s.recipient, "--name", EXAMPLE, "--split", "96K", "-q"]);
    let volumes: Vec<Vec<u8>> = (1..=3).map(|n| fs::read(s.path(&format!("split/{EXAMPLE}.age.{n:03}"))).unwrap_or_default()).collect();
    assert!(!volumes[1].is_empty() && volumes[2].is_empty(), "the example joins two volumes; the test makes two");
    let mut ran = 0;
    for (tag, block) in tagged_blocks(&part) {
        for line in block.lines().map(str::trim) {
            let line = match tag.as_str() {
                "bat" if line.starts_with("copy /b") || line.starts_with("type ") => line,
                "powershell" if line.starts_with("cmd /c copy /b") => line.trim_start_matches("cmd /c "),
                _ => continue,
            };
            let _ = fs::remove_file(s.path(&format!("split/{EXAMPLE}.age")));
            let out = Command::new(crate::windows_wine::WINE64)
                .args(["cmd", "/c", line])
                .current_dir(s.path("split"))
                .env("WINEPREFIX", &w.prefix)
                .env("WINEDEBUG", "-all")
                .stdin(std::process::Stdio::null())
                .output()
                .unwrap();
            assert!(out.status.success(), "cmd /c {line}: {}", String::from_utf8_lossy(&out.stderr));
            if line.starts_with("copy /b") {
                let joined = fs::read(s.path(&format!("split/{EXAMPLE}.age"))).unwrap();
                assert!(joined == volumes.concat(), "`{line}` did not give the volumes joined byte for byte");
                // And what was joined is an archive hakobu opens.
                s.run_ok(&["verify", &format!("split/{EXAMPLE}.age"), "-i", s.key.to_str().unwrap()]);
            } else {
                assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("{EXAMPLE}.age.001")), "{line}");
            }
            ran += 1;
        }
    }
    assert!(ran >= 2, "only {ran} cmd lines about volumes in the IT guide");
}

/// Whether a quotation `b` (`*` for the guide's `…` and for the text around
/// it) can be read in a message `a` (`*` for a placeable). A placeable stands
/// for a value: a path or number of any length, or a name of at most 8
/// other characters, so that it cannot swallow the words the guide quotes.
fn globs_meet(a: &[char], b: &[char]) -> bool {
    const SHORT: usize = 8;
    let (n, m) = (a.len(), b.len());
    // can[i][j][k]: a[i..] and b[j..] meet, a[i]'s placeable having taken k characters of b.
    let mut can = vec![vec![[false; SHORT + 1]; m + 1]; n + 1];
    for i in (0..=n).rev() {
        for j in (0..=m).rev() {
            for k in 0..=SHORT {
                let ok = if i == n && j == m {
                    true
                } else {
                    let mut ok = false;
                    if i < n && a[i] == '*' {
                        // The placeable ends, or takes one more character (a literal one counts).
                        ok |= can[i + 1][j][0];
                        // A path or a number (ASCII) may be long; words may not.
                        if j < m && (b[j] == '*' || b[j].is_ascii() || k < SHORT) {
                            ok |= can[i][j + 1][if b[j] == '*' || b[j].is_ascii() { k } else { k + 1 }];
                        }
                    }
                    if j < m && b[j] == '*' {
                        ok |= can[i][j + 1][0] || (i < n && a[i] != '*' && can[i + 1][j][0]);
                    }
                    if i < n && j < m && a[i] != '*' && b[j] != '*' && a[i] == b[j] {
                        ok |= can[i + 1][j + 1][0];
                    }
                    ok
                };
                can[i][j][k] = ok;
            }
        }
    }
    can[0][0][0]
}

#[test]
fn what_the_guides_say_is_shown_is_what_the_program_shows() {
    let messages: Vec<Vec<char>> = catalogue_messages().into_iter().map(|(_, pieces)| pieces.join("*").chars().collect()).collect();
    let mut quoted = 0;
    for doc in japanese_docs() {
        // A quotation 「…」 followed by と表示 (across a line break): words the program shows.
        let text: String = read(&doc).lines().map(str::trim).collect();
        for (at, _) in text.match_indices("」と表示") {
            let open = text[..at].rfind('「').unwrap_or_else(|| panic!("{doc}: 」 without 「"));
            let quote = &text[open + '「'.len_utf8()..at];
            // Somewhere inside a message: any text before and after.
            let pattern: Vec<char> = format!("*{}*", quote.replace('…', "*")).chars().collect();
            assert!(
                messages.iter().any(|m| globs_meet(m, &pattern)),
                "{doc}: says 「{quote}」 is shown, but no message of i18n/ja/hakobu.ftl reads so"
            );
            quoted += 1;
        }
    }
    assert!(quoted >= 5, "only {quoted} quotations of the screen in the Japanese docs");
}

/// One row of the glossary's machine-readable table (docs/ja/用語集.md,
/// 「使わない言葉の一覧」).
struct Forbidden {
    word: String,
    /// Only clerk-facing text (the catalogue, the senders' and receivers' guides, README.ja.md).
    clerks_only: bool,
    /// Message id prefixes where the word is allowed.
    ids: Vec<String>,
    /// Phrases containing the word that are allowed (removed before the check).
    phrases: Vec<String>,
}

fn forbidden_words() -> Vec<Forbidden> {
    let glossary = read("docs/ja/用語集.md");
    let section = glossary.split("## 使わない言葉の一覧").nth(1).expect("the glossary has 「使わない言葉の一覧」");
    let mut rows = Vec::new();
    for line in section.lines().filter(|l| l.starts_with("| ") && !l.starts_with("| 使わない言葉") && !l.starts_with("|---")) {
        let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
        assert_eq!(cells.len(), 4, "a glossary row with {} cells: {line}", cells.len());
        let allowed = cells[3];
        let ids = allowed.split('`').skip(1).step_by(2).map(String::from).collect();
        let phrases = allowed.split('「').skip(1).filter_map(|p| p.split('」').next()).map(String::from).collect();
        let clerks_only = match cells[2] {
            "すべて" => false,
            "職員向け" => true,
            other => panic!("「使わないところ」 is すべて or 職員向け, not {other}"),
        };
        rows.push(Forbidden { word: cells[0].to_string(), clerks_only, ids, phrases });
    }
    assert!(rows.len() >= 15, "only {} rows in the glossary's table", rows.len());
    rows
}

/// A Markdown text without its code (fenced blocks and `inline code`): commands and file contents.
fn prose(md: &str) -> String {
    let mut out = String::new();
    let mut in_code = false;
    for line in md.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if !in_code {
            // `` ` `` quotes a backtick; then every other part between backticks is code.
            let line = line.replace("`` ` ``", "");
            out.extend(line.split('`').step_by(2));
            out.push('\n');
        }
    }
    out
}

/// The glossary is enforced (#26 item 5): no Japanese message and no
/// Japanese document uses a word its table rules out, ASCII quotes included.
#[test]
fn no_japanese_text_uses_a_word_the_glossary_rules_out() {
    let rows = forbidden_words();
    let mut found = Vec::new();
    // The catalogue: each message's text, Fluent's string literals ({"  "}) and comments left out.
    let catalogue = read("i18n/ja/hakobu.ftl");
    let mut id = String::new();
    for line in catalogue.lines() {
        if line.starts_with('#') {
            continue;
        }
        let text = match line.split_once(" = ") {
            Some((i, t)) if line.starts_with(|c: char| c.is_ascii_lowercase()) => {
                id = i.to_string();
                t
            }
            _ => line,
        };
        let mut text = text.to_string();
        while let Some(start) = text.find("{\"") {
            // The literal's closing quote, then its brace: {"}"} holds a brace itself.
            let end = text[start + 2..].find('"').map_or(text.len(), |e| (start + 2 + e + 2).min(text.len()));
            text.replace_range(start..end, "");
        }
        for row in &rows {
            if row.ids.iter().any(|p| id.starts_with(p.as_str())) {
                continue;
            }
            let mut checked = text.clone();
            for phrase in &row.phrases {
                checked = checked.replace(phrase.as_str(), "");
            }
            if checked.contains(row.word.as_str()) {
                found.push(format!("i18n/ja/hakobu.ftl {id}: 「{}」 in {text}", row.word));
            }
        }
    }
    // The documents, without their code.
    let clerk_docs = ["README.ja.md", "docs/ja/送る人へ.md", "docs/ja/受け取る人へ.md"];
    let mut docs: Vec<String> = japanese_docs().into_iter().filter(|d| !d.ends_with("用語集.md")).collect();
    docs.push("README.ja.md".into());
    docs.sort();
    docs.dedup();
    for doc in &docs {
        let text = prose(&read(doc));
        for row in rows.iter().filter(|r| !r.clerks_only || clerk_docs.contains(&doc.as_str())) {
            let mut checked = text.clone();
            for phrase in &row.phrases {
                checked = checked.replace(phrase.as_str(), "");
            }
            for (n, line) in checked.lines().enumerate().filter(|(_, l)| l.contains(row.word.as_str())) {
                found.push(format!("{doc} (prose line {}): 「{}」 in {line}", n + 1, row.word));
            }
        }
    }
    assert!(found.is_empty(), "words docs/ja/用語集.md rules out:\n{}", found.join("\n"));
}
