//! The one place that wraps the `age` crate: sealing a stream to recipients
//! and opening one with identities or a passphrase (docs/FORMAT.md §1).

use std::cell::RefCell;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use age::armor::{ArmoredReader, ArmoredWriter, Format};
use age::secrecy::SecretString;
use age::stream::{StreamReader, StreamWriter};
use age::{DecryptError, Decryptor, Encryptor, Identity, Recipient};
use age_core::format::{FileKey, Stanza};
use serde::Serialize;
use zeroize::Zeroizing;

use crate::error::{Error, HeaderProblem, IoAction, KeyFileProblem, KeyProblem, Result};
use crate::ops::Prompter;

/// scrypt work factor (log2 N) for passphrase archives: Go age's fixed
/// choice, about 256 MiB and one second here, the same on every machine.
pub(crate) const SCRYPT_WORK_FACTOR: u8 = 18;
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

/// What a receiver opens an archive with. [`open`] asks nothing: given the
/// wrong kind it answers `NeedsPassphrase` or `NeedsKeyFile`, and the caller
/// asks its [`Prompter`] and opens again.
pub enum KeySource {
    /// Identities from key files (age, SSH, plugin, passphrase-protected identity files).
    Identities(Vec<Box<dyn Identity>>),
    /// The passphrase of a passphrase-protected archive.
    Passphrase(SecretString),
}

/// The sealing writer: encrypts what is written and, on `finish`, writes the final chunk.
pub(crate) type Sealer<W> = StreamWriter<FlushAtFinish<ArmoredWriter<W>>>;

/// Keeps `flush` from reaching age's armor writer before `finish`.
///
/// age 0.12.1's armor line writer counts the buffered bytes twice when it is
/// flushed (`LineEndingWriter::flush_buffered` adds them to `total_written`
/// again), so everything written after a mid-stream flush is wrapped at the
/// wrong column: Go's `age` then refuses the file ("invalid armor: column
/// limit exceeded"). Nothing needs a flush before `finish`, which writes out
/// everything anyway, so a flush stops here.
pub(crate) struct FlushAtFinish<W>(W);

impl<W: Write> Write for FlushAtFinish<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Starts an age file on `output`, encrypted to `recipients`; `path` names
/// the output in errors.
pub(crate) fn seal<W: Write>(recipients: &RecipientSet, output: W, armor: bool, path: &Path) -> Result<Sealer<W>> {
    let encryptor = match recipients {
        RecipientSet::Keys(keys) => {
            if keys.is_empty() {
                return Err(Error::NoRecipients);
            }
            Encryptor::with_recipients(keys.iter().map(|r| r.as_ref() as &dyn Recipient))
                .map_err(|e| Error::RecipientsUnusable { detail: plain(&e.to_string()) })?
        }
        RecipientSet::Passphrase(pass) => {
            let mut recipient = age::scrypt::Recipient::new(pass.clone());
            recipient.set_work_factor(SCRYPT_WORK_FACTOR);
            Encryptor::with_recipients(std::iter::once(&recipient as &dyn Recipient))
                .map_err(|e| Error::RecipientsUnusable { detail: plain(&e.to_string()) })?
        }
    };
    let format = if armor { Format::AsciiArmor } else { Format::Binary };
    let armored = ArmoredWriter::wrap_output(output, format).map_err(|e| Error::io(IoAction::Write, path, e))?;
    encryptor.wrap_output(FlushAtFinish(armored)).map_err(|e| Error::io(IoAction::Write, path, e))
}

/// Writes the final chunk (and armor footer) and returns the underlying writer.
pub(crate) fn finish_seal<W: Write>(sealer: Sealer<W>) -> io::Result<W> {
    sealer.finish()?.0.finish()
}

/// The input with its first bytes already looked at.
pub type Peeked<R> = io::Chain<io::Cursor<Vec<u8>>, R>;

/// The decoded age file: the header as [`read_header`] read it, then the rest.
pub type Capped<R> = io::Chain<io::Cursor<Vec<u8>>, ArmoredReader<BufReader<Peeked<R>>>>;

/// The opened plaintext stream of an archive.
pub type Opened<R> = StreamReader<Capped<R>>;

/// The largest age header a reader accepts, in bytes (docs/FORMAT.md §1):
/// about 80 post-quantum, 180 RSA-4096 or 1,000 X25519 recipients. The age
/// crate parses a header in time quadratic in its lines and cannot be
/// interrupted, so a larger one is refused before it sees any of it.
pub const MAX_HEADER_BYTES: usize = 128 << 10;
/// The most recipient stanzas (`-> ` lines) a reader accepts in a header.
pub const MAX_HEADER_STANZAS: usize = 1000;

/// Reads the age header from the decoded stream ourselves, up to and
/// including its MAC line (`--- ...`), refusing one larger than
/// [`MAX_HEADER_BYTES`] or with more than [`MAX_HEADER_STANZAS`] stanzas,
/// and gives the age crate exactly those bytes followed by the rest. A first
/// line other than `age-encryption.org/v1` stops the reading there (the age
/// crate names the unknown version); a stream that ends inside the header is
/// handed on as it is (the age crate reports it cut short).
fn read_header<R: Read>(peeked: Peeked<R>, path: &Path) -> Result<Capped<R>> {
    let mut input = ArmoredReader::new(peeked);
    let mut header = Vec::with_capacity(1024);
    let mut stanzas = 0usize;
    let mut line_start = 0usize;
    let too_large = || Error::BadHeader { path: path.to_owned(), problem: HeaderProblem::TooLarge };
    loop {
        let buf = match input.fill_buf() {
            Ok(buf) => buf,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            // The armor's own complaints are the age crate's to word.
            Err(e) if e.kind() == io::ErrorKind::InvalidData => break,
            Err(e) => return Err(Error::io(IoAction::Read, path, e)),
        };
        if buf.is_empty() {
            break;
        }
        let room = MAX_HEADER_BYTES + 1 - header.len();
        let (take, ended) = match memchr::memchr(b'\n', &buf[..buf.len().min(room)]) {
            Some(i) => (i + 1, true),
            None => (buf.len().min(room), false),
        };
        header.extend_from_slice(&buf[..take]);
        input.consume(take);
        if header.len() > MAX_HEADER_BYTES {
            return Err(too_large());
        }
        if !ended {
            continue;
        }
        let line = &header[line_start..];
        if line_start == 0 {
            if line != b"age-encryption.org/v1\n" {
                break;
            }
        } else if line.starts_with(b"-> ") {
            stanzas += 1;
            if stanzas > MAX_HEADER_STANZAS {
                return Err(too_large());
            }
        } else if line.starts_with(b"---") {
            break;
        }
        line_start = header.len();
    }
    Ok(io::Cursor::new(header).chain(input))
}

/// Reads the first bytes and refuses anything that is not an age file
/// (binary or armored) before the age parser sees it.
fn peek_magic<R: Read>(mut input: R, path: &Path) -> Result<Peeked<R>> {
    let mut head = Vec::with_capacity(ARMOR_BEGIN.len());
    let fill = |head: &mut Vec<u8>, input: &mut R| {
        let want = (ARMOR_BEGIN.len() - head.len()) as u64;
        input.take(want).read_to_end(head).map_err(|e| Error::io(IoAction::Read, path, e))
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
            return Err(Error::BadHeader { path: path.to_owned(), problem: HeaderProblem::Truncated });
        }
        return Err(Error::NotAnArchive { path: path.to_owned() });
    }
    Ok(io::Cursor::new(head).chain(input))
}

/// Refuses, from its first bytes, what is not an age file (binary or
/// armored): the reader's own first check, made before anything else is
/// looked at (a sender signature, a passphrase).
pub(crate) fn check_magic(head: &[u8], path: &Path) -> Result<()> {
    peek_magic(head, path).map(|_| ())
}

/// Opens an age file for reading with `keys`; `path` is only for messages.
pub fn open<R: Read>(input: R, path: &Path, keys: &KeySource) -> Result<Opened<R>> {
    let decryptor = Decryptor::new_buffered(read_header(peek_magic(input, path)?, path)?).map_err(|e| map_decrypt_error(e, path))?;
    let scrypt = decryptor.is_scrypt();
    let result = match (keys, scrypt) {
        (KeySource::Identities(ids), false) => {
            if ids.is_empty() {
                return Err(Error::NeedsKeyFile { path: path.to_owned() });
            }
            decryptor.decrypt(ids.iter().map(|i| i.as_ref()))
        }
        (KeySource::Identities(_), true) => return Err(Error::NeedsPassphrase { path: path.to_owned() }),
        (KeySource::Passphrase(p), true) => decryptor.decrypt(std::iter::once(&scrypt_identity(p.clone()) as _)),
        (KeySource::Passphrase(_), false) => return Err(Error::NeedsKeyFile { path: path.to_owned() }),
    };
    result.map_err(|e| match e {
        // For a passphrase archive this is the scrypt stanza failing to
        // decrypt: a wrong passphrase, not a damaged file (a damaged header
        // fails its MAC instead, once the file key is known).
        DecryptError::DecryptionFailed if scrypt => Error::WrongPassphrase { path: path.to_owned() },
        e => map_decrypt_error(e, path),
    })
}

fn scrypt_identity(pass: SecretString) -> age::scrypt::Identity {
    let mut id = age::scrypt::Identity::new(pass);
    id.set_max_work_factor(MAX_SCRYPT_WORK_FACTOR);
    id
}

/// Maps the crate's errors onto the situations of [`Error`].
fn map_decrypt_error(e: DecryptError, path: &Path) -> Error {
    let path = path.to_owned();
    match e {
        DecryptError::NoMatchingKeys => Error::NoMatchingKey { path, tried: Vec::new(), named: false },
        DecryptError::ExcessiveWork { required, .. } => Error::ExcessiveWork { work_factor: required },
        // A stanza for our kind of key (scrypt above all) that does not
        // decrypt: a wrong passphrase or key, not a damaged file. The age
        // test kit's scrypt_no_match, scrypt_bad_tag and
        // scrypt_work_factor_wrong all expect "no match".
        DecryptError::DecryptionFailed => Error::NoMatchingKey { path, tried: Vec::new(), named: false },
        DecryptError::InvalidMac => Error::Corrupted { path },
        DecryptError::KeyDecryptionFailed => Error::KeyFilePassphraseWrong,
        DecryptError::UnknownFormat => Error::BadHeader { path, problem: HeaderProblem::UnknownVersion },
        DecryptError::InvalidHeader => Error::BadHeader { path, problem: HeaderProblem::Malformed },
        DecryptError::Io(e) if e.get_ref().is_some_and(|inner| inner.is::<PassphraseCancelled>()) => Error::PromptCancelled,
        DecryptError::Io(e) if e.kind() == io::ErrorKind::UnexpectedEof => Error::BadHeader { path, problem: HeaderProblem::Truncated },
        DecryptError::Io(e) if e.kind() == io::ErrorKind::InvalidData => {
            Error::BadHeader { path, problem: HeaderProblem::Invalid { detail: e.to_string() } }
        }
        DecryptError::Io(e) => Error::io(IoAction::Read, path, e),
        // Plugin failures: the plugin's (or age's) own words.
        other => Error::BadKeyFile { path: None, problem: KeyFileProblem::Unusable { detail: plain(&other.to_string()) } },
    }
}

/// The largest key or recipients file read (age's own limit): a key file is
/// a few hundred bytes, anything much larger is not one.
const MAX_KEY_FILE_BYTES: u64 = 1 << 24;
/// age's limit for an SSH private key.
const MAX_SSH_KEY_BYTES: u64 = 1 << 14;
/// How many times a wrong passphrase of a protected key file may be typed
/// (age itself asks once).
pub const KEY_FILE_PASSPHRASE_TRIES: u32 = 3;

/// Reads identity files the way age and rage do: passphrase-protected
/// (age-encrypted) key files, SSH private keys, and files of age and plugin
/// identities, one a line. Nothing is asked here: a protected key file asks
/// its passphrase through `prompter` when the archive first needs it, and a
/// plugin asks for its PIN or touch through `prompter` too.
pub fn read_identities(files: &[PathBuf], prompter: Arc<dyn Prompter>) -> Result<Vec<Box<dyn Identity>>> {
    let mut identities: Vec<Box<dyn Identity>> = Vec::with_capacity(files.len());
    for path in files {
        read_identity_file(path, &prompter, &mut identities)?;
    }
    Ok(identities)
}

fn read_identity_file(path: &Path, prompter: &Arc<dyn Prompter>, out: &mut Vec<Box<dyn Identity>>) -> Result<()> {
    let bytes = read_key_file(path)?;
    let filename = Some(path.display().to_string());
    let cancelled = Arc::new(AtomicBool::new(false));
    let callbacks = |asks: Asks| PromptCallbacks { prompter: prompter.clone(), asks, cancelled: cancelled.clone(), attempt: 1 };
    let bad = |problem| Error::BadKeyFile { path: Some(path.to_owned()), problem };

    // An age file (binary or armored): a key file encrypted to a passphrase.
    // age detects armor only at the very first byte, and so do we.
    if bytes.starts_with(AGE_MAGIC) || bytes.starts_with(ARMOR_BEGIN) {
        // Ciphertext only, no secret: a plain copy may outlive this function.
        let protected = ProtectedKeyFile {
            ciphertext: bytes.to_vec(),
            path: path.to_owned(),
            prompter: prompter.clone(),
            cancelled: cancelled.clone(),
            current: RefCell::new(None),
        };
        let first = protected.identity(1).map_err(|e| bad(KeyFileProblem::Unusable { detail: plain(&e.to_string()) }))?;
        let first = first.ok_or_else(|| Error::KeyFileEncryptedToKeys { path: path.to_owned() })?;
        *protected.current.borrow_mut() = Some((1, first));
        out.push(Box::new(CancelAware { inner: Box::new(protected), cancelled }));
        return Ok(());
    }

    // One SSH private key (PEM or OpenSSH format, several lines).
    match age::ssh::Identity::from_buffer((&bytes[..]).take(MAX_SSH_KEY_BYTES), filename.clone()) {
        Ok(age::ssh::Identity::Unsupported(key)) => {
            let detail = UnsupportedWords(&key, filename.as_deref()).to_string();
            return Err(bad(KeyFileProblem::UnsupportedSsh { detail: plain(detail.trim()) }));
        }
        Ok(identity) => {
            let identity = identity.with_callbacks(callbacks(Asks::KeyFile(path.to_owned())));
            out.push(Box::new(CancelAware { inner: Box::new(identity), cancelled }));
            return Ok(());
        }
        Err(_) => {}
    }

    // age and plugin identities, one a line, `#` comments. Anything else
    // (a PDF, a scan, a public key) is not a key file at all. An identity
    // not in capital letters is refused as Go's age refuses it (the age
    // crate would take it): a key file works everywhere or nowhere.
    if let Some(line) = lower_case_identity_line(&bytes) {
        return Err(bad(KeyFileProblem::NotUpperCase { line }));
    }
    let file =
        age::IdentityFile::from_buffer(&bytes[..]).map_err(|e| bad(KeyFileProblem::NotAKeyFile { detail: plain(&e.to_string()) }))?;
    let identities = file
        .with_callbacks(callbacks(Asks::Plugin))
        .into_identities()
        .map_err(|e| bad(KeyFileProblem::Unusable { detail: plain(&e.to_string()) }))?;
    if identities.is_empty() {
        return Err(bad(KeyFileProblem::Empty));
    }
    out.extend(identities.into_iter().map(|i| Box::new(CancelAware { inner: i, cancelled: cancelled.clone() }) as Box<dyn Identity>));
    Ok(())
}

/// The first line (1-based) holding an age or plugin identity with a
/// lower-case letter. Go's age (bech32 with the prefix `AGE-SECRET-KEY-` /
/// `AGE-PLUGIN-` compared as written) refuses `age-secret-key-1…` and
/// mixed case; the Rust age crate takes them. Comment lines (`#`) cannot
/// begin with a prefix; surrounding blanks are ignored.
fn lower_case_identity_line(bytes: &[u8]) -> Option<usize> {
    const PREFIXES: [&[u8]; 2] = [b"AGE-SECRET-KEY-", b"AGE-PLUGIN-"];
    bytes.split(|&b| b == b'\n').enumerate().find_map(|(i, line)| {
        // The identity itself: anything after it on the line is another problem, age's to name.
        let key = line.trim_ascii().split(u8::is_ascii_whitespace).next().unwrap_or_default();
        let identity = PREFIXES.iter().any(|p| key.get(..p.len()).is_some_and(|start| start.eq_ignore_ascii_case(p)));
        (identity && key.iter().any(u8::is_ascii_lowercase)).then_some(i + 1)
    })
}

/// Reads a key file whole, at most [`MAX_KEY_FILE_BYTES`], into memory that
/// is wiped when dropped, also when the buffer grows (a plain key file holds
/// the secret key in clear).
fn read_key_file(path: &Path) -> Result<Zeroizing<Vec<u8>>> {
    let mut file = File::open(path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => Error::KeyFileMissing { path: path.to_owned() },
        _ => Error::io(IoAction::Open, path, e),
    })?;
    let hint = file.metadata().map_or(0, |m| m.len()).min(MAX_KEY_FILE_BYTES);
    let mut buf = Zeroizing::new(Vec::with_capacity(hint as usize + 1));
    let mut chunk = Zeroizing::new([0u8; 8192]);
    loop {
        let n = match file.read(&mut chunk[..]) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::io(IoAction::Read, path, e)),
        };
        if (buf.len() + n) as u64 > MAX_KEY_FILE_BYTES {
            return Err(Error::io(IoAction::Read, path, io::Error::from(io::ErrorKind::InvalidData)));
        }
        if buf.len() + n > buf.capacity() {
            // Grow by hand so the old allocation is wiped, not just freed.
            let mut bigger = Zeroizing::new(Vec::with_capacity((buf.len() + n).max(buf.capacity() * 2)));
            bigger.extend_from_slice(&buf);
            buf = bigger;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Ok(buf)
}

/// age's own description of an SSH key it does not support.
struct UnsupportedWords<'a>(&'a age::ssh::UnsupportedKey, Option<&'a str>);

impl fmt::Display for UnsupportedWords<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.display(f, self.1)
    }
}

/// What `request_passphrase` is asked for: age uses that one callback both
/// for a key file's passphrase and for a plugin's PIN.
#[derive(Clone)]
enum Asks {
    /// An SSH key's passphrase (age asks it again each time the key is used).
    KeyFile(PathBuf),
    /// An age-encrypted key file: its passphrase first (age asks it once and
    /// keeps the result), then PINs of plugin identities inside it.
    KeyFileThenPlugin(PathBuf, Arc<AtomicBool>),
    /// Plugins' PINs only.
    Plugin,
}

/// age's callbacks, answered by the front-end's [`Prompter`].
#[derive(Clone)]
struct PromptCallbacks {
    prompter: Arc<dyn Prompter>,
    asks: Asks,
    /// Set when the person cancelled the key file's passphrase, so that
    /// [`CancelAware`] can tell a cancel from a wrong passphrase.
    cancelled: Arc<AtomicBool>,
    /// Which try this is, from 1 ([`ProtectedKeyFile`] asks again after a wrong passphrase).
    attempt: u32,
}

impl PromptCallbacks {
    fn key_file_passphrase(&self, path: &Path) -> Option<SecretString> {
        let answer = self.prompter.key_file_passphrase(path, self.attempt);
        if answer.is_none() {
            self.cancelled.store(true, Ordering::SeqCst);
        }
        answer
    }
}

impl age::Callbacks for PromptCallbacks {
    fn display_message(&self, message: &str) {
        self.prompter.plugin_message(&plain(message));
    }

    fn confirm(&self, message: &str, yes_string: &str, no_string: Option<&str>) -> Option<bool> {
        self.prompter.plugin_confirm(&plain(message), yes_string, no_string)
    }

    fn request_public_string(&self, description: &str) -> Option<String> {
        self.prompter.plugin_public_string(&plain(description))
    }

    fn request_passphrase(&self, description: &str) -> Option<SecretString> {
        match &self.asks {
            Asks::KeyFile(path) => self.key_file_passphrase(path),
            Asks::KeyFileThenPlugin(path, asked) if !asked.swap(true, Ordering::SeqCst) => self.key_file_passphrase(path),
            Asks::KeyFileThenPlugin(..) | Asks::Plugin => self.prompter.plugin_secret(&plain(description)),
        }
    }
}

/// Marks a cancelled key-file passphrase inside age's error (age has no
/// such case: it reports a missing passphrase as a failed decryption).
#[derive(Debug)]
struct PassphraseCancelled;

impl fmt::Display for PassphraseCancelled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("cancelled")
    }
}

impl std::error::Error for PassphraseCancelled {}

/// A passphrase-protected key file (age's encrypted identity format, which
/// keygen writes). age asks its passphrase once and remembers a failure;
/// this asks again after a wrong passphrase, up to
/// [`KEY_FILE_PASSPHRASE_TRIES`] times, with a fresh age identity each time.
struct ProtectedKeyFile {
    ciphertext: Vec<u8>,
    path: PathBuf,
    prompter: Arc<dyn Prompter>,
    cancelled: Arc<AtomicBool>,
    /// The try in use and its identity.
    current: RefCell<Option<(u32, Box<dyn Identity>)>>,
}

type Unwrapped = Option<Result<FileKey, DecryptError>>;

impl ProtectedKeyFile {
    /// A fresh age identity whose passphrase question counts as try `attempt`;
    /// `None` if the file is encrypted to keys, not to a passphrase.
    fn identity(&self, attempt: u32) -> Result<Option<Box<dyn Identity>>, DecryptError> {
        let reader = ArmoredReader::new(io::Cursor::new(self.ciphertext.clone()));
        let asks = Asks::KeyFileThenPlugin(self.path.clone(), Arc::new(AtomicBool::new(false)));
        let callbacks = PromptCallbacks { prompter: self.prompter.clone(), asks, cancelled: self.cancelled.clone(), attempt };
        let filename = Some(self.path.display().to_string());
        let identity = age::encrypted::Identity::from_buffer(reader, filename, callbacks, Some(MAX_SCRYPT_WORK_FACTOR))?;
        Ok(identity.map(|i| Box::new(i) as Box<dyn Identity>))
    }

    fn unwrap_with(&self, unwrap: impl Fn(&dyn Identity) -> Unwrapped) -> Unwrapped {
        let mut current = self.current.borrow_mut();
        loop {
            let (attempt, identity) = current.as_ref()?;
            let result = unwrap(identity.as_ref());
            let wrong = matches!(result, Some(Err(DecryptError::KeyDecryptionFailed)));
            if !wrong || *attempt >= KEY_FILE_PASSPHRASE_TRIES || self.cancelled.load(Ordering::SeqCst) {
                return result;
            }
            let next = attempt + 1;
            match self.identity(next) {
                Ok(Some(fresh)) => *current = Some((next, fresh)),
                Ok(None) => return result,
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

impl Identity for ProtectedKeyFile {
    fn unwrap_stanza(&self, stanza: &Stanza) -> Unwrapped {
        self.unwrap_with(|i| i.unwrap_stanza(stanza))
    }

    fn unwrap_stanzas(&self, stanzas: &[Stanza]) -> Unwrapped {
        self.unwrap_with(|i| i.unwrap_stanzas(stanzas))
    }
}

/// An identity that reports a cancelled passphrase prompt as such, instead
/// of as a wrong passphrase or a key that does not match.
struct CancelAware {
    inner: Box<dyn Identity>,
    cancelled: Arc<AtomicBool>,
}

impl CancelAware {
    fn watch(&self, result: Option<Result<FileKey, DecryptError>>) -> Option<Result<FileKey, DecryptError>> {
        if self.cancelled.load(Ordering::SeqCst) && !matches!(result, Some(Ok(_))) {
            return Some(Err(DecryptError::Io(io::Error::other(PassphraseCancelled))));
        }
        result
    }
}

impl Identity for CancelAware {
    fn unwrap_stanza(&self, stanza: &Stanza) -> Option<Result<FileKey, DecryptError>> {
        self.watch(self.inner.unwrap_stanza(stanza))
    }

    fn unwrap_stanzas(&self, stanzas: &[Stanza]) -> Option<Result<FileKey, DecryptError>> {
        self.watch(self.inner.unwrap_stanzas(stanzas))
    }
}

/// Reads recipients given as strings (`-r`) and recipients files (`-R`:
/// one key a line, blank lines and `#` comments skipped), as age does.
/// Plugin recipients are gathered by plugin, one plugin run each, asking
/// through `prompter`. Standard input (`-`) is not read here: the front-end
/// owns its input.
pub fn read_recipients(strings: &[String], files: &[PathBuf], prompter: Arc<dyn Prompter>) -> Result<Vec<Box<dyn Recipient + Send>>> {
    let mut found = Found::default();
    for s in strings {
        match parse_recipient(s) {
            Some(Parsed::Ignored) | None => {
                let problem = crate::keys::config::check_key(s).err().unwrap_or(KeyProblem::NotAKey);
                return Err(crate::keys::config::bad_recipient(s, problem));
            }
            Some(p) => found.add(p),
        }
    }
    for path in files {
        if path.as_os_str() == "-" {
            return Err(Error::RecipientsFileMissing { path: path.clone() });
        }
        let bytes = crate::io::atomic::read_small(path, MAX_KEY_FILE_BYTES).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => Error::RecipientsFileMissing { path: path.clone() },
            _ => Error::io(IoAction::Read, path, e),
        })?;
        for (i, line) in String::from_utf8_lossy(&bytes).lines().enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match parse_recipient(line) {
                Some(p) => found.add(p),
                None => {
                    // The line number only: the line itself may be a secret key.
                    let problem = crate::keys::config::check_key(line).err().unwrap_or(KeyProblem::NotAKey);
                    return Err(Error::BadRecipientsFile { path: path.clone(), line: i + 1, problem });
                }
            }
        }
    }
    let callbacks = PromptCallbacks { prompter, asks: Asks::Plugin, cancelled: Arc::new(AtomicBool::new(false)), attempt: 1 };
    let mut names: Vec<&str> = found.plugins.iter().map(|r| r.plugin()).collect();
    names.sort_unstable();
    names.dedup();
    for name in names {
        let plugin = age::plugin::RecipientPluginV1::new(name, &found.plugins, &[], callbacks.clone())
            .map_err(|e| Error::RecipientsUnusable { detail: plain(&e.to_string()) })?;
        found.keys.push(Box::new(plugin));
    }
    Ok(found.keys)
}

/// Recipients read so far: native ones, and plugin ones waiting for their plugin.
#[derive(Default)]
struct Found {
    keys: Vec<Box<dyn Recipient + Send>>,
    plugins: Vec<age::plugin::Recipient>,
}

impl Found {
    fn add(&mut self, parsed: Parsed) {
        match parsed {
            Parsed::Key(k) => self.keys.push(k),
            Parsed::Plugin(p) => self.plugins.push(p),
            Parsed::Ignored => {}
        }
    }
}

/// One recipient string, parsed.
enum Parsed {
    Key(Box<dyn Recipient + Send>),
    Plugin(age::plugin::Recipient),
    /// An SSH key type age skips in recipients files (e.g. from an `authorized_keys`).
    Ignored,
}

/// Parses a recipient in age's order; None if it is not one age can use.
fn parse_recipient(s: &str) -> Option<Parsed> {
    if let Ok(k) = s.parse::<age::x25519::Recipient>() {
        Some(Parsed::Key(Box::new(k)))
    } else if let Ok(k) = s.parse::<age::tag::Recipient>() {
        Some(Parsed::Key(Box::new(k)))
    } else if let Ok(k) = s.parse::<age::tagpq::Recipient>() {
        Some(Parsed::Key(Box::new(k)))
    } else {
        match s.parse::<age::ssh::Recipient>() {
            Ok(k) => Some(Parsed::Key(Box::new(k))),
            Err(age::ssh::ParseRecipientKeyError::Ignore) => Some(Parsed::Ignored),
            Err(_) => s.parse::<age::plugin::Recipient>().ok().map(Parsed::Plugin),
        }
    }
}

/// age's messages wrap names in Unicode isolation marks (U+2068/U+2069, from
/// its Fluent localisation); on a plain terminal they only add noise.
fn plain(message: &str) -> String {
    message.replace(['\u{2068}', '\u{2069}'], "")
}

/// Parses only the header: is this a well-formed age file, and is it
/// passphrase-protected? Needs no key, reveals nothing.
pub(crate) fn inspect_header<R: Read>(input: R, path: &Path) -> Result<bool> {
    let decryptor = Decryptor::new_buffered(read_header(peek_magic(input, path)?, path)?).map_err(|e| map_decrypt_error(e, path))?;
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

    /// A stable code for the kind (`--json`, tests, the message catalogue):
    /// `x25519`, `ssh`, `tag`, `tagpq` or `plugin` (the plugin's name is [`Self::plugin`]).
    pub fn code(&self) -> &'static str {
        match self {
            RecipientKind::X25519 => "x25519",
            RecipientKind::Ssh => "ssh",
            RecipientKind::Tag => "tag",
            RecipientKind::TagPq => "tagpq",
            RecipientKind::Plugin(_) => "plugin",
        }
    }

    /// The plugin's name (`age-plugin-NAME`), for plugin keys.
    pub fn plugin(&self) -> Option<&str> {
        match self {
            RecipientKind::Plugin(name) => Some(name),
            _ => None,
        }
    }
}

/// Serialized as its [`RecipientKind::code`].
impl Serialize for RecipientKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
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

#[cfg(test)]
mod tests {
    #[test]
    fn identities_not_in_capitals_are_found_by_line() {
        let key = "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX";
        assert_eq!(lower_case_identity_line(format!("# created: now\n# public key: age1abc\n{key}\n").as_bytes()), None);
        assert_eq!(lower_case_identity_line(format!("# c\n\n  {}\r\n", key.to_ascii_lowercase()).as_bytes()), Some(3));
        assert_eq!(lower_case_identity_line(b"# c\nAGE-PLUGIN-YUBIKEY-1qqq\n"), Some(2));
        // A comment after the key is age's to refuse, not "small letters".
        assert_eq!(lower_case_identity_line(format!("{key} # mine\n").as_bytes()), None);
    }

    use std::sync::Mutex;

    use age::secrecy::ExposeSecret;

    use super::*;
    use crate::ops::NewSecretFor;

    /// Answers key-file passphrase questions from a script (`None`: the
    /// person cancels) and records which key files were asked about.
    struct Scripted {
        answers: Mutex<Vec<Option<&'static str>>>,
        asked: Mutex<Vec<(PathBuf, u32)>>,
    }

    impl Scripted {
        fn new(answers: &[Option<&'static str>]) -> Arc<Self> {
            Arc::new(Scripted { answers: Mutex::new(answers.iter().rev().copied().collect()), asked: Mutex::new(vec![]) })
        }
    }

    impl Prompter for Scripted {
        fn new_passphrase(&self, _: NewSecretFor) -> Result<Option<SecretString>> {
            panic!("not asked in these tests")
        }
        fn archive_passphrase(&self, _: &Path, _: u32) -> Result<SecretString> {
            panic!("not asked in these tests")
        }
        fn key_file_passphrase(&self, key_file: &Path, attempt: u32) -> Option<SecretString> {
            self.asked.lock().unwrap().push((key_file.to_owned(), attempt));
            let answer = self.answers.lock().unwrap().pop().expect("an answer left in the script");
            answer.map(|a| SecretString::from(a.to_owned()))
        }
        fn plugin_message(&self, _: &str) {}
        fn plugin_confirm(&self, _: &str, _: &str, _: Option<&str>) -> Option<bool> {
            None
        }
        fn plugin_public_string(&self, _: &str) -> Option<String> {
            None
        }
        fn plugin_secret(&self, _: &str) -> Option<SecretString> {
            None
        }
    }

    const ARCHIVE: &str = "test.age";

    fn sealed(recipients: &RecipientSet, message: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut sealer = seal(recipients, &mut out, false, Path::new(ARCHIVE)).unwrap();
        sealer.write_all(message).unwrap();
        finish_seal(sealer).unwrap();
        out
    }

    fn opened(archive: &[u8], keys: &KeySource) -> Result<Vec<u8>> {
        let mut reader = open(archive, Path::new(ARCHIVE), keys)?;
        let mut plain = Vec::new();
        reader.read_to_end(&mut plain).unwrap();
        Ok(plain)
    }

    fn to_key(public: &str) -> RecipientSet {
        RecipientSet::Keys(read_recipients(&[public.to_owned()], &[], Arc::new(crate::ops::NoPrompter)).unwrap())
    }

    #[test]
    fn reads_a_plain_key_file() {
        let dir = tempfile::tempdir().unwrap();
        let id = age::x25519::Identity::generate();
        let path = dir.path().join("key.txt");
        std::fs::write(&path, format!("# created: today\n# public key: {}\n\n{}\n", id.to_public(), id.to_string().expose_secret()))
            .unwrap();
        let prompter = Scripted::new(&[]);
        let ids = read_identities(std::slice::from_ref(&path), prompter.clone()).unwrap();
        assert_eq!(ids.len(), 1);
        let archive = sealed(&to_key(&id.to_public().to_string()), b"synthetic");
        assert_eq!(opened(&archive, &KeySource::Identities(ids)).unwrap(), b"synthetic");
        assert!(prompter.asked.lock().unwrap().is_empty(), "a plain key file asks nothing");
    }

    #[test]
    fn reads_a_passphrase_protected_key_file_asking_through_the_prompter() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("protected.txt");
        let made = crate::keys::keyfile::keygen(&path, Some(SecretString::from("synthetic passphrase".to_owned()))).unwrap();
        assert!(std::fs::read(&path).unwrap().starts_with(ARMOR_BEGIN), "the key file is armored age");
        let archive = sealed(&to_key(&made.recipient), b"synthetic");

        // Nothing is asked until the archive needs the key.
        let prompter = Scripted::new(&[Some("synthetic passphrase")]);
        let ids = read_identities(std::slice::from_ref(&path), prompter.clone()).unwrap();
        assert!(prompter.asked.lock().unwrap().is_empty());
        assert_eq!(opened(&archive, &KeySource::Identities(ids)).unwrap(), b"synthetic");
        assert_eq!(*prompter.asked.lock().unwrap(), vec![(path.clone(), 1)]);

        // A wrong passphrase is asked again, up to three times.
        let prompter = Scripted::new(&[Some("not the passphrase"), Some("synthetic passphrase")]);
        let ids = read_identities(std::slice::from_ref(&path), prompter.clone()).unwrap();
        assert_eq!(opened(&archive, &KeySource::Identities(ids)).unwrap(), b"synthetic");
        assert_eq!(*prompter.asked.lock().unwrap(), vec![(path.clone(), 1), (path.clone(), 2)]);

        let prompter = Scripted::new(&[Some("not the passphrase"); 3]);
        let ids = read_identities(std::slice::from_ref(&path), prompter.clone()).unwrap();
        let e = opened(&archive, &KeySource::Identities(ids)).unwrap_err();
        assert!(matches!(e, Error::KeyFilePassphraseWrong), "{e:?}");
        assert_eq!(prompter.asked.lock().unwrap().len(), 3);

        let prompter = Scripted::new(&[None]);
        let ids = read_identities(std::slice::from_ref(&path), prompter).unwrap();
        let e = opened(&archive, &KeySource::Identities(ids)).unwrap_err();
        assert!(matches!(e, Error::PromptCancelled), "{e:?}");
    }

    #[test]
    fn a_missing_key_file_is_an_open_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("absent.txt");
        let e = read_identities(std::slice::from_ref(&path), Scripted::new(&[])).err().unwrap();
        assert!(matches!(&e, Error::KeyFileMissing { path: p } if *p == path), "{e:?}");
    }

    #[test]
    fn a_file_that_is_no_key_is_a_bad_key_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("scan.pdf");
        std::fs::write(&path, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n").unwrap();
        let e = read_identities(std::slice::from_ref(&path), Scripted::new(&[])).err().unwrap();
        match e {
            Error::BadKeyFile { path: Some(p), problem: KeyFileProblem::NotAKeyFile { detail } } => {
                assert_eq!(p, path);
                assert!(!detail.contains(['\u{2068}', '\u{2069}']), "{detail}");
            }
            e => panic!("{e:?}"),
        }
    }

    #[test]
    fn open_asks_for_nothing_and_names_what_is_missing() {
        let id = age::x25519::Identity::generate();
        let for_key = sealed(&to_key(&id.to_public().to_string()), b"synthetic");
        let e = opened(&for_key, &KeySource::Passphrase(SecretString::from("x".to_owned()))).unwrap_err();
        assert!(matches!(&e, Error::NeedsKeyFile { path } if path == Path::new(ARCHIVE)), "{e:?}");
        let e = opened(&for_key, &KeySource::Identities(vec![])).unwrap_err();
        assert!(matches!(e, Error::NeedsKeyFile { .. }), "{e:?}");
        let other = age::x25519::Identity::generate();
        let e = opened(&for_key, &KeySource::Identities(vec![Box::new(other)])).unwrap_err();
        assert!(matches!(e, Error::NoMatchingKey { .. }), "{e:?}");

        let for_pass = sealed(&RecipientSet::Passphrase(SecretString::from("synthetic passphrase".to_owned())), b"synthetic");
        let e = opened(&for_pass, &KeySource::Identities(vec![Box::new(id)])).unwrap_err();
        assert!(matches!(e, Error::NeedsPassphrase { .. }), "{e:?}");
        let e = opened(&for_pass, &KeySource::Passphrase(SecretString::from("wrong".to_owned()))).unwrap_err();
        assert!(matches!(&e, Error::WrongPassphrase { path } if path == Path::new(ARCHIVE)), "{e:?}");
        let plain = opened(&for_pass, &KeySource::Passphrase(SecretString::from("synthetic passphrase".to_owned()))).unwrap();
        assert_eq!(plain, b"synthetic");
    }

    #[test]
    fn recipients_files_are_read_strictly_and_never_echo_secrets() {
        let dir = tempfile::tempdir().unwrap();
        let id = age::x25519::Identity::generate();
        let good = dir.path().join("good.txt");
        std::fs::write(&good, format!("# 本社\n\n{}\r\n", id.to_public())).unwrap();
        let keys = read_recipients(&[], std::slice::from_ref(&good), Scripted::new(&[])).unwrap();
        assert_eq!(keys.len(), 1);

        let bad = dir.path().join("bad.txt");
        std::fs::write(&bad, format!("{}\n{}\n", id.to_public(), id.to_string().expose_secret())).unwrap();
        let e = read_recipients(&[], std::slice::from_ref(&bad), Scripted::new(&[])).err().unwrap();
        assert!(matches!(&e, Error::BadRecipientsFile { path, line: 2, problem: KeyProblem::SecretKey } if *path == bad), "{e:?}");

        let absent = dir.path().join("absent.txt");
        let e = read_recipients(&[], std::slice::from_ref(&absent), Scripted::new(&[])).err().unwrap();
        assert!(matches!(&e, Error::RecipientsFileMissing { path } if *path == absent), "{e:?}");
        let e = read_recipients(&[], &[PathBuf::from("-")], Scripted::new(&[])).err().unwrap();
        assert!(matches!(e, Error::RecipientsFileMissing { .. }), "{e:?}");

        let secret = id.to_string().expose_secret().to_owned();
        let e = read_recipients(&[secret], &[], Scripted::new(&[])).err().unwrap();
        assert!(matches!(e, Error::BadRecipient { given: None, problem: KeyProblem::SecretKey }), "{e:?}");
        let e = read_recipients(&["age1nope".to_owned()], &[], Scripted::new(&[])).err().unwrap();
        assert!(matches!(&e, Error::BadRecipient { given: Some(g), problem: KeyProblem::NotAKey } if g == "age1nope"), "{e:?}");
    }

    #[test]
    fn recipient_kinds_have_stable_codes() {
        let id = age::x25519::Identity::generate();
        let kind = recipient_kind(&id.to_public().to_string()).unwrap();
        assert_eq!((kind.code(), kind.plugin()), ("x25519", None));
        assert_eq!(serde_json::to_value(&kind).unwrap(), "x25519");
        let plugin = RecipientKind::Plugin("pq".into());
        assert_eq!((plugin.code(), plugin.plugin(), plugin.is_post_quantum()), ("plugin", Some("pq"), true));
        assert_eq!(RecipientKind::TagPq.code(), "tagpq");
        assert_eq!(RecipientKind::Ssh.code(), "ssh");
    }
}
