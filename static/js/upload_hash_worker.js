// The SHA-256 of one file for instant uploads, off the page's thread: hash-wasm's incremental hasher
// (static/vendor/hash-wasm.js, whose URL the page gives) fed the file a slice at a time, never whole, the next
// slice read while the last is hashed. WebAssembly runs here, not on the page: the console's CSP refuses it on
// pages (no 'wasm-unsafe-eval', on purpose), and a static script is served without one. Cancelling terminates it.
"use strict";

const SLICE = 8 * 1024 * 1024;

self.onmessage = async ({ data: { file, lib } }) => {
  try {
    importScripts(lib);
    const hasher = await self.HashWasm.createSHA256();
    hasher.init();
    const read = (start) => (start < file.size ? file.slice(start, start + SLICE).arrayBuffer() : null);
    let next = read(0);
    for (let start = 0; next; start += SLICE) {
      const bytes = await next;
      next = read(start + SLICE);
      hasher.update(new Uint8Array(bytes));
      self.postMessage({ done: Math.min(start + SLICE, file.size) });
    }
    self.postMessage({ sha256: hasher.digest("hex") });
  } catch (error) {
    self.postMessage({ error: String(error && error.message ? error.message : error) });
  }
};
