//! The record as Markdown.

use super::Record;
use super::layout::{Block, layout};

/// Escapes what Markdown would otherwise read as markup, so a participant's text stays text.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            // `&` would start an entity (`&copy;`), `~` a strikethrough, `!` an image.
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '&' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Renders the record as Markdown.
pub fn render_markdown(record: &Record) -> String {
    markdown_of(layout(record))
}

/// Laid-out blocks (the record's, or the agenda's) as Markdown.
pub(super) fn markdown_of(list: Vec<Block>) -> String {
    let mut out = String::new();
    blocks(&mut out, list);
    out
}

fn blocks(out: &mut String, list: Vec<Block>) {
    for block in list {
        match block {
            Block::Heading(level, text) => {
                out.push_str(&"#".repeat(level as usize));
                out.push(' ');
                out.push_str(&esc(&text));
                out.push_str("\n\n");
            }
            Block::Para(text) => {
                out.push_str(&esc(&text));
                out.push_str("\n\n");
            }
            Block::Term(term, text) => {
                out.push_str(&format!("**{}** {}\n\n", esc(&term), esc(&text)));
            }
            Block::Notice(text) => {
                out.push_str(&format!("**{}**\n\n", esc(&text)));
            }
            Block::List(items) => {
                for i in items {
                    out.push_str(&format!("- {}\n", esc(&i)));
                }
                out.push('\n');
            }
            Block::Table(head, rows) => {
                out.push_str(&format!(
                    "| {} |\n",
                    head.iter().map(|h| esc(h)).collect::<Vec<_>>().join(" | ")
                ));
                out.push_str(&format!("|{}\n", " --- |".repeat(head.len())));
                for row in rows {
                    out.push_str(&format!(
                        "| {} |\n",
                        row.iter().map(|c| esc(c)).collect::<Vec<_>>().join(" | ")
                    ));
                }
                out.push('\n');
            }
            // A picture is given in words: Markdown has no room for inline SVG.
            Block::Figure { caption, text, .. } => {
                out.push_str(&format!("*{}*\n\n", esc(&caption)));
                for line in text {
                    out.push_str(&format!("- {}\n", esc(&line)));
                }
                out.push('\n');
            }
            // Markdown has one column: the left one first.
            Block::Columns(left, right) => {
                blocks(out, left);
                blocks(out, right);
            }
            Block::PageBreak => out.push_str("---\n\n"),
            Block::Hash(line, help) => {
                out.push_str(&format!("`{}`\n\n{}\n", line, esc(&help)));
            }
        }
    }
}
