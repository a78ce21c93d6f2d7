//! Words for the export ledger (issue #16), kept apart from render.rs while
//! that file moves to the Fluent catalogue; the lead moves these there.

use hakobu::error::Error;
use hakobu::ops::ledger::LedgerProblem;

use super::render::{io_reason, path};

/// A ledger problem in words.
pub fn problem(p: &LedgerProblem) -> String {
    match p {
        LedgerProblem::BadLine { line } => format!("line {line} is not a ledger record"),
        LedgerProblem::Altered { line, seq, id } => {
            format!("record {seq} (line {line}, archive {id}) was altered: the next record's hash of it does not match")
        }
        LedgerProblem::Missing { line, from, to } if from == to => format!("record {from} is missing (before line {line})"),
        LedgerProblem::Missing { line, from, to } => format!("records {from} to {to} are missing (before line {line})"),
        LedgerProblem::TornTail { line } => {
            format!("line {line}, the last, was cut off while being written; the next pack sets it aside in the .torn file")
        }
    }
}

/// The title of a ledger error; `None` for every other error.
pub fn error_title(e: &Error) -> Option<String> {
    Some(match e {
        Error::LedgerUnwritable { path: p, archive_saved: false, source } => {
            format!("cannot write the export ledger {}: {}; nothing was written to the output", path(p), io_reason(source))
        }
        Error::LedgerUnwritable { path: p, archive_saved: true, source } => format!(
            "the archive was saved, but its record could not be added to the export ledger {}: {}; tell IT",
            path(p),
            io_reason(source)
        ),
        Error::LedgerBroken { path: p, problem: pr, problems } => {
            format!("the export ledger {} does not verify ({problems} problem(s)): {}", path(p), problem(pr))
        }
        Error::LedgerRecordNotFound { path: p, id } => format!("no record of archive {id} in the export ledger {}", path(p)),
        Error::LedgerTagRequired { field } => format!("IT's policy requires --{field} for every pack"),
        Error::BadReceipt { path: p, problem } => format!("refused the receipt file {}: {problem}; the ledger was not changed", path(p)),
        _ => return None,
    })
}

use hakobu::format::paths::escape_str;
use hakobu::ops::ledger::{Item, LostStickReport, Person, ReceiptResult, RecipientFacts, VerifyReport};

/// Japanese date and time in local time: 2026年12月3日 14時05分.
pub fn ja_time(rfc3339: &str) -> String {
    match rfc3339.parse::<jiff::Timestamp>() {
        Ok(t) => t.to_zoned_datetime(jiff::tz::TimeZone::system()).strftime("%Y年%-m月%-d日 %H時%M分").to_string(),
        Err(_) => escape_str(rfc3339),
    }
}

/// Local time for the English lines: 2026-12-03 14:05 +09:00.
pub fn local_time(rfc3339: &str) -> String {
    match rfc3339.parse::<jiff::Timestamp>() {
        Ok(t) => t.to_zoned_datetime(jiff::tz::TimeZone::system()).strftime("%Y-%m-%d %H:%M %:z").to_string(),
        Err(_) => escape_str(rfc3339),
    }
}

/// Explorer-style size in Japanese: 1.5 GB, 150 MB, 12 KB, 512 バイト.
pub fn ja_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return format!("{bytes} バイト");
    }
    let mut v = bytes as f64 / 1024.0;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    format!("{v:.1} {}", UNITS[u])
}

/// 1,234
pub fn grouped(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "user@host", or what is known of it.
pub fn person(p: &Person) -> String {
    let user = p.user.as_deref().map(escape_str).unwrap_or_else(|| "?".into());
    match &p.host {
        Some(h) => format!("{user}@{}", escape_str(h)),
        None => user,
    }
}

/// An addressee: office (or the key's fingerprint start), escrow marked.
pub fn recipient(r: &RecipientFacts) -> String {
    let who = match &r.office {
        Some(o) => escape_str(o),
        None => format!("key {}", &r.fingerprint[..r.fingerprint.len().min(16)]),
    };
    if r.escrow {
        format!("{who} (escrow)")
    } else {
        who
    }
}

fn ja_recipient(r: &RecipientFacts) -> String {
    let who = match &r.office {
        Some(o) => escape_str(o),
        None => format!("公開鍵 {}", &r.fingerprint[..r.fingerprint.len().min(16)]),
    };
    if r.escrow {
        format!("{who}（控えの鍵）")
    } else {
        who
    }
}

/// `ledger list`: one line per archive.
pub fn list_line(i: &Item) -> String {
    let to: Vec<String> = i.export.recipients.iter().filter(|r| !r.escrow).map(recipient).collect();
    let to = if i.export.passphrase { "passphrase".to_owned() } else { to.join(", ") };
    let received = match i.receipts.last() {
        Some(r) if r.result == ReceiptResult::Verified => "received",
        Some(_) => "refused",
        None => "-",
    };
    format!(
        "{:>5}  {}  {}  {}  {}  {} files  {}  {}",
        i.seq,
        local_time(&i.export.time),
        &i.export.id,
        person(&i.export.sender),
        to,
        i.export.files,
        super::render::size(i.export.archive.bytes),
        received
    )
}

/// `ledger show`: every field of one record.
pub fn show(i: &Item) -> Vec<String> {
    let e = &i.export;
    let mut out = vec![
        format!("{:<14} {}", "archive id", e.id),
        format!("{:<14} {} (record {})", "packed", local_time(&e.time), i.seq),
        format!("{:<14} {}", "sender", person(&e.sender)),
    ];
    for (n, r) in e.recipients.iter().enumerate() {
        out.push(format!("{:<14} {} [{} {}]", if n == 0 { "recipients" } else { "" }, recipient(r), r.kind, r.fingerprint));
    }
    if e.passphrase {
        out.push(format!("{:<14} a passphrase", "opens with"));
    }
    out.push(format!("{:<14} {} files, {} folders, {}", "contents", e.files, e.folders, super::render::size(e.data_bytes)));
    out.push(format!(
        "{:<14} {} in {} file(s), SHA-256 {}",
        "archive",
        super::render::size(e.archive.bytes),
        e.archive.volumes.len(),
        e.archive.sha256
    ));
    let removable = match e.medium.removable {
        Some(true) => "removable",
        Some(false) => "fixed",
        None => "removable: unknown",
    };
    out.push(format!("{:<14} {}, {}", "medium", e.medium.fs, removable));
    out.push(format!("{:<14} {}", "algorithms", e.algorithms.join(", ")));
    if let Some(p) = &e.purpose {
        out.push(format!("{:<14} {}", "purpose", escape_str(p)));
    }
    if !e.categories.is_empty() {
        out.push(format!("{:<14} {}", "categories", e.categories.iter().map(|c| escape_str(c)).collect::<Vec<_>>().join(", ")));
    }
    out.push(format!("{:<14} {}", "hakobu", escape_str(&e.hakobu)));
    if i.receipts.is_empty() {
        out.push(format!("{:<14} none yet", "receipts"));
    }
    for r in &i.receipts {
        let res = match r.result {
            ReceiptResult::Verified => "arrived, verified".to_owned(),
            ReceiptResult::Refused => format!("refused ({})", r.reason.as_deref().unwrap_or("?")),
        };
        out.push(format!("{:<14} {} {} by {} ({})", "receipt", local_time(&r.time), res, person(&r.receiver), r.source));
    }
    out
}

/// `ledger verify`: the summary line.
pub fn verify_lines(r: &VerifyReport) -> Vec<String> {
    let mut out = Vec::new();
    if r.problems.is_empty() {
        out.push(format!("the export ledger {} verifies: {} records, chain intact", path(&r.path), r.records));
    } else {
        out.push(format!("the export ledger {} does NOT verify: {} problem(s)", path(&r.path), r.problems.len()));
        for p in &r.problems {
            out.push(format!("  {}", problem(p)));
        }
    }
    out.push(format!("last record's hash: {} (keep a copy elsewhere: it shows the newest records were not cut off)", r.head));
    out
}

/// The CSV headers of the paper 持出し台帳.
pub const CSV_HEADERS: [&str; 14] = [
    "No.",
    "持出し日時",
    "持出し者",
    "端末",
    "宛先",
    "目的",
    "データ区分",
    "ファイル数",
    "フォルダー数",
    "合計サイズ",
    "アーカイブID",
    "媒体",
    "暗号化",
    "受領確認",
];

fn csv_field(s: &str) -> String {
    // Quote every field; a leading = + - @ is prefixed with ' so Excel never runs it as a formula.
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_owned() };
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// The whole CSV: BOM, header line, one line per archive, CRLF line ends.
pub fn csv(items: &[Item]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&CSV_HEADERS.iter().map(|h| csv_field(h)).collect::<Vec<_>>().join(","));
    out.push_str("\r\n");
    for i in items {
        let e = &i.export;
        let to: Vec<String> = e.recipients.iter().map(ja_recipient).collect();
        let to = if e.passphrase { "パスフレーズ".to_owned() } else { to.join("、") };
        let medium = format!(
            "{}{}",
            match e.medium.fs.as_str() {
                "fat" => "FAT32",
                "exfat" => "exFAT",
                "other" => "その他",
                _ => "不明",
            },
            match e.medium.removable {
                Some(true) => "（取り外し可能）",
                Some(false) => "（固定ディスク）",
                None => "",
            }
        );
        let receipt = match i.receipts.last() {
            Some(r) if r.result == ReceiptResult::Verified => format!("受領済み {}", ja_time(&r.time)),
            Some(r) => format!("受け取り拒否 {}", ja_time(&r.time)),
            None => "未確認".to_owned(),
        };
        let row = [
            i.seq.to_string(),
            ja_time(&e.time),
            e.sender.user.clone().unwrap_or_default(),
            e.sender.host.clone().unwrap_or_default(),
            to,
            e.purpose.clone().unwrap_or_default(),
            e.categories.join("、"),
            e.files.to_string(),
            e.folders.to_string(),
            ja_size(e.data_bytes),
            e.id.clone(),
            medium,
            "あり".to_owned(),
            receipt,
        ];
        out.push_str(&row.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

fn ja_role(role: &str) -> &'static str {
    match role {
        "key-agreement" => "鍵共有",
        "key-encapsulation" => "鍵カプセル化",
        "key-wrapping" => "鍵の暗号化",
        "passphrase-kdf" => "パスフレーズからの鍵導出",
        "key-derivation" => "鍵導出",
        "encryption" => "データの暗号化と改ざん検知",
        "checksum" => "チェックサム",
        _ => "その他",
    }
}

fn ja_algorithm(code: &str) -> &'static str {
    match code {
        "x25519" => "X25519",
        "scrypt" => "scrypt",
        "hkdf-sha-256" => "HKDF-SHA-256",
        "chacha20-poly1305" => "ChaCha20-Poly1305",
        "sha-256" => "SHA-256",
        "ssh" => "SSH 公開鍵（RSA-OAEP または Ed25519/X25519）",
        "p256" => "ECDH P-256",
        "ml-kem-768" => "ML-KEM-768",
        _ => "プラグイン方式",
    }
}

fn ja_unknowable(code: &str) -> &'static str {
    match code {
        "passphrase-handover" => "パスフレーズが安全な方法で伝えられたか（パスフレーズで保護した場合）",
        "key-leaked-elsewhere" => "宛先の鍵ファイルやパスフレーズが、ほかの経路で漏れていないか",
        "copies-elsewhere" => "同じデータが暗号化されずに別の媒体やメールで持ち出されていないか",
        "contents-beyond-record" => "ファイルの中身（持出し記録には書かれません。ファイル名は監査用の一覧がある場合だけ分かります）",
        _ => "その他",
    }
}

/// `ledger report ID` in Japanese: the lost-stick report's facts, in the order of the PPC's form.
pub fn report_ja(r: &LostStickReport) -> Vec<String> {
    let mut o = Vec::new();
    o.push("USBメモリ紛失時の報告用情報（hakobu 持出し記録より）".to_owned());
    o.push(String::new());
    o.push(format!("アーカイブID: {}", r.id));
    o.push(format!("持出し日時: {}", ja_time(&r.time)));
    o.push(format!("持出し者: {}", person(&r.sender)));
    if let Some(p) = &r.purpose {
        o.push(format!("目的: {}", escape_str(p)));
    }
    o.push(String::new());
    o.push("■ 漏えい等が発生し、又は発生したおそれがある個人データの項目".to_owned());
    if r.categories.is_empty() {
        o.push("  データ区分: 記録されていません（暗号化する際に --category で指定されませんでした）".to_owned());
    } else {
        o.push(format!("  データ区分: {}", r.categories.iter().map(|c| escape_str(c)).collect::<Vec<_>>().join("、")));
    }
    o.push("■ 漏えい等が発生し、又は発生したおそれがある個人データに係る本人の数（hakobu が知っているのはファイルの数です。本人の数はファイルの中身から数えてください）".to_owned());
    o.push(format!("  {} 個のファイル、{} 個のフォルダー、合計 {}", grouped(r.files), grouped(r.folders), ja_size(r.data_bytes)));
    o.push(format!("  アーカイブ: {}（{} 個のファイルに保存、SHA-256 {}）", ja_size(r.archive_bytes), r.volumes, r.archive_sha256));
    if r.audit_copy {
        o.push(
            "  ファイル名の一覧: 持出し記録に、監査用の鍵でのみ開ける暗号化した一覧があります（情報システム担当が確認できます）。"
                .to_owned(),
        );
    }
    o.push("■ 高度な暗号化その他の個人の権利利益を保護するために必要な措置".to_owned());
    o.push("  暗号化: あり。媒体には暗号化したアーカイブとチェックサムファイルのみを保存しました。".to_owned());
    if r.passphrase {
        o.push("  開き方: パスフレーズ（知っている人は hakobu には分かりません）".to_owned());
    } else {
        o.push("  開き方: 次の宛先の鍵でのみ開けます（鍵は宛先ごとに別に管理され、媒体にはありません）".to_owned());
    }
    for a in &r.algorithms {
        o.push(format!("  {}: {}（{}）", ja_role(a.role), ja_algorithm(&a.code), a.standard));
    }
    o.push("■ 鍵の管理".to_owned());
    if r.key_holders.is_empty() {
        o.push("  宛先の鍵: なし（パスフレーズで保護）".to_owned());
    }
    for k in &r.key_holders {
        o.push(format!("  {}（公開鍵の SHA-256: {}）", ja_recipient(k), k.fingerprint));
    }
    o.push("  秘密鍵はアーカイブに含まれていません（hakobu は暗号化する前にファイルを検査し（16 KB 以下のもの）、秘密鍵を見つけると中止します）。".to_owned());
    if r.key_on_medium {
        o.push("  注意: 暗号化した時点で、同じ媒体に鍵ファイル（またはそれらしいファイル）がありました。".to_owned());
    } else {
        o.push("  暗号化した時点で、同じ媒体に鍵ファイルは見つかりませんでした。".to_owned());
    }
    o.push("■ 受領確認".to_owned());
    if r.receipts.is_empty() {
        o.push("  受け取る事務所からの受領確認は記録されていません。".to_owned());
    }
    for rc in &r.receipts {
        let res = match rc.result {
            ReceiptResult::Verified => "展開して検証しました",
            ReceiptResult::Refused => "受け取りを拒否しました",
        };
        o.push(format!("  {} {}（{}）", ja_time(&rc.time), res, person(&rc.receiver)));
    }
    o.push("■ 持出し記録の検証".to_owned());
    o.push(
        if r.ledger_verified {
            "  持出し記録は改ざんされていないことを確認しました（ハッシュ連鎖が一致）。"
        } else {
            "  注意: 持出し記録の検証に失敗しました。この記録は書き換えられた可能性があります（hakobu ledger verify）。"
        }
        .to_owned(),
    );
    o.push("■ hakobu には分からないこと".to_owned());
    for u in &r.unknowable {
        o.push(format!("  ・{}", ja_unknowable(u)));
    }
    o.push(String::new());
    o.push(format!("hakobu {} / 媒体: {}", escape_str(&r.hakobu), r.medium.fs));
    o
}

/// A ledger notice in words; `None` for every other notice.
pub fn notice(n: &hakobu::ops::Notice) -> Option<String> {
    match n {
        hakobu::ops::Notice::ReceiptNotRecorded { ledger, detail } => Some(format!(
            "the files were unpacked and verified, but the receipt could not be written to {}: {}",
            path(ledger),
            escape_str(detail)
        )),
        _ => None,
    }
}
