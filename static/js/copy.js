// Copy buttons (issue #16 item 14): <button data-copy-from="element-id"> copies that field's value (or text);
// <button data-copy="text" data-copy-label="key"> copies its own text. The button's status (the next
// .copy-status, else #copy-status) is aria-live, so a screen reader hears "Copied." When the browser refuses
// the clipboard (an insecure origin, a denied permission), the field's text is selected for Ctrl+C instead.
(function () {
  "use strict"; // i18n: not shown (a directive)

  function statusFor(button) {
    const next = button.nextElementSibling;
    return next && next.classList.contains("copy-status") ? next : document.getElementById("copy-status");
  }

  function select(source) {
    if (!source) return false;
    if (typeof source.select === "function") {
      source.focus();
      source.select();
    } else {
      const range = document.createRange();
      range.selectNodeContents(source);
      window.getSelection().removeAllRanges();
      window.getSelection().addRange(range);
    }
    return true;
  }

  document.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-copy], button[data-copy-from]");
    if (!button) return;
    const source = button.dataset.copyFrom ? document.getElementById(button.dataset.copyFrom) : null;
    const text = source ? (source.value ?? source.textContent) : button.dataset.copy;
    const status = statusFor(button);
    const label = button.dataset.copyLabel;
    try {
      await navigator.clipboard.writeText(text);
      // the label comes translated from the page ("key", "link")
      if (status) status.textContent = label ? interpolate(gettext("Copied the %(what)s."), { what: label }, true) : gettext("Copied.");
    } catch (error) {
      if (source || !status) {
        select(source);
        if (status) status.textContent = gettext("Your browser did not allow copying: the text is selected, press Ctrl+C (⌘C on a Mac).");
        return;
      }
      // Nothing on the page holds the text: show it in the status, selected.
      const shown = document.createElement("code");
      shown.textContent = text;
      status.replaceChildren(gettext("Your browser did not allow copying: press Ctrl+C (⌘C on a Mac) to copy "), shown);
      select(shown);
    }
  });
})();
