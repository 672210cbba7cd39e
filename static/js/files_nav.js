// Navigation inside the file manager: folder links and the breadcrumb swap only #files-region (htmx,
// real hrefs, pushed URLs, Back and Forward), so the upload tray outside it and its uploads keep running.
// This script only tidies up after a swap; without it (or without htmx) the links load whole pages.
(function () {
  "use strict"; // i18n: not shown (a directive)

  function settled() {
    const page = document.getElementById("files-page");
    if (!page) return;
    // a folder that takes uploads, reached from one that did not: the uploader was never loaded here
    if (page.dataset.canUpload === "true" && !document.getElementById("upload")) {
      window.location.reload();
      return;
    }
    const heading = page.querySelector("h1");
    if (heading) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true }); // a screen reader hears where it now is
    }
  }

  // Back and Forward ask the server again: a cached copy would miss what an upload added meanwhile
  if (window.htmx) window.htmx.config.historyCacheSize = 0;

  document.addEventListener("htmx:afterSettle", (event) => {
    if (event.detail.target && event.detail.target.id === "files-region") settled();
  });
  document.addEventListener("htmx:historyRestore", settled);
})();
