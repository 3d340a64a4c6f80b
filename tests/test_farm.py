"""The portal farm itself: deterministic, realistic enough, and mutable through its admin API."""

from __future__ import annotations

import json
import urllib.request
from datetime import datetime

from tests.farm import Farm
from tests.farm.content import VN_TZ, generate
from tests.farm.scoring import fetch


def _admin(farm: Farm, method: str, path: str, body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(farm.admin_url + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as resp:
        return json.loads(resp.read())


def test_corpus_is_deterministic_and_large_enough() -> None:
    a, b = generate(7), generate(7)
    assert [(x.portal, x.item_id, x.title, x.published) for x in a] == [(x.portal, x.item_id, x.title, x.published) for x in b]
    assert [x.title for x in generate(8)] != [x.title for x in a]
    assert len(a) >= 155
    topics = {x.topic for x in a}
    assert {"seed", "meeting", "announcement", "ceremony", "weather", "tourism", "economy"} <= topics


def test_seeds_are_served_on_their_portals(farm: Farm) -> None:
    seeds = {t["seed"][:3]: t for t in farm.expected() if t["seed"]}
    assert sorted(seeds) == ["000", "001", "002", "003", "004"]
    assert seeds["001"]["portal"] == "vpubnd-langson" and seeds["002"]["portal"] == "baohatinh"
    days = {datetime.now(VN_TZ).strftime("%d/%m/%Y")}
    page = fetch(seeds["001"]["url"])
    days.add(datetime.now(VN_TZ).strftime("%d/%m/%Y"))  # a fetch across midnight shows either day
    assert "Liên kết Websites" in page and "Thống kê truy cập" in page and "__VIEWSTATE" in page
    assert any(f"{day} " in page for day in days), "the clock widget shows today's date"
    assert "Tổ Công tác số 1 của Chủ tịch UBND kiểm tra tại Sở Xây dựng" in page


def test_lists_paginate_with_numbers_and_next_label(farm: Farm) -> None:
    for portal in farm.portals.values():
        first = fetch(portal.start_urls()[0])
        assert "Trang sau" in first or "Xem thêm" in first
        assert ">2</a>" in first


def test_admin_api_add_edit_remove_restore(fresh_farm: Farm) -> None:
    farm = fresh_farm
    added = _admin(farm, "POST", "/articles", {"portal": "baohatinh", "title": "Hội nghị mới được thêm vào trang",
                                                "paragraphs": ["Sáng 2/3, tỉnh tổ chức hội nghị.", "Đoạn hai."],
                                                "is_meeting": True})
    assert "Hội nghị mới được thêm vào trang" in fetch(added["url"])
    assert "Hội nghị mới được thêm vào trang" in fetch(farm.portals["baohatinh"].start_urls()[0])
    edited = _admin(farm, "PATCH", f"/articles/baohatinh/{added['item_id']}", {"title": "Tiêu đề đã sửa của bài"})
    assert edited["revision"] == 1 and "Tiêu đề đã sửa của bài" in fetch(added["url"])
    _admin(farm, "DELETE", f"/articles/baohatinh/{added['item_id']}")
    try:
        fetch(added["url"])
        raise AssertionError("a removed article must answer 404")
    except urllib.error.HTTPError as err:
        assert err.code == 404
    _admin(farm, "POST", f"/articles/baohatinh/{added['item_id']}/restore")
    assert "Tiêu đề đã sửa của bài" in fetch(added["url"])
    truth = _admin(farm, "GET", "/articles")
    assert any(t["item_id"] == added["item_id"] and t["status"] == "live" for t in truth)
