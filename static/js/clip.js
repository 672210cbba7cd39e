// Values cut with an ellipsis (.clip, console.css) show their full text on hover and focus. Here those
// that fit are told apart (data-fits: no tooltip), and only a cut value that is not a link stays a tab stop.
(function () {
  "use strict"; // i18n: not shown (a directive)

  function measure() {
    document.querySelectorAll(".clip[data-full]").forEach((element) => {
      const fits = element.scrollWidth <= element.clientWidth;
      element.toggleAttribute("data-fits", fits);
      if (element.tagName !== "A") {
        if (fits) element.removeAttribute("tabindex");
        else element.setAttribute("tabindex", "0");
      }
    });
  }

  let pending = 0;
  function soon() {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(measure);
  }

  document.addEventListener("DOMContentLoaded", measure);
  document.addEventListener("htmx:afterSettle", soon);
  window.addEventListener("resize", soon);
})();
