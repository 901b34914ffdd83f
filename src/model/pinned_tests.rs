//! Pins every cell of the article's tables to its place, so that a cell moved to another row,
//! swapped with another form's or put in the other language fails a test. The pinned copy is
//! src/model/pinned_tables.tsv, checked against the article cell by cell.

use super::{Aspect, Axis, Form, Lang, Text};

/// The pinned cells: (table, row, form, language) → text.
fn pinned() -> Vec<(String, String, String, Lang, String)> {
    include_str!("pinned_tables.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let f: Vec<&str> = l.splitn(5, '\t').collect();
            assert_eq!(f.len(), 5, "a pinned line has five fields: {l}");
            let lang = Lang::parse(f[3]).expect("a language");
            (f[0].into(), f[1].into(), f[2].into(), lang, f[4].into())
        })
        .collect()
}

/// The model's text for one pinned place.
fn model(table: &str, row: &str, form: &str) -> Text {
    let form = || Form::parse(form).expect("a form");
    match table {
        "table1" => Aspect::parse(row).expect("an aspect").principle(form()),
        "aim" => form().aim(Axis::parse(row).expect("an axis")),
        "table2" => Aspect::parse(row).expect("an aspect").question(),
        other => panic!("unknown table {other}"),
    }
}

#[test]
fn every_table_cell_is_where_the_article_puts_it() {
    let cells = pinned();
    for (table, row, form, lang, text) in &cells {
        assert_eq!(
            model(table, row, form).get(*lang),
            text,
            "{table} {row} {form} {lang:?}"
        );
    }
    // Every cell is pinned, once: 13 × 4 principles, 2 × 4 aims, 13 questions, each in two
    // languages.
    let mut places: Vec<_> = cells
        .iter()
        .map(|(t, r, f, l, _)| (t.clone(), r.clone(), f.clone(), *l))
        .collect();
    places.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    places.dedup();
    assert_eq!(places.len(), cells.len(), "a place is pinned twice");
    assert_eq!(cells.len(), (13 * 4 + 2 * 4 + 13) * 2);
}
