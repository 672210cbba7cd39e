// Loaded in <head>, before the stylesheet and the first paint (the CSP allows no inline script):
// the `js` class lets the stylesheet fold the menus that static/js/menus.js opens, and the theme
// remembered by the header's toggle is applied now, so a page never flashes in the other theme.
// Without a remembered choice the page follows the system's colour scheme (console.css).
(function () {
  "use strict";
  const root = document.documentElement;
  const KEY = "theme";
  const systemDark = window.matchMedia("(prefers-color-scheme: dark)");
  root.classList.add("js");

  function remembered() {
    try {
      return localStorage.getItem(KEY);
    } catch (error) {
      return null; // storage refused (privacy settings): follow the system
    }
  }

  function apply(theme) {
    if (theme === "dark" || theme === "light") root.dataset.theme = theme;
    else delete root.dataset.theme;
  }

  const isDark = () => (root.dataset.theme ? root.dataset.theme === "dark" : systemDark.matches);

  function showState() {
    document.querySelectorAll("[data-theme-toggle]").forEach((button) => {
      button.setAttribute("aria-pressed", String(isDark()));
    });
  }

  apply(remembered());
  document.addEventListener("DOMContentLoaded", showState);
  systemDark.addEventListener("change", showState);
  window.addEventListener("storage", (event) => {
    if (event.key === KEY) { apply(event.newValue); showState(); } // chosen in another tab
  });
  document.addEventListener("click", (event) => {
    if (!event.target.closest("[data-theme-toggle]")) return;
    const theme = isDark() ? "light" : "dark";
    apply(theme);
    try {
      localStorage.setItem(KEY, theme);
    } catch (error) {
      // not remembered, but this page still switches
    }
    showState();
  });
})();
