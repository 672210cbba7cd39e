// The upload tray: the page's one progress readout. Each file's name, target folder, size and progress,
// one total with speed and time left, errors with a Retry. Names are attacker-chosen: textContent only.
(function () {
  "use strict";

  const $ = (id) => document.getElementById(id);
  const say = (text, values) => interpolate(text, values, true);
  const lang = document.documentElement.lang || undefined;
  const number = (digits) => new Intl.NumberFormat(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits,
    useGrouping: false });
  // a whole percent (0 to 100) as the language writes it: "42%", "42 %"
  const percentOf = (percent) => new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 0 })
    .format(percent / 100);

  function human(bytes) {
    const units = ["B", "KB", "MB", "GB", "TB"]; // powers of 1024, as the listing shows them; the same in every language
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit += 1;
    }
    return `${number(unit && value < 10 ? 1 : 0).format(value)} ${units[unit]}`;
  }

  function duration(seconds) {
    if (!Number.isFinite(seconds)) return "…";
    if (seconds < 60) return say(gettext("%(seconds)s s"), { seconds: Math.ceil(seconds) });
    return say(gettext("%(minutes)s min %(seconds)s s"),
      { minutes: Math.floor(seconds / 60), seconds: Math.ceil(seconds % 60) });
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // speed over the last few seconds (not since the start: a resumed upload starts with bytes already sent)
  const WINDOW_MS = 5000;
  const samples = [];

  function speedOf(done, now) {
    samples.push([now, done]);
    while (samples.length > 2 && now - samples[0][0] > WINDOW_MS) samples.shift();
    const [then, before] = samples[0];
    return now > then ? Math.max(done - before, 0) / ((now - then) / 1000) : 0;
  }

  function create({ uppy, pathOf, onRetry }) {
    const tray = $("upload");
    const live = $("upload-live");
    const toggle = $("upload-toggle");
    let lastAnnounced = -1;
    let timer = null;

    function setOpen(open) {
      toggle.setAttribute("aria-expanded", String(open));
      tray.dataset.open = String(open);
      $("upload-body").hidden = !open;
    }
    toggle.addEventListener("click", () => setOpen(toggle.getAttribute("aria-expanded") !== "true"));

    // keep the end of the page (the list's last rows and their actions) clear of the tray
    new ResizeObserver(() => {
      document.documentElement.style.setProperty("--tray-height", tray.hidden ? "0px" : `${tray.offsetHeight}px`);
    }).observe(tray);

    function status(file) {
      const { bytesUploaded = 0, bytesTotal = file.size, uploadStarted, uploadComplete } = file.progress;
      if (uploadComplete && file.meta.instant) return ["copied", gettext("already stored, copied instantly")];
      if (uploadComplete) return ["done", pgettext("upload state", "done")];
      if (file.error) return ["failed", say(gettext("failed (%(reason)s)"), { reason: file.error })];
      if (file.isGhost) return ["waiting", gettext("waiting for the file: pick it again or drop it here")];
      const { preprocess } = file.progress;  // instant uploads: the file's SHA-256 being worked out
      if (preprocess) {
        return ["checking", say(gettext("Checking… %(percent)s"),
          { percent: percentOf(Math.floor((preprocess.value || 0) * 100)) })];
      }
      if (!uploadStarted) return ["queued", gettext("waiting to start")];
      return ["running", say(gettext("%(percent)s · %(done)s of %(total)s"), {
        percent: percentOf(bytesTotal ? Math.floor((bytesUploaded / bytesTotal) * 100) : 0), done: human(bytesUploaded),
        total: human(bytesTotal || 0) })];
    }

    function fileLine(file) {
      const [state, text] = status(file);
      const shown = window.visibleText(pathOf(file));  // a name's invisible characters written out
      const item = el("li", `tray-file ${state}`);
      item.dataset.state = state;
      const name = el("span", "tray-name", shown);
      name.title = shown;
      const folder = file.meta.prefix ? window.visibleText(file.meta.prefix) : gettext("the top folder");
      const where = el("span", "tray-where", say(gettext("%(size)s · to %(folder)s"), { size: human(file.size || 0), folder }));
      const bar = el("progress");
      bar.max = file.progress.bytesTotal || file.size || 1;
      bar.value = file.progress.uploadComplete ? bar.max : file.progress.bytesUploaded || 0;
      bar.setAttribute("aria-label", shown);
      const line = el("span", "tray-status", text);
      const actions = el("span", "tray-file-actions");
      if (state === "failed") {
        const retry = el("button", "button", gettext("Retry"));
        retry.type = "button";
        retry.setAttribute("aria-label", say(gettext("Retry %(name)s"), { name: shown }));
        retry.addEventListener("click", () => onRetry(file.id));
        actions.append(retry);
      }
      if (state !== "done" && state !== "copied") {
        const running = state === "running" || state === "checking";
        const remove = el("button", "button", running ? gettext("Cancel") : gettext("Remove"));
        remove.type = "button";
        remove.setAttribute("aria-label", say(running ? gettext("Cancel %(name)s") : gettext("Remove %(name)s"), { name: shown }));
        remove.addEventListener("click", () => uppy.removeFile(file.id));
        actions.append(remove);
      }
      item.append(name, where, bar, line, actions);
      return item;
    }

    function renderTotal(files, now) {
      const counted = files.filter((file) => file.progress.uploadStarted && !file.isGhost);
      const total = counted.reduce((sum, file) => sum + (file.progress.bytesTotal || file.size || 0), 0);
      const done = counted.reduce((sum, file) => sum + (file.progress.uploadComplete
        ? file.progress.bytesTotal || file.size || 0 : file.progress.bytesUploaded || 0), 0);
      const bar = $("upload-total-bar");
      bar.max = total || 1;
      bar.value = done;
      if (!counted.length) {
        $("upload-total").textContent = say(ngettext("%(count)s file", "%(count)s files", files.length), { count: files.length });
        return 100;
      }
      const percent = total ? Math.floor((done / total) * 100) : 100;
      const running = counted.some((file) => !file.progress.uploadComplete && !file.error);
      const failed = files.filter((file) => file.error).length;
      const speed = speedOf(done, now);
      const values = { percent: percentOf(percent), done: human(done), total: human(total), speed: human(speed),
        left: duration((total - done) / speed), failed };
      $("upload-total").textContent = say(running
        ? gettext("Total: %(percent)s · %(done)s of %(total)s · %(speed)s/s · %(left)s left")
        : gettext("Total: %(percent)s · %(done)s of %(total)s"), values) +
        (failed ? say(gettext(" · %(failed)s failed"), values) : "");
      return percent;
    }

    // on a phone the tray first shows as one line (the total), so it does not sit on the list
    const phone = window.matchMedia("(max-width: 640px)");

    function render() {
      timer = null;
      const files = uppy.getFiles();
      const wasHidden = tray.hidden;
      tray.hidden = files.length === 0 && $("upload-problem").hidden && $("upload-warning").hidden;
      if (wasHidden && !tray.hidden) setOpen(!phone.matches);
      const percent = renderTotal(files, Date.now());
      $("upload-files").replaceChildren(...files.map(fileLine));
      $("upload-clear").hidden = !files.some((file) => file.progress.uploadComplete);
      const milestone = Math.floor(percent / 25) * 25;
      if (tray.dataset.state === "uploading" && milestone !== lastAnnounced && milestone < 100) {
        lastAnnounced = milestone;
        live.textContent = say(gettext("Uploading: %(percent)s done."), { percent: percentOf(percent) });
      }
    }

    const schedule = () => {
      if (!timer) timer = setTimeout(render, 300);
    };
    $("upload-clear").addEventListener("click", () => {
      uppy.getFiles().filter((file) => file.progress.uploadComplete).forEach((file) => uppy.removeFile(file.id));
      render();
    });

    return {
      render,
      schedule,
      open: () => setOpen(true),
      started() {
        lastAnnounced = -1;
        samples.length = 0;
        tray.dataset.state = "uploading";
        schedule();
      },
      finished(ok, failed) {
        render();
        tray.dataset.state = failed ? "failed" : "done";
        live.textContent = say(failed
          ? ngettext("%(ok)s file uploaded, %(failed)s failed.", "%(ok)s files uploaded, %(failed)s failed.", ok)
          : ngettext("%(ok)s file uploaded.", "%(ok)s files uploaded.", ok), { ok, failed });
      },
      say(text) {
        $("upload-notice").textContent = text;
        $("upload-notice").hidden = !text;
      },
    };
  }

  window.UploadTray = { create, human };
})();
