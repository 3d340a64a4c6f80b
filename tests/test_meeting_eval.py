"""Meeting reports, measured: the evaluation gate for is_meeting and the structured record (scores
may not drop below tests/resources/baseline.json; raise the baseline when they improve), and the
golden record of each seed, every field."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from tests.meeting_eval import RESOURCES, load, score_classifier, score_structure

BASELINE = json.loads((Path(__file__).parent / "resources" / "baseline.json").read_text(encoding="utf-8"))
ITEMS = load()


def test_the_set_is_large_and_has_hard_cases_on_both_sides() -> None:
    assert len(ITEMS) >= 200
    parts = Counter(it.part for it in ITEMS)
    assert parts["seeds"] == 5 and parts["farm"] >= 30 and parts["dev"] + parts["heldout"] + parts["fresh"] >= 150
    positives = [it for it in ITEMS if it.label]
    negatives = [it for it in ITEMS if not it.label]
    assert len(positives) >= 100 and len(negatives) >= 100
    titles = " | ".join(it.title.lower() for it in negatives)
    for hard in ("sẽ khai mạc", "phòng họp", "khánh thành", "phát động", "tuần", "thời tiết", "tag:", "tăng cường kiểm tra"):
        assert hard in titles, f"no hard negative with {hard!r}"
    kinds = Counter((it.gold or {}).get("kind") for it in positives if it.gold)
    for kind in ("hoi-nghi-so-ket", "hoi-nghi-tong-ket", "phien-hop-thuong-ky", "ky-hop-hdnd", "buoi-lam-viec", "kiem-tra",
                 "giam-sat", "tiep-xuc-cu-tri", "giao-ban", "hoi-dam", "hoi-thao", "hoi-nghi", "khac"):
        assert kinds[kind] >= 2, f"fewer than two labelled {kind} reports"


def test_classifier_scores_do_not_drop() -> None:
    got = score_classifier(ITEMS)
    assert got["f1"] >= 0.95, "target: F1 >= 0.95\n" + "\n".join(got["errors"])
    for key in ("precision", "recall", "f1"):
        floor = BASELINE["meetings_classifier"][key]
        assert got[key] >= floor, f"is_meeting {key} dropped to {got[key]} (baseline {floor}):\n" + "\n".join(got["errors"])


def test_structure_scores_do_not_drop() -> None:
    got = score_structure(ITEMS)
    assert got["reports"] >= 80
    flat = {k: v for k, v in got.items() if k.endswith("_accuracy")}
    for group in ("people", "documents"):
        flat[f"{group}_precision"] = got[group]["precision"]
        flat[f"{group}_recall"] = got[group]["recall"]
    for key, floor in BASELINE["meetings_structure"].items():
        assert flat[key] is not None and flat[key] >= floor, (
            f"{key} dropped to {flat[key]} (baseline {floor}):\n" + "\n".join(got["errors"]))


SEEDS = [it for it in ITEMS if it.part == "seeds"]


@pytest.mark.parametrize("item", SEEDS, ids=[it.id for it in SEEDS])
def test_seed_golden_record(item) -> None:  # type: ignore[no-untyped-def]
    gold = item.gold
    got = item.extract().as_dict()
    for key in ("kind", "detail", "event_date", "time_of_day", "province", "agency", "subject_agency"):
        assert got[key] == gold[key], f"{item.id} {key}"
    assert [[p["name"], p["title"], p["role"]] for p in got["people"]] == gold["people"]
    assert [[d["type"], d["number"], d["code"], d["issuer"], d["date"]] for d in got["documents"]] == gold["documents"]
    # A person is a person: no agency, no place among the names.
    for p in got["people"]:
        assert not p["name"].startswith(("Sở", "UBND", "HĐND", "Ban")), p


def test_resources_are_valid_json_with_labels() -> None:
    for path in RESOURCES.glob("*.json"):
        for entry in json.loads(path.read_text(encoding="utf-8")):
            assert isinstance(entry["label"], bool), (path.name, entry["id"])
            if entry.get("gold"):
                assert entry["label"], f"{entry['id']}: a structured label on a non-meeting"
