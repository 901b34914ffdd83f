//! Presence changes on their way to the session's connections: one goes at once when none went
//! for a moment; in a burst (a room of people opening their links in the same minute) they are
//! gathered and go together at the end of each window, so that every connection wakes and
//! writes once for several, not once for each. The delay is at most one window, far below
//! what a person notices.

use super::Outgoing;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

/// The longest a presence change waits for others to go with it.
pub const WINDOW: Duration = Duration::from_millis(100);

pub use super::super::outgoing::PresenceChange as Change;

#[derive(Debug, Default)]
pub struct PresenceOut {
    held: Vec<Change>,
    /// Until when changes are gathered rather than sent at once.
    window_end: Option<Instant>,
}

impl PresenceOut {
    /// What to send now of `change`, made at `now`: itself, or nothing when it is held. While
    /// earlier changes are held it is held too, even past the window's end (the session's
    /// task may be busy when the window ends): it must not overtake them.
    pub fn push(&mut self, change: Change, now: Instant) -> Option<Change> {
        let gathering = self.window_end.is_some_and(|end| now < end);
        if gathering || !self.held.is_empty() {
            self.held.push(change);
            return None;
        }
        self.window_end = Some(now + WINDOW);
        Some(change)
    }

    /// When the held changes are due, if any are held.
    pub fn due(&self) -> Option<Instant> {
        self.window_end.filter(|_| !self.held.is_empty())
    }

    /// The held changes, in the order they were made, at the end of their window; a burst
    /// that goes on is gathered for one more.
    pub fn take(&mut self, now: Instant) -> Vec<Change> {
        self.window_end = Some(now + WINDOW);
        std::mem::take(&mut self.held)
    }

    /// Forgets what is held: nobody is connected to hear it.
    pub fn clear(&mut self) {
        self.held = Vec::new();
        self.window_end = None;
    }
}

impl super::Actor {
    /// Sends `change` now, or holds it to go with the others of a burst.
    pub(super) fn publish_presence(&mut self, change: Option<String>, known_from: u64) {
        let Some(change) = change else { return };
        if self.updates.is_none() {
            return; // nobody to hear it
        }
        let now = tokio::time::Instant::now();
        if let Some(change) = self.presence_out.push((change.into(), known_from), now) {
            self.send_presence(vec![change]);
        }
    }

    pub(super) fn send_held_presence(&mut self) {
        let held = self.presence_out.take(tokio::time::Instant::now());
        self.send_presence(held);
    }

    fn send_presence(&mut self, changes: Vec<Change>) {
        if let Some(updates) = &mut self.updates
            && !changes.is_empty()
        {
            // One update for the lot: each connection wakes once and writes them together.
            updates.send(Arc::new(Outgoing::Presence(changes.into())));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(n: u64) -> Change {
        (Arc::from(format!("change {n}")), n)
    }

    #[test]
    fn a_change_after_a_quiet_moment_goes_at_once() {
        let mut out = PresenceOut::default();
        let t = Instant::now();
        assert_eq!(out.push(change(1), t), Some(change(1)));
        assert_eq!(out.due(), None);
        assert_eq!(out.push(change(2), t + WINDOW), Some(change(2)));
    }

    #[test]
    fn a_change_after_the_window_never_overtakes_the_ones_still_held() {
        let mut out = PresenceOut::default();
        let t = Instant::now();
        assert!(out.push(change(1), t).is_some());
        assert_eq!(out.push(change(2), t + WINDOW / 2), None);
        // The window has ended, but the task has not sent what it holds yet.
        assert_eq!(out.push(change(3), t + 2 * WINDOW), None);
        assert_eq!(out.take(t + 2 * WINDOW), vec![change(2), change(3)]);
    }

    #[test]
    fn a_burst_is_held_in_order_until_the_window_ends_and_the_next_one_gathers_again() {
        let mut out = PresenceOut::default();
        let t = Instant::now();
        assert!(out.push(change(1), t).is_some());
        assert_eq!(out.push(change(2), t + WINDOW / 4), None);
        assert_eq!(out.push(change(3), t + WINDOW / 2), None);
        assert_eq!(out.due(), Some(t + WINDOW));
        assert_eq!(out.take(t + WINDOW), vec![change(2), change(3)]);
        assert_eq!(out.due(), None);
        // Still within the window that the flush opened: gathered again.
        assert_eq!(out.push(change(4), t + WINDOW + WINDOW / 2), None);
        assert_eq!(out.due(), Some(t + 2 * WINDOW));
        out.clear();
        assert_eq!(out.due(), None);
        assert_eq!(
            out.push(change(5), t + WINDOW + WINDOW / 2),
            Some(change(5))
        );
    }
}
