// The zip download's entries, page by page, from the console (console/files/views/zip.py). Shared by the service
// worker (static/js/zip_worker.js, through importScripts) and the page's in-memory fallback (static/js/zip.js).
"use strict";

self.zipEntryPages = async function* zipEntryPages(job, signal) {
  let cursor = null;
  do {
    const query = new URLSearchParams(job.query);
    if (cursor) {
      query.set("item", cursor.item);
      if (cursor.after !== null) query.set("after", cursor.after);
    }
    const response = await fetch(`${job.entriesUrl}?${query}`, {
      signal, credentials: "same-origin", headers: { Accept: "application/json" },
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(answer.error || `The console answered ${response.status}.`);
    yield answer;
    cursor = answer.next;
  } while (cursor);
};
