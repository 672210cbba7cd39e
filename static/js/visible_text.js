// A key or name as a person may safely read it, like console/visible_text.py on the server: controls,
// format characters (right-to-left overrides, zero-width spaces), line and paragraph separators and
// unassigned code points are written out as [U+202E]. The zero-width joiner and non-joiner shape real
// scripts and emoji, and are kept.
(function () {
  "use strict"; // i18n: not shown (a directive)
  const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Co}\p{Cn}]/gu;
  window.visibleText = function (text) {
    return String(text).replace(HIDDEN, (c) =>
      c === "\u200c" || c === "\u200d" ? c : "[U+" + c.codePointAt(0).toString(16).toUpperCase().padStart(4, "0") + "]");
  };
})();
