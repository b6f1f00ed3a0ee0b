//! Integrity warnings: stored, counted on the candidate's row and shown to
//! proctors — never acted on. The page reports what only it sees; the relay
//! adds what only it sees: a dropped connection, a second connection, an
//! address or browser that changed mid-attempt.

use examgate_shared::attempt::AttemptStatus;
use examgate_shared::error::{ErrorBody, ErrorCode};
use examgate_shared::integrity::{Signal, Warning, short_agent};

use crate::AppState;
use crate::clock::now_ms;
use crate::state::AttemptSlot;
use crate::store::oversight;

/// Where a connection comes from, as the relay sees it.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    pub address: String,
    pub agent: String,
}

impl AppState {
    /// A signal from the student's page. Kinds only the relay observes are
    /// refused; signals of an attempt that is not working, and beyond the
    /// page's budget per minute, are dropped.
    pub async fn page_signal(&self, slot: &AttemptSlot, signal: Signal) -> Result<(), ErrorBody> {
        if !signal.from_page() {
            return Err(ErrorBody::new(
                ErrorCode::Malformed,
                format!(
                    "{} is observed by the relay, not reported by a page",
                    signal.name()
                ),
            ));
        }
        let kept = slot.cell.lock().await.page_signals.take(now_ms());
        if kept {
            self.warn(slot, signal, true).await;
        }
        Ok(())
    }

    /// Records a warning on a working attempt (`only_working`) or any.
    async fn warn(&self, slot: &AttemptSlot, signal: Signal, only_working: bool) {
        let mut cell = slot.cell.lock().await;
        if only_working && cell.attempt.status != AttemptStatus::Working {
            return;
        }
        let (id, at) = (slot.id, now_ms());
        let stored = signal.clone();
        if let Err(e) = self
            .store
            .write(move |txn| oversight::insert_signal(txn, id, at, &stored))
            .await
        {
            // A warning informs; losing one must not end the attempt.
            tracing::error!("storing a warning of attempt {id}: {e}");
            return;
        }
        cell.warnings.add(Warning { at, signal });
        self.publish_row(&slot.candidate, Some((id, &cell)));
    }

    /// A connection opened the attempt: warns when another was still open,
    /// or when the address or browser differs from the last connection's.
    pub async fn observe_connection(&self, slot: &AttemptSlot, origin: Origin, replaced: bool) {
        if replaced {
            self.warn(slot, Signal::SecondConnection, true).await;
        }
        let agent = short_agent(&origin.agent);
        let before = {
            let mut cell = slot.cell.lock().await;
            cell.seen_from
                .replace((origin.address.clone(), agent.clone()))
        };
        let Some((address, old_agent)) = before else {
            return;
        };
        if address != origin.address {
            let signal = Signal::AddressChanged {
                from: address,
                to: origin.address,
            };
            self.warn(slot, signal, true).await;
        }
        if old_agent != agent {
            let signal = Signal::AgentChanged {
                from: old_agent,
                to: agent,
            };
            self.warn(slot, signal, true).await;
        }
    }

    /// The working attempt's connection dropped.
    pub async fn connection_lost(&self, slot: &AttemptSlot) {
        self.warn(slot, Signal::NetworkLost, true).await;
    }
}
