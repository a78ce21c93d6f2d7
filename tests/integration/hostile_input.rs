//! Hostile input around the archive (issue #32, items 4 and 7): a header
//! bomb, stop signals during every long phase, special files where hakobu
//! opens a file the user or a stick supplies, and names that exFAT and NTFS
//! fold into one. Every test attacks the real binary.

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};
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

#[allow(dead_code)]
fn piped(mut cmd: Command) -> std::process::Child {
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap()
}
