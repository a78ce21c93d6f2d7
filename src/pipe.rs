//! Two-stage pipelines: a `Write` or `Read` whose other end runs on a second
//! thread, joined by a bounded channel of large recycled buffers. Pack hashes
//! and frames on one core while the other encrypts and writes; unpack
//! decrypts on one while the other hashes and writes. Memory stays at
//! `DEPTH + 2` buffers whatever the data size.

use std::io::{self, Read, Write};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread::JoinHandle;

/// Size of each buffer passed between the threads.
pub const BUFFER_SIZE: usize = 1 << 20;
/// Buffers in flight.
const DEPTH: usize = 4;

/// A buffer of `BUFFER_SIZE` bytes passed between the threads: a plain
/// `Vec`, or one aligned for direct I/O (src/direct.rs).
pub trait Chunk: Send + 'static {
    /// A new buffer of `BUFFER_SIZE` bytes.
    fn fresh() -> Self;
    /// All its bytes.
    fn bytes(&self) -> &[u8];
    /// All its bytes, to fill.
    fn bytes_mut(&mut self) -> &mut [u8];
}

impl Chunk for Vec<u8> {
    fn fresh() -> Self {
        vec![0; BUFFER_SIZE]
    }
    fn bytes(&self) -> &[u8] {
        self
    }
    fn bytes_mut(&mut self) -> &mut [u8] {
        self
    }
}

/// A thread fed through a bounded channel of messages, which it may give
/// back for reuse (so memory stays bounded); what it returns is collected by
/// [`Worker::join`], and on drop, so no thread outlives its owner.
pub struct Worker<M: Send + 'static, T: Send + 'static> {
    to_worker: Option<SyncSender<M>>,
    recycled: Receiver<M>,
    handle: Option<JoinHandle<T>>,
}

impl<M: Send + 'static, T: Send + 'static> Worker<M, T> {
    /// Runs `body` on a new thread with the receiving end (at most `depth`
    /// messages queued) and a sender to give messages back for reuse.
    pub fn spawn(depth: usize, body: impl FnOnce(Receiver<M>, SyncSender<M>) -> T + Send + 'static) -> Self {
        let (to_worker, from_main) = sync_channel::<M>(depth);
        let (give_back, recycled) = sync_channel::<M>(depth + 2);
        let handle = std::thread::spawn(move || body(from_main, give_back));
        Worker { to_worker: Some(to_worker), recycled, handle: Some(handle) }
    }

    /// A message the worker gave back, if one is waiting.
    pub fn recycled(&self) -> Option<M> {
        self.recycled.try_recv().ok()
    }

    /// Sends `message`, waiting while the queue is full; false if the worker
    /// has stopped (then [`Worker::join`] says why).
    pub fn send(&self, message: M) -> bool {
        self.to_worker.as_ref().is_some_and(|s| s.send(message).is_ok())
    }

    /// Sends `message` unless the queue is full or the worker stopped.
    pub fn try_send(&self, message: M) -> bool {
        self.to_worker.as_ref().is_some_and(|s| s.try_send(message).is_ok())
    }

    /// Closes the queue and waits for the worker: what it returned, or an
    /// error if it panicked or was joined before.
    pub fn join(&mut self) -> io::Result<T> {
        self.to_worker = None;
        let handle = self.handle.take().ok_or_else(|| io::Error::other("the worker thread already finished"))?;
        handle.join().map_err(|_| io::Error::other("the worker thread panicked"))
    }
}

impl<M: Send + 'static, T: Send + 'static> Drop for Worker<M, T> {
    fn drop(&mut self) {
        let _ = self.join();
    }
}

/// A writer whose bytes are written to `W` on a worker thread.
pub struct PipeWriter<W: Write + Send + 'static, C: Chunk = Vec<u8>> {
    buf: C,
    filled: usize,
    worker: Worker<(C, usize), (W, io::Result<()>)>,
}

impl<W: Write + Send + 'static> PipeWriter<W> {
    /// Starts the worker thread that writes into `inner`.
    pub fn new(inner: W) -> Self {
        Self::start(inner)
    }
}

impl<W: Write + Send + 'static, C: Chunk> PipeWriter<W, C> {
    /// Starts the worker thread that writes into `inner`, in buffers of type `C`.
    /// Every buffer but the last reaches `inner` full.
    pub fn start(mut inner: W) -> Self {
        let worker = Worker::spawn(DEPTH, move |chunks: Receiver<(C, usize)>, give_back: SyncSender<(C, usize)>| {
            for (chunk, len) in chunks {
                if let Err(e) = inner.write_all(&chunk.bytes()[..len]) {
                    return (inner, Err(e));
                }
                let _ = give_back.try_send((chunk, 0));
            }
            let result = inner.flush();
            (inner, result)
        });
        PipeWriter { buf: C::fresh(), filled: 0, worker }
    }

    fn send(&mut self) -> io::Result<()> {
        if self.filled == 0 {
            return Ok(());
        }
        let next = self.worker.recycled().map_or_else(C::fresh, |(chunk, _)| chunk);
        let full = std::mem::replace(&mut self.buf, next);
        let len = std::mem::take(&mut self.filled);
        if !self.worker.send((full, len)) {
            // The worker stopped on an error: collect it.
            return Err(self.join().err().unwrap_or_else(|| io::Error::other("writer thread stopped")));
        }
        Ok(())
    }

    fn join(&mut self) -> io::Result<W> {
        let (inner, result) = self.worker.join()?;
        result.map(|()| inner)
    }

    /// Room to write into directly, at least `min` bytes (at most
    /// `BUFFER_SIZE`; the buffer is sent first if it has less): data read
    /// from a file lands here without a copy. [`PipeWriter::commit`] what was put there.
    pub fn spare(&mut self, min: usize) -> io::Result<&mut [u8]> {
        if BUFFER_SIZE - self.filled < min.min(BUFFER_SIZE) {
            self.send()?;
        }
        Ok(&mut self.buf.bytes_mut()[self.filled..])
    }

    /// Marks the first `n` bytes of [`PipeWriter::spare`] as written.
    pub fn commit(&mut self, n: usize) -> io::Result<()> {
        self.filled = (self.filled + n).min(BUFFER_SIZE);
        if self.filled == BUFFER_SIZE {
            self.send()?;
        }
        Ok(())
    }

    /// Sends the last bytes, waits for the worker and returns the inner writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.send()?;
        self.join()
    }
}

impl<W: Write + Send + 'static, C: Chunk> Write for PipeWriter<W, C> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let room = BUFFER_SIZE - self.filled;
        let n = room.min(data.len());
        self.buf.bytes_mut()[self.filled..self.filled + n].copy_from_slice(&data[..n]);
        self.commit(n)?;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        // Durability is the job of finish(); flushing mid-stream would only add latency.
        Ok(())
    }
}

/// A reader whose bytes are read from `R` on a worker thread, ahead of use.
pub struct PipeReader<C: Chunk = Vec<u8>> {
    current: Option<C>,
    pos: usize,
    filled: usize,
    from_worker: Receiver<io::Result<(C, usize)>>,
    give_back: SyncSender<C>,
    done: bool,
}

impl PipeReader {
    /// Starts the worker thread that reads `inner` to its end.
    pub fn new<R: Read + Send + 'static>(inner: R) -> Self {
        Self::start(inner)
    }
}

impl<C: Chunk> PipeReader<C> {
    /// Starts the worker thread that reads `inner` to its end, into buffers
    /// of type `C`, each filled as far as `inner` goes.
    pub fn start<R: Read + Send + 'static>(mut inner: R) -> Self {
        let (to_main, from_worker) = sync_channel::<io::Result<(C, usize)>>(DEPTH);
        let (give_back, recycled) = sync_channel::<C>(DEPTH + 2);
        std::thread::spawn(move || loop {
            let mut chunk = recycled.try_recv().unwrap_or_else(|_| C::fresh());
            let mut filled = 0;
            let result = loop {
                match inner.read(&mut chunk.bytes_mut()[filled..]) {
                    Ok(0) => break Ok(()),
                    Ok(n) => {
                        filled += n;
                        if filled == BUFFER_SIZE {
                            break Ok(());
                        }
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted && !crate::interrupt::requested() => {}
                    Err(e) => break Err(e),
                }
            };
            let end = filled == 0 || result.is_err();
            let message = match result {
                Ok(()) => Ok((chunk, filled)),
                Err(e) if filled > 0 => {
                    // Deliver what was read, then the error.
                    if to_main.send(Ok((chunk, filled))).is_err() {
                        return;
                    }
                    Err(e)
                }
                Err(e) => Err(e),
            };
            if to_main.send(message).is_err() || end {
                return;
            }
        });
        PipeReader { current: None, pos: 0, filled: 0, from_worker, give_back, done: false }
    }
}

impl<C: Chunk> Read for PipeReader<C> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.filled {
            if self.done {
                return Ok(0);
            }
            let (next, filled) = match self.from_worker.recv() {
                Ok(Ok(chunk)) => chunk,
                Ok(Err(e)) => {
                    self.done = true;
                    return Err(e);
                }
                Err(_) => return Err(io::Error::other("reader thread stopped")),
            };
            if filled == 0 {
                self.done = true;
            }
            if let Some(old) = self.current.replace(next) {
                let _ = self.give_back.try_send(old);
            }
            self.pos = 0;
            self.filled = filled;
        }
        let current = self.current.as_ref().expect("a chunk holds the bytes in [pos, filled)");
        let n = out.len().min(self.filled - self.pos);
        out[..n].copy_from_slice(&current.bytes()[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writer_and_reader_carry_bytes_unchanged() {
        let data: Vec<u8> = (0..5 * BUFFER_SIZE + 123).map(|i| (i * 7 % 251) as u8).collect();
        let mut w = PipeWriter::new(Vec::new());
        for piece in data.chunks(70_001) {
            w.write_all(piece).unwrap();
        }
        let written = w.finish().unwrap();
        assert_eq!(written, data);
        let mut r = PipeReader::new(io::Cursor::new(written));
        let mut back = Vec::new();
        r.read_to_end(&mut back).unwrap();
        assert_eq!(back, data);
    }

    #[test]
    fn data_put_in_place_arrives_in_order_with_written_data() {
        let mut w = PipeWriter::new(Vec::new());
        let mut expected = Vec::new();
        for i in 0..3000usize {
            let piece: Vec<u8> = (0..(i * 37 % 5000)).map(|j| (i + j) as u8).collect();
            if i % 2 == 0 {
                w.write_all(&piece).unwrap();
            } else {
                let room = w.spare(piece.len()).unwrap();
                assert!(room.len() >= piece.len());
                room[..piece.len()].copy_from_slice(&piece);
                w.commit(piece.len()).unwrap();
            }
            expected.extend_from_slice(&piece);
        }
        assert!(w.finish().unwrap() == expected);
    }

    struct FailAfter(usize);
    impl Write for FailAfter {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            if self.0 < b.len() {
                return Err(io::Error::from_raw_os_error(28));
            }
            self.0 -= b.len();
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn writer_reports_the_workers_error() {
        let mut w = PipeWriter::new(FailAfter(BUFFER_SIZE));
        let big = vec![0u8; 10 * BUFFER_SIZE];
        let err = w.write_all(&big).and_then(|_| w.finish().map(|_| ())).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(28));
    }
}
