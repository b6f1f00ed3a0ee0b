//! Moving bytes over the bridge's bulk endpoints.
//!
//! WebUSB cannot cancel a `transferIn`: once asked for, it completes
//! whenever the bridge next sends something, even if the Rust future that
//! asked was dropped (a timeout, or the screen went away). Its bytes must
//! not be lost, or a SlotChange or a reply would vanish. So the one IN
//! transfer in flight is kept here, and whoever reads next awaits that
//! same transfer instead of starting another.

use std::cell::RefCell;
use std::future::{Future, poll_fn};
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

use examgate_shared::chip::bridge::MAX_FRAME;
use js_sys::{Object, Promise, Uint8Array};
use web_sys::{UsbDevice, UsbInTransferResult, UsbTransferStatus};

use super::device::{Endpoints, usb_error};
use crate::usb::BridgeError;

/// The bridge's two bulk endpoints on an open, claimed device.
pub(super) struct Pipe {
    pub device: UsbDevice,
    pub endpoints: Endpoints,
    in_flight: RefCell<Option<Promise<UsbInTransferResult>>>,
}

impl Pipe {
    pub fn new(device: UsbDevice, endpoints: Endpoints) -> Pipe {
        Pipe {
            device,
            endpoints,
            in_flight: RefCell::new(None),
        }
    }

    /// One bulk OUT transfer: one whole frame.
    pub async fn write(&self, bytes: &[u8]) -> Result<(), BridgeError> {
        let result = self
            .device
            .transfer_out_with_u8_slice(self.endpoints.bulk_out, bytes)
            .map_err(|e| usb_error(&e))?
            .await
            .map_err(|e| usb_error(&e))?;
        if result.status() != UsbTransferStatus::Ok {
            return Err(self.bad_status("OUT", result.status()).await);
        }
        if result.bytes_written() as usize != bytes.len() {
            return Err(BridgeError::Usb(format!(
                "the bridge took {} of {} bytes",
                result.bytes_written(),
                bytes.len()
            )));
        }
        Ok(())
    }

    /// The next bulk IN transfer (one frame from a conforming bridge).
    pub async fn read(&self) -> Result<Vec<u8>, BridgeError> {
        let transfer = self
            .in_flight
            .borrow_mut()
            .get_or_insert_with(|| {
                self.device
                    .transfer_in(self.endpoints.bulk_in, MAX_FRAME as u32)
            })
            .clone();
        let outcome = transfer.clone().await;
        // Consumed: the next read starts a new transfer. (Compared, not
        // just cleared, in case a newer transfer took its place.)
        {
            let mut in_flight = self.in_flight.borrow_mut();
            if in_flight
                .as_ref()
                .is_some_and(|current| Object::is(current, &transfer))
            {
                *in_flight = None;
            }
        }
        let result = outcome.map_err(|e| usb_error(&e))?;
        if result.status() != UsbTransferStatus::Ok {
            return Err(self.bad_status("IN", result.status()).await);
        }
        Ok(result.data().map_or_else(Vec::new, |view| {
            Uint8Array::new_with_byte_offset_and_length(
                &view.buffer(),
                view.byte_offset() as u32,
                view.byte_length() as u32,
            )
            .to_vec()
        }))
    }

    /// A stalled endpoint is cleared so the next transfer can work; the
    /// failed one is reported.
    async fn bad_status(&self, direction: &str, status: UsbTransferStatus) -> BridgeError {
        if status == UsbTransferStatus::Stall {
            let (endpoint, usb_direction) = match direction {
                "IN" => (self.endpoints.bulk_in, web_sys::UsbDirection::In),
                _ => (self.endpoints.bulk_out, web_sys::UsbDirection::Out),
            };
            let _ = self.device.clear_halt(usb_direction, endpoint).await;
        }
        BridgeError::Usb(format!("bulk {direction} transfer ended with {status:?}"))
    }
}

/// `work`'s output, or `None` when `limit` passes first. The work is
/// dropped then, not cancelled: see the module doc for transfers.
pub(super) async fn within<T>(limit: Duration, work: impl Future<Output = T>) -> Option<T> {
    let mut work = pin!(work);
    let mut timer = pin!(sleep(limit));
    poll_fn(|cx| {
        if let Poll::Ready(output) = work.as_mut().poll(cx) {
            return Poll::Ready(Some(output));
        }
        if timer.as_mut().poll(cx).is_ready() {
            return Poll::Ready(None);
        }
        Poll::Pending
    })
    .await
}

/// A `setTimeout` as a future.
async fn sleep(limit: Duration) {
    let millis = i32::try_from(limit.as_millis()).unwrap_or(i32::MAX);
    let timer = Promise::new(&mut |resolve, _reject| {
        let _ = gloo::utils::window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, millis);
    });
    let _ = timer.await;
}
