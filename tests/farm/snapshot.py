"""Save farm pages as golden files: `python -m tests.farm.snapshot`.

Writes tests/resources/golden/<name>.html for the five seed articles and a few generated ones. The
expected JSON beside each file is written by hand (and reviewed); this script never overwrites it.
"""

from __future__ import annotations

import urllib.request
from pathlib import Path

from .server import Farm

OUT = Path(__file__).resolve().parent.parent / "resources" / "golden"
EXTRA = {"vpubnd-vinhphuc": 3407, "baohatinh": 257508, "vpubnd-langson": 2510}  # dateless, byline, table captions


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with Farm() as farm:
        picks = [a for a in farm.articles.values() if a.seed]
        picks += [farm.articles[(portal, item)] for portal, item in EXTRA.items()]
        for a in picks:
            name = a.seed[:3] + "-" + a.portal if a.seed else f"{a.portal}-{a.item_id}"
            html = urllib.request.urlopen(farm.url_of(a)).read()
            (OUT / f"{name}.html").write_bytes(html)
            print(name, farm.portals[a.portal].article_url(a))


if __name__ == "__main__":
    main()
