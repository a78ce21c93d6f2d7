//! A corrupted or tampered-with archive on the medium (docs/SECURITY.md:
//! "corrupted medium", "tampering in transit"): bit flips, truncation,
//! trailing bytes, a wrong key, an unsafe destination. Each is refused with
//! nothing released; `verify` without a key notices every change.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::faults::{assert_no_success_message, assert_nothing_released};
use crate::support::*;

/// Age's payload chunk size: offsets around its boundaries are the interesting ones.
const CHUNK: usize = 64 * 1024;

/// A session with a 200 kB source packed into `stick/`: several age chunks.
fn packed() -> (Session, PathBuf) {
    let s = Session::new();
    write(&s.path("src/本社/会員.bin"), &synthetic_bytes(21, 200_000));
    write(&s.path("src/memo.txt"), "テスト用の合成データ\n".as_bytes());
    let archive = s.pack(&["src"], "stick");
    (s, archive)
}

/// Writes `bytes` as a damaged copy next to the archive, with the original's sidecar
/// (as a receiver would have it), and returns its path.
fn damaged_copy(s: &Session, archive: &Path, bytes: &[u8], label: &str) -> PathBuf {
    let dir = s.path(&format!("damaged-{label}"));
    fs::create_dir_all(&dir).unwrap();
    let copy = dir.join(archive.file_name().unwrap());
    fs::write(&copy, bytes).unwrap();
    let sidecar = format!("{}.sha256", archive.display());
    fs::copy(&sidecar, format!("{}.sha256", copy.display())).unwrap();
    copy
}

/// Unpacking `copy` fails with one of `codes`, releasing nothing; so do list and
/// `verify -i`; `verify` without a key fails too (exit 1).
fn refused_everywhere(s: &Session, copy: &Path, codes: &[i32], what: &str) {
    let dest = format!("out-{}", copy.parent().unwrap().file_name().unwrap().to_string_lossy());
    let key = s.key.to_str().unwrap();
    let file = copy.to_str().unwrap();
    for args in [vec!["unpack", file, "-o", &dest, "-i", key], vec!["list", file, "-i", key], vec!["verify", file, "-i", key]] {
        let out = s.run(&args);
        assert!(
            out.status.code().is_some_and(|c| codes.contains(&c)),
            "{}",
            explain(s.dir.path(), &args, &out, &format!("{what}: expected one of {codes:?}"))
        );
        if args[0] == "verify" && out.status.code() == Some(1) {
            // verify's report names the archive; its verdict is FAIL (or an error line).
            let said = String::from_utf8_lossy(&out.stdout).contains("FAIL") || String::from_utf8_lossy(&out.stderr).contains("error:");
            assert!(said, "{what}: verify said neither FAIL nor error");
        } else {
            assert_no_success_message(&out, what);
        }
    }
    assert_nothing_released(&s.path(&dest), what);
    let out = s.run(&["verify", file]);
    assert_eq!(out.status.code(), Some(1), "{}", explain(s.dir.path(), &["verify", file], &out, what));
    // A report saying FAIL, or (a file that is not an archive at all) an error.
    let said = String::from_utf8_lossy(&out.stdout).contains("FAIL") || String::from_utf8_lossy(&out.stderr).contains("error:");
    assert!(said, "{what}: verify said neither FAIL nor error");
}

#[test]
fn bit_flips_anywhere_are_refused_and_release_nothing() {
    let (s, archive) = packed();
    let bytes = fs::read(&archive).unwrap();
    let header_end = bytes.windows(4).position(|w| w == b"\n---").unwrap() + 49;
    let len = bytes.len();
    for (offset, codes) in [
        // In the header: a broken stanza means no key matches (3), a broken MAC a damaged header (1).
        (30, &[1, 3][..]),
        (header_end - 10, &[1, 3][..]),
        // Payload nonce, first chunk, a chunk boundary, the last chunk's tag.
        (header_end + 3, &[1][..]),
        (header_end + 16 + 100, &[1][..]),
        (header_end + 16 + CHUNK + 16, &[1][..]),
        (len - 1, &[1][..]),
    ] {
        let mut damaged = bytes.clone();
        damaged[offset] ^= 0x04;
        let copy = damaged_copy(&s, &archive, &damaged, &format!("flip{offset}"));
        refused_everywhere(&s, &copy, codes, &format!("bit flip at {offset} of {len}"));
    }
}

#[test]
fn damage_inside_a_manifest_held_in_memory_is_reported_as_damage() {
    // 800 files: a manifest of ~130 KB, across several age chunks, small
    // enough for the reader to hold and parse whole.
    let s = Session::new();
    for i in 0..800 {
        write(&s.path(&format!("src/受付/{i:04}.txt")), format!("合成データ {i}\n").as_bytes());
    }
    damage_inside_the_manifest_is_reported_as_damage(&s, false);
}

#[test]
fn damage_inside_a_manifest_parsed_as_it_streams_is_reported_as_damage() {
    // Long paths make a manifest too large to hold (it is parsed as it
    // streams past) out of a few thousand files: 12 folders of 66 kanji.
    let s = Session::new();
    let deep: Vec<String> = (0..12).map(|i| format!("{i:02}{}", "書".repeat(66))).collect();
    let folder = format!("src/{}", deep.join("/"));
    fs::create_dir_all(s.path(&folder)).unwrap();
    for i in 0..3600 {
        fs::write(s.path(&format!("{folder}/{i:04}.txt")), format!("{i}\n")).unwrap();
    }
    damage_inside_the_manifest_is_reported_as_damage(&s, true);
}

/// Packs `s`'s `src`, checks that it verifies, then flips a bit in an age
/// chunk in the middle of the manifest: every command must report a damaged
/// archive, not a manifest that is not valid JSON.
fn damage_inside_the_manifest_is_reported_as_damage(s: &Session, streamed: bool) {
    if !require("age") {
        return;
    }
    let archive = s.pack(&["src"], "stick");
    s.run_ok(&["verify", archive.to_str().unwrap(), "-i", s.key.to_str().unwrap()]);
    let plain = Command::new("age").arg("-d").arg("-i").arg(&s.key).arg(&archive).output().unwrap();
    assert!(plain.status.success(), "stock age decrypts: {}", String::from_utf8_lossy(&plain.stderr));
    let plain = plain.stdout;
    let name_at = plain.windows(21).position(|w| w == b".hakobu/manifest.json").expect("manifest entry");
    let text_start = name_at + 512;
    let text_len = plain.windows(21).position(|w| w == b".hakobu/SHA256SUMS\0\0\0").expect("sums entry") - text_start;
    assert_eq!(text_len as u64 > hakobu::format::reader::HELD_TEXT_BYTES, streamed, "manifest of {text_len} bytes");
    // The first payload chunk that starts inside the manifest's text.
    let k = text_start.div_ceil(CHUNK);
    assert!(k * CHUNK + 1000 < text_start + text_len, "the manifest spans a chunk boundary");
    let bytes = fs::read(&archive).unwrap();
    let payload = bytes.windows(4).position(|w| w == b"\n---").unwrap() + 49 + 16;
    let mut damaged = bytes.clone();
    damaged[payload + k * (CHUNK + 16) + 500] ^= 0x10;
    let copy = damaged_copy(s, &archive, &damaged, "manifest");
    refused_everywhere(s, &copy, &[1], "a flipped bit inside the manifest");
    let out = s.run(&["verify", copy.to_str().unwrap(), "-i", s.key.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("does not authenticate") && !said.contains("JSON"), "{said}");
}

#[test]
fn truncation_at_chunk_boundaries_is_refused_and_releases_nothing() {
    let (s, archive) = packed();
    let bytes = fs::read(&archive).unwrap();
    let payload = bytes.windows(4).position(|w| w == b"\n---").unwrap() + 49 + 16;
    let sealed = CHUNK + 16;
    let mut cuts = vec![0, 10, payload - 16, payload, payload + 1, bytes.len() - 1];
    for k in 1..=2 {
        cuts.extend([payload + k * sealed - 1, payload + k * sealed, payload + k * sealed + 1]);
    }
    for cut in cuts.into_iter().filter(|&c| c < bytes.len()) {
        let copy = damaged_copy(&s, &archive, &bytes[..cut], &format!("cut{cut}"));
        refused_everywhere(&s, &copy, &[1], &format!("truncated to {cut} of {} bytes", bytes.len()));
    }
}

#[test]
fn trailing_bytes_and_concatenated_archives_are_refused() {
    let (s, archive) = packed();
    let bytes = fs::read(&archive).unwrap();
    let mut garbage = bytes.clone();
    garbage.extend_from_slice(b"\0trailing");
    let copy = damaged_copy(&s, &archive, &garbage, "garbage");
    refused_everywhere(&s, &copy, &[1], "trailing bytes");
    let mut twice = bytes.clone();
    twice.extend_from_slice(&bytes);
    let copy = damaged_copy(&s, &archive, &twice, "twice");
    refused_everywhere(&s, &copy, &[1], "two archives in one file");
}

#[test]
fn wrong_key_is_refused_and_releases_nothing() {
    let (s, archive) = packed();
    let other = s.path("other-key.txt");
    s.run_ok(&["keygen", "--no-passphrase", "-o", other.to_str().unwrap()]);
    let args = ["unpack", archive.to_str().unwrap(), "-o", "received", "-i", other.to_str().unwrap()];
    let err = s.run_fails(3, &args);
    assert!(err.contains("none of the given keys"), "{err}");
    assert_nothing_released(&s.path("received"), "wrong key");
}

#[test]
fn verify_without_key_needs_the_sidecar() {
    let (s, archive) = packed();
    s.run_ok(&["verify", archive.to_str().unwrap()]);
    fs::remove_file(format!("{}.sha256", archive.display())).unwrap();
    let out = s.run(&["verify", archive.to_str().unwrap()]);
    assert!(!out.status.success(), "{}", explain(s.dir.path(), &["verify"], &out, "verify without sidecar"));
}

#[cfg(unix)]
#[test]
fn unpack_refuses_a_symlinked_destination() {
    let (s, archive) = packed();
    fs::create_dir(s.path("elsewhere")).unwrap();
    std::os::unix::fs::symlink(s.path("elsewhere"), s.path("received")).unwrap();
    let err = s.run_fails(4, &["unpack", archive.to_str().unwrap(), "-o", "received", "-i", s.key.to_str().unwrap()]);
    assert!(err.contains("symbolic link"), "{err}");
    assert!(listing(&s.path("elsewhere")).is_empty(), "{}", listing(&s.path("elsewhere")));
}

#[test]
fn unpack_never_overwrites_without_force() {
    let (s, archive) = packed();
    write(&s.path("received/src/memo.txt"), b"the receiver's own file\n");
    let err = s.run_fails(4, &["unpack", archive.to_str().unwrap(), "-o", "received", "-i", s.key.to_str().unwrap()]);
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(fs::read(s.path("received/src/memo.txt")).unwrap(), b"the receiver's own file\n");
    let rest = listing(&s.path("received"));
    assert_eq!(rest, "src/\nsrc/memo.txt (24 bytes)", "unpack released files before refusing");
}
