//! hakobu's integration tests: one test binary (link once), modules by theme.
//! Each test drives the real binary on real files in a temporary folder.

mod support;

mod core;
mod faults;
mod stick;
mod media;
mod pack_rules;
mod corruption;
mod matrix;
mod craft;
mod hostile;
mod safearchive;
mod interop;
mod keys;
// Mounted FAT32/exFAT images and a FUSE "lying stick": Linux only.
#[cfg(target_os = "linux")]
mod stick_mounts;
#[cfg(target_os = "linux")]
mod stick_media;
mod testkit;
mod fuzz_corpus;
mod smallfiles;
mod direct_io;
