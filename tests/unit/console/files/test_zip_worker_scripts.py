"""The zip worker imports only this site's scripts, whatever its address says (static/js/zip_worker.js, by Node).

Its address names the scripts it imports (`lib`, `pages`: hashed static URLs in production). A script that
once ran on the console's pages (say, through a flaw elsewhere) could otherwise register the worker with
`lib=https://elsewhere/x.js` and keep its own code in the browser, serving /static/js/, long after.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

WORKER = Path(__file__).resolve().parents[4] / "static" / "js" / "zip_worker.js"
RUN = """
const vm = require("vm");
const imported = [];
const context = { self: { location: { href: process.argv[2] }, addEventListener() {} },
                  importScripts: (...urls) => imported.push(...urls), URL };
vm.createContext(context);
try {
  vm.runInContext(require("fs").readFileSync(process.argv[1], "utf8"), context);
} catch (error) {
  imported.push("refused");
}
console.log(JSON.stringify(imported));
"""


def imported(address: str) -> list[str]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: it builds static/vendor (make vendor) and runs this test", pytrace=False)
    done = subprocess.run([node, "-e", RUN, str(WORKER), address], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_it_imports_the_site_s_own_scripts():
    assert imported("https://console.test/static/js/zip_worker.js?lib=/static/vendor/client-zip.abc.js"
                    "&pages=/static/js/zip_pages.def.js") == [
        "https://console.test/static/vendor/client-zip.abc.js", "https://console.test/static/js/zip_pages.def.js"]


@pytest.mark.parametrize("lib", ["https://elsewhere.test/x.js", "//elsewhere.test/x.js", "data:text/javascript,1",
                                 "blob:https://console.test/1234"])
def test_it_refuses_a_script_from_anywhere_else(lib):
    address = f"https://console.test/static/js/zip_worker.js?lib={lib}&pages=/static/js/zip_pages.js"
    assert imported(address) == ["refused"]
