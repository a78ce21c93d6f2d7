//! The one place that wraps the `age` crate: sealing a stream to recipients
//! and opening one with identities or a passphrase (docs/FORMAT.md §1).

use std::io::{self, BufReader, Read, Write};
use std::path::Path;

use age::armor::{ArmoredReader, ArmoredWriter, Format};
use age::secrecy::SecretString;
use age::stream::{StreamReader, StreamWriter};
use age::{DecryptError, Decryptor, Encryptor, Identity, Recipient};

use crate::error::{Error, Result};

/// scrypt work factor (log2 N) for passphrase archives: Go age's fixed
/// choice, about 256 MiB and one second here, the same on every machine.
pub const SCRYPT_WORK_FACTOR: u8 = 18;
/// The largest scrypt work factor a receiver accepts (1 GiB, a few seconds):
/// a hostile archive must not make us spend tens of GiB or hours.
pub const MAX_SCRYPT_WORK_FACTOR: u8 = 20;

const AGE_MAGIC: &[u8] = b"age-encryption.org/";
const ARMOR_BEGIN: &[u8] = b"-----BEGIN AGE ENCRYPTED FILE-----";

/// Who can open an archive being packed.
pub enum RecipientSet {
    /// Public keys: age X25519, SSH ed25519/RSA, plugin recipients.
    Keys(Vec<Box<dyn Recipient + Send>>),
    /// One passphrase (scrypt); cannot be mixed with keys (age's rule).
    Passphrase(SecretString),
}

/// What a receiver opens an archive with.
pub enum KeySource {
    /// Identities from key files (age, SSH, plugin, passphrase-protected identity files).
    Identities(Vec<Box<dyn Identity>>),
    /// A passphrase already in hand (library callers and tests).
    Passphrase(SecretString),
    /// Ask on the terminal if the archive turns out to be passphrase-protected.
    Prompt,
    /// The default identity file: used for key archives; for passphrase
    /// archives, ask on the terminal instead.
    DefaultOrPrompt(Vec<Box<dyn Identity>>),
}

/// The sealing writer: encrypts what is written and, on `finish`, writes the final chunk.
pub type Sealer<W> = StreamWriter<FlushAtFinish<ArmoredWriter<W>>>;

/// Keeps `flush` from reaching age's armor writer before `finish`.
///
/// age 0.12.1's armor line writer counts the buffered bytes twice when it is
/// flushed (`LineEndingWriter::flush_buffered` adds them to `total_written`
/// again), so everything written after a mid-stream flush is wrapped at the
/// wrong column: Go's `age` then refuses the file ("invalid armor: column
/// limit exceeded"). Nothing needs a flush before `finish`, which writes out
/// everything anyway, so a flush stops here.
pub struct FlushAtFinish<W>(W);

impl<W: Write> Write for FlushAtFinish<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Starts an age file on `output`, encrypted to `recipients`.
pub fn seal<W: Write>(recipients: &RecipientSet, output: W, armor: bool) -> Result<Sealer<W>> {
    let encryptor = match recipients {
        RecipientSet::Keys(keys) => {
            if keys.is_empty() {
                return Err(Error::NoRecipients);
            }
            Encryptor::with_recipients(keys.iter().map(|r| r.as_ref() as &dyn Recipient))
                .map_err(|e| Error::BadRecipient(format!("cannot encrypt to these recipients: {e}")))?
        }
        RecipientSet::Passphrase(pass) => {
            let mut recipient = age::scrypt::Recipient::new(pass.clone());
            recipient.set_work_factor(SCRYPT_WORK_FACTOR);
            Encryptor::with_recipients(std::iter::once(&recipient as &dyn Recipient)).map_err(|e| Error::BadRecipient(e.to_string()))?
        }
    };
    let format = if armor { Format::AsciiArmor } else { Format::Binary };
    let armored = ArmoredWriter::wrap_output(output, format).map_err(|e| Error::io("cannot write", "archive", e))?;
    encryptor.wrap_output(FlushAtFinish(armored)).map_err(|e| Error::io("cannot write", "archive", e))
}

/// Writes the final chunk (and armor footer) and returns the underlying writer.
pub fn finish_seal<W: Write>(sealer: Sealer<W>) -> io::Result<W> {
    sealer.finish()?.0.finish()
}

/// The input with its first bytes already looked at.
pub type Peeked<R> = io::Chain<io::Cursor<Vec<u8>>, R>;

/// The opened plaintext stream of an archive.
pub type Opened<R> = StreamReader<ArmoredReader<BufReader<Peeked<R>>>>;

/// Reads the first bytes and refuses anything that is not an age file
/// (binary or armored) before the age parser sees it.
fn peek_magic<R: Read>(mut input: R, path: &Path) -> Result<Peeked<R>> {
    let mut head = Vec::with_capacity(ARMOR_BEGIN.len());
    let fill = |head: &mut Vec<u8>, input: &mut R| {
        let want = (ARMOR_BEGIN.len() - head.len()) as u64;
        input.take(want).read_to_end(head).map_err(|e| Error::io("cannot read", path, e))
    };
    fill(&mut head, &mut input)?;
    // The age spec lets whitespace precede an armored file (a pasted text,
    // the test kit's armor_whitespace_outside), but the age crate only
    // detects armor at the very first byte: drop that whitespace here.
    let mut skipped = false;
    while head.first().is_some_and(u8::is_ascii_whitespace) {
        let n = head.iter().take_while(|b| b.is_ascii_whitespace()).count();
        head.drain(..n);
        skipped = true;
        if fill(&mut head, &mut input)? == 0 && head.is_empty() {
            break;
        }
    }
    let armored = head.starts_with(ARMOR_BEGIN);
    if !(armored || (head.starts_with(AGE_MAGIC) && !skipped)) {
        // A file that ends partway through the magic is a truncated archive, not another kind of file.
        if !skipped && !head.is_empty() && (AGE_MAGIC.starts_with(&head) || ARMOR_BEGIN.starts_with(&head)) {
            return Err(Error::BadHeader { path: path.to_owned(), detail: "the file ends inside the header".into() });
        }
        return Err(Error::NotAnArchive { path: path.to_owned() });
    }
    Ok(io::Cursor::new(head).chain(input))
}

/// Opens an age file for reading with `keys`; `path` is only for messages.
pub fn open<R: Read>(input: R, path: &Path, keys: &KeySource) -> Result<Opened<R>> {
    let decryptor = Decryptor::new_buffered(ArmoredReader::new(peek_magic(input, path)?)).map_err(|e| map_decrypt_error(e, path))?;
    let scrypt = decryptor.is_scrypt();
    let result = match (keys, scrypt) {
        (KeySource::Identities(ids) | KeySource::DefaultOrPrompt(ids), false) => {
            if ids.is_empty() {
                return Err(Error::KeyMismatch("this archive needs a key file: give it with -i KEYFILE".into()));
            }
            decryptor.decrypt(ids.iter().map(|i| i.as_ref()))
        }
        (KeySource::Identities(_), true) => {
            return Err(Error::KeyMismatch("this archive is protected by a passphrase, not a key file: run the command without -i".into()))
        }
        (KeySource::Prompt, false) => return Err(Error::KeyMismatch("this archive needs a key file: give it with -i KEYFILE".into())),
        (KeySource::Passphrase(p), true) => decryptor.decrypt(std::iter::once(&scrypt_identity(p.clone()) as _)),
        (KeySource::Prompt | KeySource::DefaultOrPrompt(_), true) => {
            let pass = age::cli_common::read_secret("Passphrase for this archive", "Passphrase", None)
                .map_err(|e| Error::Passphrase(e.to_string()))?;
            decryptor.decrypt(std::iter::once(&scrypt_identity(pass) as _))
        }
        (KeySource::Passphrase(_), false) => {
            return Err(Error::KeyMismatch("this archive is not protected by a passphrase; give a key file with -i".into()))
        }
    };
    result.map_err(|e| match e {
        // For a passphrase archive this is the scrypt stanza failing to
        // decrypt: a wrong passphrase, not a damaged file (a damaged header
        // fails its MAC instead, once the file key is known).
        DecryptError::DecryptionFailed if scrypt => {
            Error::KeyMismatch(format!("the passphrase does not open {}; check it and try again", path.display()))
        }
        e => map_decrypt_error(e, path),
    })
}

fn scrypt_identity(pass: SecretString) -> age::scrypt::Identity {
    let mut id = age::scrypt::Identity::new(pass);
    id.set_max_work_factor(MAX_SCRYPT_WORK_FACTOR);
    id
}

/// Maps the crate's errors onto the situations of [`Error`].
pub fn map_decrypt_error(e: DecryptError, path: &Path) -> Error {
    let path = path.to_owned();
    match e {
        DecryptError::NoMatchingKeys => Error::NoMatchingKey { path },
        DecryptError::ExcessiveWork { required, .. } => Error::ExcessiveWork(required),
        // A stanza for our kind of key (scrypt above all) that does not
        // decrypt: a wrong passphrase or key, not a damaged file. The age
        // test kit's scrypt_no_match, scrypt_bad_tag and
        // scrypt_work_factor_wrong all expect "no match".
        DecryptError::DecryptionFailed => Error::NoMatchingKey { path },
        DecryptError::InvalidMac => Error::Corrupted { path },
        DecryptError::KeyDecryptionFailed => Error::BadIdentity("the key file's passphrase is wrong, or the key file is damaged".into()),
        DecryptError::UnknownFormat => Error::BadHeader { path, detail: "made by a newer, unknown version of age".into() },
        DecryptError::InvalidHeader => Error::BadHeader { path, detail: "the header is malformed".into() },
        DecryptError::Io(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
            Error::BadHeader { path, detail: "the file ends inside the header".into() }
        }
        DecryptError::Io(e) if e.kind() == io::ErrorKind::InvalidData => Error::BadHeader { path, detail: e.to_string() },
        DecryptError::Io(e) => Error::io("cannot read", path, e),
        other => Error::BadIdentity(other.to_string()),
    }
}

/// Reads identity files the way age and rage do (age, SSH, plugin and
/// passphrase-protected identity files).
pub fn read_identities(files: &[String]) -> Result<Vec<Box<dyn Identity>>> {
    let mut guard = age::cli_common::StdinGuard::new(false);
    age::cli_common::read_identities(files.to_vec(), Some(MAX_SCRYPT_WORK_FACTOR), &mut guard)
        .map_err(|e| Error::BadIdentity(format!("cannot use the key file: {}", plain(&e.to_string()))))
}

/// Reads recipients given as strings (`-r`) and recipients files (`-R`).
pub fn read_recipients(strings: &[String], files: &[String]) -> Result<Vec<Box<dyn Recipient + Send>>> {
    let mut guard = age::cli_common::StdinGuard::new(false);
    age::cli_common::read_recipients(strings.to_vec(), files.to_vec(), vec![], Some(MAX_SCRYPT_WORK_FACTOR), &mut guard)
        .map_err(|e| Error::BadRecipient(format!("cannot use the recipient: {}", plain(&e.to_string()))))
}

/// age's messages wrap names in Unicode isolation marks (U+2068/U+2069, from
/// its Fluent localisation); on a plain terminal they only add noise.
fn plain(message: &str) -> String {
    message.replace(['\u{2068}', '\u{2069}'], "")
}

/// Parses only the header: is this a well-formed age file, and is it
/// passphrase-protected? Needs no key, reveals nothing.
pub fn inspect_header<R: Read>(input: R, path: &Path) -> Result<bool> {
    let decryptor = Decryptor::new_buffered(ArmoredReader::new(peek_magic(input, path)?)).map_err(|e| map_decrypt_error(e, path))?;
    Ok(decryptor.is_scrypt())
}

/// What kind of public key a recipient string is (for display, policy and
/// the post-quantum check; docs/KEYS.md).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecipientKind {
    /// `age1...`: age's X25519 keys (classic).
    X25519,
    /// `ssh-ed25519 ...` / `ssh-rsa ...` (classic).
    Ssh,
    /// `age1tag1...`: a hardware-backed P-256 key (classic).
    Tag,
    /// `age1tagpq1...`: hardware-backed hybrid ML-KEM-768 + P-256 (post-quantum).
    TagPq,
    /// `age1NAME1...`: handled by the program `age-plugin-NAME` (a YubiKey, or `pq`).
    Plugin(String),
}

impl RecipientKind {
    /// Whether an attacker with a future quantum computer still cannot unwrap it.
    /// `age-plugin-pq`'s `age1pq1...` keys are the hybrid ML-KEM-768 + X25519 type.
    pub fn is_post_quantum(&self) -> bool {
        match self {
            RecipientKind::TagPq => true,
            RecipientKind::Plugin(name) => name == "pq",
            _ => false,
        }
    }

    /// A short description for people.
    pub fn describe(&self) -> String {
        match self {
            RecipientKind::X25519 => "age X25519 key".into(),
            RecipientKind::Ssh => "SSH key".into(),
            RecipientKind::Tag => "hardware key (age1tag)".into(),
            RecipientKind::TagPq => "post-quantum hardware key (age1tagpq)".into(),
            RecipientKind::Plugin(name) if name == "pq" => "post-quantum key (age-plugin-pq)".into(),
            RecipientKind::Plugin(name) => format!("plugin key (age-plugin-{name})"),
        }
    }
}

/// Classifies a recipient string without running any plugin; None if it is not one.
pub fn recipient_kind(s: &str) -> Option<RecipientKind> {
    if s.parse::<age::x25519::Recipient>().is_ok() {
        Some(RecipientKind::X25519)
    } else if s.parse::<age::tag::Recipient>().is_ok() {
        Some(RecipientKind::Tag)
    } else if s.parse::<age::tagpq::Recipient>().is_ok() {
        Some(RecipientKind::TagPq)
    } else if s.parse::<age::ssh::Recipient>().is_ok() {
        Some(RecipientKind::Ssh)
    } else if let Ok(p) = s.parse::<age::plugin::Recipient>() {
        Some(RecipientKind::Plugin(p.plugin().to_owned()))
    } else {
        None
    }
}
