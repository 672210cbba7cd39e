// The zip download's entries, page by page, from the console (console/files/views/zip.py), and the names they go
// by in the zip. Shared by the service worker (static/js/zip_worker.js, through importScripts) and the page's
// in-memory fallback (static/js/zip.js).
"use strict";

// A text for people, from the job's texts in the page's language (the worker has no catalog; static/js/zip.js
// sends them, translated), else in English: the fallbacks below are shown only if a job came without its texts.
// (No top-level const: htmx runs this script again when it swaps the page's zip box in.)
self.zipText = (job, name, values = {}) => ((job && job.texts && job.texts[name]) || {
  consoleAnswered: "The console answered %(status)s.", // i18n: not shown (the page's translation is)
  storageAnswered: "The storage answered %(status)s for %(path)s.", // i18n: not shown (the page's translation is)
  over: "This zip download is over. Start it again from the folder's page.", // i18n: not shown (the page's is)
}[name]).replace(/%\((\w+)\)s/g, (match, key) => String(values[key]));

self.zipEntryPages = async function* zipEntryPages(job, signal) {
  let cursor = null;
  do {
    const query = new URLSearchParams(job.query);
    if (cursor) {
      query.set("item", cursor.item);
      if (cursor.after !== null) query.set("after", cursor.after);
    }
    const response = await fetch(`${job.entriesUrl}?${query}`, {
      // X-Zip-Entries: what the console asks before it lists and audits (console/files/views/zip.py)
      signal, credentials: "same-origin", headers: { Accept: "application/json", "X-Zip-Entries": "1" },
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(answer.error || self.zipText(job, "consoleAnswered", { status: response.status }));
    yield answer;
    cursor = answer.next;
  } while (cursor);
};

(() => {
  // Two keys may clean to the same path ("a" and "a/b" are a file and a folder on disk; a file name may repeat
  // after cleaning): the later one gets " (2)" before its extension, so extracting never overwrites. Names are
  // compared as Windows and macOS disks compare them: case aside, "é" written one way or the other the same.
  const onDisk = (name) => name.normalize("NFC").toLowerCase();

  self.zipUniqueNames = function uniqueNames() {
    const files = new Set();
    const folders = new Set();
    const renamed = new Map(); // a folder whose name a file took first -> the name it goes by
    return (path) => {
      const isFolder = path.endsWith("/");
      const parts = path.replace(/\/$/, "").split("/");
      for (let i = 0; i < parts.length - (isFolder ? 0 : 1); i++) {
        const folder = parts.slice(0, i + 1).join("/");
        const seen = onDisk(folder);
        if (!renamed.has(seen)) renamed.set(seen, files.has(seen) ? free(folder, files, folders) : folder);
        parts.splice(0, i + 1, ...renamed.get(seen).split("/"));
        folders.add(onDisk(parts.slice(0, i + 1).join("/")));
      }
      if (isFolder) return `${parts.join("/")}/`;
      let name = parts.join("/");
      if (files.has(onDisk(name)) || folders.has(onDisk(name))) name = free(name, files, folders);
      files.add(onDisk(name));
      return name;
    };
  };

  function free(name, files, folders) {
    const slash = name.lastIndexOf("/");
    const dot = name.lastIndexOf(".");
    const cut = dot > slash + 1 ? dot : name.length;
    for (let n = 2; ; n++) {
      const candidate = `${name.slice(0, cut)} (${n})${name.slice(cut)}`;
      if (!files.has(onDisk(candidate)) && !folders.has(onDisk(candidate))) return candidate;
    }
  }
})();
