// The file manager's small helpers: select rows, name the copy-or-move button (sorting is the server's: links).
// Everything works without this script, less comfortably.
(function () {
  "use strict"; // i18n: not shown (a directive)

  // --- selecting files and folders for "Copy or move selected" and "Delete selected" ---

  function updateSelection() {
    const boxes = document.querySelectorAll('input[name="key"][form="selection"]');
    const checked = Array.from(boxes).filter((box) => box.checked).length;
    document.querySelectorAll("[data-needs-selection]").forEach((button) => {
      button.disabled = checked === 0;
      // the label comes translated from the page; the count follows it in every language
      button.textContent = checked
        ? interpolate(gettext("%(label)s (%(count)s)"), { label: button.dataset.label, count: checked }, true)
        : button.dataset.label;
    });
    // On a phone the selection's actions show only while something is ticked, fixed where the thumb is not.
    document.querySelectorAll(".listing-tools").forEach((tools) => {
      tools.classList.add("js-selection");
      tools.classList.toggle("has-selection", checked > 0);
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
    if (button && chosen) {
      button.textContent = chosen.value === "move" ? pgettext("operation", "Move") : pgettext("operation", "Copy");
    }
  }

  document.addEventListener("change", (event) => {
    if (event.target.matches('input[name="op"]')) updateTransferButton();
  });
  document.addEventListener("DOMContentLoaded", updateTransferButton);
})();
