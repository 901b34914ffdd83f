//! Values that arrive from outside, parsed once into types that can only hold valid values.
//! Every limit here is part of the protocol (docs/protocol.md lists them).

use serde::{Deserialize, Serialize};
use std::fmt;

/// Longest name of a person, an organisation or a track, in characters.
pub const MAX_NAME_CHARS: usize = 80;
/// Longest session title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest free text (a motivation, a rationale), in characters.
pub const MAX_TEXT_CHARS: usize = 2000;
/// Longest client-chosen command id, in bytes.
pub const MAX_COMMAND_ID_LEN: usize = 64;

/// Why an input value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// The value is empty after trimming, and may not be.
    #[error("{field} is required")]
    Required { field: &'static str },
    /// The value is longer than its limit.
    #[error("{field} is longer than {max} characters")]
    TooLong { field: &'static str, max: usize },
    /// The value holds characters that may not appear in it.
    #[error("{field} contains characters that are not allowed")]
    InvalidCharacters { field: &'static str },
    /// A number outside its range.
    #[error("{field} must be between {min} and {max}")]
    OutOfRange {
        field: &'static str,
        min: i64,
        max: i64,
    },
    /// A value that is not of the kind the field takes (a date, a time zone).
    #[error("{field} must be {expected}")]
    Invalid {
        field: &'static str,
        /// What the field takes, in words.
        expected: &'static str,
    },
}

impl InputError {
    /// The field the error is about.
    pub fn field(&self) -> &'static str {
        match self {
            InputError::Required { field }
            | InputError::TooLong { field, .. }
            | InputError::InvalidCharacters { field }
            | InputError::OutOfRange { field, .. }
            | InputError::Invalid { field, .. } => field,
        }
    }

    /// The stable error code.
    pub fn code(&self) -> &'static str {
        match self {
            InputError::Required { .. } => "required",
            InputError::TooLong { .. } => "too_long",
            InputError::InvalidCharacters { .. } => "invalid_characters",
            InputError::OutOfRange { .. } => "out_of_range",
            InputError::Invalid { .. } => "invalid_value",
        }
    }
}

fn clean(
    field: &'static str,
    raw: &str,
    max: usize,
    multiline: bool,
) -> Result<String, InputError> {
    // Text pasted from Windows carries \r\n; one kind of line break is enough.
    let normalised;
    let raw = if multiline && raw.contains('\r') {
        normalised = raw.replace("\r\n", "\n").replace('\r', "\n");
        normalised.as_str()
    } else {
        raw
    };
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(InputError::Required { field });
    }
    // Control characters, separators and invisible characters in a name would corrupt every
    // list and record it appears in, or let two people look alike; free text may keep its line
    // breaks (see unicode.rs).
    let kept = if multiline {
        super::unicode::free_text(trimmed)
    } else {
        super::unicode::one_line(trimmed)
    };
    let kept = kept.ok_or(InputError::InvalidCharacters { field })?;
    if kept.chars().count() > max {
        return Err(InputError::TooLong { field, max });
    }
    Ok(kept)
}

/// A one-line name (person, organisation, track): trimmed, 1 to 80 characters, no control
/// characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Name(String);

impl Name {
    /// Parses a name for `field`.
    pub fn parse(field: &'static str, raw: &str) -> Result<Name, InputError> {
        clean(field, raw, MAX_NAME_CHARS, false).map(Name)
    }
    /// A name the code itself supplies (a default track name); it must meet the rules.
    pub(crate) fn constant(name: &'static str) -> Name {
        debug_assert!(Name::parse("name", name).is_ok());
        Name(name.to_owned())
    }
    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// What the name is compared by, for "is this name taken" checks: "ACME", "acme" and
    /// "Асме" (with Cyrillic letters) are one organisation to the people in the room.
    pub fn key(&self) -> String {
        super::unicode::name_key(&self.0)
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A session title: trimmed, 1 to 200 characters, one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Title(String);

impl Title {
    /// Parses a title: the same rules as a name, with room for 200 characters.
    pub fn parse(raw: &str) -> Result<Title, InputError> {
        clean("title", raw, MAX_TITLE_CHARS, false).map(Title)
    }
    /// The title as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Free text such as a motivation or a rationale: trimmed, 1 to 2000 characters, line breaks
/// allowed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FreeText(String);

impl FreeText {
    /// Parses free text for `field`.
    pub fn parse(field: &'static str, raw: &str) -> Result<FreeText, InputError> {
        clean(field, raw, MAX_TEXT_CHARS, true).map(FreeText)
    }
    /// Parses optional free text: absent or blank becomes `None`.
    pub fn parse_optional(
        field: &'static str,
        raw: Option<&str>,
    ) -> Result<Option<FreeText>, InputError> {
        match raw {
            Some(s) if !s.trim().is_empty() => Self::parse(field, s).map(Some),
            _ => Ok(None),
        }
    }
    /// The text as the person wrote it, trimmed and with one kind of line break.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A due date of an open item: a calendar day, `YYYY-MM-DD`, between 2000 and 2999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DueDate(chrono::NaiveDate);

impl DueDate {
    /// Parses `YYYY-MM-DD`; anything else is `invalid_value` on field `due`.
    pub fn parse(raw: &str) -> Result<DueDate, InputError> {
        let invalid = InputError::Invalid {
            field: "due",
            expected: "a date as YYYY-MM-DD",
        };
        let date = chrono::NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
            .map_err(|_| invalid.clone())?;
        // A year past 2999 or before 2000 is a typing error, not a plan.
        if !(2000..=2999).contains(&chrono::Datelike::year(&date)) || raw.trim().len() != 10 {
            return Err(invalid);
        }
        Ok(DueDate(date))
    }
    /// The day.
    pub fn date(&self) -> chrono::NaiveDate {
        self.0
    }
}

/// A time zone by its IANA name, such as `Europe/Amsterdam` or `UTC`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TimeZoneName(String);

impl TimeZoneName {
    /// Parses an IANA time zone name; an unknown one is `invalid_value` on field `time_zone`.
    pub fn parse(raw: &str) -> Result<TimeZoneName, InputError> {
        raw.trim()
            .parse::<chrono_tz::Tz>()
            .map(|tz| TimeZoneName(tz.name().to_owned()))
            .map_err(|_| InputError::Invalid {
                field: "time_zone",
                expected: "a time zone name such as Europe/Amsterdam or UTC",
            })
    }
    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How sure a representative is of an answer: 1 (a little) to 3 (very).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Strength(u8);

impl Strength {
    /// Parses a strength; anything outside 1–3 is `out_of_range`.
    pub fn parse(raw: i64) -> Result<Strength, InputError> {
        if (1..=3).contains(&raw) {
            Ok(Strength(raw as u8))
        } else {
            Err(InputError::OutOfRange {
                field: "strength",
                min: 1,
                max: 3,
            })
        }
    }
    /// The strength as a number 1–3.
    pub fn get(self) -> u8 {
        self.0
    }
}

/// The id a client gives a command so that a retry is applied once: 1 to 64 bytes of
/// `A–Z a–z 0–9 - _ . :`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CommandId(String);

impl CommandId {
    /// Parses a command id.
    pub fn parse(raw: &str) -> Result<CommandId, InputError> {
        if raw.is_empty() {
            return Err(InputError::Required { field: "id" });
        }
        if raw.len() > MAX_COMMAND_ID_LEN {
            return Err(InputError::TooLong {
                field: "id",
                max: MAX_COMMAND_ID_LEN,
            });
        }
        if !raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
        {
            return Err(InputError::InvalidCharacters { field: "id" });
        }
        Ok(CommandId(raw.to_owned()))
    }
    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(Name::parse("name", "  Acme  ").unwrap().as_str(), "Acme");
        assert_eq!(
            Name::parse("name", "   "),
            Err(InputError::Required { field: "name" })
        );
        let long = "x".repeat(MAX_NAME_CHARS + 1);
        assert_eq!(Name::parse("name", &long).unwrap_err().code(), "too_long");
        // The limit counts characters, not bytes: 80 accented letters fit.
        assert!(Name::parse("name", &"é".repeat(MAX_NAME_CHARS)).is_ok());
        assert_eq!(
            Name::parse("name", "a\nb").unwrap_err().code(),
            "invalid_characters"
        );
    }

    #[test]
    fn free_text_keeps_line_breaks_and_blank_is_absent() {
        assert_eq!(
            FreeText::parse("motivation", "one\ntwo").unwrap().as_str(),
            "one\ntwo"
        );
        assert_eq!(FreeText::parse_optional("motivation", Some("  ")), Ok(None));
        assert_eq!(FreeText::parse_optional("motivation", None), Ok(None));
        assert_eq!(
            FreeText::parse("motivation", "one\r\ntwo")
                .unwrap()
                .as_str(),
            "one\ntwo"
        );
        assert!(FreeText::parse("m", &"x".repeat(MAX_TEXT_CHARS + 1)).is_err());
    }

    #[test]
    fn strength_is_one_to_three() {
        assert!(Strength::parse(0).is_err());
        assert_eq!(Strength::parse(3).unwrap().get(), 3);
        assert!(Strength::parse(4).is_err());
    }

    #[test]
    fn command_ids_are_short_and_plain() {
        assert!(CommandId::parse("c-1.2:3_x").is_ok());
        assert!(CommandId::parse("").is_err());
        assert!(CommandId::parse("a b").is_err());
        assert!(CommandId::parse(&"a".repeat(65)).is_err());
    }
}
