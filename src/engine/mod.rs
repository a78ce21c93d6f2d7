//! The streaming pipelines under the operations: pack (plan, stream, read
//! back, commit), unpack (staging, checks, release) and verify.

pub mod pack;
pub mod unpack;
pub mod verify;
