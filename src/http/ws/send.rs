//! Putting messages on the wire. A text message longer than one frame goes out as a series of
//! frames (a fragmented message, RFC 6455 §5.4), so that no message is too big to deliver and
//! the WebSocket layer's buffer never holds more than one frame of it. Messages are queued and
//! leave with a flush: the socket underneath gathers them (`cork.rs`).

use bytes::Bytes;
use futures_util::{Sink, SinkExt};
use std::sync::Arc;
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};
use tokio_tungstenite::tungstenite::protocol::frame::{Frame, Utf8Bytes};

/// The largest frame the server writes. Small, because the WebSocket layer's write buffer keeps
/// the capacity of the largest frame it has written, on every connection; most messages fit
/// in one frame anyway.
pub const FRAME_BYTES: usize = 512;

/// Why a message did not go out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendError {
    /// The client took nothing for the stall timeout: it is not reading.
    Stalled,
    /// The connection failed or closed.
    Closed,
}

/// The sending side of a connection, with the stall timeout.
pub struct Outbox<S> {
    sink: S,
    stall: Duration,
}

/// A shared message text as bytes, without copying it.
struct SharedText(Arc<str>);

impl AsRef<[u8]> for SharedText {
    fn as_ref(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl<S: Sink<Message> + Unpin> Outbox<S> {
    /// An outbox over `sink` that gives up on a frame the client has not taken in `stall`.
    pub fn new(sink: S, stall: Duration) -> Outbox<S> {
        Outbox { sink, stall }
    }

    /// How long a frame may wait for the client.
    pub fn stall(&self) -> Duration {
        self.stall
    }

    async fn frame(&mut self, message: Message, patience: Duration) -> Result<(), SendError> {
        within(patience, self.sink.send(message)).await
    }

    /// Sends one text message, in frames of at most [`FRAME_BYTES`], and flushes.
    pub async fn text(&mut self, text: &Arc<str>) -> Result<(), SendError> {
        self.queue(text).await?;
        self.flush().await
    }

    /// Puts one text message on its way, in frames of at most [`FRAME_BYTES`], without
    /// flushing: it leaves with the next flush (or sooner, when the socket's gathering buffer
    /// is full), together with whatever else was queued.
    pub async fn queue(&mut self, text: &Arc<str>) -> Result<(), SendError> {
        let stall = self.stall;
        if text.len() <= FRAME_BYTES {
            let message = Message::Text(Utf8Bytes::from(text.as_ref()));
            return within(stall, self.sink.feed(message)).await;
        }
        let bytes = Bytes::from_owner(SharedText(text.clone()));
        let mut start = 0;
        while start < bytes.len() {
            let end = (start + FRAME_BYTES).min(bytes.len());
            let opcode = if start == 0 {
                OpCode::Data(Data::Text)
            } else {
                OpCode::Data(Data::Continue)
            };
            let frame = Frame::message(bytes.slice(start..end), opcode, end == bytes.len());
            within(stall, self.sink.feed(Message::Frame(frame))).await?;
            start = end;
        }
        Ok(())
    }

    /// Sends everything queued, waiting at most the stall timeout for the client to take it.
    pub async fn flush(&mut self) -> Result<(), SendError> {
        within(self.stall, self.sink.flush()).await
    }

    /// Sends a WebSocket ping.
    pub async fn ping(&mut self) -> Result<(), SendError> {
        self.frame(Message::Ping(Bytes::new()), self.stall).await
    }

    /// Sends a close frame, waiting at most `patience` for the client to take it.
    pub async fn close(
        &mut self,
        code: u16,
        reason: &'static str,
        patience: Duration,
    ) -> Result<(), SendError> {
        let frame = CloseFrame {
            code: code.into(),
            reason: Utf8Bytes::from_static(reason),
        };
        self.frame(Message::Close(Some(frame)), patience).await
    }

    /// Answers the client's close frame (the closing handshake). The WebSocket layer queued
    /// the reply when it read the client's frame, and refuses any message after it, a close
    /// frame too: the reply goes out with a flush.
    pub async fn close_reply(&mut self) -> Result<(), SendError> {
        self.flush().await
    }
}

/// What became of a write the client had `patience` to take.
async fn within<E>(
    patience: Duration,
    write: impl Future<Output = Result<(), E>>,
) -> Result<(), SendError> {
    match tokio::time::timeout(patience, write).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(_)) => Err(SendError::Closed),
        Err(_) => Err(SendError::Stalled),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::sink;
    use tokio::sync::mpsc;

    fn recording_sink() -> (
        impl Sink<Message, Error = ()> + Unpin,
        mpsc::UnboundedReceiver<Message>,
    ) {
        let (tx, rx) = mpsc::unbounded_channel::<Message>();
        let sink = Box::pin(sink::unfold(tx, |tx, m: Message| async move {
            tx.send(m).map_err(|_| ())?;
            Ok::<_, ()>(tx)
        }));
        (sink, rx)
    }

    #[tokio::test]
    async fn a_long_message_goes_out_as_frames_that_join_up_to_it() {
        let (sink, mut rx) = recording_sink();
        let mut out = Outbox::new(sink, Duration::from_secs(1));
        let text: Arc<str> = "é".repeat(3 * FRAME_BYTES).into(); // 2 bytes each: 6 frames
        out.text(&text).await.unwrap();
        drop(out);
        let mut joined = Vec::new();
        let mut frames = 0;
        while let Some(Message::Frame(f)) = rx.recv().await {
            assert!(f.payload().len() <= FRAME_BYTES);
            let first = frames == 0;
            assert_eq!(
                f.header().opcode,
                if first {
                    OpCode::Data(Data::Text)
                } else {
                    OpCode::Data(Data::Continue)
                }
            );
            joined.extend_from_slice(f.payload());
            frames += 1;
            if f.header().is_final {
                break;
            }
        }
        assert_eq!(frames, 6);
        assert_eq!(std::str::from_utf8(&joined).unwrap(), &*text);
    }

    #[tokio::test]
    async fn a_short_message_is_one_text_frame() {
        let (sink, mut rx) = recording_sink();
        let mut out = Outbox::new(sink, Duration::from_secs(1));
        out.text(&Arc::from("{\"type\":\"pong\"}")).await.unwrap();
        assert_eq!(rx.recv().await, Some(Message::text("{\"type\":\"pong\"}")));
    }
}
