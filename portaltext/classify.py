"""Is this text a report of a meeting that took place? A score, a verdict and the reasons for it.

The text is read the way a reader reads a news page (portaltext.reading: the headline, the lead, the
body, with a page's menus and widgets left out), its report signals are found (portaltext.signals:
a gathering or a visit, placed in the past, held by an actor, narrated from inside; or the shapes of
what is not a report: announcements, postponements, plans, directives, statistics, explainers, the
machinery of meetings, ceremonies, stories, lists), and a logistic model weighs them.

The weights are data: portaltext/models/meeting.json, trained by `python -m tests.train_meeting_model`
on the evaluation set's tuning parts (tests/resources/meetings) and measured on its held-out part
(README, "Meeting detection"). The labelling rule is ../shared/meeting-reports.md.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from .reading import Reading, read
from .signals import Signals, signals

MODEL_FILE = "meeting.json"
_WORD = re.compile(r"[^\W\d_]+|\d+")

# What each signal means to a reader, for the reason shown with a verdict.
SIGNAL_LABELS = {
    "gathering_in_headline": "a meeting named in the headline", "gathering_in_lead": "a meeting named in the lead",
    "inspection_in_headline": "a visit (kiểm tra/giám sát/khảo sát) in the headline",
    "inspection_in_lead": "a visit (kiểm tra/giám sát/khảo sát) in the lead",
    "gathering_later_in_body": "a meeting named further down", "not_a_visit": "a test or enforcement, not a visit",
    "dateline_in_lead": "a dateline", "recent_marker": "told as just past", "past_verb_in_lead": "told in the past",
    "chair_or_attendance": "who chaired or attended", "session_narrated": "the session narrated",
    "actor_in_lead": "an official or agency acts", "future_in_headline": "announced in the headline",
    "future_in_lead": "future or announcement words", "postponed": "postponed or cancelled",
    "plan_or_decision": "a plan or decision to hold it", "directive_headline": "a directive to inspect",
    "directive_lead": "a directive to inspect", "counts_events": "counts of meetings or receptions",
    "period_aggregate": "a period's totals", "explainer": "rules or an explainer", "question_headline": "a question headline",
    "machinery": "the machinery of meetings", "ceremony_in_headline": "a ceremony", "ceremony_in_lead": "a ceremony",
    "feature_story": "an interview or a story", "story_opening": "a story's opening", "listing": "a list of headlines",
    "no_headline": "no headline", "event_placed_in_past": "a meeting placed in the past",
    "event_held_by_actor": "a meeting held by an official body", "future_unhedged": "only the future is told",
    "inspection_only": "a visit with no meeting named", "statistics": "totals over a period",
    "announces_meeting": "announces a meeting",
    "headline_tells_session": "the headline tells a session the body narrates",
    "told_as_held": "a gathering told as held", "genre_headline": "a headline of another genre (schedule, notice, guide, Q&A)",
    "lead_act_holds": "the story tells a gathering held", "lead_act_documents": "the story tells a paper issued",
    "headline_act_holds": "the headline tells a gathering held", "headline_act_documents": "the headline tells a paper issued",
}


@dataclass(frozen=True)
class Verdict:
    is_meeting: bool
    reason: str
    score: float = 0.0  # the model's probability that the text is a meeting report


@dataclass(frozen=True)
class Model:
    bias: float
    weights: dict[str, float]
    threshold: float
    ngrams: bool
    meta: dict[str, Any]
    version: str = ""  # a digest of the model file: stored with each verdict, so a new model re-reads old articles

    @classmethod
    def from_json(cls, data: dict[str, Any], version: str = "") -> Model:
        return cls(float(data["bias"]), {str(k): float(v) for k, v in data["weights"].items()}, float(data["threshold"]),
                   bool(data.get("ngrams", False)), dict(data.get("meta", {})), version)


@cache
def model() -> Model:
    text = resources.files("portaltext").joinpath("models", MODEL_FILE).read_text(encoding="utf-8")
    return Model.from_json(json.loads(text), hashlib.sha256(text.encode("utf-8")).hexdigest()[:12])


def _ngrams(prefix: str, text: str) -> dict[str, float]:
    words = ["0" if w.isdigit() else w for w in _WORD.findall(text.lower())]
    grams = {f"{prefix}:{w}" for w in words} | {f"{prefix}:{a} {b}" for a, b in zip(words, words[1:], strict=False)}
    return dict.fromkeys(grams, 1.0)


def features(reading: Reading, found: Signals, ngrams: bool) -> dict[str, float]:
    """The model's inputs: every signal, and (for models trained with them) the words of headline and lead."""
    out = {f"s:{name}": value for name, value in found.values.items() if value}
    if ngrams:
        out.update(_ngrams("h", reading.headline))
        out.update(_ngrams("l", reading.lead[:400]))
    return out


def _reason(verdict: bool, contributions: dict[str, float], found: Signals) -> str:
    """The strongest signals on the side of the verdict, with the words that raised them."""
    side = sorted(((w, k) for k, w in contributions.items() if (w > 0) == verdict and k.startswith("s:")),
                  key=lambda x: -abs(x[0]))[:3]
    parts = []
    for _, key in side:
        name = key[2:]
        label = SIGNAL_LABELS.get(name, name)
        words = found.evidence.get(name)
        parts.append(f"{label} ({words})" if words else label)
    head = "meeting report" if verdict else "not a meeting report"
    return f"{head}: " + "; ".join(parts) if parts else head


def classify(title: str | None, paragraphs: list[str], *, using: Model | None = None) -> Verdict:
    """The verdict on one text: `title` may be empty (an excerpt, or a page whose headline is one of
    its lines) and `paragraphs` may be a whole page's text."""
    m = using or model()
    reading = read(title, paragraphs)
    found = signals(reading, [p for p in paragraphs if p and p.strip()][:40])
    x = features(reading, found, m.ngrams)
    contributions = {k: m.weights[k] * v for k, v in x.items() if k in m.weights}
    z = m.bias + sum(contributions.values())
    score = 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))
    verdict = score >= m.threshold
    return Verdict(verdict, _reason(verdict, contributions, found), round(score, 4))


def is_meeting(title: str | None, paragraphs: list[str]) -> bool:
    return classify(title, paragraphs).is_meeting
