// Uploads from the browser straight to S3 with Uppy (bundled in static/vendor/uppy.js).
// The console only signs: small files get one presigned PUT, large ones a multipart upload
// whose parts are signed one by one; Golden Retriever keeps upload ids across reloads so
// only the missing parts are sent. The CSRF header goes to the console, never to S3.
(function () {
  "use strict";

  const configNode = document.getElementById("upload-config");
  const target = document.getElementById("uploader-dashboard");
  if (!configNode || !target) return;
  const config = JSON.parse(configNode.textContent);
  const section = document.getElementById("upload");
  const $ = (id) => document.getElementById(id);

  const MiB = 1024 * 1024;
  const MULTIPART_ABOVE = 16 * MiB; // same threshold as the server's own uploads
  const MIN_PART = 16 * MiB; // fewer parts: fewer signatures per GiB for the console
  const MAX_PARTS = 10000;
  const SIGN_AHEAD = 64; // parts signed per request to the console
  const partSize = (size) => Math.max(MIN_PART, Math.ceil(size / (MAX_PARTS - 1) / MiB) * MiB);

  function human(bytes) {
    const units = ["B", "KB", "MB", "GB", "TB"]; // powers of 1024, as the listing shows them
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit += 1;
    }
    return `${value.toFixed(unit && value < 10 ? 1 : 0)} ${units[unit]}`;
  }

  function duration(seconds) {
    if (!Number.isFinite(seconds)) return "…";
    if (seconds < 60) return `${Math.ceil(seconds)} s`;
    return `${Math.floor(seconds / 60)} min ${Math.ceil(seconds % 60)} s`;
  }

  function showProblem(text, link) {
    $("upload-problem-text").textContent = text;
    $("upload-problem-cors").hidden = !link;
    if (link) $("upload-problem-link").href = link;
    $("upload-problem").hidden = false;
  }

  if (!window.Uppy) {
    showProblem("The upload widget did not load (static/vendor/uppy.js is missing: run `make vendor`).");
    return;
  }
  const { Uppy, Dashboard, AwsS3, GoldenRetriever } = window.Uppy;

  // --- talking to the console (JSON, CSRF-protected) ---

  async function api(method, url, body, signal) {
    const response = await fetch(url, {
      method,
      signal,
      credentials: "same-origin",
      headers: { "X-CSRFToken": config.csrfToken, "Content-Type": "application/json", Accept: "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let answer = null;
    try {
      answer = await response.json();
    } catch (ignored) {
      answer = null;
    }
    if (!response.ok) throw new Error((answer && answer.error) || `The console answered ${response.status}.`);
    return answer;
  }

  const withKey = (url, key) => `${url}?key=${encodeURIComponent(key)}`;
  const uploadUrl = (uploadId) => `${config.endpoints.multipart}/${encodeURIComponent(uploadId)}`;
  const relativePath = (file) => (file.meta.relativePath || file.name).replace(/^\/+/, "");
  const describe = (file) => ({
    prefix: file.meta.prefix ?? config.prefix,
    relativePath: relativePath(file),
    filename: file.name,
    type: file.type || "application/octet-stream",
    size: file.size,
  });

  // --- sending bytes to S3 (XHR for upload progress; no console headers) ---

  let corsChecked = false;

  async function explainNetworkFailure() {
    if (corsChecked) return;
    corsChecked = true;
    let answer = null;
    try {
      answer = await api("GET", config.endpoints.cors);
    } catch (ignored) {
      answer = null;
    }
    if (answer && answer.ok === true) return; // CORS looks right: a network problem, retried
    const link = answer ? answer.corsUrl : config.corsUrl; // only for a manager of the whole connection
    showProblem(
      "Your browser could not send files to the storage. The most likely cause is that the bucket's CORS rules " +
        `do not allow uploads from this page (${window.location.origin}).` +
        (answer ? ` ${answer.detail}` : "") +
        (link ? "" : " A manager of this connection can allow it in the connection's CORS settings: ask one."),
      link,
    );
  }

  // S3 refuses a request with an XML body: <Error><Code>KeyTooLongError</Code><Message>…</Message></Error>.
  // A storage the console does not know the limits of refuses only here; say why in plain words.
  const S3_REFUSALS = {
    KeyTooLongError:
      "The storage refused the file's name: it is too long for this storage. Give the file (or its folder) a shorter name and upload it again.",
    EntityTooLarge: "The storage refused the file: it is larger than this storage accepts.",
    EntityTooSmall: "The storage refused a part of the file: it is smaller than this storage accepts.",
    InvalidObjectName: "The storage refused the file's name: this storage does not accept it.",
    QuotaExceeded: "The storage refused the file: the bucket's quota is used up.",
  };

  function storageRefusal(xhr) {
    let code = "";
    let message = "";
    try {
      const xml = new DOMParser().parseFromString(xhr.responseText || "", "application/xml");
      code = (xml.querySelector("Error > Code")?.textContent || "").trim();
      message = (xml.querySelector("Error > Message")?.textContent || "").trim();
    } catch (ignored) {
      code = "";
    }
    if (S3_REFUSALS[code]) return `${S3_REFUSALS[code]} (${code})`;
    if (code) return `The storage refused the upload: ${message || code} (${code}, HTTP ${xhr.status}).`;
    return `The storage answered ${xhr.status}.`;
  }

  function uploadPartBytes({ signature, body, size = body.size, onProgress, onComplete, signal }) {
    const { url, headers, method = "PUT", expires } = signature;
    return new Promise((resolve, reject) => {
      if (signal && signal.aborted) {
        reject(new DOMException("The upload was cancelled.", "AbortError"));
        return;
      }
      const xhr = new XMLHttpRequest();
      xhr.open(method, url, true);
      Object.entries(headers || {}).forEach(([name, value]) => xhr.setRequestHeader(name, value));
      if (typeof expires === "number") xhr.timeout = expires * 1000;
      const onAbort = () => xhr.abort();
      const fail = (message, extra) => {
        signal?.removeEventListener("abort", onAbort);
        reject(Object.assign(new Error(message), { source: xhr }, extra));
      };
      signal?.addEventListener("abort", onAbort);
      xhr.upload.addEventListener("progress", (event) => onProgress(event));
      xhr.addEventListener("abort", () => {
        signal?.removeEventListener("abort", onAbort);
        reject(new DOMException("The upload was cancelled.", "AbortError"));
      });
      xhr.addEventListener("timeout", () => fail("Request has expired", { source: { status: 403 } }));
      xhr.addEventListener("error", () => {
        explainNetworkFailure();
        fail("The browser could not reach the storage.", { network: true });
      });
      xhr.addEventListener("load", () => {
        if (xhr.status < 200 || xhr.status >= 300) {
          const expired = xhr.status === 403 && xhr.responseText.includes("Request has expired");
          fail(expired ? "Request has expired" : storageRefusal(xhr));
          return;
        }
        const etag = xhr.getResponseHeader("ETag");
        if (!etag) {
          explainNetworkFailure();
          fail("The storage did not show the ETag header: the bucket's CORS rule must expose ETag.", { cors: true });
          return;
        }
        signal?.removeEventListener("abort", onAbort);
        $("upload-problem").hidden = true;
        onProgress({ loaded: size, lengthComputable: true });
        onComplete?.(etag);
        resolve({ ETag: etag });
      });
      xhr.send(body);
    });
  }

  // --- part signatures, asked for a batch at a time and used once each ---

  const signatures = new Map(); // "uploadId partNumber" -> { url, headers, expires, at }
  const inflight = new Map(); // "uploadId partNumber" -> promise of the batch that signs it
  const used = new Set();
  const slot = (uploadId, n) => `${uploadId} ${n}`;
  const fresh = (entry) => entry && Date.now() - entry.at < (entry.expires - 120) * 1000;

  function remember(uploadId, urls) {
    const at = Date.now();
    Object.entries(urls || {}).forEach(([n, signed]) => signatures.set(slot(uploadId, n), { ...signed, at }));
  }

  async function signPart(file, { uploadId, key, partNumber }) {
    const id = slot(uploadId, partNumber);
    if (!fresh(signatures.get(id))) {
      if (!inflight.has(id)) {
        const count = Math.ceil(file.size / partSize(file.size));
        const wanted = [partNumber];
        for (let n = partNumber + 1; n <= count && wanted.length < SIGN_AHEAD; n += 1) {
          const other = slot(uploadId, n);
          if (!inflight.has(other) && !used.has(other) && !fresh(signatures.get(other))) wanted.push(n);
        }
        // no abort signal: the batch serves other parts too
        const batch = api("POST", withKey(`${uploadUrl(uploadId)}/batch`, key), { parts: wanted })
          .then((answer) => remember(uploadId, answer.presignedUrls))
          .finally(() => wanted.forEach((n) => inflight.delete(slot(uploadId, n))));
        wanted.forEach((n) => inflight.set(slot(uploadId, n), batch));
      }
      await inflight.get(id);
    }
    const entry = signatures.get(id);
    if (!entry) throw new Error(`The console did not sign part ${partNumber}.`);
    signatures.delete(id); // a retry asks again
    used.add(id);
    return { url: entry.url, headers: entry.headers, expires: entry.expires };
  }

  // --- the widget ---

  const existing = new Map(); // file id -> relative path of a key that exists already
  let pendingChecks = 0;
  let uploadWhenChecked = false;

  function beforeUpload(files) {
    if (pendingChecks > 0) {
      uploadWhenChecked = true;
      uppy.info("Checking which files exist already…", "info", 2000);
      return false;
    }
    const clashes = Object.keys(files).filter((id) => existing.has(id));
    if (clashes.length && !$("upload-replace").checked) {
      uppy.info(`${clashes.length} file(s) would replace existing ones: tick “Replace the existing files” or remove them.`,
        "warning", 8000);
      $("upload-replace").focus();
      return false;
    }
    return true;
  }

  const uppy = new Uppy({
    id: `files-${config.connection}`,
    autoProceed: false,
    meta: { prefix: config.prefix },
    onBeforeUpload: beforeUpload,
  });

  uppy.use(Dashboard, {
    inline: true,
    target,
    width: "100%",
    height: 260,
    fileManagerSelectionType: "both",
    showProgressDetails: true,
    proudlyDisplayPoweredByUppy: false,
    doneButtonHandler: () => uppy.clear(),
  });

  uppy.use(AwsS3, {
    limit: 4,
    retryDelays: [0, 1000, 3000, 5000],
    shouldUseMultipart: (file) => file.size > MULTIPART_ABOVE,
    getChunkSize: (data) => partSize(data.size),
    uploadPartBytes,
    async getUploadParameters(file, options) {
      const answer = await api("POST", config.endpoints.params, describe(file), options && options.signal);
      uppy.setFileMeta(file.id, { key: answer.key });
      return { method: answer.method, url: answer.url, headers: answer.headers, expires: answer.expires };
    },
    async createMultipartUpload(file, signal) {
      const signParts = Math.min(Math.ceil(file.size / partSize(file.size)), SIGN_AHEAD);
      const answer = await api("POST", config.endpoints.multipart, { ...describe(file), signParts }, signal);
      uppy.setFileMeta(file.id, { key: answer.key });
      remember(answer.uploadId, answer.presignedUrls);
      return { uploadId: answer.uploadId, key: answer.key };
    },
    listParts: (file, { uploadId, key, signal }) => api("GET", withKey(uploadUrl(uploadId), key), undefined, signal),
    signPart,
    completeMultipartUpload: (file, { uploadId, key, parts, signal }) =>
      api("POST", withKey(`${uploadUrl(uploadId)}/complete`, key), { parts }, signal),
    abortMultipartUpload: (file, { uploadId, key, signal }) =>
      api("DELETE", withKey(uploadUrl(uploadId), key), undefined, signal),
  });

  uppy.use(GoldenRetriever);

  // --- warn before overwriting ---

  function renderWarning() {
    const list = $("upload-existing");
    list.replaceChildren(...Array.from(existing.values()).map((path) => {
      const item = document.createElement("li");
      item.textContent = path;
      return item;
    }));
    $("upload-warning").hidden = existing.size === 0;
    section.dataset.checking = pendingChecks > 0 ? "true" : "false";
  }

  // the connection's size cap, learnt with the first check (the server refuses bigger files anyway)
  function applyCap(maxSize, files) {
    if (!maxSize) return;
    uppy.setOptions({ restrictions: { maxFileSize: maxSize } });
    const tooBig = files.filter((file) => file.size > maxSize);
    tooBig.forEach((file) => uppy.removeFile(file.id));
    if (tooBig.length) {
      uppy.info(`${tooBig.map(relativePath).join(", ")}: larger than ${human(maxSize)}, the most this connection accepts.`,
        "error", 10000);
    }
  }

  uppy.on("files-added", async (files) => {
    const fresh = files.filter((file) => !(file.s3Multipart && file.s3Multipart.uploadId));
    if (!fresh.length) return;
    pendingChecks += 1;
    renderWarning();
    try {
      const answer = await api("POST", config.endpoints.exists, { prefix: config.prefix, paths: fresh.map(relativePath) });
      applyCap(answer.maxSize, fresh);
      const found = new Set(answer.existing);
      fresh.forEach((file) => {
        if (uppy.getFile(file.id) && found.has(relativePath(file))) existing.set(file.id, relativePath(file));
      });
    } catch (error) {
      uppy.info(`Could not check for existing files: ${error.message}`, "warning", 5000);
    } finally {
      pendingChecks -= 1;
      renderWarning();
      if (pendingChecks === 0 && uploadWhenChecked) {
        uploadWhenChecked = false;
        uppy.upload();
      }
    }
  });
  uppy.on("file-removed", (file) => {
    existing.delete(file.id);
    renderWarning();
  });

  // --- progress, per file and in total, with speed and time left ---

  const live = $("upload-live");
  let lastAnnounced = -1;
  let renderTimer = null;

  function fileLine(file, now) {
    const { bytesUploaded = 0, bytesTotal = file.size, uploadStarted, uploadComplete } = file.progress;
    const item = document.createElement("li");
    const label = document.createElement("span");
    const bar = document.createElement("progress");
    bar.max = bytesTotal || 1;
    bar.value = bytesUploaded;
    bar.setAttribute("aria-label", relativePath(file));
    let text = `${relativePath(file)}: ${human(bytesUploaded)} of ${human(bytesTotal || 0)}`;
    if (uploadComplete) {
      text = `${relativePath(file)}: done`;
    } else if (file.error) {
      text = `${relativePath(file)}: failed (${file.error})`;
    } else if (uploadStarted && bytesUploaded > 0) {
      const speed = bytesUploaded / Math.max((now - uploadStarted) / 1000, 0.001);
      text += ` · ${human(speed)}/s · ${duration((bytesTotal - bytesUploaded) / speed)} left`;
    }
    label.textContent = text;
    item.append(label, bar);
    return item;
  }

  function renderProgress() {
    renderTimer = null;
    const now = Date.now();
    const files = uppy.getFiles().filter((file) => file.progress.uploadStarted);
    $("upload-summary").hidden = files.length === 0;
    if (!files.length) return;
    const total = files.reduce((sum, file) => sum + (file.progress.bytesTotal || file.size || 0), 0);
    const done = files.reduce((sum, file) => sum + (file.progress.bytesUploaded || 0), 0);
    const started = Math.min(...files.map((file) => file.progress.uploadStarted));
    const speed = done / Math.max((now - started) / 1000, 0.001);
    const percent = total ? Math.floor((done / total) * 100) : 100;
    $("upload-total").textContent =
      `Total: ${percent}% · ${human(done)} of ${human(total)} · ${human(speed)}/s · ${duration((total - done) / speed)} left`;
    $("upload-files").replaceChildren(...files.map((file) => fileLine(file, now)));
    const milestone = Math.floor(percent / 25) * 25;
    if (milestone !== lastAnnounced && milestone < 100) {
      lastAnnounced = milestone;
      live.textContent = `Uploading: ${percent}% done.`;
    }
  }

  const scheduleProgress = () => {
    if (!renderTimer) renderTimer = setTimeout(renderProgress, 300);
  };
  uppy.on("upload-progress", scheduleProgress);
  uppy.on("upload-start", () => {
    lastAnnounced = -1;
    section.dataset.state = "uploading";
    scheduleProgress();
  });

  uppy.on("upload-success", async (file) => {
    scheduleProgress();
    if (file.size <= MULTIPART_ABOVE) {
      // a single PUT: the console did not see it finish, so tell it (it checks and records it)
      try {
        await api("POST", config.endpoints.uploaded, { key: file.meta.key });
      } catch (error) {
        uppy.info(`${file.name} was uploaded, but the console could not record it: ${error.message}`, "warning", 6000);
      }
    }
  });

  uppy.on("complete", (result) => {
    const ok = result.successful ? result.successful.length : 0;
    const failed = result.failed ? result.failed.length : 0;
    renderProgress();
    section.dataset.state = failed ? "failed" : "done";
    live.textContent = `${ok} file${ok === 1 ? "" : "s"} uploaded${failed ? `, ${failed} failed` : ""}.`;
    existing.clear();
    renderWarning();
    document.body.dispatchEvent(new CustomEvent("files-changed", { bubbles: true }));
  });

  uppy.on("upload-error", (file, error) => {
    scheduleProgress();
    if (error && (error.network || error.cors)) explainNetworkFailure();
  });

  section.dataset.ready = "true";
})();
