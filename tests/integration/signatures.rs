//! Sender signatures (issue #17): keygen --sign, pack --sign, and unpack,
//! list and verify checking the signature before decrypting; hostile .sig
//! files; stock `ssh-keygen -Y verify` on a good and a flipped archive.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use crate::support::{require, run_env, write, Session};

/// A session with a signing key (`sk`), its public half, and a config naming it 本社.
struct Signed {
    s: Session,
    sk: PathBuf,
    public: String,
    config: PathBuf,
}

impl Signed {
    fn new(require_signature: bool) -> Self {
        let s = Session::new();
        let sk = s.path("signing_key");
        let o = s.run_ok(&["keygen", "--sign", "--no-passphrase", "-o", sk.to_str().unwrap()]);
        let public = String::from_utf8(o.stdout).unwrap().trim().to_owned();
        assert!(public.starts_with("ssh-ed25519 "), "keygen --sign printed {public:?}");
        let config = s.path("config.toml");
        fs::write(&config, format!("[signing]\nrequire_signature = {require_signature}\n\n[senders]\n\"本社\" = \"{public}\"\n")).unwrap();
        write(&s.path("src/a.txt"), b"member list (synthetic)\n");
        write(&s.path("src/b.bin"), &crate::support::synthetic_bytes(17, 300_000));
        Signed { s, sk, public, config }
    }

    fn env(&self) -> Vec<(&str, &str)> {
        vec![("HAKOBU_CONFIG", self.config.to_str().unwrap())]
    }

    fn run(&self, args: &[&str]) -> Output {
        run_env(self.s.dir.path(), &self.env(), args)
    }

    /// Packs src into `out` signed (extra args appended); returns the archive path as printed.
    fn pack(&self, out: &str, extra: &[&str]) -> PathBuf {
        fs::create_dir_all(self.s.path(out)).unwrap();
        let mut args = vec!["pack", "src", "-o", out, "-r", &self.s.recipient, "-q", "--sign", self.sk.to_str().unwrap()];
        args.extend_from_slice(extra);
        let o = self.run(&args);
        assert!(o.status.success(), "pack failed: {}", String::from_utf8_lossy(&o.stderr));
        let printed = String::from_utf8(o.stdout).unwrap();
        self.s.path(printed.lines().next().unwrap().trim())
    }

    fn verify_json(&self, archive: &Path) -> (i32, Value) {
        let o = self.run(&["verify", "--json", archive.to_str().unwrap()]);
        (o.status.code().unwrap(), serde_json::from_slice(&o.stdout).unwrap_or(Value::Null))
    }

    /// Unpack must refuse with exit 7 and release nothing.
    fn refuses_everywhere(&self, archive: &Path, expect_problem: &str, code: &str) {
        let a = archive.to_str().unwrap();
        let key = self.s.key.to_str().unwrap();
        let o = self.run(&["unpack", a, "-o", "out", "-i", key]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(7), "unpack: {err}");
        assert!(err.contains("\n  No file was taken out of the archive.\n"), "{err}");
        assert!(!self.s.path("out").exists(), "unpack released something");
        let o = self.run(&["list", a, "-i", key]);
        assert_eq!(o.status.code(), Some(7), "list: {}", String::from_utf8_lossy(&o.stderr));
        assert!(o.stdout.is_empty(), "list printed contents");
        let o = self.run(&["verify", "--json", a]);
        assert_eq!(o.status.code(), Some(7));
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["error"]["kind"], "signature-refused", "{v}");
        let err = v["error"].to_string();
        assert!(err.contains(expect_problem), "{expect_problem} not in {err}");
        assert_eq!(v["error"]["signature"]["problem"], code, "{v}");
    }
}

/// The volumes `*.age.NNN` of a folder, in order.
fn volumes(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e.len() == 3 && e.to_str().unwrap().chars().all(|c| c.is_ascii_digit())))
        .collect();
    v.sort();
    v
}

fn fingerprint(public: &str) -> String {
    let key = ssh_key::PublicKey::from_openssh(public).unwrap();
    key.fingerprint(ssh_key::HashAlg::Sha256).to_string()
}

#[test]
fn round_trip_names_the_sender() {
    let t = Signed::new(true);
    let archive = t.pack("stick", &[]);
    assert!(t.s.path("stick").join(format!("{}.sig", archive.file_name().unwrap().to_str().unwrap())).is_file());
    // verify without any key: origin and integrity.
    let (code, v) = t.verify_json(&archive);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["signature"]["signer"]["name"], "本社");
    assert_eq!(v["signature"]["signer"]["fingerprint"], fingerprint(&t.public));
    // unpack and list say who made it, in both languages.
    let o = t.run(&["unpack", archive.to_str().unwrap(), "-o", "out", "-i", t.s.key.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("made by 本社"));
    assert_eq!(fs::read(t.s.path("out/src/a.txt")).unwrap(), b"member list (synthetic)\n");
    let mut env = t.env();
    env.push(("HAKOBU_LANG", "ja"));
    let o = run_env(t.s.dir.path(), &env, &["list", archive.to_str().unwrap(), "-i", t.s.key.to_str().unwrap()]);
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains(&format!("本社（鍵 {}）が作成しました", fingerprint(&t.public))), "{err}");
    // The ledger record names the signer.
    let ledger = fs::read_to_string(t.s.path(".no-data/hakobu/ledger.jsonl")).unwrap();
    assert!(ledger.contains(&fingerprint(&t.public)) && ledger.contains("\"signer\""), "{ledger}");
}

#[test]
fn require_signature_makes_pack_sign() {
    let t = Signed::new(true);
    fs::create_dir_all(t.s.path("stick")).unwrap();
    let o = t.run(&["pack", "src", "-o", "stick", "-r", &t.s.recipient]);
    assert_eq!(o.status.code(), Some(4), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("code: signing-key-required"));
    assert!(fs::read_dir(t.s.path("stick")).unwrap().next().is_none(), "pack wrote to the stick");
    // The configured default key signs without --sign.
    let cfg = fs::read_to_string(&t.config).unwrap();
    let key_line = format!("key = {:?}\n", t.sk.to_str().unwrap());
    fs::write(&t.config, cfg.replacen("[signing]\n", &format!("[signing]\n{key_line}"), 1)).unwrap();
    let o = t.run(&["pack", "src", "-o", "stick", "-r", &t.s.recipient, "--name", "d", "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["signature"]["signer"]["name"], "本社", "{v}");
    assert!(t.s.path("stick/d.age.sig").is_file());
}

/// A flipped bit in any volume of a signed archive is named as what it is —
/// damage (exit 1) — not as a forgery: the signature is judged only over
/// bytes that decrypted and matched (issue #25). Nothing is released.
#[test]
fn flipped_byte_in_any_volume_is_damage_not_forgery() {
    let t = Signed::new(false);
    let archive = t.pack("stick", &["--split", "100K"]);
    let vols = volumes(&t.s.path("stick"));
    assert!(vols.len() >= 3, "expected at least three volumes: {vols:?}");
    let (code, v) = t.verify_json(&archive);
    assert_eq!(code, 0, "{v}");
    let a = archive.to_str().unwrap();
    let key = t.s.key.to_str().unwrap();
    for vol in &vols {
        let mut b = fs::read(vol).unwrap();
        let i = b.len() / 2;
        b[i] ^= 1;
        fs::write(vol, &b).unwrap();
        let o = t.run(&["unpack", a, "-o", "out", "-i", key]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "unpack: {err}");
        assert!(!err.contains("signature-refused"), "damage taken for a forgery: {err}");
        assert!(!t.s.path("out").exists(), "unpack released something");
        let o = t.run(&["list", a, "-i", key]);
        assert_eq!(o.status.code(), Some(1), "list: {}", String::from_utf8_lossy(&o.stderr));
        let (code, v) = t.verify_json(&archive);
        assert_eq!(code, 1, "{v}");
        assert_eq!(v["checksum"], "mismatch", "{v}");
        assert_ne!(v["error"]["kind"], "signature-refused", "{v}");
        b[i] ^= 1;
        fs::write(vol, &b).unwrap();
    }
    // A copy cut short is named as one too.
    let last = vols.last().unwrap();
    let whole = fs::read(last).unwrap();
    fs::write(last, &whole[..whole.len() / 2]).unwrap();
    let o = t.run(&["unpack", a, "-o", "out", "-i", key]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "unpack: {err}");
    assert!(!err.contains("signature-refused"), "{err}");
}

#[test]
fn swapped_signature_is_refused() {
    let t = Signed::new(false);
    let a = t.pack("one", &["--name", "X"]);
    let b = t.pack("two", &["--name", "X"]);
    fs::copy(t.s.path("two/X.age.sig"), t.s.path("one/X.age.sig")).unwrap();
    assert_ne!(fs::read(&a).unwrap(), fs::read(&b).unwrap());
    t.refuses_everywhere(&a, "does not match this archive", "mismatch");
}

#[test]
fn unknown_signer_and_missing_signature() {
    // Policy off: a warning, the archive opens.
    let t = Signed::new(false);
    let archive = t.pack("stick", &[]);
    let sig = PathBuf::from(format!("{}.sig", archive.display()));
    fs::write(&t.config, "[senders]\n\"支社\" = \"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG3HHZo5PGJQm1/Ke6eM1uuHB+ue9JZb2Gj3PI6/3Lcn\"\n")
        .unwrap();
    let (code, v) = t.verify_json(&archive);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["signature"]["problem"]["problem"], "unknown-signer");
    let o = t.run(&["verify", archive.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("not in the senders list"));
    fs::remove_file(&sig).unwrap();
    let (code, v) = t.verify_json(&archive);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["signature"]["problem"]["problem"], "missing");
    // Policy on: both refused.
    fs::write(&t.config, "[signing]\nrequire_signature = true\n").unwrap();
    t.refuses_everywhere(&archive, "no signature file", "missing");
    let t = Signed::new(true);
    let archive = t.pack("stick", &[]);
    fs::write(&t.config, "[signing]\nrequire_signature = true\n[senders]\n\"支社\" = \"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG3HHZo5PGJQm1/Ke6eM1uuHB+ue9JZb2Gj3PI6/3Lcn\"\n").unwrap();
    t.refuses_everywhere(&archive, "not in the senders list", "unknown-signer");
}

#[test]
fn hostile_sig_files_are_refused() {
    let t = Signed::new(false);
    let archive = t.pack("stick", &[]);
    let sig = PathBuf::from(format!("{}.sig", archive.display()));
    let good = fs::read_to_string(&sig).unwrap();
    // Huge: refused unread.
    fs::write(&sig, vec![b'A'; 50 << 20]).unwrap();
    t.refuses_everywhere(&archive, "far larger", "too-large");
    // Bad base64.
    fs::write(&sig, "-----BEGIN SSH SIGNATURE-----\n@@@@ not base64 @@@@\n-----END SSH SIGNATURE-----\n").unwrap();
    t.refuses_everywhere(&archive, "not an SSH signature", "malformed");
    // Truncated.
    fs::write(&sig, &good[..good.len() / 2]).unwrap();
    t.refuses_everywhere(&archive, "not an SSH signature", "malformed");
    // Wrong namespace: signed with stock ssh-keygen for "file".
    if require("ssh-keygen") {
        fs::remove_file(&sig).unwrap();
        let o = Command::new("ssh-keygen").args(["-Y", "sign", "-q", "-f"]).arg(&t.sk).args(["-n", "file"]).arg(&archive).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        t.refuses_everywhere(&archive, "another purpose", "wrong-namespace");
    }
}

/// The exact stock command of docs/KEYS.md passes on a good archive (single
/// and split) and fails on a flipped byte.
#[test]
fn stock_ssh_keygen_verifies() {
    if !require("ssh-keygen") {
        return;
    }
    let t = Signed::new(false);
    let allowed = t.s.path("allowed_signers");
    fs::write(&allowed, format!("本社 {}\n", t.public)).unwrap();
    let stock = |sig: &Path, data: &[u8]| {
        let mut c = Command::new("ssh-keygen")
            .args(["-Y", "verify", "-f"])
            .arg(&allowed)
            .args(["-I", "本社", "-n", "hakobu", "-s"])
            .arg(sig)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::io::Write::write_all(c.stdin.as_mut().unwrap(), data).unwrap();
        drop(c.stdin.take());
        c.wait().unwrap().success()
    };
    let single = t.pack("one", &[]);
    let sig = PathBuf::from(format!("{}.sig", single.display()));
    let mut bytes = fs::read(&single).unwrap();
    assert!(stock(&sig, &bytes), "ssh-keygen refused a good archive");
    let i = bytes.len() - 10;
    bytes[i] ^= 0x80;
    assert!(!stock(&sig, &bytes), "ssh-keygen accepted a flipped byte");
    // Split: the volumes in order (cat X.age.0* | ssh-keygen …).
    let split = t.pack("two", &["--split", "100K", "--name", "S"]);
    let sig = PathBuf::from(format!("{}.sig", split.with_extension("").display()));
    let mut joined = Vec::new();
    let vols = volumes(&t.s.path("two"));
    assert!(vols.len() >= 3, "{vols:?}");
    for v in &vols {
        joined.extend(fs::read(v).unwrap());
    }
    assert!(sig.is_file(), "{}", sig.display());
    assert!(stock(&sig, &joined), "ssh-keygen refused a good split archive");
}

/// hakobu signs by SHA-256 (the checksum file's sum: no pass of its own,
/// issue #31); signatures made by stock `ssh-keygen -Y sign`, whose default
/// hash is SHA-512, are checked as well — over the bytes unpack and verify
/// read, single and split; a byte changed is refused either way.
#[test]
fn sha256_and_stock_sha512_signatures_both_hold_and_both_catch_a_change() {
    if !require("ssh-keygen") {
        return;
    }
    let t = Signed::new(true);
    let key = t.s.key.to_str().unwrap();
    for (out, extra) in [("one", &[][..]), ("two", &["--split", "100K", "--name", "S"][..])] {
        let archive = t.pack(out, extra);
        let base = if extra.is_empty() { archive.clone() } else { archive.with_extension("") };
        let sig = PathBuf::from(format!("{}.sig", base.display()));
        let ours = fs::read(&sig).unwrap();
        let parsed = ssh_key::SshSig::from_pem(&ours).unwrap();
        assert_eq!(parsed.hash_alg(), ssh_key::HashAlg::Sha256, "hakobu's own signature");
        // The same archive re-signed with stock ssh-keygen (SHA-512, its default).
        let parts = if extra.is_empty() { vec![archive.clone()] } else { volumes(&t.s.path(out)) };
        let mut joined = Vec::new();
        for p in &parts {
            joined.extend(fs::read(p).unwrap());
        }
        let message = t.s.path(&format!("{out}-joined"));
        fs::write(&message, &joined).unwrap();
        let o =
            Command::new("ssh-keygen").args(["-Y", "sign", "-q", "-f"]).arg(&t.sk).args(["-n", "hakobu"]).arg(&message).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let stock = fs::read(format!("{}.sig", message.display())).unwrap();
        assert_eq!(ssh_key::SshSig::from_pem(&stock).unwrap().hash_alg(), ssh_key::HashAlg::Sha512);
        for (which, sig_bytes) in [("sha256", &ours), ("sha512", &stock)] {
            fs::write(&sig, sig_bytes).unwrap();
            let (code, v) = t.verify_json(&base);
            assert_eq!(code, 0, "{which} {out}: {v}");
            assert_eq!(v["signature"]["signer"]["name"], "本社", "{which} {out}: {v}");
            let dest = format!("{out}-{which}-out");
            let o = t.run(&["unpack", base.to_str().unwrap(), "-o", &dest, "-i", key, "-q"]);
            assert!(o.status.success(), "{which} {out}: {}", String::from_utf8_lossy(&o.stderr));
            assert_eq!(fs::read(t.s.path(&dest).join("src/b.bin")).unwrap(), crate::support::synthetic_bytes(17, 300_000));
        }
        // One byte changed in the last volume: refused under both hashes, nothing released.
        let last = parts.last().unwrap();
        let mut bytes = fs::read(last).unwrap();
        let i = bytes.len() - 5;
        bytes[i] ^= 1;
        fs::write(last, &bytes).unwrap();
        // The checksum file would name the damage first: take it away, so the signature is what judges.
        fs::remove_file(format!("{}.sha256", base.display())).unwrap();
        for (which, sig_bytes) in [("sha256", &ours), ("sha512", &stock)] {
            fs::write(&sig, sig_bytes).unwrap();
            let dest = format!("{out}-{which}-bad");
            let o = t.run(&["unpack", base.to_str().unwrap(), "-o", &dest, "-i", key, "-q"]);
            assert_ne!(o.status.code(), Some(0), "{which} {out}: a changed archive was released");
            assert!(
                !t.s.path(&dest).exists() || fs::read_dir(t.s.path(&dest)).unwrap().next().is_none(),
                "{which} {out}: released something"
            );
        }
    }
}

#[test]
fn stick_check_counts_the_sig_as_part_of_the_archive() {
    let t = Signed::new(false);
    t.pack("stick", &[]);
    let o = t.run(&["verify", "--json", "stick"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(o.status.code(), Some(0), "{v}");
    assert_eq!(v["verdict"], "clean", "{v}");
    // A swapped-in signature makes the archive damaged in the stick check.
    let sig = sig_in(&t.s.path("stick"));
    fs::write(&sig, "-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n").unwrap();
    let o = t.run(&["verify", "--json", "stick"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(o.status.code(), Some(1), "{v}");
    assert_eq!(v["archives"][0]["problem_kind"], "signature-refused", "{v}");
}

fn sig_in(dir: &Path) -> PathBuf {
    fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).find(|p| p.to_string_lossy().ends_with(".age.sig")).unwrap()
}

#[test]
fn keygen_sign_protects_by_default_and_never_overwrites() {
    let s = Session::new();
    let sk = s.path("sk");
    write(&sk, b"existing");
    let err = s.run_fails(4, &["keygen", "--sign", "--no-passphrase", "-o", sk.to_str().unwrap()]);
    assert!(err.contains("exists") || err.contains("already"), "{err}");
    assert_eq!(fs::read(&sk).unwrap(), b"existing");
    // No terminal: a passphrase cannot be asked for, so nothing is written.
    let sk2 = s.path("sk2");
    let o = s.run(&["keygen", "--sign", "-o", sk2.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(!sk2.exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let sk3 = s.path("sk3");
        s.run_ok(&["keygen", "--sign", "--no-passphrase", "-o", sk3.to_str().unwrap()]);
        assert_eq!(fs::metadata(&sk3).unwrap().permissions().mode() & 0o077, 0);
    }
}

#[test]
fn senders_table_is_checked_and_kept() {
    let t = Signed::new(false);
    let archive = t.pack("stick", &[]);
    // `recipients add` rewrites the file: the senders and the signing policy stay.
    let o = t.run(&["recipients", "add", "支社", &t.s.recipient]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = fs::read_to_string(&t.config).unwrap();
    assert!(text.contains("[senders]") && text.contains(&t.public), "{text}");
    let (code, v) = t.verify_json(&archive);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["signature"]["signer"]["name"], "本社");
    // A sender's entry that is not an SSH public key (here a secret key) is a config error, never echoed.
    let secret = fs::read_to_string(&t.sk).unwrap();
    fs::write(&t.config, format!("[senders]\n\"本社\" = \"\"\"{secret}\"\"\"\n")).unwrap();
    let o = t.run(&["verify", archive.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("code: bad-config") && err.contains("SECRET key") && !err.contains("BEGIN OPENSSH"), "{err}");
    assert!(err.contains("sender \"本社\", key 1") && !err.contains("recipient"), "says sender: {err}");
}

// ---------------------------------------------------------------- attacks (issue #31)

/// The genuine archive's files and an outsider's forgery of them: the same
/// names and sizes, other bytes.
const GENUINE: &[u8] = b"member list (synthetic)\n";
const FORGED: &[u8] = b"FORGED list (synthetic)\n";

impl Signed {
    /// An outsider's archive `X.age` in `dir`, unsigned, made for this
    /// session's public key (which anyone may have) from forged files of the
    /// same layout: `-r` for a key archive, or `-p` (through `pinentry`) for
    /// a passphrase one.
    fn forge(&self, dir: &str, extra: &[&str], env: &[(&str, &str)]) -> PathBuf {
        let forger = self.s.path("forger");
        write(&forger.join("src/a.txt"), FORGED);
        write(&forger.join("src/b.bin"), &crate::support::synthetic_bytes(99, 300_000));
        fs::create_dir_all(self.s.path(dir)).unwrap();
        let out = self.s.path(dir);
        let mut args = vec!["pack", "src", "-o", out.to_str().unwrap(), "--name", "X", "-q"];
        args.extend_from_slice(extra);
        let o = run_env(&forger, env, &args);
        assert!(o.status.success(), "forging failed: {}", String::from_utf8_lossy(&o.stderr));
        out.join("X.age")
    }

    /// What unpack released into `out`, if anything: the contents of a.txt.
    fn released(&self, out: &str) -> Option<Vec<u8>> {
        fs::read(self.s.path(out).join("src/a.txt")).ok()
    }
}

/// A pinentry that answers `$FAKE_PASS` to every question; at the first
/// question asked while `$SWAP_FROM` is set, it first renames `$SWAP_FROM`
/// over `$SWAP_TO` — a file swapped while the passphrase prompt is open.
const SWAPPING_PINENTRY: &str = r#"#!/bin/sh
echo "OK Pleased to meet you"
while IFS= read -r line; do
  case "$line" in
    GETPIN*)
      if [ -n "$SWAP_FROM" ] && [ -e "$SWAP_FROM" ]; then mv -f "$SWAP_FROM" "$SWAP_TO"; fi
      printf 'D %s\nOK\n' "$FAKE_PASS" ;;
    BYE*) echo "OK closing connection"; exit 0 ;;
    *) echo "OK" ;;
  esac
done
"#;

/// Swapped at the passphrase prompt: the genuine signed passphrase archive
/// is opened, its signature read, then — while hakobu waits for the
/// passphrase — an insider's forgery (same passphrase, unsigned) is renamed
/// over it. Before issue #31 the forgery was decrypted by name and released
/// as "made by 本社" every time. Now the archive is read through the handle
/// opened before the prompt: the genuine files are released, or nothing.
#[test]
fn a_forgery_swapped_in_at_the_passphrase_prompt_is_never_released() {
    if !cfg!(unix) || !require("sh") {
        return;
    }
    let t = Signed::new(true);
    let pinentry = t.s.path("swapping-pinentry");
    fs::write(&pinentry, SWAPPING_PINENTRY).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&pinentry, fs::Permissions::from_mode(0o755)).unwrap();
    }
    let pass = "synthetic tulip orbit canvas 運ぶ";
    let mut env = t.env();
    env.extend([("PINENTRY_PROGRAM", pinentry.to_str().unwrap()), ("FAKE_PASS", pass)]);
    fs::create_dir_all(t.s.path("stick")).unwrap();
    let o = run_env(t.s.dir.path(), &env, &["pack", "src", "-o", "stick", "-p", "--name", "X", "-q", "--sign", t.sk.to_str().unwrap()]);
    assert!(o.status.success(), "pack -p --sign: {}", String::from_utf8_lossy(&o.stderr));
    let genuine = t.s.path("stick/X.age");
    // The insider knows the passphrase; no config (no signing policy) of ours.
    let forged = t.forge("forged", &["-p"], &[("PINENTRY_PROGRAM", pinentry.to_str().unwrap()), ("FAKE_PASS", pass)]);
    let (from, to) = (forged.to_str().unwrap().to_owned(), genuine.to_str().unwrap().to_owned());
    env.extend([("SWAP_FROM", from.as_str()), ("SWAP_TO", to.as_str())]);
    let o = run_env(t.s.dir.path(), &env, &["unpack", genuine.to_str().unwrap(), "-o", "out"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!forged.exists(), "the pinentry swapped the files while it was asked: {err}");
    assert_ne!(t.released("out").as_deref(), Some(FORGED), "the forgery was released: {err}");
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert_eq!(t.released("out").as_deref(), Some(GENUINE), "{err}");
    assert!(err.contains("made by 本社"), "{err}");
    // The file now under the name is the forgery: judged on its own, refused.
    let o = run_env(t.s.dir.path(), &env, &["unpack", genuine.to_str().unwrap(), "-o", "out2"]);
    assert_eq!(o.status.code(), Some(7), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!t.s.path("out2").exists());
}

/// A medium that answers the first open with the genuine archive and every
/// later one with a forgery (and a checksum file made for the forgery): the
/// signature, the checksum and the decryption must judge the same bytes.
/// Before issue #31 the signature was checked on one read and the archive
/// checksummed or decrypted on another: unpack released the forgery "made
/// by 本社", and keyless verify passed it as signed by 本社.
#[test]
fn a_medium_that_answers_differently_the_second_time_releases_nothing_forged() {
    let Some(stick) = crate::stick_mounts::Mounted::two_faced() else { return };
    let t = Signed::new(true);
    let genuine = t.pack("made", &["--name", "X"]);
    let forged = t.forge("forged", &["-r", &t.s.recipient.clone()], &[]);
    fs::copy(&genuine, stick.dir.join("X.age")).unwrap();
    fs::copy(t.s.path("made/X.age.sig"), stick.dir.join("X.age.sig")).unwrap();
    fs::copy(&forged, stick.dir.join(".second-face-X.age")).unwrap();
    // The checksum file is not authenticated: the attacker writes the forgery's.
    fs::copy(t.s.path("forged/X.age.sha256"), stick.dir.join("X.age.sha256")).unwrap();
    let archive = stick.dir.join("X.age");
    let a = archive.to_str().unwrap();
    let key = t.s.key.to_str().unwrap();

    let o = t.run(&["unpack", a, "-o", "out", "-i", key]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_ne!(t.released("out").as_deref(), Some(FORGED), "the forgery was released: {err}");
    assert_eq!(o.status.code(), Some(7), "{err}");
    assert!(err.contains("code: signature-refused"), "{err}");
    assert!(!t.s.path("out").exists(), "something was released: {err}");

    let o = t.run(&["list", a, "-i", key]);
    assert_eq!(o.status.code(), Some(7), "list: {}", String::from_utf8_lossy(&o.stderr));
    assert!(o.stdout.is_empty(), "list printed the forgery's contents");

    let (code, v) = t.verify_json(&archive);
    assert_eq!(code, 7, "keyless verify passed bytes other than those signed: {v}");
    assert_eq!(v["error"]["kind"], "signature-refused", "{v}");
    let o = t.run(&["verify", "--json", "-i", key, a]);
    assert_eq!(o.status.code(), Some(7), "verify -i: {}", String::from_utf8_lossy(&o.stdout));
}

/// A watcher renames an outsider's archive and the genuine one over each
/// other as fast as it can while unpack runs, again and again (keyless
/// verify is attacked by the two-faced medium above, where a pass is
/// known to see other bytes). Whatever the timing, the forgery is never released nor passed as
/// signed: each run reads one file, once, through one handle.
#[test]
fn a_watcher_swapping_files_between_reads_never_gets_a_forgery_released() {
    let t = Signed::new(true);
    let genuine = t.pack("stick", &["--name", "X"]);
    let forged = t.forge("forged", &["-r", &t.s.recipient.clone()], &[]);
    // Both archives and their checksum files take turns under the genuine names.
    let slot = |name: &str| t.s.path("stick").join(name);
    fs::copy(&genuine, slot("genuine.age")).unwrap();
    fs::copy(&forged, slot("forged.age")).unwrap();
    fs::copy(t.s.path("stick/X.age.sha256"), slot("genuine.sha256")).unwrap();
    fs::copy(t.s.path("forged/X.age.sha256"), slot("forged.sha256")).unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watcher = {
        let stop = stop.clone();
        let (dir, target) = (t.s.path("stick"), genuine.clone());
        std::thread::spawn(move || {
            let mut turn = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let who = if turn.is_multiple_of(2) { "forged" } else { "genuine" };
                // Copy, then rename over: the name always holds a whole archive.
                let _ = fs::copy(dir.join(format!("{who}.age")), dir.join("next.tmp"));
                let _ = fs::rename(dir.join("next.tmp"), &target);
                let _ = fs::copy(dir.join(format!("{who}.sha256")), dir.join("next.sha"));
                let _ = fs::rename(dir.join("next.sha"), dir.join("X.age.sha256"));
                turn += 1;
            }
        })
    };
    let a = genuine.to_str().unwrap();
    let key = t.s.key.to_str().unwrap();
    let mut released = 0;
    for i in 0..12 {
        let out = format!("out{i}");
        let o = t.run(&["unpack", a, "-o", &out, "-i", key]);
        let err = String::from_utf8_lossy(&o.stderr);
        match t.released(&out) {
            Some(got) => {
                assert_eq!(got, GENUINE, "run {i}: the forgery was released: {err}");
                released += 1;
            }
            None => assert!(!t.s.path(&out).exists() || o.status.code() != Some(0), "run {i}: {err}"),
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    watcher.join().unwrap();
    // Not a statement about timing: only that the runs did run.
    eprintln!("a_watcher_swapping_files: {released} of 12 unpacks released the genuine files; the rest refused");
}

/// At a terminal, the phases of a signed archive are named and Ctrl-C is
/// honoured in them (issue #31 §4): pack's read-back that takes the
/// signature's digest, unpack's check that judges it, keyless verify's
/// checksum pass. Keys typed while no question is open (a passphrase typed
/// ahead) never appear on the screen. Reads are slowed with strace so each
/// phase outlasts the keys.
#[test]
fn signing_and_signature_checking_are_named_and_honour_ctrl_c() {
    if !require("script") || !require("strace") {
        return;
    }
    let t = Signed::new(true);
    write(&t.s.path("big/表.bin"), &crate::support::synthetic_bytes(5, 24 << 20));
    let config = t.config.to_str().unwrap().to_owned();
    let env = [("HAKOBU_CONFIG", config.as_str()), ("HAKOBU_LANG", "en")];
    // Every read slowed by 0.1 s: sources, read-back, archive (blocks of 1 MiB).
    let slow = |args: &[&str]| -> Vec<String> {
        ["strace", "-D", "-f", "-o", "/dev/null", "-e", "inject=read:delay_exit=100000"]
            .iter()
            .map(|a| a.to_string())
            .chain(std::iter::once(crate::support::hakobu_bin().display().to_string()))
            .chain(args.iter().map(|a| a.to_string()))
            .collect()
    };
    let typed = "typed-ahead-secret";
    let phase_then_ctrl_c = |label: &'static str| [(label, typed), (label, "\x03")];
    fs::create_dir_all(t.s.path("stick")).unwrap();
    let sk = t.sk.to_str().unwrap().to_owned();
    let pack = slow(&["pack", "big", "-o", "stick", "-r", &t.s.recipient, "--sign", &sk]);
    let (code, screen) = crate::support::drive_in_pty(t.s.dir.path(), &env, &pack, &phase_then_ctrl_c("Reading back, signing"));
    assert_eq!(code, Some(130), "pack: {screen:?}");
    assert!(screen.contains("code: interrupted"), "{screen:?}");
    assert!(!screen.contains(typed), "keys typed during the phase were shown: {screen:?}");
    assert_eq!(fs::read_dir(t.s.path("stick")).unwrap().count(), 0, "the cancelled pack left files (a .sig?)");

    // A signed archive to check (made without the slowdown).
    let archive = t.pack("signed", &["--name", "X"]);
    let a = archive.to_str().unwrap().to_owned();
    let o = t.run(&["pack", "big", "-o", "signed", "-r", &t.s.recipient, "--sign", &sk, "--name", "Y", "-q"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let y = t.s.path("signed/Y.age").to_str().unwrap().to_owned();
    let key = t.s.key.to_str().unwrap().to_owned();
    let unpack = slow(&["unpack", &y, "-o", "out", "-i", &key]);
    let (code, screen) = crate::support::drive_in_pty(t.s.dir.path(), &env, &unpack, &phase_then_ctrl_c("Checking, signature"));
    assert_eq!(code, Some(130), "unpack: {screen:?}");
    assert!(!screen.contains(typed), "{screen:?}");
    assert!(!t.s.path("out").exists() || fs::read_dir(t.s.path("out")).unwrap().count() == 0, "the cancelled unpack released files");
    let verify = slow(&["verify", &y]);
    let (code, screen) = crate::support::drive_in_pty(t.s.dir.path(), &env, &verify, &phase_then_ctrl_c("Checksum, signature"));
    assert_eq!(code, Some(130), "verify: {screen:?}");
    assert!(!screen.contains(typed), "{screen:?}");
    // Unslowed, the small one passes: the phases are the signed ones, not extra passes.
    let o = t.run(&["verify", &a]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// A signed pack with no terminal and no pinentry (a scheduled task) cannot
/// ask for the signing key's passphrase: that is said as such
/// (`passphrase-unavailable`), not as a cancel (exit 130), and nothing is
/// written (issue #25).
#[test]
fn a_signed_pack_without_a_terminal_says_the_passphrase_cannot_be_asked() {
    if !require("ssh-keygen") {
        return;
    }
    let t = Signed::new(false);
    let protected = t.s.path("protected_sk");
    let made = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "synthetic pass phrase", "-f"])
        .arg(&protected)
        .stdin(Stdio::null())
        .status()
        .unwrap();
    assert!(made.success());
    fs::create_dir_all(t.s.path("stick")).unwrap();
    for lang in ["en", "ja"] {
        let mut env = t.env();
        env.push(("HAKOBU_LANG", lang));
        let o = run_env(t.s.dir.path(), &env, &["pack", "src", "-o", "stick", "-r", &t.s.recipient, "--sign", protected.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("code: passphrase-unavailable"), "{lang}: {err}");
        assert_ne!(o.status.code(), Some(130), "{lang}: {err}");
        assert_eq!(fs::read_dir(t.s.path("stick")).unwrap().count(), 0, "{lang}: the pack wrote to the stick");
    }
}

// ---------------------------------------------------------------- who signed (issue #32)

/// A second listed sender, 千葉支部, beside 本社; `extra` is appended to `[signing]`.
fn two_senders(t: &Signed, extra: &str) -> PathBuf {
    let sk2 = t.s.path("chiba_signing_key");
    let o = t.s.run_ok(&["keygen", "--sign", "--no-passphrase", "-o", sk2.to_str().unwrap()]);
    let public2 = String::from_utf8(o.stdout).unwrap().trim().to_owned();
    fs::write(
        &t.config,
        format!("[signing]\nrequire_signature = false\n{extra}\n[senders]\n\"本社\" = \"{}\"\n\"千葉支部\" = \"{public2}\"\n", t.public),
    )
    .unwrap();
    sk2
}

/// Signs `archive` with stock ssh-keygen (writes `archive.sig`, replacing one).
fn stock_sign(key: &Path, archive: &Path) {
    let _ = fs::remove_file(format!("{}.sig", archive.display()));
    let o = Command::new("ssh-keygen").args(["-Y", "sign", "-q", "-f"]).arg(key).args(["-n", "hakobu"]).arg(archive).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// Any listed sender could re-sign another's archive and be shown as its
/// maker. The manifest, inside the encryption, names the key pack signed
/// with: a signature by another key is refused once decrypted, nothing released.
#[test]
fn an_archive_re_signed_by_another_listed_sender_is_refused() {
    if !require("ssh-keygen") {
        return;
    }
    let t = Signed::new(false);
    let sk2 = two_senders(&t, "");
    let archive = t.pack("stick", &[]);
    stock_sign(&sk2, &archive);
    let key = t.s.key.to_str().unwrap();
    let o = t.run(&["unpack", archive.to_str().unwrap(), "-o", "out", "-i", key, "--json"]);
    assert_eq!(o.status.code(), Some(7), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["error"]["kind"], "signature-refused", "{v}");
    assert_eq!(v["error"]["signature"]["problem"], "not-the-packer", "{v}");
    assert!(!t.s.path("out").exists(), "released a re-signed archive");
    let o = t.run(&["verify", "--json", archive.to_str().unwrap(), "-i", key]);
    assert_eq!(o.status.code(), Some(7));
    // In words, both languages.
    let o = run_env(
        t.s.dir.path(),
        &[("HAKOBU_CONFIG", t.config.to_str().unwrap()), ("HAKOBU_LANG", "ja")],
        &["unpack", archive.to_str().unwrap(), "-o", "out", "-i", key],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("署名し直しています"), "{err}");
    // Signed again by the key that packed it: fine.
    stock_sign(&t.sk, &archive);
    let o = t.run(&["unpack", archive.to_str().unwrap(), "-o", "out", "-i", key, "-q"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// A signed archive whose `.sig` was taken away, where policy does not
/// require signatures: the manifest says it was signed, so it is refused.
#[test]
fn a_signed_archive_whose_signature_was_removed_is_refused() {
    let t = Signed::new(false);
    let archive = t.pack("stick", &[]);
    fs::remove_file(format!("{}.sig", archive.display())).unwrap();
    let o = t.run(&["unpack", archive.to_str().unwrap(), "-o", "out", "-i", t.s.key.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(7), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["error"]["signature"]["problem"], "stripped", "{v}");
    assert!(!t.s.path("out").exists(), "released an archive stripped of its signature");
    // An archive packed unsigned still opens with the usual notice.
    fs::create_dir_all(t.s.path("plain")).unwrap();
    let o = t.run(&["pack", "src", "-o", "plain", "-r", &t.s.recipient, "-q"]);
    assert!(o.status.success());
    let plain = t.s.path(String::from_utf8(o.stdout).unwrap().lines().next().unwrap().trim());
    let o = t.run(&["unpack", plain.to_str().unwrap(), "-o", "out2", "-i", t.s.key.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// `[signing] accept_from` names whose archives this PC takes: another
/// listed sender's, or an unsigned one, is refused before anything is asked.
#[test]
fn accept_from_takes_only_the_named_senders() {
    if !require("ssh-keygen") {
        return;
    }
    let t = Signed::new(false);
    let sk2 = two_senders(&t, "accept_from = [\"本社\"]");
    let key = t.s.key.to_str().unwrap();
    // From 千葉支部 (signed at pack time with its key): refused, before any prompt.
    fs::create_dir_all(t.s.path("chiba")).unwrap();
    let o = t.run(&["pack", "src", "-o", "chiba", "-r", &t.s.recipient, "-q", "--sign", sk2.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let chiba = t.s.path(String::from_utf8(o.stdout).unwrap().lines().next().unwrap().trim());
    let o = t.run(&["unpack", chiba.to_str().unwrap(), "-o", "out", "--json"]);
    assert_eq!(o.status.code(), Some(7), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["error"]["signature"]["problem"], "not-accepted", "{v}");
    assert_eq!(v["error"]["signature"]["signer"], "千葉支部", "{v}");
    assert!(!t.s.path("out").exists());
    // Unsigned: refused.
    fs::create_dir_all(t.s.path("plain")).unwrap();
    let o = t.run(&["pack", "src", "-o", "plain", "-r", &t.s.recipient, "-q"]);
    let plain = t.s.path(String::from_utf8(o.stdout).unwrap().lines().next().unwrap().trim());
    let o = t.run(&["unpack", plain.to_str().unwrap(), "-o", "out", "--json", "-i", key]);
    assert_eq!(o.status.code(), Some(7));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["error"]["signature"]["problem"], "not-accepted", "{v}");
    // In words.
    let o = run_env(
        t.s.dir.path(),
        &[("HAKOBU_CONFIG", t.config.to_str().unwrap()), ("HAKOBU_LANG", "ja")],
        &["unpack", chiba.to_str().unwrap(), "-o", "out", "-i", key],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("千葉支部 の署名ですが、このパソコンでは 本社 からのアーカイブだけを受け取ります"), "{err}");
    // From 本社: taken.
    let ok = t.pack("hq", &[]);
    let o = t.run(&["unpack", ok.to_str().unwrap(), "-o", "out", "-i", key, "-q"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // A name that is not a sender is IT's mistake, said with the setting.
    fs::write(&t.config, format!("[signing]\naccept_from = [\"本店\"]\n\n[senders]\n\"本社\" = \"{}\"\n", t.public)).unwrap();
    let o = t.run(&["unpack", ok.to_str().unwrap(), "-o", "out3", "-i", key, "--json"]);
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["error"]["kind"], "config-unknown-name", "{v}");
}

/// Who signed is said before the files are released — with `-q` too — and
/// is in the JSON; a signature added after packing is said as such.
#[test]
fn the_signer_is_said_before_release_and_a_later_signature_as_such() {
    if !require("ssh-keygen") {
        return;
    }
    let t = Signed::new(false);
    let archive = t.pack("stick", &[]);
    let key = t.s.key.to_str().unwrap();
    let o = t.run(&["unpack", archive.to_str().unwrap(), "-o", "out", "-i", key]);
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    let signer = err.find("made by 本社").unwrap_or_else(|| panic!("no signer line: {err}"));
    let done = err.find("Unpacked").or_else(|| err.find("unpacked")).unwrap_or_else(|| panic!("no done line: {err}"));
    assert!(signer < done, "the signer came after the release: {err}");
    assert_eq!(err.matches("made by 本社").count(), 1, "said more than once: {err}");
    let o = t.run(&["unpack", archive.to_str().unwrap(), "-o", "out-q", "-i", key, "-q"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("made by 本社"), "-q hid the signer");
    let o = t.run(&["unpack", archive.to_str().unwrap(), "-o", "out-j", "-i", key, "--json", "-q"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["signature"]["signer"]["name"], "本社", "{v}");
    // Packed unsigned, signed afterwards with ssh-keygen by a listed sender.
    fs::create_dir_all(t.s.path("plain")).unwrap();
    let o = t.run(&["pack", "src", "-o", "plain", "-r", &t.s.recipient, "-q"]);
    let plain = t.s.path(String::from_utf8(o.stdout).unwrap().lines().next().unwrap().trim());
    stock_sign(&t.sk, &plain);
    let o = t.run(&["unpack", plain.to_str().unwrap(), "-o", "later", "-i", key, "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["signature"]["signed_after_packing"], true, "{v}");
    let o = t.run(&["unpack", plain.to_str().unwrap(), "-o", "later2", "-i", key]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("after the archive was made"), "{}", String::from_utf8_lossy(&o.stderr));
}

/// A sender whose OpenSSH key is RSA or ECDSA (signing with stock
/// ssh-keygen): a valid signature holds (it was reported as "changed"), a
/// changed byte still does not.
#[test]
fn rsa_and_ecdsa_sender_signatures_verify() {
    if !require("ssh-keygen") {
        return;
    }
    let t = Signed::new(true);
    let mut senders = String::new();
    let mut keys = Vec::new();
    for (name, kind, bits) in [("本社", "rsa", "3072"), ("大阪支部", "ecdsa", "256"), ("福岡支部", "ecdsa", "384")] {
        let key = t.s.path(&format!("{kind}{bits}_key"));
        let o = Command::new("ssh-keygen").args(["-q", "-t", kind, "-b", bits, "-N", "", "-f"]).arg(&key).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let public = fs::read_to_string(format!("{}.pub", key.display())).unwrap();
        senders.push_str(&format!("\"{name}\" = \"{}\"\n", public.trim()));
        keys.push((name, key));
    }
    fs::write(&t.config, format!("[signing]\nrequire_signature = false\n\n[senders]\n{senders}")).unwrap();
    fs::create_dir_all(t.s.path("stick")).unwrap();
    let o = t.run(&["pack", "src", "-o", "stick", "-r", &t.s.recipient, "-q", "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let archive = PathBuf::from(v["path"].as_str().unwrap());
    let archive = if archive.is_absolute() { archive } else { t.s.path(archive.to_str().unwrap()) };
    for (name, key) in &keys {
        stock_sign(key, &archive);
        let (code, v) = t.verify_json(&archive);
        assert_eq!(code, 0, "{name}: {v}");
        assert_eq!(v["signature"]["signer"]["name"], *name, "{v}");
        let dest = format!("out-{}", key.file_name().unwrap().to_string_lossy());
        let o = t.run(&["unpack", archive.to_str().unwrap(), "-o", &dest, "-i", t.s.key.to_str().unwrap(), "-q"]);
        assert!(o.status.success(), "{name}: {}", String::from_utf8_lossy(&o.stderr));
    }
    // The same signature over other bytes: a forgery still.
    let mut bytes = fs::read(&archive).unwrap();
    bytes[200] ^= 1;
    fs::write(&archive, &bytes).unwrap();
    fs::remove_file(format!("{}.sha256", archive.display())).unwrap();
    let o = t.run(&["unpack", archive.to_str().unwrap(), "-o", "bad", "-i", t.s.key.to_str().unwrap(), "-q"]);
    assert_ne!(o.status.code(), Some(0));
    assert!(!t.s.path("bad").exists() || fs::read_dir(t.s.path("bad")).unwrap().next().is_none());
}
