//! A socket that gathers what is written to it until it is flushed, so that the frames of one
//! step of a connection (an event for each of a burst of commands, an ack, the frames of a long
//! snapshot) leave in one system call instead of one each. The WebSocket layer writes every
//! frame through at once (its own buffer would keep the capacity of the largest burst on every
//! connection); this buffer is given back after each flush, so an idle connection keeps none.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, Waker, ready};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// The most a connection gathers before it writes: a long message goes out in pieces of this.
pub const CORK_BYTES: usize = 32 * 1024;

/// `inner`, with writes gathered until a flush (or [`CORK_BYTES`]).
pub struct Corked<T: AsyncWrite + Unpin> {
    inner: T,
    buf: Vec<u8>,
}

impl<T: AsyncWrite + Unpin> Corked<T> {
    pub fn new(inner: T) -> Corked<T> {
        Corked {
            inner,
            buf: Vec::new(),
        }
    }

    /// Writes out what is gathered; once all of it is out, lets the buffer go.
    fn poll_write_out(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while !self.buf.is_empty() {
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, &self.buf))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            // Rarely short of all of it: only when the client is slow to read.
            self.buf.drain(..n);
        }
        self.buf = Vec::new();
        Poll::Ready(Ok(()))
    }
}

/// What is gathered when the connection ends is its last word: the WebSocket layer writes its
/// reply to the client's close frame and then, the connection being over, never flushes. As
/// a buffered writer does when dropped, it is sent, here with one try that does not wait (a
/// close frame is a few bytes; the socket has room for them unless the client stopped reading).
impl<T: AsyncWrite + Unpin> Drop for Corked<T> {
    fn drop(&mut self) {
        if self.buf.is_empty() {
            return;
        }
        // Outside the task's cooperative budget: a spent budget would make the try fail.
        let write = tokio::task::unconstrained(std::future::poll_fn(|cx| self.poll_write_out(cx)));
        let _ = std::pin::pin!(write)
            .as_mut()
            .poll(&mut Context::from_waker(Waker::noop()));
    }
}

impl<T: AsyncRead + AsyncWrite + Unpin> AsyncRead for Corked<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Corked<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.buf.len() + data.len() > CORK_BYTES {
            ready!(this.poll_write_out(cx))?;
        }
        // The buffer is empty now, or has room for all of `data`.
        let take = data.len().min(CORK_BYTES - this.buf.len());
        this.buf.extend_from_slice(&data[..take]);
        Poll::Ready(Ok(take))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_write_out(cx))?;
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_write_out(cx))?;
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::FutureExt;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[tokio::test]
    async fn nothing_leaves_before_the_flush_and_everything_after_it() {
        let (near, mut far) = tokio::io::duplex(1 << 20);
        let mut corked = Corked::new(near);
        corked.write_all(b"one ").await.unwrap();
        corked.write_all(b"two").await.unwrap();
        let mut probe = [0u8; 16];
        assert!(
            far.read(&mut probe).now_or_never().is_none(),
            "bytes left before the flush"
        );
        corked.flush().await.unwrap();
        assert_eq!(corked.buf.capacity(), 0, "the buffer is given back");
        let mut got = [0u8; 7];
        far.read_exact(&mut got).await.unwrap();
        assert_eq!(&got, b"one two");
    }

    #[tokio::test]
    async fn what_is_gathered_when_the_socket_is_dropped_is_sent() {
        let (near, mut far) = tokio::io::duplex(1 << 20);
        let mut corked = Corked::new(near);
        corked.write_all(b"last word").await.unwrap();
        drop(corked);
        let mut got = Vec::new();
        far.read_to_end(&mut got).await.unwrap();
        assert_eq!(got, b"last word");
    }

    #[tokio::test]
    async fn a_write_longer_than_the_cork_goes_out_whole_in_pieces() {
        let (near, mut far) = tokio::io::duplex(1 << 20);
        let mut corked = Corked::new(near);
        let data: Vec<u8> = (0..3 * CORK_BYTES + 5).map(|i| (i % 251) as u8).collect();
        corked.write_all(&data).await.unwrap();
        assert!(corked.buf.len() <= CORK_BYTES);
        corked.flush().await.unwrap();
        let mut got = vec![0u8; data.len()];
        far.read_exact(&mut got).await.unwrap();
        assert_eq!(got, data);
    }
}
