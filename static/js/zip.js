// "Download as zip" for the folder or the ticked files and folders (templates/files/partials/_zip.html).
//
// Where the browser has service workers, static/js/zip_worker.js builds the zip and streams it to disk (bounded
// memory, any size). Elsewhere the zip is built in memory, up to MEMORY_LIMIT bytes, with a message saying so.
// Names come from storage keys, which anyone with upload rights chooses: only ever textContent here.
/* global ClientZip */
(() => {
  "use strict";

  const MEMORY_LIMIT = 512 * 1024 * 1024; // the in-memory fallback: also stated in the partial
  const PING_MS = 10000; // keeps the worker alive while a long zip runs

  let current = null;

  function $(selector) {
    return document.querySelector(selector);
  }

  function box() {
    return $("[data-zip]");
  }

  function sizeText(bytes) {
    const units = ["bytes", "KB", "MB", "GB", "TB"];
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit += 1;
    }
    return unit === 0 ? `${value} bytes` : `${value.toFixed(1)} ${units[unit]}`;
  }

  function show(state, text) {
    const root = box();
    root.querySelector("[data-zip-status]").hidden = false;
    root.querySelector("[data-zip-text]").textContent = window.visibleText(text);
    root.querySelector("[data-zip-cancel]").hidden = state !== "running";
    root.querySelector("[data-zip-status]").dataset.state = state;
    document.querySelectorAll("[data-zip-start]").forEach((button) => {
      button.disabled = state === "running" || (button.hasAttribute("data-needs-selection") && !selectedKeys().length);
    });
  }

  function progressText(p) {
    const objects = p.listed ? `${p.objects} of ${p.listedObjects} files` : `${p.objects} files`;
    const bytes = p.listed ? `${sizeText(p.bytes)} of ${sizeText(p.listedBytes)}` : sizeText(p.bytes);
    return `Zipping: ${objects}, ${bytes}`;
  }

  function selectedKeys() {
    return Array.from(document.querySelectorAll('input[name="key"][form="selection"]:checked'), (b) => b.value);
  }

  function problemText(message, skipped) {
    if (message === "network") {
      return "Your browser could not read files from the storage. The most likely cause is that the bucket's CORS " +
        `rules do not allow downloads from this page (${window.location.origin}). A manager of this connection ` +
        "can allow it in the connection's CORS settings.";
    }
    return message + (skipped ? ` ${skipped} files were left out.` : "");
  }

  function finished(p) {
    const left = p.skipped ? ` ${p.skipped} files were left out: the storage interface cannot sign their names.` : "";
    show("done", `Zip ready: ${p.objects} files, ${sizeText(p.bytes)}.${left}`);
    current = null;
  }

  function jobId() {
    // crypto.randomUUID needs a secure context; the in-memory fallback runs without one too
    return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  async function start(keys) {
    const root = box();
    // The folder shown is the address's (htmx navigation may replace the list without this box): as browse reads it.
    const prefix = new URLSearchParams(window.location.search).get("prefix") || "";
    const folder = prefix.replace(/\/+$/, "").split("/").pop() || root.dataset.connection;
    const name = `${window.visibleText(folder)}${keys.length ? "-selection" : ""}.zip`;  // no RLO in a file name
    const query = new URLSearchParams({ prefix });
    keys.forEach((key) => query.append("key", key));
    const job = { id: jobId(), entriesUrl: root.dataset.entriesUrl, query: query.toString(), name };
    show("running", "Preparing the zip…");
    current = job;
    try {
      await (("serviceWorker" in navigator) ? streamed(job) : inMemory(job));
    } catch (error) {
      if (error && (error.name === "SecurityError" || error.name === "InvalidStateError")) {
        inMemory(job).catch(failed); // no worker allowed here (a private window, say): the fallback
      } else {
        failed(error);
      }
    }
  }

  function failed(error) {
    current = null;
    if (error && error.name === "AbortError") show("cancelled", "Cancelled: no zip was saved.");
    else show("error", problemText(error instanceof TypeError ? "network" : (error && error.message) || String(error)));
  }

  // --- streamed to disk by the service worker ---

  async function streamed(job) {
    const root = box();
    const worker = root.dataset.worker;
    const scope = new URL(".", new URL(worker, window.location.href)).pathname;
    const registration = await navigator.serviceWorker.register(
      `${worker}?${new URLSearchParams({ lib: root.dataset.lib, pages: root.dataset.pages })}`, { scope });
    const active = await activeWorker(registration);
    const channel = new MessageChannel();
    const ready = new Promise((resolve) => {
      channel.port1.onmessage = (event) => {
        const message = event.data;
        if (message.type === "ready") resolve();
        else if (message.type === "progress") show("running", progressText(message));
        else if (message.type === "done") stop(job, () => finished(message));
        else if (message.type === "cancelled") stop(job, () => show("cancelled", "Cancelled: no zip was saved."));
        else if (message.type === "error") stop(job, () => show("error", problemText(message.message, message.skipped)));
      };
    });
    active.postMessage({ type: "zip", id: job.id, entriesUrl: job.entriesUrl, query: job.query, name: job.name },
      [channel.port2]);
    await ready;
    job.cancel = () => active.postMessage({ type: "cancel", id: job.id });
    job.ping = window.setInterval(() => active.postMessage({ type: "ping" }), PING_MS);
    const frame = document.createElement("iframe");
    frame.hidden = true;
    frame.title = "Zip download";
    frame.src = `${scope}zip-download/${job.id}/${encodeURIComponent(job.name)}`;
    document.body.append(frame);
    job.frame = frame;
  }

  function stop(job, then) {
    window.clearInterval(job.ping);
    window.setTimeout(() => job.frame && job.frame.remove(), 60000); // the download has its bytes by then
    then();
    current = null;
  }

  function activeWorker(registration) {
    const worker = registration.active || registration.waiting || registration.installing;
    if (worker.state === "activated") return Promise.resolve(worker);
    return new Promise((resolve) => {
      worker.addEventListener("statechange", () => {
        if (worker.state === "activated") resolve(worker);
      });
    });
  }

  // --- in memory, where no worker can stream (up to MEMORY_LIMIT) ---

  async function inMemory(job) {
    const controller = new AbortController();
    job.cancel = () => controller.abort();
    const listed = [];
    let total = 0;
    for await (const answer of self.zipEntryPages(job, controller.signal)) {
      listed.push(...answer.entries);
      total += answer.entries.reduce((sum, entry) => sum + (entry.size || 0), 0);
      if (total > MEMORY_LIMIT) {
        show("error", `This browser cannot save a zip as it is made, so it builds it in memory, up to ` +
          `${sizeText(MEMORY_LIMIT)}; this selection is larger. Download fewer files, or use Chrome or Edge.`);
        current = null;
        return;
      }
    }
    const names = self.zipUniqueNames();
    let refused = null; // what stopped the files, which the zip's stream only reports as a network error
    async function* files() {
      try {
        yield* entries();
      } catch (error) {
        refused = error;
        throw error;
      }
    }
    async function* entries() {
      for (const entry of listed) {
        if (entry.url === undefined) {
          yield { name: names(entry.path) };
          continue;
        }
        const response = await fetch(entry.url, { signal: controller.signal, credentials: "omit" });
        if (!response.ok) throw new Error(`The storage answered ${response.status} for ${entry.path}.`);
        yield { name: names(entry.path), input: await response.blob() };
      }
    }
    const blob = await ClientZip.downloadZip(files(), { buffersAreUTF8: true }).blob().catch((error) => {
      throw refused || error;
    });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = job.name;
    document.body.append(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(link.href), 60000);
    finished({ objects: listed.filter((entry) => entry.url !== undefined).length, bytes: total, skipped: 0 });
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-zip-start], [data-zip-cancel]");
    if (!button || !box()) return;
    if (button.hasAttribute("data-zip-cancel")) {
      if (current && current.cancel) current.cancel();
      return;
    }
    if (!current) start(button.hasAttribute("data-needs-selection") ? selectedKeys() : []);
  });
})();
