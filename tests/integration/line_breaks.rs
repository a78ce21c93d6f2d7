//! Japanese screens at a real terminal of 80 and 60 columns (issue #26 item
//! 3), as tmux draws them: no line wider than the terminal (a line the
//! terminal had to wrap by itself shows in `capture-pane -J` as one long
//! line), no line starting with 」）。、 or ending with 「（, no line drawn
//! twice (a guided question redrawn over a wrong count of lines), and a
//! command example never broken inside.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::support::{hakobu_bin, require, write, Session};

const NO_LINE_START: [char; 8] = ['」', '）', '。', '、', '』', '】', '，', '．'];
const NO_LINE_END: [char; 4] = ['「', '（', '『', '【'];

static SESSIONS: AtomicUsize = AtomicUsize::new(0);

/// One program in a tmux pane of `columns` columns, its own tmux server
/// (socket) so that nothing else is touched. Each step waits until `expect`
/// is on the screen, then types `keys`. Returns the screen with wrapped
/// lines joined, once the program has ended.
fn screen(cwd: &Path, env: &[(&str, &str)], args: &[&str], columns: u16, steps: &[(&str, &str)]) -> String {
    let socket = format!("hakobu-lb-{}-{}", std::process::id(), SESSIONS.fetch_add(1, Ordering::SeqCst));
    let quote = |s: &str| format!("'{}'", s.replace('\'', r"'\''"));
    let mut line = vec!["env".to_owned(), "-u".to_owned(), "HAKOBU_IDENTITY".to_owned()];
    let no_pinentry = cwd.join("no-pinentry-here").display().to_string();
    let fixed = [
        ("HOME", cwd.display().to_string()),
        ("XDG_CONFIG_HOME", cwd.join(".no-config").display().to_string()),
        ("XDG_DATA_HOME", cwd.join(".no-data").display().to_string()),
        ("PINENTRY_PROGRAM", no_pinentry),
        ("LANG", "C.UTF-8".to_owned()),
    ];
    line.extend(fixed.iter().map(|(k, v)| quote(&format!("{k}={v}"))));
    line.extend(env.iter().map(|(k, v)| quote(&format!("{k}={v}"))));
    line.push(quote(&hakobu_bin().display().to_string()));
    line.extend(args.iter().map(|a| quote(a)));
    let shell = format!("{}; echo \"[exit $?]\"; sleep 120", line.join(" "));
    let tmux = |args: &[&str]| Command::new("tmux").args(["-u", "-L", &socket]).args(args).output().expect("run tmux");
    let (cols, cwd_text) = (columns.to_string(), cwd.display().to_string());
    let started = tmux(&["new-session", "-d", "-x", &cols, "-y", "150", "-c", &cwd_text, &shell]);
    assert!(started.status.success(), "tmux: {}", String::from_utf8_lossy(&started.stderr));
    let capture = || String::from_utf8_lossy(&tmux(&["capture-pane", "-p", "-J", "-S", "-"]).stdout).into_owned();
    let flat = |s: &str| s.lines().map(str::trim).collect::<String>();
    let deadline = Instant::now() + Duration::from_secs(60);
    let wait_for = |text: &str| {
        while !flat(&capture()).contains(text) {
            assert!(Instant::now() < deadline, "{text:?} never appeared:\n{}", capture());
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    for (expect, keys) in steps {
        wait_for(expect);
        std::thread::sleep(Duration::from_millis(500));
        tmux(&["send-keys", "-l", keys]);
    }
    wait_for("[exit ");
    let shown = capture();
    tmux(&["kill-session"]);
    shown
}

/// The checks every screen passes at `columns`. A line is never drawn twice
/// in a row; in the guided mode (questions redrawn) no sentence twice at all
/// (a table's rows may end alike).
fn assert_clean(screen: &str, columns: usize, what: &str) {
    check_screen(screen, columns, what, false)
}

fn assert_clean_guided(screen: &str, columns: usize, what: &str) {
    check_screen(screen, columns, what, true)
}

fn check_screen(screen: &str, columns: usize, what: &str, sentences_once: bool) {
    let mut seen = std::collections::HashSet::new();
    let mut previous = "";
    for line in screen.lines().map(str::trim_end) {
        let width = unicode_width::UnicodeWidthStr::width(line);
        assert!(width <= columns, "{what}: a line of {width} columns at {columns}:\n{line}\n---\n{screen}");
        let text = line.trim_start();
        assert!(!text.starts_with(NO_LINE_START), "{what}: a line starts with a closing mark:\n{line}\n---\n{screen}");
        assert!(!text.ends_with(NO_LINE_END), "{what}: a line ends with an opening mark:\n{line}\n---\n{screen}");
        // A short line may repeat by design (a blank, `<ファイル>...` in the
        // usage and the arguments), never twice in a row; a sentence never.
        assert!(text.is_empty() || line != previous, "{what}: a line drawn twice:\n{line}\n---\n{screen}");
        if sentences_once && width >= 16 && !text.starts_with("[exit") {
            assert!(seen.insert(text.to_owned()), "{what}: a line drawn twice:\n{line}\n---\n{screen}");
        }
        previous = line;
    }
}

/// A session with an address book (千葉支部 is its key), files to send and one archive.
fn office() -> (Session, String, std::path::PathBuf) {
    let s = Session::new();
    let config = s.path("config.toml").display().to_string();
    s.run_ok(&["recipients", "add", "千葉支部", &s.recipient, "--config", &config]);
    write(&s.path("会員名簿/2026/一覧.csv"), "番号,氏名\n1,架空 太郎\n".as_bytes());
    write(&s.path("会員名簿/メモ.txt"), &crate::support::synthetic_bytes(26, 300_000));
    let archive = s.pack(&["会員名簿"], "stick");
    (s, config, archive)
}

#[test]
fn japanese_screens_break_cleanly_at_80_and_60_columns() {
    if !require("tmux") {
        return;
    }
    let (s, config, archive) = office();
    let (a, k) = (archive.to_str().unwrap(), s.key.to_str().unwrap());
    let env = [("HAKOBU_LANG", "ja"), ("HAKOBU_CONFIG", config.as_str())];
    for columns in [80u16, 60] {
        let c = usize::from(columns);
        let out = format!("out{columns}");
        let dest = format!("受け取り{columns}");
        let runs: Vec<(&str, Vec<&str>)> = vec![
            ("pack", vec!["pack", "会員名簿", "-t", "千葉支部", "-o", &out, "--purpose", "月次報告の送付（本社の総務課あて）"]),
            ("unpack", vec!["unpack", a, "-i", k, "-o", &dest]),
            ("verify", vec!["verify", a]),
            ("verify of a stick folder", vec!["verify", "stick"]),
            ("list", vec!["list", a, "-i", k]),
            ("ledger list", vec!["ledger", "list"]),
            ("pack --help", vec!["pack", "--help"]),
            ("unpack --help", vec!["unpack", "--help"]),
        ];
        std::fs::create_dir_all(s.path(&out)).unwrap();
        for (what, args) in runs {
            let shown = screen(s.dir.path(), &env, &args, columns, &[]);
            assert!(shown.contains("[exit 0]"), "{what} at {columns} failed:\n{shown}");
            assert_clean(&shown, c, &format!("{what} at {columns}"));
        }
        // An error with its data line and its hint, which names a command.
        let shown = screen(s.dir.path(), &env, &["pack", "会員名簿", "-t", "存在しない支部の名前", "-o", &out], columns, &[]);
        assert!(shown.contains("code: unknown-name"), "{shown}");
        assert_clean(&shown, c, &format!("an error at {columns}"));
        let flat: String = shown.lines().map(str::trim).collect();
        assert!(flat.contains("hakobu recipients list"), "the command in the hint: {shown}");
        assert!(shown.contains("hakobu recipients list"), "a command example broken inside at {columns}:\n{shown}");
    }
}

#[test]
fn the_guided_send_and_receive_break_cleanly_and_draw_each_question_once() {
    if !require("tmux") {
        return;
    }
    let Some(stick) = crate::stick::Medium::exfat(32) else { return };
    let (s, config, _) = office();
    let stick_dir = stick.dir.display().to_string();
    let key = s.key.display().to_string();
    for columns in [80u16, 60] {
        let c = usize::from(columns);
        let env = [("HAKOBU_LANG", "ja"), ("HAKOBU_CONFIG", config.as_str()), ("HAKOBU_TEST_REMOVABLE", stick_dir.as_str())];
        let shown = screen(
            s.dir.path(),
            &env,
            &["会員名簿"],
            columns,
            &[("宛先を選んでください", "千葉"), ("千葉支部", "\r"), ("USBメモリを選んでください", "\r"), ("保存しますか", "y")],
        );
        assert!(shown.contains("[exit 0]"), "guided send at {columns}:\n{shown}");
        assert_clean_guided(&shown, c, &format!("guided send at {columns}"));
        let archive = std::fs::read_dir(&stick.dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|x| x == "age"))
            .expect("an archive on the stick");
        let env = [("HAKOBU_LANG", "ja"), ("HAKOBU_IDENTITY", key.as_str())];
        let dest = s.path(&format!("受け取り-guided-{columns}"));
        let shown = screen(
            s.dir.path(),
            &env,
            &[archive.to_str().unwrap()],
            columns,
            &[("展開先のフォルダーを指定してください", &format!("{}\r", dest.display())), ("フォルダーを開きますか", "n")],
        );
        assert!(shown.contains("[exit 0]"), "guided receive at {columns}:\n{shown}");
        assert_clean_guided(&shown, c, &format!("guided receive at {columns}"));
        assert!(dest.join("会員名簿/2026/一覧.csv").is_file(), "{shown}");
        for entry in std::fs::read_dir(&stick.dir).unwrap() {
            std::fs::remove_file(entry.unwrap().path()).unwrap();
        }
    }
}

#[test]
fn recipients_list_at_a_terminal_aligns_keys_by_display_width() {
    // Tab stops do not know that 千葉支部 takes eight columns and 本社 four:
    // at a terminal the keys start in one column; to a pipe, NAME<TAB>KEY stays.
    if !require("tmux") {
        return;
    }
    let (s, config, _) = office();
    let other = Session::new();
    s.run_ok(&["recipients", "add", "本社", &other.recipient, "--config", &config]);
    s.run_ok(&["recipients", "add", "monitoring", &other.recipient, "--config", &config]);
    let env = [("HAKOBU_LANG", "ja"), ("HAKOBU_CONFIG", config.as_str())];
    let shown = screen(s.dir.path(), &env, &["recipients", "list"], 100, &[]);
    assert!(shown.contains("[exit 0]"), "{shown}");
    let columns: Vec<usize> =
        shown.lines().filter_map(|l| l.find("age1").map(|at| unicode_width::UnicodeWidthStr::width(&l[..at]))).collect();
    assert_eq!(columns.len(), 3, "{shown}");
    assert!(columns.iter().all(|c| *c == columns[0]), "keys not aligned at {columns:?}:\n{shown}");
    // Narrower than a key: the key is never cut by a line break (what is copied must stay whole).
    let shown = screen(s.dir.path(), &env, &["recipients", "list"], 60, &[]);
    assert!(shown.contains(&other.recipient) && shown.contains(&s.recipient), "a key cut at 60 columns:\n{shown}");
    let piped = crate::support::run_env(s.dir.path(), &[("HAKOBU_CONFIG", config.as_str())], &["recipients", "list"]);
    assert!(String::from_utf8_lossy(&piped.stdout).contains(&format!("本社\t{}", other.recipient)), "{piped:?}");
}

/// A key printed at a terminal stays one line, whatever its width: an SSH
/// public key (`ssh-ed25519 AAAA…`, one space) was cut at its space with a
/// hanging indent, so the line IT copies was no longer a key (seen in the
/// office's day under Wine, whose console has a width).
#[test]
fn a_printed_signing_key_is_never_cut_at_its_space() {
    if !require("tmux") {
        return;
    }
    let s = Session::new();
    for columns in [80u16, 60] {
        let out = format!("sk{columns}");
        let shown = screen(s.dir.path(), &[("HAKOBU_LANG", "ja")], &["keygen", "--sign", "--no-passphrase", "-o", &out], columns, &[]);
        assert!(shown.contains("[exit 0]"), "{shown}");
        let public = fs::read_to_string(s.path(&format!("{out}.pub"))).unwrap_or_default();
        let key: String = public.split_whitespace().take(2).collect::<Vec<_>>().join(" ");
        let lines: Vec<&str> = shown.lines().filter(|l| l.contains("ssh-ed25519")).collect();
        assert!(!lines.is_empty(), "no key on the screen:\n{shown}");
        for l in lines {
            assert!(key.is_empty() || l.contains(&key), "the key is cut at {columns} columns:\n{shown}");
            assert!(l.contains(" AAAA"), "the key is cut at {columns} columns:\n{shown}");
        }
    }
}
