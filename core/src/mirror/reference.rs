//! The image reference grammar (the OCI distribution reference: `[host[:port]/]path[:tag]`) and the
//! container runtime's reading of a name (a first part with a `.` or `:`, `localhost`, or an
//! upper-case letter is a registry host; anything else is on Docker Hub, `docker.io`, where a
//! one-part name lives under `library/`).
//!
//! Every registry, repository and tag the mirror writes into a script passed these checks: a
//! value with whitespace, a control character, a leading `-`, or a character the grammar does not
//! allow is refused with a reason that names the character, never the value.

/// Docker Hub, where a name without a registry host is pulled from.
pub const DOCKER_HUB: &str = "docker.io";

/// The longest tag the grammar allows.
const TAG_MAX: usize = 128;

/// The longest name (registry host and path) the grammar allows.
const NAME_MAX: usize = 255;

/// What the first character that no part of a reference may hold is, in words (the value itself
/// is never shown: it may hold a line break or a command).
fn foreign(text: &str, allowed: impl Fn(char) -> bool) -> Option<String> {
    let c = text.chars().find(|c| !allowed(*c))?;
    Some(if c.is_control() {
        "holds a control character (a line break, a tab…)".to_string()
    } else if c.is_whitespace() {
        "holds whitespace".to_string()
    } else if c.is_ascii() {
        format!("holds `{c}`, which no image reference may hold")
    } else {
        "holds a character outside ASCII, which no image reference may hold".to_string()
    })
}

/// The checks every part shares: not empty, no leading `-`, no character outside `allowed`.
fn common(text: &str, allowed: impl Fn(char) -> bool) -> Result<(), String> {
    if text.is_empty() {
        return Err("is empty".into());
    }
    if let Some(why) = foreign(text, |c| !c.is_control() && !c.is_whitespace()) {
        return Err(why);
    }
    if text.starts_with('-') {
        return Err("starts with `-` (a tool would read it as an option)".into());
    }
    match foreign(text, allowed) {
        Some(why) => Err(why),
        None => Ok(()),
    }
}

/// `[a-zA-Z0-9]` or `[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]`.
fn domain_component(part: &str) -> bool {
    !part.is_empty()
        && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !part.starts_with('-')
        && !part.ends_with('-')
}

/// `host[:port]`, the host a dotted name (or an IPv4 address).
fn host_and_port(text: &str) -> bool {
    let (host, port) = match text.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (text, None),
    };
    host.split('.').all(domain_component)
        && port.is_none_or(|port| !port.is_empty() && port.chars().all(|c| c.is_ascii_digit()))
}

/// `[a-z0-9]+` joined by `.`, `_`, `__` or runs of `-`.
fn path_component(part: &str) -> bool {
    let bytes = part.as_bytes();
    let alnum = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let (Some(first), Some(last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    if !alnum(first) || !alnum(last) {
        return false;
    }
    let mut separator = String::new();
    for c in part.chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            let ok = separator.is_empty()
                || separator == "."
                || separator == "_"
                || separator == "__"
                || separator.chars().all(|s| s == '-');
            if !ok {
                return false;
            }
            separator.clear();
        } else if matches!(c, '.' | '_' | '-') {
            separator.push(c);
        } else {
            return false;
        }
    }
    true
}

fn path(text: &str) -> Result<(), String> {
    if text.chars().any(|c| c.is_ascii_uppercase()) {
        return Err("holds an upper-case letter; repository names are lower case".into());
    }
    if text.split('/').all(path_component) {
        Ok(())
    } else {
        Err(
            "is not a repository name (parts of lower-case letters and digits joined by `.`, \
             `_`, `__` or `-`, separated by `/`)"
                .into(),
        )
    }
}

fn name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/' | ':')
}

/// A registry part as a chart writes it before `/repository`: a host (with an optional port),
/// optionally followed by path parts (`registry.example.com/genesys`).
pub fn check_registry(text: &str) -> Result<(), String> {
    common(text, name_char)?;
    let (host, rest) = match text.split_once('/') {
        Some((host, rest)) => (host, Some(rest)),
        None => (text, None),
    };
    if !host_and_port(host) {
        return Err(
            "is not a registry host (`host` or `host:port`, parts of letters, digits \
                    and `-` joined by `.`)"
                .into(),
        );
    }
    match rest {
        Some(rest) => path(rest).map_err(|why| format!("after the host {why}")),
        None => Ok(()),
    }
}

/// A repository part written after a registry: a path.
pub fn check_repository(text: &str) -> Result<(), String> {
    common(text, name_char)?;
    path(text)
}

/// A whole name, for an image whose chart writes no registry part: `[host[:port]/]path`.
pub fn check_name(text: &str) -> Result<(), String> {
    common(text, name_char)?;
    match text.split_once('/') {
        Some((first, rest)) if names_a_host(first) => {
            if !host_and_port(first) {
                return Err("does not start with a registry host (`host` or `host:port`)".into());
            }
            path(rest)
        }
        _ => path(text),
    }
}

/// The runtime's test of a name's first part: a registry host, or the first part of a Docker Hub
/// repository.
fn names_a_host(first: &str) -> bool {
    first.contains(['.', ':'])
        || first == "localhost"
        || first.chars().any(|c| c.is_ascii_uppercase())
}

/// A tag: `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
pub fn check_tag(text: &str) -> Result<(), String> {
    common(text, |c| {
        c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')
    })?;
    if text.starts_with('.') {
        return Err("starts with `.`; a tag starts with a letter, a digit or `_`".into());
    }
    if text.chars().count() > TAG_MAX {
        return Err(format!("is longer than {TAG_MAX} characters"));
    }
    Ok(())
}

/// The whole name (host and path) is at most 255 characters.
pub fn check_length(name: &str) -> Result<(), String> {
    if name.chars().count() > NAME_MAX {
        Err(format!(
            "the image name is longer than {NAME_MAX} characters"
        ))
    } else {
        Ok(())
    }
}

/// How the container runtime reads a name: `(registry host, path)`. A first part holding `.` or
/// `:`, `localhost`, or an upper-case letter is the registry host; otherwise the name is on
/// Docker Hub (`index.docker.io` is Docker Hub too), where a one-part name is `library/<name>`.
pub fn split_domain(name: &str) -> (String, String) {
    let (domain, path) = match name.split_once('/') {
        Some((first, rest)) if names_a_host(first) => (first.to_string(), rest.to_string()),
        _ => (DOCKER_HUB.to_string(), name.to_string()),
    };
    let domain = if domain == "index.docker.io" {
        DOCKER_HUB.to_string()
    } else {
        domain
    };
    if domain == DOCKER_HUB && !path.contains('/') {
        (domain, format!("library/{path}"))
    } else {
        (domain, path)
    }
}

/// Whether `registry` (a host, with or without a port) is one of `patterns`: an exact host, or
/// `*.suffix` for every host under a domain.
pub fn registry_matches(registry: &str, patterns: &[String]) -> bool {
    let host = registry.split('/').next().unwrap_or(registry);
    let lower = host.to_ascii_lowercase();
    patterns.iter().any(|pattern| {
        let pattern = pattern.to_ascii_lowercase();
        match pattern.strip_prefix("*.") {
            Some(suffix) => lower
                .strip_suffix(suffix)
                .is_some_and(|head| head.ends_with('.') && head.len() > 1),
            None => lower == pattern,
        }
    })
}

/// Replaces every envsubst placeholder (`${NAME}`) by `x`; `None` when there is none. A part
/// whose text still passes the grammar with its placeholders filled in is pending (known after
/// substitution), not refused.
pub fn without_placeholders(text: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = text;
    let mut found = false;
    while let Some(start) = rest.find("${") {
        let after = rest.get(start + 2..).unwrap_or_default();
        let Some(end) = after.find('}') else {
            break;
        };
        let name = after.get(..end).unwrap_or_default();
        let valid = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            break;
        }
        out.push_str(rest.get(..start).unwrap_or_default());
        out.push('x');
        rest = after.get(end + 1..).unwrap_or_default();
        found = true;
    }
    out.push_str(rest);
    found.then_some(out)
}

/// An `http(s)://` URL with nothing a shell or helm could read otherwise.
pub fn check_url(text: &str) -> Result<(), String> {
    if !(text.starts_with("https://") || text.starts_with("http://")) {
        return Err("is not an http(s):// URL".into());
    }
    match text
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "-._~:/?#[]@!&()*+,;=%".contains(*c)))
    {
        Some(c) if c.is_control() => Err("holds a control character".into()),
        Some(c) if c.is_whitespace() => Err("holds whitespace".into()),
        Some(c) if c.is_ascii() => Err(format!("holds `{c}`")),
        Some(_) => Err("holds a character outside ASCII".into()),
        None => Ok(()),
    }
}

/// A chart name: lower-case letters, digits, `-`, `_` and `.`, starting with a letter or digit.
pub fn check_chart_name(text: &str) -> Result<(), String> {
    let first = text.chars().next();
    if !first.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit()) {
        return Err("does not start with a lower-case letter or a digit".into());
    }
    if text
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
    {
        Ok(())
    } else {
        Err("holds a character other than lower-case letters, digits, `-`, `_` and `.`".into())
    }
}

/// A chart version: letters, digits, `.`, `-`, `+` and `_`, starting with a letter or digit.
pub fn check_version(text: &str) -> Result<(), String> {
    let first = text.chars().next();
    if !first.is_some_and(|c| c.is_ascii_alphanumeric()) {
        return Err("does not start with a letter or a digit".into());
    }
    if text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+' | '_'))
    {
        Ok(())
    } else {
        Err("holds a character other than letters, digits, `.`, `-`, `+` and `_`".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grammar() {
        for ok in [
            "registry.example.com",
            "registry.example.com:5000",
            "localhost:5000/genesys",
            "10.0.0.1:5000",
            "pureengageuse1-docker-multicloud.jfrog.io",
        ] {
            check_registry(ok).unwrap();
        }
        assert!(check_registry("-evil.example.com")
            .unwrap_err()
            .contains("starts with `-`"));
        assert!(check_registry("$(reboot).example.com")
            .unwrap_err()
            .contains("`$`"));
        assert!(check_registry("a b").unwrap_err().contains("whitespace"));
        assert!(check_registry("reg.example.com:x").is_err());
        for ok in [
            "ixn/ixn_node",
            "fluent/fluent-bit",
            "a__b",
            "a---b",
            "genesys/ges",
        ] {
            check_repository(ok).unwrap();
        }
        for bad in [
            "Ixn/node",
            "a/",
            "/a",
            "a..b",
            "a_-b",
            "ixn/interaction server",
        ] {
            assert!(check_repository(bad).is_err(), "{bad}");
        }
        for ok in ["1.8.5", "latest", "100.0.100.0011", "_x", "v1-rc.2"] {
            check_tag(ok).unwrap();
        }
        assert!(check_tag("1.8\nreboot").unwrap_err().contains("control"));
        assert!(check_tag(".x").is_err());
        assert!(check_tag(&"x".repeat(129)).is_err());
        assert!(check_tag("a:b").is_err());
        check_name("fluent/fluent-bit").unwrap();
        check_name("registry.example.com/fluent/fluent-bit").unwrap();
        assert!(check_name("bad host!/x").is_err());
    }

    #[test]
    fn the_runtime_reading() {
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(
            split_domain("fluent/fluent-bit"),
            pair("docker.io", "fluent/fluent-bit")
        );
        assert_eq!(
            split_domain("busybox"),
            pair("docker.io", "library/busybox")
        );
        assert_eq!(
            split_domain("registry.example.com/genesys/ges"),
            pair("registry.example.com", "genesys/ges")
        );
        assert_eq!(split_domain("localhost/x"), pair("localhost", "x"));
        assert_eq!(
            split_domain("index.docker.io/fluent/fluent-bit"),
            pair("docker.io", "fluent/fluent-bit")
        );
        assert_eq!(
            split_domain("myregistry/genesys/ges"),
            pair("docker.io", "myregistry/genesys/ges")
        );
        let patterns = vec!["docker.io".to_string(), "*.jfrog.io".to_string()];
        assert!(registry_matches("docker.io", &patterns));
        assert!(registry_matches(
            "pureengage-docker-staging.jfrog.io",
            &patterns
        ));
        assert!(!registry_matches("jfrog.io.example.com", &patterns));
        assert!(!registry_matches("registry.example.com", &patterns));
        assert_eq!(
            without_placeholders("${REGISTRY}/genesys").as_deref(),
            Some("x/genesys")
        );
        assert_eq!(without_placeholders("$(id)"), None);
    }
}
