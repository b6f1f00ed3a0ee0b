//! The listening socket and the connection gate.
//!
//! A province's students all open the exam in the same minute, so the
//! listening socket's backlog is sized for a burst (tokio's default of 128
//! drops SYNs, and each dropped one waits a 1 s retransmit). Every accepted
//! connection is one open file; the relay raises its soft open-file limit to
//! the hard one at start and counts its connections against it. Past
//! [`Gate::limit`] a new connection is answered at once with HTTP 503,
//! `Retry-After` (3 to 8 s, spread) and the error code `overloaded`, and
//! closed (at most [`REFUSING_AT_ONCE`] such answers at a time): the relay
//! keeps a reserve of descriptors for that answer, for the database and for
//! its own files, so accepted connections never fail because a newcomer
//! took the last descriptor.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::connect_info::Connected;
use axum::serve::IncomingStream;
use examgate_shared::error::{ErrorBody, ErrorCode};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpSocket, TcpStream};

/// Pending connections the kernel queues before `accept` (the kernel caps
/// it at `net.core.somaxconn`, 4096 on current kernels).
pub const BACKLOG: u32 = 4096;

/// Descriptors kept back from the open-file limit: the database and its
/// WAL, read connections for exports, static files being served, and
/// the connections being refused with 503.
pub const RESERVED_FILES: usize = 256;

/// How long a refused client is asked to wait before retrying: 3 to 8 s,
/// spread so that a crowd refused together does not come back together.
pub const RETRY_AFTER_SECS: std::ops::RangeInclusive<u64> = 3..=8;

/// Refusals being answered at once; past this a newcomer is closed without
/// an answer, so refusals can never use up the descriptors kept in reserve.
pub const REFUSING_AT_ONCE: usize = 128;

/// Raises the soft open-file limit to the hard limit. Returns the limit in
/// force afterwards (the soft one if raising failed).
pub fn raise_open_files() -> u64 {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write the struct given.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
            return 1024;
        }
        if lim.rlim_cur < lim.rlim_max {
            let raised = libc::rlimit {
                rlim_cur: lim.rlim_max,
                rlim_max: lim.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                return raised.rlim_cur;
            }
        }
    }
    lim.rlim_cur
}

/// The current soft open-file limit.
pub fn open_file_limit() -> u64 {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit only writes the struct given.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } != 0 {
        return 1024;
    }
    lim.rlim_cur
}

/// How many connections fit under `open_files`.
pub fn capacity(open_files: u64) -> usize {
    (open_files as usize).saturating_sub(RESERVED_FILES).max(16)
}

/// Binds `addr` with address reuse (a restarted relay rebinds at once) and
/// a backlog for a start-of-exam burst.
pub fn bind(addr: SocketAddr) -> io::Result<TcpListener> {
    let socket = match addr {
        SocketAddr::V4(_) => TcpSocket::new_v4()?,
        SocketAddr::V6(_) => TcpSocket::new_v6()?,
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(BACKLOG)
}

/// Counts open connections against a limit.
#[derive(Debug)]
pub struct Gate {
    open: AtomicUsize,
    limit: usize,
    refused: AtomicUsize,
}

impl Gate {
    pub fn new(limit: usize) -> Arc<Gate> {
        Arc::new(Gate {
            open: AtomicUsize::new(0),
            limit,
            refused: AtomicUsize::new(0),
        })
    }

    /// Connections open now.
    pub fn open(&self) -> usize {
        self.open.load(Ordering::Relaxed)
    }

    /// The most connections held at once.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// Connections answered with 503 so far.
    pub fn refused(&self) -> usize {
        self.refused.load(Ordering::Relaxed)
    }

    /// Takes a place if one is free.
    fn enter(self: &Arc<Self>) -> Option<Place> {
        let mut open = self.open.load(Ordering::Relaxed);
        loop {
            if open >= self.limit {
                return None;
            }
            match self.open.compare_exchange_weak(
                open,
                open + 1,
                Ordering::AcqRel,
                Ordering::Relaxed,
            ) {
                Ok(_) => return Some(Place(self.clone())),
                Err(now) => open = now,
            }
        }
    }
}

/// A connection's place under the gate, given back when it closes.
#[derive(Debug)]
struct Place(Arc<Gate>);

impl Drop for Place {
    fn drop(&mut self) {
        self.0.open.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A TCP listener that admits connections up to its gate's limit and
/// answers the rest with 503.
pub struct GatedListener {
    inner: TcpListener,
    gate: Arc<Gate>,
    refusing: Arc<tokio::sync::Semaphore>,
}

impl GatedListener {
    pub fn new(inner: TcpListener, gate: Arc<Gate>) -> GatedListener {
        GatedListener {
            inner,
            gate,
            refusing: Arc::new(tokio::sync::Semaphore::new(REFUSING_AT_ONCE)),
        }
    }
}

/// An admitted connection; it holds its place until dropped.
pub struct Admitted {
    stream: TcpStream,
    _place: Place,
}

impl axum::serve::Listener for GatedListener {
    type Io = Admitted;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Admitted, SocketAddr) {
        loop {
            let (stream, addr) = match self.inner.accept().await {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of descriptors despite the reserve (another part of
                    // the process opened files): wait for some to close.
                    // Connection errors of a single peer need no pause.
                    if !matches!(
                        e.kind(),
                        io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset
                    ) {
                        tracing::warn!("accept: {e}");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                    continue;
                }
            };
            // Exam traffic is many small messages; Nagle would hold acks.
            let _ = stream.set_nodelay(true);
            match self.gate.enter() {
                Some(place) => {
                    return (
                        Admitted {
                            stream,
                            _place: place,
                        },
                        addr,
                    );
                }
                None => {
                    self.gate.refused.fetch_add(1, Ordering::Relaxed);
                    // Past the cap on answers in flight the socket just
                    // closes (the client retries as after any failure).
                    if let Ok(permit) = self.refusing.clone().try_acquire_owned() {
                        let limit = self.gate.limit;
                        tokio::spawn(async move {
                            refuse(stream, limit).await;
                            drop(permit);
                        });
                    }
                }
            }
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.local_addr()
    }
}

/// The response to a connection past the limit: the 503 at once, then a
/// short drain of what the client sent (closing with unread data would
/// reset the connection before the client reads the answer).
async fn refuse(mut stream: TcpStream, limit: usize) {
    let retry = retry_after();
    let body = serde_json::to_string(&ErrorBody::new(
        ErrorCode::Overloaded,
        format!("this relay holds its limit of {limit} connections; retry in {retry} s"),
    ))
    .unwrap_or_default();
    let response = format!(
        "HTTP/1.1 503 Service Unavailable\r\nRetry-After: {retry}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        let _ = stream.write_all(response.as_bytes()).await;
        let _ = stream.shutdown().await;
        let mut buf = [0u8; 2048];
        let _ = stream.read(&mut buf).await;
    })
    .await;
}

/// A delay in [`RETRY_AFTER_SECS`].
fn retry_after() -> u64 {
    let span = RETRY_AFTER_SECS.end() - RETRY_AFTER_SECS.start() + 1;
    RETRY_AFTER_SECS.start() + crate::auth::random_u64() % span
}

/// The peer address, for handlers (`ConnectInfo<Peer>`).
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub SocketAddr);

impl Connected<IncomingStream<'_, GatedListener>> for Peer {
    fn connect_info(stream: IncomingStream<'_, GatedListener>) -> Peer {
        Peer(*stream.remote_addr())
    }
}

impl AsyncRead for Admitted {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Admitted {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_given_back() {
        let gate = Gate::new(2);
        let a = gate.enter().unwrap();
        let _b = gate.enter().unwrap();
        assert!(gate.enter().is_none());
        drop(a);
        assert_eq!(gate.open(), 1);
        assert!(gate.enter().is_some());
    }

    #[test]
    fn capacity_keeps_a_reserve() {
        assert_eq!(capacity(20_000), 20_000 - RESERVED_FILES);
        assert_eq!(capacity(10), 16);
    }
}
