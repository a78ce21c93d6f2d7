//! Hostile input around the archive (issue #32, items 4 and 7): a header
//! bomb, stop signals during every long phase, special files where hakobu
//! opens a file the user or a stick supplies, and names that exFAT and NTFS
//! fold into one. Every test attacks the real binary.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use crate::faults::{output_within, with_env};
use crate::support::*;

/// Base64 without padding, as age writes stanza bodies.
fn b64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// A fake age file: a header of X25519-looking stanzas of at least `size`
/// bytes, a MAC line, a nonce and some "payload". It parses as age (the MAC
/// cannot be checked without a key), so only a cap stops the parser.
fn header_bomb(size: usize) -> Vec<u8> {
    let mut h = String::from("age-encryption.org/v1\n");
    let mut seed = 1u64;
    while h.len() < size {
        let a = synthetic_bytes(seed, 32);
        let b = synthetic_bytes(seed + 1, 32);
        seed += 2;
        h.push_str(&format!("-> X25519 {}\n{}\n", b64(&a), b64(&b)));
    }
    h.push_str(&format!("--- {}\n", b64(&synthetic_bytes(0, 32))));
    let mut file = h.into_bytes();
    file.extend(synthetic_bytes(7, 16 + 4096));
    file
}

/// A fake age file of `n` tiny stanzas (a few bytes each): under the byte
/// cap, over the stanza cap.
fn stanza_bomb(n: usize) -> Vec<u8> {
    let mut h = String::from("age-encryption.org/v1\n");
    for _ in 0..n {
        h.push_str("-> x\n\n");
    }
    h.push_str(&format!("--- {}\n", b64(&synthetic_bytes(0, 32))));
    let mut file = h.into_bytes();
    file.extend(synthetic_bytes(7, 16 + 4096));
    file
}

/// The same bytes in age's ASCII armor (PEM-style, 64 columns).
fn armored(binary: &[u8]) -> Vec<u8> {
    let text = b64(binary);
    let mut out = String::from("-----BEGIN AGE ENCRYPTED FILE-----\n");
    let pad = (3 - binary.len() % 3) % 3;
    let padded = format!("{text}{}", "=".repeat(pad));
    for line in padded.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap());
        out.push('\n');
    }
    out.push_str("-----END AGE ENCRYPTED FILE-----\n");
    out.into_bytes()
}

/// The sidecar for a single-file archive, as pack writes it.
fn write_sidecar(archive: &Path) {
    use sha2::Digest;
    let sum = hex::encode(sha2::Sha256::digest(fs::read(archive).unwrap()));
    let name = archive.file_name().unwrap().to_string_lossy().into_owned();
    fs::write(archive.with_file_name(format!("{name}.sha256")), format!("{sum}  {name}\n")).unwrap();
}

fn hakobu(s: &Session, env: &[(&str, &str)], args: &[&str]) -> Command {
    let mut cmd = with_env(Command::new(hakobu_bin()), s.dir.path());
    cmd.args(args).env("HAKOBU_LANG", "en");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

/// Runs hakobu, failing the test if it takes longer than `secs`.
fn timed(s: &Session, env: &[(&str, &str)], args: &[&str], secs: u64) -> (Output, Duration) {
    let start = Instant::now();
    let out = output_within(hakobu(s, env, args), secs);
    (out, start.elapsed())
}

fn kind_line(out: &Output) -> String {
    let err = String::from_utf8_lossy(&out.stderr);
    err.lines().find_map(|l| l.trim().strip_prefix("code: ").map(str::to_owned)).unwrap_or_default()
}

/// A header bomb (1 MiB+ of stanzas: minutes inside the age crate, which
/// neither Ctrl-C nor SIGTERM stops) is refused at once with its own kind by
/// verify (with and without a key), unpack, list and the stick check, binary
/// and armored; a header of 1,001 tiny stanzas too. Nothing is released.
#[test]
fn header_bomb_is_refused_fast_everywhere() {
    let s = Session::new();
    let key = s.key.to_str().unwrap();
    fs::create_dir(s.path("stick")).unwrap();
    let bomb = header_bomb((1 << 20) + 1000);
    fs::write(s.path("stick/bomb.age"), &bomb).unwrap();
    fs::write(s.path("stick/armored.age"), armored(&bomb)).unwrap();
    fs::write(s.path("stick/stanzas.age"), stanza_bomb(1001)).unwrap();
    for name in ["bomb", "armored", "stanzas"] {
        write_sidecar(&s.path(&format!("stick/{name}.age")));
    }
    for name in ["stick/bomb.age", "stick/armored.age", "stick/stanzas.age"] {
        let runs: [&[&str]; 4] =
            [&["verify", name], &["verify", name, "-i", key], &["list", name, "-i", key], &["unpack", name, "-o", "received", "-i", key]];
        for args in runs {
            let (out, took) = timed(&s, &[], args, 20);
            let what = format!("{args:?} on a header bomb");
            assert_eq!(out.status.code(), Some(1), "{}", explain(s.dir.path(), args, &out, &what));
            assert_eq!(kind_line(&out), "header-too-large", "{}", explain(s.dir.path(), args, &out, &what));
            assert!(took < Duration::from_secs(5), "{what} took {took:?}");
        }
        assert!(
            !s.path("received").exists() || fs::read_dir(s.path("received")).unwrap().next().is_none(),
            "{}",
            listing(&s.path("received"))
        );
    }
    // The words, in both languages: not hakobu's or damaged, nothing released.
    let (out, _) = timed(&s, &[], &["unpack", "stick/bomb.age", "-o", "received", "-i", key], 20);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is not a hakobu archive, or is damaged") && err.contains("nothing was released"), "{err}");
    let (out, _) = timed(&s, &[("HAKOBU_LANG", "ja")], &["unpack", "stick/bomb.age", "-o", "received", "-i", key], 20);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("hakobu のアーカイブではないか、壊れています") && err.contains("何も展開していません"), "{err}");
    // The stick check: the folder with all three fails fast, naming the kind.
    let (out, took) = timed(&s, &[], &["verify", "stick", "--json"], 20);
    let what = "the stick check of a folder of header bombs";
    assert_ne!(out.status.code(), Some(0), "{}", explain(s.dir.path(), &["verify", "stick"], &out, what));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("header-too-large"),
        "{}",
        explain(s.dir.path(), &["verify", "stick"], &out, what)
    );
    assert!(took < Duration::from_secs(10), "{what} took {took:?}");
}

/// The cap is generous for real archives: one packed for 300 recipients
/// (offices, escrow and audit keys many times over) opens as usual.
#[test]
fn an_archive_for_300_recipients_is_under_the_header_cap() {
    let s = Session::new();
    write(&s.path("src/名簿.csv"), b"synthetic,row\n");
    let mut keys: Vec<String> = (0..299).map(|_| age::x25519::Identity::generate().to_public().to_string()).collect();
    keys.push(s.recipient.clone());
    fs::create_dir(s.path("stick")).unwrap();
    let mut args: Vec<&str> = vec!["pack", "src", "-o", "stick", "-q"];
    for k in &keys {
        args.push("-r");
        args.push(k);
    }
    let out = s.run_ok(&args);
    let archive = s.path(String::from_utf8(out.stdout).unwrap().trim());
    s.run_ok(&["verify", archive.to_str().unwrap()]);
    let out = s.unpack(&archive, "received");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(fs::read(s.path("received/src/名簿.csv")).unwrap(), b"synthetic,row\n", "{}", listing(&s.path("received")));
}

/// Makes a FIFO at `path` (no writer ever comes: opening it to read waits forever).
fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

/// A FIFO (or a device) where hakobu reads a file the user or a stick
/// supplies is refused by its type, at once: the archive's checksum file and
/// signature file (verify, unpack, the stick check), a key file, the config,
/// a recipients file, a source in pack. Before, a FIFO `.sig` or `.sha256`
/// hung verify, unpack and the stick check, and SIGTERM could not stop them.
#[test]
#[cfg(unix)]
fn special_files_are_refused_by_type_before_they_are_opened() {
    let s = Session::new();
    let key = s.key.to_str().unwrap().to_owned();
    write(&s.path("src/名簿.csv"), b"synthetic,row\n");
    let archive = s.pack(&["src"], "stick");
    let a = archive.to_str().unwrap().to_owned();
    let sidecar = s.path(&format!("{a}.sha256"));
    let sig = s.path(&format!("{a}.sig"));
    let run = |args: &[&str], what: &str| -> Output {
        let (out, took) = timed(&s, &[], args, 15);
        assert!(took < Duration::from_secs(5), "{what} took {took:?}");
        out
    };
    let expect = |args: &[&str], code: i32, kind: &str, what: &str| {
        let out = run(args, what);
        assert_eq!(out.status.code(), Some(code), "{}", explain(s.dir.path(), args, &out, what));
        assert_eq!(kind_line(&out), kind, "{}", explain(s.dir.path(), args, &out, what));
        out
    };

    // The checksum file is a FIFO: as if it were missing (keyless verify fails; the stick check too).
    let kept = fs::read(&sidecar).unwrap();
    fs::remove_file(&sidecar).unwrap();
    mkfifo(&sidecar);
    expect(&["verify", &a], 1, "sidecar-missing", "verify with a FIFO .sha256");
    let out = run(&["verify", "stick"], "the stick check with a FIFO .sha256");
    assert_eq!(out.status.code(), Some(1), "{}", explain(s.dir.path(), &["verify", "stick"], &out, "stick check, FIFO .sha256"));
    fs::remove_file(&sidecar).unwrap();
    fs::write(&sidecar, kept).unwrap();

    // The signature file is a FIFO: the signature cannot be checked, nothing is released.
    mkfifo(&sig);
    expect(&["verify", &a], 7, "signature-refused", "verify with a FIFO .sig");
    expect(&["unpack", &a, "-o", "received", "-i", &key], 7, "signature-refused", "unpack with a FIFO .sig");
    assert!(!s.path("received").exists() || fs::read_dir(s.path("received")).unwrap().next().is_none(), "{}", listing(&s.path("received")));
    let out = run(&["verify", "stick"], "the stick check with a FIFO .sig");
    assert_eq!(out.status.code(), Some(1), "{}", explain(s.dir.path(), &["verify", "stick"], &out, "stick check, FIFO .sig"));
    fs::remove_file(&sig).unwrap();

    // A key file, the config and a recipients file that are FIFOs or devices.
    mkfifo(&s.path("key.fifo"));
    mkfifo(&s.path("config.fifo"));
    mkfifo(&s.path("recipients.fifo"));
    for identity in ["key.fifo", "/dev/zero"] {
        expect(&["unpack", &a, "-o", "received", "-i", identity], 5, "not-a-file", &format!("unpack -i {identity}"));
    }
    expect(&["--config", "config.fifo", "verify", &a], 5, "not-a-file", "--config FIFO");
    expect(&["pack", "src", "-o", "stick", "-R", "recipients.fifo"], 5, "not-a-file", "pack -R FIFO");
    let out = expect(&["pack", "src", "-o", "stick", "-R", "/dev/zero"], 5, "not-a-file", "pack -R /dev/zero");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a regular file") && err.contains("nothing was read from it"), "{err}");
    let (out, _) = timed(&s, &[("HAKOBU_LANG", "ja")], &["pack", "src", "-o", "stick", "-R", "recipients.fifo"], 15);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("通常のファイルではありません") && err.contains("何も読み込んでいません"), "{err}");

    // A FIFO among the sources of pack: refused by type, nothing on the stick.
    mkfifo(&s.path("src/pipe"));
    fs::create_dir(s.path("stick2")).unwrap();
    expect(&["pack", "src", "-o", "stick2", "-r", &s.recipient], 4, "unsafe-source", "pack of a folder holding a FIFO");
    assert!(fs::read_dir(s.path("stick2")).unwrap().next().is_none(), "{}", listing(&s.path("stick2")));
}

/// Names that exFAT and NTFS fold into one file by upper case (`σ`/`ς`,
/// `ı`/`i`, `ſ`/`s`) are refused by pack like `A`/`a`: unpacked on a
/// Windows PC or an exFAT stick, one would silently overwrite the other.
#[test]
fn pack_refuses_names_that_exfat_and_ntfs_fold_into_one() {
    let s = Session::new();
    for (i, (a, b)) in [("σ.txt", "ς.txt"), ("ı.txt", "i.txt"), ("ſ.txt", "S.txt")].into_iter().enumerate() {
        let src = format!("src{i}");
        write(&s.path(&format!("{src}/{a}")), b"one\n");
        write(&s.path(&format!("{src}/{b}")), b"two\n");
        let out_dir = format!("stick{i}");
        fs::create_dir(s.path(&out_dir)).unwrap();
        let args = ["pack", &src, "-o", &out_dir, "-r", &s.recipient];
        let out = s.run(&args);
        let what = format!("pack of {a} and {b}");
        assert_eq!(out.status.code(), Some(4), "{}", explain(s.dir.path(), &args, &out, &what));
        assert_eq!(kind_line(&out), "unsafe-source", "{}", explain(s.dir.path(), &args, &out, &what));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("collides"), "{what}: {err}");
        assert!(fs::read_dir(s.path(&out_dir)).unwrap().next().is_none(), "{}", listing(&s.path(&out_dir)));
    }
}

/// Sends `sig` to a hakobu slowed by strace once `started` says its long
/// phase runs; returns its output and how long it took to end after the signal.
fn stop_during(
    s: &Session,
    slow: &str,
    slow_path: Option<&Path>,
    args: &[&str],
    sig: &str,
    started: impl Fn() -> bool,
) -> (Output, Duration) {
    let mut child = crate::faults::spawn_slow(s, slow, slow_path, args);
    let start = Instant::now();
    while !started() {
        assert!(child.try_wait().unwrap().is_none(), "{args:?} ended before its long phase was seen");
        assert!(start.elapsed() < Duration::from_secs(30), "{args:?}: the long phase never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    // Well inside the phase (reads and writes take 0.1 s each here).
    std::thread::sleep(Duration::from_millis(500));
    assert!(child.try_wait().unwrap().is_none(), "{args:?} ended before {sig}: make its input larger");
    let ok = Command::new("kill").args([sig, &child.id().to_string()]).status().unwrap().success();
    assert!(ok, "kill {sig}");
    let sent = Instant::now();
    let mut waited = Duration::ZERO;
    while child.try_wait().unwrap().is_none() {
        waited = sent.elapsed();
        if waited > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("{args:?} still running 20 s after {sig}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    (child.wait_with_output().unwrap(), sent.elapsed().max(waited))
}

/// SIGTERM (logout, shutdown, `kill`), SIGHUP (the terminal closed) and
/// Ctrl-C stop every long phase within a second, with the interrupted
/// outcome (exit 130, kind `interrupted`, nothing saved or released):
/// verify without a key (the checksum pass) and with one (the decrypting
/// pass), unpack, and pack on SIGHUP (pack and unpack on SIGINT and SIGTERM
/// are in faults.rs).
#[test]
fn stop_signals_end_every_long_phase_within_a_second() {
    if !require("strace") {
        return;
    }
    let s = crate::faults::session_with_source(24);
    let archive = s.pack(&["src"], "stick");
    let a = archive.to_str().unwrap().to_owned();
    let key = s.key.to_str().unwrap().to_owned();
    let mut slowest = Duration::ZERO;
    let mut check = |out: Output, took: Duration, what: &str, args: &[&str]| {
        assert_eq!(out.status.code(), Some(130), "{}", explain(s.dir.path(), args, &out, what));
        assert_eq!(kind_line(&out), "interrupted", "{}", explain(s.dir.path(), args, &out, what));
        assert!(took < Duration::from_secs(1), "{what}: ended {took:?} after the signal");
        slowest = slowest.max(took);
    };
    // verify: the phase starts at once; a fixed wait puts the signal inside it.
    for sig in ["-TERM", "-HUP", "-INT"] {
        let args = ["verify", a.as_str()];
        let (out, took) = stop_during(&s, "read", Some(&archive), &args, sig, || true);
        check(out, took, &format!("{sig} during a keyless verify"), &args);
        let args = ["verify", a.as_str(), "-i", key.as_str()];
        let (out, took) = stop_during(&s, "read", Some(&archive), &args, sig, || true);
        check(out, took, &format!("{sig} during verify with a key"), &args);
    }
    // The stick check: the folder's archives are hashed and sniffed.
    let args = ["verify", "stick"];
    let (out, took) = stop_during(&s, "read", Some(&archive), &args, "-TERM", || true);
    check(out, took, "SIGTERM during the stick check", &args);
    for sig in ["-HUP", "-TERM"] {
        let dest = format!("received{}", sig.trim_start_matches('-'));
        fs::create_dir(s.path(&dest)).unwrap();
        let args = ["unpack", a.as_str(), "-o", dest.as_str(), "-i", key.as_str()];
        let staging = |d: &Path| {
            fs::read_dir(d).into_iter().flatten().flatten().any(|e| e.file_name().to_string_lossy().starts_with(".hakobu-staging-"))
        };
        let d = s.path(&dest);
        let (out, took) = stop_during(&s, "write", None, &args, sig, || staging(&d));
        check(out, took, &format!("{sig} during unpack"), &args);
        assert!(fs::read_dir(&d).unwrap().next().is_none(), "{sig}: {}", listing(&d));
    }
    fs::create_dir(s.path("stick2")).unwrap();
    let args = ["pack", "src", "-o", "stick2", "-r", s.recipient.as_str(), "-q"];
    let big = s.path("src/本社/大きな表.bin");
    let out_dir = s.path("stick2");
    let temp =
        || fs::read_dir(&out_dir).into_iter().flatten().flatten().any(|e| e.file_name().to_string_lossy().starts_with(".hakobu-tmp-"));
    let (out, took) = stop_during(&s, "read", Some(&big), &args, "-HUP", temp);
    check(out, took, "SIGHUP during pack", &args);
    assert!(fs::read_dir(&out_dir).unwrap().next().is_none(), "{}", listing(&out_dir));
    notice(&format!("slowest end after a stop signal: {slowest:?}"));
}

/// Pack never saves an archive over the readers' header cap: for 1,100
/// recipients it refuses (exit 2, `too-many-recipients`), saving nothing.
#[test]
fn pack_refuses_an_archive_over_the_header_cap() {
    let s = Session::new();
    write(&s.path("src/名簿.csv"), b"synthetic,row\n");
    fs::create_dir(s.path("stick")).unwrap();
    let keys: Vec<String> = (0..1100).map(|_| age::x25519::Identity::generate().to_public().to_string()).collect();
    let mut args: Vec<&str> = vec!["pack", "src", "-o", "stick"];
    for k in &keys {
        args.push("-r");
        args.push(k);
    }
    let out = s.run(&args);
    let what = "pack for 1,100 recipients";
    assert_eq!(out.status.code(), Some(2), "{}", explain(s.dir.path(), &args[..4], &out, what));
    assert_eq!(kind_line(&out), "too-many-recipients", "{}", explain(s.dir.path(), &args[..4], &out, what));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("1100 recipients") && err.contains("Nothing was saved."), "{err}");
    assert!(fs::read_dir(s.path("stick")).unwrap().next().is_none(), "{}", listing(&s.path("stick")));
    let out = run_env(s.dir.path(), &[("HAKOBU_LANG", "ja")], &args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("宛先を減らしてください") && err.contains("何も保存していません"), "{err}");
}

/// The header is read by hakobu before age sees it: an archive cut inside
/// its first bytes (shorter than age's armor check reads, 36 bytes) or
/// later inside the header is still "truncated" (exit 1), not an I/O error.
#[test]
fn an_archive_cut_inside_its_header_is_still_truncated() {
    let s = Session::new();
    write(&s.path("src/名簿.csv"), b"synthetic,row\n");
    let archive = s.pack(&["src"], "stick");
    let bytes = fs::read(&archive).unwrap();
    for len in [20, 30, 35, 36, 60, 120] {
        let cut = s.path(&format!("cut{len}.age"));
        fs::write(&cut, &bytes[..len]).unwrap();
        let args = ["unpack", cut.to_str().unwrap(), "-o", "received", "-i", s.key.to_str().unwrap()];
        let out = s.run(&args);
        let what = format!("an archive cut after {len} bytes");
        assert_eq!(out.status.code(), Some(1), "{}", explain(s.dir.path(), &args, &out, &what));
        assert_eq!(kind_line(&out), "truncated", "{}", explain(s.dir.path(), &args, &out, &what));
    }
}
