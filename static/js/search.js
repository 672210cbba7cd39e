// Search below a folder: reads the server's NDJSON stream (one line per listing page) and shows the
// results as they arrive, with a live count; Cancel aborts the fetch, which stops the server's listing.
// Key names come from anyone who may upload: they only ever reach the page as textContent, with their
// invisible characters written out (static/js/visible_text.js), and as encoded query values in links.
(function () {
  "use strict"; // i18n: not shown (a directive)

  const root = document.getElementById("search");
  if (!root) return;
  const form = root.querySelector("form");
  const input = form.querySelector('input[name="q"]');
  const cancel = document.getElementById("search-cancel");
  const status = document.getElementById("search-status");
  const results = root.querySelector(".search-results");
  const rows = document.getElementById("search-rows");
  const number = new Intl.NumberFormat(document.documentElement.lang || undefined);
  const formatted = (text, n) => interpolate(text, { n: number.format(n) }, true); // text: ngettext's, with %(n)s
  const STATUS_EVERY_MS = 1000; // a screen reader hears the count at most once a second while scanning
  let controller = null;

  const ENDINGS = {
    finished: gettext("Finished"),
    "scan-limit": formatted(ngettext("Stopped at the limit of %(n)s file scanned",
      "Stopped at the limit of %(n)s files scanned", Number(root.dataset.scanLimit)), Number(root.dataset.scanLimit)),
    "match-limit": formatted(ngettext("Stopped at the limit of %(n)s match", "Stopped at the limit of %(n)s matches",
      Number(root.dataset.matchLimit)), Number(root.dataset.matchLimit)),
    cancelled: gettext("Cancelled"),
    failed: gettext("Stopped by a storage error"),
  };

  function summary(progress, ending) {
    const found = formatted(ngettext("%(n)s match", "%(n)s matches", progress.found), progress.found);
    const scanned = formatted(ngettext("%(n)s file scanned", "%(n)s files scanned", progress.scanned), progress.scanned);
    if (!ending) return interpolate(gettext("Searching… %(found)s, %(scanned)s."), { found, scanned }, true);
    return interpolate(gettext("%(ending)s: %(found)s, %(scanned)s."), { ending, found, scanned }, true);
  }

  function link(href, text) {
    const a = document.createElement("a");
    a.href = href;
    a.textContent = window.visibleText(text); // invisible characters written out, as the server shows them
    return a;
  }

  function addRow(found) {
    const slash = found.key.lastIndexOf("/");
    const name = found.key.slice(slash + 1);
    const folder = found.key.slice(0, slash + 1);
    const tr = document.createElement("tr");
    const cells = [
      link(`${root.dataset.objectUrl}?key=${encodeURIComponent(found.key)}`, name),
      link(folder ? `${root.dataset.folderUrl}?prefix=${encodeURIComponent(folder)}` : root.dataset.folderUrl,
        folder || "/"),
      document.createTextNode(found.size),
      document.createTextNode(found.modified),
    ];
    const labels = ["", gettext("Folder"), gettext("Size"), gettext("Last modified")]; // before the cell on a phone (console.css)
    cells.forEach((content, i) => {
      const td = document.createElement("td");
      if (labels[i]) td.dataset.label = labels[i];
      if (i === 2) td.className = "size";
      if (i === 3) td.className = "modified";
      td.appendChild(content);
      tr.appendChild(td);
    });
    rows.appendChild(tr);
  }

  async function readLines(response, onLine) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffered = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffered += decoder.decode(value, { stream: true });
      const lines = buffered.split("\n");
      buffered = lines.pop();
      lines.filter((line) => line).forEach((line) => onLine(JSON.parse(line)));
    }
  }

  async function run(term) {
    if (controller) controller.abort();
    controller = new AbortController();
    const mine = controller;
    const progress = { scanned: 0, found: 0 };
    let ending = null;
    let told = 0;
    rows.replaceChildren();
    results.hidden = true;
    cancel.hidden = false;
    root.setAttribute("aria-busy", "true");
    status.textContent = summary(progress);
    const params = new URLSearchParams(new FormData(form));
    try {
      const response = await fetch(`${root.dataset.streamUrl}?${params}`, {
        signal: mine.signal, headers: { Accept: "application/x-ndjson" }, credentials: "same-origin",
      });
      if (!response.ok) {
        throw new Error(interpolate(gettext("The search could not start (HTTP %(status)s)."), { status: response.status }, true));
      }
      await readLines(response, (line) => {
        progress.scanned = line.scanned;
        progress.found = line.found;
        (line.rows || []).forEach(addRow);
        if (rows.rows.length) results.hidden = false;
        if (line.end) ending = ENDINGS[line.end] + (line.problem ? ` (${window.visibleText(line.problem)})` : "");
        if (Date.now() - told >= STATUS_EVERY_MS || line.end) {
          told = Date.now();
          status.textContent = summary(progress, ending);
        }
      });
      if (!ending) ending = gettext("The search was cut short");
    } catch (error) {
      ending = mine.signal.aborted ? ENDINGS.cancelled : window.visibleText(error.message);
    }
    if (controller !== mine) return; // a newer search took over the page
    controller = null;
    cancel.hidden = true;
    root.removeAttribute("aria-busy");
    status.textContent = summary(progress, ending);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const term = input.value.trim();
    if (!term) return;
    const url = new URL(window.location.href);
    url.searchParams.set("q", term);
    window.history.replaceState(null, "", url);
    run(term);
  });

  cancel.addEventListener("click", () => {
    if (controller) controller.abort();
    input.focus();
  });

  // A search in the address runs when the page opens. Not what the box holds: a term typed and submitted before
  // this script ran is already on its way as a page load, which runs it then (one search, not two).
  const asked = (new URLSearchParams(window.location.search).get("q") || "").trim();
  if (asked) run(asked);
})();
