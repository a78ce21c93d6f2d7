//! docs/SECURITY.md's test matrix may not promise what no test checks: every
//! row names at least one test, and every named test exists.

use std::fs;
use std::path::Path;

/// Modules written on other branches (hostile archives, age test kit,
/// fuzzing): until they are merged their names cannot be checked here.
const PENDING: &[&str] = &["hostile", "safearchive", "testkit", "fuzz_corpus", "fuzz"];

#[test]
fn security_matrix_names_real_tests() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = fs::read_to_string(root.join("docs/SECURITY.md")).expect("docs/SECURITY.md");
    let start = doc.find("## Test matrix").expect("a '## Test matrix' section");
    let end = doc[start..].find("\n## Not yet covered").map_or(doc.len(), |i| start + i);
    let mut problems = Vec::new();
    let mut pending = Vec::new();
    let mut rows = 0;
    for line in doc[start..end].lines() {
        let cells: Vec<&str> = line.trim().trim_matches('|').split('|').map(str::trim).collect();
        if !line.starts_with('|') || cells.iter().all(|c| c.chars().all(|ch| ch == '-' || ch == ' ')) {
            continue;
        }
        if cells.last().is_some_and(|c| *c == "Test") {
            continue; // the header row
        }
        rows += 1;
        let names = test_names(cells.last().unwrap());
        if names.is_empty() {
            problems.push(format!("row names no test: {line}"));
        }
        for name in names {
            match find_test(root, &name) {
                Found::Yes => {}
                Found::Pending => pending.push(name),
                Found::No(why) => problems.push(format!("{name}: {why}")),
            }
        }
    }
    assert!(rows > 50, "only {rows} rows found: is the table format still understood?");
    pending.sort();
    pending.dedup();
    if !pending.is_empty() {
        crate::support::notice(&format!(
            "NOTICE: {} tests named in docs/SECURITY.md live on branches not merged here: {}",
            pending.len(),
            pending.join(", ")
        ));
    }
    assert!(problems.is_empty(), "docs/SECURITY.md test matrix:\n{}", problems.join("\n"));
}

/// `module::…::function` names in backticks.
fn test_names(cell: &str) -> Vec<String> {
    cell.split('`')
        .skip(1)
        .step_by(2)
        .filter(|t| t.contains("::") && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':'))
        .map(str::to_owned)
        .collect()
}

enum Found {
    Yes,
    Pending,
    No(String),
}

/// Looks for `fn <last>(` in tests/integration/<module>.rs or src/<module>.rs.
fn find_test(root: &Path, name: &str) -> Found {
    let parts: Vec<&str> = name.split("::").collect();
    let (module, function) = (parts[0], parts[parts.len() - 1]);
    let candidates = [root.join(format!("tests/integration/{module}.rs")), root.join(format!("src/{module}.rs"))];
    let Some(file) = candidates.iter().find(|p| p.is_file()) else {
        return if PENDING.contains(&module) { Found::Pending } else { Found::No(format!("no module file for `{module}`")) };
    };
    let text = fs::read_to_string(file).unwrap();
    if text.contains(&format!("fn {function}(")) {
        Found::Yes
    } else {
        Found::No(format!("no `fn {function}(` in {}", file.display()))
    }
}
