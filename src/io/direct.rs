//! Reading and writing the archive past the page cache (`O_DIRECT` on Linux,
//! `FILE_FLAG_NO_BUFFERING` on Windows; src/platform says how).
//!
//! Why: the archive must reach the medium (and the read-back must come from
//! the medium, not from memory), and on the machines measured in issue #6 a
//! buffered write plus `fsync` of 2 GiB costs 2–8 s, mostly kernel time spent
//! filling and flushing fresh page cache, where direct I/O takes ~1.3 s with
//! almost no CPU, leaving both cores to hashing and encryption.
//!
//! Direct I/O needs block-aligned buffers, lengths and offsets: the reader
//! and writer here are the pipes of src/io/pipe.rs with block-aligned chunks,
//! and fall back to ordinary buffered I/O (plus dropping the cache) wherever
//! the file system refuses it: tmpfs, some FUSE file systems, and the last
//! partial block of a file.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;

use crate::io::pipe::{Chunk, PipeReader, PipeWriter, BUFFER_SIZE};
use crate::platform;

/// Alignment and granularity of direct I/O: 4 KiB covers every logical block
/// size in use (512 and 4096 bytes). `BUFFER_SIZE` is a multiple of it.
const BLOCK: usize = 4096;

/// A pipe buffer whose bytes start on a `BLOCK` boundary (without `unsafe`:
/// over-allocate and start at the first aligned byte).
pub(crate) struct AlignedBuf {
    storage: Vec<u8>,
    start: usize,
}

impl Chunk for AlignedBuf {
    fn fresh() -> Self {
        let storage = vec![0u8; BUFFER_SIZE + BLOCK];
        let start = storage.as_ptr().align_offset(BLOCK).min(BLOCK);
        AlignedBuf { storage, start }
    }

    fn bytes(&self) -> &[u8] {
        &self.storage[self.start..self.start + BUFFER_SIZE]
    }

    fn bytes_mut(&mut self) -> &mut [u8] {
        &mut self.storage[self.start..self.start + BUFFER_SIZE]
    }
}

/// Whether `data` can go to or come from the device directly: aligned start and length.
fn is_aligned(data: &[u8]) -> bool {
    data.as_ptr().align_offset(BLOCK) == 0 && data.len().is_multiple_of(BLOCK)
}

/// A file with direct I/O on while every transfer is aligned, and off
/// (buffered, through the page cache) from the first one that is not — the
/// last partial block, or anything after a short transfer — or where the
/// file system refuses it (tmpfs, some FUSE file systems). How each OS
/// switches is `platform::DirectFile`'s business.
struct Device(platform::DirectFile);

impl Device {
    fn new(file: File, writing: bool) -> Self {
        Device(platform::DirectFile::new(file, writing))
    }

    fn buffered(&mut self) -> io::Result<()> {
        self.0.go_buffered()
    }
}

impl Write for Device {
    /// Writes all of `data` (the pipe hands over whole chunks).
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let mut done = 0;
        while done < data.len() {
            if !is_aligned(&data[done..]) {
                // The last partial block (or anything after a short write):
                // each OS ends its own way, through the same open file
                // (a file written through two opens of it came out wrong on
                // fusefat under Wine: #31, docs/WINDOWS.md).
                self.0.write_tail(&data[done..])?;
                return Ok(data.len());
            }
            match platform::retry_interrupted(|| self.0.handle().write(&data[done..])) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => done += n,
                Err(e) if self.0.is_direct() && platform::is_direct_refused(&e) => self.buffered()?,
                Err(e) => return Err(e),
            }
        }
        Ok(done)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Read for Device {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if !is_aligned(buf) {
            self.buffered()?;
        }
        loop {
            match self.0.handle().read(buf) {
                Ok(n) => {
                    // A short transfer leaves the offset unaligned (normally at the end).
                    if !n.is_multiple_of(BLOCK) {
                        self.buffered()?;
                    }
                    return Ok(n);
                }
                Err(e) if self.0.is_direct() && platform::is_direct_refused(&e) => self.buffered()?,
                Err(e) => return Err(e),
            }
        }
    }
}

/// Writes a file with direct I/O, in `BUFFER_SIZE` chunks on a thread of
/// its own that waits on the device while the caller fills the next chunk.
/// Call [`DirectWriter::finish`]: it writes the rest and fsyncs.
pub(crate) struct DirectWriter(PipeWriter<Device, AlignedBuf>);

impl DirectWriter {
    /// Wraps a file opened for writing at offset 0.
    pub(crate) fn new(file: File) -> Self {
        DirectWriter(PipeWriter::start(Device::new(file, true)))
    }

    /// Writes everything, then fsyncs: on return the file is on the medium.
    pub(crate) fn finish(self) -> io::Result<File> {
        let file = self.0.finish()?.0.into_file();
        file.sync_all()?;
        // Only a buffered tail can be in the cache; a read-back must not see it.
        platform::drop_cache(&file);
        Ok(file)
    }
}

impl Write for DirectWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.0.write(data)
    }

    /// Durability is the job of `finish`.
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Reads a file from the medium, not from the page cache: with direct I/O
/// where the file system allows it, else buffered after dropping the cache.
/// The reading runs ahead on a thread of its own (waiting on the device
/// there), so the caller hashes or decrypts one chunk while the next is read.
pub(crate) struct DirectReader(PipeReader<AlignedBuf>);

impl DirectReader {
    /// Opens `path` for reading from the medium.
    pub(crate) fn open(path: &Path) -> io::Result<Self> {
        Ok(Self::from_file(File::open(path)?))
    }

    /// Reads an open file (at its current offset) from the medium.
    pub(crate) fn from_file(file: File) -> Self {
        // Also when reading directly: the kernel then writes back any dirty
        // cached pages first, and afterwards nothing stale stays behind.
        platform::drop_cache(&file);
        DirectReader(PipeReader::start(Device::new(file, false)))
    }
}

impl Read for DirectReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        self.0.read(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 31 % 253) as u8).collect()
    }

    #[test]
    fn round_trips_lengths_around_block_and_chunk_edges() {
        round_trips_in(&std::env::current_dir().unwrap());
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn round_trips_on_tmpfs_too() {
        // tmpfs has no medium behind its cache: direct I/O is refused or
        // ignored there, and the bytes must come through all the same.
        let shm = Path::new("/dev/shm");
        assert!(shm.is_dir(), "Linux provides /dev/shm (tmpfs)");
        round_trips_in(shm);
    }

    #[test]
    #[cfg(windows)]
    fn the_unbuffered_handle_opens_for_writing_and_reading() {
        // Else every transfer would quietly go through the cache.
        let dir = tempfile::tempdir_in(std::env::current_dir().unwrap()).unwrap();
        let path = dir.path().join("f");
        let writer = platform::DirectFile::new(File::create(&path).unwrap(), true);
        assert!(writer.is_direct(), "ReOpenFile with FILE_FLAG_NO_BUFFERING for writing");
        drop(writer);
        let reader = platform::DirectFile::new(File::open(&path).unwrap(), false);
        assert!(reader.is_direct(), "ReOpenFile with FILE_FLAG_NO_BUFFERING for reading");
    }

    fn round_trips_in(parent: &Path) {
        let dir = tempfile::tempdir_in(parent).unwrap();
        for len in [0, 1, BLOCK - 1, BLOCK, BLOCK + 1, BUFFER_SIZE - 1, BUFFER_SIZE, BUFFER_SIZE + 4097, 3 * BUFFER_SIZE + 5] {
            let data = pattern(len);
            let path = dir.path().join(format!("f{len}"));
            let mut w = DirectWriter::new(File::create(&path).unwrap());
            for piece in data.chunks(100_003) {
                w.write_all(piece).unwrap();
            }
            let mut written = w.finish().unwrap();
            assert_eq!(std::io::Seek::stream_position(&mut written).unwrap(), len as u64, "the offset after writing, length {len}");
            assert!(std::fs::read(&path).unwrap() == data, "write, length {len}");
            let mut back = Vec::new();
            DirectReader::open(&path).unwrap().read_to_end(&mut back).unwrap();
            assert!(back == data, "read, length {len}: {} bytes back", back.len());
        }
    }
}
