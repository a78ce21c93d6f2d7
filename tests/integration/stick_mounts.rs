//! The lying stick for the issue #4 tests: an in-process FUSE file system
//! that keeps what is written but returns other bytes past an offset, so
//! that only a read that bypasses the page cache notices. A guard whose Drop
//! unmounts it, also when the test panics. In CI (env CI set) failing to
//! mount fails the test; elsewhere the test is skipped with a loud NOTICE.
//! Real FAT32 and exFAT sticks come from `crate::stick::Medium`.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tempfile::TempDir;

use crate::stick::is_mount_point;
use crate::support::notice;

/// A mounted lying stick; unmounted on drop (fuser unmounts its session).
pub struct Mounted {
    /// Write here as onto the stick.
    pub dir: PathBuf,
    _session: fuser::BackgroundSession,
    // Dropped after the session, i.e. after the unmount.
    _holder: TempDir,
}

impl Mounted {
    /// A lying stick: reads of the bytes in `bad` (offsets in any file) return
    /// them flipped; keep it page-aligned and inside the files written, so the
    /// kernel holds those pages whole in its cache.
    pub fn lying(bad: std::ops::Range<u64>) -> Option<Mounted> {
        Self::mount(bad, false)
    }

    /// A two-faced stick (issue #31): a file `X` written beside a file
    /// `.second-face-X` of the same length answers its first open with its
    /// own bytes and every later open with the second face's, as a malicious
    /// USB device may answer a second read differently. No page cache
    /// (direct I/O to this file system), so every read reaches it.
    pub fn two_faced() -> Option<Mounted> {
        Self::mount(0..0, true)
    }

    fn mount(bad: std::ops::Range<u64>, two_faced: bool) -> Option<Mounted> {
        let holder = tempfile::Builder::new().prefix("hakobu-lying-").tempdir().unwrap();
        let dir = holder.path().join("stick");
        std::fs::create_dir(&dir).unwrap();
        let mut config = fuser::Config::default();
        config.mount_options = vec![fuser::MountOption::FSName("lyingstick".into()), fuser::MountOption::DefaultPermissions];
        let fs = LyingFs { bad, two_faced, state: Mutex::new(State { nodes: HashMap::new(), next: 2, opens: HashMap::new() }) };
        match fuser::spawn_mount(fs, &dir, &config) {
            Ok(session) => {
                for _ in 0..100 {
                    if is_mount_point(&dir) {
                        return Some(Mounted { dir, _session: session, _holder: holder });
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
                panic!("{} never showed up as mounted", dir.display());
            }
            Err(e) => {
                let why = e.to_string();
                if std::env::var_os("CI").is_some() {
                    panic!("cannot mount the lying FUSE stick in CI: {why}");
                }
                notice(&format!("NOTICE: skipping: cannot mount the lying FUSE stick here ({why}); run scripts/test as root"));
                None
            }
        }
    }
}

// ----- the lying stick -----

use fuser::{
    Errno, FileAttr, FileHandle, FileType, Filesystem, FopenFlags, Generation, INodeNo, LockOwner, OpenFlags, RenameFlags, ReplyAttr,
    ReplyCreate, ReplyData, ReplyDirectory, ReplyEmpty, ReplyEntry, ReplyOpen, ReplyStatfs, ReplyWrite, Request, TimeOrNow, WriteFlags,
};

struct Node {
    name: String,
    data: Vec<u8>,
}

struct State {
    nodes: HashMap<u64, Node>,
    next: u64,
    /// Opens of each file so far (two-faced mode).
    opens: HashMap<u64, u64>,
}

/// One flat folder of files kept in memory. Writes are stored faithfully;
/// reads return the bytes in `bad` flipped, as a fake-capacity stick returns
/// garbage where its real capacity ends. The kernel keeps written pages
/// cached (FOPEN_KEEP_CACHE), so only a read after dropping them sees the lie.
struct LyingFs {
    bad: std::ops::Range<u64>,
    two_faced: bool,
    state: Mutex<State>,
}

/// The name of the second face of `name`.
const SECOND_FACE: &str = ".second-face-";

// Long: the kernel then trusts its own view of sizes and times (it made all
// the writes) and keeps its cached pages instead of revalidating them.
const TTL: Duration = Duration::from_secs(3600);

fn attr(ino: u64, kind: FileType, size: u64) -> FileAttr {
    // A fixed time: a changing mtime would make the kernel drop its cached
    // pages on every getattr, and the lie would show without any fadvise.
    let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    FileAttr {
        ino: INodeNo(ino),
        size,
        blocks: size.div_ceil(512),
        atime: now,
        mtime: now,
        ctime: now,
        crtime: UNIX_EPOCH,
        kind,
        perm: if kind == FileType::Directory { 0o755 } else { 0o644 },
        nlink: if kind == FileType::Directory { 2 } else { 1 },
        uid: 0,
        gid: 0,
        rdev: 0,
        flags: 0,
        blksize: 4096,
    }
}

impl LyingFs {
    fn find(&self, name: &OsStr) -> Option<(u64, u64)> {
        let st = self.state.lock().unwrap();
        st.nodes.iter().find(|(_, n)| OsStr::new(&n.name) == name).map(|(i, _)| (*i, self.face(&st, *i, None).data.len() as u64))
    }

    /// What file `ino` shows through open `fh` (None: to whoever opens it
    /// next, or asks its size): itself on the first open, its second face after.
    fn face<'a>(&self, st: &'a State, ino: u64, fh: Option<u64>) -> &'a Node {
        let node = &st.nodes[&ino];
        let opened = st.opens.get(&ino).copied().unwrap_or(0);
        let later = match fh {
            Some(fh) => fh > 1,
            None => opened >= 1,
        };
        if self.two_faced && later {
            let face = format!("{SECOND_FACE}{}", node.name);
            if let Some(second) = st.nodes.values().find(|m| m.name == face) {
                return second;
            }
        }
        node
    }

    /// How long the kernel may trust what it was told: a two-faced file's
    /// size changes with its face, so not at all.
    fn ttl(&self) -> Duration {
        if self.two_faced {
            Duration::ZERO
        } else {
            TTL
        }
    }
}

impl Filesystem for LyingFs {
    fn lookup(&self, _req: &Request, parent: INodeNo, name: &OsStr, reply: ReplyEntry) {
        match (u64::from(parent), self.find(name)) {
            (1, Some((ino, size))) => reply.entry(&self.ttl(), &attr(ino, FileType::RegularFile, size), Generation(0)),
            _ => reply.error(Errno::ENOENT),
        }
    }

    fn getattr(&self, _req: &Request, ino: INodeNo, fh: Option<FileHandle>, reply: ReplyAttr) {
        let ino = u64::from(ino);
        if ino == 1 {
            return reply.attr(&TTL, &attr(1, FileType::Directory, 0));
        }
        let st = self.state.lock().unwrap();
        if !st.nodes.contains_key(&ino) {
            return reply.error(Errno::ENOENT);
        }
        let size = self.face(&st, ino, fh.map(u64::from)).data.len() as u64;
        reply.attr(&self.ttl(), &attr(ino, FileType::RegularFile, size))
    }

    fn setattr(
        &self,
        _req: &Request,
        ino: INodeNo,
        _mode: Option<u32>,
        _uid: Option<u32>,
        _gid: Option<u32>,
        size: Option<u64>,
        _atime: Option<TimeOrNow>,
        _mtime: Option<TimeOrNow>,
        _ctime: Option<SystemTime>,
        _fh: Option<FileHandle>,
        _crtime: Option<SystemTime>,
        _chgtime: Option<SystemTime>,
        _bkuptime: Option<SystemTime>,
        _flags: Option<fuser::BsdFileFlags>,
        reply: ReplyAttr,
    ) {
        let ino = u64::from(ino);
        if ino == 1 {
            return reply.attr(&TTL, &attr(1, FileType::Directory, 0));
        }
        let mut st = self.state.lock().unwrap();
        match st.nodes.get_mut(&ino) {
            Some(n) => {
                if let Some(size) = size {
                    n.data.resize(size as usize, 0);
                }
                reply.attr(&TTL, &attr(ino, FileType::RegularFile, n.data.len() as u64))
            }
            None => reply.error(Errno::ENOENT),
        }
    }

    fn create(&self, _req: &Request, _parent: INodeNo, name: &OsStr, _mode: u32, _umask: u32, _flags: i32, reply: ReplyCreate) {
        if self.find(name).is_some() {
            return reply.error(Errno::EEXIST);
        }
        let mut st = self.state.lock().unwrap();
        let ino = st.next;
        st.next += 1;
        st.nodes.insert(ino, Node { name: name.to_string_lossy().into_owned(), data: Vec::new() });
        reply.created(&TTL, &attr(ino, FileType::RegularFile, 0), Generation(0), FileHandle(0), FopenFlags::FOPEN_KEEP_CACHE);
    }

    fn open(&self, _req: &Request, ino: INodeNo, _flags: OpenFlags, reply: ReplyOpen) {
        if !self.two_faced {
            return reply.opened(FileHandle(0), FopenFlags::FOPEN_KEEP_CACHE);
        }
        // The handle numbers the open: the first (1) sees the file, later ones the second face.
        let mut st = self.state.lock().unwrap();
        let n = st.opens.entry(u64::from(ino)).or_insert(0);
        *n += 1;
        reply.opened(FileHandle(*n), FopenFlags::FOPEN_DIRECT_IO);
    }

    fn read(
        &self,
        _req: &Request,
        ino: INodeNo,
        fh: FileHandle,
        offset: u64,
        size: u32,
        _flags: OpenFlags,
        _lock_owner: Option<LockOwner>,
        reply: ReplyData,
    ) {
        let st = self.state.lock().unwrap();
        if !st.nodes.contains_key(&u64::from(ino)) {
            return reply.error(Errno::ENOENT);
        }
        let n = self.face(&st, u64::from(ino), Some(u64::from(fh)));
        let start = (offset as usize).min(n.data.len());
        let end = (start + size as usize).min(n.data.len());
        let mut out = n.data[start..end].to_vec();
        for (i, b) in out.iter_mut().enumerate() {
            if self.bad.contains(&((start + i) as u64)) {
                *b ^= 0xff;
            }
        }
        reply.data(&out);
    }

    fn write(
        &self,
        _req: &Request,
        ino: INodeNo,
        _fh: FileHandle,
        offset: u64,
        data: &[u8],
        _write_flags: WriteFlags,
        _flags: OpenFlags,
        _lock_owner: Option<LockOwner>,
        reply: ReplyWrite,
    ) {
        let mut st = self.state.lock().unwrap();
        let Some(n) = st.nodes.get_mut(&u64::from(ino)) else { return reply.error(Errno::ENOENT) };
        let end = offset as usize + data.len();
        if n.data.len() < end {
            n.data.resize(end, 0);
        }
        n.data[offset as usize..end].copy_from_slice(data);
        reply.written(data.len() as u32);
    }

    fn flush(&self, _req: &Request, _ino: INodeNo, _fh: FileHandle, _lock_owner: LockOwner, reply: ReplyEmpty) {
        reply.ok();
    }

    fn fsync(&self, _req: &Request, _ino: INodeNo, _fh: FileHandle, _datasync: bool, reply: ReplyEmpty) {
        reply.ok();
    }

    fn fsyncdir(&self, _req: &Request, _ino: INodeNo, _fh: FileHandle, _datasync: bool, reply: ReplyEmpty) {
        reply.ok();
    }

    fn readdir(&self, _req: &Request, _ino: INodeNo, _fh: FileHandle, offset: u64, mut reply: ReplyDirectory) {
        let st = self.state.lock().unwrap();
        let mut entries: Vec<(u64, FileType, String)> = vec![(1, FileType::Directory, ".".into()), (1, FileType::Directory, "..".into())];
        let mut files: Vec<_> = st.nodes.iter().map(|(i, n)| (*i, FileType::RegularFile, n.name.clone())).collect();
        files.sort_by_key(|(i, _, _)| *i);
        entries.extend(files);
        for (i, (ino, kind, name)) in entries.into_iter().enumerate().skip(offset as usize) {
            if reply.add(INodeNo(ino), (i + 1) as u64, kind, name) {
                break;
            }
        }
        reply.ok();
    }

    fn unlink(&self, _req: &Request, _parent: INodeNo, name: &OsStr, reply: ReplyEmpty) {
        let Some((ino, _)) = self.find(name) else { return reply.error(Errno::ENOENT) };
        self.state.lock().unwrap().nodes.remove(&ino);
        reply.ok();
    }

    fn rename(
        &self,
        _req: &Request,
        _parent: INodeNo,
        name: &OsStr,
        _newparent: INodeNo,
        newname: &OsStr,
        flags: RenameFlags,
        reply: ReplyEmpty,
    ) {
        // Like many sticks' drivers: no renameat2 flags (hakobu falls back).
        if !flags.is_empty() {
            return reply.error(Errno::EINVAL);
        }
        let Some((ino, _)) = self.find(name) else { return reply.error(Errno::ENOENT) };
        if let Some((old, _)) = self.find(newname) {
            self.state.lock().unwrap().nodes.remove(&old);
        }
        self.state.lock().unwrap().nodes.get_mut(&ino).unwrap().name = newname.to_string_lossy().into_owned();
        reply.ok();
    }

    fn statfs(&self, _req: &Request, _ino: INodeNo, reply: ReplyStatfs) {
        // A 4 GiB stick, nearly empty: it claims more than it has, like a fake one.
        reply.statfs(1 << 20, 1 << 20, 1 << 20, 1000, 1000, 4096, 255, 4096);
    }

    fn access(&self, _req: &Request, _ino: INodeNo, _mask: fuser::AccessFlags, reply: ReplyEmpty) {
        reply.ok();
    }
}
