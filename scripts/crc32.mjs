// CRC-32 (the zip one: IEEE, reflected) for client-zip: scripts/build-vendor.mjs puts `crc32` in place of
// client-zip's own, a byte at a time (~75-90 MiB/s on this project's 2-core test machine). In a worker it runs
// scripts/crc32.wat (WebAssembly, 16 bytes a step: about twice as fast again, 0.8-0.9 s of CPU per GiB in Chromium,
// benchmarks/profile_zip.py), else the JavaScript below (8 bytes a step, ~2.5x client-zip's). A page never
// compiles WebAssembly: the console's CSP refuses it (no 'wasm-unsafe-eval', on purpose), and the refusal would be
// reported as a violation. The zip download's service worker is served without a CSP, so it may.
import wasmBytes from "./crc32.wat";

const T = new Int32Array(256 * 8);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  T[n] = c;
}
for (let n = 0; n < 256; n++) {
  let c = T[n];
  for (let s = 1; s < 8; s++) {
    c = T[c & 0xff] ^ (c >>> 8);
    T[s * 256 + n] = c;
  }
}

export function crc32Js(d, crc = 0) {
  let c = ~crc;
  let i = 0;
  const n = d.length;
  const end = n - (n & 7);
  for (; i < end; i += 8) {
    const a = (d[i] | (d[i + 1] << 8) | (d[i + 2] << 16) | (d[i + 3] << 24)) ^ c;
    c = T[1792 + (a & 0xff)] ^ T[1536 + ((a >>> 8) & 0xff)] ^ T[1280 + ((a >>> 16) & 0xff)] ^ T[1024 + (a >>> 24)] ^
      T[768 + d[i + 4]] ^ T[512 + d[i + 5]] ^ T[256 + d[i + 6]] ^ T[d[i + 7]];
  }
  for (; i < n; i++) c = T[(c ^ d[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

// crc32.wat's memory: the bytes to check go at WINDOW, WINDOW_SIZE at a time.
const WINDOW = 65536;
const WINDOW_SIZE = 1024 * 1024;
const SMALL = 256; // fewer bytes than this: the copy into the module's memory costs more than it saves

// The module's CRC function, over any number of bytes (copied into its window), or null where it cannot run.
export function wasmCrc32(bytes) {
  let exports;
  try {
    exports = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;
  } catch {
    return null;
  }
  const view = new Uint8Array(exports.memory.buffer, WINDOW, WINDOW_SIZE);
  return (d, crc = 0) => {
    for (let i = 0; i < d.length; i += WINDOW_SIZE) {
      const part = d.subarray(i, i + WINDOW_SIZE);
      view.set(part);
      crc = exports.crc32(crc, part.length);
    }
    return crc >>> 0;
  };
}

const inWorker = typeof WorkerGlobalScope !== "undefined" && typeof WebAssembly !== "undefined";
let fast; // undefined: not tried yet; null: no WebAssembly here

export function crc32(d, crc = 0) {
  if (d.length < SMALL || !inWorker) return crc32Js(d, crc);
  if (fast === undefined) fast = wasmCrc32(wasmBytes);
  return fast ? fast(d, crc) : crc32Js(d, crc);
}
