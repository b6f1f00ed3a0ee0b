// A fake `navigator.usb` for browser tests, injected before the page loads
// (see `tests/support/usb_bridge.rs`). Its one device is a card-reader bridge whose bulk
// transfers go over HTTP to a software bridge (`examgate_cardsim::bridge`)
// in the test process:
//   transferOut → POST {bridgeUrl}/usb/out, body = the bytes
//   transferIn  → POST {bridgeUrl}/usb/in?after=N, long poll; 204 = nothing
//                 yet, ask again. Each answer is one IN transfer, numbered
//                 in the `x-usb-transfer` header; `after` acknowledges, so a
//                 transfer whose answer was lost is sent again.
// The objects are plain (not USBDevice instances) with the properties and
// methods the WebUSB glue reads, and errors are the DOMExceptions Chrome
// throws, so the page's error handling is exercised too.
//
// Tests steer it through `window.__examgateFakeUsb`: unplug(), plug(),
// forget(), chooserCancels, requireGesture.
(() => {
  'use strict';
  const config = globalThis.__EXAMGATE_FAKE_USB_CONFIG__;
  const PAIRED_KEY = '__examgateFakeUsbPaired';

  const storage = (() => {
    try {
      return globalThis.localStorage;
    } catch (_) {
      return null; // opaque origins (about:blank) have no storage
    }
  })();
  // Chrome remembers the permission per origin (for devices with a serial
  // number), so a reload keeps it: so does the fake.
  let pairedInMemory = false;
  const isPaired = () => pairedInMemory || (storage && storage.getItem(PAIRED_KEY) === '1');
  const setPaired = (paired) => {
    pairedInMemory = paired;
    if (storage) {
      if (paired) storage.setItem(PAIRED_KEY, '1');
      else storage.removeItem(PAIRED_KEY);
    }
  };
  if (config.paired) setPaired(true);

  const domError = (name, message) => new DOMException(message, name);
  const gone = () => domError('NotFoundError', 'The device was disconnected.');

  // Copies what the page passed to transferOut. It may be a view into the
  // wasm memory, which can move or change at the next await.
  const copyBytes = (data) => {
    if (data instanceof ArrayBuffer) return new Uint8Array(data.slice(0));
    if (ArrayBuffer.isView(data)) {
      return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
    }
    throw new TypeError('transferOut data must be a BufferSource');
  };

  const OUT_ENDPOINT = 1; // bulk OUT 0x01
  const IN_ENDPOINT = 1; // bulk IN 0x81

  class FakeUsbDevice {
    constructor() {
      this.usbVersionMajor = 2;
      this.usbVersionMinor = 1;
      this.usbVersionSubminor = 0;
      this.deviceClass = 0;
      this.deviceSubclass = 0;
      this.deviceProtocol = 0;
      this.vendorId = config.vendorId;
      this.productId = config.productId;
      this.deviceVersionMajor = 0;
      this.deviceVersionMinor = 1;
      this.deviceVersionSubminor = 0;
      this.manufacturerName = 'examgate';
      this.productName = config.productName;
      this.serialNumber = config.serialNumber;
      this.opened = false;
      this.configuration = null;
      this._gone = false;
      this._claimed = false;
      // IN transfers complete in the order they were asked for.
      this._inQueue = Promise.resolve();
      // The last IN transfer received; null: wherever the server is.
      this._lastIn = null;
      this._aborts = new Set();
      const device = this;
      const alternate = {
        alternateSetting: 0,
        interfaceClass: config.interfaceClass,
        interfaceSubclass: config.interfaceSubclass,
        interfaceProtocol: config.interfaceProtocol,
        interfaceName: 'examgate card bridge',
        endpoints: [
          { endpointNumber: OUT_ENDPOINT, direction: 'out', type: 'bulk', packetSize: 64 },
          { endpointNumber: IN_ENDPOINT, direction: 'in', type: 'bulk', packetSize: 64 },
        ],
      };
      const iface = {
        interfaceNumber: 0,
        alternate,
        alternates: [alternate],
        get claimed() {
          return device._claimed;
        },
      };
      this._configuration = {
        configurationValue: 1,
        configurationName: null,
        interfaces: [iface],
      };
      this.configurations = [this._configuration];
    }

    _check(needsInterface) {
      if (this._gone) throw gone();
      if (!this.opened) throw domError('InvalidStateError', 'The device must be opened first.');
      if (needsInterface && !this._claimed) {
        throw domError('InvalidStateError', 'The specified interface has not been claimed.');
      }
    }

    async open() {
      if (this._gone) throw gone();
      this.opened = true;
    }

    async close() {
      if (this._gone) throw gone();
      this.opened = false;
      this._claimed = false;
    }

    async forget() {
      setPaired(false);
    }

    async selectConfiguration(value) {
      this._check(false);
      if (value !== 1) {
        throw domError('NotFoundError', 'The configuration value provided is not supported by the device.');
      }
      this.configuration = this._configuration;
    }

    async claimInterface(number) {
      this._check(false);
      if (!this.configuration) {
        throw domError('InvalidStateError', 'The device must have a configuration selected.');
      }
      if (number !== 0) {
        throw domError('NotFoundError', 'The interface number provided is not supported by the device in its current configuration.');
      }
      this._claimed = true;
    }

    async releaseInterface(number) {
      this._check(false);
      if (number === 0) this._claimed = false;
    }

    async selectAlternateInterface(number, setting) {
      this._check(true);
      if (number !== 0 || setting !== 0) {
        throw domError('NotFoundError', 'The alternate setting provided is not supported by the device in its current configuration.');
      }
    }

    async clearHalt() {
      this._check(true);
    }

    async reset() {
      this._check(false);
    }

    async controlTransferIn() {
      throw domError('NotSupportedError', 'The fake bridge has no control requests.');
    }

    async controlTransferOut() {
      throw domError('NotSupportedError', 'The fake bridge has no control requests.');
    }

    transferOut(endpoint, data) {
      const bytes = copyBytes(data); // before any await
      return (async () => {
        this._check(true);
        if (endpoint !== OUT_ENDPOINT) {
          throw domError('NotFoundError', 'The specified endpoint is not part of a claimed and selected alternate interface.');
        }
        const response = await this._fetch('/usb/out', bytes);
        if (!response.ok) throw domError('NetworkError', 'A transfer error has occurred.');
        return { status: 'ok', bytesWritten: bytes.length };
      })();
    }

    transferIn(endpoint, length) {
      const run = this._inQueue.then(() => this._receive(endpoint, length));
      this._inQueue = run.catch(() => {});
      return run;
    }

    async _receive(endpoint, length) {
      this._check(true);
      if (endpoint !== IN_ENDPOINT) {
        throw domError('NotFoundError', 'The specified endpoint is not part of a claimed and selected alternate interface.');
      }
      for (;;) {
        const query = this._lastIn === null ? '' : `?after=${this._lastIn}`;
        const response = await this._fetch(`/usb/in${query}`, null);
        if (response.status === 204) continue; // long poll ended empty
        if (!response.ok) throw domError('NetworkError', 'A transfer error has occurred.');
        const index = Number(response.headers.get('x-usb-transfer'));
        const buffer = await response.arrayBuffer();
        this._lastIn = index;
        if (buffer.byteLength > length) {
          // The device sent more than was asked for: USB calls it babble.
          return { status: 'babble', data: new DataView(buffer, 0, length) };
        }
        return { status: 'ok', data: new DataView(buffer) };
      }
    }

    // A fetch that unplugging aborts, failing like a vanished device.
    async _fetch(path, body) {
      if (this._gone) throw gone();
      const abort = new AbortController();
      this._aborts.add(abort);
      try {
        return await fetch(config.bridgeUrl + path, {
          method: 'POST',
          body,
          headers: body ? { 'content-type': 'application/octet-stream' } : {},
          signal: abort.signal,
        });
      } catch (error) {
        if (this._gone) throw gone();
        throw domError('NetworkError', `A transfer error has occurred. (${error})`);
      } finally {
        this._aborts.delete(abort);
      }
    }

    _unplug() {
      this._gone = true;
      this.opened = false;
      this._claimed = false;
      for (const abort of this._aborts) abort.abort();
    }
  }

  // A filter matches when every property it sets matches; class, subclass
  // and protocol match the device's or any interface's.
  const matches = (device, filter) => {
    if (filter.vendorId !== undefined && filter.vendorId !== device.vendorId) return false;
    if (filter.productId !== undefined && filter.productId !== device.productId) return false;
    if (filter.serialNumber !== undefined && filter.serialNumber !== device.serialNumber) return false;
    if (filter.classCode === undefined) return true;
    const triples = [[device.deviceClass, device.deviceSubclass, device.deviceProtocol]];
    for (const configuration of device.configurations) {
      for (const iface of configuration.interfaces) {
        for (const alt of iface.alternates) {
          triples.push([alt.interfaceClass, alt.interfaceSubclass, alt.interfaceProtocol]);
        }
      }
    }
    return triples.some(([cls, sub, proto]) =>
      cls === filter.classCode &&
      (filter.subclassCode === undefined || sub === filter.subclassCode) &&
      (filter.protocolCode === undefined || proto === filter.protocolCode));
  };

  const control = {
    plugged: true,
    device: new FakeUsbDevice(),
    chooserCancels: false,
    // Chrome shows its chooser only during a user gesture.
    requireGesture: true,
  };

  class FakeUsb extends EventTarget {
    constructor() {
      super();
      this.onconnect = null;
      this.ondisconnect = null;
    }

    async getDevices() {
      return control.plugged && isPaired() ? [control.device] : [];
    }

    async requestDevice(options) {
      if (!options || !Array.isArray(options.filters)) {
        throw new TypeError("Failed to execute 'requestDevice' on 'USB': required member filters is undefined.");
      }
      const activation = globalThis.navigator && navigator.userActivation;
      if (control.requireGesture && activation && !activation.isActive) {
        throw domError('SecurityError', 'Must be handling a user gesture to show a permission request.');
      }
      const found = control.plugged &&
        !control.chooserCancels &&
        options.filters.some((filter) => matches(control.device, filter));
      if (!found) throw domError('NotFoundError', 'No device selected.');
      setPaired(true);
      return control.device;
    }

    _announce(type, device) {
      const event = new Event(type);
      Object.defineProperty(event, 'device', { value: device });
      this.dispatchEvent(event);
      const handler = this[`on${type}`];
      if (typeof handler === 'function') handler.call(this, event);
    }
  }

  const usb = new FakeUsb();

  // Pulls the cable: transfers in progress fail, 'disconnect' fires.
  control.unplug = () => {
    if (!control.plugged) return;
    control.plugged = false;
    control.device._unplug();
    usb._announce('disconnect', control.device);
  };
  // Plugs it back: a new USBDevice object, as Chrome makes; 'connect'
  // fires when this origin may use it.
  control.plug = () => {
    if (control.plugged) return;
    control.plugged = true;
    control.device = new FakeUsbDevice();
    if (isPaired()) usb._announce('connect', control.device);
  };
  // Revokes the permission, as "forget" in Chrome's site settings.
  control.forget = () => setPaired(false);
  Object.defineProperty(control, 'paired', { get: isPaired, enumerable: true });
  globalThis.__examgateFakeUsb = control;

  const navigatorPrototype = globalThis.Navigator ? Navigator.prototype : null;
  if (navigatorPrototype) {
    Object.defineProperty(navigatorPrototype, 'usb', {
      configurable: true,
      enumerable: true,
      get: () => usb,
    });
  } else {
    globalThis.navigator = globalThis.navigator || {};
    globalThis.navigator.usb = usb;
  }
})();
