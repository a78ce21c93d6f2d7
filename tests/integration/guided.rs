//! The guided mode (#15) at a real terminal (`script` gives it a pty): a
//! drop-style `hakobu FOLDER` packs onto an exFAT stick declared removable
//! through the test hook, `hakobu ARCHIVE` unpacks into a new folder, and
//! Ctrl+C at a question leaves nothing written.

use std::fs;
use std::path::Path;

use crate::stick::Medium;
use crate::support::{assert_same_tree, hakobu_bin, require, write, Session};

/// Runs hakobu in a pty; each step waits until `expect` has appeared (once
/// more than before) and then types `keys`. Returns the exit code and the screen.
/// Every screen of the guided mode is checked for command-line flags (issue
/// #25): a person there answers questions and cannot act on `-i` or `--split`.
fn drive(cwd: &Path, env: &[(&str, &str)], args: &[&str], steps: &[(&str, &str)]) -> (Option<i32>, String) {
    let mut program = vec![hakobu_bin().display().to_string()];
    program.extend(args.iter().map(|a| a.to_string()));
    let (code, screen) = drive_program(cwd, env, &program, steps);
    if args.first().is_none_or(|a| a.starts_with('-') || a.contains('/') || !a.is_ascii()) {
        assert_no_flags(&screen);
    }
    (code, screen)
}

/// A guided screen names no command-line option: no `--x`, no ` -x ` word.
pub fn assert_no_flags(screen: &str) {
    let words: Vec<&str> = screen.split(|c: char| c.is_whitespace() || "（(「`".contains(c)).collect();
    let flags: Vec<&&str> = words
        .iter()
        .filter(|w| w.starts_with("--") || (w.len() == 2 && w.starts_with('-') && w.as_bytes()[1].is_ascii_alphabetic()))
        .collect();
    assert!(flags.is_empty() && !screen.contains("--"), "a flag on a guided screen: {flags:?}\n{screen}");
}

/// [`drive`] for any program line (hakobu.exe under Wine), at an xterm.
pub fn drive_program(cwd: &Path, env: &[(&str, &str)], program: &[String], steps: &[(&str, &str)]) -> (Option<i32>, String) {
    let env: Vec<(&str, &str)> = std::iter::once(("TERM", "xterm")).chain(env.iter().copied()).collect();
    crate::support::drive_in_pty(cwd, &env, program, steps)
}

/// A session with an address book naming two offices (千葉支部 is this session's key).
fn office_session() -> (Session, String) {
    let s = Session::new();
    let config = s.path("config.toml");
    let other = Session::new();
    s.run_ok(&["recipients", "add", "千葉支部", &s.recipient, "--config", config.to_str().unwrap()]);
    s.run_ok(&["recipients", "add", "本社", &other.recipient, "--config", config.to_str().unwrap()]);
    write(&s.path("会員名簿/2026/一覧.csv"), "番号,氏名\n1,架空 太郎\n".as_bytes());
    write(&s.path("会員名簿/メモ.txt"), &crate::support::synthetic_bytes(15, 200_000));
    (s, config.display().to_string())
}

/// The drop `hakobu 会員名簿` in an office session with `stick` the one
/// stick inserted: types "千葉" to filter the offices, takes 千葉支部 and the
/// stick, confirms. Returns the session, the exit code and the screen.
fn drop_onto(stick: &Path) -> (Session, Option<i32>, String) {
    let (s, config) = office_session();
    let stick_dir = stick.display().to_string();
    let env = [("HAKOBU_LANG", "ja"), ("HAKOBU_CONFIG", config.as_str()), ("HAKOBU_TEST_REMOVABLE", stick_dir.as_str())];
    let (code, screen) = drive(
        s.dir.path(),
        &env,
        &["会員名簿"],
        &[("宛先を選んでください", "千葉"), ("千葉支部", "\r"), ("保存するUSBメモリを選んでください", "\r"), ("保存しますか", "y")],
    );
    (s, code, screen)
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

#[test]
fn guided_pack_onto_an_exfat_stick_then_guided_unpack() {
    if !require("script") {
        return;
    }
    let Some(stick) = Medium::exfat(32) else { return };
    let (s, code, screen) = drop_onto(&stick.dir);
    assert_eq!(code, Some(0), "guided pack:\n{screen}");
    assert!(screen.contains("送るもの：2 個のファイル"), "{screen}");
    assert!(screen.contains("exFAT"), "the stick's file system is shown:\n{screen}");
    assert!(screen.contains("千葉支部だけが開けます。USBメモリ"), "{screen}");
    assert!(screen.contains("USBメモリを取り外しても大丈夫です"), "{screen}");
    assert!(screen.contains("保存しますか？ はい"), "the answer is shown in Japanese:\n{screen}");
    assert!(screen.contains("[y: はい / n: いいえ、Enter: はい]") && !screen.contains("[Y/n]"), "the keys in Japanese:\n{screen}");
    let on_stick = entries(&stick.dir);
    let archive = on_stick.iter().find(|n| n.ends_with(".age")).unwrap_or_else(|| panic!("no archive on the stick: {on_stick:?}"));
    assert!(screen.contains(archive.as_str()), "the receiver is told the archive's name:\n{screen}");
    // Only the archive and its checksum file: nothing readable on the stick.
    assert_eq!(on_stick.len(), 2, "{on_stick:?}");
    // Only 千葉支部 can open it: the verify report names the one recipient stanza.
    let archive = stick.dir.join(archive);

    // The other side: a drop of the archive; the default key; a new folder.
    let key = s.key.display().to_string();
    let env = [("HAKOBU_LANG", "ja"), ("HAKOBU_IDENTITY", key.as_str())];
    let dest = s.path("受け取り");
    let (code, screen) = drive(
        s.dir.path(),
        &env,
        &[archive.to_str().unwrap()],
        &[("展開先のフォルダーを指定してください", &format!("{}\r", dest.display())), ("フォルダーを開きますか", "n")],
    );
    assert_eq!(code, Some(0), "guided unpack:\n{screen}");
    assert!(screen.contains("展開しました。すべて検証済みです"), "{screen}");
    assert_same_tree(&s.path("会員名簿"), &dest.join("会員名簿"));
    // Nothing readable: the receipt for the sender's ledger (no contents) beside the archive.
    let after = entries(&stick.dir);
    assert_eq!(after.len(), 3, "guided unpack wrote onto the stick: {after:?}");
    assert!(after.iter().any(|n| n.ends_with(".age.receipt")), "{after:?}");
    assert!(screen.contains("受領ファイル") && screen.contains(".age.receipt"), "{screen}");
}

#[test]
fn guided_unpack_asks_again_for_a_refused_destination() {
    // The stick as the folder to unpack into is refused (no plaintext on a
    // stick) and the question is asked again, without advice about flags.
    if !require("script") {
        return;
    }
    let (s, _) = office_session();
    fs::create_dir(s.path("stick")).unwrap();
    let archive = s.pack(&["会員名簿"], "stick");
    let stick = s.path("stick").display().to_string();
    let key = s.key.display().to_string();
    let dest = s.path("受け取り");
    let languages = [
        ("en", "The folder to unpack into", "Choose a folder on this PC", "Open the folder?"),
        (
            "ja",
            "展開先のフォルダーを指定してください",
            "このパソコンのフォルダー（ドキュメントなど）を、もう一度指定してください",
            "フォルダーを開きますか",
        ),
    ];
    for (lang, question, again, open) in languages {
        let env = [("HAKOBU_LANG", lang), ("HAKOBU_IDENTITY", key.as_str()), ("HAKOBU_TEST_REMOVABLE", stick.as_str())];
        let (code, screen) = drive(
            s.dir.path(),
            &env,
            &[archive.to_str().unwrap()],
            &[(question, &format!("{stick}/out\r")), (again, ""), (question, &format!("{}\r", dest.join(lang).display())), (open, "n")],
        );
        assert_eq!(code, Some(0), "{screen}");
        assert!(screen.contains("code: destination-on-archive-medium"), "{screen}");
        assert!(!s.path("stick/out").exists(), "plaintext on the archive's medium:\n{screen}");
        assert_same_tree(&s.path("会員名簿"), &dest.join(lang).join("会員名簿"));
    }
}

#[test]
fn a_receiver_without_a_default_key_chooses_a_key_file() {
    // No key file in this PC's usual place, then another office's key: each
    // time the receiver is asked for a key file, never told about `-i`.
    if !require("script") {
        return;
    }
    let (s, _) = office_session();
    fs::create_dir(s.path("stick")).unwrap();
    let archive = s.pack(&["会員名簿"], "stick");
    let other = Session::new();
    let wrong = other.key.display().to_string();
    let key = s.key.display().to_string();
    let dest = s.path("受け取り");
    let env = [("HAKOBU_LANG", "ja")];
    let (code, screen) = drive(
        s.dir.path(),
        &env,
        &[archive.to_str().unwrap()],
        &[
            ("展開先のフォルダーを指定してください", &format!("{}\r", dest.display())),
            ("鍵ファイルをこの画面にドラッグして", &format!("{wrong}\r")),
            ("鍵ファイルをこの画面にドラッグして", &format!("{key}\r")),
            ("フォルダーを開きますか", "n"),
        ],
    );
    assert_eq!(code, Some(0), "{screen}");
    assert!(screen.contains("このパソコンの決まった場所にありません"), "{screen}");
    assert!(screen.contains("code: wrong-key"), "{screen}");
    assert_same_tree(&s.path("会員名簿"), &dest.join("会員名簿"));
    // The receipt going back says what happened last: verified, not the refused attempt's.
    let receipt = fs::read_to_string(format!("{}.receipt", archive.display())).expect("a receipt");
    assert!(receipt.contains("\"verified\""), "{receipt}");
    assert!(!screen.contains("File exists"), "{screen}");
    fs::remove_file(format!("{}.receipt", archive.display())).unwrap();
    // In English too: the words of the question and of the missing key.
    let env = [("HAKOBU_LANG", "en")];
    let dest = s.path("received-en");
    let (code, screen) = drive(
        s.dir.path(),
        &env,
        &[archive.to_str().unwrap()],
        &[
            ("The folder to unpack into", &format!("{}\r", dest.display())),
            ("The key file (drag it", &format!("{key}\r")),
            ("Open the folder?", "n"),
        ],
    );
    assert_eq!(code, Some(0), "{screen}");
    assert!(screen.contains("none in this PC's usual place"), "{screen}");
    assert_same_tree(&s.path("会員名簿"), &dest.join("会員名簿"));
}

#[test]
fn every_dropped_archive_is_unpacked_and_reported() {
    if !require("script") {
        return;
    }
    let (s, _) = office_session();
    write(&s.path("申請書/届出.txt"), "架空の届出\n".as_bytes());
    fs::create_dir(s.path("stick")).unwrap();
    let first = s.pack(&["会員名簿"], "stick");
    let second = s.pack(&["申請書"], "stick");
    let key = s.key.display().to_string();
    let env = [("HAKOBU_LANG", "ja"), ("HAKOBU_IDENTITY", key.as_str())];
    let (code, screen) = drive(
        s.dir.path(),
        &env,
        &[first.to_str().unwrap(), second.to_str().unwrap()],
        &[
            ("アーカイブ 1／2", ""),
            ("展開先のフォルダーを指定してください", &format!("{}\r", s.path("一つ目").display())),
            ("アーカイブ 2／2", ""),
            ("展開先のフォルダーを指定してください", &format!("{}\r", s.path("二つ目").display())),
            ("フォルダーを開きますか", "n"),
        ],
    );
    assert_eq!(code, Some(0), "{screen}");
    assert_same_tree(&s.path("会員名簿"), &s.path("一つ目/会員名簿"));
    assert_same_tree(&s.path("申請書"), &s.path("二つ目/申請書"));
    assert_eq!(screen.matches("展開しました。すべて検証済みです").count(), 2, "{screen}");
    assert!(screen.contains("2 個のアーカイブをすべて展開しました"), "{screen}");

    // One of them damaged: the other is still unpacked, and the end says one failed.
    let mut bytes = fs::read(&first).unwrap();
    bytes.truncate(bytes.len() / 2);
    fs::write(&first, bytes).unwrap();
    let env = [("HAKOBU_LANG", "en"), ("HAKOBU_IDENTITY", key.as_str())];
    let (code, screen) = drive(
        s.dir.path(),
        &env,
        &[first.to_str().unwrap(), second.to_str().unwrap()],
        &[
            ("The folder to unpack into", &format!("{}\r", s.path("third").display())),
            ("Archive 2 of 2", ""),
            ("The folder to unpack into", &format!("{}\r", s.path("fourth").display())),
            ("Open the folder?", "n"),
        ],
    );
    assert_eq!(code, Some(1), "the first failure's exit code:\n{screen}");
    assert!(!s.path("third").join("会員名簿").exists(), "{screen}");
    assert_same_tree(&s.path("申請書"), &s.path("fourth/申請書"));
    assert!(screen.contains("Unpacked: 1. Not unpacked: 1"), "{screen}");
}

#[test]
fn ctrl_c_at_each_question_cancels_with_nothing_written() {
    if !require("script") {
        return;
    }
    let (s, config) = office_session();
    fs::create_dir(s.path("stick")).unwrap();
    let stick = s.path("stick").display().to_string();
    let env = [("HAKOBU_LANG", "ja"), ("HAKOBU_CONFIG", config.as_str()), ("HAKOBU_TEST_REMOVABLE", stick.as_str())];
    let steps: [&[(&str, &str)]; 4] = [
        &[("宛先を選んでください", "\x03")],
        &[("宛先を選んでください", "\r"), ("保存するUSBメモリを選んでください", "\x03")],
        &[("宛先を選んでください", "\r"), ("保存するUSBメモリを選んでください", "\r"), ("保存しますか", "\x03")],
        &[("宛先を選んでください", "\r"), ("保存するUSBメモリを選んでください", "\r"), ("保存しますか", "n")],
    ];
    for (i, steps) in steps.iter().enumerate() {
        let (code, screen) = drive(s.dir.path(), &env, &["会員名簿"], steps);
        assert_eq!(code, Some(130), "step {i}:\n{screen}");
        assert!(screen.contains("中止しました。何も保存していません"), "step {i}:\n{screen}");
        assert!(entries(&s.path("stick")).is_empty(), "step {i} wrote onto the stick:\n{screen}");
    }
    // The menu, then Ctrl+C at the question for the files (a line prompt: the signal ends the program).
    let (code, screen) = drive(s.dir.path(), &env, &[], &[("何をしますか", "\r"), ("送るファイルかフォルダー", "\x03")]);
    assert_eq!(code, Some(130), "{screen}");
    assert!(entries(&s.path("stick")).is_empty());
}

#[test]
fn without_a_terminal_the_guided_mode_refuses() {
    let s = Session::new();
    let out = s.run(&[]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs a terminal"), "{out:?}");
}

#[test]
fn setup_sendto_is_refused_off_windows_with_nothing_changed() {
    let s = Session::new();
    let err = s.run_fails(4, &["setup", "sendto"]);
    assert!(err.contains("Windows only"), "{err}");
    let out = crate::support::run_env(s.dir.path(), &[("HAKOBU_LANG", "ja")], &["setup", "sendto", "--remove"]);
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Windows 専用です"), "{out:?}");
}

#[test]
fn a_per_office_shortcut_skips_the_question_for_whom_but_not_the_confirmation() {
    if !require("script") {
        return;
    }
    let (s, config) = office_session();
    fs::create_dir(s.path("stick")).unwrap();
    let stick = s.path("stick").display().to_string();
    let env = [("HAKOBU_LANG", "ja"), ("HAKOBU_CONFIG", config.as_str()), ("HAKOBU_TEST_REMOVABLE", stick.as_str())];
    let (code, screen) = drive(
        s.dir.path(),
        &env,
        &["--office", "本社", "会員名簿"],
        &[("保存するUSBメモリを選んでください", "\r"), ("本社だけが開けます", ""), ("保存しますか", "y")],
    );
    assert_eq!(code, Some(0), "{screen}");
    assert!(!screen.contains("宛先を選んでください"), "{screen}");
    // This session's key (千葉支部) cannot open it: only 本社 can.
    let archive =
        fs::read_dir(s.path("stick")).unwrap().map(|e| e.unwrap().path()).find(|p| p.extension().is_some_and(|e| e == "age")).unwrap();
    s.run_fails(3, &["unpack", archive.to_str().unwrap(), "-o", "out", "-i", s.key.to_str().unwrap()]);
    // An unknown office is refused before anything is asked or written.
    let (code, screen) = drive(s.dir.path(), &env, &["--office", "大阪支部", "会員名簿"], &[]);
    assert_ne!(code, Some(0), "{screen}");
    assert_eq!(entries(&s.path("stick")).len(), 2, "{screen}");
}

#[test]
fn options_before_a_command_still_reach_the_command() {
    // The guided mode's PATH arguments must not swallow a command's name.
    let (s, config) = office_session();
    let out = s.run_ok(&["--config", &config, "recipients", "list"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("千葉支部"), "{out:?}");
    s.run_ok(&["-q", "--config", &config, "recipients", "list"]);
}

#[test]
fn guided_verify_from_the_menu_checks_without_a_key_and_a_stick_folder() {
    if !require("script") {
        return;
    }
    let (s, _) = office_session();
    fs::create_dir(s.path("stick")).unwrap();
    let archive = s.pack(&["会員名簿"], "stick");
    let env = [("HAKOBU_LANG", "ja")];
    let (code, screen) = drive(
        s.dir.path(),
        &env,
        &[],
        &[
            ("何をしますか", "\x1b[B\x1b[B\r"),
            ("検証するアーカイブ", &format!("{}\r", archive.display())),
            ("どのように検証しますか", "\r"),
        ],
    );
    assert_eq!(code, Some(0), "{screen}");
    assert!(screen.contains("チェックサム") && screen.contains("合格"), "{screen}");
    // Damage one byte: the keyless check fails with verify's exit code 1.
    let mut bytes = fs::read(&archive).unwrap();
    let at = bytes.len() - 10;
    bytes[at] ^= 1;
    fs::write(&archive, bytes).unwrap();
    let (code, screen) = drive(
        s.dir.path(),
        &env,
        &[],
        &[
            ("何をしますか", "\x1b[B\x1b[B\r"),
            ("検証するアーカイブ", &format!("{}\r", archive.display())),
            ("どのように検証しますか", "\r"),
        ],
    );
    assert_eq!(code, Some(1), "{screen}");
    // A folder is the stick check (no question about keys).
    let (code, screen) = drive(
        s.dir.path(),
        &env,
        &[],
        &[("何をしますか", "\x1b[B\x1b[B\r"), ("検証するアーカイブ", &format!("{}\r", s.path("stick").display()))],
    );
    assert!(!screen.contains("どのように検証しますか"), "{screen}");
    assert_eq!(code, Some(1), "the damaged archive on the stick:\n{screen}");
}

#[test]
fn guided_verify_with_the_key_and_no_default_key_asks_for_a_key_file() {
    // Before: the missing default key was used (key-file-missing, with advice about -i).
    if !require("script") {
        return;
    }
    let (s, _) = office_session();
    fs::create_dir(s.path("stick")).unwrap();
    let archive = s.pack(&["会員名簿"], "stick");
    let env = [("HAKOBU_LANG", "ja")];
    let (code, screen) = drive(
        s.dir.path(),
        &env,
        &[],
        &[
            ("何をしますか", "\x1b[B\x1b[B\r"),
            ("検証するアーカイブ", &format!("{}\r", archive.display())),
            ("どのように検証しますか", "\x1b[B\r"),
            ("鍵ファイルをこの画面にドラッグして", &format!("{}\r", s.key.display())),
        ],
    );
    assert_eq!(code, Some(0), "{screen}");
    assert!(screen.contains("合格"), "{screen}");
    assert!(!screen.contains("key-file-missing"), "{screen}");
}

#[test]
fn what_pack_would_refuse_in_the_sources_is_refused_before_any_question() {
    if !require("script") {
        return;
    }
    let (s, config) = office_session();
    fs::create_dir(s.path("stick")).unwrap();
    // A link inside the folder: pack refuses links (docs/SECURITY.md) when it plans, before writing.
    std::os::unix::fs::symlink("/etc/hostname", s.path("会員名簿/link")).unwrap();
    let stick = s.path("stick").display().to_string();
    let env = [("HAKOBU_LANG", "en"), ("HAKOBU_CONFIG", config.as_str()), ("HAKOBU_TEST_REMOVABLE", stick.as_str())];
    let (code, screen) = drive(s.dir.path(), &env, &["会員名簿"], &[]);
    assert_eq!(code, Some(4), "{screen}");
    assert!(screen.contains("unsafe-source"), "pack's own reason:\n{screen}");
    assert!(!screen.contains("Who is it for"), "asked before refusing:\n{screen}");
    assert!(entries(&s.path("stick")).is_empty());
}

#[test]
fn a_key_file_in_the_dropped_folder_is_refused_before_any_question() {
    if !require("script") {
        return;
    }
    let (s, config) = office_session();
    fs::create_dir(s.path("stick")).unwrap();
    // The clerk's own key file, as `hakobu keygen` wrote it, left in the folder.
    fs::copy(&s.key, s.path("会員名簿/2026/identity.txt")).unwrap();
    let stick = s.path("stick").display().to_string();
    let env = [("HAKOBU_LANG", "ja"), ("HAKOBU_CONFIG", config.as_str()), ("HAKOBU_TEST_REMOVABLE", stick.as_str())];
    // No answers: a question asked would wait (and time out) instead of the refusal.
    let (code, screen) = drive(s.dir.path(), &env, &["会員名簿"], &[]);
    assert_eq!(code, Some(4), "{screen}");
    assert!(screen.contains("secret-key-in-sources") && screen.contains("identity.txt"), "pack's own reason:\n{screen}");
    assert!(screen.contains("は鍵ファイルのようです。鍵はデータと一緒に運べません。"), "pack's own words:\n{screen}");
    for question in ["宛先を選んでください", "保存するUSBメモリを選んでください", "保存しますか"] {
        assert!(!screen.contains(question), "asked {question:?} before refusing:\n{screen}");
    }
    assert!(entries(&s.path("stick")).is_empty(), "{screen}");
    // Refused while planning: not even the export ledger was opened (created).
    assert!(!s.path(".no-data/hakobu/ledger.jsonl").exists(), "the ledger was opened:\n{screen}");
}

#[test]
fn with_no_stick_inserted_it_says_so_and_a_folder_can_be_chosen() {
    if !require("script") {
        return;
    }
    let (s, config) = office_session();
    fs::create_dir(s.path("out")).unwrap();
    let none = s.path("no-stick-here").display().to_string();
    let env = [("HAKOBU_LANG", "ja"), ("HAKOBU_CONFIG", config.as_str()), ("HAKOBU_TEST_REMOVABLE", none.as_str())];
    let (code, screen) = drive(
        s.dir.path(),
        &env,
        &["会員名簿"],
        &[
            ("宛先を選んでください", "\r"),
            ("USBメモリが見つかりません", ""),
            // Look again (still none), then the folder instead.
            ("保存するUSBメモリを選んでください", "\r"),
            ("保存するUSBメモリを選んでください", "\x1b[B\r"),
            ("保存先のフォルダーを指定してください", "out\r"),
            ("保存しますか", "y"),
        ],
    );
    assert_eq!(code, Some(0), "{screen}");
    assert_eq!(screen.matches("USBメモリが見つかりません").count(), 2, "looked twice:\n{screen}");
    assert_eq!(entries(&s.path("out")).len(), 2, "{screen}");
    // A folder is no stick: nothing is said about removing one (issue #25).
    assert!(screen.contains("保存して、書き込み後の確認も済みました。"), "{screen}");
    assert!(!screen.contains("取り外しても大丈夫"), "{screen}");
}

#[test]
fn policy_can_keep_the_guided_mode_to_sticks() {
    if !require("script") {
        return;
    }
    let (s, config) = office_session();
    let text = fs::read_to_string(&config).unwrap();
    fs::write(&config, format!("[policy]\nguided_folder = false\n{text}")).unwrap();
    let none = s.path("no-stick-here").display().to_string();
    let env = [("HAKOBU_LANG", "ja"), ("HAKOBU_CONFIG", config.as_str()), ("HAKOBU_TEST_REMOVABLE", none.as_str())];
    // No stick, and no folder to choose instead: look again, then cancel.
    let (code, screen) =
        drive(s.dir.path(), &env, &["会員名簿"], &[("宛先を選んでください", "\r"), ("保存するUSBメモリを選んでください", "\x1b[B\r")]);
    assert_eq!(code, Some(130), "{screen}");
    assert!(!screen.contains("保存先のフォルダーを指定する"), "a folder was offered:\n{screen}");
    assert!(screen.contains("中止しました"), "{screen}");
}

#[test]
fn ctrl_c_while_the_guided_pack_writes_leaves_nothing_on_the_stick() {
    if !require("script") || !require("strace") {
        return;
    }
    let (s, config) = office_session();
    // 24 reads of 1 MiB, each delayed 0.1 s: the pack is still writing when Ctrl+C comes.
    let big = s.path("会員名簿/スキャン.bin");
    write(&big, &crate::support::synthetic_bytes(9, 24 << 20));
    fs::create_dir(s.path("stick")).unwrap();
    let stick = s.path("stick").display().to_string();
    let env = [("TERM", "xterm"), ("HAKOBU_LANG", "ja"), ("HAKOBU_CONFIG", config.as_str()), ("HAKOBU_TEST_REMOVABLE", stick.as_str())];
    let line: Vec<String> = ["strace", "-D", "-f", "-o", "/dev/null", "-P", big.to_str().unwrap(), "-e", "inject=read:delay_exit=100000"]
        .iter()
        .map(|a| a.to_string())
        .chain([hakobu_bin().display().to_string(), "会員名簿".to_string()])
        .collect();
    let (code, screen) = crate::support::drive_in_pty(
        s.dir.path(),
        &env,
        &line,
        &[("宛先を選んでください", "\r"), ("保存するUSBメモリを選んでください", "\r"), ("保存しますか", "y"), ("暗号化しています", "\x03")],
    );
    assert_eq!(code, Some(130), "{screen}");
    assert!(screen.contains("中止しました。何も保存していません"), "{screen}");
    // Not even a temporary file is left behind.
    assert!(entries(&s.path("stick")).is_empty(), "{:?}\n{screen}", entries(&s.path("stick")));
}

#[test]
fn a_guided_unpack_asks_for_the_key_files_passphrase_without_echoing_it() {
    if !require("script") {
        return;
    }
    let s = Session::new();
    write(&s.path("会員名簿/一覧.csv"), "番号,氏名\n1,架空 太郎\n".as_bytes());
    let phrase = "synthetic guided phrase 9Kq";
    let typed = format!("{phrase}\r");
    let env = [("HAKOBU_LANG", "ja")];
    let (code, screen) = drive(
        s.dir.path(),
        &env,
        &["keygen", "-o", "protected.txt"],
        &[("新しい鍵ファイルを守るパスフレーズを入力してください", &typed), ("確認のため", &typed)],
    );
    assert_eq!(code, Some(0), "{screen}");
    let public = screen.split_whitespace().find(|w| w.starts_with("age1")).expect("the public key on screen").to_string();
    fs::create_dir(s.path("stick")).unwrap();
    s.run_ok(&["pack", "会員名簿", "-o", "stick", "-r", &public, "--name", "for-protected", "-q"]);

    let key = s.path("protected.txt").display().to_string();
    let env = [("HAKOBU_LANG", "ja"), ("HAKOBU_IDENTITY", key.as_str())];
    let dest = s.path("受け取り");
    let archive = s.path("stick/for-protected.age");
    let (code, screen) = drive(
        s.dir.path(),
        &env,
        &[archive.to_str().unwrap()],
        &[
            ("展開先のフォルダーを指定してください", &format!("{}\r", dest.display())),
            ("のパスフレーズを入力してください", &typed),
            ("フォルダーを開きますか", "n"),
        ],
    );
    assert_eq!(code, Some(0), "{screen}");
    assert!(!screen.contains(phrase), "the passphrase was echoed:\n{screen}");
    assert!(screen.contains("展開しました。すべて検証済みです"), "{screen}");
    assert_same_tree(&s.path("会員名簿"), &dest.join("会員名簿"));
}

#[test]
fn guided_pack_onto_a_fat32_stick() {
    // Most sticks come formatted FAT32: the guided mode names it and packs onto it.
    if !require("script") {
        return;
    }
    let Some(stick) = Medium::fat32(64) else { return };
    let (s, code, screen) = drop_onto(&stick.dir);
    assert_eq!(code, Some(0), "{screen}");
    assert!(screen.contains("FAT32"), "the stick's file system is shown:\n{screen}");
    assert!(screen.contains("USBメモリを取り外しても大丈夫です"), "{screen}");
    let archive = entries(&stick.dir).into_iter().find(|n| n.ends_with(".age")).unwrap_or_else(|| panic!("no archive:\n{screen}"));
    s.run_ok(&["unpack", stick.dir.join(archive).to_str().unwrap(), "-o", "back", "-i", s.key.to_str().unwrap()]);
    assert_same_tree(&s.path("会員名簿"), &s.path("back/会員名簿"));
}

/// The config of [`office_session`] with `tables` (TOML) put before it.
fn with_policy(config: &str, tables: &str) {
    let text = fs::read_to_string(config).unwrap();
    fs::write(config, format!("{tables}\n{text}")).unwrap();
}

/// The last record of the session's export ledger (the default place under the test's HOME).
fn last_record(s: &Session) -> serde_json::Value {
    let text = fs::read_to_string(s.path(".no-data/hakobu/ledger.jsonl")).expect("the ledger");
    serde_json::from_str(text.lines().last().expect("a record")).unwrap()
}

#[test]
fn the_guided_mode_asks_the_kind_of_data_and_the_purpose_policy_requires() {
    // The IT guide's recommended policy: without the questions every drop
    // ended in `ledger-tag-required` (issue #25).
    if !require("script") {
        return;
    }
    let (s, config) = office_session();
    with_policy(&config, "[ledger]\nrequire_category = true\nrequire_purpose = true");
    fs::create_dir(s.path("stick")).unwrap();
    let stick = s.path("stick").display().to_string();
    let env = [("HAKOBU_LANG", "ja"), ("HAKOBU_CONFIG", config.as_str()), ("HAKOBU_TEST_REMOVABLE", stick.as_str())];
    let (code, screen) = drive(
        s.dir.path(),
        &env,
        &["会員名簿"],
        &[
            ("宛先を選んでください", "千葉"),
            ("千葉支部", "\r"),
            ("データの種類を選んでください", "健診"),
            ("健診結果", "\r"),
            ("持ち出す目的を入力してください", "本社への提出\r"),
            ("保存するUSBメモリを選んでください", "\r"),
            ("保存しますか", "y"),
        ],
    );
    assert_eq!(code, Some(0), "{screen}");
    // docs/LEDGER.md's suggestions are the list when IT names none.
    assert!(screen.contains("被保険者・被扶養者の資格情報"), "{screen}");
    let record = last_record(&s);
    assert_eq!(record["categories"], serde_json::json!(["健診結果"]), "{record}");
    assert_eq!(record["purpose"], "本社への提出", "{record}");

    // IT's own list, in English; picked with the arrow keys.
    let text = fs::read_to_string(&config)
        .unwrap()
        .replace("require_purpose = true", "require_purpose = true\ncategories = [\"会員名簿\", \"申請書類\"]");
    fs::write(&config, text).unwrap();
    let env = [("HAKOBU_LANG", "en"), ("HAKOBU_CONFIG", config.as_str()), ("HAKOBU_TEST_REMOVABLE", stick.as_str())];
    let (code, screen) = drive(
        s.dir.path(),
        &env,
        &["会員名簿"],
        &[
            ("Who is it for?", "\r"),
            ("Choose the kind of data", "\x1b[B\r"),
            ("Type why the data is carried", "quarterly check\r"),
            ("Which USB stick?", "\r"),
            ("Save it?", "y"),
        ],
    );
    assert_eq!(code, Some(0), "{screen}");
    assert!(!screen.contains("健診結果"), "the suggestions replaced by IT's list:\n{screen}");
    let record = last_record(&s);
    assert_eq!(record["categories"], serde_json::json!(["申請書類"]), "{record}");
    assert_eq!(record["purpose"], "quarterly check", "{record}");

    // A shortcut IT made for one kind of data: that question is not asked.
    let env = [("HAKOBU_LANG", "ja"), ("HAKOBU_CONFIG", config.as_str()), ("HAKOBU_TEST_REMOVABLE", stick.as_str())];
    let (code, screen) = drive(
        s.dir.path(),
        &env,
        &["--office", "本社", "--category", "会員名簿", "会員名簿"],
        &[("持ち出す目的を入力してください", "定期送付\r"), ("保存するUSBメモリを選んでください", "\r"), ("保存しますか", "y")],
    );
    assert_eq!(code, Some(0), "{screen}");
    assert!(!screen.contains("データの種類"), "{screen}");
    assert_eq!(last_record(&s)["categories"], serde_json::json!(["会員名簿"]));
}

#[test]
fn the_confirmation_says_what_it_policy_adds_to_who_can_open_it() {
    // Not 「千葉支部だけが開けます。」 with the escrow key listed under it.
    if !require("script") {
        return;
    }
    let (s, config) = office_session();
    let it = Session::new();
    s.run_ok(&["recipients", "add", "監査", &it.recipient, "--config", &config]);
    with_policy(&config, "[policy]\nalways = [\"監査\"]\n[ledger]\naudit_recipients = [\"監査\"]");
    fs::create_dir(s.path("stick")).unwrap();
    let stick = s.path("stick").display().to_string();
    let languages = [
        (
            "ja",
            "宛先を選んでください",
            "保存しますか",
            "千葉支部と、運用ルールで加わる情報システム担当の控えの鍵が開けます。",
            "控えの鍵: 監査 (age1",
        ),
        (
            "en",
            "Who is it for?",
            "Save it?",
            "千葉支部 can open it, and so can the IT escrow key that IT's policy adds.",
            "escrow key: 監査 (age1",
        ),
    ];
    for (lang, ask_office, ask_go, who, escrow) in languages {
        let env = [("HAKOBU_LANG", lang), ("HAKOBU_CONFIG", config.as_str()), ("HAKOBU_TEST_REMOVABLE", stick.as_str())];
        let (code, screen) = drive(s.dir.path(), &env, &["会員名簿"], &[(ask_office, "\r"), ("stick", "\r"), (ask_go, "n")]);
        assert_eq!(code, Some(130), "{screen}");
        assert!(screen.contains(who), "{screen}");
        assert!(screen.contains(escrow), "{screen}");
        assert!(!screen.contains("だけが開けます") && !screen.contains("Only 千葉支部"), "{screen}");
        // The audit copy in the ledger is said for what it is.
        assert!(screen.contains("監査用の鍵（監査）") || screen.contains("audit key (監査)"), "{screen}");
        // The escrow key is no office to send to, and a passphrase (refused with escrow) is not offered.
        let list = &screen[screen.find(ask_office).unwrap()..screen.find(who).unwrap()];
        assert!(!list.contains("監査"), "escrow offered as an office:\n{list}");
        assert!(!list.contains("パスフレーズ") && !list.contains("passphrase"), "{list}");
    }
    assert!(entries(&s.path("stick")).is_empty());
}

#[test]
fn a_stick_too_small_is_shown_unavailable_and_cannot_be_chosen() {
    // Offered, it failed after every question with advice about `--split`.
    if !require("script") {
        return;
    }
    let Some(small) = Medium::exfat(8) else { return };
    let (s, config) = office_session();
    write(&s.path("会員名簿/スキャン.bin"), &crate::support::synthetic_bytes(3, 12 << 20));
    fs::create_dir(s.path("big")).unwrap();
    let sticks = format!("{}:{}", small.dir.display(), s.path("big").display());
    let env = [("HAKOBU_LANG", "ja"), ("HAKOBU_CONFIG", config.as_str()), ("HAKOBU_TEST_REMOVABLE", sticks.as_str())];
    let (code, screen) = drive(
        s.dir.path(),
        &env,
        &["会員名簿"],
        &[("宛先を選んでください", "\r"), ("保存するUSBメモリを選んでください", "\r"), ("保存しますか", "y")],
    );
    assert_eq!(code, Some(0), "{screen}");
    let line = screen.lines().find(|l| l.contains("使えません")).unwrap_or_else(|| panic!("no stick marked unavailable:\n{screen}"));
    assert!(line.contains("exFAT") && line.contains("空き容量が足りません（必要 12."), "{line}");
    assert!(entries(&small.dir).is_empty(), "{screen}");
    assert_eq!(entries(&s.path("big")).len(), 2, "{screen}");
    // In English, and with only the small stick: nothing to choose but look again, a folder, cancel.
    let only = small.dir.display().to_string();
    let env = [("HAKOBU_LANG", "en"), ("HAKOBU_CONFIG", config.as_str()), ("HAKOBU_TEST_REMOVABLE", only.as_str())];
    let (code, screen) = drive(s.dir.path(), &env, &["会員名簿"], &[("Who is it for?", "\r"), ("Which USB stick?", "\x1b[B\x1b[B\r")]);
    assert_eq!(code, Some(130), "{screen}");
    assert!(screen.contains("not available, too little free space (12."), "{screen}");
    assert!(screen.contains("The sticks inserted cannot take the archive"), "{screen}");
    assert!(entries(&small.dir).is_empty(), "{screen}");
}

#[test]
fn a_stick_that_holds_what_is_sent_cannot_be_chosen() {
    // Dropping E:\名簿.csv onto hakobu: saving beside the readable original
    // would carry it in clear. That stick is shown unavailable, with the way out.
    if !require("script") {
        return;
    }
    let (s, config) = office_session();
    fs::create_dir(s.path("stick")).unwrap();
    fs::create_dir(s.path("other")).unwrap();
    write(&s.path("stick/名簿.csv"), "番号,氏名\n1,架空 花子\n".as_bytes());
    let sticks = format!("{}:{}", s.path("stick").display(), s.path("other").display());
    let env = [("HAKOBU_LANG", "ja"), ("HAKOBU_CONFIG", config.as_str()), ("HAKOBU_TEST_REMOVABLE", sticks.as_str())];
    let source = s.path("stick/名簿.csv").display().to_string();
    let (code, screen) = drive(
        s.dir.path(),
        &env,
        &[&source],
        &[("宛先を選んでください", "\r"), ("保存するUSBメモリを選んでください", "\r"), ("保存しますか", "y")],
    );
    assert_eq!(code, Some(0), "{screen}");
    let line = screen.lines().find(|l| l.contains("使えません")).unwrap_or_else(|| panic!("no stick marked unavailable:\n{screen}"));
    assert!(line.contains("送るファイルがこのUSBメモリにあります。先にこのパソコンにコピーしてから送ってください"), "{line}");
    assert_eq!(entries(&s.path("stick")), ["名簿.csv"], "{screen}");
    assert_eq!(entries(&s.path("other")).len(), 2, "{screen}");
}

#[test]
fn ctrl_c_after_one_of_two_archives_says_what_was_unpacked() {
    if !require("script") {
        return;
    }
    let (s, _) = office_session();
    write(&s.path("申請書/届出.txt"), "架空の届出\n".as_bytes());
    fs::create_dir(s.path("stick")).unwrap();
    let first = s.pack(&["会員名簿"], "stick");
    let second = s.pack(&["申請書"], "stick");
    let key = s.key.display().to_string();
    let env = [("HAKOBU_LANG", "ja"), ("HAKOBU_IDENTITY", key.as_str())];
    let (code, screen) = drive(
        s.dir.path(),
        &env,
        &[first.to_str().unwrap(), second.to_str().unwrap()],
        &[
            ("展開先のフォルダーを指定してください", &format!("{}\r", s.path("一つ目").display())),
            ("アーカイブ 2／2", ""),
            ("展開先のフォルダーを指定してください", "\x03"),
        ],
    );
    assert_eq!(code, Some(130), "{screen}");
    assert!(screen.contains("中止しました。展開済みの 1 個はそのままです。"), "{screen}");
    assert!(!screen.contains("何も保存していません"), "not true after one was unpacked:\n{screen}");
    assert_same_tree(&s.path("会員名簿"), &s.path("一つ目/会員名簿"));
}

#[test]
fn where_signatures_are_required_the_sender_is_asked_for_a_signing_key() {
    // Before: signing-key-required, with advice about `--sign`, after every question.
    if !require("script") {
        return;
    }
    let (s, config) = office_session();
    with_policy(&config, "[signing]\nrequire_signature = true");
    s.run_ok(&["keygen", "--sign", "--no-passphrase", "-o", "sign.key"]);
    fs::create_dir(s.path("stick")).unwrap();
    let stick = s.path("stick").display().to_string();
    let env = [("HAKOBU_LANG", "ja"), ("HAKOBU_CONFIG", config.as_str()), ("HAKOBU_TEST_REMOVABLE", stick.as_str())];
    let (code, screen) = drive(
        s.dir.path(),
        &env,
        &["会員名簿"],
        &[
            ("宛先を選んでください", "\r"),
            ("保存するUSBメモリを選んでください", "\r"),
            ("署名鍵のファイルをこの画面にドラッグして", "no-such.key\r"),
            ("署名鍵のファイルをこの画面にドラッグして", "sign.key\r"),
            ("保存しますか", "y"),
        ],
    );
    assert_eq!(code, Some(0), "{screen}");
    assert!(screen.contains("code: signing-key-required") && screen.contains("code: key-file-missing"), "{screen}");
    let on_stick = entries(&s.path("stick"));
    assert!(on_stick.iter().any(|n| n.ends_with(".age.sig")), "{on_stick:?}");
}

/// A stick that holds a key file of the office the archive is for (in a
/// subfolder): the library refuses it (key-on-archive-medium) and the
/// guided mode asks for another stick instead of ending the session (#25).
#[test]
fn a_stick_holding_the_receivers_key_is_refused_and_another_is_asked_for() {
    if !require("script") {
        return;
    }
    let (s, config) = office_session();
    fs::create_dir_all(s.path("stick/backup")).unwrap();
    fs::create_dir(s.path("other")).unwrap();
    // 千葉支部 is this session's key: its secret key file lies on the first stick.
    fs::copy(&s.key, s.path("stick/backup/key.txt")).unwrap();
    let sticks = format!("{}:{}", s.path("stick").display(), s.path("other").display());
    let env = [("HAKOBU_LANG", "ja"), ("HAKOBU_CONFIG", config.as_str()), ("HAKOBU_TEST_REMOVABLE", sticks.as_str())];
    let (code, screen) = drive(
        s.dir.path(),
        &env,
        &["会員名簿"],
        &[
            ("宛先を選んでください", "千葉"),
            ("千葉支部", "\r"),
            ("保存するUSBメモリを選んでください", "\r"),
            ("保存するUSBメモリを選んでください", "\x1b[B\r"),
            ("保存しますか", "y"),
        ],
    );
    assert_eq!(code, Some(0), "{screen}");
    assert!(screen.contains("code: key-on-archive-medium"), "the refusal was not shown:\n{screen}");
    assert!(!screen.contains("--"), "a flag was shown to a person:\n{screen}");
    assert_eq!(entries(&s.path("stick")), ["backup"], "something was written beside the key:\n{screen}");
    assert_eq!(entries(&s.path("other")).len(), 2, "{screen}");
}
