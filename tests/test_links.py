"""List-page reading on every farm template: zero-config and with selectors."""

from __future__ import annotations

import pytest

from crawler.extract import parse_html
from crawler.links import find_article_links, find_next_page
from crawler.urls import canonicalize
from tests.farm import PORTALS, Farm
from tests.farm.scoring import fetch


@pytest.mark.parametrize("portal", [p.key for p in PORTALS])
def test_zero_config_list_pages_find_every_article_and_no_other_link(farm: Farm, portal: str) -> None:
    p = farm.portals[portal]
    url: str | None = p.start_urls()[0]
    found: list[str] = []
    shapes: set[str] = set()
    page = 1
    while url and page <= 20:
        root = parse_html(fetch(url), url)
        links, shapes = find_article_links(root, url, known_shapes=shapes)
        assert links, f"page {page} of {portal} yielded no article links"
        found += [link.url for link in links]
        url = find_next_page(root, url, page)
        page += 1
    listed = {canonicalize(farm.url_of(a)) for a in p.listed()}
    aliases = {canonicalize(a) for a in farm.aliases(portal)}
    assert set(found) == listed | aliases
    assert page - 1 == -(-len(listed) // 10), "pagination followed to the last page and stopped"


def test_selectors_override_discovery(farm: Farm) -> None:
    p = farm.portals["baohatinh"]
    url = p.start_urls()[0]
    root = parse_html(fetch(url), url)
    # Only the side box ("Đọc nhiều"), chosen on purpose: the selector must win over discovery.
    links, _ = find_article_links(root, url, item_selector="aside .box ol li a")
    assert 1 <= len(links) <= 4
    main, _ = find_article_links(root, url)
    assert len(main) == 10
    nxt = find_next_page(root, url, 1, next_selector=".pagination a.next")
    assert nxt is not None and nxt.endswith("/chinh-tri/trang-2.html")


def test_menus_and_other_hosts_are_not_articles(farm: Farm) -> None:
    p = farm.portals["vpubnd-langson"]
    url = p.start_urls()[0]
    links, _ = find_article_links(parse_html(fetch(url), url), url)
    assert all("tabid=85" in link.url and "ItemID" in link.url for link in links)
    assert not any("example.gov.vn" in link.url for link in links)


def test_canonical_urls() -> None:
    assert canonicalize("HTTP://WWW.Portal.gov.vn:80/Default.aspx?tabid=85&ItemID=3&utm_source=fb#top") == \
        "http://portal.gov.vn/Default.aspx?ItemID=3&tabid=85"
    assert canonicalize("https://x.gov.vn/web/guest/tin?p_p_auth=abc&_cur=2&id=7") == "https://x.gov.vn/web/guest/tin?id=7"
    assert canonicalize("http://x.vn/(S(abc123))/Default.aspx?ItemID=1") == "http://x.vn/Default.aspx?ItemID=1"
    # A newspaper slug changes with the title; the id does not.
    assert canonicalize("https://baohatinh.vn/chinh-tri/so-xay-dung-can-nang-diem-post257412.html") == \
        canonicalize("https://baohatinh.vn/chinh-tri/so-xay-dung-da-nang-diem-post257412.html") == \
        "https://baohatinh.vn/chinh-tri/post257412.html"
    assert canonicalize("https://x.gov.vn/tin-tuc/ky-hop-thu-12.html") == "https://x.gov.vn/tin-tuc/ky-hop-thu-12.html"
