//! Bilingual text: every wording in the model exists in English and Dutch.
//!
//! The model's source article is Dutch, and partners work in either language,
//! so texts are kept as compile-time pairs rather than looked up at run time:
//! a missing translation then cannot occur.

use serde::{Deserialize, Serialize};

/// A language the model's texts are available in.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    /// Dutch, the language of the source article.
    Nl,
}

impl Lang {
    /// Every supported language, English first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Nl];

    /// The two-letter language code, `"en"` or `"nl"`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nl => "nl",
        }
    }

    /// Parses a language code such as `"nl"`, `"EN"` or `"nl-BE"`.
    ///
    /// Only the primary subtag counts, so regional variants from a browser's
    /// language preference map onto the language itself.
    pub fn parse(s: &str) -> Option<Lang> {
        let primary = s.trim().split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else if primary.eq_ignore_ascii_case("nl") {
            Some(Lang::Nl)
        } else {
            None
        }
    }
}

/// One text in both languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Text {
    pub en: &'static str,
    pub nl: &'static str,
}

impl Text {
    /// Pairs an English and a Dutch wording.
    pub const fn new(en: &'static str, nl: &'static str) -> Text {
        Text { en, nl }
    }

    /// The wording in the given language.
    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Nl => self.nl,
        }
    }

    /// Whether `s` equals this text in either language, ignoring surrounding
    /// whitespace (which form fields tend to add).
    pub fn matches(&self, s: &str) -> bool {
        let s = s.trim();
        s == self.en || s == self.nl
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::parse(lang.code()), Some(lang));
        }
    }

    #[test]
    fn parse_is_lenient_about_case_and_region() {
        assert_eq!(Lang::parse(" NL "), Some(Lang::Nl));
        assert_eq!(Lang::parse("nl-BE"), Some(Lang::Nl));
        assert_eq!(Lang::parse("en_GB"), Some(Lang::En));
        assert_eq!(Lang::parse("de"), None);
        assert_eq!(Lang::parse(""), None);
    }

    #[test]
    fn default_is_english() {
        assert_eq!(Lang::default(), Lang::En);
    }

    #[test]
    fn get_picks_the_language() {
        let t = Text::new("share", "delen");
        assert_eq!(t.get(Lang::En), "share");
        assert_eq!(t.get(Lang::Nl), "delen");
    }

    #[test]
    fn matches_either_language_after_trimming() {
        let t = Text::new("share", "delen");
        assert!(t.matches("  delen\n"));
        assert!(t.matches("share"));
        assert!(!t.matches("Share"));
    }

    #[test]
    fn serde_shapes() {
        assert_eq!(serde_json::to_string(&Lang::Nl).unwrap(), "\"nl\"");
        let back: Lang = serde_json::from_str("\"en\"").unwrap();
        assert_eq!(back, Lang::En);
        let t = serde_json::to_value(Text::new("a", "b")).unwrap();
        assert_eq!(t, serde_json::json!({"en": "a", "nl": "b"}));
    }
}
