//! Helpers the CLI's integration tests share: reading a PowerShell script for the lines it would run.

/// The lines of a PowerShell script that start outside any string (single-quoted, or an
/// `@' … '@` here-string): the only ones PowerShell could run as commands. No pwsh is available
/// here, so this reader is how the tests check that commands.ps1 and install.ps1 run nothing but
/// their own lines.
pub fn ps1_command_lines(script: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut in_quote = false;
    let mut in_here = false;
    for line in script.split('\n') {
        if in_here {
            if line.starts_with("'@") {
                in_here = false;
                lines.push(line);
            }
            continue;
        }
        if !in_quote {
            lines.push(line);
        }
        if !in_quote && line.trim_end() == "@'" {
            in_here = true;
            continue;
        }
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            if !in_quote && c == '#' {
                break;
            }
            if matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}') {
                if in_quote && chars.peek().is_some_and(|next| *next == c) {
                    chars.next();
                } else {
                    in_quote = !in_quote;
                }
            }
        }
    }
    lines
}
