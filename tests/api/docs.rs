//! docs/protocol.md against the code: every server message, command, event, error code and
//! close code the code can produce has its place in the reference, so that a client written
//! from that page alone meets nothing it was not told about.

use grondvorm::session::ServerMessage;
use std::collections::BTreeSet;
use std::path::PathBuf;

fn read(path: &str) -> String {
    std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// The part of the page from the heading that starts with `heading` to the next heading of the
/// same level.
fn section<'a>(page: &'a str, heading: &str) -> &'a str {
    let start = page
        .find(heading)
        .unwrap_or_else(|| panic!("protocol.md has no section {heading}"));
    let level = heading.chars().take_while(|c| *c == '#').count();
    let rest = &page[start + heading.len()..];
    let marker = format!("\n{} ", "#".repeat(level));
    let end = rest.find(&marker).map_or(rest.len(), |i| i);
    &rest[..end]
}

/// Every string literal that follows `pattern` in `source`, up to the closing quote.
fn literals_after(source: &str, pattern: &str) -> BTreeSet<String> {
    source
        .match_indices(pattern)
        .filter_map(|(i, _)| {
            let rest = &source[i + pattern.len()..];
            let open = rest.find('"')?;
            // The literal must follow the pattern closely (same expression).
            if rest[..open].contains(';') || open > 80 {
                return None;
            }
            let body = &rest[open + 1..];
            Some(body[..body.find('"')?].to_owned())
        })
        .filter(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .collect()
}

/// The body of the function whose signature starts with `signature`.
fn function<'a>(source: &'a str, signature: &str) -> &'a str {
    let start = source.find(signature).expect("the function exists");
    let rest = &source[start..];
    &rest[..rest.find("\n    }\n").unwrap_or(rest.len())]
}

#[test]
fn every_server_message_is_documented() {
    let page = read("docs/protocol.md");
    let messages = section(&page, "### 5.6 Server messages");
    for kind in ServerMessage::TYPES {
        assert!(
            messages.contains(&format!("#### `{kind}`")),
            "§5.6 does not document the `{kind}` message"
        );
    }
}

#[test]
fn every_command_and_event_is_documented() {
    let page = read("docs/protocol.md");
    let commands = section(&page, "## 6. Commands");
    // The commands a client can send over the WebSocket: the names the parser matches on.
    let parser = read("src/http/protocol/commands.rs");
    let command_names: BTreeSet<String> = parser
        .lines()
        .filter_map(|l| {
            l.trim()
                .strip_prefix('"')?
                .split_once("\" => ")
                .map(|(n, _)| n.to_owned())
        })
        .collect();
    assert!(command_names.len() > 20, "{command_names:?}");
    for name in command_names {
        assert!(
            commands.contains(&format!(" `{name}`\n")),
            "§6 has no heading for the `{name}` command"
        );
    }
    let events = section(&page, "## 7. Events");
    let event_names = literals_after(&read("src/session/event.rs"), "=> ");
    assert!(event_names.len() > 20, "{event_names:?}");
    for name in event_names {
        assert!(
            events.contains(&format!(" `{name}`\n")),
            "§7 has no heading for the `{name}` event"
        );
    }
}

#[test]
fn every_error_code_is_documented() {
    let page = read("docs/protocol.md");
    let errors = section(&page, "## 11. Error codes");
    let mut codes = literals_after(
        function(&read("src/session/rejection.rs"), "fn code("),
        "=> ",
    );
    codes.extend(literals_after(
        function(&read("src/session/input.rs"), "fn code("),
        "=> ",
    ));
    for source in [
        "src/http/rest.rs",
        "src/http/codes.rs",
        "src/http/manage.rs",
        "src/http/mod.rs",
        "src/http/auth.rs",
        "src/http/error.rs",
        "src/http/ws/mod.rs",
        "src/http/ws/answer.rs",
        "src/http/ws/connection.rs",
        "src/http/ws/upgrade.rs",
        "src/http/protocol/mod.rs",
        "src/http/protocol/commands.rs",
    ] {
        let text = read(source);
        codes.extend(literals_after(&text, "ApiError::new("));
        codes.extend(literals_after(&text, "code: "));
        codes.extend(literals_after(&text, "=> ("));
    }
    assert!(codes.len() > 30, "{codes:?}");
    for code in codes {
        assert!(
            errors.contains(&format!("`{code}`")),
            "§11 does not list the error code `{code}`"
        );
    }
}

#[test]
fn every_close_code_is_documented() {
    let page = read("docs/protocol.md");
    let closes = section(&page, "## 10. Close codes");
    let source = read("src/http/ws/mod.rs");
    let mut found = 0;
    for line in source.lines().filter(|l| l.starts_with("pub const CLOSE_")) {
        let code = line
            .rsplit('=')
            .next()
            .unwrap()
            .trim()
            .trim_end_matches(';');
        assert!(
            closes.contains(&format!("**{code}**")),
            "§10 does not list close code {code}"
        );
        found += 1;
    }
    assert!(found >= 8);
}
