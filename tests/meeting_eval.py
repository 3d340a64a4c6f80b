"""The meeting evaluation set and its scores: is_meeting precision/recall/F1, and the structured
record's fields against hand labels.

The set (tests/resources/meetings/): the five seeds, a fixed sample of the farm's generated articles,
texts written in the styles of different portals to tune the rules on (dev_*.json), and texts
written after the rules were frozen and never tuned on (heldout_*.json). Used by the gate
(tests/test_meeting_eval.py) and the report (python -m bench.meetings).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from portaltext.classify import is_meeting
from portaltext.meeting import MeetingRecord, extract_meeting
from portaltext.text import fold
from tests.farm.content import generate, seed_articles
from tests.farm.scoring import prf

RESOURCES = Path(__file__).parent / "resources" / "meetings"
FARM_PROVINCES = {"sxd-vinhphuc": "Vĩnh Phúc", "vinhyen": "Vĩnh Phúc", "vpubnd-langson": "Lạng Sơn",
                  "baohatinh": "Hà Tĩnh", "vpubnd-vinhphuc": "Vĩnh Phúc"}
# File name (or its prefix before "_") → part of the set. portal_dev was written in the shapes of real
# portal text and tuned on; portal_heldout was written after the classifier was frozen, never tuned on.
_PARTS = {"dev": "dev", "heldout": "heldout", "fresh": "fresh", "portal_dev": "portal-dev", "portal_heldout": "portal-heldout"}
FARM_SAMPLE_EVERY = 4  # every 4th generated farm article: 40 texts, so templates do not swamp the set


@dataclass
class EvalItem:
    id: str
    part: str  # seeds | farm | dev | heldout | fresh | portal-dev | portal-heldout
    title: str
    paragraphs: list[str]
    label: bool
    published: datetime | None = None
    province: str | None = None
    captions: list[str] = field(default_factory=list)
    author: str | None = None
    gold: dict[str, Any] | None = None
    shape: str = "plain"  # the hard-case shape it was written in (meeting-reports.md), or "plain"
    style: str | None = None  # the kind of site it imitates: bao, cong-tinh, so, huyen, hdnd, tv, xa
    kind: str | None = None  # the meeting kind of a report, by the taxonomy's slugs
    # meeting-reports.md leaves these out of scoring (press conferences, celebrations, courtesy calls):
    # the classifier must read them without failing, either verdict is right.
    borderline: bool = False

    @property
    def gold_kind(self) -> str | None:
        return self.kind or (self.gold or {}).get("kind")

    def extract(self) -> MeetingRecord:
        return extract_meeting(self.title, self.paragraphs, self.published, self.captions, self.province, self.author)


def load() -> list[EvalItem]:
    items: list[EvalItem] = []
    seeds = {s.seed: s for s in seed_articles()}
    for entry in json.loads((RESOURCES / "seeds.json").read_text(encoding="utf-8")):
        s = seeds[entry["seed"]]
        items.append(EvalItem(entry["id"], "seeds", s.title, s.paragraphs, True, s.published, entry["province"],
                              s.captions, s.author, entry["gold"]))
    generated = [a for a in generate() if a.seed is None and a.dup_of is None]
    # Every republished copy too: a third of them have their lead cut, the shape where only the headline
    # and the body tell that the session was held.
    copies = [a for a in generate() if a.dup_of is not None]
    for a in generated[::FARM_SAMPLE_EVERY] + copies:
        items.append(EvalItem(f"farm-{a.portal}-{a.item_id}", "farm", a.title, a.paragraphs, a.is_meeting, a.published,
                              FARM_PROVINCES[a.portal], a.captions, a.author))
    for path in sorted(RESOURCES.glob("*.json")):
        part = _PARTS.get(path.name.split("_", 1)[0] if not path.name.startswith("portal_") else path.stem)
        if part is None:
            continue
        for entry in json.loads(path.read_text(encoding="utf-8")):
            published = datetime.fromisoformat(entry["published"]) if entry.get("published") else None
            items.append(EvalItem(entry["id"], part, entry["title"], entry["text"], entry["label"], published,
                                  entry.get("province"), entry.get("captions", []), entry.get("author"), entry.get("gold"),
                                  entry.get("shape", "plain"), entry.get("style"), entry.get("kind"),
                                  bool(entry.get("borderline"))))
    return items


def scored(items: list[EvalItem]) -> list[EvalItem]:
    """The texts whose verdict counts: all but the borderline ones."""
    return [it for it in items if not it.borderline]


def score_classifier(items: list[EvalItem]) -> dict[str, Any]:
    tp = fp = fn = 0
    errors = []
    items = scored(items)
    for it in items:
        got = is_meeting(it.title, it.paragraphs)
        tp += got and it.label
        fp += got and not it.label
        fn += it.label and not got
        if got != it.label:
            errors.append(f"{it.id}: labelled {it.label}, predicted {got}: {it.title}")
    return {"texts": len(items), "positives": sum(it.label for it in items), **prf(tp, fp, fn), "errors": errors}


def verdicts(items: list[EvalItem]) -> list[tuple[EvalItem, bool, str | None]]:
    """(text, predicted, predicted kind) for every scored text; the kind is read only for predicted reports."""
    from portaltext.meeting.kinds import meeting_kind
    from portaltext.reading import read

    out = []
    for it in scored(items):
        got = is_meeting(it.title, it.paragraphs)
        kind = None
        if got:
            r = read(it.title, it.paragraphs)
            kind = meeting_kind(r.headline, r.lead, None).slug
        out.append((it, got, kind))
    return out


def score_kinds(items: list[EvalItem]) -> dict[str, dict[str, Any]]:
    """Per meeting kind: recall over the reports of that (labelled) kind, precision over the texts
    predicted as reports of that kind, F1; and how often a found report got its kind right."""
    rows: dict[str, dict[str, int]] = {}
    for it, got, kind in verdicts(items):
        gold = it.gold_kind if it.label else None
        for k in {gold, kind} - {None}:
            rows.setdefault(str(k), {"n": 0, "found": 0, "predicted": 0, "correct": 0, "kind_right": 0})
        if gold:
            rows[gold]["n"] += 1
            rows[gold]["found"] += got
            rows[gold]["kind_right"] += got and kind == gold
        if kind:
            rows[kind]["predicted"] += 1
            rows[kind]["correct"] += it.label
    out: dict[str, dict[str, Any]] = {}
    for k, r in sorted(rows.items()):
        scores = prf(r["correct"], r["predicted"] - r["correct"], r["n"] - r["found"])
        out[k] = {**r, **scores, "kind_accuracy": round(r["kind_right"] / r["found"], 4) if r["found"] else None}
    return out


def score_shapes(items: list[EvalItem]) -> dict[str, dict[str, Any]]:
    """Per hard-case shape (meeting-reports.md): how many texts, of which label, and the confusion."""
    out: dict[str, dict[str, Any]] = {}
    for it, got, _ in verdicts(items):
        key = f"{it.shape} ({'report' if it.label else 'not a report'})"
        row = out.setdefault(key, {"n": 0, "right": 0, "false_positive": 0, "false_negative": 0, "label": it.label})
        row["n"] += 1
        row["right"] += got == it.label
        row["false_positive"] += got and not it.label
        row["false_negative"] += it.label and not got
    return dict(sorted(out.items(), key=lambda kv: (not kv[1]["label"], kv[0])))


def _norm(value: Any) -> str:
    return " ".join(fold(str(value)).replace("–", "-").split()) if value is not None else ""


def _doc_key(d: list[Any] | dict[str, Any]) -> tuple[str, ...]:
    if isinstance(d, dict):
        d = [d["type"], d["number"], d["code"], d["issuer"], d["date"]]
    return tuple(_norm(x) for x in d)


def score_structure(items: list[EvalItem]) -> dict[str, Any]:
    """Field accuracy over the labelled meeting reports; people and documents as precision/recall."""
    labelled = [it for it in items if it.label and it.gold]
    hits: dict[str, list[int]] = {k: [0, 0] for k in ("kind", "detail", "event_date", "time_of_day", "province", "agency",
                                                      "subject_agency", "person_title", "person_role")}
    people = [0, 0, 0]  # tp, fp, fn
    docs = [0, 0, 0]
    errors: list[str] = []
    for it in labelled:
        gold = it.gold or {}
        got = it.extract().as_dict()
        for key in ("kind", "event_date", "time_of_day", "province", "agency", "subject_agency"):
            if key in gold:
                ok = _norm(got[key]) == _norm(gold[key])
                hits[key][0] += ok
                hits[key][1] += 1
                if not ok:
                    errors.append(f"{it.id} {key}: want {gold[key]!r}, got {got[key]!r}")
        if "detail" in gold and gold["detail"]:
            ok = {k: _norm(v) for k, v in gold["detail"].items()} == {k: _norm(v) for k, v in got["detail"].items()}
            hits["detail"][0] += ok
            hits["detail"][1] += 1
            if not ok:
                errors.append(f"{it.id} detail: want {gold['detail']!r}, got {got['detail']!r}")
        if "people" in gold:
            want = {_norm(n): (t, r) for n, t, r in gold["people"]}
            have = {_norm(p["name"]): (p["title"], p["role"]) for p in got["people"]}
            people[0] += len(want.keys() & have.keys())
            people[1] += len(have.keys() - want.keys())
            people[2] += len(want.keys() - have.keys())
            for name in want.keys() - have.keys():
                errors.append(f"{it.id} person missed: {name}")
            for name in have.keys() - want.keys():
                errors.append(f"{it.id} person wrongly found: {name} {have[name]}")
            for name in want.keys() & have.keys():
                for n, key in ((0, "person_title"), (1, "person_role")):
                    ok = _norm(want[name][n]) == _norm(have[name][n])
                    hits[key][0] += ok
                    hits[key][1] += 1
                    if not ok:
                        errors.append(f"{it.id} {key} of {name}: want {want[name][n]!r}, got {have[name][n]!r}")
        if "documents" in gold:
            want_docs = {_doc_key(d) for d in gold["documents"]}
            have_docs = {_doc_key(d) for d in got["documents"]}
            docs[0] += len(want_docs & have_docs)
            docs[1] += len(have_docs - want_docs)
            docs[2] += len(want_docs - have_docs)
            for d in want_docs ^ have_docs:
                errors.append(f"{it.id} document {'missed' if d in want_docs else 'wrongly found'}: {d}")
    out: dict[str, Any] = {"reports": len(labelled)}
    for key, (ok, n) in hits.items():
        out[f"{key}_accuracy"] = round(ok / n, 4) if n else None
        out[f"{key}_n"] = n
    out["people"] = {**prf(*people), "n": people[0] + people[2]}
    out["documents"] = {**prf(*docs), "n": docs[0] + docs[2]}
    out["errors"] = errors
    return out


def report(parts: tuple[str, ...] | None = None) -> dict[str, Any]:
    items = load()
    if parts:
        items = [it for it in items if it.part in parts]
    return {"classifier": score_classifier(items), "structure": score_structure(items)}
