//! Neutral archive names: random, saying nothing about people, contents or counts.

use crate::error::{Error, LabelProblem, Result};

/// Characters of a generated name: lower-case letters and digits without
/// look-alikes (no 0/o, 1/l/i), easy to read out over the phone.
const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";

/// A fresh random name such as `k7tq-4mzp-x2wd-9hbr` (about 79 bits).
pub fn random_name() -> Result<String> {
    let mut bytes = [0u8; 16];
    fill_random(&mut bytes)?;
    let mut name = String::with_capacity(19);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 && i % 4 == 0 {
            name.push('-');
        }
        // 256 % 31 != 0, so reject to keep the choice uniform.
        let mut v = *b;
        while v >= 248 {
            let mut one = [0u8; 1];
            fill_random(&mut one)?;
            v = one[0];
        }
        name.push(ALPHABET[(v % 31) as usize] as char);
    }
    Ok(name)
}

/// A generated passphrase for a passphrase-only archive: six groups of four
/// characters from the same phone-friendly alphabet as archive names
/// (`k7tq-4mzp-x2wd-9hbr-m3nf-q8ke`, about 118 bits), easier to read out
/// than English words.
pub fn random_passphrase() -> Result<age::secrecy::SecretString> {
    let a = zeroize::Zeroizing::new(random_name()?);
    let b = zeroize::Zeroizing::new(random_name()?);
    let joined = zeroize::Zeroizing::new(format!("{}-{}", &a[..], &b[..9]));
    Ok(age::secrecy::SecretString::from(joined.as_str().to_owned()))
}

/// 128 random bits as lower-case hex (the manifest's `archive_id`).
pub fn random_id() -> Result<String> {
    let mut bytes = [0u8; 16];
    fill_random(&mut bytes)?;
    Ok(crate::io::hashing::to_hex(&bytes))
}

fn fill_random(buf: &mut [u8]) -> Result<()> {
    getrandom::getrandom(buf).map_err(|e| Error::Random { detail: e.to_string() })
}

/// Checks a user-chosen `--name`: a plain file name, no folders, nothing a stick's file system rejects.
pub fn check_label(label: &str) -> Result<()> {
    let refuse = |problem| Error::BadLabel { label: label.to_owned(), problem };
    let path = crate::format::paths::ArchivePath::parse(label.as_bytes()).map_err(|u| refuse(LabelProblem::Unsafe(u.problem)))?;
    if path.as_str().contains('/') {
        return Err(refuse(LabelProblem::HasFolders));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_random_and_neutral() {
        let a = random_name().unwrap();
        let b = random_name().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 19);
        assert!(a.bytes().all(|c| c == b'-' || ALPHABET.contains(&c)));
        assert_eq!(random_id().unwrap().len(), 32);
    }
}
