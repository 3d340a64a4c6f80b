"""References to legal and administrative documents: "Quyết định số 636-QĐ/ĐUK ngày 28/5/2020",
"Chỉ thị số 16/CT-TTg", "Nghị định số 124/2020/NĐ-CP ngày 19/10/2020", split into type, number,
symbol (số ký hiệu), issuer code and date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

DOCUMENT_TYPES = [
    "Chương trình hành động", "Thông báo kết luận", "Quyết định", "Chỉ thị", "Kế hoạch", "Nghị quyết", "Nghị định",
    "Thông tư liên tịch", "Thông tư", "Công văn", "Văn bản", "Thông báo", "Kết luận", "Chương trình", "Báo cáo",
    "Tờ trình", "Đề án", "Hướng dẫn", "Công điện", "Quy định", "Quy chế", "Luật", "Pháp lệnh",
]
_TYPES = "|".join(re.escape(t) for t in DOCUMENT_TYPES)
# number[/year][-|/]CODE[-|/]ISSUER… : 636-QĐ/ĐUK, 16/CT-TTg, 124/2020/NĐ-CP, 48a/KH-UBND, 12-TB/TU
_REF = re.compile(
    rf"(?<!\w)(?P<type>{_TYPES})\s+(?:số\s*)?(?P<symbol>(?P<number>\d+[a-zA-Z]?)(?:/(?P<year>\d{{4}}))?[/-]"
    r"(?P<code>[A-ZĐa-z]{1,6})(?:[-/](?P<issuer>[A-ZĐa-zđ0-9]+(?:-[A-ZĐa-zđ0-9]+)*))?)"
    r"(?:\s*,?\s*(?:ban hành\s+)?(?:ngày\s+){1,2}(?P<d>\d{1,2})\s*[/-]\s*(?P<m>\d{1,2})\s*[/-]\s*(?P<y>\d{4}))?"
)


@dataclass(frozen=True)
class DocumentRef:
    type: str
    number: str
    symbol: str  # the whole số ký hiệu, "636-QĐ/ĐUK"
    code: str  # the document-type abbreviation inside it, "QĐ"
    issuer: str | None  # the issuer's abbreviation, "ĐUK", "TTg", "UBND"
    date: date | None


def find_documents(text: str) -> list[DocumentRef]:
    """Each referenced document once, in the order first cited."""
    found: dict[str, DocumentRef] = {}
    for m in _REF.finditer(text):
        # The code must look like an abbreviation (QĐ, CT, KH, NQ-CP), not a word of prose.
        if not m.group("code")[:1].isupper():
            continue
        when = None
        if m.group("d"):
            try:
                when = date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            except ValueError:
                when = None
        symbol = m.group("symbol")
        ref = DocumentRef(m.group("type"), m.group("number"), symbol, m.group("code"), m.group("issuer"), when)
        if symbol not in found or (when and not found[symbol].date):
            found[symbol] = ref
    return list(found.values())
