//! hakobu's integration tests: one test binary (link once), modules by theme.
//! Each test drives the real binary on real files in a temporary folder.

mod support;

mod core;
mod craft;
mod hostile;
mod safearchive;
mod interop;
mod stick_mounts;
mod stick_media;
