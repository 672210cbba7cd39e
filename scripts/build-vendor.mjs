// Bundle Uppy, client-zip and hash-wasm (installed by `npm ci`, pinned in package-lock.json) into static/vendor/.
// Run by `make vendor`, which `make run` and `make test` depend on.
import { build } from "esbuild";
import wabt from "wabt";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
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
// hash-wasm's SHA-256 for instant uploads: a classic script defining the global `HashWasm` with `createSHA256`
// only (its WebAssembly inlined), loaded by static/js/upload_hash_worker.js with importScripts.
await build({
  ...common,
  stdin: { contents: 'export { createSHA256 } from "hash-wasm";\n', resolveDir: root, loader: "js" },
  outfile: join(out, "hash-wasm.js"),
  format: "iife",
  globalName: "HashWasm",
  target: ["es2020"],
});
// Uppy's own texts (a file it refuses, say) in each language the console has a catalog for: one small
// uppy-locale-<language>.js per directory under locale/ (and English), named by Django's language code
// (zh_Hans -> zh-hans, as <html lang>), each adding window.UppyLocales[<language>] for static/js/uploader.js.
// A catalog's @uppy/locales file: a known alias, the same name, the first of its language, else English.
const UPPY_LOCALE_ALIASES = { zh_Hans: "zh_CN", zh_Hant: "zh_TW" };
const uppyLocales = join(root, "node_modules", "@uppy", "locales", "lib");
const available = readdirSync(uppyLocales).filter((name) => /^[a-z]{2}_[A-Z]{2}\.js$/.test(name))
  .map((name) => name.slice(0, -3));

function uppyLocaleFor(catalog) {
  const language = catalog.split(/[_-]/)[0].toLowerCase();
  return [UPPY_LOCALE_ALIASES[catalog], catalog].find((name) => available.includes(name))
    || available.find((name) => name.startsWith(`${language}_`)) || "en_US";
}

const djangoLanguage = (catalog) => catalog.toLowerCase().replace("_", "-"); // django.utils.translation.to_language
const catalogs = existsSync(join(root, "locale"))
  ? readdirSync(join(root, "locale"), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, "locale", entry.name, "LC_MESSAGES")))
    .map((entry) => entry.name)
  : [];
for (const catalog of ["en", ...catalogs]) {
  const language = djangoLanguage(catalog);
  const source = uppyLocaleFor(catalog);
  await build({
    ...common,
    stdin: {
      contents: `import locale from "@uppy/locales/lib/${source}.js";\n` +
        `(window.UppyLocales = window.UppyLocales || {})[${JSON.stringify(language)}] = locale;\n`,
      resolveDir: root,
      loader: "js",
    },
    // the locale file registers itself on a global Uppy that has `locales`; ours (the bundle above) has none
    define: { Uppy: "undefined" },
    outfile: join(out, `uppy-locale-${language}.js`),
    format: "iife",
    target: ["es2020"],
  });
}
console.log(`built ${out}/uppy.js, client-zip.js, hash-wasm.js and Uppy's texts for ${["en", ...catalogs].join(", ")}`);
