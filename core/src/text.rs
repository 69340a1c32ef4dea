//! Text as it arrives from files and pastes, made plain: a byte-order mark dropped (Windows Notepad and PowerShell write one), UTF-16 with a byte-order mark decoded, anything else that is not UTF-8 refused with a message that says so.
//!
//! Every entry point that reads bytes (the CLI's files, the page's opened and dropped files) goes
//! through [`decode`]; every entry point that gets text (a paste, a share link's payload, a
//! host's message) through [`without_bom`]. Line ends are left alone: the YAML reader takes CRLF.

/// The text without a leading byte-order mark (U+FEFF), which is never part of the content.
pub fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Bytes of a file as text: UTF-8 (with or without a byte-order mark), or UTF-16 little- or
/// big-endian when a byte-order mark says so. Anything else is refused, naming the encoding
/// it looks like, so a user knows to save the file as UTF-8.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => utf8(rest),
        [0xFF, 0xFE, rest @ ..] => utf16(rest, u16::from_le_bytes, "UTF-16 little-endian"),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, u16::from_be_bytes, "UTF-16 big-endian"),
        _ => utf8(bytes),
    }
}

fn utf8(bytes: &[u8]) -> Result<String, String> {
    // NUL is valid UTF-8 but never in a text file: UTF-16 without a byte-order mark has one in
    // every other byte of ASCII text.
    if bytes.contains(&0) {
        let head = bytes.get(..64).unwrap_or(bytes);
        let zeros = head.iter().filter(|byte| **byte == 0).count();
        return Err(if zeros * 3 >= head.len() {
            "the file looks like UTF-16 without a byte-order mark; save it as UTF-8 (or UTF-16 \
             with a byte-order mark)"
                .into()
        } else {
            "the file holds a NUL byte: it is not a text file".into()
        });
    }
    std::str::from_utf8(bytes)
        .map(str::to_string)
        .map_err(|error| {
            format!(
                "the file is not UTF-8 text (the first invalid byte is at offset {}); save it as \
                 UTF-8",
                error.valid_up_to()
            )
        })
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16, name: &str) -> Result<String, String> {
    let pairs = bytes.chunks_exact(2);
    if !pairs.remainder().is_empty() {
        return Err(format!("the file is {name} with an odd number of bytes"));
    }
    char::decode_utf16(pairs.map(|pair| {
        unit([
            pair.first().copied().unwrap_or(0),
            pair.get(1).copied().unwrap_or(0),
        ])
    }))
    .collect::<Result<String, _>>()
    .map_err(|_| format!("the file is {name} with an unpaired surrogate"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(text: &str) -> Vec<u8> {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        bytes
    }

    #[test]
    fn windows_encodings_read_as_their_text() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFchart: ixn\r\n").as_deref(),
            Ok("chart: ixn\r\n")
        );
        assert_eq!(
            decode(&utf16le("chart: ixn é")).as_deref(),
            Ok("chart: ixn é")
        );
        let mut big = vec![0xFE, 0xFF];
        big.extend("a: 1".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(&big).as_deref(), Ok("a: 1"));
        assert_eq!(without_bom("\u{feff}a"), "a");
        assert_eq!(without_bom("a\u{feff}"), "a\u{feff}");
    }

    #[test]
    fn other_bytes_are_refused_with_the_reason() {
        let no_bom: Vec<u8> = "chart: ixn"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert!(decode(&no_bom).is_err_and(|why| why.contains("UTF-16 without a byte-order mark")));
        assert!(decode(b"caf\xE9").is_err_and(|why| why.contains("not UTF-8")));
        let mut odd = utf16le("ab");
        odd.push(0);
        assert!(decode(&odd).is_err_and(|why| why.contains("odd number")));
        assert!(decode(&[0xFF, 0xFE, 0x00, 0xD8]).is_err_and(|why| why.contains("surrogate")));
    }
}
