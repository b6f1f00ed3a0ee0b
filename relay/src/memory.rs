//! Keeping resident memory near what is live.
//!
//! Every student connection leaves long-lived small allocations (its
//! attempt, its socket state) between short-lived large ones (the join's
//! HTTP buffers, the welcome's paper), made on whichever thread ran the
//! task. glibc gives each thread its own heap ("arena", up to 8 per core),
//! and each kept the pages of its freed holes: resident memory grew by
//! about twice what a connection really holds. Measured on this machine
//! with 1,000 → 19,000 idle students (docs/load.md): 14.5 KiB per
//! connection with the default arenas (10 to 14.5 KiB over several runs),
//! about 7 KiB with one. So the relay uses one arena: two cores contend
//! little for it, and allocation is not where its time goes.
//!
//! A burst of joins still leaves its freed buffers' pages resident (how
//! many depends on how the burst interleaved). `malloc_trim` gives them
//! back, but it walks the heap under the arena's lock: every 2 s it
//! stalled every thread for up to ~200 ms under a province's load. So it
//! runs once after each burst of joins, when joins have stopped for a few
//! seconds — at the start of an exam, before the answering begins.

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

/// Returns free heap pages to the kernel.
pub fn trim() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the allocator's own free lists.
    unsafe {
        libc::malloc_trim(0);
    }
}
