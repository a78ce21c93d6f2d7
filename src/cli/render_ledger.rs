//! Words for the export ledger (issue #16), from the catalogues. Two
//! outputs are Japanese whatever the language, by design: the CSV (the
//! columns of a paper 持出し台帳, for Excel) keeps its Japanese headers.

use hakobu::error::Error;
use hakobu::ops::ledger::LedgerProblem;

use super::render::{io_reason, path};
use crate::tr;

/// A ledger problem in words.
pub fn problem(p: &LedgerProblem) -> String {
    match p {
        LedgerProblem::BadLine { line } => tr!("ledger-problem-bad-line", line = line.to_string()),
        LedgerProblem::Altered { line, seq, id } => {
            tr!("ledger-problem-altered", line = line.to_string(), seq = seq.to_string(), id = id.to_string())
        }
        LedgerProblem::Missing { line, from, to } if from == to => {
            tr!("ledger-problem-missing-one", line = line.to_string(), seq = from.to_string())
        }
        LedgerProblem::Missing { line, from, to } => {
            tr!("ledger-problem-missing", line = line.to_string(), from = from.to_string(), to = to.to_string())
        }
        LedgerProblem::TornTail { line } => tr!("ledger-problem-torn-tail", line = line.to_string()),
        LedgerProblem::MissingNewline { line, seq } => {
            tr!("ledger-problem-missing-newline", line = line.to_string(), seq = seq.to_string())
        }
        LedgerProblem::TornKept { path: p, bytes } => tr!("ledger-problem-torn-kept", path = path(p), bytes = bytes.to_string()),
        LedgerProblem::HeadNotFound { head } => tr!("ledger-problem-head-not-found", head = escape_str(head)),
    }
}

/// The title of a ledger error; `None` for every other error.
pub fn error_title(e: &Error) -> Option<String> {
    Some(match e {
        Error::LedgerUnwritable { path: p, source } => tr!("error-ledger-unwritable", path = path(p), reason = io_reason(source)),
        Error::LedgerBroken { path: p, problem: pr, problems } => {
            tr!("error-ledger-broken", path = path(p), n = problems.to_string(), problem = problem(pr))
        }
        Error::LedgerRecordNotFound { path: p, id } => tr!("error-ledger-record-not-found", id = id.to_string(), path = path(p)),
        Error::LedgerTagRequired { field } => tr!("error-ledger-tag-required", field = field.to_string()),
        Error::BadReceipt { path: p, problem } => tr!("error-bad-receipt", path = path(p), problem = receipt_problem(problem)),
        Error::LedgerMissing { path: p } => tr!("error-ledger-missing", path = path(p)),
        Error::LedgerUnreadable { path: p, source } => tr!("error-ledger-unreadable", path = path(p), reason = io_reason(source)),
        Error::LedgerRecordAmbiguous { path: p, query, candidates } => tr!(
            "error-ledger-record-ambiguous",
            query = escape_str(query),
            path = path(p),
            count = candidates.len(),
            n = crate::cli::render::number(candidates.len() as u64)
        ),
        Error::LedgerHeadInvalid { head } => tr!("error-ledger-head-invalid", head = escape_str(head)),
        _ => return None,
    })
}

/// What to do after a ledger error; `None` for every other error.
pub fn hint(e: &Error) -> Option<String> {
    Some(match e {
        Error::LedgerMissing { .. } | Error::LedgerUnreadable { .. } => tr!("hint-ledger-missing"),
        Error::LedgerRecordNotFound { .. } => tr!("hint-ledger-record-not-found"),
        Error::LedgerHeadInvalid { .. } => tr!("hint-ledger-head-invalid"),
        Error::LedgerRecordAmbiguous { candidates, .. } => {
            let first = candidates.first()?;
            tr!("hint-ledger-record-ambiguous", seq = first.seq.to_string(), id = first.id.get(..8).unwrap_or(&first.id).to_owned())
        }
        _ => return None,
    })
}

/// The lines under a ledger error's title: the records an ambiguous query named.
pub fn details(e: &Error) -> Vec<String> {
    match e {
        Error::LedgerRecordAmbiguous { candidates, .. } => candidates
            .iter()
            .map(|c| {
                let mut line = format!("No. {}  {}  {}", c.seq, people_time(&c.time), escape_str(&c.id));
                if let Some(n) = &c.name {
                    line.push_str(&format!("  {}", escape_str(n)));
                }
                if let Some(l) = &c.label {
                    line.push_str(&tr!("report-medium-label", label = escape_str(l)));
                }
                line
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Why a receipt file was refused, in words, with its code for IT (#26 item 2: not `already-imported` alone).
fn receipt_problem(code: &str) -> String {
    let words = match code {
        "already-imported" => tr!("receipt-problem-already-imported"),
        "bad-field" => tr!("receipt-problem-bad-field"),
        "future-time" => tr!("receipt-problem-future-time"),
        "hash-mismatch" => tr!("receipt-problem-hash-mismatch"),
        "too-large" => tr!("receipt-problem-too-large"),
        "unknown-id" => tr!("receipt-problem-unknown-id"),
        "unsigned" => tr!("receipt-problem-unsigned"),
        "not-a-receipt" => tr!("receipt-problem-not-a-receipt"),
        "bad-signature" => tr!("receipt-problem-bad-signature"),
        "unknown-signer" => tr!("receipt-problem-unknown-signer"),
        _ => tr!("receipt-problem-other"),
    };
    tr!("receipt-problem", words = words, code = escape_str(code))
}

/// Where a receipt in the ledger came from (`local`, `imported`), in words.
fn receipt_source(source: &str) -> String {
    match source {
        "local" => tr!("receipt-source-local"),
        "imported" => tr!("receipt-source-imported"),
        other => escape_str(other),
    }
}

/// Why an arrival was refused, in words: the error's kind code (docs/ERRORS.md) read as a clerk would say it.
pub fn refusal(kind: Option<&str>) -> String {
    let kind = kind.unwrap_or("");
    let words = match kind {
        "wrong-key" => tr!("refusal-wrong-key"),
        "truncated" => tr!("refusal-truncated"),
        "corrupted" | "checksum-mismatch" | "sidecar-mismatch" | "bad-header" | "bad-layout" | "bad-manifest" => tr!("refusal-damaged"),
        "not-an-archive" => tr!("refusal-not-an-archive"),
        "unsafe-entry" => tr!("refusal-unsafe-entry"),
        "bad-volumes" | "volumes-uncounted" | "sidecar-missing" => tr!("refusal-incomplete"),
        "signature-refused" => tr!("refusal-signature"),
        _ => tr!("refusal-other"),
    };
    tr!("refusal", words = words, kind = escape_str(kind))
}

/// The same words in Japanese whatever the language (the CSV's).
fn ja_refusal(kind: Option<&str>) -> String {
    use i18n_embed_fl::fl;
    let kind = kind.unwrap_or("");
    let words = match kind {
        "wrong-key" => fl!(JA, "refusal-wrong-key"),
        "truncated" => fl!(JA, "refusal-truncated"),
        "corrupted" | "checksum-mismatch" | "sidecar-mismatch" | "bad-header" | "bad-layout" | "bad-manifest" => fl!(JA, "refusal-damaged"),
        "not-an-archive" => fl!(JA, "refusal-not-an-archive"),
        "unsafe-entry" => fl!(JA, "refusal-unsafe-entry"),
        "bad-volumes" | "volumes-uncounted" | "sidecar-missing" => fl!(JA, "refusal-incomplete"),
        "signature-refused" => fl!(JA, "refusal-signature"),
        _ => fl!(JA, "refusal-other"),
    };
    fl!(JA, "refusal", words = words, kind = escape_str(kind))
}

/// The Japanese catalogue alone: the CSV's words are the paper 持出し台帳's in every language.
static JA: std::sync::LazyLock<i18n_embed::fluent::FluentLanguageLoader> = std::sync::LazyLock::new(|| {
    use i18n_embed::LanguageLoader;
    let loader = i18n_embed::fluent::fluent_language_loader!();
    let ids: Vec<i18n_embed::unic_langid::LanguageIdentifier> = vec!["ja".parse().expect("valid"), "en-US".parse().expect("valid")];
    loader.load_languages(&super::i18n::Catalogues, &ids).expect("the catalogues are embedded");
    loader.set_use_isolating(false);
    loader
});

use hakobu::format::paths::escape_str;
use hakobu::ops::ledger::{self, Item, LostStickReport, Person, ReceiptResult, RecipientFacts, VerifyReport};

/// Japanese date and time in local time: 2026年12月3日 14時05分.
pub fn ja_time(rfc3339: &str) -> String {
    match ledger::local_time(rfc3339) {
        Some(t) => t.strftime("%Y年%-m月%-d日 %H時%M分").to_string(),
        None => escape_str(rfc3339),
    }
}

/// Local time for the English lines: 2026-12-03 14:05 +09:00.
pub fn local_time(rfc3339: &str) -> String {
    match ledger::local_time(rfc3339) {
        Some(t) => t.strftime("%Y-%m-%d %H:%M %:z").to_string(),
        None => escape_str(rfc3339),
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
        None => tr!("ledger-key-fingerprint", start = r.fingerprint[..r.fingerprint.len().min(16)].to_owned()),
    };
    if r.escrow {
        tr!("ledger-escrow", who = who)
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

/// How an archive arrived, in words: received, refused (and why), or not yet.
fn arrival(i: &Item) -> String {
    match i.arrival() {
        Some(r) if r.result == ReceiptResult::Verified => tr!("ledger-received"),
        Some(r) => tr!("ledger-refused", reason = refusal(r.reason.as_deref())),
        None => tr!("ledger-not-yet"),
    }
}

/// `ledger list`: a header line, then one line per archive, in columns
/// (padded by display width: Japanese takes two columns a character). The
/// record number tells two records of the same minute apart; the archive's
/// name (else its id's first 8 digits) and the stick's label are what a
/// lost-stick question starts from.
pub fn list_table(items: &[Item]) -> Vec<String> {
    let mut rows: Vec<Vec<String>> = vec![vec![
        tr!("ledger-col-no"),
        tr!("ledger-col-time"),
        tr!("ledger-col-label"),
        tr!("ledger-col-archive"),
        tr!("ledger-col-sender"),
        tr!("ledger-col-to"),
        tr!("ledger-col-files"),
        tr!("ledger-col-size"),
        tr!("ledger-col-arrival"),
    ]];
    for i in items {
        let e = &i.export;
        let to: Vec<String> = e.recipients.iter().filter(|r| !r.escrow).map(recipient).collect();
        let to = if e.passphrase { tr!("ledger-passphrase") } else { to.join(", ") };
        let archive = match &e.archive.name {
            Some(n) => escape_str(n),
            None => e.id.get(..8).unwrap_or(&e.id).to_owned(),
        };
        rows.push(vec![
            i.seq.to_string(),
            people_time(&e.time),
            e.medium.label.as_deref().map(escape_str).unwrap_or_else(|| "-".to_owned()),
            archive,
            person(&e.sender),
            to,
            super::render::count_files(e.files),
            super::render::size(e.archive.bytes),
            arrival(i),
        ]);
    }
    let width = |s: &str| unicode_width::UnicodeWidthStr::width(s);
    let columns = rows[0].len();
    let widths: Vec<usize> = (0..columns).map(|c| rows.iter().map(|r| width(&r[c])).max().unwrap_or(0)).collect();
    rows.iter()
        .map(|r| {
            let mut line = String::new();
            for (c, cell) in r.iter().enumerate() {
                if c > 0 {
                    line.push_str("  ");
                }
                // The number is right-aligned; the last column is not padded.
                let pad = " ".repeat(widths[c] - width(cell));
                match c {
                    0 => line.push_str(&format!("{pad}{cell}")),
                    _ if c + 1 == columns => line.push_str(cell),
                    _ => line.push_str(&format!("{cell}{pad}")),
                }
            }
            line
        })
        .collect()
}

/// `label value`, the labels padded to one column (Japanese is two columns a character).
fn field(label: &str, value: String) -> String {
    let pad = 14usize.saturating_sub(unicode_width::UnicodeWidthStr::width(label));
    format!("{label}{} {value}", " ".repeat(pad))
}

/// `ledger show`: every field of one record.
pub fn show(i: &Item) -> Vec<String> {
    let e = &i.export;
    let mut out = vec![
        field(&tr!("ledger-field-id"), e.id.clone()),
        field(&tr!("ledger-field-packed"), tr!("ledger-packed-at", time = people_time(&e.time), seq = i.seq.to_string())),
        field(&tr!("ledger-field-sender"), person(&e.sender)),
    ];
    if let Some(n) = &e.archive.name {
        out.push(field(&tr!("ledger-field-name"), escape_str(n)));
    }
    let volumes: Vec<String> = e.archive.volumes.iter().filter_map(|v| v.name.as_deref()).map(escape_str).collect();
    if volumes.len() > 1 {
        out.push(field(&tr!("ledger-field-volumes"), volumes.join(", ")));
    }
    for (n, r) in e.recipients.iter().enumerate() {
        let label = if n == 0 { tr!("ledger-field-recipients") } else { String::new() };
        out.push(field(&label, format!("{} [{} {}]", recipient(r), r.kind, r.fingerprint)));
    }
    if e.passphrase {
        out.push(field(&tr!("ledger-field-opens-with"), tr!("ledger-passphrase")));
    }
    let contents = tr!(
        "ledger-contents",
        files = super::render::count_files(e.files),
        folders = super::render::count_folders(e.folders),
        size = super::render::size(e.data_bytes)
    );
    out.push(field(&tr!("ledger-field-contents"), contents));
    let archive = tr!(
        "ledger-archive-facts",
        size = super::render::size(e.archive.bytes),
        n = e.archive.volumes.len().to_string(),
        sha256 = e.archive.sha256.clone()
    );
    out.push(field(&tr!("ledger-field-archive"), archive));
    let removable = match e.medium.removable {
        Some(true) => tr!("ledger-removable"),
        Some(false) => tr!("ledger-fixed"),
        None => tr!("ledger-removable-unknown"),
    };
    let label = e.medium.label.as_deref().map(|l| tr!("report-medium-label", label = escape_str(l))).unwrap_or_default();
    out.push(field(&tr!("ledger-field-medium"), format!("{}, {removable}{label}", fs_name(&e.medium.fs))));
    out.push(field(&tr!("ledger-field-algorithms"), e.algorithms.join(", ")));
    if let Some(p) = &e.purpose {
        out.push(field(&tr!("ledger-field-purpose"), escape_str(p)));
    }
    if !e.categories.is_empty() {
        out.push(field(&tr!("ledger-field-categories"), e.categories.iter().map(|c| escape_str(c)).collect::<Vec<_>>().join(", ")));
    }
    out.push(field("hakobu", escape_str(&e.hakobu)));
    if i.receipts.is_empty() {
        out.push(field(&tr!("ledger-field-receipts"), tr!("ledger-no-receipts")));
    }
    for r in &i.receipts {
        let res = match r.result {
            ReceiptResult::Verified => tr!("ledger-receipt-verified"),
            ReceiptResult::Refused => tr!("ledger-receipt-refused", reason = refusal(r.reason.as_deref())),
        };
        let mut line = tr!(
            "ledger-receipt-line",
            time = people_time(&r.time),
            result = res,
            who = person(&r.receiver),
            source = receipt_source(&r.source)
        );
        // An imported receipt file: whose signature vouches for it, or that none does (issue #32).
        match (r.signed, &r.signer) {
            (Some(true), Some(signer)) => line.push_str(&tr!(
                "ledger-receipt-signed",
                name = escape_str(signer.name.as_deref().unwrap_or("?")),
                fingerprint = signer.fingerprint.clone()
            )),
            (Some(false), _) => line.push_str(&tr!("ledger-receipt-unsigned")),
            _ => {}
        }
        out.push(field(&tr!("ledger-field-receipt"), line));
    }
    out
}

/// `ledger verify`: the summary line.
pub fn verify_lines(r: &VerifyReport) -> Vec<String> {
    let mut out = Vec::new();
    if r.problems.is_empty() {
        out.push(tr!("ledger-verifies", path = path(&r.path), count = r.records, n = crate::cli::render::number(r.records)));
    } else {
        out.push(tr!("ledger-does-not-verify", path = path(&r.path), n = r.problems.len().to_string()));
        for p in &r.problems {
            out.push(format!("  {}", problem(p)));
        }
        // What IT does about each kind of problem, once.
        let mut seen = Vec::new();
        for p in &r.problems {
            if !seen.contains(&p.code()) {
                seen.push(p.code());
                out.push(format!("  {}", tr!("ledger-repair", code = p.code())));
            }
        }
    }
    if let Some(k) = &r.kept_head {
        if let (Some(seq), Some(line)) = (k.seq, k.line) {
            out.push(tr!("ledger-kept-head-found", seq = seq.to_string(), line = line.to_string(), after = k.records_after.to_string()));
        }
    }
    out.push(tr!("ledger-head", hash = r.head.clone()));
    out
}

/// The CSV headers of the paper 持出し台帳.
pub const CSV_HEADERS: [&str; 16] = [
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
    "アーカイブ名",
    "媒体",
    "媒体ラベル",
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
        let receipt = match i.arrival() {
            Some(r) if r.result == ReceiptResult::Verified => format!("受領済み {}", ja_time(&r.time)),
            Some(r) => format!("受け取り拒否 {} {}", ja_time(&r.time), ja_refusal(r.reason.as_deref())),
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
            e.archive.name.clone().unwrap_or_default(),
            medium,
            e.medium.label.clone().unwrap_or_default(),
            "あり".to_owned(),
            receipt,
        ];
        out.push_str(&row.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

fn role(code: &str) -> String {
    match code {
        "key-agreement" => tr!("alg-role-key-agreement"),
        "key-encapsulation" => tr!("alg-role-key-encapsulation"),
        "key-wrapping" => tr!("alg-role-key-wrapping"),
        "passphrase-kdf" => tr!("alg-role-passphrase-kdf"),
        "key-derivation" => tr!("alg-role-key-derivation"),
        "encryption" => tr!("alg-role-encryption"),
        "checksum" => tr!("alg-role-checksum"),
        _ => tr!("alg-role-other"),
    }
}

fn algorithm(code: &str) -> String {
    match code {
        "x25519" => "X25519".into(),
        "scrypt" => "scrypt".into(),
        "hkdf-sha-256" => "HKDF-SHA-256".into(),
        "chacha20-poly1305" => "ChaCha20-Poly1305".into(),
        "sha-256" => "SHA-256".into(),
        "ssh" => tr!("alg-ssh"),
        "p256" => "ECDH P-256".into(),
        "ml-kem-768" => "ML-KEM-768".into(),
        _ => tr!("alg-plugin"),
    }
}

fn unknowable(code: &str) -> String {
    match code {
        "passphrase-handover" => tr!("unknowable-passphrase-handover"),
        "key-leaked-elsewhere" => tr!("unknowable-key-leaked"),
        "copies-elsewhere" => tr!("unknowable-copies"),
        "contents-beyond-record" => tr!("unknowable-contents"),
        _ => tr!("alg-role-other"),
    }
}

/// `ledger report ID`: the lost-stick report, its headings the nine items a
/// leak report to the PPC states (個人情報保護法施行規則 第8条第1項): what the
/// ledger knows under each, and "to be filled in" where only the office knows.
pub fn report(r: &LostStickReport) -> Vec<String> {
    let mut o = Vec::new();
    let fill = || format!("  {}", tr!("report-fill-in"));
    o.push(tr!("report-title"));
    o.push(tr!("report-intro"));
    o.push(String::new());
    o.push(tr!("report-1-summary"));
    o.push(format!("  {}", tr!("report-id", id = r.id.clone())));
    if let Some(n) = &r.archive_name {
        o.push(format!("  {}", tr!("report-archive-name", name = escape_str(n))));
    }
    if r.volume_names.len() > 1 {
        let names: Vec<String> = r.volume_names.iter().map(|v| escape_str(v)).collect();
        o.push(format!("  {}", tr!("report-volume-names", names = names.join(", "))));
    }
    o.push(format!("  {}", tr!("report-packed", time = people_time(&r.time), sender = person(&r.sender))));
    if let Some(p) = &r.purpose {
        o.push(format!("  {}", tr!("report-purpose", purpose = escape_str(p))));
    }
    let medium = match r.medium.removable {
        Some(true) => tr!("ledger-removable"),
        Some(false) => tr!("ledger-fixed"),
        None => tr!("ledger-removable-unknown"),
    };
    let label = r.medium.label.as_deref().map(|l| tr!("report-medium-label", label = escape_str(l))).unwrap_or_default();
    o.push(format!("  {}", tr!("report-medium", fs = fs_name(&r.medium.fs), removable = medium, label = label)));
    o.push(format!("  {}", tr!("report-loss-circumstances")));
    o.push(tr!("report-2-items"));
    if r.categories.is_empty() {
        o.push(format!("  {}", tr!("report-no-categories")));
    } else {
        o.push(format!(
            "  {}",
            tr!(
                "report-categories",
                list = r.categories.iter().map(|c| escape_str(c)).collect::<Vec<_>>().join(&tr!("report-list-separator"))
            )
        ));
    }
    match &r.file_list {
        Some(files) => {
            o.push(format!("  {}", tr!("report-file-list", n = super::render::count_files(files.len() as u64))));
            for f in files {
                o.push(format!("    {}  ({})", escape_str(&f.path), super::render::size(f.bytes)));
            }
        }
        None if r.audit_copy => o.push(format!("  {}", tr!("report-audit-copy"))),
        None => {}
    }
    o.push(tr!("report-3-people"));
    o.push(format!(
        "  {}",
        tr!(
            "report-counts",
            files = super::render::count_files(r.files),
            folders = super::render::count_folders(r.folders),
            size = super::render::size(r.data_bytes)
        )
    ));
    o.push(format!("  {}", tr!("report-count-people")));
    o.push(tr!("report-4-cause"));
    o.push(fill());
    o.push(tr!("report-5-harm"));
    for line in harm_facts(r) {
        o.push(format!("  {line}"));
    }
    o.push(fill());
    o.push(tr!("report-6-people-informed"));
    o.push(fill());
    o.push(tr!("report-7-published"));
    o.push(fill());
    o.push(tr!("report-8-prevention"));
    o.push(fill());
    o.push(tr!("report-9-other"));
    o.push(format!("  {}", tr!("report-protection-heading")));
    o.push(format!(
        "    {}",
        tr!("report-encrypted", size = super::render::size(r.archive_bytes), n = r.volumes.to_string(), sha256 = r.archive_sha256.clone())
    ));
    for a in &r.algorithms {
        o.push(format!(
            "    {}",
            tr!("report-algorithm", role = role(a.role), name = algorithm(&a.code), standard = a.standard.to_string())
        ));
    }
    o.push(format!("  {}", tr!("report-keys-heading")));
    if r.passphrase {
        o.push(format!("    {}", tr!("report-opens-passphrase")));
    } else {
        o.push(format!("    {}", tr!("report-opens-keys")));
    }
    for k in &r.key_holders {
        o.push(format!("    {}", tr!("report-key-holder", who = recipient(k), fingerprint = k.fingerprint.clone())));
    }
    o.push(format!("    {}", tr!("report-no-secret-key-packed")));
    o.push(format!("    {}", if r.key_on_medium { tr!("report-key-on-medium") } else { tr!("report-no-key-on-medium") }));
    o.push(format!("  {}", tr!("report-receipts-heading")));
    if r.receipts.is_empty() {
        o.push(format!("    {}", tr!("report-no-receipts")));
    }
    for rc in &r.receipts {
        let res = match rc.result {
            ReceiptResult::Verified => tr!("ledger-receipt-verified"),
            ReceiptResult::Refused => tr!("ledger-receipt-refused", reason = refusal(rc.reason.as_deref())),
        };
        o.push(format!("    {}", tr!("report-receipt", time = people_time(&rc.time), result = res, who = person(&rc.receiver))));
    }
    o.push(format!("  {}", if r.ledger_verified { tr!("report-ledger-verified") } else { tr!("report-ledger-not-verified") }));
    o.push(format!("  {}", tr!("report-unknowable-heading")));
    for u in &r.unknowable {
        o.push(format!("    - {}", unknowable(u)));
    }
    o.push(String::new());
    o.push(format!("hakobu {}", escape_str(&r.hakobu)));
    o
}

/// Section 5 (secondary harm): only what the record supports, for this
/// archive (issue #25): encrypted; opened by keys or by a passphrase; whether
/// a key file lay on the same medium; whether IT's escrow key opens it too;
/// then what hakobu cannot know. The office states whether harm is likely.
fn harm_facts(r: &LostStickReport) -> Vec<String> {
    let mut o = vec![tr!("report-harm-encrypted")];
    o.push(if r.passphrase { tr!("report-harm-passphrase") } else { tr!("report-harm-keys") });
    if r.key_on_medium {
        o.push(tr!("report-harm-key-on-medium"));
    } else if !r.passphrase {
        o.push(tr!("report-harm-no-key-on-medium"));
    }
    if r.escrow {
        o.push(tr!("report-harm-escrow"));
    }
    o.push(if r.passphrase { tr!("report-harm-unknown-passphrase") } else { tr!("report-harm-unknown-keys") });
    o
}

/// A file system's code (`fat`, `exfat`, `other`, `unknown`) in words.
fn fs_name(code: &str) -> String {
    match code {
        "fat" => "FAT32".into(),
        "exfat" => "exFAT".into(),
        "other" => tr!("fs-other"),
        _ => tr!("fs-unknown"),
    }
}

/// A time for people: 2026年12月3日 14時05分 in Japanese, 2026-12-03 14:05 +09:00 in English.
fn people_time(rfc3339: &str) -> String {
    match super::i18n::current() {
        super::i18n::Lang::Ja => ja_time(rfc3339),
        super::i18n::Lang::En => local_time(rfc3339),
    }
}

/// After a pack: the record's number and the archive's name, which finds
/// the record (`ledger show NAME`); `None` when no record was written.
pub fn pack_recorded(outcome: &hakobu::ops::pack::PackOutcome) -> Option<String> {
    let written = outcome.ledger.as_ref()?;
    let report = &outcome.report;
    let name = report
        .sidecar
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_suffix(".sha256"))
        .map(str::to_owned)
        .or_else(|| report.path.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    Some(tr!("pack-recorded", seq = written.seq.to_string(), name = escape_str(&name)))
}

/// A ledger notice in words; `None` for every other notice.
pub fn notice(n: &hakobu::ops::Notice) -> Option<String> {
    match n {
        hakobu::ops::Notice::ReceiptNotRecorded { ledger, detail } => {
            Some(tr!("notice-receipt-not-recorded", path = path(ledger), detail = escape_str(detail)))
        }
        hakobu::ops::Notice::LedgerRecordNotWritten { not_written: n } => Some(match &n.path {
            Some(p) => {
                let detail = match n.io {
                    Some(kind) => crate::cli::render::io_kind_reason(kind, &n.detail),
                    None => escape_str(&n.detail),
                };
                tr!("notice-ledger-record-not-written", path = path(p), detail = detail)
            }
            None => tr!("notice-ledger-record-not-written-nowhere"),
        }),
        _ => None,
    }
}
