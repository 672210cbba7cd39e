// Disclosure menus in the header: "Menu" (the whole navigation, on phones) and "Admin".
// A button with aria-expanded opens its panel (aria-controls); Escape closes the innermost open one
// and puts the focus back on its button; a click or the focus elsewhere closes it. Without this
// script nothing is folded (console.css folds only under html.js): every link shows.
(function () {
  "use strict"; // i18n: not shown (a directive)

  const openButtons = () => Array.from(document.querySelectorAll('button[data-menu][aria-expanded="true"]'));
  const setOpen = (button, open) => button.setAttribute("aria-expanded", String(open));
  // A menu is its button's parent: the button and its panel.
  const within = (button, node) => button.parentElement.contains(node);

  function closeAllBut(node) {
    openButtons().forEach((button) => {
      if (!within(button, node)) setOpen(button, false);
    });
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-menu]");
    if (button) setOpen(button, button.getAttribute("aria-expanded") !== "true");
    closeAllBut(event.target);
  });

  document.addEventListener("focusin", (event) => closeAllBut(event.target));

  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return; // i18n: not shown (a key's name)
    const open = openButtons();
    if (!open.length) return;
    const holdingFocus = open.filter((button) => within(button, document.activeElement));
    // Nested menus come later in the document: the last one is the innermost.
    const button = (holdingFocus.length ? holdingFocus : open).at(-1);
    setOpen(button, false);
    button.focus();
  });
})();
