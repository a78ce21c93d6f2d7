//! docs/SECURITY.md's test matrix may not promise what no test checks: every
//! row names at least one test, and every named test exists.

use std::fs;
use std::path::Path;

#[test]
fn security_matrix_names_real_tests() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = fs::read_to_string(root.join("docs/SECURITY.md")).expect("docs/SECURITY.md");
    let start = doc.find("## Test matrix").expect("a '## Test matrix' section");
    let end = doc[start..].find("\n## Not yet covered").map_or(doc.len(), |i| start + i);
    let mut problems = Vec::new();
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
            if let Err(why) = find_test(root, &name) {
                problems.push(format!("{name}: {why}"));
            }
        }
    }
    assert!(rows > 50, "only {rows} rows found: is the table format still understood?");
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

/// Looks for `fn <last>(` in tests/integration/<module>.rs, or in the one
/// `<module>.rs` under src/ (modules live in layer folders there).
fn find_test(root: &Path, name: &str) -> Result<(), String> {
    let parts: Vec<&str> = name.split("::").collect();
    let (module, function) = (parts[0], parts[parts.len() - 1]);
    let file_name = format!("{module}.rs");
    let mut candidates = vec![root.join("tests/integration").join(&file_name)];
    candidates.extend(
        walkdir::WalkDir::new(root.join("src"))
            .into_iter()
            .flatten()
            .filter(|e| e.file_name() == file_name.as_str())
            .map(|e| e.into_path()),
    );
    let Some(file) = candidates.iter().find(|p| p.is_file()) else {
        return Err(format!("no module file for `{module}`"));
    };
    let text = fs::read_to_string(file).unwrap();
    if text.contains(&format!("fn {function}(")) {
        Ok(())
    } else {
        Err(format!("no `fn {function}(` in {}", file.display()))
    }
}

/// docs/ERRORS.md lists every kind code src/error.rs can return, and no other.
#[test]
fn every_error_kind_code_is_documented() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let source = fs::read_to_string(root.join("src/error.rs")).unwrap();
    let start = source.find("pub fn kind(&self)").expect("Error::kind");
    let end = source.find("pub fn exit_code(&self)").expect("Error::exit_code");
    // The string after each `=> ` arm: the codes, not the doc comments' quotes.
    let codes = |text: &'static str| text.split("=> \"").skip(1).filter_map(|rest| rest.split('"').next()).collect::<Vec<&str>>();
    let source: &'static str = source.leak();
    let mut in_code = codes(&source[start..end]);
    let io_start = source.find("pub fn code(self)").expect("IoKind::code");
    in_code.extend(codes(source[io_start..].split("\n    }\n").next().unwrap()));
    in_code.sort();
    in_code.dedup();
    let doc = fs::read_to_string(root.join("docs/ERRORS.md")).unwrap();
    let mut documented: Vec<&str> = doc.lines().filter_map(|l| l.strip_prefix("| `")).filter_map(|l| l.split('`').next()).collect();
    documented.sort();
    documented.dedup();
    assert!(in_code.len() > 50, "only {} codes found in src/error.rs: is the parse still right?", in_code.len());
    assert_eq!(in_code, documented, "src/error.rs kind codes vs docs/ERRORS.md");
}

/// The library returns facts and never speaks or asks (docs/ARCHITECTURE.md):
/// below the binary's `cli`, no printing, no terminal, no age `cli_common`
/// (its prompts), no text naming the CLI's flags, and no `cfg` for an OS
/// outside `src/platform/`.
#[test]
fn the_library_neither_speaks_nor_asks_and_keeps_os_code_in_platform() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut problems = Vec::new();
    for entry in walkdir::WalkDir::new(root.join("src")).into_iter().flatten() {
        let path = entry.path();
        let rel = path.strip_prefix(root).unwrap().to_string_lossy().into_owned();
        if path.extension().is_none_or(|x| x != "rs") || rel.starts_with("src/cli/") || rel == "src/main.rs" {
            continue;
        }
        let text = fs::read_to_string(path).unwrap();
        // Unit tests at the end of a file may do as they like.
        let code = text.split("#[cfg(test)]").next().unwrap();
        for (n, line) in code.lines().enumerate() {
            let line = line.split("//").next().unwrap();
            for banned in ["println!", "eprintln!", "print!(", "eprint!(", "cli_common", "stdin()", "stderr()", "stdout()"] {
                if line.contains(banned) {
                    problems.push(format!("{rel}:{}: {banned}", n + 1));
                }
            }
            // A flag in a string literal: a hint for one front-end, built in the library.
            for literal in line.split('"').skip(1).step_by(2) {
                let names_a_flag = literal.split_whitespace().any(|w| {
                    let w = w.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '-');
                    w.strip_prefix("--").is_some_and(|f| f.starts_with(|c: char| c.is_ascii_lowercase()))
                        || (w.len() == 2 && w.starts_with('-') && w.as_bytes()[1].is_ascii_alphabetic())
                });
                if names_a_flag {
                    problems.push(format!("{rel}:{}: names a flag: \"{literal}\"", n + 1));
                }
            }
            if !rel.starts_with("src/platform/")
                && (line.contains("cfg(unix)") || line.contains("cfg(windows)") || line.contains("target_os"))
            {
                problems.push(format!("{rel}:{}: OS-specific code outside src/platform/", n + 1));
            }
        }
    }
    assert!(problems.is_empty(), "the library speaks, asks, or has OS code outside platform:\n{}", problems.join("\n"));
}
