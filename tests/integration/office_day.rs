//! An office's day, end to end (issue #25): IT sets up two offices by
//! following docs/ja/情報システム担当へ.md literally — its `sh` commands are
//! run and its `toml` blocks are the config, with the example keys replaced
//! by keys this test makes — then a clerk at 本社 drops a folder and sends it
//! through the guided mode onto an exFAT stick (labelled HAKOBU), 千葉支部
//! unpacks it through the guided mode with a receipt, the stick comes back
//! and passes the stick check, the receipt is imported, IT answers for the
//! "lost" stick by the archive's name and by the stick's label, and the
//! ledger is exported as CSV. Once on Linux, once with hakobu.exe under Wine
//! (E: is the exFAT image). Every step asserts facts: exit codes, `code:`
//! kind lines, files on disk, ledger fields.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::stick::Medium;
use crate::support::{assert_same_tree, explain, hakobu_bin, listing, require, run_env, synthetic_bytes, write};

/// The passphrase every person of the day types (keys and signing key).
const PHRASE: &str = "synthetic-office-day-phrase-7Qx-Lm2-Vr9";

/// The IT guide, the receivers' guide and the senders' guide.
const IT_GUIDE: &str = "docs/ja/情報システム担当へ.md";
const RECEIVER_GUIDE: &str = "docs/ja/受け取る人へ.md";
const SENDER_GUIDE: &str = "docs/ja/送る人へ.md";

fn read_doc(rel: &str) -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The `hakobu …` command lines of a guide's ```sh blocks (comments cut off).
fn hakobu_commands(md: &str) -> Vec<Vec<String>> {
    code_blocks_any(md, "sh")
        .iter()
        .flat_map(|b| b.lines().map(str::to_owned).collect::<Vec<_>>())
        .map(|l| l.split(" #").next().unwrap().trim().to_owned())
        .filter(|l| l.starts_with("hakobu "))
        .map(|l| l.split_whitespace().skip(1).map(str::to_owned).collect())
        .collect()
}

/// Code blocks tagged `lang`, skipping every other block whole.
fn code_blocks_any(md: &str, lang: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut inside: Option<(bool, String)> = None;
    for line in md.lines() {
        let trimmed = line.trim_start();
        if let Some(tag) = trimmed.strip_prefix("```") {
            match inside.take() {
                Some((true, text)) => blocks.push(text),
                Some((false, _)) => {}
                None => inside = Some((tag.trim() == lang, String::new())),
            }
            continue;
        }
        if let Some((_, text)) = inside.as_mut() {
            text.push_str(trimmed);
            text.push('\n');
        }
    }
    blocks
}

/// Where the day runs: Linux hakobu, or hakobu.exe under Wine.
pub(crate) struct Lane {
    /// The program line before hakobu's own arguments.
    pub program: Vec<String>,
    /// Extra environment for every run (Wine's prefix).
    pub env: Vec<(String, String)>,
    /// Paths as the program sees them: `Z:\…` under Wine.
    pub windows: bool,
    /// Wine's one user profile: `%APPDATA%\hakobu` (where `keygen --sign` writes by default).
    pub profile: Option<PathBuf>,
}

impl Lane {
    fn linux() -> Lane {
        Lane { program: vec![hakobu_bin().display().to_string()], env: Vec::new(), windows: false, profile: None }
    }

    /// A path as the program is given it.
    fn path(&self, p: &Path) -> String {
        if self.windows {
            format!("Z:{}", p.display()).replace('/', "\\")
        } else {
            p.display().to_string()
        }
    }

    /// The environment of one person's PC: its own home and config folder
    /// (the default key and signing key live there), the deployed config,
    /// the language.
    fn pc_env(&self, pc: &Path, config: &Path, lang: &str) -> Vec<(String, String)> {
        let mut env = self.env.clone();
        env.push(("HAKOBU_LANG".into(), lang.into()));
        env.push(("HAKOBU_CONFIG".into(), self.path(config)));
        if self.windows {
            // Each PC its own default key: Wine sets %APPDATA% to the prefix's one
            // profile whatever the environment says, so the key's place is named.
            fs::create_dir_all(self.default_dir(pc)).unwrap();
            env.push(("HAKOBU_IDENTITY".into(), self.path(&self.default_dir(pc).join("identity.txt"))));
        }
        env
    }

    /// The default key file `hakobu keygen` writes on `pc`.
    fn default_dir(&self, pc: &Path) -> PathBuf {
        if self.windows {
            pc.join("AppData/Roaming/hakobu")
        } else {
            pc.join(".no-config/hakobu")
        }
    }

    /// Runs hakobu without a terminal on `pc`.
    fn run(&self, pc: &Path, env: &[(String, String)], args: &[&str]) -> Output {
        if self.windows {
            let mut cmd = Command::new(&self.program[0]);
            cmd.args(&self.program[1..])
                .args(args)
                .current_dir(pc)
                .stdin(Stdio::null())
                .env_remove("HAKOBU_IDENTITY")
                .env_remove("HAKOBU_CONFIG");
            for (k, v) in env {
                cmd.env(k, v);
            }
            cmd.output().expect("run hakobu.exe")
        } else {
            let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            run_env(pc, &env, args)
        }
    }

    /// Runs and insists on `code`.
    fn run_code(&self, pc: &Path, env: &[(String, String)], code: i32, args: &[&str]) -> Output {
        let out = self.run(pc, env, args);
        if out.status.code() != Some(code) {
            panic!("{}", explain(pc, args, &out, &format!("[{}] expected exit code {code}", self.name())));
        }
        out
    }

    fn name(&self) -> &'static str {
        if self.windows {
            "hakobu.exe under Wine"
        } else {
            "Linux"
        }
    }

    /// Runs hakobu at a terminal on `pc` and answers its questions.
    fn converse(&self, pc: &Path, env: &[(String, String)], args: &[&str], answers: &[(&str, &str)]) -> Conversation {
        let mut program = self.program.clone();
        program.extend(args.iter().map(|a| a.to_string()));
        converse(pc, env, &program, answers)
    }
}

/// What a person saw at the terminal, and which of the expected questions never came.
struct Conversation {
    code: Option<i32>,
    screen: String,
    unasked: Vec<String>,
}

impl Conversation {
    /// Whether the screen says `text`, with the lines hakobu cut to the
    /// console's width (a hanging indent of two) and the console's own wraps
    /// joined again (#26: clerk text is cut at the width, where one is known).
    fn said(&self, text: &str) -> bool {
        // Without the console's escape sequences (ESC [ … letter) and CRs.
        let mut plain = String::with_capacity(self.screen.len());
        let mut chars = self.screen.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\u{1b}' && chars.peek() == Some(&'[') {
                chars.next();
                while chars.next().is_some_and(|c| !c.is_ascii_alphabetic()) {}
            } else if c != '\r' {
                plain.push(c);
            }
        }
        plain.replace("\n  ", "").replace('\n', "").contains(text)
    }

    fn explain(&self) -> String {
        format!("exit {:?}; never asked: {:?}\n--- screen\n{}", self.code, self.unasked, self.screen)
    }
}

/// Runs `program` in a pseudo-terminal (`script`) as a person would and
/// answers each question when it appears, in whatever order the program
/// asks them (each answer is used once: `(text on screen, keys to type)`).
/// Gives up after 90 s.
fn converse(cwd: &Path, env: &[(String, String)], program: &[String], answers: &[(&str, &str)]) -> Conversation {
    let env: Vec<(&str, &str)> = std::iter::once(("TERM", "xterm")).chain(env.iter().map(|(k, v)| (k.as_str(), v.as_str()))).collect();
    let crate::support::Pty { mut child, mut stdin, output: rx, reader } = crate::support::start_in_pty(cwd, &env, program);
    let mut bytes = Vec::new();
    let mut used = vec![false; answers.len()];
    let mut from = 0;
    let deadline = Instant::now() + Duration::from_secs(90);
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            break child.wait().unwrap();
        }
        if let Ok(chunk) = rx.recv_timeout(Duration::from_millis(100)) {
            bytes.extend_from_slice(&chunk);
        }
        let seen = String::from_utf8_lossy(&bytes).into_owned();
        let from_at = from.min(seen.len());
        let rest = seen.get(from_at..).unwrap_or("");
        // The question asked first among those not answered yet.
        let next =
            answers.iter().enumerate().filter(|(i, _)| !used[*i]).filter_map(|(i, (expect, _))| rest.find(expect).map(|at| (at, i))).min();
        if let Some((at, i)) = next {
            used[i] = true;
            from = from_at + at + answers[i].0.len();
            // Let the prompt switch the terminal to its mode before typing.
            std::thread::sleep(Duration::from_millis(500));
            let _ = stdin.write_all(answers[i].1.as_bytes());
            let _ = stdin.flush();
        }
    };
    drop(stdin);
    reader.join().unwrap();
    while let Ok(chunk) = rx.try_recv() {
        bytes.extend_from_slice(&chunk);
    }
    let unasked = answers.iter().zip(&used).filter(|(_, u)| !**u).map(|((e, _), _)| e.to_string()).collect();
    Conversation { code: status.code(), screen: String::from_utf8_lossy(&bytes).into_owned(), unasked }
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", stdout(o), stderr(o)))
}

/// The screen without terminal control sequences (`ESC [ … letter`).
fn plain(screen: &str) -> String {
    let mut out = String::new();
    let mut chars = screen.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            if chars.peek() == Some(&'[') {
                chars.next();
                for d in chars.by_ref() {
                    if ('@'..='~').contains(&d) {
                        break;
                    }
                }
            }
            continue;
        }
        out.push(c);
    }
    out
}

/// The public key (`age1…` or `ssh-ed25519 …`) a keygen printed on its
/// screen: the longest one shown (a console may wrap one of its copies).
fn public_key_on(screen: &str, prefix: &str) -> String {
    let screen = plain(screen);
    let key_char = |c: char| c.is_ascii_alphanumeric() || c == '+' || c == '/' || c == '=';
    let found = screen
        .match_indices(prefix)
        .map(|(at, _)| {
            let body: String = screen[at + prefix.len()..].chars().take_while(|c| key_char(*c)).collect();
            format!("{prefix}{body}")
        })
        .max_by_key(String::len);
    found.unwrap_or_else(|| panic!("no {prefix} key on the screen:\n{screen}"))
}

/// A `hakobu keygen …` from a guide, run at a terminal on `pc` (the
/// passphrase typed twice); returns the public key it printed.
fn keygen_at_terminal(lane: &Lane, pc: &Path, env: &[(String, String)], args: &[&str], prefix: &str) -> String {
    let typed = format!("{PHRASE}\r");
    let c = lane.converse(pc, env, args, &[("パスフレーズを入力してください", &typed), ("もう一度入力してください", &typed)]);
    assert_eq!(c.code, Some(0), "[{}] hakobu {}:\n{}", lane.name(), args.join(" "), c.explain());
    public_key_on(&c.screen, prefix)
}

/// The categories docs/LEDGER.md suggests (the guided mode's default list).
fn suggested_categories() -> Vec<String> {
    let doc = read_doc("docs/LEDGER.md");
    let line = doc.lines().skip_while(|l| !l.starts_with("Suggested categories")).take(4).collect::<Vec<_>>().join(" ");
    let list = line.split_once("IT writes its own):").map(|(_, l)| l).unwrap_or_else(|| panic!("docs/LEDGER.md: no suggested categories"));
    list.trim().trim_end_matches('.').split(", ").map(|c| c.trim().to_owned()).collect()
}

/// The config the IT guide shows, its example keys and paths replaced with
/// this day's: every ```toml block of the guide, in order, as one file.
/// Returns the text, and checks that each name the policy uses is defined.
fn config_from_guide(
    guide: &str,
    keys: &BTreeMap<&str, String>,
    ledger: &str,
    signing_key: &str,
    senders: &BTreeMap<&str, String>,
) -> String {
    let blocks = code_blocks_any(config_sections(guide), "toml");
    assert!(blocks.len() >= 3, "{IT_GUIDE}: expected the config's toml blocks (policy, signing, ledger), found {}", blocks.len());
    let text = blocks.join("\n");
    let parsed: toml::Table =
        text.parse().unwrap_or_else(|e| panic!("{IT_GUIDE}: its toml blocks together are not one valid file: {e}\n{text}"));
    let names = |table: &str, key: &str| -> Vec<String> {
        parsed
            .get(table)
            .and_then(|t| t.get(key))
            .and_then(|v| v.as_array())
            .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
            .unwrap_or_default()
    };
    let defined: Vec<String> = parsed.get("recipients").and_then(|r| r.as_table()).map(|t| t.keys().cloned().collect()).unwrap_or_default();
    for (table, key) in [("policy", "always"), ("ledger", "audit_recipients"), ("policy", "default_to")] {
        for name in names(table, key) {
            assert!(
                defined.contains(&name),
                "{IT_GUIDE}: [{table}] {key} names 「{name}」, which the guide's [recipients] does not define (defined: {defined:?})"
            );
        }
    }
    // Replace the example values, line by line, keeping every comment.
    let mut table = String::new();
    let mut out = String::new();
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            table = t.trim_matches(|c| c == '[' || c == ']').to_owned();
        }
        let (before_comment, comment) = split_comment(line);
        let replaced = match before_comment.split_once('=') {
            Some((k, _)) => {
                let k_trim = k.trim().trim_matches('"');
                let value = match (table.as_str(), k_trim) {
                    ("recipients", name) => Some(format!(
                        "[\"{}\"]",
                        keys.get(name).unwrap_or_else(|| panic!("{IT_GUIDE}: the test makes no key for [recipients] 「{name}」"))
                    )),
                    ("senders", name) => Some(format!(
                        "\"{}\"",
                        senders.get(name).unwrap_or_else(|| panic!("{IT_GUIDE}: the test makes no signing key for [senders] 「{name}」"))
                    )),
                    ("ledger", "path") => Some(format!("'{ledger}'")),
                    ("signing", "key") => Some(format!("'{signing_key}'")),
                    _ => None,
                };
                value.map(|v| format!("{k}= {v}{}", comment.map(|c| format!("   {c}")).unwrap_or_default()))
            }
            None => None,
        };
        out.push_str(&replaced.unwrap_or_else(|| line.to_owned()));
        out.push('\n');
    }
    out
}

/// The sections of the IT guide that build the config piece by piece (2,
/// 3 and 7); section 8 repeats it whole as the machine policy's example.
fn config_sections(guide: &str) -> &str {
    guide.split("\n## 8.").next().unwrap()
}

/// A TOML line split at its comment (a `#` outside quotes).
fn split_comment(line: &str) -> (&str, Option<&str>) {
    let mut quote: Option<char> = None;
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '#') => return (&line[..i], Some(&line[i..])),
            _ => {}
        }
    }
    (line, None)
}

/// The folders of the day: IT's PC, 本社's PC, 千葉支部's PC, the shared folder.
struct Office {
    _dir: tempfile::TempDir,
    it: PathBuf,
    honsha: PathBuf,
    chiba: PathBuf,
    ledger: PathBuf,
    config: PathBuf,
}

impl Office {
    fn new() -> Office {
        let dir = tempfile::Builder::new().prefix("hakobu-office-day-").tempdir().unwrap();
        let d = dir.path();
        let (it, honsha, chiba) = (d.join("it"), d.join("honsha"), d.join("chiba"));
        for p in [&it, &honsha, &chiba, &d.join("share/持出し記録")] {
            fs::create_dir_all(p).unwrap();
        }
        // The clerk's folder to send: a synthetic member list and results.
        write(
            &honsha.join("会員名簿/2026/一覧.csv"),
            "番号,氏名,生年月日\n0001,架空 太郎,1970-01-01\n0002,架空 花子,1980-02-02\n".as_bytes(),
        );
        write(&honsha.join("会員名簿/健診/結果.txt"), &synthetic_bytes(25, 120_000));
        let ledger = d.join("share/持出し記録/ledger.jsonl");
        let config = it.join("config.toml");
        Office { _dir: dir, it, honsha, chiba, ledger, config }
    }
}

/// The day. `stick_dir` is the exFAT stick's mount point; `stick` is how
/// the program names it (the mount point on Linux, `E:\` under Wine).
fn the_day(lane: &Lane, stick_dir: &Path, stick: &str) {
    let o = Office::new();
    let it_guide = read_doc(IT_GUIDE);
    let who = lane.name();
    let it_env = lane.pc_env(&o.it, &o.config, "ja");
    let honsha_env = lane.pc_env(&o.honsha, &o.config, "ja");
    let chiba_env = lane.pc_env(&o.chiba, &o.config, "ja");

    // ── The offices make their keys, as the guides tell them. ──────────────
    // 千葉支部 receives: `hakobu keygen` of 受け取る人へ (default place, passphrase twice).
    let receiver_cmds = hakobu_commands(&read_doc(RECEIVER_GUIDE));
    let keygen = receiver_cmds.iter().find(|c| c[0] == "keygen").unwrap_or_else(|| panic!("{RECEIVER_GUIDE}: no `hakobu keygen`"));
    let keygen: Vec<&str> = keygen.iter().map(String::as_str).collect();
    let chiba_key = keygen_at_terminal(lane, &o.chiba, &chiba_env, &keygen, "age1");
    assert!(lane.default_dir(&o.chiba).join("identity.txt").is_file(), "[{who}] 千葉支部's key is not in its default place");
    // 本社 receives too (archives go both ways), and its clerk signs: `keygen --sign` of 送る人へ.
    let honsha_key = keygen_at_terminal(lane, &o.honsha, &honsha_env, &keygen, "age1");
    let sender_cmds = hakobu_commands(&read_doc(SENDER_GUIDE));
    let sign = sender_cmds.iter().find(|c| c[0] == "keygen" && c.contains(&"--sign".to_string()));
    let sign: Vec<&str> =
        sign.unwrap_or_else(|| panic!("{SENDER_GUIDE}: no ```sh block with `hakobu keygen --sign`")).iter().map(String::as_str).collect();
    let signing_key = lane.default_dir(&o.honsha).join("signing_key");
    let shared_profile = lane.profile.as_ref().map(|p| p.join("signing_key"));
    if let Some(p) = &shared_profile {
        let _ = fs::remove_file(p);
    }
    let honsha_signer = keygen_at_terminal(lane, &o.honsha, &honsha_env, &sign, "ssh-ed25519 ");
    if let Some(p) = &shared_profile {
        // Wine's one profile is 本社's PC's: the key moves to the PC's folder of this day.
        fs::rename(p, &signing_key).unwrap_or_else(|e| panic!("[{who}] keygen --sign wrote no {}: {e}", p.display()));
    }
    assert!(signing_key.is_file(), "[{who}] keygen --sign left no key at {}", signing_key.display());

    // ── IT follows its guide's commands, in order. ─────────────────────────
    let mut made: BTreeMap<String, String> = BTreeMap::new(); // key files IT made → public keys
    let office_keys: BTreeMap<&str, String> = [("千葉支部", chiba_key.clone()), ("本社", honsha_key.clone())].into();
    let mut ran = 0;
    for cmd in hakobu_commands(&it_guide) {
        let args: Vec<String> = match cmd[0].as_str() {
            "recipients" => {
                if cmd.get(1).map(String::as_str) == Some("add") {
                    let name = cmd[2].as_str();
                    let key = office_keys
                        .get(name)
                        .unwrap_or_else(|| panic!("{IT_GUIDE}: `recipients add {name}` names an office the day has not"));
                    vec!["recipients".into(), "add".into(), name.into(), key.clone()]
                } else {
                    cmd.clone()
                }
            }
            "keygen" => {
                let out = cmd.iter().position(|a| a == "-o").map(|i| cmd[i + 1].clone());
                let out = out.unwrap_or_else(|| panic!("{IT_GUIDE}: IT's keygen writes no named file: {cmd:?}"));
                let args: Vec<&str> = cmd.iter().map(String::as_str).collect();
                let public = keygen_at_terminal(lane, &o.it, &it_env, &args, "age1");
                assert!(o.it.join(&out).is_file(), "[{who}] {out} was not written");
                made.insert(out, public);
                ran += 1;
                continue;
            }
            // Later steps of the day (verify, ledger, setup) run where the day gets there.
            _ => continue,
        };
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        // Until the config is written, `recipients` works on IT's own address book.
        lane.run_code(&o.it, &it_env, 0, &args);
        ran += 1;
    }
    assert!(ran >= 4, "{IT_GUIDE}: only {ran} of IT's setup commands ran");
    let escrow = made.iter().find(|(f, _)| f.contains("escrow")).map(|(_, k)| k.clone());
    let audit = made.iter().find(|(f, _)| f.contains("audit")).map(|(_, k)| k.clone());
    let (escrow, audit) = match (escrow, audit) {
        (Some(e), Some(a)) => (e, a),
        _ => panic!("{IT_GUIDE}: IT's commands must make an escrow key and an audit key (keygen -o escrow-….txt, audit-….txt): {made:?}"),
    };
    let audit_file = made.keys().find(|f| f.contains("audit")).unwrap().clone();
    let escrow_file = made.keys().find(|f| f.contains("escrow")).unwrap().clone();

    // The config: the guide's toml blocks, its example keys replaced by the day's.
    let parsed: toml::Table =
        code_blocks_any(config_sections(&it_guide), "toml").join("\n").parse().unwrap_or_else(|e| panic!("{IT_GUIDE}: {e}"));
    let first = |table: &str, key: &str| -> String {
        parsed[table][key]
            .as_array()
            .and_then(|a| a.first())
            .and_then(|v| v.as_str())
            .unwrap_or_else(|| panic!("{IT_GUIDE}: no [{table}] {key}"))
            .to_owned()
    };
    let (escrow_name, audit_name) = (first("policy", "always"), first("ledger", "audit_recipients"));
    assert_ne!(escrow_name, audit_name, "{IT_GUIDE}: the escrow key and the audit key are one name");
    let mut keys: BTreeMap<&str, String> = office_keys.clone();
    keys.insert(&escrow_name, escrow.clone());
    keys.insert(&audit_name, audit.clone());
    let senders: BTreeMap<&str, String> = [("本社", honsha_signer.clone())].into();
    let config = config_from_guide(&it_guide, &keys, &lane.path(&o.ledger), &lane.path(&signing_key), &senders);
    let policy: toml::Table = config.parse().unwrap();
    assert_eq!(policy["ledger"]["require_category"].as_bool(), Some(true), "{IT_GUIDE}: the recommended policy requires a category");
    assert_eq!(policy["signing"]["require_signature"].as_bool(), Some(true), "{IT_GUIDE}: the recommended policy requires signatures");
    fs::write(&o.config, &config).unwrap();
    // The address book IT built with the commands agrees with the config file.
    let out = lane.run_code(&o.it, &it_env, 0, &["recipients", "list", "--json"]);
    let book = json(&out);
    for (name, key) in &office_keys {
        let listed = book["recipients"][*name].as_array().map(|a| a.iter().any(|k| k == key.as_str()));
        assert_eq!(listed, Some(true), "[{who}] {name} is not in the deployed address book with its key: {book}");
    }
    assert_eq!(book["policy"]["managed"], true, "{book}");
    // Managed: a clerk cannot change the address book.
    let out = lane.run_code(&o.honsha, &honsha_env, 4, &["recipients", "add", "大阪支部", &chiba_key]);
    assert!(stderr(&out).contains("code: config-managed"), "[{who}] {}", stderr(&out));

    // ── 本社: a clerk drops a folder and sends it through the guided mode. ──
    // The environment says someone else: the ledger must name the OS account
    // anyway. (Under Wine only %USERNAME%: Wine takes its account's name from
    // the Unix USER, so that one would rename the account itself.)
    let mut drop_env = honsha_env.clone();
    drop_env.push(("HAKOBU_TEST_REMOVABLE".into(), stick.to_owned()));
    drop_env.push(("USERNAME".into(), "総務部長".into()));
    if !lane.windows {
        drop_env.push(("USER".into(), "総務部長".into()));
        drop_env.push(("LOGNAME".into(), "総務部長".into()));
    }
    let folder = lane.path(&o.honsha.join("会員名簿"));
    let typed = format!("{PHRASE}\r");
    let c = lane.converse(
        &o.honsha,
        &drop_env,
        &[&folder],
        &[
            ("宛先を選んでください", "千葉\r"),
            ("データの種類を選んでください", "\r"),
            ("保存するUSBメモリを選んでください", "\r"),
            ("のパスフレーズを入力してください", &typed),
            ("保存しますか", "y"),
            ("Enter キーを押すと画面を閉じます", "\r"),
        ],
    );
    assert_eq!(c.code, Some(0), "[{who}] the drop at 本社:\n{}", c.explain());
    assert!(c.unasked.iter().all(|q| q.starts_with("Enter")), "[{who}] the drop did not ask:\n{}", c.explain());
    assert!(!c.screen.contains("--"), "[{who}] the guided mode showed a flag to the clerk:\n{}", c.screen);
    let mut on_stick = names_in(stick_dir);
    let archive_name =
        on_stick.iter().find(|n| n.ends_with(".age")).cloned().unwrap_or_else(|| panic!("[{who}] no archive on the stick: {on_stick:?}"));
    let base = archive_name.trim_end_matches(".age").to_owned();
    assert_eq!(
        on_stick,
        [archive_name.clone(), format!("{archive_name}.sha256"), format!("{archive_name}.sig")],
        "[{who}] the stick holds only the archive, its checksum and its signature"
    );
    assert!(c.said(&archive_name), "[{who}] the clerk is told the archive's name:\n{}", c.screen);
    assert!(c.said("USBメモリを取り外しても大丈夫です"), "[{who}] {}", c.screen);

    // The ledger (the shared folder): one record, with what the day put in it.
    let records = ledger_lines(&o.ledger);
    assert_eq!(records.len(), 1, "[{who}] {records:?}");
    let rec = &records[0];
    assert_eq!(rec["type"], "export", "{rec}");
    let id = rec["id"].as_str().unwrap().to_owned();
    let offices: Vec<(String, bool)> = rec["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["office"].as_str().unwrap_or("?").to_owned(), r["escrow"].as_bool().unwrap_or(false)))
        .collect();
    assert!(offices.contains(&("千葉支部".into(), false)), "[{who}] {offices:?}");
    assert!(offices.contains(&(escrow_name.clone(), true)), "[{who}] the escrow key is on every archive: {offices:?}");
    assert!(!offices.iter().any(|(n, _)| n == "本社"), "[{who}] {offices:?}");
    let categories: Vec<String> = rec["categories"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_owned()).collect();
    assert_eq!(categories.len(), 1, "[{who}] the category asked: {rec}");
    assert!(suggested_categories().contains(&categories[0]), "[{who}] {categories:?} is not from docs/LEDGER.md's list");
    assert_eq!(rec["passphrase"], false, "{rec}");
    assert_eq!(rec["key_on_medium"], false, "[{who}] no key lay on the stick: {rec}");
    if lane.windows {
        // E: is a removable drive there; on Linux the image is a loop device,
        // which the kernel does not call removable (stick_media.rs covers the flag).
        assert_eq!(rec["medium"]["removable"], true, "{rec}");
    } else {
        // Wine names neither the file system nor the label of a drive that is a
        // link to a mount point (and keeps a label across the lane's remapping
        // of E:; docs/WINDOWS.md): the stick's label is the Linux day's.
        assert_eq!(rec["medium"]["fs"], "exfat", "{rec}");
        assert_eq!(rec["medium"]["label"], "HAKOBU", "[{who}] the stick's label: {rec}");
    }
    assert!(rec["audit_manifest"].as_str().is_some_and(|a| a.contains("BEGIN AGE ENCRYPTED FILE")), "[{who}] no audit copy: {rec}");
    assert_eq!(rec["signer"]["name"], "本社", "[{who}] {rec}");
    assert_ne!(rec["sender"]["user"], "総務部長", "[{who}] the sender came from the USER variable: {rec}");
    if !lane.windows {
        let me = String::from_utf8(Command::new("id").arg("-un").output().unwrap().stdout).unwrap();
        assert_eq!(rec["sender"]["user"], me.trim(), "[{who}] the sender is the OS account: {rec}");
    }
    let ciphertext = rec["archive"]["sha256"].as_str().unwrap().to_owned();
    // The clerk's screen names the record (its number), so a lost stick can be looked up.
    assert!(c.said(&format!("No. {}", rec["seq"])) || c.said(&id[..8]), "[{who}] the pack result names no record:\n{}", c.screen);

    // ── IT at the door: the stick check (section 4's command), then the archive with the escrow key (section 3). ──
    let door = hakobu_commands(&it_guide);
    let stick_check: Vec<String> = door
        .iter()
        .find(|c| c[0] == "verify" && c.len() == 2 && c[1] == "E:\\")
        .cloned()
        .unwrap_or_else(|| panic!("{IT_GUIDE}: no `hakobu verify E:\\`"));
    let mut args: Vec<&str> = stick_check.iter().map(|a| if a == "E:\\" { stick } else { a.as_str() }).collect();
    args.push("--json");
    let out = lane.run_code(&o.it, &it_env, 0, &args);
    assert_eq!(json(&out)["verdict"], "clean", "[{who}] {}", stdout(&out));
    let with_key = door
        .iter()
        .find(|c| c[0] == "verify" && c.contains(&"-i".to_string()))
        .unwrap_or_else(|| panic!("{IT_GUIDE}: no `hakobu verify … -i`"));
    let archive_arg = format!("{}{}", stick_arg_prefix(lane, stick), archive_name);
    let args: Vec<String> = with_key
        .iter()
        .map(|a| {
            if a.ends_with(".age") {
                archive_arg.clone()
            } else if a.ends_with(".txt") {
                escrow_file.clone()
            } else {
                a.clone()
            }
        })
        .collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let c = lane.converse(&o.it, &it_env, &args, &[("のパスフレーズを入力してください", &typed)]);
    assert_eq!(c.code, Some(0), "[{who}] IT's escrow key opens every archive:\n{}", c.explain());

    // ── 千葉支部: the archive dropped onto hakobu, unpacked with a receipt. ──
    let dest = o.chiba.join("受け取り");
    let mut recv_env = chiba_env.clone();
    recv_env.push(("HAKOBU_TEST_REMOVABLE".into(), stick.to_owned()));
    let c = lane.converse(
        &o.chiba,
        &recv_env,
        &[&archive_arg],
        &[
            ("展開先のフォルダーを指定してください", &format!("{}\r", lane.path(&dest))),
            ("のパスフレーズを入力してください", &typed),
            ("フォルダーを開きますか", "n"),
            ("Enter キーを押すと画面を閉じます", "\r"),
        ],
    );
    assert_eq!(c.code, Some(0), "[{who}] the guided unpack at 千葉支部:\n{}", c.explain());
    assert!(c.said("本社（鍵 SHA256:"), "[{who}] the receiver is told 本社 made it:\n{}", c.screen);
    assert!(c.said("展開しました。すべて検証済みです"), "[{who}] {}", c.screen);
    assert_same_tree(&o.honsha.join("会員名簿"), &dest.join("会員名簿"));
    let receipt = stick_dir.join(format!("{archive_name}.receipt"));
    assert!(receipt.is_file(), "[{who}] the guided unpack left no receipt on the stick: {:?}\n{}", names_in(stick_dir), c.screen);
    on_stick = names_in(stick_dir);
    assert_eq!(on_stick.len(), 4, "[{who}] the unpack wrote nothing else onto the stick: {on_stick:?}");
    let r: serde_json::Value = serde_json::from_slice(&fs::read(&receipt).unwrap()).unwrap();
    assert_eq!(
        (r["id"].as_str(), r["result"].as_str(), r["sha256"].as_str()),
        (Some(id.as_str()), Some("verified"), Some(ciphertext.as_str())),
        "{r}"
    );

    // ── The stick comes back: the stick check passes (the receipt holds no contents). ──
    let out = lane.run(&o.it, &it_env, &["verify", stick, "--json"]);
    assert_eq!(out.status.code(), Some(0), "[{who}] the returned stick (archive + receipt) fails the check:\n{}", stdout(&out));
    assert_eq!(json(&out)["verdict"], "clean", "{}", stdout(&out));

    // ── IT imports the receipt. ──
    let receipt_arg = format!("{archive_arg}.receipt");
    lane.run_code(&o.it, &it_env, 0, &["ledger", "import", &receipt_arg]);
    let out = lane.run_code(&o.it, &it_env, 0, &["ledger", "show", &id, "--json"]);
    let item = json(&out);
    let imported: Vec<&serde_json::Value> = item["receipts"].as_array().unwrap().iter().filter(|x| x["source"] == "imported").collect();
    assert_eq!(imported.len(), 1, "[{who}] {item}");
    assert_eq!(imported[0]["result"], "verified", "{item}");
    let out = lane.run_code(&o.it, &it_env, 0, &["ledger", "list", "--not-received", "--json"]);
    assert_eq!(json(&out)["records"].as_array().map(Vec::len), Some(0), "[{who}] received, yet listed as not received: {}", stdout(&out));
    let out = lane.run_code(&o.it, &it_env, 0, &["ledger", "verify", "--json"]);
    assert_eq!(json(&out)["ok"], true, "{}", stdout(&out));

    // ── A stick is "lost": IT answers by the archive's name, and by the stick's label. ──
    for name in [archive_name.clone(), base.clone()] {
        let out = lane.run_code(&o.it, &it_env, 0, &["ledger", "show", &name, "--json"]);
        assert_eq!(json(&out)["id"], id.as_str(), "[{who}] ledger show {name}: {}", stdout(&out));
        let out = lane.run_code(&o.it, &it_env, 0, &["ledger", "report", &name, "--json"]);
        let report = json(&out);
        assert_eq!(report["id"], id.as_str(), "[{who}] ledger report {name}: {report}");
        assert_eq!(
            (report["encrypted"].as_bool(), report["passphrase"].as_bool(), report["key_on_medium"].as_bool()),
            (Some(true), Some(false), Some(false)),
            "[{who}] {report}"
        );
    }
    // By the label (what is written on the stick, or what Explorer showed): Linux only (see above).
    if !lane.windows {
        lost_by_label(lane, &o, &it_env, &id);
    }
    // The report in Japanese: the encryption section states what the record supports.
    let out = lane.run_code(&o.it, &it_env, 0, &["ledger", "report", &archive_name]);
    let text = stdout(&out);
    let mut words = vec![
        "高度な暗号化その他の個人の権利利益を保護するために必要な措置",
        "暗号化: あり",
        "次の宛先の鍵でだけ開けます",
        "千葉支部",
        escrow_name.as_str(),
        "同じ媒体に鍵ファイルは見つかりませんでした",
    ];
    if !lane.windows {
        words.push("ラベル「HAKOBU」");
    }
    for words in words {
        assert!(text.contains(words), "[{who}] the report lacks 「{words}」:\n{text}");
    }
    for wrong in ["パスフレーズで開きます", "注意: 暗号化した時点で、同じ媒体に鍵ファイル"] {
        assert!(!text.contains(wrong), "[{who}] the report says 「{wrong}」, which the record does not support:\n{text}");
    }
    // With the audit key, the file names (the audit copy) — the audit key's passphrase at a terminal.
    let c = lane.converse(
        &o.it,
        &it_env,
        &["ledger", "report", &archive_name, "-i", &audit_file],
        &[("のパスフレーズを入力してください", &typed)],
    );
    assert_eq!(c.code, Some(0), "[{who}] {}", c.explain());
    assert!(c.said("会員名簿/2026/一覧.csv") || c.said("会員名簿\\2026\\一覧.csv"), "[{who}] the audit key lists the files:\n{}", c.screen);

    // ── The month's CSV. ──
    let csv = o.it.join("持出し台帳.csv");
    lane.run_code(&o.it, &it_env, 0, &["ledger", "export", "--csv", "-o", "持出し台帳.csv"]);
    let bytes = fs::read(&csv).unwrap_or_else(|e| panic!("[{who}] {e}: {}", listing(&o.it)));
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "the CSV has its BOM for Excel");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let rows: Vec<&str> = text.split("\r\n").filter(|r| !r.is_empty()).collect();
    assert_eq!(rows.len(), 2, "[{who}] a header and one record:\n{text}");
    let mut facts = vec![id.as_str(), "千葉支部", categories[0].as_str(), archive_name.as_str()];
    if !lane.windows {
        facts.push("HAKOBU");
    }
    for fact in facts {
        assert!(rows[1].contains(&format!("\"{fact}")), "[{who}] the CSV row lacks {fact}:\n{text}");
    }
}

/// IT answers for a lost stick by its label: `ledger list --medium` and `ledger report LABEL`.
fn lost_by_label(lane: &Lane, o: &Office, it_env: &[(String, String)], id: &str) {
    let who = lane.name();
    let out = lane.run_code(&o.it, it_env, 0, &["ledger", "list", "--medium", "HAKOBU", "--json"]);
    let listed = json(&out);
    let by_label: Vec<&str> = listed["records"].as_array().unwrap().iter().filter_map(|r| r["id"].as_str()).collect();
    assert_eq!(by_label, [id], "[{who}] ledger list --medium HAKOBU: {}", stdout(&out));
    let out = lane.run_code(&o.it, it_env, 0, &["ledger", "report", "HAKOBU", "--json"]);
    let report = json(&out);
    assert_eq!(report["id"], id, "[{who}] ledger report HAKOBU (the stick's label): {report}");
    assert_eq!(
        (report["encrypted"].as_bool(), report["passphrase"].as_bool(), report["key_on_medium"].as_bool()),
        (Some(true), Some(false), Some(false)),
        "{report}"
    );
    assert_eq!(report["medium"]["label"], "HAKOBU", "{report}");
}

/// `E:\` (Wine) or the mount point followed by a separator (Linux).
fn stick_arg_prefix(lane: &Lane, stick: &str) -> String {
    if lane.windows || stick.ends_with('/') {
        stick.to_owned()
    } else {
        format!("{stick}/")
    }
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

fn ledger_lines(path: &Path) -> Vec<serde_json::Value> {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("the shared ledger {}: {e}", path.display()));
    text.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// `%APPDATA%` of the Wine prefix's user (the one profile every PC of the lane shares).
fn wine_appdata(prefix: &Path) -> PathBuf {
    let users = fs::read_dir(prefix.join("drive_c/users")).unwrap().flatten().map(|e| e.path());
    let user = users.filter(|p| p.file_name().is_some_and(|n| n != "Public")).find(|p| p.join("AppData/Roaming").is_dir());
    user.unwrap_or_else(|| panic!("no user profile in {}", prefix.display())).join("AppData/Roaming")
}

#[test]
fn an_offices_day_follows_the_it_guide_on_linux() {
    if !require("script") {
        return;
    }
    let Some(stick) = Medium::exfat(32) else { return };
    let lane = Lane::linux();
    let stick_path = stick.dir.display().to_string();
    the_day(&lane, &stick.dir, &stick_path);
}

#[test]
fn an_offices_day_follows_the_it_guide_with_hakobu_exe_under_wine() {
    let Some(w) = crate::windows_wine::wine() else { return };
    if !require("script") {
        return;
    }
    let Some(stick) = Medium::exfat(32) else { return };
    let _e = w.drive_e(&stick.dir);
    let lane = Lane {
        program: vec![crate::windows_wine::WINE64.to_string(), w.exe.display().to_string()],
        env: vec![("WINEPREFIX".into(), w.prefix.display().to_string()), ("WINEDEBUG".into(), "-all".into())],
        windows: true,
        profile: Some(wine_appdata(&w.prefix).join("hakobu")),
    };
    the_day(&lane, &stick.dir, "E:\\");
}
