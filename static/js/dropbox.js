// Drop-box links: ask the console for a POST policy per file, then post the file straight to S3.
(function () {
  "use strict";
  const box = document.getElementById("dropbox");
  if (!box) return;
  const input = document.getElementById("dropbox-files");
  const list = document.getElementById("dropbox-status");
  const say = (text, values) => interpolate(text, values, true);
  const percent = new Intl.NumberFormat(document.documentElement.lang || undefined, { style: "percent" });

  // The file name sits in its own <bdi>: a name with a right-to-left mark cannot turn the rest of the line around.
  function show(item, name, text, state) {
    const label = document.createElement("bdi");
    label.textContent = name;
    item.replaceChildren(label, document.createTextNode(pgettext("after a file name, before its state", ": ") + text));
    item.className = state || "";
  }

  function line(name, text) {
    const item = document.createElement("li");
    show(item, name, text);
    list.appendChild(item);
    return item;
  }

  async function consoleCall(url, body) {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": box.dataset.csrf },
      body: JSON.stringify(body),
      credentials: "same-origin",
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(answer.error || say(gettext("The console refused (%(status)s)."), { status: response.status }));
    return answer;
  }

  function postToStorage(policy, file, item) {
    return new Promise((resolve, reject) => {
      const form = new FormData();
      Object.entries(policy.fields).forEach(([name, value]) => form.append(name, value));
      // The storage keeps the type of the file part: send the type the policy pinned, not the browser's guess.
      const type = policy.fields["Content-Type"] || "application/octet-stream";
      form.append("file", new Blob([file], { type: type }), file.name);
      const request = new XMLHttpRequest();  // no CSRF header: this goes to S3, not the console
      request.open("POST", policy.url);
      request.upload.onprogress = (event) => {
        if (event.lengthComputable) show(item, file.name, percent.format(Math.round(100 * event.loaded / event.total) / 100));
      };
      request.onload = () => (request.status < 300 ? resolve()
        : reject(new Error(say(gettext("Storage refused the file (%(status)s)."), { status: request.status }))));
      request.onerror = () => reject(new Error(gettext("The upload did not reach the storage.")));
      request.send(form);
    });
  }

  async function send(file) {
    const item = line(file.name, gettext("starting"));
    try {
      const policy = await consoleCall(box.dataset.policyUrl, { filename: file.name, size: file.size });
      await postToStorage(policy, file, item);
      await consoleCall(box.dataset.doneUrl, { key: policy.key });
      show(item, file.name, pgettext("upload state", "uploaded"), "ok");
    } catch (error) {
      show(item, file.name, error.message, "error");
    }
  }

  document.getElementById("dropbox-send").addEventListener("click", async () => {
    for (const file of input.files) await send(file);
  });
})();
