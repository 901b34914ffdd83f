//! The record as a PDF, made on the server without a browser: the same layout as the HTML
//! (src/record/layout/), set by typst as a library with the fonts it embeds. The blocks go in
//! as data, never as markup, so a participant's text stays text.

use super::Record;
use super::layout::Block;
use serde_json::{Value, json};
use std::sync::OnceLock;
use typst::foundations::{Dict, IntoValue, Str};
use typst_as_lib::typst_kit_options::TypstKitFontOptions;
use typst_as_lib::{TypstEngine, TypstTemplateMainFile};

const TEMPLATE: &str = include_str!("record.typ");

/// Why no PDF could be made (a fault of ours, never of the record's content).
#[derive(Debug, thiserror::Error)]
#[error("the PDF could not be made: {0}")]
pub struct PdfError(String);

/// The engine with its fonts, loaded once: reading the fonts is most of the work.
fn engine() -> &'static TypstEngine<TypstTemplateMainFile> {
    static ENGINE: OnceLock<TypstEngine<TypstTemplateMainFile>> = OnceLock::new();
    ENGINE.get_or_init(|| {
        TypstEngine::builder()
            .main_file(TEMPLATE)
            .search_fonts_with(TypstKitFontOptions::default().include_system_fonts(false))
            .build()
    })
}

fn block(b: Block) -> Value {
    match b {
        Block::Heading(level, text) => json!({ "kind": "heading", "level": level, "text": text }),
        Block::Para(text) => json!({ "kind": "para", "text": text }),
        Block::Term(term, text) => json!({ "kind": "term", "term": term, "text": text }),
        Block::Notice(text) => json!({ "kind": "notice", "text": text }),
        Block::List(items) => json!({ "kind": "list", "items": items }),
        Block::Table(head, rows) => json!({ "kind": "table", "head": head, "rows": rows }),
        Block::Figure {
            svg,
            caption,
            text,
            width,
        } => {
            json!({ "kind": "figure", "svg": svg, "caption": caption, "text": text, "width": width })
        }
        Block::Columns(left, right) => json!({
            "kind": "columns",
            "left": left.into_iter().map(block).collect::<Vec<_>>(),
            "right": right.into_iter().map(block).collect::<Vec<_>>(),
        }),
        Block::PageBreak => json!({ "kind": "pagebreak" }),
        Block::Hash(line, help) => json!({ "kind": "hash", "line": line, "help": help }),
    }
}

/// Laid-out blocks (the record's, or the agenda's) as PDF bytes, titled `title`. The same
/// blocks always give the same bytes.
pub(super) fn pdf_of(record: &Record, title: &str, list: Vec<Block>) -> Result<Vec<u8>, PdfError> {
    let data = json!({
        "title": title,
        "lang": record.language.code(),
        "blocks": list.into_iter().map(block).collect::<Vec<_>>(),
    });
    let mut inputs = Dict::new();
    inputs.insert("data".into(), Str::from(data.to_string()).into_value());
    let document = engine()
        .compile_with_input(inputs)
        .output
        .map_err(|e| PdfError(format!("{e:?}")))?;
    typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default())
        .map_err(|e| PdfError(format!("{e:?}")))
}
