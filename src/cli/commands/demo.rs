//! `hakobu demo`: the main job run end to end on made-up data, so a newcomer
//! (or IT evaluating hakobu) sees what it does (issue #12 §15). It calls the
//! same operations as `keygen`, `pack`, `verify` and `unpack` — no
//! simulation — in a throw-away folder, with its own empty address book: the
//! user's key and config are never read or changed.

use std::path::{Path, PathBuf};

use hakobu::error::IoAction;
use hakobu::ops::keygen::KeygenRequest;
use hakobu::ops::pack::PackRequest;
use hakobu::ops::unpack::UnpackRequest;
use hakobu::ops::Context;
use hakobu::{Error, Result};

use crate::cli::render::{count_files, path, size};
use crate::cli::term::out;
use crate::cli::Ui;
use crate::tr;

/// Family and given names for the synthetic member list: invented rows, never real data.
const FAMILY: [&str; 10] = ["山田", "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "中村", "小林", "加藤"];
const GIVEN: [&str; 10] = ["太郎", "花子", "一郎", "由美", "健太", "さくら", "翔", "陽子", "大輔", "美咲"];

pub fn run(ctx: &Context, ui: Ui, keep: bool) -> Result<()> {
    let dir =
        tempfile::Builder::new().prefix("hakobu-demo-").tempdir().map_err(|e| Error::io(IoAction::Create, std::env::temp_dir(), e))?;
    let root = dir.path().to_owned();
    let result = steps(ctx, ui, &root);
    if keep {
        let kept = dir.keep();
        out(&tr!("demo-kept", path = path(&kept)));
    } else {
        let gone = dir.close();
        if result.is_ok() {
            gone.map_err(|e| Error::io(IoAction::Remove, &root, e))?;
            out(&tr!("demo-removed"));
        }
    }
    result
}

fn steps(base: &Context, ui: Ui, root: &Path) -> Result<()> {
    let data = root.join("このPC").join("会員名簿");
    let stick = root.join("USBメモリ");
    let received = root.join("受け取る事務所のPC");
    let key = root.join("受け取る事務所の鍵").join("identity.txt");
    let signing_key = root.join("送る事務所の署名鍵").join("signing_key");
    let config = root.join("config.toml");
    for d in [&data, &stick, &received] {
        std::fs::create_dir_all(d).map_err(|e| Error::io(IoAction::Create, d, e))?;
    }
    // An empty address book of the demo's own: never the user's.
    // Its own ledger too: the demo's pack never lands in the user's export ledger.
    let ledger = toml::Value::String(root.join("持出し記録.jsonl").to_string_lossy().into_owned());
    write(&config, format!("# hakobu demo: an empty address book\n[ledger]\npath = {ledger}\n").as_bytes())?;
    let ctx = Context { config_path: Some(config.clone()), default_key: None, ..base.clone() };
    out(&tr!("demo-where", path = path(root)));

    let members = data.join("名簿.csv");
    write(&members, member_list().as_bytes())?;
    write(&data.join("説明.txt"), "架空のデータです。実在の人物とは関係ありません。\n".as_bytes())?;
    out(&tr!("demo-step-members", path = path(&members)));

    let made = hakobu::ops::keygen::keygen(&ctx, &KeygenRequest { output: Some(key.clone()), no_passphrase: true, sign: false })?;
    out(&tr!("demo-step-key", path = path(&made.path), public = made.recipient.clone()));
    // The sending office signs, and the receiving side knows its key
    // ([senders]): so verify and unpack can say who made the archive
    // instead of warning that nobody knows (issue #25 §5).
    let signer = hakobu::ops::keygen::keygen(&ctx, &KeygenRequest { output: Some(signing_key.clone()), no_passphrase: true, sign: true })?;
    let sender = toml::Value::String(tr!("demo-sender"));
    let sender_key = toml::Value::String(signer.recipient.clone());
    write(
        &config,
        format!("# hakobu demo: an empty address book\n[ledger]\npath = {ledger}\n\n[senders]\n{sender} = [{sender_key}]\n").as_bytes(),
    )?;
    out(&tr!("demo-step-sign-key", path = path(&signer.path)));

    let prepared = hakobu::ops::pack::prepare(
        &ctx,
        &PackRequest {
            sources: vec![data.clone()],
            out_dir: stick.clone(),
            to: Vec::new(),
            recipients: vec![made.recipient.clone()],
            recipients_files: Vec::new(),
            passphrase: false,
            name: None,
            armor: false,
            no_verify: false,
            split: None,
            purpose: None,
            categories: Vec::new(),
            sign: Some(signing_key.clone()),
        },
    )?;
    let packed = hakobu::ops::pack::execute(&ctx, prepared)?.report;
    out(&tr!("demo-step-pack", files = count_files(packed.files), path = path(&packed.path), size = size(packed.bytes)));
    out(&tr!("demo-step-pack-stick", sidecar = path(&packed.sidecar)));

    let report = hakobu::ops::verify::verify(&ctx, &packed.path, &[])?;
    if !report.ok {
        return Err(report.error.unwrap_or(Error::SidecarMismatch { path: packed.path.clone() }));
    }
    out(&tr!("demo-step-verify"));

    // The demo says who signed in its own words (above); the unpack's own
    // "made by …" line would say it twice.
    let unpack_ctx = Context { progress: std::sync::Arc::new(hakobu::ops::progress::Silent), ..ctx.clone() };
    let unpacked = hakobu::ops::unpack::unpack(
        &unpack_ctx,
        &UnpackRequest {
            archive: packed.path.clone(),
            dest: received.clone(),
            identities: vec![key.clone()],
            force: false,
            allow_removable_destination: false,
            receipt_file: false,
        },
    )?;
    out(&tr!("demo-step-unpack", files = count_files(unpacked.files), path = path(&unpacked.dest)));

    let copy = received.join("会員名簿");
    let same = same_tree(&data, &copy)?;
    if !same {
        return Err(Error::ChecksumMismatch { path: copy.display().to_string(), what: hakobu::error::Mismatch::Sha256 });
    }
    out(&tr!("demo-step-compare", path = path(&copy)));
    if !ui.quiet {
        out(&tr!("demo-done"));
    }
    Ok(())
}

/// 番号,氏名,生年月日,保険者番号 for 20 invented members.
fn member_list() -> String {
    let mut csv = String::from("番号,氏名,生年月日,保険者番号\n");
    for i in 0..20u32 {
        let name = format!("{} {}", FAMILY[(i % 10) as usize], GIVEN[((i * 7 + 3) % 10) as usize]);
        let born = format!("{}-{:02}-{:02}", 1950 + (i * 3) % 50, 1 + (i * 5) % 12, 1 + (i * 11) % 28);
        csv.push_str(&format!("{:04},{name},{born},{:08}\n", i + 1, 6_100_000 + i * 137));
    }
    csv
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|e| Error::io(IoAction::Write, path, e))
}

/// Whether two folders hold the same names with the same bytes.
fn same_tree(a: &Path, b: &Path) -> Result<bool> {
    let list = |dir: &Path| -> Result<Vec<PathBuf>> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| Error::io(IoAction::Read, dir, e))?
            .flatten()
            .map(|e| PathBuf::from(e.file_name()))
            .collect();
        names.sort();
        Ok(names)
    };
    let (left, right) = (list(a)?, list(b)?);
    if left != right {
        return Ok(false);
    }
    for name in left {
        let (x, y) = (a.join(&name), b.join(&name));
        if x.is_dir() {
            if !y.is_dir() || !same_tree(&x, &y)? {
                return Ok(false);
            }
        } else {
            let read = |p: &Path| std::fs::read(p).map_err(|e| Error::io(IoAction::Read, p, e));
            if y.is_dir() || read(&x)? != read(&y)? {
                return Ok(false);
            }
        }
    }
    Ok(true)
}
