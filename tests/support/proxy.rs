//! A TCP proxy that can cut the network: browsers talk to the relay through
//! it, and a test pulls the plug (every open connection is dropped, new ones
//! are refused) and puts it back, like a school's network going down; or
//! makes it hang (new connections are accepted and never answered), like an
//! overloaded link or a dead gateway, where nothing fails fast.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};

/// The network's states.
const UP: u8 = 0;
const DOWN: u8 = 1;
const HANGING: u8 = 2;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

pub struct NetworkProxy {
    pub addr: SocketAddr,
    state: Arc<AtomicU8>,
    /// Bumped on every cut; connections from an older generation end.
    generation: watch::Sender<u64>,
    counter: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl NetworkProxy {
    pub async fn start(upstream: SocketAddr) -> NetworkProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(AtomicU8::new(UP));
        let (generation, _) = watch::channel(0u64);
        let counter = Arc::new(AtomicU64::new(0));
        let task = {
            let state = state.clone();
            let generation = generation.clone();
            tokio::spawn(async move {
                while let Ok((client, _)) = listener.accept().await {
                    let mut cut = generation.subscribe();
                    match state.load(Ordering::SeqCst) {
                        DOWN => {
                            drop(client); // refused while the network is down
                            continue;
                        }
                        HANGING => {
                            // Held open, never answered, until the network
                            // changes again.
                            tokio::spawn(async move {
                                let _held = client;
                                let _ = cut.changed().await;
                            });
                            continue;
                        }
                        _ => {}
                    }
                    tokio::spawn(async move {
                        let Ok(server) = TcpStream::connect(upstream).await else {
                            return;
                        };
                        let (mut c, mut s) = (client, server);
                        tokio::select! {
                            _ = tokio::io::copy_bidirectional(&mut c, &mut s) => {}
                            _ = cut.changed() => {}
                        }
                    });
                }
            })
        };
        NetworkProxy {
            addr,
            state,
            generation,
            counter,
            task,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Drops every connection and refuses new ones.
    pub fn cut(&self) {
        self.change(DOWN);
    }

    /// Drops every connection and holds new ones open without an answer.
    pub fn hang(&self) {
        self.change(HANGING);
    }

    /// The network is back; connections held while it hung are dropped.
    pub fn restore(&self) {
        self.change(UP);
    }

    fn change(&self, state: u8) {
        self.state.store(state, Ordering::SeqCst);
        let next = self.counter.fetch_add(1, Ordering::SeqCst) + 1;
        self.generation.send_replace(next);
    }
}

impl Drop for NetworkProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}
