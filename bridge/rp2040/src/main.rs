//! The examgate card-reader bridge on an RP2040 with a PN532 (see
//! `docs/bridge-build.md` for the parts and the wiring).
//!
//! A thin shell: every decision is `examgate_bridge_device::Pn532Bridge`'s,
//! tested on the host against a simulated PN532 and emulated chips. This
//! file moves bytes between it and the hardware — the USB bulk pipes, the
//! PN532's UART — and gives it the clock:
//!
//! ```text
//! USB OUT ─► FROM_HOST ─┐                        ┌─► UART TX ─► PN532
//!                       ├─► Pn532Bridge (main) ──┤
//! PN532 ─► UART RX ─────┘          │             └─► TO_HOST ─► USB IN
//!                               timers
//! ```

#![no_std]
#![no_main]

extern crate alloc;

mod usb;

use alloc::boxed::Box;
use alloc::string::String;
use core::fmt::Write as _;
use core::time::Duration;

use embassy_executor::Spawner;
use embassy_futures::select::{Either3, select3};
use embassy_rp::bind_interrupts;
use embassy_rp::flash::{Blocking, Flash};
use embassy_rp::peripherals::{UART0, USB};
use embassy_rp::uart::{self, BufferedInterruptHandler, BufferedUart};
use embassy_time::{Instant, Timer};
use embedded_alloc::LlffHeap as Heap;
use embedded_io_async::{Read, Write};
use examgate_bridge_device::pn532::Pn532Bridge;
use examgate_bridge_device::pn532::bridge::PN532_BRIDGE_INFO;
use panic_halt as _;

bind_interrupts!(struct Irqs {
    USBCTRL_IRQ => embassy_rp::usb::InterruptHandler<USB>;
    UART0_IRQ => BufferedInterruptHandler<UART0>;
});

/// Frames, APDUs and responses live on the heap; 8 KiB APDUs
/// (`PN532_BRIDGE_INFO`) need a few copies of themselves at most.
const HEAP_SIZE: usize = 96 * 1024;

#[global_allocator]
static HEAP: Heap = Heap::empty();

/// The PN532's HSU link runs at 115,200 baud after power-up.
const PN532_BAUD: u32 = 115_200;

/// The host's OUT transfer is over once the pipe has been idle this long
/// (a transfer that is a whole number of packets ends without a short one).
const OUT_IDLE: embassy_time::Duration = embassy_time::Duration::from_millis(50);

#[embassy_executor::main]
async fn main(spawner: Spawner) {
    init_heap();
    let p = embassy_rp::init(Default::default());

    let serial = serial_number(Flash::<_, Blocking, { 2 * 1024 * 1024 }>::new_blocking(
        p.FLASH,
    ));
    let driver = embassy_rp::usb::Driver::new(p.USB, Irqs);
    let (device, pipes) = usb::build(driver, serial);
    spawner.spawn(run_usb(device).expect("one USB task"));
    spawner.spawn(read_packets(pipes.from_host).expect("one reader"));
    spawner.spawn(write_frames(pipes.to_host).expect("one writer"));

    let mut config = uart::Config::default();
    config.baudrate = PN532_BAUD;
    let pn532 = BufferedUart::new(
        p.UART0,
        p.PIN_0,
        p.PIN_1,
        Irqs,
        Box::leak(Box::new([0u8; 512])),
        Box::leak(Box::new([0u8; 1024])),
        config,
    );
    serve(pn532).await
}

/// The main loop: feed the bridge what arrived, send what it has, sleep
/// until the next byte or its next timer.
async fn serve(mut pn532: BufferedUart) -> ! {
    let mut bridge = Pn532Bridge::new(PN532_BRIDGE_INFO, PN532_BAUD);
    let mut received = [0u8; 64];
    let mut out_idle_at: Option<Instant> = None;
    loop {
        while let Some(bytes) = bridge.poll_uart_write() {
            // A UART write only fails on a broken peripheral; the link's
            // timeouts then recover (set-up again).
            let _ = pn532.write_all(&bytes).await;
        }
        while let Some(frame) = bridge.poll_usb_transmit() {
            // Nobody reading (no page open): the oldest frame waiting goes,
            // so what a page finds when it opens is the latest news (a page
            // starts with GetInfo and GetSlotStatus anyway).
            if let Err(embassy_sync::channel::TrySendError::Full(frame)) =
                usb::TO_HOST.try_send(frame)
            {
                let _ = usb::TO_HOST.try_receive();
                let _ = usb::TO_HOST.try_send(frame);
            }
        }
        let mut wake = instant(bridge.poll_timeout());
        if let Some(idle) = out_idle_at {
            wake = wake.min(idle);
        }
        match select3(
            pn532.read(&mut received),
            usb::FROM_HOST.receive(),
            Timer::at(wake),
        )
        .await
        {
            Either3::First(Ok(len)) => bridge.uart_received(&received[..len], now()),
            // Overrun or framing errors: the bytes are lost; the frame
            // checksums and the link's timeouts deal with it.
            Either3::First(Err(_)) => {}
            Either3::Second(packet) => {
                bridge.usb_received(&packet.bytes[..packet.len], now());
                if packet.len < packet.bytes.len() {
                    out_idle_at = None;
                    bridge.usb_transfer_ended(now());
                } else {
                    out_idle_at = Some(Instant::now() + OUT_IDLE);
                }
            }
            Either3::Third(()) => {}
        }
        // Timers are due whichever branch won: a steady stream of bytes
        // must not hold back time extensions or link deadlines.
        if out_idle_at.is_some_and(|at| at <= Instant::now()) {
            out_idle_at = None;
            bridge.usb_transfer_ended(now());
        }
        if Instant::now() >= wake {
            bridge.handle_timeout(now());
        }
    }
}

#[embassy_executor::task]
async fn run_usb(
    mut device: embassy_usb::UsbDevice<'static, embassy_rp::usb::Driver<'static, USB>>,
) -> ! {
    device.run().await
}

#[embassy_executor::task]
async fn read_packets(
    endpoint: embassy_rp::usb::Endpoint<'static, USB, embassy_rp::usb::Out>,
) -> ! {
    usb::read_packets(endpoint).await
}

#[embassy_executor::task]
async fn write_frames(endpoint: embassy_rp::usb::Endpoint<'static, USB, embassy_rp::usb::In>) -> ! {
    usb::write_frames(endpoint).await
}

/// Time since boot, the bridge's clock.
fn now() -> Duration {
    Duration::from_micros(Instant::now().as_micros())
}

fn instant(since_boot: Duration) -> Instant {
    Instant::from_micros(since_boot.as_micros() as u64)
}

/// The flash chip's 64-bit unique ID in hex: a serial number unique to the
/// board, which keeps a page's WebUSB permission across replugging.
fn serial_number(
    mut flash: Flash<'_, embassy_rp::peripherals::FLASH, Blocking, { 2 * 1024 * 1024 }>,
) -> &'static str {
    let mut id = [0u8; 8];
    let mut serial = String::with_capacity(16);
    if flash.blocking_unique_id(&mut id).is_ok() {
        for byte in id {
            let _ = write!(serial, "{byte:02X}");
        }
    } else {
        serial.push_str("0000000000000000");
    }
    Box::leak(serial.into_boxed_str())
}

fn init_heap() {
    use core::mem::MaybeUninit;
    static mut MEMORY: [MaybeUninit<u8>; HEAP_SIZE] = [MaybeUninit::uninit(); HEAP_SIZE];
    // SAFETY: called once, first thing in main, before any allocation; the
    // memory is used by the allocator only.
    unsafe { HEAP.init(core::ptr::addr_of_mut!(MEMORY) as usize, HEAP_SIZE) }
}
