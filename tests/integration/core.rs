//! The 0.1 core, as a user meets it: keygen, pack, list, unpack, verify.

use crate::support::*;

#[test]
fn round_trip_small_tree() {
    let s = Session::new();
    write(&s.path("src/本社/会員.csv"), "氏名,番号\n山田太郎,0001\n".as_bytes());
    std::fs::create_dir_all(s.path("src/空のフォルダ")).unwrap();
    write(&s.path("src/empty.txt"), b"");
    let archive = s.pack(&["src"], "stick");
    let out = s.unpack(&archive, "received");
    assert!(out.status.success(), "{}", explain(s.dir.path(), &["unpack"], &out, "unpack"));
    assert_same_tree(&s.path("src"), &s.path("received/src"));
}
