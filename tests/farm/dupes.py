"""Ground truth of the farm's republished articles, and the pair precision/recall of a clustering."""

from __future__ import annotations

from itertools import combinations
from typing import Any


def truth_pairs(truths: list[dict[str, Any]]) -> set[frozenset[str]]:
    """URL pairs that are one press release on two portals."""
    by_key = {(t["portal"], t["item_id"]): t["url"] for t in truths}
    return {frozenset((t["url"], by_key[tuple(t["dup_of"])])) for t in truths
            if t.get("dup_of") and tuple(t["dup_of"]) in by_key}


def predicted_pairs(cluster_of: dict[str, int | None]) -> set[frozenset[str]]:
    groups: dict[int, list[str]] = {}
    for url, cid in cluster_of.items():
        if cid is not None:
            groups.setdefault(cid, []).append(url)
    return {frozenset(p) for members in groups.values() for p in combinations(sorted(members), 2)}


def precision_recall(truth: set[frozenset[str]], predicted: set[frozenset[str]]) -> tuple[float, float]:
    tp = len(truth & predicted)
    precision = tp / len(predicted) if predicted else 1.0
    recall = tp / len(truth) if truth else 1.0
    return precision, recall
