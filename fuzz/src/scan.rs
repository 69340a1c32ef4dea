//! Pure, in-process readers of the generated scripts: which lines bash and PowerShell would run as commands, checked against the commands the exporters generate.
//!
//! The hostile-input runner (`cli/tests/hostile.rs`) runs commands.sh with stubbed kubectl/helm;
//! that costs a process per input, too much for a fuzzer's millions of runs. This reader lexes
//! the script the way bash does for what matters here (comments, single and double quotes, line
//! continuations, quoted here-documents) and then demands that every command line has the shape
//! of one the generator writes, with every dynamic word quoted. `bash -n` runs in the replay
//! over the saved corpus (`tests/replay.rs`).

/// The lines of commands.sh with nested quotes, command substitutions, arrays or tests: fixed
/// text, taken as a whole.
const FIXED_LINES: &[&str] = &[
    "SCRIPT_DIR=\"$(cd \"$(dirname \"${BASH_SOURCE[0]}\")\" && pwd)\"",
    "REPO_LOGIN=()",
    "if [ -n \"${HELM_REPO_USERNAME:-}\" ]; then",
    "  REPO_LOGIN=(--username \"$HELM_REPO_USERNAME\" --password \"${HELM_REPO_PASSWORD:-}\")",
];

/// What may stand between double quotes: only the script's own variables (sh_quote never writes
/// a double quote, so anything else is not the generator's).
const DOUBLE_QUOTED: &[&str] = &[
    "$NAMESPACE",
    "$VALUES_FILE",
    "$RELEASE",
    "$CHART_REF",
    "$CHART_VERSION",
    "$SCRIPT_DIR",
    "${RELEASE:-}",
    "${CHART_REF:-}",
    "${CHART_VERSION:-}",
    "${NAMESPACE:-}",
    "${REPO_LOGIN[@]}",
];

/// Variables the script assigns at the top.
const ASSIGNED: &[&str] = &[
    "NAMESPACE",
    "RELEASE",
    "CHART_REF",
    "CHART_VERSION",
    "VALUES_FILE",
];

/// The placeholder a quoted string becomes in a line's skeleton.
const QUOTED: char = '\u{1}';

/// The command lines of a bash script: each logical line (continuations joined) that starts
/// outside a comment, a quote or a here-document, with every quoted string replaced by one
/// placeholder character. Unbalanced quotes and unterminated here-documents are errors.
pub fn sh_command_lines(script: &str) -> Result<Vec<String>, String> {
    let chars: Vec<char> = script.chars().collect();
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut at = 0;
    let mut heredoc: Option<String> = None;
    let mut line_start = true;
    while at < chars.len() {
        if line_start && line.is_empty() {
            let rest: String = chars[at..].iter().take_while(|c| **c != '\n').collect();
            if FIXED_LINES.contains(&rest.as_str()) {
                at += rest.chars().count();
                lines.push("<fixed>".to_string());
                continue;
            }
        }
        line_start = false;
        let c = chars[at];
        match c {
            '\n' => {
                lines.push(std::mem::take(&mut line));
                at += 1;
                line_start = true;
                if let Some(delimiter) = heredoc.take() {
                    // The body: every line up to one that is exactly the delimiter.
                    loop {
                        if at >= chars.len() {
                            return Err(format!("here-document `{delimiter}` never ends"));
                        }
                        let body: String = chars[at..].iter().take_while(|c| **c != '\n').collect();
                        at += body.chars().count() + 1;
                        if body == delimiter {
                            break;
                        }
                    }
                }
            }
            '#' if line.is_empty() || line.ends_with([' ', '\t']) => {
                while at < chars.len() && chars[at] != '\n' {
                    at += 1;
                }
            }
            '\'' => {
                let end = chars[at + 1..]
                    .iter()
                    .position(|c| *c == '\'')
                    .ok_or("a single quote is never closed")?;
                at += end + 2;
                line.push(QUOTED);
            }
            '"' => {
                let mut end = at + 1;
                while end < chars.len() && chars[end] != '"' {
                    if chars[end] == '\\' {
                        end += 1;
                    }
                    end += 1;
                }
                if end >= chars.len() {
                    return Err("a double quote is never closed".into());
                }
                let inner: String = chars[at + 1..end].iter().collect();
                if !DOUBLE_QUOTED.contains(&inner.as_str()) {
                    return Err(format!("double quotes around {inner:?}"));
                }
                at = end + 1;
                line.push(QUOTED);
            }
            '\\' => {
                if chars.get(at + 1) == Some(&'\n') {
                    line.push(' ');
                    at += 2;
                } else if chars.get(at + 1) == Some(&'\'') {
                    // sh_quote's `'\''`: a quote character between two quoted strings.
                    line.push(QUOTED);
                    at += 2;
                } else {
                    return Err(format!("an unquoted backslash in {line:?}"));
                }
            }
            '<' if chars.get(at + 1) == Some(&'<') => {
                // Only a quoted delimiter keeps the body from being expanded.
                if chars.get(at + 2) != Some(&'\'') {
                    return Err("a here-document with an unquoted delimiter".into());
                }
                let end = chars[at + 3..]
                    .iter()
                    .position(|c| *c == '\'')
                    .ok_or("a here-document delimiter is never closed")?;
                let delimiter: String = chars[at + 3..at + 3 + end].iter().collect();
                if heredoc.replace(delimiter).is_some() {
                    return Err("two here-documents on one line".into());
                }
                line.push_str("<<");
                line.push(QUOTED);
                at += end + 4;
            }
            other => {
                line.push(other);
                at += 1;
            }
        }
    }
    if heredoc.is_some() {
        return Err("a here-document starts on the last line".into());
    }
    if !line.is_empty() {
        lines.push(line);
    }
    Ok(lines
        .into_iter()
        .map(|line| line.trim().to_string())
        .collect())
}

/// A word made only of what sh_quote leaves bare, and quoted strings.
fn plain_word(word: &str) -> bool {
    !word.is_empty()
        && word
            .chars()
            .all(|c| c == QUOTED || c.is_ascii_alphanumeric() || "_./:=@%+,-".contains(c))
}

/// Checks commands.sh: every command line is one the generator writes, and every word in it
/// is either the generator's own or quoted. `Err` names the first line that is not.
pub fn check_commands_sh(script: &str) -> Result<(), String> {
    if !script.starts_with("#!/usr/bin/env bash\n") {
        return Err("no bash shebang".into());
    }
    let lines = sh_command_lines(script)?;
    let mut reached_upgrade = false;
    for line in &lines {
        let words: Vec<&str> = line.split_whitespace().collect();
        let ok = match words.as_slice() {
            [] => true,
            ["<fixed>"] | ["set", "-euo", "pipefail"] | ["fi"] | ["exit", "1"] => true,
            [assignment] if assignment.contains('=') => {
                let (name, value) = assignment.split_once('=').unwrap_or_default();
                ASSIGNED.contains(&name) && plain_word(value)
            }
            ["if", "[", "-z", quoted, "];", "then"] => *quoted == QUOTED.to_string(),
            ["echo", word, ">&2"] => plain_word(word),
            [first, ..] if *first == "kubectl" || *first == "helm" => {
                if line.starts_with("helm upgrade --install ") {
                    reached_upgrade = true;
                }
                pipeline(&words)
            }
            _ => false,
        };
        if !ok {
            return Err(format!("commands.sh would run {line:?}"));
        }
    }
    if !reached_upgrade {
        return Err("commands.sh never reaches `helm upgrade --install`".into());
    }
    Ok(())
}

/// `kubectl … | kubectl apply -f -`, `helm … > /dev/null`, `kubectl apply -f - <<'EOF'`: each
/// stage starts with kubectl or helm, and no word is an operator the generator does not write.
fn pipeline(words: &[&str]) -> bool {
    let mut stage_start = true;
    let mut redirect = false;
    for word in words {
        if stage_start {
            if !matches!(*word, "kubectl" | "helm") {
                return false;
            }
            stage_start = false;
            continue;
        }
        if redirect {
            if *word != "/dev/null" {
                return false;
            }
            redirect = false;
            continue;
        }
        match *word {
            "|" => stage_start = true,
            ">" => redirect = true,
            word if word == format!("<<{QUOTED}") => {}
            word if plain_word(word) => {}
            _ => return false,
        }
    }
    !stage_start && !redirect
}

/// The lines of commands.ps1 that start outside any string (single-quoted, or an `@' … '@`
/// here-string): the only ones PowerShell could run as commands. The same reader as the
/// hostile-input runner's.
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

/// What a line of commands.ps1 that PowerShell runs may start with.
const PS1_COMMANDS: [&str; 7] = ["$", "kubectl ", "helm ", "if ", "@'", "'@ |", "#"];

/// Checks commands.ps1: every line PowerShell would run starts as a generated command does, and
/// no string is left open.
pub fn check_commands_ps1(script: &str) -> Result<(), String> {
    for line in ps1_command_lines(script) {
        let line = line.trim();
        if !line.is_empty() && !PS1_COMMANDS.iter().any(|start| line.starts_with(start)) {
            return Err(format!("commands.ps1 would run {line:?}"));
        }
    }
    if !script.contains("\nhelm upgrade --install ") {
        return Err("commands.ps1 never reaches `helm upgrade --install`".into());
    }
    Ok(())
}

/// Checks mirror.sh: a bash shebang, comment lines, the fixed prelude (`prelude`, the core's
/// `MIRROR_SH_PRELUDE`, whole and once), then only lines that set `STEP` or call one of the
/// prelude's functions, every dynamic word quoted or made of what sh_quote leaves bare.
pub fn check_mirror_sh(script: &str, prelude: &str) -> Result<(), String> {
    let rest = script
        .strip_prefix("#!/usr/bin/env bash\n")
        .ok_or("mirror.sh: no bash shebang")?;
    let (head, tail) = rest
        .split_once(prelude)
        .ok_or("mirror.sh: the fixed prelude is not there whole")?;
    if let Some(line) = head
        .lines()
        .find(|line| !(*line == "#" || line.starts_with("# ")))
    {
        return Err(format!(
            "mirror.sh: {line:?} before the prelude is not a comment"
        ));
    }
    let lines = sh_command_lines(tail).map_err(|why| format!("mirror.sh: {why}"))?;
    let mut done = false;
    for line in &lines {
        let words: Vec<&str> = line.split_whitespace().collect();
        let ok = match words.as_slice() {
            [] => true,
            [assignment] => assignment.strip_prefix("STEP=").is_some_and(plain_word),
            ["login_registry", role, registry] => {
                matches!(*role, "SOURCE" | "TARGET") && plain_word(registry)
            }
            ["login_helm_repository" | "login_helm_registry", word] => plain_word(word),
            ["copy_image", from, to] => plain_word(from) && plain_word(to),
            ["copy_chart", name, version, target] => {
                plain_word(name) && plain_word(version) && plain_word(target)
            }
            ["echo", word] => {
                done = true;
                plain_word(word)
            }
            _ => false,
        };
        if !ok {
            return Err(format!("mirror.sh would run {line:?}"));
        }
    }
    if !done {
        return Err("mirror.sh never says it is done".into());
    }
    Ok(())
}

/// The rest of a mirror.ps1 line after its command: single-quoted strings (`''` inside) and the
/// bare role words, separated by spaces.
fn ps_quoted_words(rest: &str) -> bool {
    let mut chars = rest.chars().peekable();
    loop {
        while chars.peek() == Some(&' ') {
            chars.next();
        }
        match chars.next() {
            None => return true,
            Some('\'') => loop {
                match chars.next() {
                    None => return false,
                    Some('\'') if chars.peek() == Some(&'\'') => {
                        chars.next();
                    }
                    Some('\'') => break,
                    Some(c) if matches!(c, '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}') => {
                        // ps_quote doubles the typographic quotes PowerShell also reads as quotes.
                        if chars.next() != Some(c) {
                            return false;
                        }
                    }
                    Some(_) => {}
                }
            },
            Some(_) => return false,
        }
        if !matches!(chars.peek(), None | Some(' ')) {
            return false;
        }
    }
}

/// Checks mirror.ps1: comment lines, the fixed prelude (`prelude`, the core's
/// `MIRROR_PS1_PRELUDE`), then only lines that set `$Step` or call the prelude's functions with
/// single-quoted words.
pub fn check_mirror_ps1(script: &str, prelude: &str) -> Result<(), String> {
    let (head, tail) = script
        .split_once(prelude)
        .ok_or("mirror.ps1: the fixed prelude is not there whole")?;
    if let Some(line) = head
        .lines()
        .find(|line| !(*line == "#" || line.starts_with("# ")))
    {
        return Err(format!(
            "mirror.ps1: {line:?} before the prelude is not a comment"
        ));
    }
    let mut done = false;
    for line in ps1_command_lines(tail) {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let ok = if let Some(rest) = line.strip_prefix("$Step = ") {
            rest.starts_with('\'') && ps_quoted_words(rest)
        } else if let Some(rest) = line.strip_prefix("Write-Output ") {
            done = true;
            ps_quoted_words(rest)
        } else {
            [
                "Connect-Registry ",
                "Connect-HelmRepository ",
                "Connect-HelmRegistry ",
                "Copy-Image ",
                "Copy-Chart ",
            ]
            .iter()
            .find_map(|command| line.strip_prefix(command))
            .is_some_and(ps_quoted_words)
        };
        if !ok {
            return Err(format!("mirror.ps1 would run {line:?}"));
        }
    }
    if !done {
        return Err("mirror.ps1 never says it is done".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "#!/usr/bin/env bash\n# Installs x\nset -euo pipefail\n\n\
        SCRIPT_DIR=\"$(cd \"$(dirname \"${BASH_SOURCE[0]}\")\" && pwd)\"\n\
        VALUES_FILE=\"$SCRIPT_DIR\"/ixn-values.yaml\nNAMESPACE='a\nb; reboot'\nRELEASE=\"${RELEASE:-}\"\n\
        if [ -z \"$RELEASE\" ]; then\n  echo 'set it' >&2\n  exit 1\nfi\n\
        kubectl create namespace \"$NAMESPACE\" --dry-run=client -o yaml | kubectl apply -f -\n\
        # Secret x\nkubectl create secret generic 'x y' -n \"$NAMESPACE\" \\\n  --from-literal=k='v'\\''$(id)' \\\n  --dry-run=client -o yaml | kubectl apply -f -\n\
        kubectl apply -f - <<'PECFG_SECRET_EOF'\nreboot\nPECFG_SECRET_EOF\n\
        helm template -n \"$NAMESPACE\" -f \"$VALUES_FILE\" -- \"$RELEASE\" \"$CHART_REF\" > /dev/null\n\
        helm upgrade --install -n \"$NAMESPACE\" -f \"$VALUES_FILE\" --atomic -- \"$RELEASE\" \"$CHART_REF\"\n";

    #[test]
    fn the_generated_shapes_pass() {
        check_commands_sh(GOOD).unwrap();
    }

    #[test]
    fn an_escaped_command_is_caught() {
        for (from, to) in [
            ("# Secret x\n", "# Secret x\nreboot\n"),
            ("NAMESPACE='a\nb; reboot'", "NAMESPACE=a; reboot"),
            ("--from-literal=k='v'\\''$(id)'", "--from-literal=k=$(id)"),
            ("--from-literal=k='v'\\''$(id)'", "--from-literal=k='v'`id`"),
            (
                "\nreboot\nPECFG_SECRET_EOF\n",
                "\nPECFG_SECRET_EOF\nreboot\nPECFG_SECRET_EOF\n",
            ),
            ("> /dev/null", "> /tmp/x"),
            ("'x y'", "x;y"),
            ("'x y'", "'x y' &"),
        ] {
            let bad = GOOD.replacen(from, to, 1);
            assert_ne!(bad, GOOD, "{from}");
            assert!(check_commands_sh(&bad).is_err(), "{to} passed");
        }
    }

    #[test]
    fn the_powershell_reader_sees_a_line_outside_strings() {
        let ps1 = "$Namespace = 'a\nb'\n# Secret x\nlogoff\n@'\nnot: run\n'@ | kubectl apply -f -\nhelm upgrade --install x\n";
        assert!(check_commands_ps1(ps1).unwrap_err().contains("logoff"));
        assert!(check_commands_ps1(&ps1.replace("logoff\n", "")).is_ok());
    }

    #[test]
    fn the_mirror_scripts_pass_and_an_escaped_command_is_caught() {
        let prelude_sh = "set -Eeuo pipefail\nfoo() { \"$1\"; }\n";
        let sh = format!(
            "#!/usr/bin/env bash\n# Copies x\n{prelude_sh}\n# 1. Log in\nSTEP='log in'\nlogin_registry SOURCE reg.example.com\nSTEP='image a/b'\ncopy_image reg.example.com/a/b:1 'mirror.example.com/a/b:1'\ncopy_chart ixn '' oci://mirror.example.com/helm-multicloud\nSTEP='done'\necho 'mirror.sh: done'\n"
        );
        check_mirror_sh(&sh, prelude_sh).unwrap();
        for (from, to) in [
            ("# Copies x\n", "# Copies x\nreboot\n"),
            ("copy_image reg", "copy_image $(id) reg"),
            ("STEP='image a/b'", "STEP=x; reboot"),
            ("login_registry SOURCE", "login_registry ROOT"),
            ("foo() {", "bar() {"),
        ] {
            let bad = sh.replacen(from, to, 1);
            assert_ne!(bad, sh, "{from}");
            assert!(check_mirror_sh(&bad, prelude_sh).is_err(), "{to} passed");
        }
        let prelude_ps1 = "param([switch]$DryRun)\nfunction Copy-Image { }\n";
        let ps1 = format!(
            "# Copies x\n{prelude_ps1}$Step = 'image a/b'\nCopy-Image 'a/b:1' 'm/a/b:1'\nCopy-Chart 'ixn' '' 'oci://m'\nConnect-Registry 'SOURCE' 'r'\nWrite-Output 'mirror.ps1: done'\n"
        );
        check_mirror_ps1(&ps1, prelude_ps1).unwrap();
        for (from, to) in [
            ("Copy-Image 'a/b:1'", "Copy-Image 'a/b:1' ; logoff"),
            ("$Step = 'image a/b'", "$Step = 'image a/b'\nlogoff"),
            ("Copy-Chart 'ixn'", "Copy-Chart $(logoff)"),
            ("'m/a/b:1'", "'m/a/b:1"),
        ] {
            let bad = ps1.replacen(from, to, 1);
            assert_ne!(bad, ps1, "{from}");
            assert!(check_mirror_ps1(&bad, prelude_ps1).is_err(), "{to} passed");
        }
    }
}
