//! Reading and writing the archive past the page cache (`O_DIRECT`).
//!
//! Why: the archive must reach the medium (and the read-back must come from
//! the medium, not from memory), and on the machines measured in issue #6 a
//! buffered write plus `fsync` of 2 GiB costs 2–8 s, mostly kernel time spent
//! filling and flushing fresh page cache, where direct I/O takes ~1.3 s with
//! almost no CPU, leaving both cores to hashing and encryption.
//!
//! Direct I/O needs block-aligned buffers, lengths and offsets. Both types
//! here keep a block-aligned buffer and fall back to ordinary buffered I/O
//! (plus dropping the cache) wherever the file system refuses it: tmpfs,
//! some FUSE file systems, and the last partial block of a file.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread::JoinHandle;

/// Alignment and granularity of direct I/O: 4 KiB covers every logical block
/// size in use (512 and 4096 bytes).
const BLOCK: usize = 4096;
/// Bytes per direct write or read: large enough to stream at the device's
/// speed, small enough to keep memory flat.
pub const CHUNK: usize = 4 << 20;

/// A heap buffer whose usable part starts on a `BLOCK` boundary (without
/// `unsafe`: over-allocate and start at the first aligned byte).
struct AlignedBuf {
    storage: Vec<u8>,
    start: usize,
}

impl AlignedBuf {
    fn new(len: usize) -> Self {
        let storage = vec![0u8; len + BLOCK];
        let start = storage.as_ptr().align_offset(BLOCK).min(BLOCK);
        AlignedBuf { storage, start }
    }

    fn len(&self) -> usize {
        self.storage.len() - BLOCK
    }

    fn as_slice(&self) -> &[u8] {
        &self.storage[self.start..self.start + self.len()]
    }

    fn as_mut_slice(&mut self) -> &mut [u8] {
        let len = self.len();
        &mut self.storage[self.start..self.start + len]
    }

    fn is_aligned(&self) -> bool {
        self.as_slice().as_ptr().align_offset(BLOCK) == 0
    }
}

/// Turns `O_DIRECT` on or off for an open file; false if it cannot be used.
fn set_direct(file: &File, on: bool) -> bool {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{fcntl_getfl, fcntl_setfl, OFlags};
        let Ok(flags) = fcntl_getfl(file) else { return false };
        let flags = if on { flags | OFlags::DIRECT } else { flags - OFlags::DIRECT };
        fcntl_setfl(file, flags).is_ok()
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (file, on);
        false
    }
}

fn is_einval(e: &io::Error) -> bool {
    e.raw_os_error() == Some(22)
}

/// Writes a file with direct I/O in `CHUNK`s on its own thread (the device
/// is waited on there, while the caller goes on filling the next chunk); the
/// unaligned tail (and everything, where direct I/O is refused) goes through
/// the page cache. Call [`DirectWriter::finish`]: it writes the rest, fsyncs
/// and reports any error of the thread.
pub struct DirectWriter {
    buf: AlignedBuf,
    filled: usize,
    to_worker: Option<SyncSender<(AlignedBuf, usize)>>,
    recycled: Receiver<AlignedBuf>,
    worker: Option<JoinHandle<io::Result<File>>>,
}

/// Chunks queued for the device besides the one being filled.
const DEPTH: usize = 2;

impl DirectWriter {
    /// Wraps a file opened for writing at offset 0.
    pub fn new(file: File) -> Self {
        let (to_worker, from_main) = sync_channel::<(AlignedBuf, usize)>(DEPTH - 1);
        let (give_back, recycled) = sync_channel::<AlignedBuf>(DEPTH + 1);
        let worker = std::thread::spawn(move || {
            let mut device = Device::new(file);
            for (buf, len) in from_main {
                device.write(&buf.as_slice()[..len])?;
                let _ = give_back.try_send(buf);
            }
            device.finish()
        });
        DirectWriter { buf: AlignedBuf::new(CHUNK), filled: 0, to_worker: Some(to_worker), recycled, worker: Some(worker) }
    }

    fn send(&mut self) -> io::Result<()> {
        let next = self.recycled.try_recv().unwrap_or_else(|_| AlignedBuf::new(CHUNK));
        let full = std::mem::replace(&mut self.buf, next);
        let len = std::mem::take(&mut self.filled);
        let sent = self.to_worker.as_ref().is_some_and(|s| s.send((full, len)).is_ok());
        if !sent {
            // The thread stopped on an error: collect it.
            return Err(self.join().err().unwrap_or_else(|| io::Error::other("writer thread stopped")));
        }
        Ok(())
    }

    fn join(&mut self) -> io::Result<File> {
        self.to_worker = None;
        let handle = self.worker.take().ok_or_else(|| io::Error::other("writer thread already finished"))?;
        handle.join().map_err(|_| io::Error::other("writer thread panicked"))?
    }

    /// Writes everything, then fsyncs: on return the file is on the medium.
    pub fn finish(mut self) -> io::Result<File> {
        if self.filled > 0 {
            self.send()?;
        }
        self.join()
    }
}

impl Write for DirectWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.filled == self.buf.len() {
            self.send()?;
        }
        let n = data.len().min(self.buf.len() - self.filled);
        self.buf.as_mut_slice()[self.filled..self.filled + n].copy_from_slice(&data[..n]);
        self.filled += n;
        Ok(n)
    }

    /// Durability is the job of `finish`; a partial chunk waits for it.
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for DirectWriter {
    fn drop(&mut self) {
        self.to_worker = None;
        if let Some(h) = self.worker.take() {
            let _ = h.join();
        }
    }
}

/// The writing end on the worker thread. Every chunk but the last is a whole
/// number of blocks, so the file offset stays aligned for direct writes.
struct Device {
    file: File,
    direct: bool,
}

impl Device {
    fn new(file: File) -> Self {
        let direct = set_direct(&file, true);
        Device { file, direct }
    }

    fn buffered(&mut self) {
        if self.direct {
            self.direct = false;
            set_direct(&self.file, false);
        }
    }

    fn write(&mut self, data: &[u8]) -> io::Result<()> {
        let mut done = 0;
        while done < data.len() {
            let aligned = data[done..].as_ptr().align_offset(BLOCK) == 0;
            if !aligned || (data.len() - done) % BLOCK != 0 {
                // An unaligned offset (after a short write), buffer or last
                // partial block cannot be written directly.
                self.buffered();
            }
            match self.file.write(&data[done..]) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => done += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted && !crate::interrupt::requested() => {}
                // Refused (a file system without direct I/O): go on buffered.
                Err(e) if self.direct && is_einval(&e) => self.buffered(),
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    fn finish(self) -> io::Result<File> {
        self.file.sync_all()?;
        // Only a buffered tail can be in the cache; a read-back must not see it.
        crate::output::drop_cache(&self.file);
        Ok(self.file)
    }
}

/// Reads a file from the medium, not from the page cache: with direct I/O
/// where the file system allows it, else buffered after dropping the cache.
/// The reading runs ahead on its own thread (waiting on the device there),
/// so the caller hashes or decrypts one chunk while the next is read.
pub struct DirectReader {
    current: AlignedBuf,
    pos: usize,
    filled: usize,
    from_worker: Receiver<io::Result<(AlignedBuf, usize)>>,
    give_back: SyncSender<AlignedBuf>,
    done: bool,
}

impl DirectReader {
    /// Opens `path` for reading from the medium.
    pub fn open(path: &Path) -> io::Result<Self> {
        Ok(Self::new(File::open(path)?))
    }

    /// Wraps a file open for reading at offset 0.
    pub fn new(file: File) -> Self {
        let (to_main, from_worker) = sync_channel::<io::Result<(AlignedBuf, usize)>>(DEPTH - 1);
        let (give_back, recycled) = sync_channel::<AlignedBuf>(DEPTH + 1);
        std::thread::spawn(move || {
            let mut source = Source::new(file);
            loop {
                let mut buf = recycled.try_recv().unwrap_or_else(|_| AlignedBuf::new(CHUNK));
                let message = source.fill(&mut buf).map(|n| (buf, n));
                let end = !matches!(message, Ok((_, n)) if n > 0);
                if to_main.send(message).is_err() || end {
                    return;
                }
            }
        });
        DirectReader { current: AlignedBuf::new(0), pos: 0, filled: 0, from_worker, give_back, done: false }
    }
}

impl Read for DirectReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        while self.pos == self.filled {
            if self.done {
                return Ok(0);
            }
            let (next, n) = match self.from_worker.recv() {
                Ok(Ok(chunk)) => chunk,
                Ok(Err(e)) => {
                    self.done = true;
                    return Err(e);
                }
                Err(_) => return Err(io::Error::other("reader thread stopped")),
            };
            if n == 0 {
                self.done = true;
            }
            let old = std::mem::replace(&mut self.current, next);
            if old.len() == CHUNK {
                let _ = self.give_back.try_send(old);
            }
            self.pos = 0;
            self.filled = n;
        }
        let n = out.len().min(self.filled - self.pos);
        out[..n].copy_from_slice(&self.current.as_slice()[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// The reading end on the worker thread.
struct Source {
    file: File,
    direct: bool,
}

impl Source {
    fn new(file: File) -> Self {
        let direct = set_direct(&file, true);
        // Also when reading directly: the kernel then writes back any dirty
        // cached pages first, and afterwards nothing stale stays behind.
        crate::output::drop_cache(&file);
        Source { file, direct }
    }

    fn buffered(&mut self) {
        if self.direct {
            self.direct = false;
            set_direct(&self.file, false);
            crate::output::drop_cache(&self.file);
        }
    }

    /// Fills `buf` (less only at the end of the file); returns the bytes read.
    fn fill(&mut self, buf: &mut AlignedBuf) -> io::Result<usize> {
        if !buf.is_aligned() {
            self.buffered();
        }
        let buf = buf.as_mut_slice();
        let mut filled = 0;
        while filled < buf.len() {
            match self.file.read(&mut buf[filled..]) {
                Ok(0) => break,
                Ok(n) => {
                    filled += n;
                    // A short direct read leaves the offset unaligned (only
                    // at the end of the file, normally): read on buffered.
                    if filled % BLOCK != 0 {
                        self.buffered();
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted && !crate::interrupt::requested() => {}
                Err(e) if self.direct && is_einval(&e) => self.buffered(),
                Err(e) => return Err(e),
            }
        }
        Ok(filled)
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
        let dir = tempfile::tempdir_in(std::env::current_dir().unwrap()).unwrap();
        for len in [0, 1, BLOCK - 1, BLOCK, BLOCK + 1, CHUNK - 1, CHUNK, CHUNK + 4097, 3 * CHUNK + 5] {
            let data = pattern(len);
            let path = dir.path().join(format!("f{len}"));
            let mut w = DirectWriter::new(File::create(&path).unwrap());
            for piece in data.chunks(100_003) {
                w.write_all(piece).unwrap();
                if piece.len() % 3 == 0 {
                    w.flush().unwrap();
                }
            }
            w.finish().unwrap();
            assert!(std::fs::read(&path).unwrap() == data, "write, length {len}");
            let mut back = Vec::new();
            DirectReader::open(&path).unwrap().read_to_end(&mut back).unwrap();
            assert!(back == data, "read, length {len}: {} bytes back", back.len());
        }
    }
}
