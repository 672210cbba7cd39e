"""The zip download's CRC-32s are right: zips made by the bundled client-zip (static/vendor/client-zip.js, by Node).

The bundle computes CRC-32 with scripts/crc32.wat (WebAssembly) in a worker and with scripts/crc32.mjs's JavaScript
elsewhere, or where WebAssembly is refused (a CSP without 'wasm-unsafe-eval'). Each way, files fed as streams of
chunks of awkward sizes are zipped, and Python's zipfile checks every member's CRC against its bytes (and zlib).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest

BUNDLE = Path(__file__).resolve().parents[4] / "static" / "vendor" / "client-zip.js"
KiB, MiB = 1024, 1024 * 1024
RUN = """
const fs = require("fs");
const [bundle, spec, out, mode] = process.argv.slice(1);
if (mode !== "page") globalThis.WorkerGlobalScope = function WorkerGlobalScope() {};
const Real = WebAssembly.Module;
let compiled = 0;
WebAssembly.Module = function Module(bytes) {
  if (mode === "refused") throw new WebAssembly.CompileError("Refused to compile: no 'wasm-unsafe-eval'");
  compiled += 1;
  return new Real(bytes);
};
(0, eval)(fs.readFileSync(bundle, "utf8"));
function chunked(data, sizes) {
  let at = 0, n = 0;
  return new ReadableStream({ pull(controller) {
    if (at >= data.length) return controller.close();
    const size = sizes[n++ % sizes.length];
    controller.enqueue(data.subarray(at, at + size));
    at += size;
  } });
}
(async () => {
  const files = JSON.parse(fs.readFileSync(spec, "utf8")).map(({ name, path, chunks }) => {
    const data = new Uint8Array(fs.readFileSync(path));
    return { name, input: chunked(data, chunks), size: data.length };
  });
  fs.writeFileSync(out, new Uint8Array(await ClientZip.downloadZip(files).arrayBuffer()));
  console.log(JSON.stringify({ compiled }));
})();
"""

# (name, bytes, chunk sizes): the JavaScript-only sizes, the edges of the module's 1 MiB window, and 10 MiB.
SPECS = [
    ("check.txt", b"123456789", [9]),  # the standard check value 0xCBF43926
    ("empty.bin", b"", [1]),
    ("ones.bin", b"\xff" * 4099, [255, 256, 257, 4096]),
    ("window.bin", os.urandom(3 * MiB + 17), [MiB - 1, MiB, MiB + 1, 15, 16 * KiB]),
    ("random.bin", os.urandom(10 * MiB + 3), [64 * KiB, 7, 1000 * KiB + 9, 2 * MiB + 5]),
]


def zipped(tmp_path: Path, mode: str) -> tuple[zipfile.ZipFile, int]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: it builds static/vendor (make vendor) and runs this test", pytrace=False)
    spec = []
    for name, data, chunks in SPECS:
        (tmp_path / name).write_bytes(data)
        spec.append({"name": name, "path": str(tmp_path / name), "chunks": chunks})
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    out = tmp_path / "out.zip"
    done = subprocess.run([node, "-e", RUN, str(BUNDLE), str(tmp_path / "spec.json"), str(out), mode],
                          capture_output=True, text=True, check=True)
    return zipfile.ZipFile(io.BytesIO(out.read_bytes())), json.loads(done.stdout)["compiled"]


def assert_every_crc_right(archive: zipfile.ZipFile) -> None:
    assert archive.testzip() is None  # zipfile reads each member and checks its CRC
    for name, data, _ in SPECS:
        stored = archive.getinfo(name).CRC
        assert stored == zlib.crc32(data), name
        assert archive.read(name) == data
    assert archive.getinfo("check.txt").CRC == 0xCBF43926


def test_it_computes_the_crc_in_webassembly_in_a_worker(tmp_path):
    archive, compiled = zipped(tmp_path, "worker")
    assert compiled == 1, "the worker compiles crc32.wat once"
    assert_every_crc_right(archive)


def test_it_computes_the_crc_in_javascript_where_webassembly_is_refused(tmp_path):
    archive, compiled = zipped(tmp_path, "refused")
    assert compiled == 0
    assert_every_crc_right(archive)


def test_a_page_never_compiles_webassembly(tmp_path):
    archive, compiled = zipped(tmp_path, "page")
    assert compiled == 0, "the page's CSP would refuse it and report a violation"
    assert_every_crc_right(archive)
