// Bundle Uppy and client-zip (installed by `npm ci`, pinned in package-lock.json) into static/vendor/.
// Run by `make vendor`, which `make run` and `make test` depend on.
import { build } from "esbuild";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "static", "vendor");
mkdirSync(out, { recursive: true });

const common = { bundle: true, minify: true, logLevel: "warning", legalComments: "linked" };
await build({
  ...common,
  entryPoints: [join(root, "scripts", "uppy-entry.js")],
  outfile: join(out, "uppy.js"),
  format: "iife",
  globalName: "Uppy",
  target: ["es2020"],
});
await build({
  ...common,
  entryPoints: [join(root, "scripts", "uppy-entry.css")],
  outfile: join(out, "uppy.css"),
});
// client-zip for the zip download's service worker (static/js/zip_worker.js loads it with importScripts):
// a classic script defining the global `ClientZip`.
await build({
  ...common,
  entryPoints: [join(root, "node_modules", "client-zip", "index.js")],
  outfile: join(out, "client-zip.js"),
  format: "iife",
  globalName: "ClientZip",
  target: ["es2020"],
});
console.log(`built ${out}/uppy.js, uppy.css and client-zip.js`);
