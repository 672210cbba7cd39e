// The connection form: the kind chosen shows its own fields (a local folder has no endpoint, bucket or keys),
// and "Use TLS" follows the endpoint's scheme as it is typed (https:// ticks it, http://
// unticks it). The server applies the same rule when the form is saved (console/connections/forms.py).
(function () {
  "use strict";
  document.addEventListener("input", (event) => {
    if (!event.target.matches("#connection-form [name=endpoint]")) return;
    const box = event.target.form.elements.namedItem("use_ssl");
    const scheme = /^\s*(https?):\/\//i.exec(event.target.value);
    if (box && scheme) box.checked = scheme[1].toLowerCase() === "https";
  });
  document.addEventListener("change", (event) => {
    if (!event.target.matches("#connection-form [name=kind]")) return;
    event.target.form.querySelectorAll("[data-kind]").forEach((part) => {
      part.hidden = part.dataset.kind !== event.target.value;
    });
  });
})();
