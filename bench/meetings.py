"""Meeting reports, measured on the evaluation set (tests/resources/meetings): is_meeting
precision/recall/F1 per part of the set, and the structured record's field scores.

`python -m bench.meetings` prints two Markdown tables (pasted into README) and, with --errors,
every disagreement with the labels.
"""

from __future__ import annotations

import sys

from tests.meeting_eval import load, score_classifier, score_structure

PARTS = [("seeds", "the five seeds"), ("farm", "farm sample"), ("dev", "dev (rules tuned on it)"),
         ("heldout", "held-out (after one round of fixes)"), ("fresh", "fresh (never tuned on)"), (None, "all")]


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
