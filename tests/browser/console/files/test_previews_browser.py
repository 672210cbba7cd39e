"""Previews of Markdown, CSV, JSON and code in Chromium: opened by clicks, nothing from the file runs or loads."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from storage.factory import get_gateway

SCREENS = Path(__file__).resolve().parents[4] / ".data" / "screens"

ATTACK_MD = b"""# Quarterly notes

Read [the plan](plan.md) or [the website](https://example.org/docs).

| Region | Total |
|:-------|------:|
| North  | 1,204 |
| South  |   877 |

```python
print("hello")
```

<script>document.title = "pwned"</script>
<img src=x onerror="document.title='pwned'">
[click me](javascript:document.title='pwned')
![tracker](https://tracker.example/pixel.gif)
![chart](chart.svg)
&lt;b&gt;entities stay text&lt;/b&gt;
"""
SVG = b"""<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"><script>document.title='pwned'</script>
<rect width="2" height="2"/></svg>"""
CSV = b"""name,city,amount,note
Ada Lovelace,London,1204,"first, with a comma"
Grace Hopper,Arlington,877
=HYPERLINK("http://evil.example"),x,=1+1,formula stays text
""" + b"".join(b"person %d,town %d,%d,row %d\n" % (i, i, i * 7, i) for i in range(40))


def open_file(page, key_prefix: str, name: str) -> None:
    """From the folder's list, by a click on the file's name, as a person does."""
    page.goto(f"/files/primary/?prefix={key_prefix}")
    page.get_by_role("link", name=name, exact=True).click()
    page.get_by_role("heading", name="Preview").wait_for()


def watch(page) -> tuple[list[str], list[str]]:
    requested: list[str] = []
    violations: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    return requested, violations


def shoot(page, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SCREENS / f"preview-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_markdown_renders_its_text_and_runs_loads_nothing_of_its_own(editor_page, browser_connection, key_prefix):
    page = editor_page
    gateway = get_gateway()
    gateway.simple_upload("primary", key_prefix + "notes.md", ATTACK_MD, content_type="text/markdown")
    gateway.simple_upload("primary", key_prefix + "chart.svg", SVG, content_type="image/svg+xml")
    gateway.simple_upload("primary", key_prefix + "plan.md", b"# The plan\n", content_type="text/markdown")
    requested, violations = watch(page)

    open_file(page, key_prefix, "notes.md")
    markdown = page.locator(".markdown-preview")
    expect(markdown.get_by_role("heading", name="Quarterly notes")).to_be_visible()
    expect(markdown.get_by_role("cell", name="1,204")).to_be_visible()
    expect(markdown).to_contain_text('<script>document.title = "pwned"</script>')
    expect(markdown).to_contain_text("<b>entities stay text</b>")
    expect(markdown.get_by_role("link", name="[image: tracker]")).to_have_attribute(
        "href", "https://tracker.example/pixel.gif")
    expect(markdown.get_by_role("link", name="click me")).to_have_count(0)
    assert page.locator(".markdown-preview img").evaluate("img => img.complete && img.naturalWidth") == 2
    page.wait_for_load_state("networkidle")
    assert page.title() != "pwned" and page.js_errors == [] and violations == []
    assert not [url for url in requested if "tracker.example" in url]
    shoot(page, "markdown")

    markdown.get_by_role("link", name="the plan").click()  # a relative link opens the file beside it
    expect(page.locator(".markdown-preview h1")).to_have_text("The plan")


def test_csv_is_a_table_whose_formulas_stay_text(editor_page, browser_connection, key_prefix):
    page = editor_page
    get_gateway().simple_upload("primary", key_prefix + "people.csv", CSV, content_type="text/csv")
    _requested, violations = watch(page)
    open_file(page, key_prefix, "people.csv")
    table = page.get_by_role("region", name="First rows of people.csv").get_by_role("table")
    expect(table.get_by_role("columnheader", name="amount")).to_be_visible()
    expect(table.get_by_role("cell", name="first, with a comma")).to_be_visible()
    expect(table.get_by_role("cell", name='=HYPERLINK("http://evil.example")')).to_be_visible()
    expect(table.get_by_role("link")).to_have_count(0)
    expect(page.get_by_text("Row 3 has a different number of cells")).to_be_visible()
    assert violations == [] and page.js_errors == []
    shoot(page, "csv")


@pytest.mark.parametrize(("name", "body", "lines", "note"), [
    ("data.json", b'{"b":1,"a":[true,null]}', ["{", '  "b": 1,', '  "a": ['], None),
    ("broken.json", b'{"a": }', ['{"a": }'], "This is not valid JSON (Expecting value at line 1, column 7)"),
    ("job.py", b"def main():\n    return '<b>'\n", ["def main():", "    return '<b>'"], None),
])
def test_json_and_code_come_with_line_numbers(editor_page, browser_connection, key_prefix, name, body, lines, note):
    page = editor_page
    get_gateway().simple_upload("primary", key_prefix + name, body)
    open_file(page, key_prefix, name)
    code = page.get_by_role("list", name=f"{name}, with line numbers")
    for number, line in enumerate(lines):
        expect(code.get_by_role("listitem").nth(number)).to_have_text(line)
    # Numbered by the list itself, so that copying the code copies no numbers.
    assert code.evaluate("ol => [ol.tagName, getComputedStyle(ol).listStyleType]") == ["OL", "decimal"]
    if note:
        expect(page.get_by_text(note)).to_be_visible()


def test_binary_bytes_under_a_text_name_get_a_sentence(editor_page, browser_connection, key_prefix):
    page = editor_page
    get_gateway().simple_upload("primary", key_prefix + "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
                               content_type="text/plain")
    open_file(page, key_prefix, "image.txt")
    expect(page.get_by_text("This file holds binary data (it is not text): no preview.")).to_be_visible()
