//! A session's fan-out: every update goes to every connection, each reading at its own pace.
//!
//! The queue holds an update until the last connection has read it, so it is as long as the
//! slowest reader's backlog, not a ring allocated in full up front (512 slots cost every
//! session with someone connected about 16 KiB, more than its ten connections' buffers). It
//! starts small and doubles when the slowest reader's backlog fills it, up to the configured
//! limit, and keeps the room it grew to until the last connection leaves (the session's task
//! then drops the fan-out). A reader that falls further behind than the limit misses the
//! oldest updates, is told so (`RecvError::Overflowed`), and resyncs.

/// Updates queued before the queue first grows.
const FIRST_CAPACITY: usize = 8;

/// The sending side, kept by the session's task. An update is cheap to clone (a pointer).
pub struct Fanout<T> {
    tx: async_broadcast::Sender<T>,
    /// Keeps the channel open while no connection is subscribed (it holds no updates).
    _open: async_broadcast::InactiveReceiver<T>,
    limit: usize,
}

/// Why a connection got no update.
pub use async_broadcast::RecvError;

impl<T: Clone> Fanout<T> {
    /// A fan-out whose readers may fall `limit` updates behind (at least one).
    pub fn new(limit: usize) -> Fanout<T> {
        let limit = limit.max(1);
        let (mut tx, rx) = async_broadcast::broadcast(FIRST_CAPACITY.min(limit));
        // A full queue drops its oldest update for the newest: the session never waits for a
        // slow connection, the connection learns it missed something.
        tx.set_overflow(true);
        Fanout {
            tx,
            _open: rx.deactivate(),
            limit,
        }
    }

    /// Sends `update` to every subscribed connection.
    pub fn send(&mut self, update: T) {
        let capacity = self.tx.capacity();
        if self.tx.is_full() && capacity < self.limit {
            self.tx.set_capacity((capacity * 2).min(self.limit));
        }
        // The only failure is nobody subscribed, which is nobody to tell.
        let _ = self.tx.try_broadcast(update);
    }

    /// A new connection's updates: everything sent from now on.
    pub fn subscribe(&self) -> async_broadcast::Receiver<T> {
        self.tx.new_receiver()
    }

    /// Updates queued for the slowest reader, and room before the queue grows.
    #[cfg(test)]
    fn queued(&self) -> (usize, usize) {
        (self.tx.len(), self.tx.capacity())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn update(n: usize) -> Arc<str> {
        Arc::from(n.to_string())
    }

    #[tokio::test]
    async fn updates_read_by_everyone_leave_the_queue() {
        let mut fanout = Fanout::new(512);
        let mut a = fanout.subscribe();
        let mut b = fanout.subscribe();
        for n in 0..5 {
            fanout.send(update(n));
        }
        assert_eq!(fanout.queued(), (5, FIRST_CAPACITY));
        for n in 0..5 {
            assert_eq!(&*a.recv_direct().await.unwrap(), n.to_string());
        }
        assert_eq!(fanout.queued().0, 5, "b has read nothing yet");
        for n in 0..5 {
            assert_eq!(&*b.recv_direct().await.unwrap(), n.to_string());
        }
        assert_eq!(fanout.queued().0, 0);
    }

    #[tokio::test]
    async fn the_queue_grows_for_a_slow_reader_up_to_the_limit_then_it_misses_the_oldest() {
        let mut fanout = Fanout::new(20);
        let mut slow = fanout.subscribe();
        for n in 0..20 {
            fanout.send(update(n));
        }
        assert_eq!(
            fanout.queued(),
            (20, 20),
            "grown to the limit, nothing lost"
        );
        fanout.send(update(20));
        fanout.send(update(21));
        assert!(matches!(
            slow.recv_direct().await,
            Err(RecvError::Overflowed(2))
        ));
        assert_eq!(&*slow.recv_direct().await.unwrap(), "2");
    }

    #[tokio::test]
    async fn a_connection_hears_only_what_was_sent_after_it_subscribed_and_the_end() {
        let mut fanout = Fanout::new(4);
        fanout.send(update(0));
        let mut late = fanout.subscribe();
        fanout.send(update(1));
        drop(fanout);
        assert_eq!(&*late.recv_direct().await.unwrap(), "1");
        assert!(matches!(late.recv_direct().await, Err(RecvError::Closed)));
    }
}
