//! The record as one self-contained HTML page, clean when printed to PDF from a browser.

use super::Record;
use super::layout::{Block, layout};

/// Escapes text for HTML and SVG (XML), so a participant's text is shown as text.
pub(super) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The record's style sheet. Inline, so that the file stands on its own; its hash is allowed
/// by the page's security policy (`style_hash`), so the board can open it from a Blob too.
pub const STYLE: &str = "
body { font: 11pt/1.45 system-ui, -apple-system, 'Segoe UI', sans-serif; color: #111; max-width: 58rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.7rem; margin-bottom: .3rem; }
h2 { font-size: 1.3rem; border-bottom: 1px solid #999; padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1.1rem; margin-top: 1.4rem; }
.table { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem; }
th, td { border: 1px solid #bbb; padding: .3rem .45rem; text-align: left; vertical-align: top; }
th { background: #eee; }
thead { display: table-header-group; }
.notice { border-left: 4px solid #b35c00; padding: .3rem .7rem; background: #fff6e8; font-weight: 600; }
figure { margin: 1rem 0; }
.cols { display: grid; grid-template-columns: 3fr 2fr; gap: 1.5rem; align-items: start; }
.cols figure { max-width: none; }
figure.w40 { max-width: 24rem; }
figure.w60 { max-width: 34rem; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-weight: 600; margin-top: .3rem; }
.figure-text { font-size: .9rem; color: #333; margin-top: .2rem; }
.hash { margin-top: 1.5rem; border-top: 1px solid #999; padding-top: .6rem; font-size: .9rem; }
.hash code { word-break: break-all; }
@media (max-width: 600px) {
  body { margin: 1rem auto; font-size: 10.5pt; }
  .cols { display: block; }
  th, td { padding: .25rem .3rem; }
}
@media print {
  body { margin: 0; max-width: none; }
  h2, h3 { break-after: avoid; }
  tr, li, figure { break-inside: avoid; }
  th { background: none; }
  .notice { background: none; }
  .page-break { break-after: page; }
}
@page { margin: 18mm 16mm; }
";

/// Renders the record as HTML.
pub fn render_html(record: &Record) -> String {
    html_of(record, &record.title, layout(record))
}

/// Laid-out blocks (the record's, or the agenda's) as an HTML page titled `title`.
pub(super) fn html_of(record: &Record, title: &str, list: Vec<Block>) -> String {
    let mut body = String::new();
    blocks(&mut body, list);
    format!(
        "<!doctype html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        record.language.code(),
        esc(title)
    )
}

fn blocks(body: &mut String, list: Vec<Block>) {
    for block in list {
        match block {
            Block::Heading(level, text) => {
                body.push_str(&format!("<h{level}>{}</h{level}>\n", esc(&text)));
            }
            Block::Para(text) => body.push_str(&format!("<p>{}</p>\n", esc(&text))),
            Block::Term(term, text) => body.push_str(&format!(
                "<p><strong>{}</strong> {}</p>\n",
                esc(&term),
                esc(&text)
            )),
            Block::Notice(text) => {
                body.push_str(&format!("<p class=\"notice\">{}</p>\n", esc(&text)));
            }
            Block::List(items) => {
                body.push_str("<ul>\n");
                for i in items {
                    body.push_str(&format!("<li>{}</li>\n", esc(&i)));
                }
                body.push_str("</ul>\n");
            }
            Block::Table(head, rows) => {
                body.push_str("<div class=\"table\"><table>\n<thead><tr>");
                for h in head {
                    body.push_str(&format!("<th>{}</th>", esc(&h)));
                }
                body.push_str("</tr></thead>\n<tbody>\n");
                for row in rows {
                    body.push_str("<tr>");
                    for c in row {
                        body.push_str(&format!("<td>{}</td>", esc(&c)));
                    }
                    body.push_str("</tr>\n");
                }
                body.push_str("</tbody>\n</table></div>\n");
            }
            // The SVG is made by the layout from escaped text only, so it goes in as it is.
            Block::Figure {
                svg,
                caption,
                text,
                width,
            } => {
                // A class, not a style attribute: the page's security policy allows the record's
                // style sheet by its hash, and no inline style.
                body.push_str(&format!(
                    "<figure class=\"w{}\">{svg}<figcaption>{}</figcaption><ul class=\"figure-text\">",
                    width.clamp(10, 100) / 10 * 10,
                    esc(&caption)
                ));
                for line in text {
                    body.push_str(&format!("<li>{}</li>", esc(&line)));
                }
                body.push_str("</ul></figure>\n");
            }
            Block::Columns(left, right) => {
                body.push_str("<div class=\"cols\"><div>\n");
                blocks(body, left);
                body.push_str("</div><div>\n");
                blocks(body, right);
                body.push_str("</div></div>\n");
            }
            Block::PageBreak => body.push_str("<div class=\"page-break\"></div>\n"),
            Block::Hash(line, help) => {
                body.push_str(&format!(
                    "<div class=\"hash\"><p><code>{}</code></p><p>{}</p></div>\n",
                    esc(&line),
                    esc(&help)
                ));
            }
        }
    }
}

/// The CSP source that allows the record's inline style: `'sha256-…'`.
pub fn style_hash() -> String {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(STYLE.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}
