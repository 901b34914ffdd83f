//! Which characters a name or a text may hold, and when two names are the same to the people
//! in a room: names that differ only by invisible or look-alike characters (a zero-width space,
//! a soft hyphen, a Cyrillic "а" for a Latin "a") must not pass as different people or
//! organisations. Unicode's own rules do the work: NFC and NFKC normalisation, general
//! categories, and the confusable skeleton of UTS #39.

use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// Characters that change the order in which text is displayed: in a name they could make it
/// read as another (U+202A–U+202E embeddings and overrides, U+2066–U+2069 isolates, and the
/// direction marks U+200E, U+200F, U+061C).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// The two overrides, which reverse what follows: refused even in free text.
fn is_bidi_override(c: char) -> bool {
    matches!(c, '\u{202D}' | '\u{202E}')
}

/// Letters and symbols that draw nothing: Hangul fillers and the blank braille pattern.
fn is_blank_letter(c: char) -> bool {
    matches!(
        c,
        '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' | '\u{2800}'
    )
}

/// Joiners that emoji and some scripts need: allowed in a name, left out when comparing.
fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}')
}

/// Variation selectors (an emoji's colour, a glyph's variant): allowed, left out when comparing.
fn is_variation_selector(c: char) -> bool {
    matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}')
}

/// Whether a character may stand in a one-line value (a name, a title, a label).
fn allowed_in_line(c: char) -> bool {
    if is_joiner(c) {
        return true;
    }
    if is_bidi_control(c) || is_blank_letter(c) {
        return false;
    }
    !matches!(
        c.general_category(),
        GeneralCategory::Control
            | GeneralCategory::Format
            | GeneralCategory::LineSeparator
            | GeneralCategory::ParagraphSeparator
            | GeneralCategory::PrivateUse
            | GeneralCategory::Surrogate
            | GeneralCategory::Unassigned
    )
}

/// A one-line value as it is kept: NFC, every kind of space as one plain space. `None` when
/// it holds a character that may not stand in a name.
pub fn one_line(trimmed: &str) -> Option<String> {
    let mut out = String::with_capacity(trimmed.len());
    let mut space = false;
    for c in trimmed.nfc() {
        if c.general_category() == GeneralCategory::SpaceSeparator || c == '\t' {
            space = true;
            continue;
        }
        if !allowed_in_line(c) {
            return None;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    Some(out)
}

/// Free text as it is kept: NFC, with line and paragraph separators as line breaks. `None`
/// when it holds a control character other than a line break or tab, or a bidi override.
pub fn free_text(trimmed: &str) -> Option<String> {
    let mut out = String::with_capacity(trimmed.len());
    for c in trimmed.nfc() {
        let c = match c {
            '\u{2028}' | '\u{2029}' => '\n',
            c => c,
        };
        let control = c.is_control() && c != '\n' && c != '\t';
        if control || is_bidi_override(c) {
            return None;
        }
        out.push(c);
    }
    Some(out)
}

/// What two names are compared by: the same key means the same person or organisation to the
/// people in the room. Compatibility forms (full-width letters, ligatures) fold to their plain
/// letters, case is ignored, joiners and variation selectors and soft hyphens are left out, and
/// look-alike letters of other scripts map to one skeleton (UTS #39).
pub fn name_key(name: &str) -> String {
    let plain: String = name
        .nfkc()
        .filter(|c| !is_joiner(*c) && !is_variation_selector(*c) && *c != '\u{AD}')
        .collect::<String>()
        .to_lowercase();
    unicode_security::skeleton(&plain)
        .collect::<String>()
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_and_direction_changing_characters_are_not_part_of_a_name() {
        for bad in [
            "Ac\u{200B}me", // zero-width space
            "Ac\u{2060}me", // word joiner
            "Ac\u{AD}me",   // soft hyphen
            "Acme\u{202E}", // right-to-left override
            "Ac\u{2066}me", // isolate
            "Ac\u{3164}me", // Hangul filler
            "Ac\u{E000}me", // private use
            "Ac\u{2028}me", // line separator
            "Ac\u{2029}me", // paragraph separator
            "Ac\u{FEFF}me", // byte order mark
        ] {
            assert_eq!(one_line(bad), None, "{bad:?}");
        }
        assert_eq!(
            one_line("Tess\u{00A0}de\u{2003}Vries").as_deref(),
            Some("Tess de Vries")
        );
        // An emoji sequence keeps its joiner.
        assert!(one_line("Team 👩\u{200D}💻").is_some());
    }

    #[test]
    fn look_alike_names_have_one_key() {
        let acme = name_key("Acme");
        for same in [
            "ACME",
            "\u{0410}cme",  // Cyrillic capital A
            "\u{0430}cme",  // Cyrillic small a
            "Ａｃｍｅ",     // full-width
            "Ac\u{200D}me", // a joiner
            "Acme\u{FE0F}", // a variation selector
        ] {
            assert_eq!(name_key(same), acme, "{same:?}");
        }
        assert_ne!(name_key("Acme"), name_key("Acne"));
        // Composed and decomposed accents are one letter.
        assert_eq!(name_key("Ren\u{E9}"), name_key("Rene\u{301}"));
    }

    #[test]
    fn free_text_keeps_its_lines_and_loses_only_what_hides_or_reverses() {
        assert_eq!(free_text("a\u{2028}b").as_deref(), Some("a\nb"));
        assert_eq!(free_text("one\ttwo").as_deref(), Some("one\ttwo"));
        assert_eq!(free_text("x\u{202E}y"), None);
        assert_eq!(free_text("x\u{7}y"), None);
        // Direction marks are part of writing Arabic or Hebrew next to Latin.
        assert!(free_text("\u{200F}שלום").is_some());
    }
}
