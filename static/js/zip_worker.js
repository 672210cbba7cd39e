// The zip download's service worker: builds a zip from presigned GETs and answers it as a download.
//
// The page (static/js/zip.js) posts a job {id, entriesUrl, query, name} with a MessagePort, then opens
// <scope>zip-download/<id>/<name> in a hidden frame. This worker answers that URL with client-zip's streamed
// zip: it asks the console for the entries page by page (cookies: same origin) and GETs each file straight from
// the storage (presigned; the bytes never pass through the console). The browser pulls the stream as it writes
// to disk, so memory stays bounded whatever the total; ZIP64 is used when needed (client-zip 2).
// Progress goes back over the port; "cancel" aborts every GET, which fails the download.
/* global ClientZip */ // and self.zipEntryPages
"use strict";

const given = new URL(self.location.href).searchParams;
importScripts(given.get("lib"), given.get("pages")); // client-zip; zip_pages.js (static URLs: hashed in production)

const jobs = new Map();
const PROGRESS_EVERY_MS = 250;

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "zip" && event.ports[0]) {
    jobs.set(data.id, { ...data, port: event.ports[0], controller: new AbortController() });
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
    event.respondWith(new Response("This zip download is over. Start it again from the folder's page.", {
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
  const names = uniqueNames();
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
      if (!response.ok) throw new Error(`The storage answered ${response.status} for ${entry.path}.`);
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

// Two keys may clean to the same path ("a" and "a/b" are a file and a folder on disk; a file name may repeat
// after cleaning): the later one gets " (2)" before its extension, so extracting never overwrites.
function uniqueNames() {
  const files = new Set();
  const folders = new Set();
  const renamed = new Map(); // a folder whose name a file took first -> the name it goes by
  return (path) => {
    const isFolder = path.endsWith("/");
    const parts = path.replace(/\/$/, "").split("/");
    for (let i = 0; i < parts.length - (isFolder ? 0 : 1); i++) {
      const folder = parts.slice(0, i + 1).join("/");
      if (!renamed.has(folder)) renamed.set(folder, files.has(folder) ? free(folder, files, folders) : folder);
      parts.splice(0, i + 1, ...renamed.get(folder).split("/"));
      folders.add(parts.slice(0, i + 1).join("/"));
    }
    if (isFolder) return `${parts.join("/")}/`;
    let name = parts.join("/");
    if (files.has(name) || folders.has(name)) name = free(name, files, folders);
    files.add(name);
    return name;
  };
}

function free(name, files, folders) {
  const slash = name.lastIndexOf("/");
  const dot = name.lastIndexOf(".");
  const cut = dot > slash + 1 ? dot : name.length;
  for (let n = 2; ; n++) {
    const candidate = `${name.slice(0, cut)} (${n})${name.slice(cut)}`;
    if (!files.has(candidate) && !folders.has(candidate)) return candidate;
  }
}
