"""Text helpers shared by extraction, classification and feeds: NFC, whitespace, folding, slugs."""

from __future__ import annotations

import re
import unicodedata

_WS = re.compile(r"\s+")
# Zero-width and control characters portals leak from word processors, and the bidirectional
# embeddings, overrides and isolates (U+202A-202E, U+2066-2069) that can make a title read
# backwards in a feed reader ("Trojan source" text): Vietnamese never needs them.
_BIDI = "\u202a-\u202e\u2066-\u2069"
_INVISIBLE = re.compile(f"[\u200b-\u200f\u2028\u2029\u2060\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f{_BIDI}]")
_BIDI_ONLY = re.compile(f"[{_BIDI}]")


def drop_bidi_controls(text: str) -> str:
    """The text without bidirectional overrides and isolates; white space and markup as they were."""
    return _BIDI_ONLY.sub("", text)


def clean(text: str | None) -> str:
    """NFC, invisible characters removed, runs of white space folded to one space."""
    if not text:
        return ""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    return _WS.sub(" ", text.replace("\xa0", " ")).strip()


class _DropMarks(dict[int, int | None]):
    """str.translate table deleting combining marks, filled on first sight of each character: one
    C-level pass instead of a Python generator over every character (a 5 MB body is 9 M of them)."""

    def __missing__(self, code: int) -> int | None:
        self[code] = None if unicodedata.combining(chr(code)) else code
        return self[code]


_DROP_MARKS = _DropMarks()


def fold(text: str) -> str:
    """Lower-case ASCII folding the Vietnamese way: diacritics dropped and đ/Đ become d."""
    text = unicodedata.normalize("NFC", text).replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFKD", text).translate(_DROP_MARKS).lower()


class _FoldTable(dict[int, int]):
    """str.translate table, filled on first sight of each character: one character in, one out."""

    def __missing__(self, code: int) -> int:
        c = chr(code)
        base = "d" if c in "đĐ" else unicodedata.normalize("NFD", c)[0].lower()
        self[code] = ord(base) if len(base) == 1 else code
        return self[code]


_FOLD_TABLE = _FoldTable()


def fold_chars(text: str) -> str:
    """`fold` that keeps the length: character i of the result is character i of the (NFC) input,
    folded, so a match found in folded text can be highlighted in the original."""
    return text.translate(_FOLD_TABLE)


def slugify(text: str) -> str:
    """`Vĩnh Phúc` → `vinh-phuc`."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "unknown"



# Old-style tone placement on open syllables ("hoà", "thuỷ", "khoẻ") → the style most portals
# use today ("hòa", "thủy", "khỏe"), so one word is one string whichever keyboard typed it.
_OLD_TONES = re.compile(r"(?<![qQ])([oOuU])([àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ])(?!\w)")
_TONE_MARKS = {"\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}


def _move_tone(m: re.Match[str]) -> str:
    vowel, toned = m.group(1), m.group(2)
    parts = unicodedata.normalize("NFD", toned)
    mark = "".join(c for c in parts if c in _TONE_MARKS)
    bare = "".join(c for c in parts if c not in _TONE_MARKS)
    return unicodedata.normalize("NFC", vowel + mark + bare)


def modern_tones(text: str) -> str:
    """`Uỷ ban`, `hoà giải`, `toạ đàm` → `Ủy ban`, `hòa giải`, `tọa đàm` (NFC in, NFC out)."""
    return _OLD_TONES.sub(_move_tone, text)
