//! The server first: how the benchmark separates the server's latency from
//! the generator's on a machine where both share the cores.
//!
//! Under the kernel's fair scheduler a server thread woken by a packet or a
//! finished fsync can wait behind a generator thread (or a block-I/O
//! worker) for a few milliseconds — a wait a server on its own machine
//! never has. Giving every thread of the server the real-time policy
//! `SCHED_FIFO` (lowest priority, 1) makes it run the moment it is woken;
//! the generator gets what the server leaves. The generator's own
//! timestamps can then only be late, never the server's work early, so the
//! figures stay an upper bound.

/// Moves every thread of `pid` to `SCHED_FIFO` priority 1 (threads it
/// starts later inherit it). The number of threads moved, or why not (the
/// policy needs root or `CAP_SYS_NICE`): then none stays moved, so a
/// refusal never leaves the server half real-time.
pub fn server_first(pid: u32) -> Result<usize, String> {
    let tasks = std::fs::read_dir(format!("/proc/{pid}/task"))
        .map_err(|e| format!("cannot list the threads of {pid}: {e}"))?;
    let tids: Vec<i32> = tasks
        .flatten()
        .filter_map(|t| t.file_name().to_str().and_then(|t| t.parse().ok()))
        .collect();
    let mut moved = Vec::new();
    for tid in tids {
        match set_policy(tid, libc::SCHED_FIFO, 1) {
            Ok(()) => moved.push(tid),
            // The thread ended meanwhile (a blocking-pool thread retiring).
            Err(e) if e.raw_os_error() == Some(libc::ESRCH) => {}
            Err(e) => {
                for tid in moved {
                    let _ = set_policy(tid, libc::SCHED_OTHER, 0);
                }
                return Err(format!("sched_setscheduler(SCHED_FIFO) refused: {e}"));
            }
        }
    }
    Ok(moved.len())
}

fn set_policy(tid: i32, policy: i32, priority: i32) -> std::io::Result<()> {
    let param = libc::sched_param {
        sched_priority: priority,
    };
    // SAFETY: a plain system call with a valid pointer to `param`.
    match unsafe { libc::sched_setscheduler(tid, policy, &param) } {
        0 => Ok(()),
        _ => Err(std::io::Error::last_os_error()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_child_process_is_moved_or_the_refusal_is_named() {
        let mut child = std::process::Command::new("sleep")
            .arg("5")
            .spawn()
            .unwrap();
        let outcome = super::server_first(child.id());
        // SAFETY: a plain system call reading a process's policy.
        let policy = unsafe { libc::sched_getscheduler(child.id() as i32) };
        child.kill().unwrap();
        let _ = child.wait();
        match outcome {
            Ok(n) => {
                assert_eq!(n, 1);
                assert_eq!(policy, libc::SCHED_FIFO);
            }
            Err(why) => {
                assert!(why.contains("SCHED_FIFO"), "{why}");
                assert_ne!(policy, libc::SCHED_FIFO);
            }
        }
    }
}
