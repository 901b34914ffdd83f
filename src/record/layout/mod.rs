//! The record laid out as a document, in the session's language: a one-page summary for the
//! partners' boards first, then the detail, then a technical appendix a board member can
//! skip. Markdown and HTML both render this one layout, so they cannot drift apart. Each
//! section has its own function, so that other records (a diagnosis) can reuse them.

mod agenda;
mod design;
mod detail;
mod diagnosis;
mod followup;
mod pictures;
mod review;
mod summary;

use super::Record;
use crate::model::{Form, Lang};
use chrono::{DateTime, Utc};

/// One block of the document.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading of level 1–3.
    Heading(u8, String),
    Para(String),
    /// A paragraph that starts with its subject in bold (a track and its form).
    Term(String, String),
    /// A paragraph that must stand out (the record's status, warnings).
    Notice(String),
    List(Vec<String>),
    /// A table with a header row.
    Table(Vec<String>, Vec<Vec<String>>),
    /// A picture: inline SVG, its caption, and the same content in words (for Markdown and
    /// for anyone who cannot see it).
    Figure {
        svg: String,
        caption: String,
        text: Vec<String>,
        /// How wide it is set, in percent of the text's width: the summary's matrix is small,
        /// so that the summary keeps to one page.
        width: u8,
    },
    /// Two columns side by side where the page is wide enough (the summary's aim and forms
    /// beside its picture), one after the other where it is not.
    Columns(Vec<Block>, Vec<Block>),
    /// The summary ends here: in print, what follows starts on a new page.
    PageBreak,
    /// The content hash line and how to check it.
    Hash(String, String),
}

/// What every section needs: the record, its language and its time zone.
pub struct Ctx<'a> {
    pub r: &'a Record,
    pub lang: Lang,
    tz: chrono_tz::Tz,
}

impl<'a> Ctx<'a> {
    fn new(r: &'a Record) -> Ctx<'a> {
        Ctx {
            r,
            lang: r.language,
            tz: r.time_zone.parse().unwrap_or(chrono_tz::UTC),
        }
    }

    /// A fixed text of the record, in the session's language: both wordings side by side
    /// where they are used.
    pub fn t(&self, en: &'static str, nl: &'static str) -> &'static str {
        match self.lang {
            Lang::En => en,
            Lang::Nl => nl,
        }
    }

    /// A time in the session's time zone, with the zone's abbreviation.
    pub fn time(&self, t: &DateTime<Utc>) -> String {
        t.with_timezone(&self.tz)
            .format("%Y-%m-%d %H:%M %Z")
            .to_string()
    }

    /// A day in the session's time zone.
    pub fn day(&self, t: &DateTime<Utc>) -> String {
        t.with_timezone(&self.tz).format("%Y-%m-%d").to_string()
    }

    pub fn form(&self, f: Form) -> String {
        f.label().get(self.lang).to_owned()
    }

    /// "1 aspect", "3 aspects"; "1 aspect", "3 aspecten".
    pub fn count(&self, n: usize, one: (&str, &str), many: (&str, &str)) -> String {
        let (en, nl) = if n == 1 { one } else { many };
        format!("{n} {}", self.t_dyn(en, nl))
    }

    fn t_dyn<'s>(&self, en: &'s str, nl: &'s str) -> &'s str {
        match self.lang {
            Lang::En => en,
            Lang::Nl => nl,
        }
    }

    /// Names joined as a person would list them: "A", "A and B", "A, B and C".
    pub fn and(&self, names: &[String]) -> String {
        match names {
            [] => String::new(),
            [one] => one.clone(),
            [rest @ .., last] => {
                format!("{} {} {last}", rest.join(", "), self.t("and", "en"))
            }
        }
    }

    /// ", by NAME" (or nothing).
    pub fn by(&self, name: &Option<String>) -> String {
        name.as_ref()
            .map(|n| format!(", {} {n}", self.t("by", "door")))
            .unwrap_or_default()
    }

    /// The partners: the organisations that were not merged away and are not advisors.
    pub fn partners(&self) -> impl Iterator<Item = &'a super::OrganisationEntry> {
        self.r
            .organisations
            .iter()
            .filter(|o| o.merged_into.is_none() && !o.advisor)
    }
}

pub use agenda::{agenda, title as agenda_title};

/// Lays the record out: the summary, the detail, the appendix.
pub fn layout(r: &Record) -> Vec<Block> {
    let cx = Ctx::new(r);
    let mut d = Vec::new();
    if let Some(g) = &r.diagnosis {
        diagnosis::summary(&cx, g, &mut d);
        d.push(Block::PageBreak);
        if let Some(f) = &r.follow_up {
            followup::section(&cx, f, &mut d);
        }
        diagnosis::aspects(&cx, g, &mut d);
        detail::partners(&cx, &mut d);
        detail::positioning(&cx, &mut d);
        detail::resolutions(&cx, &mut d);
        review::review(&cx, &mut d);
        review::notes(&cx, &mut d);
        d.push(Block::PageBreak);
        review::appendix(&cx, &mut d);
        return d;
    }
    summary::summary(&cx, &mut d);
    d.push(Block::PageBreak);
    if let Some(f) = &r.follow_up {
        followup::section(&cx, f, &mut d);
    }
    detail::partners(&cx, &mut d);
    detail::positioning(&cx, &mut d);
    detail::resolutions(&cx, &mut d);
    design::tracks(&cx, &mut d);
    review::review(&cx, &mut d);
    review::notes(&cx, &mut d);
    d.push(Block::PageBreak);
    review::appendix(&cx, &mut d);
    d
}
