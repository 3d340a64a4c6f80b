"""Meeting reports, measured on the evaluation set (tests/resources/meetings): is_meeting
precision/recall/F1 per part of the set, per meeting kind, per hard-case shape, and the structured
record's field scores.

`python -m bench.meetings` prints Markdown tables (pasted into README) and, with --errors, every
disagreement with the labels. The variants of the classifier (hand-set weights, learned weights,
learned weights with word n-grams) are compared by `python -m tests.train_meeting_model --compare`.
"""

from __future__ import annotations

import sys

from tests.meeting_eval import load, score_classifier, score_kinds, score_shapes, score_structure

PARTS = [("portal-heldout", "**portal-heldout** (written after the classifier was frozen; never tuned on)"),
         ("portal-dev", "portal-dev (tuned on)"), ("seeds", "the five seeds"), ("farm", "farm sample"),
         ("dev", "dev (tuned on)"), ("heldout", "heldout (tuned on since)"), ("fresh", "fresh (tuned on since)"),
         (None, "all")]


def main() -> None:
    items = load()
    show_errors = "--errors" in sys.argv
    print("| part | texts | meeting reports | precision | recall | F1 |\n|---|---|---|---|---|---|")
    for part, label in PARTS:
        chosen = [it for it in items if part is None or it.part == part]
        c = score_classifier(chosen)
        print(f"| {label} | {c['texts']} | {c['positives']} | {c['precision']:.3f} | {c['recall']:.3f} | {c['f1']:.3f} |")
        if show_errors:
            for e in c["errors"]:
                print("   ", e, file=sys.stderr)
    new = [it for it in items if it.part.startswith("portal-")]
    held = [it for it in items if it.part == "portal-heldout"]
    for title, chosen in (("portal-dev + portal-heldout", new), ("portal-heldout alone", held)):
        print(f"\nPer kind, {title}: recall over the reports of the kind, precision over the texts given that kind\n")
        print("| kind | reports | found | predicted | precision | recall | F1 | kind right |\n|---|---|---|---|---|---|---|---|")
        for kind, r in score_kinds(chosen).items():
            right = f"{r['kind_accuracy']:.3f}" if r["kind_accuracy"] is not None else "-"
            print(f"| {kind} | {r['n']} | {r['found']} | {r['predicted']} | {r['precision']:.3f} | {r['recall']:.3f} "
                  f"| {r['f1']:.3f} | {right} |")
    for title, chosen in (("portal-dev + portal-heldout", new), ("portal-heldout alone", held)):
        print(f"\nHard-case shapes, {title}\n")
        print("| shape (label) | texts | right | false positives | false negatives |\n|---|---|---|---|---|")
        for shape, r in score_shapes(chosen).items():
            print(f"| {shape} | {r['n']} | {r['right']} | {r['false_positive']} | {r['false_negative']} |")
    print()
    print("| field | dev + held-out | fresh | all |\n|---|---|---|---|")
    scores = {name: score_structure([it for it in items if it.part in parts]) for name, parts in
              (("tuned", ("seeds", "dev", "heldout")), ("fresh", ("fresh",)), ("all", ("seeds", "dev", "heldout", "fresh")))}
    print(f"| labelled reports | {scores['tuned']['reports']} | {scores['fresh']['reports']} | {scores['all']['reports']} |")
    for key in ("kind", "detail", "event_date", "time_of_day", "province", "agency", "subject_agency", "person_title",
                "person_role"):
        cells = [f"{s[key + '_accuracy']:.3f} (n={s[key + '_n']})" if s[key + "_accuracy"] is not None else "-"
                 for s in scores.values()]
        print(f"| {key} accuracy | " + " | ".join(cells) + " |")
    for group in ("people", "documents"):
        for metric in ("precision", "recall"):
            cells = [f"{s[group][metric]:.3f} (n={s[group]['n']})" for s in scores.values()]
            print(f"| {group} {metric} | " + " | ".join(cells) + " |")
    if show_errors:
        for e in scores["all"]["errors"]:
            print("   ", e, file=sys.stderr)


if __name__ == "__main__":
    main()
