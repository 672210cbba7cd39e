// The zip download's service worker: builds a zip from presigned GETs and answers it as a download.
//
// The page (static/js/zip.js) posts a job {id, entriesUrl, query, name} with a MessagePort, then opens
// <scope>zip-download/<id>/<name> in a hidden frame. This worker answers that URL with client-zip's streamed
// zip: it asks the console for the entries page by page (cookies: same origin) and GETs each file straight from
// the storage (presigned; the bytes never pass through the console). The browser pulls the stream as it writes
// to disk, so memory stays bounded whatever the total; ZIP64 is used when needed (client-zip 2).
// Progress goes back over the port; "cancel" aborts every GET, which fails the download.
/* global ClientZip */ // and self.zipEntryPages, self.zipUniqueNames
"use strict";

const here = new URL(self.location.href);
// client-zip; zip_pages.js (static URLs: hashed in production). This site's own only: a script that once ran on
// a page here must not be able to register this worker with code of its choosing that then outlives the page.
importScripts(...["lib", "pages"].map((name) => {
  const url = new URL(here.searchParams.get(name), here);
  if (url.origin !== here.origin || url.protocol !== here.protocol) throw new Error(`${name}: not this site's`); // i18n: not shown
  return url.href;
}));

const jobs = new Map();
let lastTexts = null; // the texts of the last job: a download asked for after its job ends still gets them
const PROGRESS_EVERY_MS = 250;

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "zip" && event.ports[0]) {
    jobs.set(data.id, { ...data, port: event.ports[0], controller: new AbortController() });
    lastTexts = data.texts || lastTexts;
    event.ports[0].postMessage({ type: "ready" });
  } else if (data.type === "cancel" && jobs.has(data.id)) {
    jobs.get(data.id).controller.abort();
  }
  // "ping": the page keeps this worker alive while a zip runs; the message itself is enough.
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  const match = url.pathname.match(/\/zip-download\/([0-9a-f-]+)\//);
  if (!match) return;
  const job = jobs.get(match[1]);
  if (!job || job.started) {
    event.respondWith(new Response(self.zipText(job || { texts: lastTexts }, "over"), {
      status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" },
    }));
    return;
  }
  job.started = true; // one download per job: a reload of the URL does not zip again
  event.respondWith(zipResponse(job));
});

function zipResponse(job) {
  const zip = ClientZip.downloadZip(files(job), { buffersAreUTF8: true });
  const ascii = job.name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return new Response(zip.body, {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(job.name)}`,
      "Cache-Control": "no-store",
    },
  });
}

// The entries in order, each with its body as a stream that counts bytes for the progress readout.
async function* files(job) {
  const progress = { objects: 0, bytes: 0, listedObjects: 0, listedBytes: 0, listed: false, skipped: 0 };
  const names = self.zipUniqueNames();
  let last = 0;
  const report = (force) => {
    const now = Date.now();
    if (force || now - last >= PROGRESS_EVERY_MS) {
      last = now;
      job.port.postMessage({ type: "progress", ...progress });
    }
  };
  try {
    for await (const entry of entries(job, progress)) {
      const name = names(entry.path);
      if (entry.url === undefined) {
        yield { name, lastModified: modified(entry) };
        continue;
      }
      const response = await fetch(entry.url, { signal: job.controller.signal, credentials: "omit" });
      if (!response.ok) throw new Error(self.zipText(job, "storageAnswered", { status: response.status, path: entry.path }));
      yield { name, input: counted(response.body, job, progress, report), size: entry.size,
        lastModified: modified(entry) };
      progress.objects += 1;
      report(false);
    }
    report(true);
    job.port.postMessage({ type: "done", ...progress });
    jobs.delete(job.id);
  } catch (error) {
    fail(job, progress, error);
    throw error;
  }
}

// A file's body as it comes from the storage, counted; a failure half-way (network, cancel) is told to the page,
// since it surfaces inside client-zip's stream and not in the generator above.
function counted(body, job, progress, report) {
  const reader = body.getReader();
  return new ReadableStream({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          controller.close();
          return;
        }
        progress.bytes += value.byteLength;
        report(false);
        controller.enqueue(value);
      } catch (error) {
        fail(job, progress, error);
        controller.error(error);
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

function fail(job, progress, error) {
  if (job.failed) return;
  job.failed = true;
  jobs.delete(job.id);
  const cancelled = job.controller.signal.aborted;
  job.port.postMessage({ type: cancelled ? "cancelled" : "error", message: describe(error), ...progress });
}

async function* entries(job, progress) {
  for await (const answer of self.zipEntryPages(job, job.controller.signal)) {
    for (const entry of answer.entries) {
      progress.listedObjects += entry.url === undefined ? 0 : 1;
      progress.listedBytes += entry.size || 0;
    }
    progress.skipped += answer.skipped || 0;
    progress.listed = answer.next === null;
    yield* answer.entries;
  }
}

function modified(entry) {
  return entry.modified ? new Date(entry.modified) : undefined;
}

function describe(error) {
  if (error && error.name === "AbortError") return "Cancelled.";
  if (error instanceof TypeError) return "network"; // a refused GET: CORS, or the storage is unreachable
  return (error && error.message) || String(error);
}
