// A file's SHA-256 for instant uploads (static/js/uploader.js), worked out by static/js/upload_hash_worker.js
// (a worker: the page's thread stays free, and WebAssembly may run there). `stopped()` is asked at each
// progress report: a cancelled file's worker is ended at once.
(function () {
  "use strict";

  class Stopped extends Error {}

  function sha256(file, { worker, lib, onProgress = () => {}, stopped = () => false }) {
    return new Promise((resolve, reject) => {
      const hashing = new Worker(worker);
      const end = (settle, value) => {
        hashing.terminate();
        settle(value);
      };
      hashing.onmessage = ({ data }) => {
        if (stopped()) end(reject, new Stopped());
        else if (data.error) end(reject, new Error(data.error));
        else if (data.sha256) end(resolve, data.sha256);
        else onProgress(data.done);
      };
      hashing.onerror = (event) => end(reject, new Error(event.message || gettext("The hasher did not start.")));
      hashing.postMessage({ file, lib });
    });
  }

  window.UploadHash = { sha256, Stopped };
})();
