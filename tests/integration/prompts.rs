//! Passphrase questions as a person meets them (issue #12): through a fake
//! `pinentry` (the route taken when pinentry is installed) and on a terminal.
//! A new passphrase is confirmed on every route, a wrong one is asked again
//! up to three times, Cancel says "cancelled" (exit 130), and key errors say
//! which file is wrong and why.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::support::*;

/// A pinentry speaking just enough Assuan: OK to every setting (logged),
/// one answer from the answers file per GETPIN (logged as `GETPIN`):
/// `<cancel>` presses Cancel, an empty line answers nothing.
const FAKE_PINENTRY: &str = r#"#!/bin/sh
answers="$FAKE_PINENTRY_ANSWERS"
log="$FAKE_PINENTRY_LOG"
counter="$answers.next"
echo "OK Pleased to meet you"
while IFS= read -r line; do
  case "$line" in
    GETPIN*)
      n=$(cat "$counter" 2>/dev/null || echo 1)
      answer=$(sed -n "${n}p" "$answers")
      echo $((n + 1)) > "$counter"
      echo "GETPIN" >> "$log"
      case "$answer" in
        "<cancel>") echo "ERR 83886179 Operation cancelled <Pinentry>" ;;
        "") echo "OK" ;;
        *) printf 'D %s\nOK\n' "$answer" ;;
      esac ;;
    BYE*) echo "OK closing connection"; exit 0 ;;
    *) printf '%s\n' "$line" >> "$log"; echo "OK" ;;
  esac
done
"#;

/// The fake pinentry in a session, with its answers for the next run.
struct Pinentry {
    program: PathBuf,
    answers: PathBuf,
    log: PathBuf,
}

impl Pinentry {
    fn new(dir: &Path) -> Self {
        let program = dir.join("fake-pinentry");
        fs::write(&program, FAKE_PINENTRY).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&program, fs::Permissions::from_mode(0o755)).unwrap();
        }
        Pinentry { program, answers: dir.join("pinentry-answers"), log: dir.join("pinentry.log") }
    }

    /// Runs hakobu with these answers; returns its output and the log of the dialogs.
    fn run(&self, cwd: &Path, answers: &[&str], args: &[&str]) -> (Output, String) {
        self.run_lang(cwd, "en", answers, args)
    }

    /// [`Pinentry::run`] in a language (`HAKOBU_LANG`).
    fn run_lang(&self, cwd: &Path, lang: &str, answers: &[&str], args: &[&str]) -> (Output, String) {
        let mut text = answers.join("\n");
        text.push('\n');
        fs::write(&self.answers, text).unwrap();
        let _ = fs::remove_file(self.answers.with_file_name("pinentry-answers.next"));
        let _ = fs::remove_file(&self.log);
        let env = [
            ("PINENTRY_PROGRAM", self.program.to_str().unwrap()),
            ("FAKE_PINENTRY_ANSWERS", self.answers.to_str().unwrap()),
            ("FAKE_PINENTRY_LOG", self.log.to_str().unwrap()),
            ("HAKOBU_LANG", lang),
        ];
        let out = run_env(cwd, &env, args);
        let log = fs::read_to_string(&self.log).unwrap_or_default();
        // Every text handed to pinentry is plain: no Unicode isolation marks.
        assert!(!log.contains(['\u{2068}', '\u{2069}']), "isolation marks reached pinentry:\n{log}");
        (out, log)
    }
}

fn getpins(log: &str) -> usize {
    log.lines().filter(|l| *l == "GETPIN").count()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn sh() -> bool {
    cfg!(unix) && require("sh")
}

const STRONG: &str = "synthetic tulip orbit canvas 運ぶ";

#[test]
fn keygen_confirms_the_new_passphrase_through_pinentry() {
    if !sh() {
        return;
    }
    let s = Session::new();
    let p = Pinentry::new(s.dir.path());

    // Asked twice: the passphrase and its confirmation, each its own dialog.
    let (o, log) = p.run(s.dir.path(), &[STRONG, STRONG], &["keygen", "-o", "k1.txt"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(getpins(&log), 2, "{log}");
    assert!(fs::read_to_string(s.path("k1.txt")).unwrap().starts_with("-----BEGIN AGE ENCRYPTED FILE-----"));

    // A typo in the confirmation is caught and asked again, with the reason shown.
    let (o, log) = p.run(s.dir.path(), &[STRONG, "synthetic typo", STRONG, STRONG], &["keygen", "-o", "k2.txt"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(getpins(&log), 4, "{log}");
    assert!(log.contains("SETERROR The two entries differ"), "{log}");
    assert!(s.path("k2.txt").is_file());

    // Three mismatches: refused, nothing written.
    let answers = [STRONG, "synthetic 1", STRONG, "synthetic 2", STRONG, "synthetic 3"];
    let (o, log) = p.run(s.dir.path(), &answers, &["keygen", "-o", "k3.txt"]);
    assert_eq!(o.status.code(), Some(3), "{}", err(&o));
    assert!(err(&o).contains("code: passphrases-differ"), "{}", err(&o));
    assert_eq!(getpins(&log), 6, "{log}");
    assert!(!s.path("k3.txt").exists());

    // An empty answer asks again instead of giving up.
    let (o, log) = p.run(s.dir.path(), &["", STRONG, STRONG], &["keygen", "-o", "k4.txt"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(getpins(&log), 3, "{log}");
    assert!(log.contains("SETERROR An empty answer protects nothing"), "{log}");
    assert!(s.path("k4.txt").is_file());
}

#[test]
fn pack_p_confirms_the_passphrase_through_pinentry() {
    if !sh() {
        return;
    }
    let s = Session::new();
    write(&s.path("src/名簿.csv"), "山田 太郎,synthetic\n".as_bytes());
    fs::create_dir(s.path("stick")).unwrap();
    let p = Pinentry::new(s.dir.path());
    // A typo in the confirmation: asked again (here the person then cancels).
    let (o, log) = p.run(s.dir.path(), &[STRONG, "synthetic typo", "<cancel>"], &["pack", "src", "-o", "stick", "-p", "--name", "x", "-q"]);
    assert_eq!(o.status.code(), Some(130), "{}", err(&o));
    assert_eq!(getpins(&log), 3, "the passphrase was not asked again after a mismatch: {log}");
    assert_eq!(listing(&s.path("stick")), "", "something was written");

    let (o, log) = p.run(s.dir.path(), &[STRONG, STRONG], &["pack", "src", "-o", "stick", "-p", "--name", "x", "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(getpins(&log), 2, "{log}");
    let (o, log) = p.run(s.dir.path(), &[STRONG], &["unpack", "stick/x.age", "-o", "received", "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(getpins(&log), 1, "{log}");
    assert_same_tree(&s.path("src"), &s.path("received/src"));

    // An empty answer still means "generate one", shown with its strength.
    let (o, log) = p.run(s.dir.path(), &[""], &["pack", "src", "-o", "stick", "-p", "--name", "g", "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(getpins(&log), 1, "{log}");
    let text = err(&o);
    assert!(text.contains("Generated passphrase (about 118 bits") && text.contains("group by group"), "{text}");
    let generated = text.lines().map(str::trim).find(|l| l.len() == 29 && l.matches('-').count() == 5).expect("the passphrase line");
    let (o, _) = p.run(s.dir.path(), &[generated], &["unpack", "stick/g.age", "-o", "received-g", "-q"]);
    assert_eq!(o.status.code(), Some(0), "the generated passphrase does not open the archive: {}", err(&o));

    // The same note in Japanese: the passphrase alone on its line, indented.
    let (o, _) = p.run_lang(s.dir.path(), "ja", &[""], &["pack", "src", "-o", "stick", "-p", "--name", "gj", "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = err(&o);
    assert!(text.contains("パスフレーズを作りました（約 118 ビット") && text.contains("電話など"), "{text}");
    let line = text.lines().find(|l| l.trim().len() == 29 && l.matches('-').count() == 5).expect("the passphrase line");
    assert!(line.starts_with("    ") && !line.starts_with("     "), "{line:?}");
    let (o, _) = p.run(s.dir.path(), &[line.trim()], &["unpack", "stick/gj.age", "-o", "received-gj", "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
}

#[test]
fn a_weak_chosen_passphrase_is_warned_about() {
    if !sh() {
        return;
    }
    let s = Session::new();
    let p = Pinentry::new(s.dir.path());
    let (o, log) = p.run(s.dir.path(), &["taro1", "taro1"], &["keygen", "-o", "weak.txt"]);
    assert_eq!(o.status.code(), Some(0), "a weak passphrase is warned about, not refused: {}", err(&o));
    assert!(err(&o).contains("warning: weak choice"), "{}", err(&o));
    assert!(log.contains("SETERROR weak choice"), "the confirmation dialog does not show the warning: {log}");
    let (o, _) = p.run(s.dir.path(), &[STRONG, STRONG], &["keygen", "-o", "strong.txt"]);
    assert!(!err(&o).contains("weak"), "{}", err(&o));
}

#[test]
fn cancel_in_pinentry_says_cancelled_and_exits_130() {
    if !sh() {
        return;
    }
    let s = Session::new();
    write(&s.path("src/a.txt"), b"synthetic");
    fs::create_dir(s.path("stick")).unwrap();
    let p = Pinentry::new(s.dir.path());
    let (o, _) = p.run(s.dir.path(), &["<cancel>"], &["keygen", "-o", "k.txt"]);
    assert_eq!(o.status.code(), Some(130), "{}", err(&o));
    assert!(err(&o).contains("error: cancelled") && err(&o).contains("code: cancelled"), "{}", err(&o));
    assert!(!s.path("k.txt").exists());

    let (o, _) = p.run(s.dir.path(), &[STRONG, STRONG], &["pack", "src", "-o", "stick", "-p", "--name", "x", "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let (o, _) = p.run(s.dir.path(), &["<cancel>"], &["unpack", "stick/x.age", "-o", "received", "-q"]);
    assert_eq!(o.status.code(), Some(130), "{}", err(&o));
    assert!(err(&o).contains("code: cancelled") && !err(&o).contains("wrong"), "{}", err(&o));
}

#[test]
fn a_wrong_archive_passphrase_is_asked_again_three_times() {
    if !sh() {
        return;
    }
    let s = Session::new();
    write(&s.path("src/a.txt"), b"synthetic");
    fs::create_dir(s.path("stick")).unwrap();
    let p = Pinentry::new(s.dir.path());
    let (o, _) = p.run(s.dir.path(), &[STRONG, STRONG], &["pack", "src", "-o", "stick", "-p", "--name", "x", "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let (o, log) = p.run(s.dir.path(), &["synthetic wrong", STRONG], &["unpack", "stick/x.age", "-o", "r1", "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(getpins(&log), 2, "{log}");
    assert!(log.contains("(try 2 of 3)"), "the second dialog does not say why: {log}");
    let (o, log) = p.run(s.dir.path(), &["w1", "w2", "w3"], &["unpack", "stick/x.age", "-o", "r2", "-q"]);
    assert_eq!(o.status.code(), Some(3), "{}", err(&o));
    assert_eq!(getpins(&log), 3, "{log}");
    assert!(err(&o).contains("code: wrong-passphrase"), "{}", err(&o));
}

#[test]
fn a_wrong_key_file_passphrase_is_asked_again_three_times() {
    if !sh() {
        return;
    }
    let s = Session::new();
    write(&s.path("src/a.txt"), b"synthetic");
    fs::create_dir(s.path("stick")).unwrap();
    let p = Pinentry::new(s.dir.path());
    let (o, _) = p.run(s.dir.path(), &[STRONG, STRONG], &["keygen", "-o", "protected.txt"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let recipient = String::from_utf8(o.stdout).unwrap().trim().to_owned();
    s.run_ok(&["pack", "src", "-o", "stick", "-r", &recipient, "--name", "x", "-q"]);

    let (o, log) = p.run(s.dir.path(), &["w1", "w2", STRONG], &["unpack", "stick/x.age", "-o", "r1", "-i", "protected.txt", "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(getpins(&log), 3, "{log}");
    assert!(log.contains("SETDESC Enter the passphrase of the key file protected.txt"), "{log}");
    assert!(log.contains("(try 3 of 3)"), "{log}");
    assert_same_tree(&s.path("src"), &s.path("r1/src"));

    let (o, log) = p.run(s.dir.path(), &["w1", "w2", "w3"], &["unpack", "stick/x.age", "-o", "r2", "-i", "protected.txt", "-q"]);
    assert_eq!(o.status.code(), Some(3), "{}", err(&o));
    assert_eq!(getpins(&log), 3, "{log}");
    assert!(err(&o).contains("code: key-file-passphrase-wrong"), "{}", err(&o));
    assert!(!s.path("r2/src").exists());

    // Cancel on the second try is a cancel, not a wrong passphrase.
    let (o, _) = p.run(s.dir.path(), &["w1", "<cancel>"], &["unpack", "stick/x.age", "-o", "r3", "-i", "protected.txt", "-q"]);
    assert_eq!(o.status.code(), Some(130), "{}", err(&o));
    assert!(err(&o).contains("code: cancelled"), "{}", err(&o));
}

/// The terminal route (no pinentry): a wrong key-file passphrase is asked
/// again; Ctrl-D at the prompt cancels (exit 130).
#[test]
fn on_a_terminal_a_wrong_key_file_passphrase_is_asked_again_and_eof_cancels() {
    if !require("script") || !sh() {
        return;
    }
    let s = Session::new();
    write(&s.path("src/a.txt"), b"synthetic");
    fs::create_dir(s.path("stick")).unwrap();
    let p = Pinentry::new(s.dir.path());
    let (o, _) = p.run(s.dir.path(), &[STRONG, STRONG], &["keygen", "-o", "protected.txt"]);
    let recipient = String::from_utf8(o.stdout).unwrap().trim().to_owned();
    s.run_ok(&["pack", "src", "-o", "stick", "-r", &recipient, "--name", "x", "-q"]);
    let bin = hakobu_bin();
    let args = ["unpack", "stick/x.age", "-o", "r1", "-i", "protected.txt", "-q"];
    let (code, screen) = crate::core::run_program_in_pty(s.dir.path(), bin.to_str().unwrap(), &args, "assphrase", &["wrong one", STRONG]);
    assert_eq!(code, Some(0), "{screen}");
    assert!(screen.contains("That did not unlock the key file; try again (try 2 of 3)"), "{screen}");
    assert_same_tree(&s.path("src"), &s.path("r1/src"));

    let args = ["unpack", "stick/x.age", "-o", "r2", "-i", "protected.txt", "-q"];
    let (code, screen) = crate::core::run_program_in_pty(s.dir.path(), bin.to_str().unwrap(), &args, "assphrase", &["\u{4}"]);
    assert_eq!(code, Some(130), "{screen}");
    assert!(screen.contains("code: cancelled"), "{screen}");
}

/// The terminal route asks for the confirmation too, and again after a mismatch.
#[test]
fn on_a_terminal_keygen_asks_twice_and_again_after_a_mismatch() {
    if !require("script") {
        return;
    }
    let s = Session::new();
    let bin = hakobu_bin();
    let answers = [STRONG, "synthetic typo", STRONG, STRONG];
    let (code, screen) =
        crate::core::run_program_in_pty(s.dir.path(), bin.to_str().unwrap(), &["keygen", "-o", "k.txt"], "assphrase", &answers);
    assert_eq!(code, Some(0), "{screen}");
    assert_eq!(screen.matches("Passphrase to protect the new key file").count(), 2, "{screen}");
    assert_eq!(screen.matches("Type the same passphrase again").count(), 2, "{screen}");
    assert!(screen.contains("The two entries differ"), "{screen}");
    assert!(!screen.contains(STRONG), "the passphrase was echoed:\n{screen}");
    assert!(s.path("k.txt").is_file());
}

/// On a terminal in a Japanese locale: the questions are Japanese, nothing
/// is garbled (no replacement characters), and nothing typed is echoed.
#[test]
fn on_a_japanese_terminal_keygen_asks_in_japanese() {
    if !require("script") {
        return;
    }
    let s = Session::new();
    let bin = hakobu_bin();
    let answers = [STRONG, "synthetic typo", STRONG, STRONG];
    let env = [("HAKOBU_LANG", ""), ("LC_ALL", "ja_JP.UTF-8"), ("LANG", "ja_JP.UTF-8")];
    let (code, screen) = crate::core::run_program_in_pty_env(
        s.dir.path(),
        &env,
        bin.to_str().unwrap(),
        &["keygen", "-o", "k.txt"],
        "入力してください",
        &answers,
    );
    assert_eq!(code, Some(0), "{screen}");
    assert_eq!(screen.matches("新しい鍵ファイルを守るパスフレーズを入力してください").count(), 2, "{screen}");
    assert_eq!(screen.matches("確認のため、同じパスフレーズをもう一度入力してください").count(), 2, "{screen}");
    assert!(screen.contains("2回の入力が一致しません。一つを選んで2回入力してください（3 回中 2 回目）。"), "{screen}");
    assert!(!screen.contains('\u{FFFD}'), "garbled text on the terminal:\n{screen}");
    assert!(!screen.contains(['\u{2068}', '\u{2069}']) && !screen.contains("\\u{206"), "isolation marks:\n{screen}");
    assert!(!screen.contains(STRONG), "the passphrase was echoed:\n{screen}");
    assert!(s.path("k.txt").is_file());
}

#[test]
fn key_errors_name_the_file_and_say_what_is_wrong() {
    let s = Session::new();
    write(&s.path("src/a.txt"), b"synthetic");
    let archive = s.pack(&["src"], "stick");
    let archive = archive.to_str().unwrap();

    // A document given as the key.
    write(&s.path("申請書.pdf"), b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n");
    let text = s.run_fails(3, &["unpack", archive, "-o", "r", "-i", "申請書.pdf"]);
    assert!(text.contains("申請書.pdf is not a key file"), "{text}");
    assert!(text.contains("code: bad-key-file") && !text.starts_with("error: cannot use the key file: stream"), "{text}");
    // An empty key file.
    write(&s.path("empty.txt"), b"# nothing here\n");
    let text = s.run_fails(3, &["unpack", archive, "-o", "r", "-i", "empty.txt"]);
    assert!(text.contains("empty.txt is empty") && text.contains("code: bad-key-file"), "{text}");
    // A missing key file: which file, and what makes one.
    let text = s.run_fails(3, &["unpack", archive, "-o", "r", "-i", "no-such-key.txt"]);
    assert!(text.contains("no-such-key.txt does not exist") && text.contains("hakobu keygen"), "{text}");
    assert!(text.contains("code: key-file-missing"), "{text}");

    // No -i: the default key file was tried, and the message names it.
    let other = s.path(".no-config/hakobu/identity.txt");
    s.run_ok(&["keygen", "--no-passphrase"]);
    assert!(other.is_file(), "keygen did not write the default key file");
    let text = s.run_fails(3, &["unpack", archive, "-o", "r"]);
    assert!(text.contains("your key file") && text.contains(".no-config/hakobu/identity.txt"), "{text}");
    assert!(text.contains("code: wrong-key"), "{text}");
    // With -i, the files given are named.
    let text = s.run_fails(3, &["unpack", archive, "-o", "r", "-i", other.to_str().unwrap()]);
    assert!(text.contains("none of the given keys") && text.contains("identity.txt"), "{text}");
    assert!(!s.path("r/src").exists());
}

/// A signing key (issue #17) is protected by a passphrase by default, in
/// OpenSSH's own format (stock ssh-keygen reads it with that passphrase);
/// pack --sign asks for it before writing, three tries.
#[test]
fn a_protected_signing_key_is_asked_for_before_writing() {
    if !sh() {
        return;
    }
    let s = Session::new();
    write(&s.path("src/a.txt"), b"synthetic");
    fs::create_dir(s.path("stick")).unwrap();
    let p = Pinentry::new(s.dir.path());
    let (o, _) = p.run(s.dir.path(), &[STRONG, STRONG], &["keygen", "--sign", "-o", "sk"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let public = String::from_utf8(o.stdout).unwrap().trim().to_owned();
    assert!(public.starts_with("ssh-ed25519 "), "{public}");
    let text = fs::read_to_string(s.path("sk")).unwrap();
    assert!(text.starts_with("-----BEGIN OPENSSH PRIVATE KEY-----"));
    if require("ssh-keygen") {
        let wrong = std::process::Command::new("ssh-keygen").args(["-y", "-P", "wrong", "-f"]).arg(s.path("sk")).output().unwrap();
        assert!(!wrong.status.success(), "the signing key is not protected");
        let right = std::process::Command::new("ssh-keygen").args(["-y", "-P", STRONG, "-f"]).arg(s.path("sk")).output().unwrap();
        assert!(right.status.success(), "{}", String::from_utf8_lossy(&right.stderr));
        assert_eq!(
            String::from_utf8_lossy(&right.stdout).split_whitespace().take(2).collect::<Vec<_>>(),
            public.split_whitespace().take(2).collect::<Vec<_>>()
        );
    }
    let r = s.recipient.clone();
    let (o, log) = p.run(s.dir.path(), &["w1", "w2", "w3"], &["pack", "src", "-o", "stick", "-r", &r, "--sign", "sk", "--name", "x", "-q"]);
    assert_eq!(o.status.code(), Some(3), "{}", err(&o));
    assert_eq!(getpins(&log), 3, "{log}");
    assert!(fs::read_dir(s.path("stick")).unwrap().next().is_none(), "a refused signing key left files on the stick");
    let (o, _) = p.run(s.dir.path(), &["w1", STRONG], &["pack", "src", "-o", "stick", "-r", &r, "--sign", "sk", "--name", "x", "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(s.path("stick/x.age.sig").is_file());
}

#[test]
fn ctrl_c_at_a_passphrase_prompt_cancels_with_nothing_written() {
    if !require("script") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let line = [hakobu_bin().display().to_string(), "keygen".into(), "-o".into(), "k.txt".into()];
    for (lang, prompt, says) in [("en", "assphrase", "cancelled"), ("ja", "パスフレーズを入力してください", "中止しました")]
    {
        let (code, screen) = drive_in_pty(d, &[("HAKOBU_LANG", lang)], &line, &[(prompt, "\x03")]);
        assert_eq!(code, Some(130), "{lang}:\n{screen}");
        assert!(screen.contains(says), "{lang}:\n{screen}");
        assert!(!d.join("k.txt").exists(), "{lang}: a key file was written");
    }
}
