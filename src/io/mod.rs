//! How bytes reach the medium and come back: threaded pipes, direct I/O,
//! atomic durable files, hashing adapters, split volumes, free space and
//! file-system kinds.

pub mod atomic;
pub mod direct;
pub mod hashing;
pub mod medium;
pub mod pipe;
pub mod volumes;
