//! Finding, opening and claiming the bridge through `navigator.usb`, and
//! what WebUSB's exceptions mean.
//!
//! The bridge is recognised by its VID/PID or, for products with their
//! own IDs, by its vendor-specific interface triple (class 0xFF, subclass
//! 0xEC, protocol 0x01; see `docs/bridge-protocol.md`).
//!
//! Casts are unchecked on purpose: the browser tests replace
//! `navigator.usb` with plain JavaScript objects, which have the right
//! properties but are not instances of `USBDevice`.

use examgate_shared::chip::bridge::usb_ids;
use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    Usb, UsbAlternateInterface, UsbConfiguration, UsbDevice, UsbDeviceFilter, UsbDirection,
    UsbEndpointType,
};

use crate::usb::BridgeError;

/// `navigator.usb`, when this browser has it.
pub(super) fn navigator_usb() -> Option<Usb> {
    let navigator = gloo::utils::window().navigator();
    let usb = Reflect::get(&navigator, &JsValue::from_str("usb")).ok()?;
    if usb.is_undefined() || usb.is_null() {
        None
    } else {
        Some(usb.unchecked_into())
    }
}

/// The chooser's filters: our IDs, or any device with the bridge interface.
pub(super) fn filters() -> [UsbDeviceFilter; 2] {
    let by_ids = UsbDeviceFilter::new();
    by_ids.set_vendor_id(usb_ids::VENDOR_ID);
    by_ids.set_product_id(usb_ids::PRODUCT_ID);
    let by_interface = UsbDeviceFilter::new();
    by_interface.set_class_code(usb_ids::INTERFACE_CLASS);
    by_interface.set_subclass_code(usb_ids::INTERFACE_SUBCLASS);
    by_interface.set_protocol_code(usb_ids::INTERFACE_PROTOCOL);
    [by_ids, by_interface]
}

/// Whether a paired device is a bridge (`getDevices` lists every device
/// this origin was ever allowed, not only ours).
pub(super) fn is_bridge(device: &UsbDevice) -> bool {
    let ids =
        device.vendor_id() == usb_ids::VENDOR_ID && device.product_id() == usb_ids::PRODUCT_ID;
    ids || device
        .configurations()
        .iter()
        .any(|configuration| bridge_alternate(&configuration).is_some())
}

/// The endpoint numbers of an open bridge.
#[derive(Debug, Clone, Copy)]
pub(super) struct Endpoints {
    pub bulk_out: u8,
    pub bulk_in: u8,
}

/// open() → selectConfiguration(1) when none is set → claimInterface.
/// Each step is skipped when already done, so reopening a device this
/// page opened before works.
pub(super) async fn open(device: &UsbDevice) -> Result<Endpoints, BridgeError> {
    if !device.opened() {
        device.open().await.map_err(|e| usb_error(&e))?;
    }
    if device.configuration().is_none() {
        device
            .select_configuration(usb_ids::CONFIGURATION)
            .await
            .map_err(|e| usb_error(&e))?;
    }
    let configuration = device
        .configuration()
        .ok_or_else(|| BridgeError::Usb("the device has no configuration".into()))?;
    let (interface, claimed, alternate) = bridge_alternate(&configuration)
        .ok_or_else(|| BridgeError::Protocol("the device has no card-bridge interface".into()))?;
    let endpoints = bulk_endpoints(&alternate)?;
    if !claimed {
        device
            .claim_interface(interface)
            .await
            .map_err(|e| claim_error(&e))?;
    }
    Ok(endpoints)
}

/// The bridge's interface in `configuration`: number, whether claimed,
/// and its active alternate setting.
fn bridge_alternate(configuration: &UsbConfiguration) -> Option<(u8, bool, UsbAlternateInterface)> {
    configuration.interfaces().iter().find_map(|interface| {
        let alternate = interface.alternate();
        let matches = alternate.interface_class() == usb_ids::INTERFACE_CLASS
            && alternate.interface_subclass() == usb_ids::INTERFACE_SUBCLASS
            && alternate.interface_protocol() == usb_ids::INTERFACE_PROTOCOL;
        matches.then(|| (interface.interface_number(), interface.claimed(), alternate))
    })
}

fn bulk_endpoints(alternate: &UsbAlternateInterface) -> Result<Endpoints, BridgeError> {
    let mut bulk_out = None;
    let mut bulk_in = None;
    for endpoint in alternate.endpoints().iter() {
        if endpoint.type_() != UsbEndpointType::Bulk {
            continue;
        }
        match endpoint.direction() {
            UsbDirection::Out => bulk_out = bulk_out.or(Some(endpoint.endpoint_number())),
            UsbDirection::In => bulk_in = bulk_in.or(Some(endpoint.endpoint_number())),
            _ => {}
        }
    }
    match (bulk_out, bulk_in) {
        (Some(bulk_out), Some(bulk_in)) => Ok(Endpoints { bulk_out, bulk_in }),
        _ => Err(BridgeError::Protocol(
            "the bridge interface lacks a bulk IN or bulk OUT endpoint".into(),
        )),
    }
}

/// A DOMException's `name` ("NotFoundError", …), empty for anything else.
pub(super) fn error_name(error: &JsValue) -> String {
    Reflect::get(error, &JsValue::from_str("name"))
        .ok()
        .and_then(|name| name.as_string())
        .unwrap_or_default()
}

/// "name: message" for logs and [`BridgeError::Usb`].
pub(super) fn describe(error: &JsValue) -> String {
    let message = Reflect::get(error, &JsValue::from_str("message"))
        .ok()
        .and_then(|message| message.as_string())
        .or_else(|| error.as_string())
        .unwrap_or_else(|| format!("{error:?}"));
    match error_name(error).as_str() {
        "" => message,
        name => format!("{name}: {message}"),
    }
}

/// A failed open, transfer or close. WebUSB reports a device that is gone
/// as NotFoundError.
pub(super) fn usb_error(error: &JsValue) -> BridgeError {
    match error_name(error).as_str() {
        "NotFoundError" => BridgeError::Disconnected,
        _ => BridgeError::Usb(describe(error)),
    }
}

/// A failed `requestDevice`: NotFoundError means the chooser was closed
/// without a choice.
pub(super) fn request_error(error: &JsValue) -> BridgeError {
    match error_name(error).as_str() {
        "NotFoundError" => BridgeError::Denied,
        _ => BridgeError::Usb(describe(error)),
    }
}

/// A failed `claimInterface`: usually another tab, or a program or driver
/// on this PC, holds the interface.
fn claim_error(error: &JsValue) -> BridgeError {
    match usb_error(error) {
        BridgeError::Usb(detail) => BridgeError::Usb(format!(
            "{detail} (is the card reader open in another tab or program?)"
        )),
        other => other,
    }
}
