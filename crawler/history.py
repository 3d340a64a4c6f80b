"""Word-level diffs between two versions of an article, short enough for a feed item."""

from __future__ import annotations

import difflib
import re

MAX_DIFF_CHARS = 4000


def word_diff(old: str, new: str, context: int = 6) -> str:
    """`… context [-removed words-] {+added words+} context …`, hunks separated by ' … '."""
    a, b = re.findall(r"\S+", old), re.findall(r"\S+", new)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    hunks: list[str] = []
    for group in matcher.get_grouped_opcodes(context):
        parts: list[str] = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                parts.append(" ".join(a[i1:i2]))
            if tag in ("delete", "replace"):
                parts.append("[-" + " ".join(a[i1:i2]) + "-]")
            if tag in ("insert", "replace"):
                parts.append("{+" + " ".join(b[j1:j2]) + "+}")
        hunks.append(" ".join(p for p in parts if p))
    out = " … ".join(hunks)
    return out if len(out) <= MAX_DIFF_CHARS else out[: MAX_DIFF_CHARS - 1] + "…"


def describe_change(old_title: str | None, new_title: str | None, old_date: str | None, new_date: str | None,
                    old_text: str, new_text: str) -> str:
    """A diff covering title, date and body, each only when it changed."""
    parts = []
    if (old_title or "") != (new_title or ""):
        parts.append("Tiêu đề: " + word_diff(old_title or "", new_title or ""))
    if old_date != new_date:
        parts.append(f"Ngày đăng: [-{old_date or '∅'}-] {{+{new_date or '∅'}+}}")
    if old_text != new_text:
        parts.append("Nội dung: " + word_diff(old_text, new_text))
    return "\n".join(parts)
