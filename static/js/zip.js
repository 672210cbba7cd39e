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
  const say = (text, values) => interpolate(text, values, true);
  const lang = document.documentElement.lang || undefined;
  // The service worker has no catalog: the texts it may show travel with each job, in the page's language.
  const workerTexts = () => ({
    consoleAnswered: gettext("The console answered %(status)s."),
    storageAnswered: gettext("The storage answered %(status)s for %(path)s."),
    over: gettext("This zip download is over. Start it again from the folder's page."),
  });

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
    const digits = unit === 0 ? 0 : 1;
    const shown = new Intl.NumberFormat(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits,
      useGrouping: false }).format(value);
    return unit === 0 ? say(ngettext("%(size)s byte", "%(size)s bytes", value), { size: shown }) : `${shown} ${units[unit]}`;
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
    const values = { objects: p.objects, listed: p.listedObjects, bytes: sizeText(p.bytes), listedBytes: sizeText(p.listedBytes) };
    return say(p.listed
      ? ngettext("Zipping: %(objects)s of %(listed)s file, %(bytes)s of %(listedBytes)s",
        "Zipping: %(objects)s of %(listed)s files, %(bytes)s of %(listedBytes)s", p.listedObjects)
      : ngettext("Zipping: %(objects)s file, %(bytes)s", "Zipping: %(objects)s files, %(bytes)s", p.objects), values);
  }

  function selectedKeys() {
    return Array.from(document.querySelectorAll('input[name="key"][form="selection"]:checked'), (b) => b.value);
  }

  function problemText(message, skipped) {
    if (message === "network") {
      return say(gettext("Your browser could not read files from the storage. The most likely cause is that the bucket's CORS rules do not allow downloads from this page (%(origin)s). A manager of this connection can allow it in the connection's CORS settings."),
        { origin: window.location.origin });
    }
    return message + (skipped
      ? ` ${say(ngettext("%(count)s file was left out.", "%(count)s files were left out.", skipped), { count: skipped })}`
      : "");
  }

  function finished(p) {
    const left = p.skipped ? ` ${say(ngettext(
      "%(count)s file was left out: the storage interface cannot sign its name.",
      "%(count)s files were left out: the storage interface cannot sign their names.", p.skipped), { count: p.skipped })}` : "";
    show("done", say(ngettext("Zip ready: %(count)s file, %(size)s.", "Zip ready: %(count)s files, %(size)s.", p.objects),
      { count: p.objects, size: sizeText(p.bytes) }) + left);
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
    const base = keys.length ? say(gettext("%(folder)s-selection"), { folder }) : folder;
    const name = `${window.visibleText(base)}.zip`;  // no RLO in a file name
    const query = new URLSearchParams({ prefix });
    keys.forEach((key) => query.append("key", key));
    const job = { id: jobId(), entriesUrl: root.dataset.entriesUrl, query: query.toString(), name, texts: workerTexts() };
    show("running", gettext("Preparing the zip…"));
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
    if (error && error.name === "AbortError") show("cancelled", gettext("Cancelled: no zip was saved."));
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
        else if (message.type === "cancelled") stop(job, () => show("cancelled", gettext("Cancelled: no zip was saved.")));
        else if (message.type === "error") stop(job, () => show("error", problemText(message.message, message.skipped)));
      };
    });
    active.postMessage({ type: "zip", id: job.id, entriesUrl: job.entriesUrl, query: job.query, name: job.name,
      texts: job.texts }, [channel.port2]);
    await ready;
    job.cancel = () => active.postMessage({ type: "cancel", id: job.id });
    job.ping = window.setInterval(() => active.postMessage({ type: "ping" }), PING_MS);
    const frame = document.createElement("iframe");
    frame.hidden = true;
    frame.title = gettext("Zip download");
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
        show("error", say(gettext("This browser cannot save a zip as it is made, so it builds it in memory, up to %(limit)s; this selection is larger. Download fewer files, or use Chrome or Edge."),
          { limit: sizeText(MEMORY_LIMIT) }));
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
        if (!response.ok) throw new Error(self.zipText(job, "storageAnswered", { status: response.status, path: entry.path }));
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
