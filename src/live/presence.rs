//! Who is connected to a session, and how lately each connection was heard from. A person is
//! online while at least one of their connections speaks (a page's pings, or the WebSocket
//! layer's answers to the server's), stale when every one of them has gone quiet (a phone that
//! lost its network looks like this before its connection finally breaks), offline with none.
//! Board links are connections too — they keep the session's fan-out alive — but not people:
//! presence never names them.

use crate::session::ParticipantId;
use crate::session::view::{Connection, Presence, PresenceChange, ServerMessage};
use std::collections::HashMap;
use std::sync::Arc;

/// One open connection.
struct Link {
    viewer: ParticipantId,
    /// Whether it counts in presence (a participant, not a board link).
    person: bool,
    quiet: bool,
}

/// A person's connections: how many are open, and how many of them are quiet.
#[derive(Default, Clone, Copy)]
struct Counts {
    open: usize,
    quiet: usize,
}

/// Every connection of one session.
#[derive(Default)]
pub(super) struct Connections {
    links: HashMap<u64, Link>,
    people: HashMap<ParticipantId, Counts>,
    next: u64,
}

impl Connections {
    /// The number the next connection to open will get: connections numbered from it on have
    /// not heard of a change made now, except in the `presence` they start with.
    pub(super) fn next_number(&self) -> u64 {
        self.next + 1
    }

    /// Whether nobody at all is connected (board links included).
    pub(super) fn is_empty(&self) -> bool {
        self.links.is_empty()
    }

    fn status(&self, p: ParticipantId) -> Connection {
        match self.people.get(&p) {
            None => Connection::Offline,
            Some(c) if c.quiet == c.open => Connection::Stale,
            Some(_) => Connection::Online,
        }
    }

    /// Runs `change` on the counts of `p` and says how their status changed, if it did.
    fn update(&mut self, p: ParticipantId, change: impl FnOnce(&mut Counts)) -> Option<String> {
        let before = self.status(p);
        let counts = self.people.entry(p).or_default();
        change(counts);
        if counts.open == 0 {
            self.people.remove(&p);
        }
        let after = self.status(p);
        (before != after).then(|| {
            ServerMessage::PresenceChanged(PresenceChange {
                participant: p,
                status: after,
            })
            .to_json()
        })
    }

    /// A connection of `viewer` opens; returns its number and the `presence_changed` message
    /// it causes, if any.
    pub(super) fn open(&mut self, viewer: ParticipantId, person: bool) -> (u64, Option<String>) {
        self.next += 1;
        let id = self.next;
        self.links.insert(
            id,
            Link {
                viewer,
                person,
                quiet: false,
            },
        );
        let change = if person {
            self.update(viewer, |c| c.open += 1)
        } else {
            None
        };
        (id, change)
    }

    /// A connection closed.
    pub(super) fn close(&mut self, id: u64) -> Option<String> {
        let link = self.links.remove(&id)?;
        if !link.person {
            return None;
        }
        self.update(link.viewer, |c| {
            c.open = c.open.saturating_sub(1);
            if link.quiet {
                c.quiet = c.quiet.saturating_sub(1);
            }
        })
    }

    /// A connection went quiet, or spoke again after being quiet.
    pub(super) fn quiet(&mut self, id: u64, quiet: bool) -> Option<String> {
        let link = self.links.get_mut(&id)?;
        if link.quiet == quiet || !link.person {
            link.quiet = quiet;
            return None;
        }
        link.quiet = quiet;
        let viewer = link.viewer;
        self.update(viewer, |c| {
            if quiet {
                c.quiet += 1;
            } else {
                c.quiet = c.quiet.saturating_sub(1);
            }
        })
    }

    /// The whole picture, as the `presence` message a new connection starts with.
    pub(super) fn message(&self) -> Arc<str> {
        let mut online: Vec<ParticipantId> = self.people.keys().copied().collect();
        online.sort();
        let stale = online
            .iter()
            .copied()
            .filter(|p| self.status(*p) == Connection::Stale)
            .collect();
        ServerMessage::Presence(Presence { online, stale })
            .to_json()
            .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(c: &Connections, p: ParticipantId) -> Connection {
        c.status(p)
    }

    #[test]
    fn a_person_is_stale_only_when_every_connection_is_quiet() {
        let mut c = Connections::default();
        let p = ParticipantId::new_random();
        let (a, change) = c.open(p, true);
        assert!(change.unwrap().contains("\"online\""));
        let (b, change) = c.open(p, true);
        assert!(change.is_none(), "a second tab changes nothing");
        assert!(c.quiet(a, true).is_none(), "the other tab still speaks");
        assert!(c.quiet(b, true).unwrap().contains("\"stale\""));
        assert_eq!(status(&c, p), Connection::Stale);
        assert!(c.quiet(b, false).unwrap().contains("\"online\""));
        // The one left is quiet: closing the speaking one leaves the person stale.
        assert!(c.close(b).unwrap().contains("\"stale\""));
        assert_eq!(status(&c, p), Connection::Stale);
        assert!(c.close(a).unwrap().contains("\"offline\""));
        assert!(c.is_empty());
    }

    #[test]
    fn board_links_keep_the_session_connected_but_are_never_named() {
        let mut c = Connections::default();
        let board = ParticipantId::new_random();
        let (id, change) = c.open(board, false);
        assert!(change.is_none());
        assert!(!c.is_empty());
        assert!(!c.message().contains(&board.to_string()));
        assert!(c.quiet(id, true).is_none());
        assert!(c.close(id).is_none());
        assert!(c.is_empty());
    }
}
