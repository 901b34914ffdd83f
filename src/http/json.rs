//! Reading JSON exactly as the protocol promises: an object where an object is expected (serde
//! would also read a struct from an array of its fields in order), and errors in the words of
//! the protocol rather than serde's names for our types.

use super::error::ApiError;
use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer, Error as _};

/// Parses a JSON object into `T`, telling malformed JSON from a wrong shape.
pub fn parse_object<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, ApiError> {
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first != Some(&b'{') {
        // Not an object: say whether it is JSON at all.
        return Err(
            match serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
                Ok(_) => ApiError::invalid_arguments("expected a JSON object"),
                Err(e) => ApiError::malformed_json(&e),
            },
        );
    }
    serde_json::from_slice(bytes).map_err(|e| refusal(&e))
}

/// The error for a failed parse: `invalid_arguments` with the protocol's words, or
/// `malformed_json`.
pub fn refusal(e: &serde_json::Error) -> ApiError {
    if e.is_data() {
        ApiError::invalid_arguments(plain(&e.to_string()))
    } else {
        ApiError::malformed_json(e)
    }
}

/// serde's message without its position and its names for our types: "expected struct
/// TrackArgs" says nothing to a client, "expected a JSON object" does.
pub fn plain(message: &str) -> String {
    let message = match message.find(" at line ") {
        Some(i) => &message[..i],
        None => message,
    };
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find("expected ") {
        out.push_str(&rest[..i + "expected ".len()]);
        rest = &rest[i + "expected ".len()..];
        let word_end = |s: &str| {
            s.find(|c: char| !c.is_alphanumeric() && c != '_')
                .unwrap_or(s.len())
        };
        let replaced = if let Some(after) = rest.strip_prefix("struct ") {
            rest = &after[word_end(after)..];
            Some("a JSON object")
        } else if let Some(after) = rest.strip_prefix("enum ") {
            rest = &after[word_end(after)..];
            Some("one of the values the protocol lists")
        } else if rest.starts_with("a map") {
            rest = &rest["a map".len()..];
            Some("a JSON object")
        } else {
            let word = &rest[..word_end(rest)];
            let number = matches!(
                word,
                "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "isize"
            );
            if number {
                rest = &rest[word.len()..];
                Some("a whole number")
            } else if matches!(word, "f32" | "f64") {
                rest = &rest[word.len()..];
                Some("a number")
            } else {
                None
            }
        };
        if let Some(r) = replaced {
            out.push_str(r);
        }
    }
    out.push_str(rest);
    out
}

/// For a list whose elements must each be a JSON object.
pub fn objects<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let maps: Vec<serde_json::Map<String, serde_json::Value>> = Vec::deserialize(d)?;
    maps.into_iter()
        .map(|m| T::deserialize(serde_json::Value::Object(m)).map_err(D::Error::custom))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Args {
        seconds: u32,
        label: Option<String>,
    }

    #[test]
    fn an_array_is_not_an_object_and_the_message_names_no_type_of_ours() {
        let e = parse_object::<Args>(br#"[60, "x"]"#).unwrap_err();
        assert_eq!(e.code, "invalid_arguments");
        assert_eq!(e.message, "expected a JSON object");
        assert_eq!(
            parse_object::<Args>(b"[60,").unwrap_err().code,
            "malformed_json"
        );
        let e = parse_object::<Args>(br#"{"seconds": "x"}"#).unwrap_err();
        assert_eq!(
            e.message,
            r#"invalid type: string "x", expected a whole number"#
        );
        assert!(parse_object::<Args>(br#"  {"seconds": 60}"#).is_ok());
    }

    #[test]
    fn serdes_words_for_our_types_become_the_protocols() {
        assert_eq!(
            plain("invalid type: sequence, expected struct TrackArgs at line 1 column 9"),
            "invalid type: sequence, expected a JSON object"
        );
        assert_eq!(
            plain("invalid type: integer `5`, expected enum Aspect"),
            "invalid type: integer `5`, expected one of the values the protocol lists"
        );
        assert_eq!(plain("missing field `title`"), "missing field `title`");
    }
}
