// Uploads from the browser straight to S3 with Uppy's core and its AwsS3 plugin (bundled in
// static/vendor/uppy.js; no Uppy UI: the tray in static/js/upload_tray.js shows progress).
// The console only signs: small files get one presigned PUT, large ones a multipart upload
// whose parts are signed one by one; Golden Retriever keeps upload ids across reloads, so a file
// picked (or dropped) again continues with the missing parts only. The CSRF header goes to the
// console, never to S3. The tray lives outside the region that folder navigation replaces, so
// uploads keep running while the person browses; each file keeps the folder it was started in.
(function () {
  "use strict";

  const configNode = document.getElementById("upload-config");
  if (!configNode || !document.getElementById("upload")) return;
  const config = JSON.parse(configNode.textContent);
  const section = document.getElementById("upload");
  const $ = (id) => document.getElementById(id);

  const MiB = 1024 * 1024;
  const MULTIPART_ABOVE = 16 * MiB; // same threshold as the server's own uploads
  const MIN_PART = 16 * MiB; // fewer parts: fewer signatures per GiB for the console
  const MAX_PARTS = 10000;
  const SIGN_AHEAD = 64; // parts signed per request to the console
  const partSize = (size) => Math.max(MIN_PART, Math.ceil(size / (MAX_PARTS - 1) / MiB) * MiB);

  function showProblem(text, link) {
    $("upload-problem-text").textContent = text;
    $("upload-problem-cors").hidden = !link;
    if (link) $("upload-problem-link").href = link;
    $("upload-problem").hidden = false;
    section.hidden = false;
  }

  if (!window.Uppy || !window.UploadTray || !window.UploadPick) {
    showProblem(gettext("The upload widget did not load (static/vendor/uppy.js is missing: run `make vendor`)."));
    return;
  }
  const { Uppy, AwsS3, GoldenRetriever } = window.Uppy;
  const say = (text, values) => interpolate(text, values, true);
  // Uppy's own texts (a refused file, say) in the page's language: static/vendor/uppy-locale-<lang>.js, built
  // by scripts/build-vendor.mjs for each catalog under locale/; Uppy's English where none was loaded.
  const uppyLocale = (window.UppyLocales || {})[document.documentElement.lang];

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
    if (!response.ok) throw new Error((answer && answer.error) || say(gettext("The console answered %(status)s."), { status: response.status }));
    return answer;
  }

  const withKey = (url, key) => `${url}?key=${encodeURIComponent(key)}`;
  const uploadUrl = (uploadId) => `${config.endpoints.multipart}/${encodeURIComponent(uploadId)}`;
  const relativePath = (file) => (file.meta.relativePath || file.name).replace(/^\/+/, "");
  const describe = (file) => ({
    prefix: file.meta.prefix,
    relativePath: relativePath(file),
    filename: file.name,
    type: file.type || "application/octet-stream",
    contentType: file.meta.contentType || undefined,
    cacheControl: file.meta.cacheControl || undefined,
    size: file.size,
    sha256: file.meta.sha256 || undefined,
  });
  // Cache-Control and the hash of an instant upload (x-amz-meta-sha256) are set when the console starts an upload
  // (the bucket's CORS rule lets no browser send them): a file given one goes as a multipart upload, whatever its size.
  const usesMultipart = (file) => file.size > MULTIPART_ABOVE ||
    ((Boolean(file.meta.cacheControl) || Boolean(file.meta.sha256)) && file.size > 0);
  // The content type and Cache-Control chosen for the next uploads (the toolbar's "Upload settings").
  const chosenHeaders = () => {
    const value = (id) => ($(id)?.value || "").trim();
    const chosen = { contentType: value("upload-content-type"), cacheControl: value("upload-cache-control") };
    return Object.fromEntries(Object.entries(chosen).filter(([, v]) => v));
  };

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
      say(gettext("Your browser could not send files to the storage. The most likely cause is that the bucket's CORS rules do not allow uploads from this page (%(origin)s)."),
        { origin: window.location.origin }) +
        (answer ? ` ${answer.detail}` : "") +
        (link ? "" : ` ${gettext("A manager of this connection can allow it in the connection's CORS settings: ask one.")}`),
      link,
    );
  }

  // S3 refuses a request with an XML body: <Error><Code>KeyTooLongError</Code><Message>…</Message></Error>.
  // A storage the console does not know the limits of refuses only here; say why in plain words.
  const S3_REFUSALS = {
    KeyTooLongError: gettext("The storage refused the file's name: it is too long for this storage. Give the file (or its folder) a shorter name and upload it again."),
    EntityTooLarge: gettext("The storage refused the file: it is larger than this storage accepts."),
    EntityTooSmall: gettext("The storage refused a part of the file: it is smaller than this storage accepts."),
    InvalidObjectName: gettext("The storage refused the file's name: this storage does not accept it."),
    QuotaExceeded: gettext("The storage refused the file: the bucket's quota is used up."),
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
    if (code) {
      return say(gettext("The storage refused the upload: %(message)s (%(code)s, HTTP %(status)s)."),
        { message: message || code, code, status: xhr.status });
    }
    return say(gettext("The storage answered %(status)s."), { status: xhr.status });
  }

  // S3's words for an expired signature, which Uppy's AwsS3 looks for to sign again
  const EXPIRED = "Request has expired"; // i18n: not shown (Uppy signs again)

  function uploadPartBytes({ signature, body, size = body.size, onProgress, onComplete, signal }) {
    const { url, headers, method = "PUT", expires } = signature;
    return new Promise((resolve, reject) => {
      if (signal && signal.aborted) {
        reject(new DOMException(gettext("The upload was cancelled."), "AbortError"));
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
        reject(new DOMException(gettext("The upload was cancelled."), "AbortError"));
      });
      xhr.addEventListener("timeout", () => fail(EXPIRED, { source: { status: 403 } }));
      xhr.addEventListener("error", () => {
        explainNetworkFailure();
        fail(gettext("The browser could not reach the storage."), { network: true });
      });
      xhr.addEventListener("load", () => {
        if (xhr.status < 200 || xhr.status >= 300) {
          const expired = xhr.status === 403 && xhr.responseText.includes(EXPIRED);
          fail(expired ? EXPIRED : storageRefusal(xhr));
          return;
        }
        const etag = xhr.getResponseHeader("ETag");
        if (!etag) {
          explainNetworkFailure();
          fail(gettext("The storage did not show the ETag header: the bucket's CORS rule must expose ETag."), { cors: true });
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
    if (!entry) throw new Error(say(gettext("The console did not sign part %(part)s."), { part: partNumber }));
    signatures.delete(id); // a retry asks again
    used.add(id);
    return { url: entry.url, headers: entry.headers, expires: entry.expires };
  }

  // --- the uploader ---

  const page = () => document.getElementById("files-page");
  const existing = new Map(); // file id -> relative path of a key that exists already
  let pendingChecks = 0;
  let uploadWhenChecked = false;
  let tray = null;

  function beforeUpload(files) {
    if (pendingChecks > 0) {
      uploadWhenChecked = true;
      return false;
    }
    const clashes = Object.keys(files).filter((id) => existing.has(id));
    if (clashes.length && !$("upload-replace").checked) {
      tray.say(say(ngettext(
        "%(count)s file would replace an existing one: tick “Replace the existing files” or leave it out.",
        "%(count)s files would replace existing ones: tick “Replace the existing files” or leave them out.",
        clashes.length), { count: clashes.length }));
      tray.open();
      $("upload-replace").focus();
      return false;
    }
    return true;
  }

  const uppy = new Uppy({
    id: `files-${config.user}-${config.connection}`,  // one person's unfinished uploads are not offered to the next
    autoProceed: false,
    onBeforeUpload: beforeUpload,
    ...(uppyLocale ? { locale: uppyLocale } : {}),
  });
  // Uppy's promises reject when nothing may start yet (a pending check, an unanswered warning): the tray says why.
  function run(start) {
    start().catch(() => tray.render());
  }
  const startUpload = () => run(() => uppy.upload());
  // one file again (a Retry, or a file picked again after a reload): its multipart upload id is kept, so
  // AwsS3 lists the parts S3 has and sends the others. Uppy reports "complete" for upload() only.
  const resume = (id) => {
    tray.started();
    run(() => uppy.retryUpload(id).then(finished));
  };
  tray = window.UploadTray.create({ uppy, pathOf: relativePath, onRetry: resume });

  uppy.use(AwsS3, {
    limit: 4,
    retryDelays: [0, 1000, 3000, 5000],
    shouldUseMultipart: usesMultipart,
    getChunkSize: (data) => partSize(data.size),
    uploadPartBytes,
    async getUploadParameters(file, options) {
      // an empty file is one PUT even with Cache-Control chosen (no multipart upload of nothing): it goes without
      const answer = await api("POST", config.endpoints.params, { ...describe(file), cacheControl: undefined },
        options && options.signal);
      uppy.setFileMeta(file.id, { key: answer.key });
      // a local folder's URL is the console's own, relative to this page; AwsS3 parses it as an absolute URL
      const url = new URL(answer.url, window.location.href).href;
      return { method: answer.method, url, headers: answer.headers, expires: answer.expires };
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

  // --- instant uploads (#19): a file the storage holds already is copied there, and none of its bytes sent ---
  // The hash is worked out before the upload starts, because the object carries it (x-amz-meta-sha256, set when
  // the upload is created): sending while hashing would send the bytes an instant copy makes needless.

  // the file is done: the uploader (the step after this one) leaves completed files out (Uppy's filterFilesToUpload)
  function copiedInstantly(id, key) {
    const file = uppy.getFile(id);
    uppy.setFileMeta(id, { key, instant: true });
    uppy.setFileState(id, { progress: { ...file.progress, uploadStarted: Date.now(), uploadComplete: true,
      complete: true, percentage: 100, bytesUploaded: file.size, bytesTotal: file.size } });
  }

  async function hashThenAsk(id) {
    const file = uppy.getFile(id);
    if (!file || !file.size || file.meta.sha256 || file.isRestored || !file.data) return;
    const gone = () => !uppy.getFile(id);
    const checking = (done) => {
      if (gone()) return;
      uppy.emit("preprocess-progress", uppy.getFile(id), { mode: "determinate", value: done / file.size });
      tray.schedule();
    };
    checking(0);
    try {
      const sha256 = await window.UploadHash.sha256(file.data, { worker: config.hashWorker, lib: config.hashLib,
        onProgress: checking, stopped: gone });
      uppy.setFileMeta(id, { sha256 });
      const answer = await api("POST", config.endpoints.instant, describe(uppy.getFile(id)));
      if (answer.copied && !gone()) copiedInstantly(id, answer.key);
    } catch (error) {
      if (!gone() && !(error instanceof window.UploadHash.Stopped)) {
        // not hashed, or not asked: the file is uploaded the usual way
        tray.say(say(gettext("%(name)s: could not check whether it is stored already (%(reason)s); it is uploaded."),
          { name: file.name, reason: error.message }));
      }
    } finally {
      if (!gone()) uppy.emit("preprocess-complete", uppy.getFile(id));
      tray.schedule();
    }
  }

  if (config.instantUploads && window.UploadHash) {
    uppy.addPreProcessor(async (fileIDs) => {
      for (const id of fileIDs) await hashThenAsk(id); // one at a time: hashing is the CPU's work
    });
  }

  // --- files in: picked or dropped, for the folder shown now ---

  function accept(picked) {
    const prefix = page().dataset.prefix;
    tray.say("");
    uppy.addFiles(picked.map(({ file, relativePath: path }) => ({
      name: file.name, type: file.type, data: file, source: "local",
      meta: { ...chosenHeaders(), ...(path ? { relativePath: path, prefix } : { prefix }) },
    })));
  }

  window.UploadPick.attach({
    accept,
    canDrop: () => page()?.dataset.canUpload === "true",
    folderLabel: () => page().dataset.folder,
  });
  // a file Uppy would not take (a duplicate, over the size cap); an upload's own error shows on its line
  uppy.on("restriction-failed", (file, error) => tray.say(error.message));

  // --- resume in one step: the unfinished uploads Golden Retriever kept, continued when picked again ---

  const unfinished = () => uppy.getFiles().filter((file) => file.isRestored && !file.progress.uploadComplete);

  function renderResume() {
    const waiting = unfinished();
    const ghosts = waiting.filter((file) => file.isGhost);
    const kept = waiting.filter((file) => !file.isGhost && !file.progress.bytesUploaded && !file.error);
    $("upload-resume").hidden = ghosts.length === 0;
    $("upload-resume-text").textContent = ghosts.length
      ? say(ngettext(
        "%(count)s unfinished upload from before: pick or drop the same file again and only the missing parts are sent.",
        "%(count)s unfinished uploads from before: pick or drop the same files again and only the missing parts are sent.",
        ghosts.length), { count: ghosts.length })
      : "";
    $("upload-continue").hidden = kept.length === 0;
  }

  uppy.on("restored", () => {
    // what never started has nothing to continue, and what finished is done: only unfinished uploads stay
    uppy.getFiles()
      .filter((file) => file.progress.uploadComplete || !file.progress.uploadStarted)
      .forEach((file) => uppy.removeFile(file.id));
    uppy.setState({ currentUploads: {} }); // each file is continued on its own, when its bytes are back
    renderResume();
    section.dataset.restored = String(unfinished().length);
    tray.render();
  });
  $("upload-continue").addEventListener("click", () => unfinished()
    .filter((file) => !file.isGhost).forEach((file) => resume(file.id)));

  // --- warn before overwriting ---

  function renderWarning() {
    const list = $("upload-existing");
    list.replaceChildren(...Array.from(existing.values()).map((path) => {
      const item = document.createElement("li");
      item.textContent = path;
      return item;
    }));
    $("upload-warning").hidden = existing.size === 0;
    if (existing.size) tray.open();
    section.dataset.checking = pendingChecks > 0 ? "true" : "false";
  }

  $("upload-start").addEventListener("click", startUpload);
  $("upload-skip").addEventListener("click", () => {
    Array.from(existing.keys()).forEach((id) => uppy.removeFile(id));
    startUpload();
  });

  // the connection's size cap, learnt with the first check (the server refuses bigger files anyway)
  function applyCap(maxSize, files) {
    if (!maxSize) return;
    uppy.setOptions({ restrictions: { maxFileSize: maxSize } });
    const tooBig = files.filter((file) => file.size > maxSize);
    tooBig.forEach((file) => uppy.removeFile(file.id));
    if (tooBig.length) {
      tray.say(say(gettext("%(names)s: larger than %(size)s, the most this connection accepts."),
        { names: tooBig.map(relativePath).join(gettext(", ")), size: window.UploadTray.human(maxSize) }));
    }
  }

  async function checkThenUpload(files) {
    pendingChecks += 1;
    renderWarning();
    try {
      const answer = await api("POST", config.endpoints.exists, { prefix: files[0].meta.prefix, paths: files.map(relativePath) });
      applyCap(answer.maxSize, files);
      const found = new Set(answer.existing);
      files.forEach((file) => {
        if (uppy.getFile(file.id) && found.has(relativePath(file))) existing.set(file.id, relativePath(file));
      });
    } catch (error) {
      tray.say(say(gettext("Could not check for existing files: %(reason)s"), { reason: error.message }));
    } finally {
      pendingChecks -= 1;
      renderWarning();
    }
    // files that replace nothing start at once; a clash waits for the person's answer in the tray
    if (pendingChecks === 0 && (uploadWhenChecked || !files.some((file) => existing.has(file.id)))) {
      uploadWhenChecked = false;
      startUpload();
    }
  }

  uppy.on("files-added", (files) => {
    tray.render();
    const resumed = files.filter((file) => file.isRestored);
    resumed.forEach((file) => resume(file.id));
    if (resumed.length) renderResume();
    const fresh = files.filter((file) => !file.isRestored);
    const byFolder = new Map();
    fresh.forEach((file) => byFolder.set(file.meta.prefix, [...(byFolder.get(file.meta.prefix) || []), file]));
    byFolder.forEach(checkThenUpload);
  });
  uppy.on("file-removed", (file) => {
    existing.delete(file.id);
    renderWarning();
    renderResume();
    tray.render();
  });

  // --- progress: the tray is the one readout ---

  uppy.on("upload-progress", tray.schedule);
  uppy.on("upload-start", tray.started);

  uppy.on("upload-success", async (file) => {
    tray.schedule();
    if (!usesMultipart(file)) {
      // a single PUT: the console did not see it finish, so tell it (it checks and records it)
      try {
        await api("POST", config.endpoints.uploaded, { key: file.meta.key });
      } catch (error) {
        tray.say(say(gettext("%(name)s was uploaded, but the console could not record it: %(reason)s"),
          { name: file.name, reason: error.message }));
      }
    }
  });

  // a batch ended: the tray says "done" once nothing else is being checked or sent, counting all its files
  function finished(result) {
    [...(result.successful || []), ...(result.failed || [])].forEach((file) => existing.delete(file.id)); // answered
    const files = uppy.getFiles();
    const busy = pendingChecks > 0 ||
      files.some((file) => !file.isGhost && !file.error && !file.progress.uploadComplete && !existing.has(file.id));
    if (busy) tray.render();
    else tray.finished(files.filter((file) => file.progress.uploadComplete).length, files.filter((file) => file.error).length);
    renderWarning();
    renderResume();
    document.body.dispatchEvent(new CustomEvent("files-changed", { bubbles: true }));
  }
  uppy.on("complete", finished);

  uppy.on("upload-error", (file, error) => {
    tray.schedule();
    if (error && (error.network || error.cors)) explainNetworkFailure();
  });

  // Leaving the file manager (another page, a reload, closing the tab) stops the uploads that are running:
  // the browser asks first. They resume when the same files are picked again.
  window.addEventListener("beforeunload", (event) => {
    const running = uppy.getFiles().some((file) => file.progress.uploadStarted && !file.progress.uploadComplete
      && !file.error && !file.isPaused);
    if (running) event.preventDefault();
  });

  tray.render();
  section.dataset.ready = "true";
})();
