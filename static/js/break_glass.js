// The break-glass link carries its code after "#": browsers never send that part to a server, so it is in no
// access log (gunicorn, nginx, runserver) nor in a Referer. Move it into the form, then out of the address bar.
(function () {
  "use strict";
  const field = document.getElementById("break-glass-code");
  const code = decodeURIComponent(window.location.hash.slice(1));
  if (!field || !code) return;
  field.value = code;
  window.history.replaceState(null, "", window.location.pathname + window.location.search);
})();
