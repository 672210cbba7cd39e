// How files reach the uploader: the toolbar's "Upload files" / "Upload a folder" buttons (and the tray's
// "Pick … again"), or a drop anywhere on the file list. Folders keep their structure: each file carries its
// path below the dropped or picked folder ("photos/2024/a.jpg"), the same path either way, so a file picked
// again after a reload is recognised (Uppy's file id is made of name, type, path, size and modification time).
(function () {
  "use strict";

  const stripSlash = (path) => (path || "").replace(/^\/+/, "");
  const withPath = (file, path) => ({ file, relativePath: path.includes("/") ? path : null });

  // --- a dropped folder: walk its entries (readEntries answers in batches of up to 100) ---

  function readAll(reader) {
    return new Promise((resolve, reject) => {
      const entries = [];
      const next = () =>
        reader.readEntries((batch) => {
          if (!batch.length) resolve(entries);
          else {
            entries.push(...batch);
            next();
          }
        }, reject);
      next();
    });
  }

  async function walk(entry, found) {
    if (entry.isFile) {
      const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
      found.push(withPath(file, stripSlash(entry.fullPath)));
    } else if (entry.isDirectory) {
      for (const child of await readAll(entry.createReader())) await walk(child, found);
    }
  }

  async function droppedFiles(dataTransfer) {
    const entries = Array.from(dataTransfer.items || [])
      .filter((item) => item.kind === "file")
      .map((item) => (item.webkitGetAsEntry ? item.webkitGetAsEntry() : null));
    if (!entries.length || entries.some((entry) => !entry)) {
      return Array.from(dataTransfer.files || []).map((file) => withPath(file, file.name));
    }
    const found = [];
    for (const entry of entries) await walk(entry, found);
    return found;
  }

  const carriesFiles = (event) => Array.from(event.dataTransfer?.types || []).includes("Files"); // i18n: not shown (a drag's data type)

  /**
   * Wire the pickers and the drop zone. `accept(files)` gets [{file, relativePath}] for the folder shown now;
   * `canDrop()` says whether this folder takes uploads; `folderLabel()` names it in the drop overlay.
   */
  function attach({ accept, canDrop, folderLabel }) {
    const inputs = { files: document.getElementById("upload-pick-files"), folder: document.getElementById("upload-pick-folder") };
    Object.values(inputs).forEach((input) =>
      input.addEventListener("change", () => {
        const files = Array.from(input.files || []).map((file) => withPath(file, file.webkitRelativePath || file.name));
        input.value = ""; // picking the same file twice still fires "change"
        if (files.length) accept(files);
      }),
    );
    document.addEventListener("click", (event) => {
      const button = event.target.closest("[data-upload-pick]");
      if (button) inputs[button.dataset.uploadPick]?.click();
    });

    const overlay = document.getElementById("upload-drop");
    let depth = 0;
    const zone = () => document.getElementById("files-region");
    const inZone = (event) => zone() && zone().contains(event.target) && canDrop();
    const hide = () => {
      depth = 0;
      overlay.hidden = true;
    };
    document.addEventListener("dragenter", (event) => {
      if (!carriesFiles(event) || !inZone(event)) return;
      depth += 1;
      document.getElementById("upload-drop-text").textContent = interpolate(gettext("Drop to upload into %(folder)s"),
        { folder: folderLabel() }, true);
      overlay.hidden = false;
    });
    document.addEventListener("dragleave", (event) => {
      if (carriesFiles(event) && inZone(event) && --depth <= 0) hide();
    });
    document.addEventListener("dragover", (event) => {
      if (!carriesFiles(event) || !inZone(event)) return;
      event.preventDefault(); // allow the drop
      event.dataTransfer.dropEffect = "copy";
    });
    document.addEventListener("drop", async (event) => {
      if (!carriesFiles(event) || !inZone(event)) return;
      event.preventDefault();
      hide();
      const files = await droppedFiles(event.dataTransfer);
      if (files.length) accept(files);
    });
    window.addEventListener("dragend", hide);
  }

  window.UploadPick = { attach };
})();
