//! The one place where text a person reads is cut into lines (#26 item 3).
//!
//! Lines are broken where Unicode's line-breaking rules allow (UAX #14, via
//! `textwrap`'s `unicode-linebreak` feature): no line starts with 」）。、 and
//! none ends with 「（, and widths are display widths (a Japanese character
//! takes two columns). A command example (`hakobu recipients list`) is
//! never broken inside. Text that does not go to a terminal is left whole:
//! scripts and logs read one message per line.

use unicode_width::UnicodeWidthStr;

/// No-break space: glues a command's words together while the text is wrapped.
const GLUE: char = '\u{a0}';

/// The columns of the terminal on stderr, or `None` when stderr is not a
/// terminal or the terminal does not say its size (then nothing is cut:
/// a guess would break lines where the terminal does not).
pub fn stderr_columns() -> Option<usize> {
    columns(&console::Term::stderr())
}

fn columns(term: &console::Term) -> Option<usize> {
    term.size_checked().map(|(_, c)| usize::from(c)).filter(|c| *c > 0)
}

/// The columns of the terminal on stdout (where `--help` goes), or `None`.
pub fn stdout_columns() -> Option<usize> {
    columns(&console::Term::stdout())
}

/// The columns text may fill on a terminal of `columns`: one is left free,
/// so that a full line never makes the terminal wrap on its own.
pub fn usable(columns: usize) -> usize {
    columns.saturating_sub(1).max(20)
}

/// `text` cut to the width of the terminal on stderr, with `room` columns
/// left on its last line (for the answer to a question); unchanged when
/// stderr is not a terminal.
pub fn for_stderr(text: &str, room: usize) -> String {
    match stderr_columns() {
        Some(columns) => {
            let columns = usable(columns);
            let wrapped = wrap(text, columns);
            let last = wrapped.rsplit('\n').next().unwrap_or("");
            if width(last) + room <= columns {
                wrapped
            } else {
                wrap(text, columns.saturating_sub(room).max(20))
            }
        }
        None => text.to_owned(),
    }
}

/// Display width of `text` in terminal columns.
pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// `text` (which may hold several lines) cut to lines of at most `columns`
/// display columns. A line keeps its own leading spaces; the lines it is
/// cut into are indented two columns more (a hanging indent), so that the
/// continuation of a message is told from the next message.
pub fn wrap(text: &str, columns: usize) -> String {
    wrap_lines(text, columns, 2)
}

/// A command line's synopsis (`hakobu pack [オプション] <ファイル>...`)
/// cut at its spaces only, so that no `<…>` or `[…]` is broken; continuation
/// lines indented two columns.
pub fn wrap_synopsis(text: &str, columns: usize) -> String {
    let options = textwrap::Options::new(columns)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .subsequent_indent("  ")
        .break_words(false);
    textwrap::wrap(text, options).join("\n")
}

/// As [`wrap`], but a word longer than a line (a key, a long path) is left
/// whole on its own line rather than cut: what is copied from the screen
/// must stay what it was.
pub fn wrap_keeping_words(text: &str, columns: usize) -> String {
    text.split('\n').map(|line| wrap_line(line, columns, 2, false)).collect::<Vec<_>>().join("\n")
}

/// As [`wrap`], without the hanging indent: for text that its caller
/// indents as a block (clap's help).
pub fn wrap_flush(text: &str, columns: usize) -> String {
    wrap_lines(text, columns, 0)
}

fn wrap_lines(text: &str, columns: usize, hang: usize) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&wrap_line(line, columns, hang, true));
    }
    out
}

fn wrap_line(line: &str, columns: usize, hang: usize, break_words: bool) -> String {
    if width(line) <= columns {
        return line.to_owned();
    }
    let indent: String = line.chars().take_while(|c| *c == ' ').collect();
    let hanging = format!("{indent}{}", " ".repeat(hang));
    // Too narrow to indent: no indent rather than lines of one character.
    let hanging = if columns > hanging.len() + 10 { hanging } else { String::new() };
    let glued = glue_commands(line);
    let options = textwrap::Options::new(columns)
        .word_separator(textwrap::WordSeparator::UnicodeBreakProperties)
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .subsequent_indent(&hanging)
        .break_words(break_words);
    textwrap::wrap(&glued, options).iter().map(|l| l.replace(GLUE, " ")).collect::<Vec<_>>().join("\n")
}

/// `hakobu` and the command words after it (`hakobu ledger verify`) joined
/// by no-break spaces, so that a command example stays on one line.
fn glue_commands(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find("hakobu ") {
        // Only the word hakobu, not the end of another word.
        let before_ok = rest[..at].chars().next_back().is_none_or(|c| !c.is_ascii_alphanumeric());
        out.push_str(&rest[..at]);
        out.push_str("hakobu");
        rest = &rest[at + "hakobu".len()..];
        if !before_ok {
            continue;
        }
        // The command words: small ASCII letters and dashes, each after one space.
        while let Some(after) = rest.strip_prefix(' ') {
            let word_len = after.find(|c: char| !(c.is_ascii_lowercase() || c == '-')).unwrap_or(after.len());
            if word_len == 0 || after.starts_with('-') {
                break;
            }
            out.push(GLUE);
            out.push_str(&after[..word_len]);
            rest = &after[word_len..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const NO_START: [char; 6] = ['」', '）', '。', '、', '』', '・'];
    const NO_END: [char; 3] = ['「', '（', '『'];

    fn check(text: &str, columns: usize) -> Vec<String> {
        let wrapped = wrap(text, columns);
        let lines: Vec<String> = wrapped.lines().map(str::to_owned).collect();
        for l in &lines {
            assert!(width(l) <= columns, "wider than {columns}: {l:?}\n{wrapped}");
            let t = l.trim_start();
            assert!(!t.starts_with(NO_START), "forbidden start: {l:?}\n{wrapped}");
            assert!(!l.ends_with(NO_END), "forbidden end: {l:?}\n{wrapped}");
        }
        lines
    }

    #[test]
    fn japanese_is_broken_by_the_rules_and_display_width() {
        let text = "ヒント: 宛先の一覧は hakobu recipients list で確かめられます（宛先帳: /home/suzuki/.config/hakobu/config.toml）。「千葉支部」の鍵ファイルを指定してください。空き 508.2 MB）を確かめてから、もう一度展開しました。";
        for columns in [20, 30, 40, 60, 80] {
            let lines = check(text, columns);
            let joined: String = lines.iter().map(|l| l.trim_start()).collect();
            assert!(joined.contains("hakobu recipients list") || columns < 24, "command broken at {columns}: {lines:?}");
        }
    }

    #[test]
    fn a_command_example_is_never_broken_inside() {
        let lines = check("展開するときは次のように指定します。あいうえおかきくけこ hakobu unpack アーカイブ", 30);
        assert!(lines.iter().any(|l| l.contains("hakobu unpack")), "{lines:?}");
    }

    #[test]
    fn short_lines_and_leading_spaces_are_kept() {
        assert_eq!(wrap("エラー: 短い\n  詳細", 80), "エラー: 短い\n  詳細");
        let lines = check("  詳細: ファイルを書けませんでした。書き込み先の空きを確かめてください。", 30);
        assert!(lines[1..].iter().all(|l| l.starts_with("    ")), "{lines:?}");
    }

    #[test]
    fn a_key_is_left_whole_where_words_are_kept() {
        let key = "age1s0gxfusl4ur5lxv4tulvkxasyx9gdzlzw059uayxxchz9nh54svsud247w";
        let wrapped = wrap_keeping_words(&format!("千葉支部の公開鍵は {key} です"), 40);
        assert!(wrapped.lines().any(|l| l.trim() == key), "{wrapped}");
        assert!(!wrap(key, 40).contains(key), "wrap cuts what does not fit");
    }

    #[test]
    fn english_breaks_between_words() {
        let lines = check("error: the archive could not be read; nothing was written to the destination", 30);
        assert!(lines.iter().all(|l| !l.trim().contains("writ ")), "{lines:?}");
        assert_eq!(
            lines.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" "),
            "error: the archive could not be read; nothing was written to the destination"
        );
    }
}
