//! The record's canonical JSON and its hash. Canonical: object keys sorted at every level, no
//! whitespace, the `content_hash` field left out. Any copy of a JSON record — reformatted,
//! keys reordered — can be checked against its hash.

use super::Record;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// Writes a value with sorted keys and no whitespace.
fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            out.push('{');
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                write_canonical(&map[k], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(v, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

fn hash_of(mut value: Value) -> String {
    if let Value::Object(map) = &mut value {
        map.remove("content_hash");
    }
    let mut canonical = String::new();
    write_canonical(&value, &mut canonical);
    format!("sha256:{:x}", Sha256::digest(canonical.as_bytes()))
}

/// The hash of a record's content (everything but the hash itself).
pub fn content_hash(record: &Record) -> String {
    hash_of(serde_json::to_value(record).unwrap_or(Value::Null))
}

/// The record as canonical JSON, with its hash; `pretty` indents it for people to read (the
/// hash does not depend on the layout).
pub fn to_canonical_json(record: &Record, pretty: bool) -> String {
    let value = serde_json::to_value(record).unwrap_or(Value::Null);
    if pretty {
        // serde_json's map is sorted by key in this build, so pretty output is sorted too.
        let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
        s.push('\n');
        s
    } else {
        let mut s = String::new();
        write_canonical(&value, &mut s);
        s
    }
}

/// Why a copy failed verification.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum VerifyError {
    #[error("not a JSON document: {0}")]
    NotJson(String),
    /// JSON without a `content_hash`.
    #[error("the document has no content_hash")]
    NoHash,
    /// The content does not match its hash.
    #[error("the content does not match its hash: it says {stated}, the content gives {actual}")]
    Mismatch {
        /// The hash the document states.
        stated: String,
        /// The hash of its content.
        actual: String,
    },
}

/// Checks a JSON record against its own `content_hash`; returns the hash when they match.
pub fn verify(json: &str) -> Result<String, VerifyError> {
    let value: Value =
        serde_json::from_str(json).map_err(|e| VerifyError::NotJson(e.to_string()))?;
    let stated = value
        .get("content_hash")
        .and_then(Value::as_str)
        .ok_or(VerifyError::NoHash)?
        .to_owned();
    let actual = hash_of(value);
    if actual == stated {
        Ok(actual)
    } else {
        Err(VerifyError::Mismatch { stated, actual })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn canonical_form_sorts_keys_at_every_level() {
        let mut s = String::new();
        write_canonical(&json!({"b": 1, "a": {"d": [true, null], "c": "x"}}), &mut s);
        assert_eq!(s, r#"{"a":{"c":"x","d":[true,null]},"b":1}"#);
    }

    #[test]
    fn a_copy_verifies_whatever_its_layout_and_a_tampered_one_does_not() {
        let doc = json!({"title": "T", "rounds": [1, 2], "content_hash": ""});
        let hash = hash_of(doc.clone());
        let mut signed = doc;
        signed["content_hash"] = json!(hash);
        let compact = signed.to_string();
        let pretty = serde_json::to_string_pretty(&signed).unwrap();
        assert_eq!(verify(&compact), Ok(hash.clone()));
        assert_eq!(verify(&pretty), Ok(hash));
        let tampered = compact.replace("\"T\"", "\"T2\"");
        assert!(matches!(
            verify(&tampered),
            Err(VerifyError::Mismatch { .. })
        ));
        assert_eq!(verify("{}"), Err(VerifyError::NoHash));
        assert!(matches!(verify("nope"), Err(VerifyError::NotJson(_))));
    }
}
