//! What a value of each catalog kind may look like: Kubernetes quantities, DNS-1123 names, UUIDs, ports, URLs, label keys.
//!
//! Each check returns `Err(expected)` with a phrase a person understands ("a port from 1 to 65535"),
//! so that callers can build messages of the form "`path` is X; expected …".

use serde_yaml::Value;

use crate::catalog::{ItemField, Kind, Param};

/// Checks one value against a parameter's kind, allowed values and bounds.
/// `null` is always accepted: in Helm it deletes a default, which is a legitimate choice.
pub fn check_param_value(param: &Param, value: &Value) -> Result<(), String> {
    if value.is_null() {
        return Ok(());
    }
    check_kind(param.kind, value, &param.item)?;
    if !param.allowed.is_empty() && !param.allowed.contains(value) {
        return Err(format!("one of {}", list_values(&param.allowed)));
    }
    if let Some(number) = value.as_f64() {
        if let Some(min) = param.min {
            if number < min {
                return Err(format!("at least {min}"));
            }
        }
        if let Some(max) = param.max {
            if number > max {
                return Err(format!("at most {max}"));
            }
        }
    }
    Ok(())
}

/// Checks a value's shape against a kind. `item` describes `object_list` elements.
pub fn check_kind(kind: Kind, value: &Value, item: &[ItemField]) -> Result<(), String> {
    match kind {
        Kind::String | Kind::Template => expect_string(value).map(|_| ()),
        Kind::Enum => match value {
            Value::String(_) | Value::Number(_) | Value::Bool(_) => Ok(()),
            _ => Err("one of the listed values".into()),
        },
        Kind::Integer => match value.as_i64() {
            Some(_) => Ok(()),
            None => Err("a whole number".into()),
        },
        Kind::Number => match value {
            Value::Number(_) => Ok(()),
            _ => Err("a number".into()),
        },
        Kind::Boolean => match value {
            Value::Bool(_) => Ok(()),
            _ => Err("true or false".into()),
        },
        Kind::Port => match value.as_i64() {
            Some(port) if (1..=65535).contains(&port) => Ok(()),
            _ => Err("a port from 1 to 65535".into()),
        },
        Kind::Quantity => match value {
            Value::Number(number) if number.as_f64().is_some_and(|n| n >= 0.0) => Ok(()),
            Value::String(text) if is_quantity(text) => Ok(()),
            _ => Err("a Kubernetes quantity such as 500m, 0.5, 512Mi or 1Gi".into()),
        },
        Kind::Uuid => match value {
            Value::String(text) if is_uuid(text) => Ok(()),
            _ => Err("a UUID such as 9350e2fc-a1dd-4c65-8d40-1f75a2e080dd".into()),
        },
        Kind::DnsLabel => match value {
            Value::String(text) if is_dns1123_label(text) => Ok(()),
            _ => Err(
                "a DNS-1123 label: at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit"
                    .into(),
            ),
        },
        Kind::DnsSubdomain => match value {
            Value::String(text) if is_dns1123_subdomain(text) => Ok(()),
            _ => Err("a DNS-1123 subdomain: lower-case labels joined by '.', at most 253 characters".into()),
        },
        Kind::Url => match value {
            Value::String(text) if is_url(text) => Ok(()),
            _ => Err("an absolute URL such as https://host.example.com/path".into()),
        },
        Kind::Host => match value {
            Value::String(text) if is_host_port(text) => Ok(()),
            _ => Err("a host name or IP address, optionally with :port".into()),
        },
        Kind::Map => match value {
            Value::Mapping(map)
                if map
                    .iter()
                    .all(|(key, value)| key.is_string() && is_scalar(value)) =>
            {
                Ok(())
            }
            _ => Err("a map of keys to text values".into()),
        },
        Kind::StringList => match value {
            Value::Sequence(items) if items.iter().all(Value::is_string) => Ok(()),
            _ => Err("a list of text values".into()),
        },
        Kind::ObjectList => match value {
            Value::Sequence(items) => {
                for (index, element) in items.iter().enumerate() {
                    check_list_item(element, item).map_err(|why| format!("item {index}: {why}"))?;
                }
                Ok(())
            }
            _ => Err("a list of objects".into()),
        },
        Kind::Yaml => match value {
            Value::Mapping(_) | Value::Sequence(_) => Ok(()),
            _ => Err("a YAML object".into()),
        },
    }
}

fn check_list_item(element: &Value, fields: &[ItemField]) -> Result<(), String> {
    let Value::Mapping(map) = element else {
        return Err("expected an object".into());
    };
    for field in fields {
        match map.get(field.name.as_str()) {
            None | Some(Value::Null) if field.required => {
                return Err(format!("`{}` is required", field.name));
            }
            None | Some(Value::Null) => {}
            Some(value) => {
                check_kind(field.kind, value, &[])
                    .map_err(|why| format!("`{}` must be {why}", field.name))?;
                if !field.allowed.is_empty() && !field.allowed.contains(value) {
                    return Err(format!(
                        "`{}` must be one of {}",
                        field.name,
                        list_values(&field.allowed)
                    ));
                }
            }
        }
    }
    Ok(())
}

fn expect_string(value: &Value) -> Result<&str, String> {
    value
        .as_str()
        .ok_or_else(|| "text (quoted in YAML if it looks like a number or boolean)".into())
}

fn is_scalar(value: &Value) -> bool {
    matches!(
        value,
        Value::String(_) | Value::Number(_) | Value::Bool(_) | Value::Null
    )
}

pub fn list_values(values: &[Value]) -> String {
    values
        .iter()
        .map(display_value)
        .collect::<Vec<_>>()
        .join(", ")
}

pub use crate::yaml::display_value;

/// The Kubernetes quantity grammar: signed decimal number, then a binary-SI suffix (Ki…Ei),
/// a decimal-SI suffix (m, k, M, G, T, P, E or none), or a decimal exponent (e3, E-2).
pub fn is_quantity(text: &str) -> bool {
    let rest = text.strip_prefix(['+', '-']).unwrap_or(text);
    let number_end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let (number, suffix) = rest.split_at(number_end);
    let mut parts = number.split('.');
    let whole = parts.next().unwrap_or("");
    let fraction = parts.next();
    if parts.next().is_some() || (whole.is_empty() && fraction.is_none_or(str::is_empty)) {
        return false;
    }
    match suffix {
        "" | "m" | "k" | "M" | "G" | "T" | "P" | "E" | "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei" => {
            true
        }
        exponent => match exponent.strip_prefix(['e', 'E']) {
            Some(power) => {
                let digits = power.strip_prefix(['+', '-']).unwrap_or(power);
                !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
            }
            None => false,
        },
    }
}

/// A quantity's value in base units (cores or bytes), for comparing requests with limits.
pub fn quantity_value(value: &Value) -> Option<f64> {
    match value {
        Value::Number(number) => number.as_f64(),
        Value::String(text) if is_quantity(text) => {
            let number_end = text
                .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-'))
                .unwrap_or(text.len());
            let (number, suffix) = text.split_at(number_end);
            let number: f64 = number.parse().ok()?;
            let scale = match suffix {
                "" => 1.0,
                "m" => 1e-3,
                "k" => 1e3,
                "M" => 1e6,
                "G" => 1e9,
                "T" => 1e12,
                "P" => 1e15,
                "E" => 1e18,
                "Ki" => 1024f64,
                "Mi" => 1024f64.powi(2),
                "Gi" => 1024f64.powi(3),
                "Ti" => 1024f64.powi(4),
                "Pi" => 1024f64.powi(5),
                "Ei" => 1024f64.powi(6),
                exponent => 10f64.powi(exponent[1..].parse().ok()?),
            };
            Some(number * scale)
        }
        _ => None,
    }
}

pub fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(group, length)| {
            group.len() == length && group.chars().all(|c| c.is_ascii_hexdigit())
        })
}

/// A v4 UUID has version nibble 4 and variant bits 10xx (8, 9, a or b).
pub fn is_uuid_v4(text: &str) -> bool {
    let bytes = text.as_bytes();
    is_uuid(text)
        && bytes.get(14) == Some(&b'4')
        && matches!(
            bytes.get(19).map(u8::to_ascii_lowercase),
            Some(b'8' | b'9' | b'a' | b'b')
        )
}

/// Formats 16 random bytes as a version-4 UUID (sets the version and variant bits).
pub fn uuid_v4_from_bytes(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

pub fn is_dns1123_label(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 63
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !text.starts_with('-')
        && !text.ends_with('-')
}

pub fn is_dns1123_subdomain(text: &str) -> bool {
    text.len() <= 253 && text.split('.').all(is_dns1123_label)
}

fn is_hostname(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 253
        && text.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// Host name, IPv4 or bracketed IPv6, optionally followed by `:port`.
pub fn is_host_port(text: &str) -> bool {
    let (host, port) = match text.rsplit_once(':') {
        Some((host, port)) if !host.contains(':') || host.ends_with(']') => (host, Some(port)),
        _ => (text, None),
    };
    let port_ok = port.is_none_or(|port| port.parse::<u16>().is_ok_and(|p| p > 0));
    let host = host.trim_start_matches('[').trim_end_matches(']');
    port_ok && (is_hostname(host) || host.parse::<std::net::IpAddr>().is_ok())
}

/// An absolute URL with a scheme and a host. Helm template expressions (`{{ … }}`) are accepted
/// as they stand, since Helm resolves them at install time.
pub fn is_url(text: &str) -> bool {
    if text.contains("{{") {
        return true;
    }
    let Some((scheme, rest)) = text.split_once("://") else {
        return false;
    };
    let scheme_ok = !scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic());
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    scheme_ok && is_host_port(host_port)
}

/// Kubernetes label and annotation keys: optional DNS subdomain prefix and `/`, then a name of at
/// most 63 characters (alphanumerics, `-`, `_`, `.`, starting and ending alphanumeric).
pub fn is_label_key(text: &str) -> bool {
    let (prefix, name) = match text.rsplit_once('/') {
        Some((prefix, name)) => (Some(prefix), name),
        None => (None, text),
    };
    prefix.is_none_or(is_dns1123_subdomain) && is_label_name(name)
}

fn is_label_name(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 63
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        && text.starts_with(|c: char| c.is_ascii_alphanumeric())
        && text.ends_with(|c: char| c.is_ascii_alphanumeric())
}

/// Label values: empty, or a label name (at most 63 characters).
pub fn is_label_value(text: &str) -> bool {
    text.is_empty() || is_label_name(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(predicate: fn(&str) -> bool, good: &[&str], bad: &[&str]) {
        for text in good {
            assert!(predicate(text), "{text:?} should be accepted");
        }
        for text in bad {
            assert!(!predicate(text), "{text:?} should be rejected");
        }
    }

    #[test]
    fn quantities_follow_the_kubernetes_grammar() {
        check(
            is_quantity,
            &[
                "1250m",
                "0.5",
                "2048Mi",
                "1Gi",
                "1",
                ".5",
                "5.",
                "1e3",
                "1E-2",
                "+1k",
                "128974848",
            ],
            &[
                "", "Mi", "1.2.3", "1gi", "1 Gi", "1MB", "abc", "e3", "1e", ".",
            ],
        );
    }

    #[test]
    fn quantity_values_compare_across_units() {
        let value = |text: &str| quantity_value(&Value::from(text)).unwrap();
        assert_eq!(value("500m"), 0.5);
        assert_eq!(value("1Gi"), 1024.0 * 1024.0 * 1024.0);
        assert!(value("1000m") == value("1"));
        assert!(value("512Mi") < value("1Gi"));
        assert_eq!(value("1e3"), 1000.0);
    }

    #[test]
    fn dns_names() {
        check(
            is_dns1123_label,
            &["ixn", "ixn-0100", "t0100", "a"],
            &["", "Ixn", "-a", "a-", "a_b", &"a".repeat(64)],
        );
        check(
            is_dns1123_subdomain,
            &["genesys-integration-secrets", "a.b-c.d"],
            &["a..b", "A.b", ""],
        );
    }

    #[test]
    fn uuids() {
        check(
            is_uuid,
            &["9350e2fc-a1dd-4c65-8d40-1f75a2e080dd"],
            &[
                "9350e2fc-a1dd-4c65-8d40",
                "z350e2fc-a1dd-4c65-8d40-1f75a2e080dd",
            ],
        );
        check(
            is_uuid_v4,
            &["9350e2fc-a1dd-4c65-8d40-1f75a2e080dd"],
            &[
                "9350e2fc-a1dd-1c65-8d40-1f75a2e080dd",
                "9350e2fc-a1dd-4c65-cd40-1f75a2e080dd",
            ],
        );
    }

    #[test]
    fn generated_uuids_are_v4_whatever_the_bytes() {
        for bytes in [[0u8; 16], [0xff; 16], [0x5a; 16]] {
            let uuid = uuid_v4_from_bytes(bytes);
            assert!(is_uuid_v4(&uuid), "{uuid}");
        }
    }

    #[test]
    fn hosts_and_urls() {
        check(
            is_host_port,
            &[
                "redis.infra.svc",
                "kafka:9092",
                "10.0.0.1:6379",
                "[::1]:80",
                "localhost",
            ],
            &["", "a b", "host:0", "host:99999", "-bad"],
        );
        check(
            is_url,
            &[
                "https://api.mypurecloud.com",
                "http://gws.svc:8080/path?q=1",
                "{{ .Values.genesys.environment_uri }}/oauth/token",
            ],
            &["api.mypurecloud.com", "https://", "://x"],
        );
    }

    #[test]
    fn label_keys_and_values() {
        check(
            is_label_key,
            &[
                "app",
                "app.kubernetes.io/name",
                "consul.hashicorp.com/connect-inject",
            ],
            &["", "-app", "a/b/c", "UPPER.example/x_"],
        );
        check(
            is_label_value,
            &["", "ges", "v1.2_3"],
            &["-x", "a b", &"x".repeat(64)],
        );
    }

    #[test]
    fn kind_checks_name_what_is_expected() {
        assert_eq!(
            check_kind(Kind::Port, &Value::from(70000), &[]),
            Err("a port from 1 to 65535".into())
        );
        assert!(check_kind(Kind::String, &Value::from(9200), &[]).is_err());
        assert!(check_kind(Kind::String, &Value::from("9200"), &[]).is_ok());
        assert!(check_kind(Kind::Quantity, &Value::from(0.5), &[]).is_ok());
        assert!(check_kind(
            Kind::Map,
            &serde_yaml::from_str("{a: b, c: 1}").unwrap(),
            &[]
        )
        .is_ok());
        assert!(check_kind(
            Kind::Map,
            &serde_yaml::from_str("{a: {b: c}}").unwrap(),
            &[]
        )
        .is_err());
    }
}
