"""The zip worker's names (static/js/zip_worker.js, run by Node): no entry of the zip overwrites another when extracted.

Keys that clean to the same path ("a//b" beside "a/b" on a storage that keeps both), or a file beside a folder of
the same name ("a" and "a/b": S3 holds both, a disk cannot), get " (2)" before the extension.
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
const context = { self: { location: { href: "https://console.test/static/js/zip_worker.js?lib=x&pages=y" },
                          addEventListener() {} }, importScripts() {}, URL };
vm.createContext(context);
vm.runInContext(require("fs").readFileSync(process.argv[1], "utf8"), context);
const names = context.uniqueNames();
console.log(JSON.stringify(JSON.parse(process.argv[2]).map(names)));
"""


def named(paths: list[str]) -> list[str]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: it builds static/vendor (make vendor) and runs this test", pytrace=False)
    done = subprocess.run([node, "-e", RUN, str(WORKER), json.dumps(paths)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_a_name_given_twice_gets_a_number_before_its_extension():
    assert named(["a/b.txt", "a/b.txt", "a/b.txt", "c"]) == ["a/b.txt", "a/b (2).txt", "a/b (3).txt", "c"]


def test_a_folder_named_like_a_file_before_it_is_renamed_with_all_it_holds():
    assert named(["x/a", "x/a/b.txt", "x/a/c/d.txt"]) == ["x/a", "x/a (2)/b.txt", "x/a (2)/c/d.txt"]


def test_a_file_named_like_a_folder_before_it_is_renamed():
    assert named(["x/a/b.txt", "x/a", "x/a/"]) == ["x/a/b.txt", "x/a (2)", "x/a/"]


def test_distinct_names_are_kept_as_they_are():
    paths = ["été/ü.txt", "été/v.txt", "empty/", "b.tar.gz", ".hidden"]
    assert named(paths) == paths
