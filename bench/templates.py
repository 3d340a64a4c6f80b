"""Zero-config on the CMS-family templates (tests/farm/cms.py): one real crawl with start URLs only,
scored per template and overall, the held-out part apart. Prints the Markdown table in README.

    python -m bench.templates
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from tests.farm.cms import CmsFarm
from tests.template_eval import crawl_and_score, overall


def main() -> None:
    with CmsFarm() as farm, tempfile.TemporaryDirectory() as tmp:
        scores = crawl_and_score(farm, Path(tmp))
        tuned = {k for k, s in farm.sites.items() if not s.held_out}
    print("| template | part | listed | found | coverage | list pages (requests / pages) | title | date | body F1 | leaks |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for key, s in scores.items():
        part = "held out" if s["held_out"] else "tuned"
        print(f"| {s['family']} (`{key}`) | {part} | {s['listed']} | {s['found']} | {s['coverage']:.3f} | "
              f"{s['list_requests']} / {s['pages']} | {s['title']:.3f} | {s['date']:.3f} | {s['body_f1']:.3f} | {s['leaks']} |")
    for label, held in (("tuned on", False), ("held out", True), ("all", None)):
        o = overall(scores, held)
        print(f"| **{label}: {o['templates']} templates** | | {o['listed']} | {o['found']} | {o['coverage']:.3f} | | "
              f"{o['title']:.3f} | {o['date']:.3f} | {o['body_f1']:.3f} | {o['leaks']} |")
    assert tuned  # every template is one or the other


if __name__ == "__main__":
    main()
