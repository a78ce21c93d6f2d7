//! hakobu's integration tests: one test binary (link once), modules by theme.
//! Each test drives the real binary on real files in a temporary folder.

mod support;

mod core;
mod corruption;
mod craft;
mod faults;
mod hostile;
mod hostile_input;
mod i18n;
mod interop;
mod keys;
// Keys told by content, in any case and encoding; key files Go age refuses (#32).
pub mod key_detect;
mod ledger;
mod line_breaks;
mod matrix;
mod media;
// The office's day (#25): IT's guide, a drop, a receipt, a lost stick; Linux and Wine.
#[cfg(target_os = "linux")]
mod office_day;
mod ops;
mod output_ux;
mod pack_rules;
mod prompts;
mod safearchive;
mod stick;
// Mounted FAT32/exFAT images and a FUSE "lying stick": Linux only.
mod direct_io;
mod docs_ja;
mod fuzz_corpus;
pub mod guided;
mod signatures;
mod smallfiles;
#[cfg(target_os = "linux")]
mod stick_media;
#[cfg(target_os = "linux")]
mod stick_mounts;
#[cfg(target_os = "linux")]
mod stick_scan;
mod testkit;
#[cfg(target_os = "linux")]
mod windows_wine;
// The installer (issue #30), in the Windows lane.
#[cfg(target_os = "linux")]
mod installer;
