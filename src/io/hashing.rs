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
    sha512: Option<BackgroundSha512>,
}

impl<W: Write> HashingWriter<W> {
    /// Wraps `inner`.
    pub(crate) fn new(inner: W) -> Self {
        HashingWriter { inner, hasher: Sha256::new(), written: 0, sha512: None }
    }

    /// Also takes the SHA-512 of everything written (on a thread of its own).
    pub(crate) fn with_sha512(mut self) -> Self {
        self.sha512 = Some(BackgroundSha512::start());
        self
    }

    /// The writer and the hex SHA-256 of everything written.
    pub(crate) fn finish(self) -> (W, String, u64) {
        (self.inner, hex_digest(self.hasher), self.written)
    }

    /// [`HashingWriter::finish`], and the SHA-512 if it was taken.
    pub(crate) fn finish_with_sha512(mut self) -> io::Result<(W, String, u64, Option<[u8; 64]>)> {
        let sha512 = match self.sha512.take() {
            Some(h) => Some(h.finish()?),
            None => None,
        };
        let (inner, sha256, written) = self.finish();
        Ok((inner, sha256, written, sha512))
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        if let Some(h) = self.sha512.as_mut() {
            h.update(&buf[..n]);
        }
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

/// SHA-512 on a thread of its own: the digest a sender signature signs
/// (SSHSIG), taken beside whatever else reads the same bytes. It has no
/// hardware help (SHA-256 has SHA-NI), so on the caller's thread it would
/// halve the speed of a keyless verify. Memory: a few copied buffers.
pub(crate) struct BackgroundSha512 {
    worker: Worker<Vec<u8>, [u8; 64]>,
    pending: Vec<u8>,
}

/// Bytes copied to the hashing thread at a time.
const SHA512_BATCH: usize = 1 << 20;

impl BackgroundSha512 {
    pub(crate) fn start() -> Self {
        let worker = Worker::spawn(4, |from: Receiver<Vec<u8>>, give_back: SyncSender<Vec<u8>>| {
            let mut h = Sha512::new();
            for mut batch in from {
                h.update(&batch);
                batch.clear();
                let _ = give_back.try_send(batch);
            }
            h.finalize().into()
        });
        BackgroundSha512 { worker, pending: Vec::with_capacity(SHA512_BATCH) }
    }

    pub(crate) fn update(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            let room = SHA512_BATCH - self.pending.len();
            let (now, rest) = data.split_at(room.min(data.len()));
            self.pending.extend_from_slice(now);
            data = rest;
            if self.pending.len() == SHA512_BATCH {
                self.send();
            }
        }
    }

    fn send(&mut self) {
        let fresh = self.worker.recycled().unwrap_or_else(|| Vec::with_capacity(SHA512_BATCH));
        let full = std::mem::replace(&mut self.pending, fresh);
        // A stopped worker is reported by `finish`.
        self.worker.send(full);
    }

    /// The digest of everything given.
    pub(crate) fn finish(mut self) -> io::Result<[u8; 64]> {
        if !self.pending.is_empty() {
            self.send();
        }
        self.worker.join()
    }
}

/// Feeds everything read through it to a [`BackgroundSha512`].
pub(crate) struct Sha512Feed<'a, R> {
    pub(crate) inner: R,
    pub(crate) sha512: &'a mut BackgroundSha512,
}

impl<R: Read> Read for Sha512Feed<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.sha512.update(&buf[..n]);
        Ok(n)
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
    fn the_background_sha512_is_sha512() {
        let data: Vec<u8> = (0..3 * SHA512_BATCH + 12_345).map(|i| (i % 251) as u8).collect();
        let mut h = BackgroundSha512::start();
        for piece in data.chunks(100_003) {
            h.update(piece);
        }
        let expected: [u8; 64] = Sha512::digest(&data).into();
        assert_eq!(h.finish().unwrap(), expected);
        assert_eq!(BackgroundSha512::start().finish().unwrap(), <[u8; 64]>::from(Sha512::digest(b"")));
    }

    #[test]
    fn hex_is_lower_case_two_digits_a_byte() {
        assert_eq!(to_hex(&[0x00, 0x0f, 0xab, 0xff]), "000fabff");
        assert_eq!(to_hex(&[]), "");
    }
}
