//! Keys that travelled unnoticed (issue #32, "Keys that travel unnoticed"):
//! pack refuses every kind of secret key among its sources, whatever its
//! case or text encoding, and hakobu refuses to use a key file that the
//! reference age refuses (a lower-case `age-secret-key-1…`).

use std::fs;

use crate::support::*;

fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let units = bom.then_some(0xFEFF_u16).into_iter().chain(text.encode_utf16());
    units.flat_map(|u| if big_endian { u.to_be_bytes() } else { u.to_le_bytes() }).collect()
}

/// Synthetic secret keys of every kind the detection knows, each under an
/// innocent name (content decides, not the name): shared with the stick check.
pub fn key_samples() -> Vec<(&'static str, Vec<u8>)> {
    let age = "# created: 2026-01-01\nAGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX\n";
    // The start of a DER PKCS#12 file as `openssl pkcs12 -export` writes it.
    let mut pfx = vec![0x30, 0x82, 0x09, 0x71, 0x02, 0x01, 0x03, 0x30, 0x82, 0x09, 0x37, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86];
    pfx.extend_from_slice(&[0xF7, 0x0D, 0x01, 0x07, 0x01, 0xA0, 0x82, 0x09, 0x28, 0x04, 0x82, 0x09, 0x24]);
    pfx.extend(synthetic_bytes(12, 600));
    vec![
        ("lower.txt", age.to_ascii_lowercase().into_bytes()),
        ("putty.dat", b"PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: synthetic\nPublic-Lines: 2\n".to_vec()),
        ("dsa.txt", b"-----BEGIN DSA PRIVATE KEY-----\nMIIBuwIBAAKBgQCsynthetic\n-----END DSA PRIVATE KEY-----\n".to_vec()),
        ("pgp.asc", b"-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQVYBGNsynthetic\n-----END PGP PRIVATE KEY BLOCK-----\n".to_vec()),
        ("cert.bin", pfx),
        ("unicode-le.txt", utf16(age, false, true)),
        ("unicode-be.txt", utf16("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n", true, false)),
    ]
}

#[test]
fn pack_refuses_every_kind_of_secret_key_by_its_content() {
    // Before #32 each of these was packed (exit 0): only upper-case age
    // keys and a few PEM labels in UTF-8 were told.
    for (name, bytes) in key_samples() {
        let s = Session::new();
        write(&s.path("src/ok.txt"), b"fine\n");
        write(&s.path(&format!("src/{name}")), &bytes);
        fs::create_dir_all(s.path("stick")).unwrap();
        let out = s.run(&["pack", "src", "-o", "stick", "-r", &s.recipient]);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(4), "{name} was not refused:\n{}", explain(s.dir.path(), &["pack"], &out, "exit 4"));
        assert!(err.contains(name) && err.lines().any(|l| l == "code: secret-key-in-sources"), "{name}:\n{err}");
        assert!(fs::read_dir(s.path("stick")).unwrap().next().is_none(), "{name}: {}", listing(&s.path("stick")));
    }
}

#[test]
fn a_key_file_in_small_letters_is_refused_as_the_reference_age_refuses_it() {
    let s = Session::new();
    write(&s.path("src/a.txt"), b"synthetic\n");
    let archive = s.pack(&["src"], "stick");
    let lower = s.path("lower.txt");
    fs::write(&lower, fs::read_to_string(&s.key).unwrap().to_ascii_lowercase()).unwrap();
    let args = ["unpack", archive.to_str().unwrap(), "-o", "out", "-i", lower.to_str().unwrap()];
    // Before #32: exit 0, the files released with a key Go's age refuses.
    let out = s.run(&args);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(3), "{}", explain(s.dir.path(), &args, &out, "bad-key-file, exit 3"));
    assert!(err.lines().any(|l| l == "code: bad-key-file"), "{err}");
    assert!(err.contains("small letters (line 3)") && err.contains("capital letters"), "{err}");
    assert!(!s.path("out").exists(), "{}", listing(s.dir.path()));
    let out = run_env(s.dir.path(), &[("HAKOBU_LANG", "ja")], &args);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(3));
    assert!(err.contains("鍵が小文字で書かれています（3 行目）") && err.contains("何も開いていません"), "{err}");
    // Mixed case too; and the key file as written still opens.
    let mixed = fs::read_to_string(&s.key).unwrap().replace("AGE-SECRET-KEY-1", "Age-Secret-Key-1");
    fs::write(&lower, mixed).unwrap();
    assert_eq!(s.run(&args).status.code(), Some(3));
    assert!(s.unpack(&archive, "out").status.success());
    // The reference implementation agrees, where it is installed.
    if have("age") {
        fs::write(&lower, fs::read_to_string(&s.key).unwrap().to_ascii_lowercase()).unwrap();
        let go = std::process::Command::new("age").args(["-d", "-i", lower.to_str().unwrap(), archive.to_str().unwrap()]).output().unwrap();
        assert!(!go.status.success(), "Go age took a lower-case key: then hakobu need not refuse it");
    }
}

/// The receiver's key in small letters on the stick pack saves to: rage
/// (the age crate) opens the archive with it, so it is named as a key that
/// opens the archive — not "protected, cannot tell whose" (as on main).
#[test]
fn a_lower_case_key_on_the_stick_is_named_as_one_that_opens_the_archive() {
    let s = Session::new();
    write(&s.path("src/a.txt"), b"synthetic\n");
    write(&s.path("stick/keys/office.txt"), fs::read_to_string(&s.key).unwrap().to_ascii_lowercase().as_bytes());
    let stick = s.path("stick");
    let out =
        run_env(s.dir.path(), &[("HAKOBU_TEST_REMOVABLE", stick.to_str().unwrap())], &["pack", "src", "-o", "stick", "-r", &s.recipient]);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(err.lines().any(|l| l == "code: key-on-archive-medium"), "{err}");
    assert!(err.contains("is a key that can open this archive") && !err.contains("cannot tell whose"), "{err}");
    assert_eq!(fs::read_dir(&stick).unwrap().count(), 1, "{}", listing(&stick));
}
