// Copy-to-clipboard buttons: <button class="copy-button" data-copy-from="input-id">.
(function () {
  "use strict";
  document.addEventListener("click", async (event) => {
    const button = event.target.closest(".copy-button");
    if (!button) return;
    const source = document.getElementById(button.dataset.copyFrom);
    const status = button.nextElementSibling;
    try {
      await navigator.clipboard.writeText(source.value);
      if (status) status.textContent = "Copied.";
    } catch (error) {
      source.select();  // clipboard refused (insecure origin): leave it selected for Ctrl+C
      if (status) status.textContent = "Press Ctrl+C to copy.";
    }
  });
})();
