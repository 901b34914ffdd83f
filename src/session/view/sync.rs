//! Sync by changes: what changed in one person's view of a session, as JSON Patch (RFC 6902)
//! operations on the `snapshot` message's `state`. The rules stay here: a page applies the
//! operations and works nothing out itself.
//!
//! Views differ between people in a few places only: their own answers, responses and
//! placements (`my_answers`, each aspect's `my_response` and, in a diagnosis, `my_placement`), who they are (`me`), and the board links a
//! facilitator sees. So the changes are worked out once per event for a viewer with nothing of
//! their own (the shared part), once for the board links, and once for each person whose own
//! part changed — never once per connection. The shared part is made from a snapshot whose own
//! fields are empty, so no blind answer can reach it; a person's own operations carry only
//! their own answers and responses.

use super::{Viewer, snapshot};
use crate::session::design::Response;
use crate::session::diagnosis::Placing;
use crate::session::ids::{OrgId, ParticipantId};
use crate::session::negotiation::Consent;
use crate::session::state::State;
use crate::session::values::{Position, Role};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// How a connection hears of what happens: every event as it happened, or what changed in its
/// view of the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SyncMode {
    #[default]
    Events,
    Patches,
}

/// One JSON Patch operation. Only these three are ever sent.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum Op {
    Add { path: String, value: Value },
    Remove { path: String },
    Replace { path: String, value: Value },
}

impl Op {
    fn path(&self) -> &str {
        match self {
            Op::Add { path, .. } | Op::Remove { path } | Op::Replace { path, .. } => path,
        }
    }
}

/// The operations that turn `from` into `to`: objects key by key, arrays index by index (the
/// session's lists grow at their end), anything else replaced whole.
pub fn diff(from: &Value, to: &Value) -> Vec<Op> {
    let mut ops = Vec::new();
    diff_at(&mut String::new(), from, to, &mut ops);
    ops
}

fn diff_at(path: &mut String, from: &Value, to: &Value, ops: &mut Vec<Op>) {
    if from == to {
        return;
    }
    let len = path.len();
    match (from, to) {
        (Value::Object(a), Value::Object(b)) => {
            for key in a.keys().filter(|k| !b.contains_key(*k)) {
                push_key(path, key);
                ops.push(Op::Remove { path: path.clone() });
                path.truncate(len);
            }
            for (key, value) in b {
                push_key(path, key);
                match a.get(key) {
                    Some(old) => diff_at(path, old, value, ops),
                    None => ops.push(Op::Add {
                        path: path.clone(),
                        value: value.clone(),
                    }),
                }
                path.truncate(len);
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for (i, (old, new)) in a.iter().zip(b).enumerate() {
                push_index(path, i);
                diff_at(path, old, new, ops);
                path.truncate(len);
            }
            for (i, value) in b.iter().enumerate().skip(a.len()) {
                push_index(path, i);
                ops.push(Op::Add {
                    path: path.clone(),
                    value: value.clone(),
                });
                path.truncate(len);
            }
            // From the end, so that each index is still there when its turn comes.
            for i in (b.len()..a.len()).rev() {
                push_index(path, i);
                ops.push(Op::Remove { path: path.clone() });
                path.truncate(len);
            }
        }
        _ => ops.push(Op::Replace {
            path: path.clone(),
            value: to.clone(),
        }),
    }
}

/// Appends an object key as a JSON Pointer segment (RFC 6901: `~` and `/` escaped).
fn push_key(path: &mut String, key: &str) {
    path.push('/');
    for c in key.chars() {
        match c {
            '~' => path.push_str("~0"),
            '/' => path.push_str("~1"),
            c => path.push(c),
        }
    }
}

fn push_index(path: &mut String, i: usize) {
    path.push('/');
    path.push_str(&i.to_string());
}

/// What changed since the last event, for every kind of viewer: operations, or (`map`) what
/// they are rendered to.
#[derive(Debug, Default, PartialEq)]
pub struct Changes<T = Vec<Op>> {
    /// What everyone applies.
    pub everyone: T,
    /// What facilitators apply after that (their board links).
    pub facilitators: T,
    /// What one person applies after that (their own answers, responses and organisation).
    pub own: HashMap<ParticipantId, T>,
}

impl<T> Changes<T> {
    /// The parts `viewer` applies, in order.
    pub fn parts(&self, viewer: Viewer) -> impl Iterator<Item = &T> {
        let facilitators = (viewer.role == Role::Facilitator).then_some(&self.facilitators);
        std::iter::once(&self.everyone)
            .chain(facilitators)
            .chain(self.own.get(&viewer.participant))
    }

    /// The same changes with each part made into something else (rendered, say).
    pub fn map<U>(&self, f: impl Fn(&T) -> U) -> Changes<U> {
        Changes {
            everyone: f(&self.everyone),
            facilitators: f(&self.facilitators),
            own: self.own.iter().map(|(p, part)| (*p, f(part))).collect(),
        }
    }
}

impl Changes {
    /// Every operation `viewer` applies, in order.
    pub fn for_viewer(&self, viewer: Viewer) -> impl Iterator<Item = &Op> {
        self.parts(viewer).flatten()
    }
}

/// One person's own part of their view.
#[derive(Debug, Clone, PartialEq, Default)]
struct Own {
    answers: Option<Position>,
    /// By (track, aspect) index.
    responses: BTreeMap<(usize, usize), Response>,
    /// By aspect index, in a diagnosis.
    placements: BTreeMap<usize, Placing>,
    /// By (track, aspect) index: their answer in an open consent round.
    consents: BTreeMap<(usize, usize), Consent>,
    /// Their answer in the open form round.
    form_consent: Option<Consent>,
}

impl Own {
    /// Each field of the view this part fills, by its path, with its value.
    fn fields(&self) -> BTreeMap<String, Value> {
        let mut fields = BTreeMap::new();
        if let Some(a) = &self.answers {
            fields.insert("/my_answers".to_string(), json(a));
        }
        for ((t, a), r) in &self.responses {
            fields.insert(format!("/tracks/{t}/aspects/{a}/my_response"), json(r));
        }
        for (a, p) in &self.placements {
            fields.insert(format!("/diagnosis/aspects/{a}/my_placement"), json(p));
        }
        for ((t, a), c) in &self.consents {
            fields.insert(format!("/tracks/{t}/aspects/{a}/my_consent"), json(c));
        }
        if let Some(c) = &self.form_consent {
            fields.insert("/my_form_consent".to_string(), json(c));
        }
        fields
    }
}

fn json(value: &impl Serialize) -> Value {
    // The view's types serialize to JSON without fail (no maps with non-string keys).
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// A session's views as of one event, kept to work out the changes the next one makes.
#[derive(Debug)]
pub struct Views {
    /// The snapshot of a viewer with nothing of their own (`me` is null).
    shared: Value,
    board_links: Value,
    own: HashMap<ParticipantId, Own>,
    /// Each person's organisation, as their `me` shows it.
    organisations: HashMap<ParticipantId, Option<OrgId>>,
}

/// Nobody: the viewer of the shared part.
const NOBODY: ParticipantId = ParticipantId(Uuid::nil());

impl Views {
    /// The views of `state` as it is.
    pub fn of(state: &State) -> Views {
        let mut shared = json(&snapshot(
            state,
            Viewer {
                participant: NOBODY,
                role: Role::Observer,
            },
        ));
        shared["me"] = Value::Null;
        let mut own: HashMap<ParticipantId, Own> = state
            .answers
            .iter()
            .map(|(p, a)| {
                (
                    *p,
                    Own {
                        answers: Some(a.clone()),
                        ..Own::default()
                    },
                )
            })
            .collect();
        for (t, track) in state.tracks.iter().enumerate() {
            for (a, aspect) in track.aspects.iter().enumerate() {
                for (p, r) in &aspect.responses {
                    own.entry(*p)
                        .or_default()
                        .responses
                        .insert((t, a), r.clone());
                }
                for (p, c) in aspect.consents.values() {
                    own.entry(*p)
                        .or_default()
                        .consents
                        .insert((t, a), c.clone());
                }
            }
        }
        for (p, c) in state.form_consents.values() {
            own.entry(*p).or_default().form_consent = Some(c.clone());
        }
        for (a, aspect) in state
            .diagnosis
            .iter()
            .flat_map(|d| d.aspects.iter().enumerate())
        {
            for (p, placing) in &aspect.placements {
                own.entry(*p)
                    .or_default()
                    .placements
                    .insert(a, placing.clone());
            }
        }
        Views {
            shared,
            board_links: json(&state.observers),
            own,
            organisations: state
                .participants
                .iter()
                .map(|p| (p.id, p.organisation))
                .collect(),
        }
    }

    /// Moves these views on to `state` and says what changed for whom.
    pub fn advance(&mut self, state: &State) -> Changes {
        let next = Views::of(state);
        let everyone = diff(&self.shared, &next.shared);
        let mut facilitators = Vec::new();
        diff_at(
            &mut "/board_links".to_string(),
            &self.board_links,
            &next.board_links,
            &mut facilitators,
        );
        let mut own = HashMap::new();
        let empty = Own::default();
        let people = self
            .own
            .keys()
            .chain(next.own.keys().filter(|p| !self.own.contains_key(p)));
        for p in people {
            let before = self.own.get(p).unwrap_or(&empty);
            let after = next.own.get(p).unwrap_or(&empty);
            let ops = own_ops(&everyone, before, after);
            if !ops.is_empty() {
                own.insert(*p, ops);
            }
        }
        for (p, organisation) in &next.organisations {
            if self.organisations.get(p).is_some_and(|o| o != organisation) {
                own.entry(*p).or_insert_with(Vec::new).push(Op::Replace {
                    path: "/me/organisation".to_string(),
                    value: json(organisation),
                });
            }
        }
        *self = next;
        Changes {
            everyone,
            facilitators,
            own,
        }
    }
}

/// What one person applies after the shared operations so that their own fields read as they
/// should. A field the shared operations touched (or whose track or aspect they replaced) holds
/// the shared part's value after them, which is empty; any other still holds what it held.
fn own_ops(shared: &[Op], before: &Own, after: &Own) -> Vec<Op> {
    let (before, after) = (before.fields(), after.fields());
    let touched = |path: &str| {
        shared.iter().any(|op| {
            let p = op.path();
            path == p
                || path
                    .strip_prefix(p)
                    .is_some_and(|rest| rest.starts_with('/'))
        })
    };
    let mut paths: Vec<&String> = after.keys().collect();
    paths.extend(before.keys().filter(|p| !after.contains_key(*p)));
    paths
        .into_iter()
        .filter_map(|path| {
            let was = if touched(path) {
                &Value::Null
            } else {
                before.get(path).unwrap_or(&Value::Null)
            };
            let is = after.get(path).unwrap_or(&Value::Null);
            (was != is).then(|| Op::Replace {
                path: path.clone(),
                value: is.clone(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn apply(doc: &Value, ops: &[Op]) -> Value {
        let mut doc = doc.clone();
        let patch: json_patch::Patch =
            serde_json::from_value(serde_json::to_value(ops).unwrap()).unwrap();
        json_patch::patch(&mut doc, &patch).unwrap();
        doc
    }

    #[test]
    fn a_diff_applied_by_the_standard_gives_the_new_document() {
        let cases = [
            (
                json!({"a": 1, "b": [1, 2, 3]}),
                json!({"a": 2, "b": [1, 5]}),
            ),
            (
                json!({"a": {"x": null}}),
                json!({"a": {"x": {"y": "z"}}, "c": 1}),
            ),
            (json!({"a/b": [], "t~": 1}), json!({"a/b": [1, 2], "t~": 2})),
            (json!([1, [2, 3]]), json!([1, [2, 3, 4], {"k": true}])),
            (json!({"gone": 1}), json!({})),
        ];
        for (from, to) in cases {
            let ops = diff(&from, &to);
            assert_eq!(apply(&from, &ops), to, "{ops:?}");
        }
    }

    #[test]
    fn an_unchanged_document_has_no_operations_and_a_change_only_its_own() {
        let doc = json!({"seq": 1, "notes": [{"text": "a"}], "big": [1, 2, 3, 4, 5]});
        assert!(diff(&doc, &doc).is_empty());
        let mut next = doc.clone();
        next["seq"] = json!(2);
        next["notes"]
            .as_array_mut()
            .unwrap()
            .push(json!({"text": "b"}));
        assert_eq!(
            diff(&doc, &next),
            vec![
                Op::Add {
                    path: "/notes/1".into(),
                    value: json!({"text": "b"})
                },
                Op::Replace {
                    path: "/seq".into(),
                    value: json!(2)
                },
            ]
        );
    }
}
