//! The operations layer driven as a front-end would drive it, in-process:
//! a scripted Prompter answers, a progress sink cancels, and a second
//! operation in the same process succeeds after a cancelled one
//! (the cancel token is per operation, not a process-wide flag).

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use age::secrecy::SecretString;
use hakobu::ops::keygen::{keygen, KeygenRequest};
use hakobu::ops::pack::{execute, prepare, PackRequest};
use hakobu::ops::unpack::{unpack, UnpackRequest};
use hakobu::ops::verify::{verify, ChecksumState};
use hakobu::ops::{Cancel, Context, NewSecretFor, Phase, Progress, Prompter};
use hakobu::{Error, Result};

use crate::support::{assert_same_tree, listing, synthetic_bytes, write};

/// Answers from a script, and remembers what was asked.
#[derive(Default)]
struct Scripted {
    new_passphrases: Mutex<VecDeque<&'static str>>,
    archive_passphrases: Mutex<VecDeque<&'static str>>,
    key_file_passphrase: Option<&'static str>,
    asked: Mutex<Vec<String>>,
}

impl Scripted {
    fn asked(&self) -> Vec<String> {
        self.asked.lock().unwrap().clone()
    }
}

impl Prompter for Scripted {
    fn new_passphrase(&self, purpose: NewSecretFor) -> Result<Option<SecretString>> {
        self.asked.lock().unwrap().push(format!("new {purpose:?}"));
        let answer = self.new_passphrases.lock().unwrap().pop_front().expect("an unscripted new passphrase was asked for");
        Ok(Some(SecretString::from(answer.to_owned())))
    }
    fn archive_passphrase(&self, _: &Path, attempt: u32) -> Result<SecretString> {
        self.asked.lock().unwrap().push(format!("archive {attempt}"));
        match self.archive_passphrases.lock().unwrap().pop_front() {
            Some(p) => Ok(SecretString::from(p.to_owned())),
            None => Err(Error::PromptCancelled),
        }
    }
    fn key_file_passphrase(&self, _: &Path, attempt: u32) -> Option<SecretString> {
        self.asked.lock().unwrap().push(format!("key file {attempt}"));
        self.key_file_passphrase.map(|p| SecretString::from(p.to_owned()))
    }
    fn plugin_message(&self, _: &str) {}
    fn plugin_confirm(&self, _: &str, _: &str, _: Option<&str>) -> Option<bool> {
        None
    }
    fn plugin_public_string(&self, _: &str) -> Option<String> {
        None
    }
    fn plugin_secret(&self, _: &str) -> Option<SecretString> {
        None
    }
}

/// A front-end's Cancel button, pressed as soon as the packing phase has moved.
struct CancelWhenPacking(Cancel);

impl Progress for CancelWhenPacking {
    fn advance(&self, _bytes: u64) {
        self.0.cancel();
    }
}

/// Records the phases, as a progress bar would show them.
#[derive(Default)]
struct Phases(Mutex<Vec<Phase>>);

impl Progress for Phases {
    fn start(&self, phase: Phase, _total: u64) {
        self.0.lock().unwrap().push(phase);
    }
}

struct Office {
    dir: tempfile::TempDir,
    prompter: Arc<Scripted>,
}

impl Office {
    fn new(prompter: Scripted) -> Self {
        let dir = tempfile::Builder::new().prefix("hakobu-ops-").tempdir().unwrap();
        write(&dir.path().join("config.toml"), b"");
        Office { dir, prompter: Arc::new(prompter) }
    }
    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }
    /// A context as a front-end makes one per operation: a fresh cancel token each time.
    fn context(&self, progress: Arc<dyn Progress>, cancel: Cancel) -> Context {
        Context {
            config_path: Some(self.path("config.toml")),
            default_key: Some(self.path("key.txt")),
            prompter: self.prompter.clone(),
            progress,
            cancel,
        }
    }
    fn quiet(&self) -> Context {
        self.context(Arc::new(hakobu::ops::Silent), Cancel::new())
    }
}

fn members_folder(office: &Office) -> PathBuf {
    let src = office.path("会員データ");
    write(&src.join("会員名簿.csv"), "番号,氏名\n1,山田 太郎\n2,鈴木 花子\n".as_bytes());
    // Large enough that packing reports progress several times before it ends.
    write(&src.join("scan.bin"), &synthetic_bytes(7, 6 << 20));
    src
}

#[test]
fn pack_unpack_and_verify_through_the_operations_with_a_scripted_prompter_and_a_cancel() {
    let office = Office::new(Scripted {
        new_passphrases: Mutex::new(VecDeque::from(["key passphrase for the test"])),
        key_file_passphrase: Some("key passphrase for the test"),
        ..Scripted::default()
    });
    let made = keygen(&office.quiet(), &KeygenRequest::default()).expect("keygen");
    assert!(made.protected && made.is_default && made.path == office.path("key.txt"), "{made:?}");
    let src = members_folder(&office);
    let out = office.path("stick");
    std::fs::create_dir(&out).unwrap();
    let request =
        PackRequest { sources: vec![src.clone()], out_dir: out.clone(), recipients: vec![made.recipient.clone()], ..Default::default() };

    // Cancelled while packing: an Interrupted error, and nothing on the stick.
    let cancel = Cancel::new();
    let ctx = office.context(Arc::new(CancelWhenPacking(cancel.clone())), cancel);
    let err = execute(&ctx, prepare(&ctx, &request).expect("prepare")).expect_err("a cancelled pack must fail");
    assert!(matches!(err, Error::Interrupted), "{err:?}");
    assert_eq!(err.kind(), "interrupted");
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0, "a cancelled pack left files: {}", listing(&out));

    // The next operation in the same process, with its own token, succeeds.
    let phases = Arc::new(Phases::default());
    let ctx = office.context(phases.clone(), Cancel::new());
    let outcome = execute(&ctx, prepare(&ctx, &request).expect("prepare")).expect("second pack");
    assert!(outcome.report.verified_readback && !outcome.passphrase);
    assert_eq!(outcome.recipients.len(), 1);
    let recorded = phases.0.lock().unwrap().clone();
    assert!(recorded.contains(&Phase::Packing) && recorded.contains(&Phase::ReadingBack), "{recorded:?}");
    let archive = outcome.report.path.clone();

    // IT's check without a key.
    let report = verify(&office.quiet(), &archive, &[]).expect("verify");
    assert!(report.ok && report.checksum == ChecksumState::Match, "{report:?}");

    // The receiver: no key named, so the default key file, whose passphrase the prompter gives.
    let dest = office.path("受信");
    let unpacked = unpack(&office.quiet(), &UnpackRequest { archive, dest: dest.clone(), ..Default::default() }).expect("unpack");
    assert_eq!(unpacked.files, 2);
    assert_same_tree(&src, &dest.join("会員データ"));
    assert_eq!(office.prompter.asked(), ["new KeyFile", "key file 1"]);
}

#[test]
fn a_wrong_archive_passphrase_is_asked_again_and_cancel_ends_the_asking() {
    let office = Office::new(Scripted {
        new_passphrases: Mutex::new(VecDeque::from(["archive passphrase for the test"])),
        archive_passphrases: Mutex::new(VecDeque::from(["a typo", "archive passphrase for the test"])),
        ..Scripted::default()
    });
    let src = office.path("src");
    write(&src.join("健診結果.csv"), "番号,結果\n1,A\n".as_bytes());
    let out = office.path("stick");
    std::fs::create_dir(&out).unwrap();
    let ctx = office.quiet();
    let request = PackRequest { sources: vec![src.clone()], out_dir: out, passphrase: true, ..Default::default() };
    let outcome = execute(&ctx, prepare(&ctx, &request).unwrap()).expect("pack with a passphrase");
    assert!(outcome.passphrase && outcome.generated_passphrase.is_none());

    let dest = office.path("受信");
    let req = UnpackRequest { archive: outcome.report.path.clone(), dest: dest.clone(), ..Default::default() };
    unpack(&office.quiet(), &req).expect("unpack after one wrong try");
    assert_same_tree(&src, &dest.join("src"));
    assert_eq!(office.prompter.asked(), ["new Archive", "archive 1", "archive 2"]);

    // The script has no more answers: the prompter cancels, and so does unpack.
    let again = UnpackRequest { dest: office.path("again"), ..req };
    let err = unpack(&office.quiet(), &again).expect_err("cancelled at the prompt");
    assert!(matches!(err, Error::PromptCancelled), "{err:?}");
    assert!(!office.path("again").join("src").exists());
}
