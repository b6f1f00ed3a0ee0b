//! The bridge's USB device: the descriptors of `docs/bridge-protocol.md`
//! (from `examgate_bridge_device::descriptors`), the vendor requests that
//! serve WebUSB's landing page and the Microsoft OS 2.0 set, and the two
//! bulk endpoints as packet pipes to the main loop.

use alloc::boxed::Box;
use alloc::vec::Vec;

use embassy_rp::peripherals::USB;
use embassy_rp::usb::Driver;
use embassy_sync::blocking_mutex::raw::CriticalSectionRawMutex;
use embassy_sync::channel::Channel;
use embassy_usb::control::{InResponse, Recipient, Request, RequestType};
use embassy_usb::driver::{Endpoint, EndpointIn, EndpointOut};
use embassy_usb::types::StringIndex;
use embassy_usb::{Builder, Handler, UsbDevice};
use examgate_bridge_device::descriptors;
use examgate_bridge_proto::usb_ids;

/// BOS capability type of platform capabilities (WebUSB, MS OS 2.0).
const PLATFORM_CAPABILITY: u8 = 0x05;
/// Full-speed bulk packets.
const PACKET: usize = descriptors::BULK_PACKET_SIZE as usize;

/// One bulk OUT packet (a short one ends the host's transfer).
pub struct Packet {
    pub bytes: [u8; PACKET],
    pub len: usize,
}

/// Packets from the host, and frames for it.
pub static FROM_HOST: Channel<CriticalSectionRawMutex, Packet, 4> = Channel::new();
pub static TO_HOST: Channel<CriticalSectionRawMutex, Vec<u8>, 4> = Channel::new();

/// The deployment's check-in page, offered by browsers when the bridge is
/// plugged in. Change it for a deployment (see docs/bridge-build.md).
pub const LANDING_PAGE: &str = "https://examgate.example/checkin/bridge";

/// Answers the vendor control requests and names the interface.
struct VendorRequests {
    interface_string: StringIndex,
}

impl Handler for VendorRequests {
    fn control_in<'a>(&'a mut self, req: Request, buf: &'a mut [u8]) -> Option<InResponse<'a>> {
        if req.request_type != RequestType::Vendor || req.recipient != Recipient::Device {
            return None;
        }
        let answer = descriptors::vendor_request(req.request, req.value, req.index, LANDING_PAGE)?;
        let len = answer.len().min(buf.len()).min(req.length as usize);
        buf[..len].copy_from_slice(&answer[..len]);
        Some(InResponse::Accepted(&buf[..len]))
    }

    fn get_string(&mut self, index: StringIndex, _lang_id: u16) -> Option<&str> {
        (index == self.interface_string).then_some(descriptors::INTERFACE)
    }
}

/// Endpoints the pipes run on.
pub struct Pipes {
    pub from_host: embassy_rp::usb::Endpoint<'static, USB, embassy_rp::usb::Out>,
    pub to_host: embassy_rp::usb::Endpoint<'static, USB, embassy_rp::usb::In>,
}

/// Builds the device: IDs, strings, one vendor interface with its bulk
/// endpoints, the BOS platform capabilities.
pub fn build(
    driver: Driver<'static, USB>,
    serial: &'static str,
) -> (UsbDevice<'static, Driver<'static, USB>>, Pipes) {
    let mut config = embassy_usb::Config::new(usb_ids::VENDOR_ID, usb_ids::PRODUCT_ID);
    config.manufacturer = Some(descriptors::MANUFACTURER);
    config.product = Some(descriptors::PRODUCT);
    config.serial_number = Some(serial);
    config.max_power = descriptors::MAX_POWER_MA;
    config.max_packet_size_0 = 64;
    config.device_release = descriptors::DEVICE_RELEASE;
    // Defined per interface; one interface, so no association descriptors.
    config.device_class = 0x00;
    config.device_sub_class = 0x00;
    config.device_protocol = 0x00;
    config.composite_with_iads = false;

    let mut builder = Builder::new(
        driver,
        config,
        Box::leak(Box::new([0; 128])),
        Box::leak(Box::new([0; 128])),
        &mut [],
        Box::leak(Box::new([0; 256])),
    );
    let mut function = builder.function(
        usb_ids::INTERFACE_CLASS,
        usb_ids::INTERFACE_SUBCLASS,
        usb_ids::INTERFACE_PROTOCOL,
    );
    let mut interface = function.interface();
    let interface_string = interface.string();
    let mut alt = interface.alt_setting(
        usb_ids::INTERFACE_CLASS,
        usb_ids::INTERFACE_SUBCLASS,
        usb_ids::INTERFACE_PROTOCOL,
        Some(interface_string),
    );
    // The capabilities without their 3-byte header, which the stack writes.
    alt.bos_capability(PLATFORM_CAPABILITY, &descriptors::WEBUSB_CAPABILITY[3..]);
    alt.bos_capability(PLATFORM_CAPABILITY, &descriptors::MS_OS_20_CAPABILITY[3..]);
    let from_host = alt.endpoint_bulk_out(None, descriptors::BULK_PACKET_SIZE);
    let to_host = alt.endpoint_bulk_in(None, descriptors::BULK_PACKET_SIZE);
    drop(function);
    builder.handler(Box::leak(Box::new(VendorRequests { interface_string })));
    (builder.build(), Pipes { from_host, to_host })
}

/// Bulk OUT packets into [`FROM_HOST`].
pub async fn read_packets(
    mut endpoint: embassy_rp::usb::Endpoint<'static, USB, embassy_rp::usb::Out>,
) -> ! {
    loop {
        endpoint.wait_enabled().await;
        let mut packet = Packet {
            bytes: [0; PACKET],
            len: 0,
        };
        if let Ok(len) = endpoint.read(&mut packet.bytes).await {
            packet.len = len;
            FROM_HOST.send(packet).await;
        }
    }
}

/// Frames from [`TO_HOST`], each as one bulk IN transfer: full packets,
/// then a short or zero-length one so that the transfer ends with the frame.
pub async fn write_frames(
    mut endpoint: embassy_rp::usb::Endpoint<'static, USB, embassy_rp::usb::In>,
) -> ! {
    loop {
        let frame = TO_HOST.receive().await;
        endpoint.wait_enabled().await;
        for packet in frame.chunks(PACKET) {
            if endpoint.write(packet).await.is_err() {
                break;
            }
        }
        if frame.len() % PACKET == 0 {
            let _ = endpoint.write(&[]).await;
        }
    }
}
