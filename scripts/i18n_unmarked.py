"""Strings a person can see that are not marked for translation: in templates, Python and the pages' scripts.

    .venv/bin/python scripts/i18n_unmarked.py [FILE ...]    (no FILE: the whole project)

Prints `file:line: text` for each and exits 1 when there is any. What counts as visible:
- templates: text outside {% translate %} / {% blocktranslate %}, and the attributes people read or hear
  (title, alt, placeholder, aria-label ..., a button's value, hx-confirm); not <script>, <style>, <code>,
  <pre>, <kbd>, <samp>, nor an element marked translate="no";
- Python (console/, storage/): a literal that reads as words, outside gettext & co, log calls, docstrings,
  comparisons, dict keys and subscripts;
- scripts (static/js/): a literal that reads as words, outside gettext & co and console.*.
A line that holds such a literal on purpose says why with `i18n: not shown` in a comment.
Product and technical names (PRODUCT_WORDS) are the same in every language.
"""

from __future__ import annotations

import ast
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRAGMA = "i18n: not shown"
PRODUCT_WORDS = {
    "OSS", "Console", "Gateway", "Manager", "SeaweedFS", "MinIO", "S3", "AWS", "API", "APIs", "URL", "URLs",
    "ETag", "ETags", "JSON", "YAML", "CORS", "SHA", "HTTP", "HTTPS", "TLS", "OIDC", "SSO", "KMS", "SSE", "UTC",
    "ID", "IDs", "ZIP", "zip", "HTMX", "Django", "Uppy", "boto3", "rclone", "Helm", "Kubernetes", "PostgreSQL",
    "SQLite", "gunicorn", "nginx", "CRC", "MD5", "IAM", "ARN", "RSS", "CSV", "PDF", "PNG", "JPEG", "SVG",
    "WebAssembly", "Chromium", "Chrome", "Firefox", "Safari", "macOS", "Windows", "Linux", "iOS", "Android",
    "KB", "MB", "GB", "TB", "PB", "KiB", "MiB", "GiB", "TiB", "PiB", "OK", "Markdown", "English",
    "AccessKey", "SecretKey", "Content", "Type", "Cache", "Control", "Disposition", "Encoding", "Language",
    "Expires", "GET", "PUT", "POST", "HEAD", "DELETE", "UUID", "ISO", "IANA", "mc", "aws", "s3cmd", "CLI",
    "SDK", "SDKs", "UI", "XML", "XSL", "HTML", "CSS", "JavaScript", "WebDAV", "FTP", "SFTP", "RFC", "IP", "DNS", "Ctrl",
    "Cmd", "Shift", "Enter", "Esc", "Tab", "Mac", "PC", "Unicode", "UTF", "ASCII", "GMT", "ms",
    "inline", "attachment",  # Content-Disposition's own values
}
PRODUCT_PHRASES = ("OSS Console", "OSS Gateway Manager", "Content-Type", "Cache-Control", "Content-Disposition",
                   "Content-Encoding", "Content-Language", "x-amz-meta-", "SHA-256", "SSE-C", "SSE-KMS", "SSE-S3")
WORD = re.compile(r"[A-Za-z][A-Za-z’']*[A-Za-z]")
HOLE = "\x1f"  # where a template variable or tag stood


def english_words(text: str) -> list[str]:
    """The words of `text` that are neither product names nor parts of names such as keys and addresses."""
    text = re.sub(r"%\(\w+\)[sdfi]|%[sd]|\{\w*\}|<[^>]*>", " ", text)  # placeholders and markup
    for phrase in PRODUCT_PHRASES:
        text = text.replace(phrase, " ")
    text = re.sub(r"\S*[/_.@=\\#:\[\]]\S*|\w+(?:-\w+)+|\S*\d\S*|&\w+;", " ", text)  # paths, keys, addresses, numbers, entities
    return [w for w in WORD.findall(text) if w not in PRODUCT_WORDS]


# --- templates ---------------------------------------------------------------------------------------------

VISIBLE_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-description", "aria-roledescription",
                      "aria-valuetext", "hx-confirm", "hx-prompt", "label", "summary", "data-confirm",
                      "data-label", "data-busy-label", "data-done-label", "data-title", "data-message"}
SKIPPED_ELEMENTS = {"script", "style", "code", "pre", "kbd", "samp", "var", "svg"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def template_text(source: str) -> str:
    """The template with every tag and variable replaced by HOLE, and translated blocks dropped (lines kept)."""
    from django.template.base import Lexer, TokenType

    out, skipping = [], None
    for token in Lexer(source).tokenize():
        raw = token.contents
        word = raw.split()[0] if token.token_type == TokenType.BLOCK and raw.split() else ""
        if skipping:
            if word == skipping:
                skipping = None
            out.append(_blank(token))
            continue
        if word in ("blocktranslate", "blocktrans"):
            skipping = "end" + word
        elif word == "comment":
            skipping = "endcomment"
        out.append(raw if token.token_type == TokenType.TEXT else _blank(token))
    return "".join(out)


def _blank(token) -> str:
    """A HOLE, with the token's own line breaks, so line numbers stay those of the file."""
    return HOLE + "\n" * token.contents.count("\n")


class VisibleText(HTMLParser):
    """What people read or hear of some HTML, as (line, text): its text, except in SKIPPED_ELEMENTS, and the
    attributes shown or read aloud; nothing of an element `unread` says is not for checking (translate="no")."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[tuple[int, str]] = []
        self.skipping: list[str] = []

    def unread(self, attributes: dict) -> bool:
        return attributes.get("translate") == "no"

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        unread = self.unread(attributes)
        if tag not in VOID and (tag in SKIPPED_ELEMENTS or unread or self.skipping):
            self.skipping.append(tag)
        if unread:
            return
        for name, value in attrs:
            shown = name in VISIBLE_ATTRIBUTES or (
                name == "value" and tag == "input" and attributes.get("type") in ("submit", "button", "reset"))
            if shown and value:
                self.texts.append((self.getpos()[0], value))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self.skipping and self.skipping[-1] == tag and tag not in VOID:
            self.skipping.pop()

    def handle_endtag(self, tag):
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.texts.append((self.getpos()[0], data))

    @classmethod
    def of(cls, html: str) -> list[tuple[int, str]]:
        parser = cls()
        parser.feed(html)
        parser.close()
        return parser.texts


def unmarked_in_template(path: Path) -> list[tuple[int, str]]:
    lines = path.read_text().splitlines()
    return [(n, " ".join(text.replace(HOLE, "…").split())) for n, text in VisibleText.of(template_text(path.read_text()))
            if english_words(text.replace(HOLE, " ")) and (n > len(lines) or PRAGMA not in lines[n - 1])]


# --- Python ------------------------------------------------------------------------------------------------

MARKING_CALLS = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy",
                 "npgettext", "npgettext_lazy", "gettext_noop", "_lazy", "_l"}
QUIET_CALLS = {"ImproperlyConfigured", "warn", "AssertionError", "NotImplementedError", "add_argument",
               "compile", "match", "search", "fullmatch", "sub", "split", "RuntimeError", "TypeError",
               "KeyError", "startswith", "endswith", "replace", "strftime", "strptime", "getLogger", "cursor",
               "execute", "filter", "exclude", "get", "extra", "order_by", "values", "values_list",
               "getattr", "setattr", "hasattr", "set_cookie", "Index", "UniqueConstraint", "CheckConstraint",
               "Q", "F", "format_html_join", "isinstance", "join", "stdout", "TemporaryDirectory", "run",
               "Popen", "check_call", "check_output", "environ", "ContentFile", "open", "lookup"}
LOG_METHODS = {"debug", "info", "warning", "error", "exception", "critical", "log"}


def _call_name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _is_log_call(call: ast.Call) -> bool:
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr in LOG_METHODS):
        return False
    owner = ast.unparse(func.value).lower()
    return "log" in owner


def reads_as_words(text: str, *, single_word_counts: bool) -> bool:
    words = english_words(text)
    if len(words) >= 2 and re.search(r"[A-Za-z]{2,}[\s,;:]+\S*[A-Za-z]{2,}", text):
        return True
    return single_word_counts and len(words) == 1 and bool(re.fullmatch(r"[A-Z][a-z]{2,}", words[0]))


class _PythonStrings(ast.NodeVisitor):
    def __init__(self, single_word_counts: bool):
        self.found: list[tuple[int, str]] = []
        self.single = single_word_counts
        self.stack: list[ast.AST] = []

    def generic_visit(self, node):
        self.stack.append(node)
        super().generic_visit(node)
        self.stack.pop()

    def visit_JoinedStr(self, node):
        text = "".join(v.value if isinstance(v, ast.Constant) else "{…}" for v in node.values)
        self._consider(node, text)

    def visit_Constant(self, node):
        if isinstance(node.value, str):
            self._consider(node, node.value)

    def _consider(self, node, text: str) -> None:
        if not reads_as_words(text, single_word_counts=self.single) or self._quiet(node):
            return
        self.found.append((node.lineno, " ".join(text.split())[:100]))

    def _quiet(self, node) -> bool:
        parent = self.stack[-1] if self.stack else None
        if isinstance(parent, ast.Expr):  # a docstring or a bare string
            return True
        if isinstance(parent, (ast.Compare, ast.Subscript, ast.Assert, ast.MatchValue)):
            return True
        if isinstance(parent, ast.Dict) and node in parent.keys:
            return True
        if isinstance(parent, ast.Assign) and any(getattr(t, "id", "") == "help" for t in parent.targets):
            return True  # a management command's --help: for operators, like Django's own
        for ancestor in reversed(self.stack):
            if isinstance(ancestor, ast.Call):
                name = _call_name(ancestor)
                if name in MARKING_CALLS or name in QUIET_CALLS or _is_log_call(ancestor):
                    return True
            if isinstance(ancestor, ast.keyword) and ancestor.arg in ("help", "db_table", "related_name",
                                                                       "name", "lookup", "verbose_name_plural"):
                return True
        return False


def unmarked_in_python(path: Path) -> list[tuple[int, str]]:
    source = path.read_text()
    # storage's single words are mostly S3's own values ("Enabled", "Suspended"): only phrases count there
    visitor = _PythonStrings(single_word_counts=not path.resolve().is_relative_to(ROOT / "storage"))
    visitor.visit(ast.parse(source))
    lines = source.splitlines()
    return [(n, t) for n, t in visitor.found if PRAGMA not in lines[n - 1]]


# --- scripts -----------------------------------------------------------------------------------------------

JS_TOKEN = re.compile(r"""//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`""", re.S)
JS_COMPARED = re.compile(r"(?:[!=]==?|\bcase)\s*$")  # event.key === "Escape": a name, not a text
JS_COMPARED_AFTER = re.compile(r"\s*[!=]==?")
JS_MARKED = re.compile(r"(?:\b(?:n?p?gettext|gettext_noop)\s*\(\s*(?:(?:\"[^\"]*\"|'[^']*'|[\w.]+)\s*,\s*)*"
                       r"|\bconsole\.\w+\s*\([^)]*)$")


def unmarked_in_script(path: Path) -> list[tuple[int, str]]:
    source, found = path.read_text(), []
    lines = source.splitlines()
    for match in JS_TOKEN.finditer(source):
        token = match.group()
        if token.startswith(("//", "/*")):
            continue
        text = re.sub(r"\$\{[^}]*\}", "{…}", token[1:-1])
        line = source.count("\n", 0, match.start()) + 1
        before = source[max(0, match.start() - 200):match.start()]
        if not reads_as_words(text, single_word_counts=True) or JS_MARKED.search(before):
            continue
        if text == "use strict" or JS_COMPARED.search(before) or JS_COMPARED_AFTER.match(source, match.end()):
            continue
        if PRAGMA in lines[line - 1]:
            continue
        found.append((line, " ".join(text.split())[:100]))
    return found


# --- the project -------------------------------------------------------------------------------------------

# The S3 endpoint's protocol modules answer tools in S3's own English messages (SDKs match on the codes, people
# search the messages); its pages and the words they show (views, forms, keys, models) are checked as any page.
S3_WIRE = ROOT / "console" / "s3api"
S3_PAGES = {"views.py", "forms.py", "keys.py", "models.py", "apps.py", "scope.py", "errors.py"}


def _s3_wire(path: Path) -> bool:
    return path.parent == S3_WIRE and path.name not in S3_PAGES


def project_files() -> list[Path]:
    templates = [*ROOT.glob("templates/**/*.html"), *ROOT.glob("console/**/templates/**/*.html")]
    python = [p for p in [*ROOT.glob("console/**/*.py"), *ROOT.glob("storage/**/*.py")]
              if "migrations" not in p.parts and p.relative_to(ROOT).parts[:2] != ("storage", "dev")
              and p.name not in ("settings.py", "gunicorn_conf.py") and not _s3_wire(p)]
    scripts = [p for p in ROOT.glob("static/js/*.js")]
    return sorted(templates + python + scripts)


def unmarked(path: Path) -> list[tuple[int, str]]:
    if path.suffix == ".html":
        return unmarked_in_template(path)
    if path.suffix == ".py":
        return unmarked_in_python(path)
    if path.suffix == ".js":
        return unmarked_in_script(path)
    return []


def main(argv: list[str]) -> int:
    paths = [Path(a).resolve() for a in argv] or project_files()
    count = 0
    for path in paths:
        for line, text in unmarked(path):
            print(f"{path.relative_to(ROOT)}:{line}: {text}")
            count += 1
    if count:
        print(f"{count} unmarked strings: mark them (docs/glossary-zh.md), or say `{PRAGMA}` and why.",
              file=sys.stderr)
    return 1 if count else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main(sys.argv[1:]))
