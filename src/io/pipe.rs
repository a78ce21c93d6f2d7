//! Pipelines: a `Write` or `Read` whose other end runs on a second thread,
//! joined by a bounded channel of large recycled buffers, and a stage with
//! no thread of its own that the threads around it run when they would
//! wait. Pack hashes and frames on one core while the other encrypts, and
//! both hash the ciphertext in turns; unpack decrypts on one while the other
//! hashes and writes. Memory stays at a few buffers per stage whatever the
//! data size.

use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TryRecvError, TrySendError};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;

use crate::platform::retry_interrupted;

/// Size of each buffer passed between the threads.
pub(crate) const BUFFER_SIZE: usize = 1 << 20;
/// Buffers in flight.
const DEPTH: usize = 4;

/// A buffer of `BUFFER_SIZE` bytes passed between the threads: a plain
/// `Vec`, or one aligned for direct I/O (src/io/direct.rs).
pub(crate) trait Chunk: Send + 'static {
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
pub(crate) struct Worker<M: Send + 'static, T: Send + 'static> {
    to_worker: Option<SyncSender<M>>,
    recycled: Receiver<M>,
    handle: Option<JoinHandle<T>>,
}

impl<M: Send + 'static, T: Send + 'static> Worker<M, T> {
    /// Runs `body` on a new thread with the receiving end (at most `depth`
    /// messages queued) and a sender to give messages back for reuse.
    pub(crate) fn spawn(depth: usize, body: impl FnOnce(Receiver<M>, SyncSender<M>) -> T + Send + 'static) -> Self {
        let (to_worker, from_main) = sync_channel::<M>(depth);
        let (give_back, recycled) = sync_channel::<M>(depth + 2);
        let handle = std::thread::spawn(move || body(from_main, give_back));
        Worker { to_worker: Some(to_worker), recycled, handle: Some(handle) }
    }

    /// A message the worker gave back, if one is waiting.
    pub(crate) fn recycled(&self) -> Option<M> {
        self.recycled.try_recv().ok()
    }

    /// Sends `message`, waiting while the queue is full; false if the worker
    /// has stopped (then [`Worker::join`] says why).
    pub(crate) fn send(&self, message: M) -> bool {
        self.to_worker.as_ref().is_some_and(|s| s.send(message).is_ok())
    }

    /// Sends `message`; while the queue is full, runs `help`'s pending work
    /// instead of waiting (waits only when there is none). False if the
    /// worker has stopped.
    pub(crate) fn send_helped(&self, mut message: M, help: &dyn Help) -> bool {
        let Some(to_worker) = self.to_worker.as_ref() else { return false };
        loop {
            match to_worker.try_send(message) {
                Ok(()) => return true,
                Err(TrySendError::Disconnected(_)) => return false,
                Err(TrySendError::Full(back)) => message = back,
            }
            if !help.help(true) {
                // Nothing queued: the worker may take a buffer soon, or queue work.
                help.wait(std::time::Duration::from_micros(200));
            }
        }
    }

    /// Sends `message` unless the queue is full or the worker stopped.
    pub(crate) fn try_send(&self, message: M) -> bool {
        self.to_worker.as_ref().is_some_and(|s| s.try_send(message).is_ok())
    }

    /// Closes the queue and waits for the worker: what it returned, or an
    /// error if it panicked or was joined before.
    pub(crate) fn join(&mut self) -> io::Result<T> {
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
pub(crate) struct PipeWriter<W: Write + Send + 'static, C: Chunk = Vec<u8>> {
    buf: C,
    filled: usize,
    worker: Worker<(C, usize), (W, io::Result<()>)>,
    help: Option<Arc<dyn Help>>,
}

impl<W: Write + Send + 'static> PipeWriter<W> {
    /// Like [`PipeWriter::start`], but both threads run `help`'s pending work
    /// (a [`SharedStage`]) where they would otherwise wait: this one while
    /// the queue is full, the worker while it is empty.
    pub(crate) fn helped(inner: W, help: Arc<dyn Help>) -> Self {
        Self::spawn(inner, Some(help))
    }
}

impl<W: Write + Send + 'static, C: Chunk> PipeWriter<W, C> {
    /// Starts the worker thread that writes into `inner`, in buffers of type `C`.
    /// Every buffer but the last reaches `inner` full.
    pub(crate) fn start(inner: W) -> Self {
        Self::spawn(inner, None)
    }

    fn spawn(mut inner: W, help: Option<Arc<dyn Help>>) -> Self {
        let idle = help.clone();
        let worker = Worker::spawn(DEPTH, move |chunks: Receiver<(C, usize)>, give_back: SyncSender<(C, usize)>| {
            loop {
                let (chunk, len) = match chunks.try_recv() {
                    Ok(message) => message,
                    Err(TryRecvError::Disconnected) => break,
                    Err(TryRecvError::Empty) if idle.as_ref().is_some_and(|h| h.help(false)) => continue,
                    Err(TryRecvError::Empty) => match chunks.recv() {
                        Ok(message) => message,
                        Err(_) => break,
                    },
                };
                if let Err(e) = inner.write_all(&chunk.bytes()[..len]) {
                    return (inner, Err(e));
                }
                let _ = give_back.try_send((chunk, 0));
            }
            let result = inner.flush();
            (inner, result)
        });
        PipeWriter { buf: C::fresh(), filled: 0, worker, help }
    }

    fn send(&mut self) -> io::Result<()> {
        if self.filled == 0 {
            return Ok(());
        }
        let next = self.worker.recycled().map_or_else(C::fresh, |(chunk, _)| chunk);
        let full = std::mem::replace(&mut self.buf, next);
        let len = std::mem::take(&mut self.filled);
        let sent = match &self.help {
            Some(help) => self.worker.send_helped((full, len), help.as_ref()),
            None => self.worker.send((full, len)),
        };
        if !sent {
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
    pub(crate) fn spare(&mut self, min: usize) -> io::Result<&mut [u8]> {
        if BUFFER_SIZE - self.filled < min.min(BUFFER_SIZE) {
            self.send()?;
        }
        Ok(&mut self.buf.bytes_mut()[self.filled..])
    }

    /// Marks the first `n` bytes of [`PipeWriter::spare`] as written.
    pub(crate) fn commit(&mut self, n: usize) -> io::Result<()> {
        self.filled = (self.filled + n).min(BUFFER_SIZE);
        if self.filled == BUFFER_SIZE {
            self.send()?;
        }
        Ok(())
    }

    /// Sends the last bytes, waits for the worker and returns the inner writer.
    pub(crate) fn finish(mut self) -> io::Result<W> {
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

/// Pending work that any thread may run.
pub(crate) trait Help: Send + Sync {
    /// Runs one piece of pending work on the calling thread, if there is
    /// any and no other thread is running one; true if it ran one.
    fn help(&self, wait: bool) -> bool;
    /// Waits until work is queued, at most `timeout`.
    fn wait(&self, timeout: std::time::Duration);
}

/// A pipeline stage without a thread of its own: its writer queues full
/// buffers, and the threads on either side write them to `W`, in order,
/// whenever they would otherwise wait (the one before on a full queue, the
/// one after on an empty one; see [`PipeWriter::helped`]). Pack has three
/// CPU-heavy stages (hash the files, encrypt, hash the ciphertext) for two
/// cores: with a thread each, one core stood idle about 15 % of the time.
pub(crate) struct SharedStage<W: Write + Send + 'static> {
    buf: Vec<u8>,
    filled: usize,
    shared: Arc<Stage<W>>,
}

/// Full buffers waiting, in order (each with its length), and emptied ones for reuse.
type Queue = (VecDeque<(Vec<u8>, usize)>, Vec<Vec<u8>>);

struct Stage<W> {
    /// Full buffers waiting, in order, and emptied ones for reuse.
    queue: Mutex<Queue>,
    /// The writer and its first error; held while a buffer is written, so
    /// buffers reach it one at a time and in order.
    inner: Mutex<(W, Option<io::Error>)>,
    /// Whether the writer failed: checked on every buffer queued, without
    /// waiting for the lock above (another thread may be writing meanwhile).
    failed: AtomicBool,
    /// Signalled when a buffer is queued.
    queued: Condvar,
}

/// A lock, even if a thread panicked while holding it (that panic is
/// reported where it happened; the data is only buffers and a writer).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl<W: Write + Send + 'static> Stage<W> {
    /// Writes the oldest queued buffer; `wait`: even if another thread is
    /// writing one just now (then after it).
    fn run_one(&self, wait: bool) -> bool {
        let mut inner = if wait {
            lock(&self.inner)
        } else {
            match self.inner.try_lock() {
                Ok(inner) => inner,
                Err(std::sync::TryLockError::Poisoned(p)) => p.into_inner(),
                Err(std::sync::TryLockError::WouldBlock) => return false,
            }
        };
        let Some((chunk, len)) = lock(&self.queue).0.pop_front() else { return false };
        let (writer, error) = &mut *inner;
        if error.is_none() {
            if let Err(e) = writer.write_all(&chunk[..len]) {
                *error = Some(e);
                self.failed.store(true, Ordering::SeqCst);
            }
        }
        drop(inner);
        lock(&self.queue).1.push(chunk);
        true
    }
}

impl<W: Write + Send + 'static> Help for Stage<W> {
    fn help(&self, wait: bool) -> bool {
        self.run_one(wait)
    }

    fn wait(&self, timeout: std::time::Duration) {
        let queue = lock(&self.queue);
        if queue.0.is_empty() {
            let _ = self.queued.wait_timeout(queue, timeout);
        }
    }
}

impl<W: Write + Send + 'static> SharedStage<W> {
    /// A stage writing into `inner`, and the handle other threads help it through.
    pub(crate) fn new(inner: W) -> (Self, Arc<dyn Help>) {
        let shared = Arc::new(Stage {
            queue: Mutex::new((VecDeque::new(), Vec::new())),
            inner: Mutex::new((inner, None)),
            failed: AtomicBool::new(false),
            queued: Condvar::new(),
        });
        let help: Arc<dyn Help> = shared.clone();
        (SharedStage { buf: Vec::fresh(), filled: 0, shared }, help)
    }

    /// Queues the filled buffer; writes queued ones itself while more than
    /// `DEPTH` wait (memory stays bounded when no one else helps).
    fn queue(&mut self) -> io::Result<()> {
        if self.shared.failed.load(Ordering::SeqCst) {
            let error = lock(&self.shared.inner).1.take();
            return Err(error.unwrap_or_else(|| io::Error::other("writing the archive failed before")));
        }
        if self.filled == 0 {
            return Ok(());
        }
        let mut queue = lock(&self.shared.queue);
        let next = queue.1.pop().unwrap_or_else(Vec::fresh);
        let full = std::mem::replace(&mut self.buf, next);
        queue.0.push_back((full, std::mem::take(&mut self.filled)));
        let backlog = queue.0.len();
        drop(queue);
        self.shared.queued.notify_one();
        if backlog > DEPTH {
            self.shared.run_one(true);
        }
        Ok(())
    }

    /// Writes everything still queued and returns the inner writer.
    pub(crate) fn finish(mut self) -> io::Result<W> {
        self.queue()?;
        while self.shared.run_one(true) {}
        let shared = Arc::try_unwrap(self.shared).map_err(|_| io::Error::other("a pipeline thread is still running"))?;
        let (inner, error) = shared.inner.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner());
        match error {
            Some(e) => Err(e),
            None => Ok(inner),
        }
    }
}

impl<W: Write + Send + 'static> Write for SharedStage<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let n = (BUFFER_SIZE - self.filled).min(data.len());
        self.buf[self.filled..self.filled + n].copy_from_slice(&data[..n]);
        self.filled += n;
        if self.filled == BUFFER_SIZE {
            self.queue()?;
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A reader whose bytes are read from `R` on a worker thread, ahead of use.
pub(crate) struct PipeReader<C: Chunk = Vec<u8>> {
    current: Option<C>,
    pos: usize,
    filled: usize,
    from_worker: Receiver<io::Result<(C, usize)>>,
    give_back: SyncSender<C>,
    done: bool,
}

impl PipeReader {
    /// Starts the worker thread that reads `inner` to its end.
    pub(crate) fn new<R: Read + Send + 'static>(inner: R) -> Self {
        Self::start(inner)
    }
}

impl<C: Chunk> PipeReader<C> {
    /// Starts the worker thread that reads `inner` to its end, into buffers
    /// of type `C`, each filled as far as `inner` goes.
    pub(crate) fn start<R: Read + Send + 'static>(mut inner: R) -> Self {
        let (to_main, from_worker) = sync_channel::<io::Result<(C, usize)>>(DEPTH);
        let (give_back, recycled) = sync_channel::<C>(DEPTH + 2);
        std::thread::spawn(move || loop {
            let mut chunk = recycled.try_recv().unwrap_or_else(|_| C::fresh());
            let mut filled = 0;
            let result = loop {
                match retry_interrupted(|| inner.read(&mut chunk.bytes_mut()[filled..])) {
                    Ok(0) => break Ok(()),
                    Ok(n) => {
                        filled += n;
                        if filled == BUFFER_SIZE {
                            break Ok(());
                        }
                    }
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
        let mut w: PipeWriter<_> = PipeWriter::start(Vec::new());
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
        let mut w: PipeWriter<_> = PipeWriter::start(Vec::new());
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
        let mut w: PipeWriter<_> = PipeWriter::start(FailAfter(BUFFER_SIZE));
        let big = vec![0u8; 10 * BUFFER_SIZE];
        let err = w.write_all(&big).and_then(|_| w.finish().map(|_| ())).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(28));
    }

    /// Records which thread wrote each piece, slowly (the shared stage is
    /// the bottleneck, so both threads around it must take turns).
    struct SlowRecorder {
        data: Vec<u8>,
        writers: std::collections::HashSet<std::thread::ThreadId>,
    }
    impl Write for SlowRecorder {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            std::thread::sleep(std::time::Duration::from_micros(300));
            self.writers.insert(std::thread::current().id());
            self.data.extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_shared_stage_keeps_the_order_whichever_thread_runs_it() {
        let data: Vec<u8> = (0..40 * BUFFER_SIZE + 4321).map(|i| (i * 13 % 251) as u8).collect();
        let (stage, help) = SharedStage::new(SlowRecorder { data: Vec::new(), writers: Default::default() });
        let mut w = PipeWriter::helped(stage, help);
        for piece in data.chunks(65_536 + 16) {
            w.write_all(piece).unwrap();
        }
        let recorder = w.finish().unwrap().finish().unwrap();
        assert!(recorder.data == data, "bytes changed or out of order");
        assert!(recorder.writers.len() >= 2, "only one thread ran the shared stage");
    }

    #[test]
    fn a_shared_stage_reports_its_writers_error() {
        let (stage, help) = SharedStage::new(FailAfter(3 * BUFFER_SIZE));
        let mut w = PipeWriter::helped(stage, help);
        let big = vec![0u8; 20 * BUFFER_SIZE];
        let err = w.write_all(&big).and_then(|_| w.finish()?.finish().map(|_| ())).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(28));
    }
}
