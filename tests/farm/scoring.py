"""Scores of extraction and classification against the farm's ground truth.

Used by the evaluation gate (tests/test_eval_gate.py) and the benchmark (bench/extraction.py).
"""

from __future__ import annotations

import re
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from crawler.extract import Extracted, extract_article
from portaltext.classify import is_meeting

from .server import Farm


def tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def f1(predicted: str, truth: str) -> float:
    p, t = Counter(tokens(predicted)), Counter(tokens(truth))
    if not p and not t:
        return 1.0
    overlap = sum((p & t).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(t.values())
    return 2 * precision * recall / (precision + recall)


@dataclass
class Scores:
    n: int = 0
    title: float = 0.0
    date: float = 0.0
    author: float = 0.0
    body_f1: float = 0.0
    body_precision_min: float = 1.0
    captions_apart: float = 0.0
    failures: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, float]:
        return {"articles": self.n, "title_accuracy": round(self.title, 4), "date_accuracy": round(self.date, 4),
                "author_accuracy": round(self.author, 4), "body_f1": round(self.body_f1, 4),
                "captions_apart": round(self.captions_apart, 4)}


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as resp:
        return resp.read().decode("utf-8")


def score_extraction(farm: Farm, extractor: Callable[[str, str], Extracted] = extract_article) -> Scores:
    """Fetch every live farm article over HTTP and compare the extractor's output to the truth."""
    s = Scores()
    truths = farm.expected()
    for truth in truths:
        x = extractor(fetch(truth["url"]), truth["url"])
        s.n += 1
        want_text = "\n\n".join(truth["paragraphs"])
        ok_title = (x.title or "") == truth["title"]
        published = x.published.isoformat() if isinstance(x.published, datetime) else None
        ok_date = published == truth["published"]
        ok_author = (x.author or None) == truth["author"]
        body = f1(x.text, want_text)
        caps_ok = not set(truth["captions"]) & set(x.paragraphs)
        s.title += ok_title
        s.date += ok_date
        s.author += ok_author
        s.body_f1 += body
        s.captions_apart += caps_ok
        if not (ok_title and ok_date and ok_author and body > 0.98 and caps_ok):
            s.failures.append(f"{truth['portal']}/{truth['item_id']}: title={ok_title} date={ok_date} "
                              f"({published} vs {truth['published']}) author={ok_author} ({x.author!r} vs "
                              f"{truth['author']!r}) body_f1={body:.3f} captions_apart={caps_ok}")
    if s.n:
        s.title, s.date, s.author = s.title / s.n, s.date / s.n, s.author / s.n
        s.body_f1, s.captions_apart = s.body_f1 / s.n, s.captions_apart / s.n
    return s


def score_classifier(farm: Farm) -> dict[str, Any]:
    """Precision/recall of is_meeting on the farm's articles (text as the farm wrote it)."""
    tp = fp = fn = tn = 0
    for a in farm.articles.values():
        predicted = is_meeting(a.title, a.paragraphs)
        if predicted and a.is_meeting:
            tp += 1
        elif predicted:
            fp += 1
        elif a.is_meeting:
            fn += 1
        else:
            tn += 1
    return {"articles": tp + fp + fn + tn, **prf(tp, fp, fn)}


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision, recall and F1 from counts (1.0 where nothing was predicted or expected)."""
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}
