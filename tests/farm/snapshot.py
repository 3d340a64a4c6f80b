"""Save farm pages as golden files: `python -m tests.farm.snapshot`.

Writes tests/resources/golden/<name>.html for the five seed articles and a few generated ones, but
never over an existing file: the expected JSON beside each page was checked by hand against that
exact page, and the generated corpus changes as the farm grows. Delete a page to re-snapshot it,
then review its JSON.
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
            target = OUT / f"{name}.html"
            if target.exists():
                print(f"{name}: kept (delete it to re-snapshot)")
                continue
            target.write_bytes(urllib.request.urlopen(farm.url_of(a)).read())
            print(name, farm.portals[a.portal].article_url(a), "written: review its JSON")


if __name__ == "__main__":
    main()
