"""Evaluation gate: extraction and classification scores on the farm may not drop below the
baseline in tests/resources/baseline.json (raise the baseline when the scores improve)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.farm import Farm
from tests.farm.scoring import score_classifier, score_extraction

BASELINE = json.loads((Path(__file__).parent / "resources" / "baseline.json").read_text(encoding="utf-8"))


def test_extraction_scores_do_not_drop(farm: Farm) -> None:
    scores = score_extraction(farm)
    got = scores.as_dict()
    assert got["articles"] >= 150
    for key, floor in BASELINE["extraction"].items():
        assert got[key] >= floor, f"{key} dropped to {got[key]} (baseline {floor}); failures:\n" + "\n".join(scores.failures[:20])


def test_classifier_scores_do_not_drop(farm: Farm) -> None:
    got = score_classifier(farm)
    for key, floor in BASELINE["classifier"].items():
        assert got[key] >= floor, f"classifier {key} dropped to {got[key]} (baseline {floor})"
