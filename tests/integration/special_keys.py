"""Keys that break naive URL, path and Unicode handling; each must round-trip exactly."""

import unicodedata

_SYMBOLS = ["+", "%", "#", "?", "&", "=", ";", ":", "@", "$", "!", "'", '"', "(", ")", "[", "]", "{", "}", "<", ">", "^", "`", "|", "~"]


def _pair(text: str) -> list[str]:
    return [unicodedata.normalize("NFC", text) + "-nfc", unicodedata.normalize("NFD", text) + "-nfd"]


SPECIAL_NAMES = [
    # URL and shell syntax, one symbol per key, in the middle of a name
    *[f"sym-{i:02d}-a{symbol}b.txt" for i, symbol in enumerate(_SYMBOLS)],
    "plus+sign.txt",
    "space in name.txt",
    "percent%20literal.txt",
    "percent%2Fslash-lookalike.txt",
    "hash#frag.txt",
    "question?mark=1&x=2.txt",
    "quotes'single\"double.txt",
    "all-at-once !$&'()*+,;=:@[]{}<>^`|~%#?.txt",
    # spaces where trimming would lose them
    " leading space.txt",
    "trailing space.txt ",
    "  both ends  ",
    "many     inner     spaces.txt",
    # scripts
    "latin-àéîõü-ÀÉÎÕÜ.txt",
    "cyrillic-Привет-мир.txt",
    "greek-Καλημέρα.txt",
    "arabic-مرحبا.txt",
    "hebrew-שלום.txt",
    "devanagari-नमस्ते.txt",
    "thai-สวัสดี.txt",
    "chinese-你好世界.txt",
    "japanese-こんにちは-カタカナ.txt",
    "korean-안녕하세요.txt",
    "emoji-🎉🚀👩‍💻.txt",
    "zero-width-joiner-a\u200db.txt",
    "rtl-override-\u202etxt.exe",
    "combining-a\u0301\u0302\u0303.txt",
    "fullwidth-ＡＢＣ.txt",
    # Unicode normalisation: two different keys each
    *_pair("café"),
    *_pair("niño"),
    *_pair("Ångström"),
    *_pair("über"),
    # lengths and depths
    "long-" + "x" * 200 + ".txt",
    "deep/" * 30 + "bottom.txt",
    "nested/dir with space/ünïcode/file.txt",
    "dots.in.name...txt",
    ".hidden",
    "..double-dot-prefix",
    "folder.with.dots/file",
    "-dash-first.txt",
    "UPPER-lower-MiXeD.TXT",
    "0000-digits-only-1234567890",
]

# Keys the rules refuse rather than let storage mangle them.
REFUSED_KEYS = ["back\\slash.txt", "a//b.txt", "a/../b.txt", "/leading-slash.txt", "ctrl\x01char.txt",
                "new\nline.txt", "x" * 1025]
