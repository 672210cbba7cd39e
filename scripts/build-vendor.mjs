// Bundle Uppy and client-zip (installed by `npm ci`, pinned in package-lock.json) into static/vendor/.
// Run by `make vendor`, which `make run` and `make test` depend on.
import { build } from "esbuild";
import wabt from "wabt";
import { mkdirSync, readFileSync } from "node:fs";
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
// client-zip for the zip download's service worker (static/js/zip_worker.js loads it with importScripts):
// a classic script defining the global `ClientZip`, its byte-at-a-time CRC-32 replaced by scripts/crc32.mjs,
// which carries scripts/crc32.wat compiled here (wabt, pinned in package-lock.json) as its WebAssembly bytes.
// The build fails if client-zip's CRC function is not found as written (another client-zip version): look again.
const CLIENT_ZIP_CRC = "function y(e,n=0){n=~n;for(var t=0,i=e.length;t<i;t++)n=n>>>8^l[255&n^e[t]];return~n>>>0}";
const fasterCrc = {
  name: "client-zip-crc32",
  setup(b) {
    b.onLoad({ filter: /client-zip[\\/]index\.js$/ }, (args) => {
      const source = readFileSync(args.path, "utf8");
      if (!source.includes(CLIENT_ZIP_CRC)) throw new Error(`client-zip's CRC-32 was not found in ${args.path}`);
      const crc = JSON.stringify(join(root, "scripts", "crc32.mjs"));
      return {
        contents: `import { crc32 } from ${crc};\n` +
          source.replace(CLIENT_ZIP_CRC, "function y(e,n=0){return crc32(e,n)}"),
        loader: "js",
      };
    });
  },
};
const { parseWat } = await wabt();
const wat = {
  name: "wat",
  setup(b) {
    b.onLoad({ filter: /\.wat$/ }, (args) => {
      const module = parseWat(args.path, readFileSync(args.path, "utf8"));
      try {
        module.validate();
        return { contents: module.toBinary({}).buffer, loader: "binary" };
      } finally {
        module.destroy();
      }
    });
  },
};
await build({
  ...common,
  plugins: [fasterCrc, wat],
  entryPoints: [join(root, "node_modules", "client-zip", "index.js")],
  outfile: join(out, "client-zip.js"),
  format: "iife",
  globalName: "ClientZip",
  target: ["es2020"],
});
console.log(`built ${out}/uppy.js and client-zip.js`);
