"""Keys that break naive URL and path handling; every one must round-trip exactly."""

import unicodedata

SPECIAL_NAMES = [
    "plus+sign.txt",
    "space in name.txt",
    "percent%20literal.txt",
    "hash#frag.txt",
    "question?mark.txt",
    "amp&ersand=eq;semi.txt",
    "quotes'single\"double.txt",
    "unicode-日本語-Ελληνικά-עברית.txt",
    "emoji-🎉.txt",
    unicodedata.normalize("NFC", "café-nfc.txt"),
    unicodedata.normalize("NFD", "café-nfd.txt"),
    "brackets[1]{2}(3)<4>.txt",
    "symbols !$@^`|~:.txt",
    " leading and trailing spaces ",
    "nested/dir with space/ünïcode/file.txt",
]
