"""Golden files: saved portal pages (as the farm serves them) against hand-checked expectations.

One parametrised test over tests/resources/golden/*.json; add a page by adding an .html/.json pair.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.extract import extract_article
from portaltext.classify import is_meeting

RESOURCES = Path(__file__).parent / "resources"
GOLDEN = RESOURCES / "golden"
# golden/: farm pages of the five seeds and a few generated articles.
# unseen/: hand-written pages in markups the farm does not use (Liferay, WordPress, date above the
# title, a table layout with no headings), to keep the zero-config path honest on new portals.
CASES = sorted(GOLDEN.glob("*.json")) + sorted((RESOURCES / "unseen").glob("*.json"))


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_golden_page(case: Path) -> None:
    want = json.loads(case.read_text(encoding="utf-8"))
    html = (case.parent / want["html"]).read_bytes()
    got = extract_article(html, want["url"])

    assert got.title == want["title"]
    assert (got.published.isoformat() if got.published else None) == want["published"]
    if got.published:
        assert got.published.utcoffset().total_seconds() == 7 * 3600
    assert got.author == want["author"]
    if "lead" in want:
        assert got.lead == want["lead"]
    assert got.paragraphs[0] == want["first_paragraph"]
    assert got.paragraphs[-1] == want["last_paragraph"]
    assert len(got.paragraphs) == want["paragraph_count"]
    assert got.captions == want["captions"]
    for caption in want["captions"]:
        assert caption not in got.paragraphs, "captions are kept apart from the body"
    for segment in want["must_contain"]:
        assert segment in got.text
    for segment in want["must_not_contain"]:
        assert segment not in got.text, f"boilerplate leaked into the body: {segment!r}"
        assert segment not in got.html, f"boilerplate leaked into the body HTML: {segment!r}"
    assert "<script" not in got.html and "onclick" not in got.html
    assert is_meeting(got.title, got.paragraphs) == want["is_meeting"]


def test_every_seed_has_a_golden_file() -> None:
    seeds = sorted(p.name[:3] for p in (Path(__file__).parent / "farm" / "seeds").glob("*.txt"))
    assert seeds == ["000", "001", "002", "003", "004"]
    assert all(any(c.stem.startswith(s) for c in CASES) for s in seeds)
    assert len([c for c in CASES if c.parent.name == "unseen"]) >= 4
