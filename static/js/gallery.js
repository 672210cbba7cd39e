// The gallery's lightbox: a click on a thumbnail opens the picture in a <dialog>, with previous and next
// (buttons and arrow keys), Escape to close, focus kept inside and given back to the thumbnail on close.
// Without this script each thumbnail is a plain link to the file's page. Names go in with textContent only.
(function () {
  "use strict"; // i18n: not shown (a directive)

  let items = [];
  let index = 0;
  let opener = null;

  const dialog = () => document.getElementById("lightbox");
  // "3 of 12": where the picture shown is among the folder's pictures
  const counted = () => interpolate(gettext("%(n)s of %(total)s"), { n: index + 1, total: items.length }, true);

  function show(at) {
    const box = dialog();
    index = (at + items.length) % items.length;
    const link = items[index];
    const image = box.querySelector(".lightbox-image");
    image.removeAttribute("src"); // the old picture must not stay up under the new name while this one loads
    image.src = link.dataset.lightboxSrc;
    image.alt = link.dataset.lightboxName;
    box.querySelector(".lightbox-name").textContent = link.dataset.lightboxName;
    box.querySelector(".lightbox-count").textContent = counted();
    box.querySelector(".lightbox-page").href = link.href;
    box.querySelectorAll("[data-lightbox-step]").forEach((button) => { button.disabled = items.length < 2; });
  }

  const pictures = () => Array.from(document.querySelectorAll("#gallery-tiles a[data-lightbox-src]")); // i18n: not shown
  const same = (link) => (other) => other.dataset.lightboxSrc === link.dataset.lightboxSrc;

  function open(link) {
    items = pictures();
    opener = link;
    show(items.indexOf(link));
    dialog().showModal();
    dialog().querySelector("[data-lightbox-close]").focus();
  }

  function close() {
    const box = dialog();
    if (box && box.open) box.close();
  }

  // Tab and Shift+Tab go round the dialog's own controls, never out to the page or the browser's bar.
  function keepFocus(event, box) {
    const controls = Array.from(box.querySelectorAll("button:not(:disabled), a[href]"));
    const first = controls[0];
    const last = controls[controls.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      last.focus();
      event.preventDefault();
    } else if (!event.shiftKey && document.activeElement === last) {
      first.focus();
      event.preventDefault();
    }
  }

  document.addEventListener("click", (event) => {
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    const link = event.target.closest("#gallery-tiles a[data-lightbox-src]"); // i18n: not shown (a selector)
    if (link) {
      event.preventDefault();
      open(link);
      return;
    }
    const box = dialog();
    if (!box || !box.open) return;
    const step = event.target.closest("[data-lightbox-step]");
    if (step) show(index + Number(step.dataset.lightboxStep));
    else if (event.target.closest("[data-lightbox-close]")) close();
  });

  document.addEventListener("keydown", (event) => {
    const box = dialog();
    if (!box || !box.open) return;
    if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
      show(index + (event.key === "ArrowLeft" ? -1 : 1));
      event.preventDefault();
    } else if (event.key === "Tab") { // i18n: not shown (a key's name)
      keepFocus(event, box);
    }
  });

  // The listing refreshed under an open lightbox (files-changed: an upload batch or a job ending): the dialog
  // lives outside it and stays, keeping its focus; it steps through the new tiles from the picture shown.
  document.addEventListener("htmx:afterSettle", () => {
    const box = dialog();
    if (!box || !box.open || !items.length || items[index].isConnected) return;
    const shown = items[index];
    items = pictures();
    const at = items.findIndex(same(shown));
    if (at >= 0) index = at;
    else { // gone from the folder: still the one shown, where it was
      index = Math.min(index, items.length);
      items.splice(index, 0, shown);
    }
    box.querySelector(".lightbox-count").textContent = counted();
    if (opener && !opener.isConnected) opener = items.find((link) => link.isConnected && same(opener)(link)) || null;
  });

  // Escape closes a modal dialog by itself; whichever way it closes, focus goes back to the thumbnail.
  document.addEventListener("close", (event) => {
    if (event.target.id !== "lightbox") return;
    event.target.querySelector(".lightbox-image").removeAttribute("src");
    if (opener && opener.isConnected) opener.focus();
    opener = null;
  }, true);
})();
