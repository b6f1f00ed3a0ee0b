//! Keeping resident memory near what is live, and allocation cheap.
//!
//! Every student connection leaves long-lived small allocations (its
//! attempt, its socket state) between short-lived large ones (the join's
//! HTTP buffers, the welcome's paper), made on whichever thread ran the
//! task. With glibc's malloc each thread took its own heap ("arena", up to
//! 8 per core) and each kept the pages of its freed holes: 10 to 14.5 KiB
//! per connection. One arena brought that to about 7 KiB, but then
//! allocation was a quarter of the relay's CPU during the start-of-exam
//! spike (`_int_malloc` searching one shared heap; measured with `perf`).
//!
//! So the relay binary allocates with mimalloc (`main.rs`): per-thread
//! heaps of small pages, which it returns to the system itself once they
//! are empty. Measured on this machine with the other changes of the same
//! commit (docs/load.md): 19,000 students in about 3.2 s instead of 5.1 to
//! 6.4, ack p99 at 19,000 about 5 ms instead of 11 to 17, and 7.8 KB per
//! idle connection. glibc's malloc still serves SQLite and other C code:
//! it keeps one arena, and [`trim`] gives back what a burst left — but it
//! walks the heap under the arena's lock (every 2 s it once stalled every
//! thread for up to ~200 ms), so it runs once after each burst of joins,
//! when joins have stopped for a few seconds.

/// One malloc arena for the whole process. Call before any thread starts:
/// a thread keeps the arena it took at its first allocation.
pub fn one_arena() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets the allocator's parameters.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

/// Joins in a burst worth a trim.
pub const BURST_JOINS: u64 = 500;

/// Quiet time after a burst before the trim.
pub const QUIET: std::time::Duration = std::time::Duration::from_secs(3);

/// Trims once after each burst of joins (see the module doc), forever.
pub async fn trim_after_bursts(state: crate::AppState) {
    let mut trimmed_at = 0u64;
    let mut last = 0u64;
    let mut quiet_since = tokio::time::Instant::now();
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
    loop {
        tick.tick().await;
        let joins = state.timings.join.count();
        if joins != last {
            last = joins;
            quiet_since = tokio::time::Instant::now();
            continue;
        }
        if joins >= trimmed_at + BURST_JOINS && quiet_since.elapsed() >= QUIET {
            trimmed_at = joins;
            let t0 = std::time::Instant::now();
            trim();
            tracing::info!(
                "returned free memory after {joins} joins in {:?}",
                t0.elapsed()
            );
        }
    }
}

/// Returns free heap pages to the kernel: mimalloc's — the calling
/// thread's heap, and every empty page mimalloc's arenas hold for the whole
/// process (its own delayed purge waits for allocations an idle relay no
/// longer makes) — and glibc's.
pub fn trim() {
    // SAFETY: mi_collect only frees mimalloc's own empty pages; it is a
    // no-op where mimalloc holds nothing (a binary with another allocator).
    unsafe {
        libmimalloc_sys::mi_collect(true);
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the allocator's own free lists.
    unsafe {
        libc::malloc_trim(0);
    }
}
