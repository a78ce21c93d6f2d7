//! `Read`/`Write` adapters that hash and count what passes through them.

use std::io::{self, Read, Write};

use sha2::{Digest, Sha256};

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
    fn hex_is_lower_case_two_digits_a_byte() {
        assert_eq!(to_hex(&[0x00, 0x0f, 0xab, 0xff]), "000fabff");
        assert_eq!(to_hex(&[]), "");
    }
}
