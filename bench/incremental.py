"""What each crawl cycle costs on a 2,000-article farm: `python -m bench.incremental`.

After a backfill of five portals: a cycle with no changes, a cycle after k new articles, and a
cycle after edits to them once their first re-check is due (the clock moved with PORTALWATCH_NOW).
Prints requests (list pages / articles / 304s), bytes and seconds per cycle, and what was found.
"""

from __future__ import annotations

import random
import sqlite3
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from crawler.urls import canonicalize
from tests.conftest import run_cli
from tests.farm import Farm
from tests.farm.content import _filler
from tests.farm.dupes import precision_recall, predicted_pairs, truth_pairs

K_NEW = 5


def main(per_portal: int = 400) -> None:
    rows = []
    with Farm(per_portal=per_portal) as farm, tempfile.TemporaryDirectory() as tmp:
        db, sources = Path(tmp) / "b.db", Path(tmp) / "s.toml"
        # The ASP.NET portal also links its newest article under a second CategoryID; the operator
        # tells portalwatch that parameter does not identify an article (README: [source.urls]).
        langson = 'start_urls = ["' + farm.portals["vpubnd-langson"].start_urls()[0] + '"]'
        rule = '\n[source.urls]\nignore_params = ["CategoryID"]'
        sources.write_text(farm.sources_toml().replace(langson, langson + rule), encoding="utf-8")

        def cycle(name: str, *args: str, hours_later: float = 0) -> None:
            env = {"PORTALWATCH_NOW": (datetime.now(UTC) + timedelta(hours=hours_later)).isoformat()} if hours_later else {}
            farm.requests.clear()
            sent = farm.bytes_sent
            con = sqlite3.connect(db) if db.exists() else None
            last_run = con.execute("select coalesce(max(id), 0) from crawl_runs").fetchone()[0] if con else 0
            started = time.perf_counter()
            result = run_cli("--db", str(db), "--sources", str(sources), "crawl", *args, env=env, timeout=900)
            seconds = time.perf_counter() - started
            assert result.returncode == 0, result.stderr[-2000:]
            con = sqlite3.connect(db)
            new, updated, removed = con.execute(
                "select sum(articles_new), sum(articles_updated), sum(articles_removed) from crawl_runs where id > ?",
                (last_run,)).fetchone()
            con.close()
            lists = [r for r in farm.requests if farm.is_list_path(r[0], r[2])]
            articles = [r for r in farm.requests if farm.is_article_path(r[0], r[2])]
            rows.append((name, len(lists), sum(r[1] == "304" for r in lists), len(articles), farm.bytes_sent - sent,
                         seconds, new, updated, removed))

        cycle("backfill", "--backfill", "--max-pages", "100")
        con = sqlite3.connect(db)
        cluster_of = dict(con.execute("select url, cluster_id from articles").fetchall())
        con.close()
        # Truth URLs under the same canonical rules as the sources file (CategoryID ignored there).
        truth = truth_pairs([{**t, "url": canonicalize(t["url"], ignore_params=("CategoryID",))}
                             for t in farm.expected()])
        precision, recall = precision_recall(truth, predicted_pairs(cluster_of))
        cycle("no changes")
        rng = random.Random(5)
        added = []
        for i, portal in enumerate(list(farm.portals)[:K_NEW]):
            added.append(farm.add(portal, f"Hội nghị giao ban công tác tháng 11 số {i} của {portal}",
                                  [f"Sáng ngày {i + 3}/11, đơn vị tổ chức hội nghị giao ban công tác tháng 11.",
                                   *_filler(rng, "chuyển đổi số", 3)], is_meeting=True))
        cycle(f"after {K_NEW} new articles")
        for a in added:
            farm.edit(a.portal, a.item_id, title=a.title + " (cập nhật)")
        cycle("edits, before their re-check is due")
        cycle("edits, 2 h later (first re-check due)", hours_later=2)
        cycle("no changes, 2 h later", hours_later=2)
        total = len(farm.articles)
    print(f"farm: {len(farm.portals)} portals, {total} articles")
    print(f"near-duplicate clusters after the backfill: {len(truth)} republished pairs, "
          f"precision {precision:.3f}, recall {recall:.3f}")
    print("| cycle | list pages | of which 304 | article requests | bytes | seconds | new | updated | removed |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, lists, n304, arts, size, secs, new, updated, removed in rows:
        print(f"| {name} | {lists} | {n304} | {arts} | {size:,} | {secs:.1f} | {new} | {updated} | {removed} |")


if __name__ == "__main__":
    main()
