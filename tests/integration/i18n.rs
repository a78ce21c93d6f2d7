//! hakobu in Japanese (#14): the language follows HAKOBU_LANG and the
//! locale, the main outcomes and the common errors read in Japanese with
//! the glossary's words, exit and kind codes stay the same, and Fluent's
//! isolation marks never reach the output.

use std::fs;
use std::path::Path;
use std::process::Output;

use crate::support::{run_env, run_ok, write};

const JA: [(&str, &str); 1] = [("HAKOBU_LANG", "ja")];

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Checks exit code, the kind code line, that the text is clean, and that
/// what happened to the data is said once, as the error's second line (#26).
fn fails_with(out: &Output, code: i32, kind: &str) -> String {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(code), "{err}");
    assert!(err.contains(&format!("code: {kind}")), "no `code: {kind}` in:\n{err}");
    clean(&err);
    let data = data_line(&err);
    assert_eq!(err.matches(data.as_str()).count(), 1, "the data sentence 「{data}」 is said more than once:\n{err}");
    err
}

/// The sentences that say what an error left of the data (DataOutcome),
/// in both catalogues: the second line of every error.
const DATA_SENTENCES: [&str; 26] = [
    "何も保存していません。",
    "ファイルは一つも展開していません。",
    "鍵ファイルは作っていません。",
    "宛先帳は変わっていません。",
    "持出し記録は変わっていません。",
    "何も書き込んでいません。",
    "途中まで展開したものは削除しました。展開先には何も残っていません。",
    "持出し記録に新しい記録は加わっていません。",
    "途中まで書いたものは削除しました。何も保存していません。",
    "検証済みのファイルの一部が、展開先に移っているかもしれません。検証していないデータは残していません。",
    "アーカイブは保存されているかもしれません。保存先を確かめてから、もう一度暗号化してください。",
    "一部は済んでいるかもしれません。確かめてから、もう一度実行してください。",
    "何も変更していません。",
    "Nothing was saved.",
    "No file was taken out of the archive.",
    "No key file was written.",
    "The address book was not changed.",
    "The export ledger was not changed.",
    "Nothing was written.",
    "What had been unpacked was removed: nothing was left in the destination.",
    "No record was added to the export ledger.",
    "What had been written was removed: nothing was saved.",
    "Some verified files may already be in the destination; nothing unverified was left there.",
    "The archive may have been saved: look in the destination before packing again.",
    "Part of the work may already be done: check before running the command again.",
    "Nothing was changed.",
];

/// The line after `エラー:`/`error:` (its first line), which says what happened to the data.
fn data_line(err: &str) -> String {
    let mut lines = err.lines().skip_while(|l| !(l.starts_with("エラー: ") || l.starts_with("error: ")));
    let title = lines.next().unwrap_or_else(|| panic!("no error line in:\n{err}"));
    // A title may run over several lines (a list of refused sources): the data line follows them.
    let data = lines.find(|l| DATA_SENTENCES.contains(&l.trim())).unwrap_or_else(|| panic!("no data line after 「{title}」:\n{err}"));
    data.trim().to_owned()
}

fn clean(text: &str) {
    for mark in ['\u{2068}', '\u{2069}'] {
        assert!(!text.contains(mark), "an isolation mark reached the output:\n{text:?}");
    }
    assert!(!text.contains("\\u{2068}") && !text.contains("\\u{2069}"), "an escaped isolation mark in:\n{text}");
}

/// A key pair and a packed archive of synthetic member data.
fn setup(dir: &Path) -> (String, std::path::PathBuf) {
    write(&dir.join("data/会員名簿.csv"), "氏名,生年月日\n山田太郎,1970-01-01\n".as_bytes());
    write(&dir.join("data/健診/結果.txt"), b"synthetic");
    let out = run_ok(dir, &["keygen", "--no-passphrase", "-o", "key.txt"]);
    let public = String::from_utf8_lossy(&out.stdout).lines().last().unwrap().trim().to_string();
    fs::create_dir(dir.join("stick")).unwrap();
    let out = run_env(dir, &JA, &["pack", "data", "-o", "stick", "-r", &public]);
    assert!(out.status.success(), "{}", stderr(&out));
    let archive = String::from_utf8_lossy(&out.stdout).lines().next().unwrap().trim().to_string();
    (public, dir.join(archive))
}

#[test]
fn pack_and_unpack_speak_japanese() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(&d.join("data/会員名簿.csv"), "氏名\n山田太郎\n".as_bytes());
    run_ok(d, &["keygen", "--no-passphrase", "-o", "key.txt"]);
    let public =
        fs::read_to_string(d.join("key.txt")).unwrap().lines().find_map(|l| l.strip_prefix("# public key: ").map(String::from)).unwrap();
    fs::create_dir(d.join("stick")).unwrap();
    // "stick" counts as a USB stick (the test hook): only there is removing it mentioned (issue #25).
    let stick = d.join("stick");
    let out = run_env(d, &[JA[0], ("HAKOBU_TEST_REMOVABLE", stick.to_str().unwrap())], &["pack", "data", "-o", "stick", "-r", &public]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("このアーカイブを開けるのは、次の宛先の鍵だけです:"), "{err}");
    assert!(err.contains("1 個のファイル"), "{err}");
    assert!(err.contains("を暗号化しました。保存し、書き込み後の確認も済みました。USBメモリを取り外しても大丈夫です。"), "{err}");
    clean(&err);
    let archive = String::from_utf8_lossy(&out.stdout).lines().next().unwrap().trim().to_string();
    // The locale alone chooses Japanese too.
    let out = run_env(
        d,
        &[("HAKOBU_LANG", ""), ("LC_ALL", ""), ("LC_MESSAGES", ""), ("LANG", "ja_JP.UTF-8")],
        &["unpack", &archive, "-o", "受信", "-i", "key.txt"],
    );
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("に展開しました。すべてのファイルのチェックサムが一致しました。"), "{err}");
    assert!(d.join("受信/data/会員名簿.csv").is_file());
    clean(&err);
    // And English stays English.
    let out = run_env(d, &[("LANG", "en_US.UTF-8")], &["unpack", &archive, "-o", "受信2", "-i", "key.txt"]);
    assert!(stderr(&out).contains("Unpacked 1 file"), "{}", stderr(&out));
}

#[test]
fn common_errors_in_japanese() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (public, archive) = setup(d);
    let a = archive.to_str().unwrap();

    // No recipient.
    let err = fails_with(&run_env(d, &JA, &["pack", "data", "-o", "stick"]), 2, "no-recipients");
    assert!(err.starts_with("エラー: 宛先が指定されていません。"), "{err}");

    // An unknown office name, with a suggestion.
    fs::write(d.join("config.toml"), format!("[recipients]\n\"千葉支部\" = \"{public}\"\n")).unwrap();
    let err =
        fails_with(&run_env(d, &JA, &["pack", "data", "-o", "stick", "--config", "config.toml", "--to", "千葉支店"]), 2, "unknown-name");
    assert!(err.contains("宛先「千葉支店」は宛先帳にありません。もしかして: 「千葉支部」"), "{err}");
    assert_eq!(data_line(&err), "何も保存していません。");

    // The wrong key.
    run_ok(d, &["keygen", "--no-passphrase", "-o", "other.txt"]);
    let err = fails_with(&run_env(d, &JA, &["unpack", a, "-o", "r1", "-i", "other.txt"]), 3, "wrong-key");
    assert!(err.contains("では") && err.contains("を開けません。"), "{err}");
    assert_eq!(data_line(&err), "ファイルは一つも展開していません。");
    assert!(!d.join("r1/data").exists());

    // A missing key file.
    let err = fails_with(&run_env(d, &JA, &["unpack", a, "-o", "r1", "-i", "nokey.txt"]), 3, "key-file-missing");
    assert!(err.contains("鍵ファイル nokey.txt がありません。"), "{err}");

    // Not a key file.
    let err = fails_with(&run_env(d, &JA, &["unpack", a, "-o", "r1", "-i", "data/会員名簿.csv"]), 3, "bad-key-file");
    assert!(err.contains("は鍵ファイルではありません。"), "{err}");

    // Not an archive.
    let err = fails_with(&run_env(d, &JA, &["unpack", "data/会員名簿.csv", "-o", "r1", "-i", "key.txt"]), 1, "not-an-archive");
    assert!(err.contains("は hakobu のアーカイブではありません。"), "{err}");

    // Cut short: a truncated copy.
    let bytes = fs::read(&archive).unwrap();
    fs::write(d.join("short.age"), &bytes[..bytes.len() / 2]).unwrap();
    let err = fails_with(&run_env(d, &JA, &["unpack", "short.age", "-o", "r1", "-i", "key.txt"]), 1, "truncated");
    assert!(err.contains("途中までしかコピーされていません"), "{err}");
    assert_eq!(data_line(&err), "ファイルは一つも展開していません。");

    // Damaged in the middle.
    let mut damaged = bytes.clone();
    let mid = damaged.len() - 100;
    damaged[mid] ^= 0x55;
    fs::write(d.join("damaged.age"), &damaged).unwrap();
    let err = fails_with(&run_env(d, &JA, &["unpack", "damaged.age", "-o", "r1", "-i", "key.txt"]), 1, "corrupted");
    assert!(err.contains("は壊れています"), "{err}");

    // The destination holds the files already.
    run_ok(d, &["unpack", a, "-o", "r2", "-i", "key.txt"]);
    let err = fails_with(&run_env(d, &JA, &["unpack", a, "-o", "r2", "-i", "key.txt"]), 4, "output-exists");
    assert!(err.contains("はすでにあります。上書きしていません。") && err.contains("別の展開先を選んでください。"), "{err}");

    // A secret key among the sources.
    fs::copy(d.join("key.txt"), d.join("data/key.txt")).unwrap();
    let err = fails_with(&run_env(d, &JA, &["pack", "data", "-o", "stick", "-r", &public]), 4, "secret-key-in-sources");
    assert!(err.contains("は鍵ファイルのようです。鍵はデータと一緒に運べません。"), "{err}");
}

#[test]
fn keygen_and_verify_speak_japanese() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = run_env(d, &JA, &["keygen", "--no-passphrase", "-o", "k.txt"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("鍵を k.txt に保存しました（パスフレーズで守られていません）。"), "{err}");
    assert!(err.contains("次の行（公開鍵）を情報システム担当に渡してください。"), "{err}");
    clean(&err);
    let (_, archive) = setup(d);
    let a = archive.to_str().unwrap();
    let out = run_env(d, &JA, &["verify", a]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("チェックサム 一致\n"), "{text}");
    assert!(text.contains("中身         検証していません（鍵が必要です）\n"), "{text}");
    assert!(text.ends_with("結果         合格\n"), "{text}");
    let out = run_env(d, &JA, &["verify", a, "-i", "key.txt"]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(text.contains("ファイル     2 個（"), "{text}");
    // A damaged archive: the verdict and the problem in Japanese, exit 1.
    let mut bytes = fs::read(&archive).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 1;
    fs::write(&archive, &bytes).unwrap();
    let out = run_env(d, &JA, &["verify", a]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("チェックサム 不一致\n") && text.ends_with("結果         不合格\n"), "{text}");
    let err = stderr(&out);
    assert!(err.contains("問題: ") && err.contains("code: sidecar-mismatch"), "{err}");
    clean(&err);
}

#[test]
fn a_name_windows_cannot_hold_is_explained_in_japanese() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (public, _) = setup(d);
    write(&d.join("data/会議:メモ.txt"), b"synthetic");
    let err = fails_with(&run_env(d, &JA, &["pack", "data", "-o", "stick", "-r", &public]), 4, "unsafe-source");
    assert!(err.contains("は暗号化できません: この名前ではどこでも安全に展開できるとは限りません（名前に Windows で使えない文字「:」が入っています）。\n"), "{err}");
    assert_eq!(data_line(&err), "何も保存していません。");
    assert!(err.contains("そのファイルを外すか置き換えて、もう一度保存してください。"), "{err}");
}

#[test]
fn english_stays_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let err = fails_with(
        &run_env(d, &[("HAKOBU_LANG", "en"), ("LANG", "ja_JP.UTF-8")], &["pack", "nothing-here", "-o", "."]),
        2,
        "no-recipients",
    );
    assert!(err.starts_with("error: no recipient given\n  Nothing was saved.\nhint: Name the receiver"), "{err}");
}

/// What a terminal shows: each line's text after the last carriage return,
/// with escape sequences (colours, cursor moves, line clears) taken out.
fn screen_lines(raw: &str) -> Vec<String> {
    let mut plain = String::new();
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: ESC [ parameters, then one final byte in @..~.
            let mut last = ' ';
            if chars.peek() == Some(&'[') {
                chars.next();
                for d in chars.by_ref() {
                    if ('@'..='~').contains(&d) {
                        last = d;
                        break;
                    }
                }
            } else {
                chars.next();
            }
            // A cursor move or line clear starts the line anew, as \r does; a colour does not.
            if last != 'm' {
                plain.push('\r');
            }
            continue;
        }
        plain.push(c);
    }
    plain.split('\n').flat_map(|l| l.split('\r').map(str::to_owned).collect::<Vec<_>>()).collect()
}

#[test]
fn progress_bars_in_japanese_fit_a_narrow_terminal() {
    use unicode_width::UnicodeWidthStr;
    if !crate::support::require("script") || !crate::support::require("stty") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (public, _) = setup(dir.path());
    write(&dir.path().join("大きなデータ/健診結果.bin"), &crate::support::synthetic_bytes(5, 48 << 20));
    let bin = crate::support::hakobu_bin();
    // Wide: every figure; medium: sizes only; narrow: a percentage.
    for columns in [100usize, 48, 30] {
        let name = format!("w{columns}");
        let shell = format!("stty cols {columns} rows 20; exec '{}' pack 大きなデータ -o stick --name {name} -r {public}", bin.display());
        let (code, screen) =
            crate::core::run_program_in_pty_env(dir.path(), &[("HAKOBU_LANG", "ja")], "sh", &["-c", &shell], "never asked", &[]);
        assert_eq!(code, Some(0), "{screen}");
        let lines = screen_lines(&screen);
        let bars: Vec<&String> =
            lines.iter().filter(|l| l.starts_with("暗号化しています [") || l.starts_with("書き込み後の確認 [")).collect();
        assert!(bars.len() >= 2, "{columns} columns: no progress bar was drawn:\n{screen}");
        let figures = |want: &str| bars.iter().any(|l| l.contains(want));
        match columns {
            100 => assert!(figures("毎秒") && figures("残り") && figures(" MB/48.0 MB"), "{bars:?}"),
            48 => assert!(figures(" MB/48.0 MB") && !figures("毎秒"), "{bars:?}"),
            _ => assert!(figures("%"), "{bars:?}"),
        }
        // A bar line wider than the terminal would wrap, and each redraw leave a line behind.
        for l in &bars {
            assert!(l.width() <= columns, "a bar {} columns wide in a {columns}-column terminal: {l:?}", l.width());
        }
        assert!(!screen.contains("ETA") && !screen.contains("MiB"), "English units in Japanese:\n{screen}");
    }
}

#[test]
fn help_speaks_japanese_for_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let commands: [&[&str]; 16] = [
        &[],
        &["demo"],
        &["keygen"],
        &["pack"],
        &["unpack"],
        &["verify"],
        &["list"],
        &["recipients"],
        &["recipients", "add"],
        &["recipients", "remove"],
        &["ledger"],
        &["ledger", "list"],
        &["ledger", "export"],
        &["ledger", "report"],
        &["ledger", "import"],
        &["help", "pack"],
    ];
    for cmd in commands {
        let mut args: Vec<&str> = cmd.to_vec();
        if cmd.first() != Some(&"help") {
            args.push("--help");
        }
        let out = run_env(dir.path(), &JA, &args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(text.contains("使い方: hakobu") && text.contains("オプション:"), "{args:?}:\n{text}");
        for english in ["Usage:", "Options:", "Arguments:", "Commands:", "Print help", "Print version", "Print nothing", "The archive"] {
            assert!(!text.contains(english), "{args:?} shows {english:?} in Japanese:\n{text}");
        }
        // Every line that explains something has Japanese in it.
        for line in text.lines().filter(|l| l.starts_with("  ")) {
            assert!(line.chars().any(|c| c > '\u{3000}'), "{args:?}: an English line: {line:?}");
        }
    }
    let out = run_env(dir.path(), &JA, &["pack", "--help"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("暗号化するファイルとフォルダー"));
    // English stays English.
    let out = run_ok(dir.path(), &["pack", "--help"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Usage: hakobu pack") && text.contains("Files and folders to pack") && text.contains("Print help"), "{text}");
}

#[test]
fn a_refused_command_line_is_explained_in_japanese() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&[&str], &str); 4] = [
        (&["pack", "--frobnicate"], "「--frobnicate」というオプションはありません"),
        // (A first word that is no command is a path: a drop, for the guided mode.)
        (&["ledger", "lsit"], "「lsit」というコマンドはありません"),
        (&["unpack"], "必要な指定がありません"),
        (&["ledger", "list", "--since", "12/01"], "日付は YYYY-MM-DD の形で"),
    ];
    for (args, want) in cases {
        let out = run_env(dir.path(), &JA, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(err.contains(want) && err.contains("code: usage"), "{args:?}:\n{err}");
        assert!(!err.contains("error:") && !err.contains("Usage:"), "{args:?}: English:\n{err}");
    }
    // English: clap's own words, unchanged.
    let out = run_env(dir.path(), &[("HAKOBU_LANG", "en")], &["pack", "--frobnicate"]);
    assert!(stderr(&out).contains("error: unexpected argument '--frobnicate' found"), "{}", stderr(&out));
}

/// What happened to the data is a fact of each error (#26): said once, as
/// the line after the error, in the words of the command that ran and in
/// both languages; `--json` carries it as a stable code.
#[test]
fn errors_say_what_happened_to_the_data_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (_public, archive) = setup(d);
    let a = archive.to_str().unwrap();
    run_ok(d, &["keygen", "--no-passphrase", "-o", "other.txt"]);
    fs::write(d.join("book.toml"), "[recipients]\n").unwrap();
    let en = [("HAKOBU_LANG", "en")];
    // (command, exit, kind, Japanese data line, English data line, JSON code)
    type Case<'a> = (&'a [&'a str], i32, &'a str, &'a str, &'a str, &'a str);
    let cases: [Case; 4] = [
        (&["pack", "data", "-o", "stick"], 2, "no-recipients", "何も保存していません。", "Nothing was saved.", "nothing-written"),
        (
            &["unpack", a, "-o", "r1", "-i", "other.txt"],
            3,
            "wrong-key",
            "ファイルは一つも展開していません。",
            "No file was taken out of the archive.",
            "nothing-released",
        ),
        (
            &["recipients", "remove", "本社", "--config", "book.toml"],
            2,
            "unknown-name",
            "宛先帳は変わっていません。",
            "The address book was not changed.",
            "nothing-written",
        ),
        (
            &["ledger", "show", "0123abcd", "--ledger", "ledger.jsonl"],
            5,
            "ledger-missing",
            "何も変更していません。",
            "Nothing was changed.",
            "nothing-changed",
        ),
    ];
    for (args, code, kind, ja, en_words, json) in cases {
        let err = fails_with(&run_env(d, &JA, args), code, kind);
        assert_eq!(data_line(&err), ja, "{args:?}:\n{err}");
        let err = fails_with(&run_env(d, &en, args), code, kind);
        assert_eq!(data_line(&err), en_words, "{args:?}:\n{err}");
        // The second line, right after the error's first.
        let after = err.lines().skip_while(|l| !l.starts_with("error: ")).nth(1);
        assert_eq!(after.map(str::trim), Some(en_words), "{args:?}:\n{err}");
        if args[0] != "recipients" {
            let out = run_env(d, &en, &[args, &["--json"]].concat());
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}: {}", stderr(&out)));
            assert_eq!(v["error"]["data"], json, "{args:?}: {v}");
            assert_eq!(v["error"]["kind"], kind, "{args:?}: {v}");
        }
    }
    assert!(!d.join("r1/data").exists());
}

/// An unsigned archive is news only where the office checks signatures
/// (#26 item 6): silent with no `[senders]` (every archive is unsigned
/// there; the receiver guide says the notice means phoning the sender), one
/// notice naming each archive where senders are listed, an error where
/// signatures are required. In both languages.
#[test]
fn an_unsigned_archive_is_news_only_where_the_office_signs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (public, first) = setup(d);
    let out = run_env(d, &JA, &["pack", "data", "-o", "stick", "-r", &public]);
    assert!(out.status.success(), "{}", stderr(&out));
    let second = d.join(String::from_utf8_lossy(&out.stdout).lines().next().unwrap().trim());
    let name = |p: &Path| p.file_name().unwrap().to_string_lossy().into_owned();
    let (a, b) = (first.to_str().unwrap(), second.to_str().unwrap());
    let en = [("HAKOBU_LANG", "en")];
    let words = ["だれが作った", "署名", "not known who made", "signature", ".sig"];

    // No [senders], no require_signature: nothing about signatures anywhere.
    fs::write(d.join("plain.toml"), "[recipients]\n").unwrap();
    for env in [&JA[..], &en[..]] {
        for args in [
            &["--config", "plain.toml", "unpack", a, "-o", "u1", "-i", "key.txt", "--force"][..],
            &["--config", "plain.toml", "verify", a],
            &["--config", "plain.toml", "verify", "stick"],
            &["--config", "plain.toml", "list", a, "-i", "key.txt"],
        ] {
            let out = run_env(d, env, args);
            assert!(out.status.success(), "{args:?}: {}", stderr(&out));
            let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
            assert!(!words.iter().any(|w| all.contains(w)), "{args:?} speaks of signatures where the office does not sign:\n{all}");
        }
    }

    // Senders listed, these archives unsigned: one notice per archive, naming it.
    let sender = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG3HHZo5PGJQm1/Ke6eM1uuHB+ue9JZb2Gj3PI6/3Lcn";
    fs::write(d.join("signing.toml"), format!("[senders]\n\"本社\" = \"{sender}\"\n")).unwrap();
    let out = run_env(d, &JA, &["--config", "signing.toml", "verify", "stick"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let notices: Vec<&str> = err.lines().filter(|l| l.starts_with("注意: ")).collect();
    assert_eq!(notices.len(), 2, "one notice per archive:\n{err}");
    for archive in [&first, &second] {
        let of_it: Vec<&&str> = notices.iter().filter(|l| l.contains(&name(archive))).collect();
        assert_eq!(of_it.len(), 1, "{}: said once, named:\n{err}", name(archive));
        assert!(of_it[0].contains("は、だれが作ったアーカイブか確かめられません: 署名ファイル（.sig）がありません。"), "{err}");
    }
    let out = run_env(d, &en, &["--config", "signing.toml", "unpack", b, "-o", "u2", "-i", "key.txt"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(err.matches("it is not known who made this archive").count(), 1, "{err}");
    assert!(err.contains(&format!("{}: it is not known who made this archive", name(&second))), "{err}");

    // Required: an error, nothing released.
    fs::write(d.join("required.toml"), format!("[signing]\nrequire_signature = true\n[senders]\n\"本社\" = \"{sender}\"\n")).unwrap();
    let err =
        fails_with(&run_env(d, &JA, &["--config", "required.toml", "unpack", a, "-o", "u3", "-i", "key.txt"]), 7, "signature-refused");
    assert_eq!(data_line(&err), "ファイルは一つも展開していません。");
    assert!(!d.join("u3/data").exists());
}

/// Numbers as a clerk reads them (#26 item 4): sizes in KB/MB with one
/// decimal, counts with 個, local times as 2026年12月3日 14時05分, in pack,
/// unpack, verify and list; exact bytes stay in --json.
#[test]
fn clerk_numbers_in_japanese() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (public, _) = setup(d);
    // 1,622,451 bytes: the issue's example, 1.5 MB as Explorer shows it.
    write(&d.join("big/表.bin"), &vec![7u8; 1_622_451]);
    let out = run_env(d, &JA, &["pack", "big", "-o", "stick", "-r", &public]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let archive = String::from_utf8_lossy(&out.stdout).lines().next().unwrap().trim().to_string();
    assert!(err.contains("1 個のファイル（1.5 MB）を暗号化しました。"), "{err}");
    let machine_numbers = ["1,622,451", "1622451", "バイト）"];
    assert!(!machine_numbers.iter().any(|n| err.contains(n)), "{err}");

    let out = run_env(d, &JA, &["unpack", &archive, "-o", "got", "-i", "key.txt"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("1 個のファイル（1.5 MB）を got に展開しました。"), "{err}");

    let out = run_env(d, &JA, &["verify", &archive, "-i", "key.txt"]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(text.contains("1 個（1.5 MB）"), "{text}");

    let out = run_env(d, &JA, &["list", &archive, "-i", "key.txt"]);
    let (listed, err) = (String::from_utf8_lossy(&out.stdout).into_owned(), stderr(&out));
    assert!(out.status.success(), "{err}");
    let line = listed.lines().find(|l| l.ends_with("big/表.bin")).unwrap_or_else(|| panic!("{listed}"));
    assert!(line.trim_start().starts_with("1.5 MB  "), "{line}");
    let is_ja_time = |s: &str| {
        let re_like = s.split_whitespace().collect::<Vec<_>>();
        re_like.len() >= 2
            && re_like[0].contains('年')
            && re_like[0].ends_with('日')
            && re_like[1].ends_with('分')
            && re_like[1].contains('時')
    };
    let after_size = line.trim_start().trim_start_matches("1.5 MB").trim_start();
    assert!(is_ja_time(after_size), "{line}");
    assert!(!line.contains(':'), "a time as machines write it: {line}");
    assert!(err.contains("合計 1.5 MB") && err.contains("時") && err.contains("分 に hakobu"), "{err}");
    assert!(!machine_numbers.iter().any(|n| err.contains(n) || listed.contains(n)), "{listed}{err}");

    // Exact bytes for scripts.
    let out = run_env(d, &JA, &["list", &archive, "-i", "key.txt", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["totals"]["bytes"], 1_622_451, "{v}");
}

/// A signing key is typed when packing, a key file when unpacking: keygen's
/// question says which (#26 item 5; it said 「展開するたびに」 for both).
#[test]
fn keygen_asks_for_a_signing_keys_passphrase_in_its_own_words() {
    if std::process::Command::new("script").arg("--version").output().is_err() {
        panic!("`script` (util-linux) is needed to drive the prompt in a terminal");
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let bin = crate::support::hakobu_bin().display().to_string();
    for (args, says, not) in [
        (
            &["keygen", "--sign", "-o", "sk"][..],
            "新しい署名鍵を守るパスフレーズを入力してください（暗号化して保存するたびに入力します）",
            "展開するたびに",
        ),
        (&["keygen", "-o", "k.txt"], "新しい鍵ファイルを守るパスフレーズを入力してください（展開するたびに入力します）", "保存するたびに"),
    ] {
        let line: Vec<String> = std::iter::once(bin.clone()).chain(args.iter().map(|a| a.to_string())).collect();
        let (code, screen) = crate::support::drive_in_pty(d, &JA, &line, &[("パスフレーズを入力してください", "\x03")]);
        assert_eq!(code, Some(130), "{args:?}:\n{screen}");
        assert!(screen.contains(says) && !screen.contains(not), "{args:?}:\n{screen}");
        assert!(!d.join("sk").exists() && !d.join("k.txt").exists(), "a key file was written");
    }
}

/// The OS's own words are English (#26 item 2, first part): under Japanese
/// the clerk's line says what happened in Japanese and the OS's words, with
/// their `(os error N)`, go to a detail line marked for IT; English keeps
/// them in its line.
#[test]
fn the_oss_english_words_are_a_detail_marked_for_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (public, _) = setup(d);
    // A file used as a folder: ENOTDIR, a failure with no plainer words.
    let args = ["pack", "data/会員名簿.csv/x", "-o", "stick", "-r", &public];
    let err = fails_with(&run_env(d, &JA, &args), 5, "io");
    let first = err.lines().next().unwrap();
    assert!(first.starts_with("エラー: ") && !first.contains("os error") && !first.contains("directory"), "{err}");
    let detail = err.lines().find(|l| l.contains("(os error")).unwrap_or_else(|| panic!("no detail for IT:\n{err}"));
    assert!(detail.trim_start().starts_with("詳細（情報システム担当向け）: "), "{err}");
    // A kind with plain words says them first and keeps the OS's for IT.
    let err = fails_with(&run_env(d, &JA, &["pack", "nothere", "-o", "stick", "-r", &public]), 5, "not-found");
    assert!(err.lines().next().unwrap().ends_with("ファイルまたはフォルダーがありません"), "{err}");
    assert!(err.contains("\n  詳細（情報システム担当向け）: No such file or directory (os error 2)\n"), "{err}");
    // English as it was.
    let err = fails_with(&run_env(d, &[("HAKOBU_LANG", "en")], &args), 5, "io");
    assert!(err.lines().next().unwrap().contains("(os error 20)"), "{err}");
}

/// The usage line and the options' table name their placeholders in
/// Japanese (#26 item 2): no <DIR>, <SOURCE>..., [OPTIONS], [COMMAND] under
/// Japanese, in --help and in a refused command line; English keeps clap's.
#[test]
fn usage_placeholders_are_named_in_japanese() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let english = ["[OPTIONS]", "[COMMAND]", "<COMMAND>", "<DIR>", "<SOURCE>", "<FILE>", "<ARCHIVE>", "<NAME>", "[PATH]"];
    for args in [&["--help"][..], &["pack", "--help"], &["unpack", "--help"], &["ledger", "--help"], &["ledger", "list", "--help"]] {
        let out = run_env(d, &JA, args);
        let help = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(help.contains("使い方: hakobu"), "{args:?}:\n{help}");
        let left: Vec<&&str> = english.iter().filter(|w| help.contains(**w)).collect();
        assert!(left.is_empty(), "{args:?} shows {left:?}:\n{help}");
    }
    let out = run_env(d, &JA, &["pack", "--help"]);
    let help = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(help.contains("使い方: hakobu pack [オプション] --output <フォルダー> <ファイル>..."), "{help}");
    let err = fails_with(&run_env(d, &JA, &["unpack", "x.age"]), 2, "usage");
    assert!(err.contains("→ 使い方: hakobu unpack [オプション] --output <フォルダー> <アーカイブ>"), "{err}");
    let out = run_env(d, &[("HAKOBU_LANG", "en")], &["pack", "--help"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("Usage: hakobu pack [OPTIONS] --output <DIR> <SOURCE>..."));
}

/// pinentry's dialog gets hakobu's title and buttons in the chosen language
/// through its protocol (#26 item 2): not its own <OK>/<Cancel>.
#[test]
fn the_pinentry_dialog_speaks_the_chosen_language() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // A pinentry that logs every request and answers each GETPIN with a strong passphrase.
    let log = d.join("pinentry.log");
    let fake = d.join("pinentry");
    fs::write(
        &fake,
        format!(
            "#!/bin/sh\necho OK\nwhile IFS= read -r line; do\n  printf '%s\\n' \"$line\" >> '{}'\n  case \"$line\" in\n    GETPIN*) echo 'D dune-kayak-ferry-orbit-mango'; echo OK;;\n    BYE*) echo OK; exit 0;;\n    *) echo OK;;\n  esac\ndone\n",
            log.display()
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&fake, fs::Permissions::from_mode(0o755)).unwrap();
    }
    let pinentry = fake.to_str().unwrap();
    for (lang, cancel) in [("ja", "SETCANCEL 中止"), ("en", "SETCANCEL Cancel")] {
        let _ = fs::remove_file(&log);
        let out = run_env(d, &[("HAKOBU_LANG", lang), ("PINENTRY_PROGRAM", pinentry)], &["keygen", "-o", &format!("k-{lang}.txt")]);
        assert!(out.status.success(), "{lang}: {}", stderr(&out));
        let asked = fs::read_to_string(&log).unwrap();
        assert!(asked.contains("SETTITLE hakobu") && asked.contains("SETOK OK") && asked.contains(cancel), "{lang}:\n{asked}");
        if lang == "ja" {
            assert!(asked.contains("SETDESC 新しい鍵ファイルを守るパスフレーズを入力してください"), "{asked}");
        }
    }
}

/// age warns in English when a passphrase-protected key file opens but does
/// not fit the archive: said in hakobu's words instead (#26 item 2).
#[test]
fn ages_english_warning_about_a_key_file_is_said_in_hakobus_words() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (_, archive) = setup(d);
    // A pinentry that answers every GETPIN with the same strong passphrase.
    let fake = d.join("pinentry");
    fs::write(&fake, "#!/bin/sh\necho OK\nwhile IFS= read -r line; do\n  case \"$line\" in\n    GETPIN*) echo 'D dune-kayak-ferry-orbit-mango'; echo OK;;\n    BYE*) echo OK; exit 0;;\n    *) echo OK;;\n  esac\ndone\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&fake, fs::Permissions::from_mode(0o755)).unwrap();
    }
    let env = [("HAKOBU_LANG", "ja"), ("PINENTRY_PROGRAM", fake.to_str().unwrap())];
    let out = run_env(d, &env, &["keygen", "-o", "protected.txt"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = fails_with(&run_env(d, &env, &["unpack", archive.to_str().unwrap(), "-o", "r", "-i", "protected.txt"]), 3, "wrong-key");
    assert!(err.contains("注意: 鍵ファイル protected.txt では、このアーカイブを開けません（パスフレーズは合っています）。"), "{err}");
    assert!(!err.contains("Warning") && !err.contains("didn't match"), "{err}");
}

#[test]
fn receipts_in_the_ledger_are_said_in_japanese() {
    // #26 item 2: a refused receipt says why in words (its code kept for IT,
    // not `already-imported` alone), and a receipt's origin is not `local`.
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let (_, archive) = setup(dir);
    let a = archive.to_str().unwrap();
    let out = run_env(dir, &JA, &["unpack", a, "-o", "out", "-i", "key.txt", "--receipt", "-q"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let receipt = format!("{a}.receipt");
    let out = run_env(dir, &JA, &["ledger", "import", &receipt, "--keep", "-q"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = fails_with(&run_env(dir, &JA, &["ledger", "import", &receipt, "--keep"]), 4, "bad-receipt");
    assert!(err.contains("この受領ファイルはすでに取り込み済みです（already-imported）"), "{err}");
    let shown = run_env(dir, &JA, &["ledger", "show", archive.file_name().unwrap().to_str().unwrap()]);
    let text = String::from_utf8_lossy(&shown.stdout).into_owned() + &stderr(&shown);
    assert!(shown.status.success(), "{text}");
    assert!(text.contains("このパソコンで展開") && text.contains("受領ファイルから取り込み"), "{text}");
    assert!(!text.contains("、local）") && !text.contains("、imported）"), "{text}");
}
