//! hakobu's integration tests: one test binary (link once), modules by theme.
//! Each test drives the real binary on real files in a temporary folder.

mod support;

mod core;
mod testkit;
mod fuzz_corpus;
