"""The zip's names (static/js/zip_pages.js, run by Node; the worker and the in-memory fallback both use them): no entry of the zip overwrites another when extracted.

Keys that clean to the same path ("a//b" beside "a/b" on a storage that keeps both), or a file beside a folder of
the same name ("a" and "a/b": S3 holds both, a disk cannot), get " (2)" before the extension.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

PAGES = Path(__file__).resolve().parents[4] / "static" / "js" / "zip_pages.js"
RUN = """
const vm = require("vm");
const context = { self: {} };
vm.createContext(context);
vm.runInContext(require("fs").readFileSync(process.argv[1], "utf8"), context);
const names = context.self.zipUniqueNames();
console.log(JSON.stringify(JSON.parse(process.argv[2]).map(names)));
"""


def named(paths: list[str]) -> list[str]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: it builds static/vendor (make vendor) and runs this test", pytrace=False)
    done = subprocess.run([node, "-e", RUN, str(PAGES), json.dumps(paths)], capture_output=True, text=True, check=True)
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


def test_names_differing_only_in_case_do_not_overwrite_on_windows_or_macos():
    # Windows and macOS disks ignore case: "Report.pdf" extracted after "report.pdf" would replace it;
    # "A/" is the folder "a/" there, so it goes by the name first seen
    assert named(["a/report.pdf", "a/Report.pdf", "A/REPORT.pdf"]) == ["a/report.pdf", "a/Report (2).pdf",
                                                                        "a/REPORT (3).pdf"]


def test_a_file_and_a_folder_differing_only_in_case_do_not_collide():
    assert named(["x/notes", "x/Notes/a.txt"]) == ["x/notes", "x/Notes (2)/a.txt"]


def test_names_differing_only_in_unicode_normalisation_do_not_overwrite_on_macos():
    # "é" as one code point and as "e" + combining accent: macOS stores both as the same name
    assert named(["caf\u00e9.txt", "cafe\u0301.txt"]) == ["caf\u00e9.txt", "cafe\u0301 (2).txt"]
