// The header's language switcher: back to the page the person is on now. Its `next` was written when the
// page loaded; htmx may since have swapped a region and pushed another address (a folder opened), so the
// address is read when the form is sent.
(function () {
  "use strict";
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains("language-switch")) return;
    const next = form.elements.namedItem("next");
    if (next) next.value = window.location.pathname + window.location.search;
  });
})();
