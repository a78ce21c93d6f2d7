//! `Read`/`Write` adapters that hash and count what passes through them.

use std::io::{self, Read, Write};

use sha2::{Digest, Sha256, Sha512};

use std::sync::mpsc::{Receiver, SyncSender};

use crate::io::pipe::Worker;
use crate::ops::cancel::Cancel;
use crate::platform::retry_interrupted;

/// Lower-case hex of a SHA-256 digest.
pub(crate) fn hex_digest(hasher: Sha256) -> String {
    to_hex(&hasher.finalize())
}

/// Lower-case hex of `bytes`. By hand: the hex crate's char-by-char collect
/// cost more than the last SHA-256 block of a small file (this runs for
/// every file packed or checked).
pub(crate) fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = Vec::with_capacity(2 * bytes.len());
    for &b in bytes {
        out.push(DIGITS[usize::from(b >> 4)]);
        out.push(DIGITS[usize::from(b & 15)]);
    }
    String::from_utf8(out).expect("hex digits are ASCII")
}

/// Hashes and counts everything written through it.
pub(crate) struct HashingWriter<W> {
    inner: W,
    hasher: Sha256,
    written: u64,
}

impl<W: Write> HashingWriter<W> {
    /// Wraps `inner`.
    pub(crate) fn new(inner: W) -> Self {
        HashingWriter { inner, hasher: Sha256::new(), written: 0 }
    }

    /// The writer and the hex SHA-256 of everything written.
    pub(crate) fn finish(self) -> (W, String, u64) {
        (self.inner, hex_digest(self.hasher), self.written)
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Hashes and counts everything read through it.
pub(crate) struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
    read: u64,
}

impl<R: Read> HashingReader<R> {
    /// Wraps `inner`.
    pub(crate) fn new(inner: R) -> Self {
        HashingReader { inner, hasher: Sha256::new(), read: 0 }
    }

    /// The reader and the hex SHA-256 of everything read.
    pub(crate) fn finish(self) -> (R, String, u64) {
        (self.inner, hex_digest(self.hasher), self.read)
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.read += n as u64;
        Ok(n)
    }
}

/// The hash a sender signature (SSHSIG) signs the archive by. hakobu signs
/// by SHA-256, the archive hash every pass takes anyway (the checksum file's)
/// and the one with hardware help (SHA-NI, ARMv8 SHA2); SHA-512 signatures
/// (ssh-keygen's default, and hakobu's before issue #31) are still checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DigestAlg {
    Sha256,
    Sha512,
}

/// The digest of a whole archive (all volumes joined), by the hash its
/// signature names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ArchiveDigest {
    Sha256([u8; 32]),
    Sha512([u8; 64]),
}

impl ArchiveDigest {
    pub(crate) fn alg(&self) -> DigestAlg {
        match self {
            ArchiveDigest::Sha256(_) => DigestAlg::Sha256,
            ArchiveDigest::Sha512(_) => DigestAlg::Sha512,
        }
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        match self {
            ArchiveDigest::Sha256(d) => d,
            ArchiveDigest::Sha512(d) => d,
        }
    }

    /// A SHA-256 given as lower- or upper-case hex (a checksum file's form).
    pub(crate) fn sha256_from_hex(hex: &str) -> Option<ArchiveDigest> {
        let bytes = hex.as_bytes();
        if bytes.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, pair) in bytes.chunks(2).enumerate() {
            let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
            out[i] = digit(pair[0])? << 4 | digit(pair[1])?;
        }
        Some(ArchiveDigest::Sha256(out))
    }
}

/// A hash on a thread of its own, beside whatever else reads the same bytes:
/// the signature's digest of an archive while this thread decrypts it, so
/// that the two share the cores. Memory: a few copied buffers.
pub(crate) struct BackgroundDigest {
    worker: Worker<Vec<u8>, ArchiveDigest>,
    pending: Vec<u8>,
}

/// Bytes copied to the hashing thread at a time.
const DIGEST_BATCH: usize = 1 << 20;

impl BackgroundDigest {
    pub(crate) fn start(alg: DigestAlg) -> Self {
        fn run<D: Digest>(from: Receiver<Vec<u8>>, give_back: SyncSender<Vec<u8>>) -> D {
            let mut h = D::new();
            for mut batch in from {
                h.update(&batch);
                batch.clear();
                let _ = give_back.try_send(batch);
            }
            h
        }
        let worker = Worker::spawn(4, move |from: Receiver<Vec<u8>>, give_back: SyncSender<Vec<u8>>| match alg {
            DigestAlg::Sha256 => ArchiveDigest::Sha256(run::<Sha256>(from, give_back).finalize().into()),
            DigestAlg::Sha512 => ArchiveDigest::Sha512(run::<Sha512>(from, give_back).finalize().into()),
        });
        BackgroundDigest { worker, pending: Vec::with_capacity(DIGEST_BATCH) }
    }

    pub(crate) fn update(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            let room = DIGEST_BATCH - self.pending.len();
            let (now, rest) = data.split_at(room.min(data.len()));
            self.pending.extend_from_slice(now);
            data = rest;
            if self.pending.len() == DIGEST_BATCH {
                self.send();
            }
        }
    }

    fn send(&mut self) {
        let fresh = self.worker.recycled().unwrap_or_else(|| Vec::with_capacity(DIGEST_BATCH));
        let full = std::mem::replace(&mut self.pending, fresh);
        // A stopped worker is reported by `finish`.
        self.worker.send(full);
    }

    /// The digest of everything given.
    pub(crate) fn finish(mut self) -> io::Result<ArchiveDigest> {
        if !self.pending.is_empty() {
            self.send();
        }
        self.worker.join()
    }
}

/// SHA-256 and length of a whole file, read in large blocks; stops with an
/// `Interrupted` error once `cancel` is cancelled.
pub(crate) fn sha256_file(file: &mut impl Read, cancel: &Cancel) -> io::Result<(String, u64)> {
    sha256_file_reporting(file, cancel, &mut |_| {})
}

/// [`sha256_file`], telling `read` how many bytes each block added (blocks
/// of 1 MiB, `ops::progress::STEP`), so a progress bar moves while a large
/// file is read back.
pub(crate) fn sha256_file_reporting(file: &mut impl Read, cancel: &Cancel, read: &mut dyn FnMut(u64)) -> io::Result<(String, u64)> {
    let mut reader = HashingReader::new(file);
    let mut buf = vec![0u8; crate::ops::progress::STEP as usize];
    loop {
        let n = retry_interrupted(|| reader.read(&mut buf))?;
        if n == 0 {
            break;
        }
        read(n as u64);
        cancel.check()?;
    }
    let (_, digest, n) = reader.finish();
    Ok((digest, n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_known_vector() {
        let (digest, n) = sha256_file(&mut &b"abc"[..], &Cancel::new()).unwrap();
        assert_eq!(n, 3);
        assert_eq!(digest, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        let mut w = HashingWriter::new(Vec::new());
        w.write_all(b"abc").unwrap();
        assert_eq!(w.finish().1, digest);
    }

    #[test]
    fn a_cancelled_hash_stops() {
        let cancel = Cancel::new();
        cancel.cancel();
        let err = sha256_file(&mut &b"abc"[..], &cancel).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::Interrupted);
    }

    #[test]
    fn the_background_digests_are_sha256_and_sha512() {
        let data: Vec<u8> = (0..3 * DIGEST_BATCH + 12_345).map(|i| (i % 251) as u8).collect();
        for alg in [DigestAlg::Sha256, DigestAlg::Sha512] {
            let mut h = BackgroundDigest::start(alg);
            for piece in data.chunks(100_003) {
                h.update(piece);
            }
            let expected = match alg {
                DigestAlg::Sha256 => ArchiveDigest::Sha256(Sha256::digest(&data).into()),
                DigestAlg::Sha512 => ArchiveDigest::Sha512(Sha512::digest(&data).into()),
            };
            assert_eq!(h.finish().unwrap(), expected);
        }
        assert_eq!(BackgroundDigest::start(DigestAlg::Sha512).finish().unwrap(), ArchiveDigest::Sha512(Sha512::digest(b"").into()));
    }

    #[test]
    fn a_checksum_line_digest_reads_back_from_hex() {
        let hex = hex_digest(Sha256::new_with_prefix(b"abc"));
        assert_eq!(ArchiveDigest::sha256_from_hex(&hex), Some(ArchiveDigest::Sha256(Sha256::digest(b"abc").into())));
        assert_eq!(ArchiveDigest::sha256_from_hex(&hex.to_uppercase()), ArchiveDigest::sha256_from_hex(&hex));
        assert_eq!(ArchiveDigest::sha256_from_hex(&hex[1..]), None);
        assert_eq!(ArchiveDigest::sha256_from_hex(&format!("{}g", &hex[1..])), None);
    }

    #[test]
    fn hex_is_lower_case_two_digits_a_byte() {
        assert_eq!(to_hex(&[0x00, 0x0f, 0xab, 0xff]), "000fabff");
        assert_eq!(to_hex(&[]), "");
    }
}
