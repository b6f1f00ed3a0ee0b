//! The bridge where WebUSB cannot exist: host builds (tests, clippy) and
//! wasm builds without web-sys's unstable APIs. Same API; every call
//! reports [`BridgeError::Unsupported`], so screens compile and behave
//! as in a browser without WebUSB.

use examgate_shared::chip::bridge::BridgeInfo;

use super::BridgeError;

/// The card-reader bridge (never available in this build).
#[derive(Clone, Debug, PartialEq)]
pub struct Bridge {
    _unconstructible: (),
}

/// Keeps a [`Bridge::on_connect`] callback registered; drop it to stop.
pub struct ConnectWatch;

impl Bridge {
    pub fn supported() -> bool {
        false
    }

    pub async fn paired() -> Result<Option<Bridge>, BridgeError> {
        Err(BridgeError::Unsupported)
    }

    pub async fn request() -> Result<Bridge, BridgeError> {
        Err(BridgeError::Unsupported)
    }

    pub fn on_connect(_f: impl Fn() + 'static) -> ConnectWatch {
        ConnectWatch
    }

    pub async fn info(&self) -> Result<BridgeInfo, BridgeError> {
        Err(BridgeError::Unsupported)
    }

    pub async fn power_on(&self) -> Result<Vec<u8>, BridgeError> {
        Err(BridgeError::Unsupported)
    }

    pub async fn power_off(&self) -> Result<(), BridgeError> {
        Err(BridgeError::Unsupported)
    }

    pub async fn transmit(&self, _apdu: &[u8]) -> Result<Vec<u8>, BridgeError> {
        Err(BridgeError::Unsupported)
    }

    pub async fn wait_for_card(&self) -> Result<(), BridgeError> {
        Err(BridgeError::Unsupported)
    }

    pub fn card_present(&self) -> Option<bool> {
        None
    }

    pub fn product_name(&self) -> Option<String> {
        None
    }

    pub fn on_disconnect(&self, _f: impl Fn() + 'static) {}
}
