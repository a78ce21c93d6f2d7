//! Telling secret keys by their bytes (issue #3 §2, issue #32 item 3): pack
//! refuses to pack one, the stick check names one. Content only, never the
//! name: a key renamed `notes.txt` is still a key.
//!
//! What counts as a key, in UTF-8, UTF-16 LE or BE text (with or without a
//! byte-order mark), its words in capitals, small letters or capitalised
//! (`AGE-SECRET-KEY-1`, `age-secret-key-1`, `Age-Secret-Key-1`; PEM labels
//! in any case):
//! - an age identity `AGE-SECRET-KEY-1…` (also lower-case, which the Rust
//!   age crate accepts though Go's age does not) and a plugin identity
//!   `AGE-PLUGIN-…` (upper-case, as plugins write them: `age-plugin-yubikey`
//!   is a program's name, common in notes);
//! - any PEM block whose label ends in `PRIVATE KEY` (`-----BEGIN RSA / EC /
//!   DSA / ENCRYPTED / OPENSSH / SSH2 ENCRYPTED PRIVATE KEY-----`, PKCS#8's
//!   plain `PRIVATE KEY`) and a PGP private key block
//!   (`-----BEGIN PGP PRIVATE KEY BLOCK-----`);
//! - a PuTTY key file (`PuTTY-User-Key-File-2:` / `-3:`), an SSH2 (RFC 4716,
//!   ssh.com) private key (`---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----`);
//! - a PKCS#12 file (`.p12`, `.pfx`), binary DER, told by its structure
//!   whatever its name: `SEQUENCE { INTEGER 3, SEQUENCE { OID pkcs7-data or
//!   pkcs7-signedData, …` at the very start (RFC 7292 §4: version 3, then
//!   the authSafe ContentInfo);
//! - a small passphrase-protected age key file ([`PROTECTED_KEY_LIMIT`]).

/// Upper-case markers, compared as written (a plugin identity is always upper-case).
const UPPER_MARKERS: [&[u8]; 2] = [b"AGE-SECRET-KEY-1", b"AGE-PLUGIN-"];
/// Markers with words, compared ASCII case-insensitively where `ey-` (of
/// their `-key-` / `-Key-`, 12 bytes in) stands.
const KEY_WORDS: [&[u8]; 2] = [b"age-secret-key-1", b"putty-user-key-file-"];
/// Where `ey-` stands in each of [`KEY_WORDS`].
const KEY_AT: usize = 12;

/// The largest file taken for a passphrase-protected key file. hakobu's own
/// (keygen with a passphrase: one identity, encrypted with scrypt, armored)
/// is about 600 bytes, age's `age-keygen | age -p -a` about the same; a
/// hakobu archive cannot be this small (its tar alone — entry headers, the
/// checksum list, the manifest, the end marker — is several KiB). The
/// trade-off: any other passphrase-encrypted age file this small (a short
/// note encrypted with `age -p`) is taken for a key too, and refused or
/// warned about; a protected key file larger than this (many identities,
/// long comments) is not recognised.
pub(crate) const PROTECTED_KEY_LIMIT: usize = 2048;

/// Whether `data` (a whole small file, or the start of one) holds a secret key.
pub fn looks_like_secret_key(data: &[u8]) -> bool {
    if data.is_empty() {
        return false;
    }
    if has_text_marker(data) || is_pkcs12(data) || looks_like_protected_key(data) {
        return true;
    }
    // UTF-16 text (Notepad's "Unicode"): ASCII with a zero byte beside each
    // character. Checked only where the zeros say so, so that other files
    // cost a look at their first 256 bytes.
    utf16_endianness(data).is_some_and(|big_endian| has_text_marker(&narrow_utf16(data, big_endian)))
}

/// The text markers. Pack runs this on every small file, so it searches
/// with SIMD for three anchors — `----` (case does not change it), `AGE-`
/// and `ey-` (of `-key-` and `-Key-`) — and compares the whole marker only
/// where one stands. (A lower-cased copy of each file to search in cost
/// four times as much as the upper-case search alone.) Words in odd
/// mixtures of case (`-kEy-`) are missed; neither age nor PuTTY reads them.
fn has_text_marker(data: &[u8]) -> bool {
    static FINDERS: std::sync::LazyLock<[memchr::memmem::Finder<'static>; 3]> =
        std::sync::LazyLock::new(|| [b"----".as_slice(), b"AGE-", b"ey-"].map(memchr::memmem::Finder::new));
    let [dashes, upper, words] = &*FINDERS;
    if upper.find_iter(data).any(|i| UPPER_MARKERS.iter().any(|m| data[i..].starts_with(m))) {
        return true;
    }
    let named = |i: usize| {
        KEY_WORDS.iter().any(|w| i.checked_sub(KEY_AT).and_then(|s| data.get(s..s + w.len())).is_some_and(|d| d.eq_ignore_ascii_case(w)))
    };
    if words.find_iter(data).any(named) {
        return true;
    }
    // `-----BEGIN … PRIVATE KEY-----` (a run of five dashes, maybe more
    // before it) and `---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----` (four).
    let mut from = 0;
    while let Some(i) = dashes.find(&data[from..]).map(|i| from + i) {
        let run = data[i..].iter().take_while(|&&b| b == b'-').count();
        let rest = &data[i + run..];
        let starts = |w: &[u8]| rest.get(..w.len()).is_some_and(|r| r.eq_ignore_ascii_case(w));
        if (run >= 5 && starts(b"BEGIN ") && is_private_label(&rest[6..])) || (run == 4 && starts(b" BEGIN SSH2 ENCRYPTED PRIVATE KEY")) {
            return true;
        }
        from = i + run;
    }
    false
}

/// After `-----BEGIN `: a label (letters, digits, spaces; at most 64) then
/// `-----`; a private key's label ends in `PRIVATE KEY`, a PGP one is
/// `PGP PRIVATE KEY BLOCK` (ASCII case ignored).
fn is_private_label(rest: &[u8]) -> bool {
    let end = rest.iter().take(65).position(|&b| !(b.is_ascii_alphanumeric() || b == b' '));
    let Some(end) = end else { return false };
    let label = rest[..end].to_ascii_lowercase();
    rest[end..].starts_with(b"-----") && (label.ends_with(b"private key") || label == b"pgp private key block")
}

/// UTF-16 by its byte-order mark, or by its zeros: in the first 256 bytes, every
/// other byte zero (at least a quarter of the units: ASCII characters) and
/// almost none of the others (binary files have zeros everywhere).
fn utf16_endianness(data: &[u8]) -> Option<bool> {
    if data.starts_with(&[0xFF, 0xFE]) {
        return Some(false);
    }
    if data.starts_with(&[0xFE, 0xFF]) {
        return Some(true);
    }
    let units = data.len().min(256) / 2;
    if units < 8 || memchr::memchr(0, &data[..units * 2]).is_none() {
        return None;
    }
    let (mut even, mut odd) = (0, 0);
    for u in data[..units * 2].chunks_exact(2) {
        even += usize::from(u[0] == 0);
        odd += usize::from(u[1] == 0);
    }
    let few = units / 20;
    if odd * 4 >= units && even <= few {
        Some(false)
    } else if even * 4 >= units && odd <= few {
        Some(true)
    } else {
        None
    }
}

/// UTF-16 code units as bytes: ASCII stays, anything else becomes 0xFF (no
/// marker holds it). A byte-order mark is just another non-ASCII unit.
fn narrow_utf16(data: &[u8], big_endian: bool) -> Vec<u8> {
    data.chunks_exact(2)
        .map(|u| {
            let unit = if big_endian { u16::from_be_bytes([u[0], u[1]]) } else { u16::from_le_bytes([u[0], u[1]]) };
            if unit < 0x80 {
                unit as u8
            } else {
                0xFF
            }
        })
        .collect()
}

/// A DER PKCS#12 PFX: `30 len 02 01 03 30 len 06 09 2A 86 48 86 F7 0D 01 07
/// (01|02)`. The lengths may be short or long form (1 to 4 bytes), or
/// indefinite (BER, `80`), as some tools write.
fn is_pkcs12(data: &[u8]) -> bool {
    fn skip_header(data: &[u8], tag: u8) -> Option<&[u8]> {
        let (&t, rest) = data.split_first()?;
        if t != tag {
            return None;
        }
        let (&len, rest) = rest.split_first()?;
        match len {
            0x00..=0x80 => Some(rest),
            0x81..=0x84 => rest.get(usize::from(len - 0x80)..),
            _ => None,
        }
    }
    const PKCS7: &[u8] = &[0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07];
    let Some(rest) = skip_header(data, 0x30) else { return false };
    let Some(rest) = rest.strip_prefix(&[0x02, 0x01, 0x03][..]) else { return false };
    let Some(rest) = skip_header(rest, 0x30) else { return false };
    rest.strip_prefix(PKCS7).is_some_and(|r| matches!(r.first(), Some(0x01 | 0x02)))
}

/// A passphrase-protected key file (issue #12 §3): a small age file, armored
/// (`-----BEGIN AGE ENCRYPTED FILE-----`) or binary, whose header's first
/// stanza is `scrypt` (encrypted to a passphrase, as key files are; an age
/// file to keys is a message, not a key). Only the header is decoded, never
/// decrypted.
fn looks_like_protected_key(data: &[u8]) -> bool {
    const BINARY: &[u8] = b"age-encryption.org/v1\n";
    const SCRYPT: &[u8] = b"age-encryption.org/v1\n-> scrypt ";
    if data.len() > PROTECTED_KEY_LIMIT {
        return false;
    }
    let start = data.trim_ascii_start();
    if start.starts_with(BINARY) {
        return start.starts_with(SCRYPT);
    }
    if !start.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----") {
        return false;
    }
    let mut head = [0u8; SCRYPT.len()];
    let mut reader = age::armor::ArmoredReader::new(start);
    std::io::Read::read_exact(&mut reader, &mut head).is_ok() && head == SCRYPT
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let units = bom.then_some(0xFEFF).into_iter().chain(text.encode_utf16());
        for u in units {
            out.extend_from_slice(&if big_endian { u.to_be_bytes() } else { u.to_le_bytes() });
        }
        out
    }

    const AGE_KEY: &str = "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX";

    #[test]
    fn a_passphrase_protected_key_file_is_a_key_and_an_archive_is_not() {
        use age::secrecy::SecretString;
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("protected.txt");
        crate::keys::keyfile::keygen(&key, Some(SecretString::from("synthetic passphrase".to_owned()))).unwrap();
        let data = std::fs::read(&key).unwrap();
        assert!(data.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----"));
        assert!(data.len() < PROTECTED_KEY_LIMIT / 2, "margin below the limit: {} bytes", data.len());
        assert!(looks_like_secret_key(&data));
        // With Windows line ends and leading blank lines too (the file has
        // its OS's line ends: CRLF on Windows).
        let crlf: Vec<u8> = String::from_utf8(data.clone()).unwrap().replace("\r\n", "\n").replace('\n', "\r\n").into_bytes();
        assert!(looks_like_secret_key(&[b"\r\n".as_slice(), &crlf].concat()));
        // Binary: the armor removed.
        let mut binary = Vec::new();
        std::io::Read::read_to_end(&mut age::armor::ArmoredReader::new(data.as_slice()), &mut binary).unwrap();
        assert!(looks_like_secret_key(&binary));
        // A small age file to a key (a message, not a key file) is not.
        let to_key: Vec<u8> = {
            let id = age::x25519::Identity::generate();
            let r: Box<dyn age::Recipient> = Box::new(id.to_public());
            let enc = age::Encryptor::with_recipients(std::iter::once(r.as_ref())).unwrap();
            let mut out = Vec::new();
            let mut w = enc.wrap_output(age::armor::ArmoredWriter::wrap_output(&mut out, age::armor::Format::AsciiArmor).unwrap()).unwrap();
            std::io::Write::write_all(&mut w, b"synthetic").unwrap();
            w.finish().unwrap().finish().unwrap();
            out
        };
        assert!(to_key.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----"));
        assert!(!looks_like_secret_key(&to_key));
        // Armor text that is not age, or a larger file: not a key.
        assert!(!looks_like_secret_key(b"-----BEGIN AGE ENCRYPTED FILE-----\nnot base64 at all\n"));
        let mut big = data.clone();
        big.resize(PROTECTED_KEY_LIMIT + 1, b'\n');
        assert!(!looks_like_secret_key(&big));
    }

    #[test]
    fn finds_markers_anywhere_and_nothing_else() {
        assert!(looks_like_secret_key(b"# created\nAGE-SECRET-KEY-1QQQ"));
        assert!(looks_like_secret_key(b"x-----BEGIN OPENSSH PRIVATE KEY-----\n"));
        assert!(!looks_like_secret_key(b"AGE-SECRET-KEY-"));
        assert!(!looks_like_secret_key(b"---- ssh-ed25519 AAAA public"));
        assert!(looks_like_secret_key(b"AGE-AGE-PLUGIN-YUBIKEY-1QQ"));
        assert!(looks_like_secret_key(b"------BEGIN PRIVATE KEY-----"));
        assert!(looks_like_secret_key(b"AGE-SECRET-KEY-1"));
        assert!(!looks_like_secret_key(b""));
        // Anywhere in a file, not only near its start.
        let mut big = vec![b'-'; 15_000];
        big.extend_from_slice(b"AGE-SECRET-KEY-1X");
        assert!(looks_like_secret_key(&big));
    }

    /// Issue #32: keys that travelled unnoticed before.
    #[test]
    fn every_kind_of_key_is_told_in_any_case_and_in_utf16() {
        let keys: [&str; 10] = [
            &AGE_KEY.to_ascii_lowercase(),
            "# created: 2026\nAge-Secret-Key-1gfpyysjz\n",
            "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: synthetic\n",
            "-----BEGIN DSA PRIVATE KEY-----\nMIIBuwIBAAKBgQ\n-----END DSA PRIVATE KEY-----\n",
            "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n",
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n",
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBO\n",
            "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQVYBGN\n",
            "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n",
            "---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\nComment: \"synthetic\"\n",
        ];
        for key in keys {
            assert!(looks_like_secret_key(key.as_bytes()), "{key}");
            for (be, bom) in [(false, true), (false, false), (true, true), (true, false)] {
                assert!(looks_like_secret_key(&utf16(key, be, bom)), "UTF-16 (BE {be}, BOM {bom}): {key}");
            }
        }
        // Public halves, certificates and notes about keys are not keys.
        for text in [
            "-----BEGIN PGP PUBLIC KEY BLOCK-----\nmQINBG\n",
            "-----BEGIN CERTIFICATE-----\nMIID\n",
            "-----BEGIN PUBLIC KEY-----\nMIIB\n",
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI synthetic\n",
            "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p\n",
            "install age-plugin-yubikey first\n",
            "the private key stays at home\n",
        ] {
            assert!(!looks_like_secret_key(text.as_bytes()), "{text}");
            assert!(!looks_like_secret_key(&utf16(text, false, true)), "UTF-16: {text}");
        }
    }

    #[test]
    fn pkcs12_is_told_by_its_structure() {
        // The start of what `openssl pkcs12 -export` writes (long-form lengths).
        let pfx: &[u8] = &[
            0x30, 0x82, 0x09, 0x71, 0x02, 0x01, 0x03, 0x30, 0x82, 0x09, 0x37, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07,
            0x01, 0xA0, 0x82,
        ];
        assert!(looks_like_secret_key(pfx));
        // BER indefinite lengths (some Windows exports), signedData.
        let ber: &[u8] = &[0x30, 0x80, 0x02, 0x01, 0x03, 0x30, 0x80, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02];
        assert!(looks_like_secret_key(ber));
        // Another DER structure (a certificate: SEQUENCE, SEQUENCE) is not.
        assert!(!looks_like_secret_key(&[0x30, 0x82, 0x03, 0x00, 0x30, 0x82, 0x02, 0x00, 0xA0, 0x03, 0x02, 0x01, 0x02]));
        // Version 1 or a truncated start: not PKCS#12.
        let mut v1 = pfx.to_vec();
        v1[6] = 0x01;
        assert!(!looks_like_secret_key(&v1));
        assert!(!looks_like_secret_key(&pfx[..10]));
    }
}
