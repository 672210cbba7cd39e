// The file manager's small helpers: sort loaded rows, select rows, name the copy-or-move button.
// Everything works without this script, less comfortably.
(function () {
  "use strict";

  // --- sorting the rows already loaded (folders stay first, "load more" stays last) ---

  const compare = {
    name: (a, b) => a.dataset.name.localeCompare(b.dataset.name),
    size: (a, b) => Number(a.dataset.size) - Number(b.dataset.size),
    modified: (a, b) => (a.dataset.modified || "").localeCompare(b.dataset.modified || ""),
  };

  function sortRows(table, field, button) {
    const th = button.closest("th");
    const ascending = th.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("thead th").forEach((cell) => cell.removeAttribute("aria-sort"));
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    const body = table.tBodies[0];
    const rows = Array.from(body.rows);
    const group = (row) => ({ folder: 0, file: 1, more: 2 })[row.dataset.kind] ?? 1;
    rows.sort((a, b) => {
      if (group(a) !== group(b)) return group(a) - group(b);
      const order = compare[field](a, b);
      return ascending ? order : -order;
    });
    rows.forEach((row) => body.appendChild(row));
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-sort]");
    const table = button && button.closest("table[data-sortable]");
    if (table) sortRows(table, button.dataset.sort, button);
  });

  // --- selecting files and folders for "Copy or move selected" and "Delete selected" ---

  function updateSelection() {
    const boxes = document.querySelectorAll('input[name="key"][form="selection"]');
    const checked = Array.from(boxes).filter((box) => box.checked).length;
    document.querySelectorAll("[data-needs-selection]").forEach((button) => {
      button.disabled = checked === 0;
      button.textContent = checked ? `${button.dataset.label} (${checked})` : button.dataset.label;
    });
    const all = document.querySelector("[data-select-all]");
    if (all) {
      all.checked = checked > 0 && checked === boxes.length;
      all.indeterminate = checked > 0 && checked < boxes.length;
    }
  }

  document.addEventListener("change", (event) => {
    if (event.target.matches("[data-select-all]")) {
      document.querySelectorAll('input[name="key"][form="selection"]').forEach((box) => {
        box.checked = event.target.checked;
      });
    }
    if (event.target.matches('[data-select-all], input[name="key"][form="selection"]')) updateSelection();
  });
  document.addEventListener("htmx:afterSettle", updateSelection);
  document.addEventListener("DOMContentLoaded", updateSelection);

  // --- the copy-or-move form: its button says which ---

  function updateTransferButton() {
    const button = document.querySelector("[data-transfer-submit]");
    const chosen = document.querySelector('input[name="op"]:checked');
    if (button && chosen) button.textContent = chosen.value === "move" ? "Move" : "Copy";
  }

  document.addEventListener("change", (event) => {
    if (event.target.matches('input[name="op"]')) updateTransferButton();
  });
  document.addEventListener("DOMContentLoaded", updateTransferButton);
})();
