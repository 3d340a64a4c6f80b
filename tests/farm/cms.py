"""CMS families the main farm does not use, each a small site with a news list and its articles:
the test bed for zero-config list reading, pagination and dates on markup nobody tuned for.

Every template is written here from what these CMS families are known to print (URL schemes, pager
markup, date lines, metadata); no real page's HTML or text is copied. Each site lists its articles
newest first, ten a page, over three pages (some end on a one-entry page), with short headlines among
them, menus and side boxes around them, and article pages whose date is printed the family's way.

`DEV` templates were written first and the zero-config rules were tuned on them; `HELD_OUT` templates
were written after those rules were frozen, and are reported apart (README, `python -m bench.templates`).
"""

from __future__ import annotations

import html
import json
import re
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .content import FarmArticle, generate
from .server import slugify

PER_PAGE = 10
SHORT_TITLES = ["Kỳ họp thứ 9", "Hội nghị Tỉnh ủy", "Điểm báo ngày 22/9", "Giao ban tháng 5"]
MENU = ["Trang chủ", "Giới thiệu", "Tin tức - Sự kiện", "Văn bản", "Thủ tục hành chính", "Liên hệ"]
# Boilerplate every template puts around the article; none of it may reach an extracted body.
BOILERPLATE = ["Liên kết Websites", "Thống kê truy cập", "Các tin đã đưa ngày", "Bản quyền thuộc về", "Tin liên quan"]
e = html.escape


@dataclass
class Site:
    """One template's site: its articles, and how it prints lists, pagers and articles."""

    key: str
    family: str
    n_articles: int
    list_path: Callable[[int], str]  # page n → path (page 1 is the start URL)
    article_path: Callable[[int, FarmArticle], str]
    route: Callable[[str, dict[str, list[str]]], tuple[str, int] | None]  # path, query → ("list", n) | ("article", i)
    list_html: Callable[[Site, int, list[tuple[int, FarmArticle]]], str]
    article_html: Callable[[Site, int, FarmArticle], str]
    visible: Callable[[FarmArticle], str]  # the gold published value: ISO with the time when the page shows one
    held_out: bool = False
    articles: list[FarmArticle] = field(default_factory=list)
    port: int = 0
    server: ThreadingHTTPServer | None = None
    extra: Callable[[Site, str, dict[str, list[str]]], tuple[int, str, str] | None] | None = None  # feeds, JSON

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pages(self) -> int:
        return -(-self.n_articles // PER_PAGE)

    def entries(self, n: int) -> list[tuple[int, FarmArticle]]:
        return list(enumerate(self.articles))[(n - 1) * PER_PAGE:n * PER_PAGE]

    def url(self, i: int) -> str:
        return self.base + self.article_path(i, self.articles[i])

    def start_url(self) -> str:
        return self.base + self.list_path(1)


def _page(title: str, body: str, head: str = "") -> str:
    menu = "".join(f'<li><a href="/m/{slugify(m)}">{e(m)}</a></li>' for m in MENU)
    side = ('<div class="box"><h3>Liên kết Websites</h3><ul><li><a href="http://chinhphu.vn/">Cổng TTĐT Chính phủ</a></li>'
            '</ul></div><div class="box"><h3>Thống kê truy cập</h3><p>Đang truy cập: 12</p></div>')
    return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{e(title)}</title>{head}</head><body>'
            f'<div id="banner"><a href="/"><img src="/logo.png" alt="logo"></a></div><ul class="menu">{menu}</ul>'
            f'<div class="wrap"><div class="content">{body}</div><div class="side">{side}</div></div>'
            f'<div class="footer">Bản quyền thuộc về Ủy ban nhân dân tỉnh. Địa chỉ: số 1 đường Trần Phú.</div></body></html>')


def _home(site: Site) -> str:
    """The site's home page: a menu whose news entry leads to the list, beside entries that lead elsewhere."""
    menu = (f'<ul class="main-menu"><li><a href="/">Trang chủ</a></li><li><a href="/gioi-thieu">Giới thiệu</a></li>'
            f'<li><a href="{site.list_path(1)}">Tin tức - Sự kiện</a></li><li><a href="/van-ban">Văn bản</a></li></ul>')
    news = "".join(f'<li><a href="{site.article_path(i, a)}">{e(a.title)}</a></li>' for i, a in site.entries(1)[:4])
    return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Cổng thông tin điện tử tỉnh Hà Tĩnh</title>'
            f'</head><body>{menu}<div class="home-news"><h2>Tin mới</h2><ul>{news}</ul></div></body></html>')


def _body(a: FarmArticle) -> str:
    return "".join(f"<p>{e(p)}</p>" for p in a.paragraphs)


def _related(site: Site, i: int) -> str:
    others = [j for j in range(len(site.articles)) if j != i][:3]
    items = "".join(f'<li><a href="{site.article_path(j, site.articles[j])}">{e(site.articles[j].title)}</a></li>' for j in others)
    return f'<div class="related"><h4>Tin liên quan</h4><ul>{items}</ul></div>'


def _hm(a: FarmArticle) -> str:
    assert a.published is not None
    return a.published.strftime("%H:%M")


def _dmy(a: FarmArticle) -> str:
    assert a.published is not None
    return a.published.strftime("%d/%m/%Y")


def _iso_minute(a: FarmArticle) -> str:
    assert a.published is not None
    return a.published.isoformat(timespec="seconds")


def _iso_day(a: FarmArticle) -> str:
    assert a.published is not None
    return a.published.replace(hour=0, minute=0, second=0).isoformat(timespec="seconds")


WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]


def _q(qs: dict[str, list[str]], name: str) -> str | None:
    for key, values in qs.items():
        if key.lower() == name.lower():
            return values[0]
    return None


def _int(value: str | None, default: int | None = None) -> int | None:
    return int(value) if value and value.isdigit() else default


# ---------------------------------------------------------------------------------------- NukeViet
def nukeviet() -> Site:
    def list_html(site: Site, n: int, entries: list[tuple[int, FarmArticle]]) -> str:
        items = "".join(f'<div class="news_column"><div class="panel-body"><h3><a href="{site.article_path(i, a)}" '
                        f'title="{e(a.title)}">{e(a.title)}</a></h3><p class="text-muted"><em class="fa fa-clock-o"></em> '
                        f'{_dmy(a)} {_hm(a)}</p></div></div>' for i, a in entries)
        pager = "".join(f'<li class="active"><a href="#">{k}</a></li>' if k == n else
                        f'<li><a href="{site.list_path(k)}">{k}</a></li>' for k in range(1, site.pages + 1))
        if n < site.pages:
            pager += f'<li><a href="{site.list_path(n + 1)}" title="Trang sau">&raquo;</a></li>'
        return _page("Tin tức", f'<div id="news"><h2>Tin tức - Sự kiện</h2>{items}</div><ul class="pagination">{pager}</ul>')

    def article_html(site: Site, i: int, a: FarmArticle) -> str:
        assert a.published is not None
        day = WEEKDAYS[a.published.weekday()]
        return _page(a.title, f'<div class="news_detail"><h1 class="title">{e(a.title)}</h1><span class="h-date">'
                              f'{day}, {_dmy(a)} {_hm(a)}</span><div class="hometext">{e(a.paragraphs[0])}</div>'
                              f'<div id="news-bodyhtml" class="bodytext">{"".join(f"<p>{e(p)}</p>" for p in a.paragraphs[1:])}'
                              f'</div></div>{_related(site, i)}')

    def route(path: str, qs: dict[str, list[str]]) -> tuple[str, int] | None:
        if m := re.fullmatch(r"/news/tin-tuc(?:/page-(\d+))?/?", path):
            return "list", int(m.group(1) or 1)
        if m := re.fullmatch(r"/news/tin-tuc/[a-z0-9-]+-(\d+)\.html", path):
            return "article", int(m.group(1)) - 100
        return None

    return Site("nukeviet", "NukeViet", 23, lambda n: "/news/tin-tuc/" if n == 1 else f"/news/tin-tuc/page-{n}",
                lambda i, a: f"/news/tin-tuc/{slugify(a.title)[:60].strip('-')}-{100 + i}.html", route, list_html,
                article_html, _iso_minute)


# ------------------------------------------------------------------------- DotNetNuke, __doPostBack
def dnn_postback() -> Site:
    target = "dnn$ctr1024$ViewNews$pager"

    def list_html(site: Site, n: int, entries: list[tuple[int, FarmArticle]]) -> str:
        rows = "".join(f'<tr><td class="news-item"><a class="title" href="{site.article_path(i, a)}">{e(a.title)}</a>'
                       f'<span class="date">({_dmy(a)})</span></td></tr>' for i, a in entries)
        numbers = " ".join(f"<span class='current'>{k}</span>" if k == n else
                           f"<a href=\"javascript:__doPostBack('{target}','Page${k}')\">{k}</a>"
                           for k in range(1, site.pages + 1))
        nxt = f" <a href=\"javascript:__doPostBack('{target}','Page${n + 1}')\">Trang sau &gt;&gt;</a>" if n < site.pages else ""
        body = (f'<form method="post" action="/Default.aspx?tabid=85" id="Form"><input type="hidden" name="__VIEWSTATE" '
                f'value="dDwtMTA4MzQ{n}Ozs+"><input type="hidden" name="__EVENTTARGET" value=""><input type="hidden" '
                f'name="__EVENTARGUMENT" value=""><table class="news">{rows}</table><div class="pager">{numbers}{nxt}</div></form>')
        return _page("Tin tức", body)

    def article_html(site: Site, i: int, a: FarmArticle) -> str:
        assert a.published is not None
        # The ASP.NET server's culture is en-US: month first, 12-hour clock.
        us = f"{a.published.month}/{a.published.day}/{a.published.year} {a.published.strftime('%I:%M:%S %p').lstrip('0')}"
        head = f'<meta property="article:published_time" content="{us}">'
        return _page(a.title, f'<div class="Normal"><h2 class="title">{e(a.title)}</h2><div class="date">Ngày đăng: '
                              f'{_dmy(a)} {_hm(a)}</div>{_body(a)}</div>{_related(site, i)}', head)

    def route(path: str, qs: dict[str, list[str]]) -> tuple[str, int] | None:
        if path.lower() == "/default.aspx" and _q(qs, "tabid") == "85":
            item = _int(_q(qs, "ItemID"))
            return ("article", item - 5000) if item else ("list", 1)
        return None

    return Site("dnn-postback", "DotNetNuke (__doPostBack pager)", 25, lambda n: "/Default.aspx?tabid=85",
                lambda i, a: f"/Default.aspx?tabid=85&ItemID={5000 + i}", route, list_html, article_html, _iso_minute)


# ------------------------------------------------------------------------------- SharePoint 2013
def sharepoint2013() -> Site:
    def list_html(site: Site, n: int, entries: list[tuple[int, FarmArticle]]) -> str:
        items = "".join(f'<li class="dfwp-item"><div class="item"><div class="link-item"><a href="{site.article_path(i, a)}">'
                        f'{e(a.title)}</a></div><div class="description">{_dmy(a)}</div></div></li>' for i, a in entries)
        # The current page is plain text; no "next" word anywhere.
        pager = "".join(f"<span class='ms-paging'>{k}</span>" if k == n else
                        f"<a class='ms-paging' href='{site.list_path(k)}'>{k}</a>" for k in range(1, site.pages + 1))
        return _page("Tin tức", f'<div class="ms-webpart-zone"><ul class="dfwp-list">{items}</ul></div>'
                                f'<div class="ms-bottompaging">{pager}</div>')

    def article_html(site: Site, i: int, a: FarmArticle) -> str:
        return _page(a.title, f'<div class="article-content"><h1 class="ms-rteElement-H1">{e(a.title)}</h1>'
                              f'<div class="date-line">{_dmy(a)}</div><div class="ms-rtestate-field">{_body(a)}</div></div>'
                              f'{_related(site, i)}')

    def route(path: str, qs: dict[str, list[str]]) -> tuple[str, int] | None:
        if path == "/Pages/tin-tuc.aspx":
            return "list", _int(_q(qs, "PageIndex"), 1) or 1
        if m := re.fullmatch(r"/Pages/([a-z0-9-]+)\.aspx", path):
            slugs = {slugify(a.title)[:70].strip("-"): k for k, a in enumerate(SITE_ARTICLES["sharepoint2013"])}
            return ("article", slugs[m.group(1)]) if m.group(1) in slugs else None
        return None

    return Site("sharepoint2013", "SharePoint 2013 (/Pages/, ?PageIndex=)", 21,
                lambda n: "/Pages/tin-tuc.aspx" if n == 1 else f"/Pages/tin-tuc.aspx?PageIndex={n}",
                lambda i, a: f"/Pages/{slugify(a.title)[:70].strip('-')}.aspx", route, list_html, article_html, _iso_day)


# ------------------------------------------------------------------------------------- Liferay 7
def liferay7() -> Site:
    portlet = "_com_liferay_asset_publisher_web_portlet_AssetPublisherPortlet_INSTANCE_aB3dE"

    def list_path(n: int) -> str:
        base = "/web/guest/tin-tuc?p_p_id=com_liferay_asset_publisher_web_portlet_AssetPublisherPortlet_INSTANCE_aB3dE&p_p_lifecycle=0"
        return base if n == 1 else f"{base}&{portlet}_cur={n}&{portlet}_delta=10"

    def list_html(site: Site, n: int, entries: list[tuple[int, FarmArticle]]) -> str:
        items = "".join(f'<div class="asset-abstract"><h4 class="asset-title"><a href="{site.article_path(i, a)}">{e(a.title)}'
                        f'</a></h4><div class="asset-summary">{e(a.paragraphs[0][:120])}…</div></div>' for i, a in entries)
        nxt = (f'<li class="page-item"><a class="page-link lfr-portal-tooltip" href="{e(list_path(n + 1))}" '
               f'title="Tiếp theo"><img src="/o/classic-theme/images/arrows/next.png" alt="Tiếp theo"></a></li>'
               if n < site.pages else "")
        return _page("Tin tức", f'<div class="portlet-body">{items}</div><ul class="lfr-pagination-buttons pager">{nxt}</ul>')

    def article_html(site: Site, i: int, a: FarmArticle) -> str:
        assert a.published is not None
        return _page(a.title, f'<div class="journal-content-article"><h3 class="header-title">{e(a.title)}</h3>'
                              f'<p class="ngay-dang">Đăng ngày {a.published.strftime("%d-%m-%Y %H:%M")}</p>{_body(a)}</div>'
                              f'{_related(site, i)}')

    def route(path: str, qs: dict[str, list[str]]) -> tuple[str, int] | None:
        if path == "/web/guest/tin-tuc":
            return "list", _int(_q(qs, f"{portlet}_cur"), 1) or 1
        if m := re.fullmatch(r"/web/guest/tin-tuc/-/asset_publisher/aB3dE/content/[a-z0-9-]+-(\d+)", path):
            return "article", int(m.group(1)) - 700
        return None

    return Site("liferay7", "Liferay 7 (p_p_id, _cur, image button)", 24, list_path,
                lambda i, a: f"/web/guest/tin-tuc/-/asset_publisher/aB3dE/content/{slugify(a.title)[:50].strip('-')}-{700 + i}",
                route, list_html, article_html, _iso_minute)


# ---------------------------------------------------------------------------------------- Joomla
def joomla() -> Site:
    def list_html(site: Site, n: int, entries: list[tuple[int, FarmArticle]]) -> str:
        items = "".join(f'<div class="items-row"><div class="item"><h2 itemprop="name"><a href="{site.article_path(i, a)}" '
                        f'itemprop="url">{e(a.title)}</a></h2></div></div>' for i, a in entries)
        nxt = (f'<li class="pagination-next"><a title="Tiếp" href="{site.list_path(n + 1)}" class="pagenav">Tiếp</a></li>'
               if n < site.pages else '<li class="pagination-next"><span class="pagenav">Tiếp</span></li>')
        prev = (f'<li class="pagination-prev"><a title="Trước" href="{site.list_path(n - 1)}" class="pagenav">Trước</a></li>'
                if n > 1 else "")
        return _page("Tin tức", f'<div class="blog">{items}</div><div class="pagination"><ul>{prev}{nxt}</ul></div>')

    def article_html(site: Site, i: int, a: FarmArticle) -> str:
        return _page(a.title, f'<div class="item-page"><h2 itemprop="headline">{e(a.title)}</h2><dl class="article-info">'
                              f'<dd class="published"><time datetime="{_iso_minute(a)}" itemprop="datePublished">'
                              f'Ngày đăng: {_dmy(a)}</time></dd></dl><div itemprop="articleBody">{_body(a)}</div></div>')

    def route(path: str, qs: dict[str, list[str]]) -> tuple[str, int] | None:
        if path == "/tin-tuc.html":
            return "list", (_int(_q(qs, "start"), 0) or 0) // PER_PAGE + 1
        if m := re.fullmatch(r"/tin-tuc/(\d+)-[a-z0-9-]+\.html", path):
            return "article", int(m.group(1)) - 300
        return None

    return Site("joomla", "Joomla (?start=, Tiếp)", 22, lambda n: "/tin-tuc.html" if n == 1 else f"/tin-tuc.html?start={(n - 1) * 10}",
                lambda i, a: f"/tin-tuc/{300 + i}-{slugify(a.title)[:50].strip('-')}.html", route, list_html, article_html,
                _iso_minute)


# ------------------------------------------------------------------------------------- WordPress
MONTHS = ["Một", "Hai", "Ba", "Tư", "Năm", "Sáu", "Bảy", "Tám", "Chín", "Mười", "Mười Một", "Mười Hai"]


def wordpress() -> Site:
    def list_html(site: Site, n: int, entries: list[tuple[int, FarmArticle]]) -> str:
        items = "".join(f'<article class="post type-post"><header class="entry-header"><h2 class="entry-title"><a href="'
                        f'{site.article_path(i, a)}" rel="bookmark">{e(a.title)}</a></h2></header></article>' for i, a in entries)
        nav = (f'<a class="next page-numbers" href="{site.list_path(n + 1)}">Trang sau &raquo;</a>' if n < site.pages else "")
        return _page("Tin tức", f'<main id="main">{items}<nav class="navigation pagination"><div class="nav-links">'
                                f'<span aria-current="page" class="page-numbers current">{n}</span>{nav}</div></nav></main>')

    def article_html(site: Site, i: int, a: FarmArticle) -> str:
        assert a.published is not None
        visible = f"{a.published.day} Tháng {MONTHS[a.published.month - 1]}, {a.published.year}"
        return _page(a.title, f'<article class="post"><h1 class="entry-title">{e(a.title)}</h1><div class="entry-meta">'
                              f'<time class="entry-date published" datetime="{_iso_minute(a)}">{visible}</time></div>'
                              f'<div class="entry-content">{_body(a)}</div></article>')

    def route(path: str, qs: dict[str, list[str]]) -> tuple[str, int] | None:
        if m := re.fullmatch(r"/tin-tuc/(?:page/(\d+)/)?", path):
            return "list", int(m.group(1) or 1)
        if m := re.fullmatch(r"/(\d{4})/(\d{2})/([a-z0-9-]+)/", path):
            slugs = {slugify(a.title)[:60].strip("-"): k for k, a in enumerate(SITE_ARTICLES["wordpress"])}
            return ("article", slugs[m.group(3)]) if m.group(3) in slugs else None
        return None

    def article_path(i: int, a: FarmArticle) -> str:
        assert a.published is not None
        return f"/{a.published.year}/{a.published.month:02d}/{slugify(a.title)[:60].strip('-')}/"

    return Site("wordpress", "WordPress (/page/N/, slug URLs)", 23, lambda n: "/tin-tuc/" if n == 1 else f"/tin-tuc/page/{n}/",
                article_path, route, list_html, article_html, _iso_minute)


# --------------------------------------------------------------------------------------- Drupal 9
def drupal9() -> Site:
    def list_html(site: Site, n: int, entries: list[tuple[int, FarmArticle]]) -> str:
        rows = "".join(f'<div class="views-row"><div class="views-field views-field-title"><span class="field-content">'
                       f'<a href="{site.article_path(i, a)}" hreflang="vi">{e(a.title)}</a></span></div></div>' for i, a in entries)
        items = []
        for k in range(1, site.pages + 1):
            if k == n:
                items.append(f'<li class="pager__item is-active"><a href="?page={k - 1}" aria-current="page">{k}</a></li>')
            else:
                items.append(f'<li class="pager__item"><a href="?page={k - 1}">{k}</a></li>')
        if n < site.pages:
            items.append(f'<li class="pager__item pager__item--next"><a href="?page={n}"><span aria-hidden="true">›</span></a></li>')
            items.append(f'<li class="pager__item pager__item--last"><a href="?page={site.pages - 1}"><span>»</span></a></li>')
        return _page("Tin tức", f'<div class="view-content">{rows}</div><nav class="pager"><ul class="pager__items">'
                                f'{"".join(items)}</ul></nav>')

    def article_html(site: Site, i: int, a: FarmArticle) -> str:
        ld = json.dumps({"@context": "https://schema.org", "@graph": [{"@type": "NewsArticle", "headline": a.title,
                                                                        "datePublished": _iso_minute(a)}]})
        return _page(a.title, f'<article class="node node--type-article"><h1 class="page-title"><span>{e(a.title)}</span></h1>'
                              f'<div class="node__meta">{_hm(a)}, {_dmy(a)}</div><div class="field--name-body">{_body(a)}</div>'
                              f'</article>', f'<script type="application/ld+json">{ld}</script>')

    def route(path: str, qs: dict[str, list[str]]) -> tuple[str, int] | None:
        if path == "/tin-tuc":
            return "list", (_int(_q(qs, "page"), 0) or 0) + 1
        if m := re.fullmatch(r"/tin-tuc/([a-z0-9-]+)", path):
            slugs = {slugify(a.title)[:60].strip("-"): k for k, a in enumerate(SITE_ARTICLES["drupal9"])}
            return ("article", slugs[m.group(1)]) if m.group(1) in slugs else None
        return None

    return Site("drupal9", "Drupal 9 (?page= from 0, path aliases, arrows)", 21,
                lambda n: "/tin-tuc" if n == 1 else f"/tin-tuc?page={n - 1}",
                lambda i, a: f"/tin-tuc/{slugify(a.title)[:60].strip('-')}", route, list_html, article_html, _iso_minute)


# ------------------------------------------------------------------------ VNPT portal platform
def vnpt() -> Site:
    def list_html(site: Site, n: int, entries: list[tuple[int, FarmArticle]]) -> str:
        items = "".join(f'<div class="list-news-item"><a class="img" href="{site.article_path(i, a)}"><img src="/thumb/{i}.jpg">'
                        f'</a><a class="title-news" href="{site.article_path(i, a)}">{e(a.title)}</a>'
                        f'<span class="time">{_dmy(a)}</span></div>' for i, a in entries)
        pager = " ".join(f"<b>[{k}]</b>" if k == n else f'<a href="{site.list_path(k)}">[{k}]</a>' for k in range(1, site.pages + 1))
        if n < site.pages:
            pager += f' <a href="{site.list_path(n + 1)}">[Tiếp]</a>'
        return _page("Tin tức", f'<div class="list-news">{items}</div><div class="paging">{pager}</div>')

    def article_html(site: Site, i: int, a: FarmArticle) -> str:
        return _page(a.title, f'<div class="detail-news"><h1 class="title-detail">{e(a.title)}</h1><div class="date-detail">'
                              f'Cập nhật: {_dmy(a)} {_hm(a)}</div><div class="content-detail">{_body(a)}</div></div>'
                              f'{_related(site, i)}')

    def route(path: str, qs: dict[str, list[str]]) -> tuple[str, int] | None:
        if path == "/tin-tuc-su-kien":
            return "list", _int(_q(qs, "pageindex"), 1) or 1
        if m := re.fullmatch(r"/tin-tuc-su-kien/[a-z0-9-]+-(\d+)\.aspx", path):
            return "article", int(m.group(1)) - 900
        return None

    return Site("vnpt", "VNPT portal platform ([Tiếp], ?pageindex=)", 25,
                lambda n: "/tin-tuc-su-kien" if n == 1 else f"/tin-tuc-su-kien?pageindex={n}",
                lambda i, a: f"/tin-tuc-su-kien/{slugify(a.title)[:50].strip('-')}-{900 + i}.aspx", route, list_html,
                article_html, _iso_minute)


# ---------------------------------------------------------------------- Viettel portal platform
def viettel() -> Site:
    def list_html(site: Site, n: int, entries: list[tuple[int, FarmArticle]]) -> str:
        items = "".join(f'<li><div class="news-title"><a href="{site.article_path(i, a)}">{e(a.title)}</a></div></li>'
                        for i, a in entries)
        nxt = f'<a class="next" href="{site.list_path(n + 1)}">Sau »»</a>' if n < site.pages else ""
        return _page("Tin tức", f'<div class="portlet"><ul class="news-list">{items}</ul><div class="paging">{nxt}</div></div>')

    def article_html(site: Site, i: int, a: FarmArticle) -> str:
        assert a.published is not None
        clock = a.published.strftime("%I:%M:%S").lstrip("0") + (" Sáng" if a.published.hour < 12 else " Chiều")
        day = WEEKDAYS[a.published.weekday()].lower().capitalize()
        return _page(a.title, f'<div class="news-detail"><div class="title">{e(a.title)}</div><div class="date">{day}, '
                              f'{_dmy(a)} | {clock}</div><div class="body">{_body(a)}</div></div>{_related(site, i)}')

    def route(path: str, qs: dict[str, list[str]]) -> tuple[str, int] | None:
        if path == "/portal/Pages/tin-tuc.aspx":
            return "list", _int(_q(qs, "p"), 1) or 1
        if m := re.fullmatch(r"/portal/Pages/\d{4}-\d{1,2}-\d{1,2}/([a-z0-9-]+)\.aspx", path):
            slugs = {slugify(a.title)[:60].strip("-"): k for k, a in enumerate(SITE_ARTICLES["viettel"])}
            return ("article", slugs[m.group(1)]) if m.group(1) in slugs else None
        return None

    def article_path(i: int, a: FarmArticle) -> str:
        assert a.published is not None
        p = a.published
        return f"/portal/Pages/{p.year}-{p.month}-{p.day}/{slugify(a.title)[:60].strip('-')}.aspx"

    return Site("viettel", "Viettel portal platform (Sau »», 12-hour Sáng/Chiều)", 21,
                lambda n: "/portal/Pages/tin-tuc.aspx" if n == 1 else f"/portal/Pages/tin-tuc.aspx?p={n}",
                article_path, route, list_html, article_html, _iso_minute)


# ----------------------------------------------------------------- a newspaper, short headlines
def newspaper_short() -> Site:
    def list_html(site: Site, n: int, entries: list[tuple[int, FarmArticle]]) -> str:
        items = "".join(f'<div class="story"><h3 class="story__heading"><a href="{site.article_path(i, a)}">{e(a.title)}</a></h3>'
                        f'<time>{_dmy(a)}</time></div>' for i, a in entries)
        more = f'<div class="more"><a href="{site.list_path(n + 1)}">Xem thêm...</a></div>' if n < site.pages else ""
        return _page("Thời sự", f'<section class="cate-list">{items}</section>{more}')

    def article_html(site: Site, i: int, a: FarmArticle) -> str:
        return _page(a.title, f'<div class="detail"><h1 class="detail__title">{e(a.title)}</h1><div class="detail__meta">'
                              f'{_dmy(a)} {_hm(a)} GMT+7</div><div class="detail__sapo"><b>{e(a.paragraphs[0])}</b></div>'
                              f'<div class="detail__content">{"".join(f"<p>{e(p)}</p>" for p in a.paragraphs[1:])}</div></div>'
                              f'{_related(site, i)}')

    def route(path: str, qs: dict[str, list[str]]) -> tuple[str, int] | None:
        if m := re.fullmatch(r"/thoi-su(?:/trang-(\d+))?\.html", path):
            return "list", int(m.group(1) or 1)
        if m := re.fullmatch(r"/thoi-su/[a-z0-9-]+-post(\d+)\.html", path):
            return "article", int(m.group(1)) - 880000
        return None

    return Site("newspaper-short", "Newspaper (/trang-N.html, Xem thêm..., short headlines)", 21,
                lambda n: "/thoi-su.html" if n == 1 else f"/thoi-su/trang-{n}.html",
                lambda i, a: f"/thoi-su/{slugify(a.title)[:60].strip('-')}-post{880000 + i}.html", route, list_html,
                article_html, _iso_minute)


# ---------------------------------------------------------- a "Xem thêm" list behind a JSON endpoint
def xem_them_json() -> Site:
    def list_html(site: Site, n: int, entries: list[tuple[int, FarmArticle]]) -> str:
        items = "".join(f'<li class="item"><a href="{site.article_path(i, a)}">{e(a.title)}</a></li>' for i, a in entries)
        return _page("Tin tức", f'<ul id="list-news" class="list-news">{items}</ul><button type="button" class="btn-more" '
                                f'data-url="/api/tin-tuc?page=2">Xem thêm</button>')

    def article_html(site: Site, i: int, a: FarmArticle) -> str:
        return _page(a.title, f'<div class="post-detail"><h1>{e(a.title)}</h1><div class="post-date">{_dmy(a)} {_hm(a)}</div>'
                              f'<div class="post-content">{_body(a)}</div></div>')

    def route(path: str, qs: dict[str, list[str]]) -> tuple[str, int] | None:
        if path == "/tin-tuc":
            return "list", 1
        if m := re.fullmatch(r"/tin-tuc/chi-tiet/(\d+)", path):
            return "article", int(m.group(1)) - 60
        return None

    def extra(site: Site, path: str, qs: dict[str, list[str]]) -> tuple[int, str, str] | None:
        if path != "/api/tin-tuc":
            return None
        n = _int(_q(qs, "page"), 1) or 1
        items = [{"id": 60 + i, "title": a.title, "url": site.article_path(i, a), "date": _iso_minute(a)}
                 for i, a in site.entries(n)]
        data = {"data": items, "next": f"/api/tin-tuc?page={n + 1}" if n < site.pages else None}
        return 200, json.dumps(data, ensure_ascii=False), "application/json; charset=utf-8"

    return Site("xem-them-json", "“Xem thêm” button over a JSON endpoint", 23, lambda n: "/tin-tuc",
                lambda i, a: f"/tin-tuc/chi-tiet/{60 + i}", route, list_html, article_html, _iso_minute, extra=extra)


# ------------------------------------------------------------------------ a list with RSS only
def rss_only() -> Site:
    def list_html(site: Site, n: int, entries: list[tuple[int, FarmArticle]]) -> str:
        # The list is drawn by JavaScript from an endpoint the crawler cannot know; the page offers its feed.
        return _page("Tin tức", '<div id="app-news" data-source="/x/api"></div><script>loadNews()</script>',
                     '<link rel="alternate" type="application/rss+xml" title="Tin tức" href="/rss/tin-tuc.rss">')

    def article_html(site: Site, i: int, a: FarmArticle) -> str:
        return _page(a.title, f'<div class="news"><h1>{e(a.title)}</h1><p class="date">{_dmy(a)} {_hm(a)}</p>{_body(a)}</div>')

    def route(path: str, qs: dict[str, list[str]]) -> tuple[str, int] | None:
        if path == "/tin-tuc/":
            return "list", 1
        if m := re.fullmatch(r"/tin/(\d+)\.html", path):
            return "article", int(m.group(1)) - 40
        return None

    def extra(site: Site, path: str, qs: dict[str, list[str]]) -> tuple[int, str, str] | None:
        if path != "/rss/tin-tuc.rss":
            return None
        items = "".join(f"<item><title>{e(a.title)}</title><link>{site.url(i)}</link><guid>{site.url(i)}</guid>"
                        f"<pubDate>{format_datetime(a.published) if a.published else ''}</pubDate></item>"
                        for i, a in enumerate(site.articles))
        return 200, (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Tin tức</title>'
                     f'<link>{site.start_url()}</link>{items}</channel></rss>'), "application/rss+xml; charset=utf-8"

    return Site("rss-only", "List drawn by JavaScript, RSS feed offered", 22, lambda n: "/tin-tuc/",
                lambda i, a: f"/tin/{40 + i}.html", route, list_html, article_html, _iso_minute, extra=extra)


def sitemap_only() -> Site:
    def list_html(site: Site, n: int, entries: list[tuple[int, FarmArticle]]) -> str:
        return _page("Tin tức", '<div id="vue-news"></div><script src="/static/app.js"></script>')

    def article_html(site: Site, i: int, a: FarmArticle) -> str:
        return _page(a.title, f'<div class="news-detail"><h1>{e(a.title)}</h1><div class="meta">{_dmy(a)} {_hm(a)}</div>'
                              f'{_body(a)}</div>')

    def route(path: str, qs: dict[str, list[str]]) -> tuple[str, int] | None:
        if path == "/tin-tuc":
            return "list", 1
        if m := re.fullmatch(r"/tin-tuc/([a-z0-9-]+)-n(\d+)\.html", path):
            return "article", int(m.group(2)) - 200
        return None

    def extra(site: Site, path: str, qs: dict[str, list[str]]) -> tuple[int, str, str] | None:
        if path == "/robots.txt":
            return 200, f"User-agent: *\nDisallow: /admin/\nSitemap: {site.base}/sitemap_index.xml\n", "text/plain"
        if path == "/sitemap_index.xml":
            return 200, (f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                         f'<sitemap><loc>{site.base}/sitemap-news.xml</loc></sitemap></sitemapindex>'), "application/xml"
        if path == "/sitemap-news.xml":
            urls = "".join(f"<url><loc>{site.url(i)}</loc><news:news><news:publication_date>{_iso_minute(a)}</news:publication_date>"
                           f"<news:title>{e(a.title)}</news:title></news:news></url>" for i, a in enumerate(site.articles))
            return 200, ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                         f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>'), "application/xml"
        return None

    return Site("sitemap-only", "List drawn by JavaScript, news sitemap named in robots.txt", 22, lambda n: "/tin-tuc",
                lambda i, a: f"/tin-tuc/{slugify(a.title)[:50].strip('-')}-n{200 + i}.html", route, list_html, article_html,
                _iso_minute, extra=extra)


# ------------------------------------------------------------------------------------------------
# Held out: written after the zero-config rules above were frozen (commit 45e3c91), never tuned on.
# ------------------------------------------------------------------------------------------------
def classic_asp() -> Site:
    def list_html(site: Site, n: int, entries: list[tuple[int, FarmArticle]]) -> str:
        rows = "".join(f'<tr><td width="10"><img src="/images/bullet.gif"></td><td class="tieude"><a href="{site.article_path(i, a)}"'
                       f' class="linktin">{e(a.title)}</a> <font class="ngay">({_dmy(a)})</font></td></tr>' for i, a in entries)
        pages = " ".join(f'<font color="red"><b>{k}</b></font>' if k == n else f'<a href="{site.list_path(k)}" class="trang">{k}</a>'
                         for k in range(1, site.pages + 1))
        return _page("Tin tức", f'<table width="100%" cellpadding="2">{rows}</table><table><tr><td>Trang: {pages}</td></tr></table>')

    def article_html(site: Site, i: int, a: FarmArticle) -> str:
        return _page(a.title, f'<table width="100%"><tr><td class="tieude_chitiet">{e(a.title)}</td></tr><tr><td class="capnhat">'
                              f'(Cập nhật lúc {_hm(a)} ngày {_dmy(a)})</td></tr><tr><td class="noidung">{_body(a)}</td></tr></table>'
                              f'{_related(site, i)}')

    def route(path: str, qs: dict[str, list[str]]) -> tuple[str, int] | None:
        if path == "/TinTuc.asp":
            return "list", _int(_q(qs, "trang"), 1) or 1
        if path == "/ChiTiet.asp" and _int(_q(qs, "id")):
            return "article", (_int(_q(qs, "id")) or 0) - 1200
        return None

    return Site("classic-asp", "Classic ASP tables (Trang: 1 2 3, current in a font tag)", 23,
                lambda n: "/TinTuc.asp?loai=1" if n == 1 else f"/TinTuc.asp?loai=1&trang={n}",
                lambda i, a: f"/ChiTiet.asp?id={1200 + i}&loai=1", route, list_html, article_html, _iso_minute)


def ajax_html_more() -> Site:
    def items(site: Site, entries: list[tuple[int, FarmArticle]]) -> str:
        return "".join(f'<div class="card-news"><a class="card-news__link" href="{site.article_path(i, a)}"><span class='
                       f'"card-news__title">{e(a.title)}</span></a><span class="card-news__time">{_dmy(a)}</span></div>'
                       for i, a in entries)

    def list_html(site: Site, n: int, entries: list[tuple[int, FarmArticle]]) -> str:
        more = (f'<a href="javascript:void(0)" class="view-more" data-href="/ajax/danh-muc/tin-tuc?trang={n + 1}">'
                f'Xem thêm tin khác</a>' if n < site.pages else "")
        return _page("Tin tức", f'<div class="list-cards" id="cards">{items(site, entries)}</div>{more}') if n == 1 else \
            f'<div class="list-cards">{items(site, entries)}</div>{more}'

    def article_html(site: Site, i: int, a: FarmArticle) -> str:
        return _page(a.title, f'<div class="article"><h1 class="article__title">{e(a.title)}</h1><div class="article__date">'
                              f'{_hm(a)}, {_dmy(a)}</div><div class="article__body">{_body(a)}</div></div>{_related(site, i)}')

    def route(path: str, qs: dict[str, list[str]]) -> tuple[str, int] | None:
        if path == "/danh-muc/tin-tuc":
            return "list", 1
        if path == "/ajax/danh-muc/tin-tuc":
            return "list", _int(_q(qs, "trang"), 1) or 1
        if m := re.fullmatch(r"/bai-viet/[a-z0-9-]+-a(\d+)\.html", path):
            return "article", int(m.group(1)) - 4400
        return None

    return Site("ajax-html-more", "“Xem thêm tin khác” loading HTML fragments", 24, lambda n: "/danh-muc/tin-tuc",
                lambda i, a: f"/bai-viet/{slugify(a.title)[:60].strip('-')}-a{4400 + i}.html", route, list_html, article_html,
                _iso_minute)


def atom_only() -> Site:
    def list_html(site: Site, n: int, entries: list[tuple[int, FarmArticle]]) -> str:
        return _page("Tin tức", '<div id="root"></div><noscript>Trình duyệt cần bật JavaScript.</noscript>',
                     '<link rel="alternate" type="application/atom+xml" href="/feeds/tin-tuc.atom" title="Tin tức">')

    def article_html(site: Site, i: int, a: FarmArticle) -> str:
        return _page(a.title, f'<main><article><h1>{e(a.title)}</h1><p class="byline">Đăng ngày {a.published.strftime("%d-%m-%Y %H:%M") if a.published else ""}'
                              f'</p>{_body(a)}</article></main>')

    def route(path: str, qs: dict[str, list[str]]) -> tuple[str, int] | None:
        if path == "/tin-tuc":
            return "list", 1
        if m := re.fullmatch(r"/tin-tuc/(\d+)/[a-z0-9-]+", path):
            return "article", int(m.group(1)) - 10
        return None

    def extra(site: Site, path: str, qs: dict[str, list[str]]) -> tuple[int, str, str] | None:
        if path != "/feeds/tin-tuc.atom":
            return None
        entries = "".join(f'<entry><title>{e(a.title)}</title><link rel="alternate" href="{site.url(i)}"/><id>{site.url(i)}</id>'
                          f'<published>{_iso_minute(a)}</published><updated>{_iso_minute(a)}</updated></entry>'
                          for i, a in enumerate(site.articles))
        return 200, (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Tin tức</title>'
                     f'<id>{site.start_url()}</id><updated>2026-01-01T00:00:00+07:00</updated>{entries}</feed>'), \
            "application/atom+xml; charset=utf-8"

    return Site("atom-only", "Single-page app offering an Atom feed", 21, lambda n: "/tin-tuc",
                lambda i, a: f"/tin-tuc/{10 + i}/{slugify(a.title)[:60].strip('-')}", route, list_html, article_html,
                _iso_minute, extra=extra)


def portal_next_text() -> Site:
    def list_html(site: Site, n: int, entries: list[tuple[int, FarmArticle]]) -> str:
        items = "".join(f'<div class="row-news"><div class="col-text"><h4><a href="{site.article_path(i, a)}">{e(a.title)}'
                        f'</a></h4><div class="date-time"><i class="icon-calendar"></i>{_dmy(a)}</div></div></div>' for i, a in entries)
        first = f'<a href="{site.list_path(1)}">Đầu</a>' if n > 1 else ""
        prev = f'<a href="{site.list_path(n - 1)}">‹ Trước</a>' if n > 1 else ""
        nxt = f'<a href="{site.list_path(n + 1)}">Trang tiếp theo ›</a>' if n < site.pages else ""
        last = f'<a href="{site.list_path(site.pages)}">Cuối</a>' if n < site.pages else ""
        return _page("Tin tức", f'<div class="news-category">{items}</div><div class="pagination-box">{first}{prev}'
                                f'<span class="page-info">Trang {n}/{site.pages}</span>{nxt}{last}</div>')

    def article_html(site: Site, i: int, a: FarmArticle) -> str:
        assert a.published is not None
        day = WEEKDAYS[a.published.weekday()]
        return _page(a.title, f'<div class="news-content"><h2 class="news-title">{e(a.title)}</h2><div class="news-date">{day}, '
                              f'ngày {_dmy(a)}, {_hm(a)}</div><div class="news-text">{_body(a)}</div></div>{_related(site, i)}')

    def route(path: str, qs: dict[str, list[str]]) -> tuple[str, int] | None:
        if m := re.fullmatch(r"/tin-tuc-su-kien(?:/p(\d+))?", path):
            return "list", int(m.group(1) or 1)
        if m := re.fullmatch(r"/tin-tuc-su-kien/([a-z0-9-]+)\.htm", path):
            slugs = {slugify(a.title)[:70].strip("-"): k for k, a in enumerate(SITE_ARTICLES["portal-next-text"])}
            return ("article", slugs[m.group(1)]) if m.group(1) in slugs else None
        return None

    return Site("portal-next-text", "Portal with ‹ Trước / Trang tiếp theo › / Cuối and Trang n/N", 21,
                lambda n: "/tin-tuc-su-kien" if n == 1 else f"/tin-tuc-su-kien/p{n}",
                lambda i, a: f"/tin-tuc-su-kien/{slugify(a.title)[:70].strip('-')}.htm", route, list_html, article_html,
                _iso_minute)


def sharepoint_paged_next() -> Site:
    def list_html(site: Site, n: int, entries: list[tuple[int, FarmArticle]]) -> str:
        items = "".join(f'<tr class="ms-itmhover"><td class="ms-vb2"><a href="{site.article_path(i, a)}" onclick="GoToLink(this);'
                        f'return false;">{e(a.title)}</a></td><td class="ms-vb2">{_dmy(a)}</td></tr>' for i, a in entries)
        nxt = (f'<td><a href="{site.list_path(n + 1)}" title="Tiếp"><img src="/_layouts/15/images/next.gif" alt="Tiếp"></a></td>'
               if n < site.pages else "")
        return _page("Tin tức", f'<table class="ms-listviewtable">{items}</table><table class="ms-bottompaging"><tr>'
                                f'<td class="ms-paging">{(n - 1) * PER_PAGE + 1} - {min(n * PER_PAGE, site.n_articles)}</td>{nxt}'
                                f'</tr></table>')

    def article_html(site: Site, i: int, a: FarmArticle) -> str:
        assert a.published is not None
        us = f"{a.published.month}/{a.published.day}/{a.published.year} {a.published.strftime('%I:%M %p').lstrip('0')}"
        return _page(a.title, f'<div class="ms-rtestate-field"><div class="news-title">{e(a.title)}</div><div class="news-date">'
                              f'{_dmy(a)}</div>{_body(a)}</div>', f'<meta name="pubdate" content="{us}">')

    def route(path: str, qs: dict[str, list[str]]) -> tuple[str, int] | None:
        if path == "/Lists/TinTuc/AllItems.aspx":
            return "list", _int(_q(qs, "PageFirstRow"), 1) // PER_PAGE + 1 if _q(qs, "Paged") else 1
        if path == "/Lists/TinTuc/DispForm.aspx" and _int(_q(qs, "ID")):
            return "article", (_int(_q(qs, "ID")) or 0) - 300
        return None

    return Site("sharepoint-list", "SharePoint list view (Paged=TRUE&PageFirstRow=, image “Tiếp”, US-culture pubdate)", 25,
                lambda n: "/Lists/TinTuc/AllItems.aspx" if n == 1 else
                f"/Lists/TinTuc/AllItems.aspx?Paged=TRUE&PageFirstRow={(n - 1) * PER_PAGE + 1}",
                lambda i, a: f"/Lists/TinTuc/DispForm.aspx?ID={300 + i}", route, list_html, article_html, _iso_minute)


# ------------------------------------------------------------------------------------------------
# Held out, second part: written after the fixes that followed the first held-out run were frozen.
# ------------------------------------------------------------------------------------------------
def trang_k_labels() -> Site:
    def list_html(site: Site, n: int, entries: list[tuple[int, FarmArticle]]) -> str:
        items = "".join(f'<li class="media"><div class="media-body"><a class="media-heading" href="{site.article_path(i, a)}">'
                        f'{e(a.title)}</a></div></li>' for i, a in entries)
        pages = "".join(f'<li class="disabled"><span>Trang {k}</span></li>' if k == n else
                        f'<li><a href="{site.list_path(k)}">Trang {k}</a></li>' for k in range(1, site.pages + 1))
        nxt = f'<li><a href="{site.list_path(n + 1)}">Trang kế</a></li>' if n < site.pages else ""
        return _page("Tin tức", f'<ul class="list-unstyled media-list">{items}</ul><ul class="pager">{pages}{nxt}</ul>')

    def article_html(site: Site, i: int, a: FarmArticle) -> str:
        return _page(a.title, f'<div class="panel"><div class="panel-heading"><h3>{e(a.title)}</h3></div><div class="panel-body">'
                              f'<p class="ngay-dang"><small>Ngày đăng: {_dmy(a)} - {_hm(a)}</small></p>{_body(a)}</div></div>')

    def route(path: str, qs: dict[str, list[str]]) -> tuple[str, int] | None:
        if path == "/chuyen-muc/hoat-dong":
            return "list", _int(_q(qs, "page"), 1) or 1
        if m := re.fullmatch(r"/bai-viet/(\d+)", path):
            return "article", int(m.group(1)) - 77
        return None

    return Site("trang-k-labels", "Pager of “Trang k” links and “Trang kế”", 22,
                lambda n: "/chuyen-muc/hoat-dong" if n == 1 else f"/chuyen-muc/hoat-dong?page={n}",
                lambda i, a: f"/bai-viet/{77 + i}", route, list_html, article_html, _iso_minute)


def active_linked_current() -> Site:
    def list_html(site: Site, n: int, entries: list[tuple[int, FarmArticle]]) -> str:
        items = "".join(f'<div class="item-news"><p class="title"><a href="{site.article_path(i, a)}">{e(a.title)}</a></p></div>'
                        for i, a in entries)
        pages = "".join(f'<a class="{"active" if k == n else "page"}" href="{site.list_path(k)}">{k}</a>'
                        for k in range(1, site.pages + 1))
        return _page("Tin tức", f'<div class="category-news">{items}</div><div class="phantrang">{pages}</div>')

    def article_html(site: Site, i: int, a: FarmArticle) -> str:
        return _page(a.title, f'<div class="detail-page"><h1>{e(a.title)}</h1><div class="info"><span>{_dmy(a)}</span> '
                              f'<span>{_hm(a)}</span> | Lượt xem: 120</div><div class="text">{_body(a)}</div></div>')

    def route(path: str, qs: dict[str, list[str]]) -> tuple[str, int] | None:
        if m := re.fullmatch(r"/tin-tuc(?:-(\d+))?\.html", path):
            return "list", int(m.group(1) or 1)
        if m := re.fullmatch(r"/tin-tuc/(\d+)/[a-z0-9-]+\.html", path):
            return "article", int(m.group(1)) - 15000
        return None

    return Site("active-linked-current", "Numbered pager whose current page is a link marked active", 23,
                lambda n: "/tin-tuc.html" if n == 1 else f"/tin-tuc-{n}.html",
                lambda i, a: f"/tin-tuc/{15000 + i}/{slugify(a.title)[:50].strip('-')}.html", route, list_html, article_html,
                _iso_minute)


def dated_anchor_district() -> Site:
    def list_html(site: Site, n: int, entries: list[tuple[int, FarmArticle]]) -> str:
        items = "".join(f'<p class="tin"><a href="{site.article_path(i, a)}">{_dmy(a)} - {e(a.title)}</a></p>' for i, a in entries)
        nxt = f'<a class="sau" href="{site.list_path(n + 1)}">Sau</a>' if n < site.pages else ""
        prev = f'<a class="truoc" href="{site.list_path(n - 1)}">Trước</a> ' if n > 1 else ""
        return _page("Tin hoạt động", f'<div class="ds-tin">{items}</div><div class="chuyen-trang">{prev}{nxt}</div>')

    def article_html(site: Site, i: int, a: FarmArticle) -> str:
        assert a.published is not None
        p = a.published
        return _page(a.title, f'<div class="tin-chi-tiet"><h2>{e(a.title)}</h2><p class="ngay">Ngày {p.day} tháng {p.month} năm '
                              f'{p.year}</p>{_body(a)}</div>')

    def route(path: str, qs: dict[str, list[str]]) -> tuple[str, int] | None:
        if path == "/index.php" and _q(qs, "option") == "tin" and not _q(qs, "id"):
            return "list", _int(_q(qs, "p"), 1) or 1
        if path == "/index.php" and _int(_q(qs, "id")):
            return "article", (_int(_q(qs, "id")) or 0) - 20
        return None

    return Site("dated-anchor-district", "District site: dates inside anchors, “Sau”, “Ngày d tháng m năm y”", 21,
                lambda n: "/index.php?option=tin" if n == 1 else f"/index.php?option=tin&p={n}",
                lambda i, a: f"/index.php?option=tin&id={20 + i}", route, list_html, article_html, _iso_day)


# ------------------------------------------------------------------------------------------------
# Held out, third part: written after the fixes that followed the second held-out run were frozen.
# ------------------------------------------------------------------------------------------------
def card_links() -> Site:
    def list_html(site: Site, n: int, entries: list[tuple[int, FarmArticle]]) -> str:
        items = "".join(f'<article class="news-item"><a href="{site.article_path(i, a)}" class="news-card"><img src="/img/{i}.jpg" '
                        f'alt=""><h3 class="news-card__title">{e(a.title)}</h3><p class="news-card__sapo">{e(a.paragraphs[0][:90])}'
                        f'</p></a></article>' for i, a in entries)
        pages = "".join(f'<li class="page-item{" active" if k == n else ""}"><a class="page-link" href="{site.list_path(k)}">{k}</a></li>'
                        for k in range(1, site.pages + 1))
        nxt = f'<li class="page-item"><a class="page-link" href="{site.list_path(n + 1)}">»</a></li>' if n < site.pages else ""
        return _page("Tin tức", f'<section class="news-grid">{items}</section><ul class="pagination">{pages}{nxt}</ul>')

    def article_html(site: Site, i: int, a: FarmArticle) -> str:
        return _page(a.title, f'<article><h1 class="detail-title">{e(a.title)}</h1><span class="time">Cập nhật lúc {_hm(a)} - '
                              f'{_dmy(a)}</span><div class="detail-body">{_body(a)}</div></article>{_related(site, i)}')

    def route(path: str, qs: dict[str, list[str]]) -> tuple[str, int] | None:
        if path == "/tin-tuc-moi":
            return "list", _int(_q(qs, "trang"), 1) or 1
        if m := re.fullmatch(r"/tin-tuc-moi/[a-z0-9-]+-(\d+)\.html", path):
            return "article", int(m.group(1)) - 31000
        return None

    return Site("card-links", "Whole cards as links, Bootstrap pager with an active item", 24,
                lambda n: "/tin-tuc-moi" if n == 1 else f"/tin-tuc-moi?trang={n}",
                lambda i, a: f"/tin-tuc-moi/{slugify(a.title)[:60].strip('-')}-{31000 + i}.html", route, list_html, article_html,
                _iso_minute)


def hdnd_first_last() -> Site:
    def list_html(site: Site, n: int, entries: list[tuple[int, FarmArticle]]) -> str:
        items = "".join(f'<dt><a href="{site.article_path(i, a)}">{e(a.title)}</a></dt><dd>{e(a.paragraphs[0][:100])}</dd>'
                        for i, a in entries)
        nums = " ".join(f"<strong>{k}</strong>" if k == n else f'<a href="{site.list_path(k)}">{k}</a>' for k in range(1, site.pages + 1))
        nav = (f'<a href="{site.list_path(1)}">Trang đầu</a> | <a href="{site.list_path(max(1, n - 1))}">Trang trước</a> | {nums} | '
               f'<a href="{site.list_path(min(site.pages, n + 1))}">Trang sau</a> | <a href="{site.list_path(site.pages)}">Trang cuối</a>')
        return _page("Hoạt động HĐND", f'<dl class="hdnd-news">{items}</dl><div class="nav-page">{nav}</div>')

    def article_html(site: Site, i: int, a: FarmArticle) -> str:
        assert a.published is not None
        day = WEEKDAYS[a.published.weekday()].lower().capitalize()
        return _page(a.title, f'<div class="hdnd-detail"><h2>{e(a.title)}</h2><div class="hdnd-date">{day}, {_dmy(a)}, {_hm(a)} '
                              f'(GMT+7)</div>{_body(a)}</div>{_related(site, i)}')

    def route(path: str, qs: dict[str, list[str]]) -> tuple[str, int] | None:
        if path == "/hoat-dong-hdnd.htm":
            return "list", _int(_q(qs, "pg"), 1) or 1
        if m := re.fullmatch(r"/hoat-dong-hdnd/(\d+)\.htm", path):
            return "article", int(m.group(1)) - 500
        return None

    return Site("hdnd-first-last", "Council site: Trang đầu, Trang trước, 1 2 3, Trang sau, Trang cuối, all linked", 22,
                lambda n: "/hoat-dong-hdnd.htm" if n == 1 else f"/hoat-dong-hdnd.htm?pg={n}",
                lambda i, a: f"/hoat-dong-hdnd/{500 + i}.htm", route, list_html, article_html, _iso_minute)


def tv_icon_pager() -> Site:
    def list_html(site: Site, n: int, entries: list[tuple[int, FarmArticle]]) -> str:
        items = "".join(f'<li class="clip"><a href="{site.article_path(i, a)}"><span class="ico-play"></span>{e(a.title)}</a></li>'
                        for i, a in entries)
        nums = "".join(f'<span class="current">{k}</span>' if k == n else f'<a href="{site.list_path(k)}">{k}</a>'
                       for k in range(1, site.pages + 1))
        nxt = f'<a class="next" href="{site.list_path(n + 1)}"><i class="fa fa-angle-right"></i></a>' if n < site.pages else ""
        return _page("Thời sự", f'<ul class="clips">{items}</ul><div class="paging">{nums}{nxt}</div>')

    def article_html(site: Site, i: int, a: FarmArticle) -> str:
        head = f'<meta itemprop="datePublished" content="{_iso_minute(a)}">'
        return _page(a.title, f'<div class="clip-detail"><h1>{e(a.title)}</h1><div class="clip-meta">{_dmy(a)}</div>'
                              f'<div class="clip-desc">{_body(a)}</div></div>{_related(site, i)}', head)

    def route(path: str, qs: dict[str, list[str]]) -> tuple[str, int] | None:
        if m := re.fullmatch(r"/thoi-su/(?:p(\d+)/)?", path):
            return "list", int(m.group(1) or 1)
        if m := re.fullmatch(r"/thoi-su/[a-z0-9-]+-v(\d+)\.html", path):
            return "article", int(m.group(1)) - 8000
        return None

    return Site("tv-icon-pager", "TV station: icon-only next link, numbers with the current in a span, meta date", 21,
                lambda n: "/thoi-su/" if n == 1 else f"/thoi-su/p{n}/",
                lambda i, a: f"/thoi-su/{slugify(a.title)[:60].strip('-')}-v{8000 + i}.html", route, list_html, article_html,
                _iso_minute)


# ------------------------------------------------------------------------------------------------
# Held out, fourth part: written after the fixes that followed the third held-out part were frozen.
# ------------------------------------------------------------------------------------------------
def egov_dates_first() -> Site:
    def list_html(site: Site, n: int, entries: list[tuple[int, FarmArticle]]) -> str:
        assert all(a.published for _, a in entries)
        items = "".join(f'<li><span class="ngay">{a.published.strftime("%d/%m") if a.published else ""}</span> '
                        f'<a href="{site.article_path(i, a)}">{e(a.title)}</a></li>' for i, a in entries)
        nxt = f'<a class="btn-next" href="{site.list_path(n + 1)}">Trang tiếp »</a>' if n < site.pages else ""
        return _page("Tin tức", f'<ul class="tin-list">{items}</ul><p class="paging">{nxt}</p>')

    def article_html(site: Site, i: int, a: FarmArticle) -> str:
        return _page(a.title, f'<div class="tin-detail"><h1>{e(a.title)}</h1><div class="tin-date">Ngày {_dmy(a)} lúc {_hm(a)}'
                              f'</div>{_body(a)}</div>{_related(site, i)}')

    def route(path: str, qs: dict[str, list[str]]) -> tuple[str, int] | None:
        if path == "/vi/tin-tuc":
            return "list", _int(_q(qs, "trang"), 1) or 1
        if m := re.fullmatch(r"/vi/tin-tuc/(\d+)", path):
            return "article", int(m.group(1)) - 6100
        return None

    return Site("egov-dates-first", "E-government list: day/month before each title, “Trang tiếp »”", 22,
                lambda n: "/vi/tin-tuc" if n == 1 else f"/vi/tin-tuc?trang={n}",
                lambda i, a: f"/vi/tin-tuc/{6100 + i}", route, list_html, article_html, _iso_minute)


def party_table_bracket() -> Site:
    def list_html(site: Site, n: int, entries: list[tuple[int, FarmArticle]]) -> str:
        rows = "".join(f'<tr><td><a class="tin" href="{site.article_path(i, a)}">{e(a.title)}</a></td></tr>' for i, a in entries)
        nxt = f' <a href="{site.list_path(n + 1)}">[Trang sau]</a>' if n < site.pages else ""
        return _page("Tin tức", f'<table class="tbl-news">{rows}</table><div class="trang">Trang {n} / {site.pages}{nxt}</div>')

    def article_html(site: Site, i: int, a: FarmArticle) -> str:
        assert a.published is not None
        day = WEEKDAYS[a.published.weekday()].lower()
        return _page(a.title, f'<table><tr><td class="tieude">{e(a.title)}</td></tr><tr><td class="date">{day.capitalize()}, '
                              f'{_dmy(a)} {_hm(a)}</td></tr><tr><td class="noidung">{_body(a)}</td></tr></table>')

    def route(path: str, qs: dict[str, list[str]]) -> tuple[str, int] | None:
        if path == "/Default.aspx" and _q(qs, "tabid") == "1" and not _q(qs, "newsid"):
            return "list", _int(_q(qs, "trang"), 1) or 1
        if path == "/Default.aspx" and _int(_q(qs, "newsid")):
            return "article", (_int(_q(qs, "newsid")) or 0) - 9000
        return None

    return Site("party-table-bracket", "Party site: table rows, “Trang n / N [Trang sau]”", 21,
                lambda n: "/Default.aspx?tabid=1" if n == 1 else f"/Default.aspx?tabid=1&trang={n}",
                lambda i, a: f"/Default.aspx?tabid=1&newsid={9000 + i}", route, list_html, article_html, _iso_minute)


def head_rel_next_only() -> Site:
    def list_html(site: Site, n: int, entries: list[tuple[int, FarmArticle]]) -> str:
        items = "".join(f'<div class="box-news"><h2><a href="{site.article_path(i, a)}">{e(a.title)}</a></h2></div>' for i, a in entries)
        head = f'<link rel="next" href="{site.list_path(n + 1)}">' if n < site.pages else ""
        return _page("Thời sự", f'<div class="stream">{items}</div><div class="loading">Đang tải…</div>', head)

    def article_html(site: Site, i: int, a: FarmArticle) -> str:
        assert a.published is not None
        naive = a.published.replace(tzinfo=None).isoformat(timespec="seconds")
        return _page(a.title, f'<div class="art"><h1>{e(a.title)}</h1><p class="d">{a.published.day}/{a.published.month}/'
                              f'{a.published.year}</p>{_body(a)}</div>', f'<meta property="article:published_time" content="{naive}">')

    def route(path: str, qs: dict[str, list[str]]) -> tuple[str, int] | None:
        if m := re.fullmatch(r"/thoi-su(?:/p(\d+))?", path):
            return "list", int(m.group(1) or 1)
        if m := re.fullmatch(r"/thoi-su/[a-z0-9-]+-(\d{6})\.html", path):
            return "article", int(m.group(1)) - 123400
        return None

    return Site("head-rel-next-only", "Endless-scroll newspaper: only <link rel=next> in the head, naive ISO meta", 23,
                lambda n: "/thoi-su" if n == 1 else f"/thoi-su/p{n}",
                lambda i, a: f"/thoi-su/{slugify(a.title)[:60].strip('-')}-{123400 + i}.html", route, list_html, article_html,
                _iso_minute)


DEV = [nukeviet, dnn_postback, sharepoint2013, liferay7, joomla, wordpress, drupal9, vnpt, viettel, newspaper_short,
       xem_them_json, rss_only, sitemap_only]
# The first held-out part was run once (coverage 0.868) and the rules were fixed after it, so it is
# tuned on now; the second part was written after that and is the one reported as held out.
# Each held-out part was run once and the rules were fixed after it, so each is tuned on now: the first
# (coverage 0.868, dates 1.000), the second (coverage 1.000, dates 0.000), the third (1.000 and 1.000 on its
# first run; 0.985 coverage once a new template reshuffled which articles each site lists: a two-entry
# last page with a short headline). The fourth part was written after that and is the one held out.
TUNED_HELD_OUT: list[Callable[[], Site]] = [classic_asp, ajax_html_more, atom_only, portal_next_text, sharepoint_paged_next,
                                            trang_k_labels, active_linked_current, dated_anchor_district, card_links,
                                            hdnd_first_last, tv_icon_pager]
HELD_OUT: list[Callable[[], Site]] = [egov_dates_first, party_table_bracket, head_rel_next_only]
SITE_ARTICLES: dict[str, list[FarmArticle]] = {}


def _articles(key: str, n: int, offset: int) -> list[FarmArticle]:
    # One title, one article: slug URLs of two articles with the same title would collide.
    seen: set[str] = set()
    pool = [a for a in generate(seed=91, per_portal=80) if a.seed is None and a.dup_of is None and a.published is not None
            and not (slugify(a.title)[:50] in seen or seen.add(slugify(a.title)[:50]))]
    chosen = [FarmArticle(key, i, a.title, a.published, a.author, a.blocks, a.is_meeting, a.topic)
              for i, a in enumerate(pool[offset:offset + n])]
    for k, short in enumerate(SHORT_TITLES[: 2 + offset % 3]):
        chosen[3 + 4 * k].title = short  # short headlines among the long ones
    return sorted(chosen, key=lambda a: a.published or datetime.min, reverse=True)


class CmsFarm:
    """Every template on its own port of 127.0.0.1. Use as a context manager."""

    def __init__(self, include_held_out: bool = True) -> None:
        makers = DEV + TUNED_HELD_OUT + (HELD_OUT if include_held_out else [])
        self.sites: dict[str, Site] = {}
        for make in makers:
            site = make()
            site.held_out = make in HELD_OUT
            # Each site's articles depend on its key alone, so adding a template changes no other site.
            site.articles = _articles(site.key, site.n_articles, zlib.crc32(site.key.encode()) % 60)
            SITE_ARTICLES[site.key] = site.articles
            self.sites[site.key] = site
        self.requests: list[tuple[str, str, str]] = []  # (site, method, path?query)
        self._threads: list[threading.Thread] = []

    def __enter__(self) -> CmsFarm:
        for site in self.sites.values():
            site.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site, self))
            site.server.daemon_threads = True
            site.port = site.server.server_address[1]
            t = threading.Thread(target=site.server.serve_forever, daemon=True)
            t.start()
            self._threads.append(t)
        return self

    def __exit__(self, *exc: object) -> None:
        for site in self.sites.values():
            if site.server is not None:
                site.server.shutdown()
                site.server.server_close()

    def sources_toml(self, keys: list[str] | None = None) -> str:
        return "\n".join(f'[[source]]\nid = "{s.key}"\nname = "{s.family}"\nprovince = "Hà Tĩnh"\nagency = "UBND tỉnh"\n'
                         f'start_urls = ["{s.start_url()}"]\n' for k, s in self.sites.items() if keys is None or k in keys)

    def truth(self, key: str) -> dict[str, dict[str, Any]]:
        """Gold per article URL: title, published (ISO, with the time where the page shows one), paragraphs."""
        site = self.sites[key]
        return {site.url(i): {"title": a.title, "published": site.visible(a), "paragraphs": a.paragraphs}
                for i, a in enumerate(site.articles)}


def _handler(site: Site, farm: CmsFarm) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
            pass

        def _answer(self, method: str, form: dict[str, list[str]]) -> None:
            parts = urlsplit(self.path)
            qs = parse_qs(parts.query)
            farm.requests.append((site.key, method, self.path))
            if site.extra and (answer := site.extra(site, parts.path, qs)):
                return self._send(*answer)
            if parts.path == "/robots.txt":
                return self._send(200, "User-agent: *\nAllow: /\n", "text/plain")
            if parts.path == "/":
                return self._send(200, _home(site), "text/html; charset=utf-8")
            route = site.route(parts.path, qs)
            if route is None:
                return self._send(404, _page("Không tìm thấy", "<p>Trang không tồn tại.</p>"), "text/html; charset=utf-8")
            kind, n = route
            if kind == "list":
                argument = (form.get("__EVENTARGUMENT") or [""])[0]
                if method == "POST" and argument.startswith("Page$"):
                    n = int(argument[5:])
                if not 1 <= n <= site.pages:
                    return self._send(404, _page("Không tìm thấy", "<p>Trang không tồn tại.</p>"), "text/html; charset=utf-8")
                return self._send(200, site.list_html(site, n, site.entries(n)), "text/html; charset=utf-8")
            if not 0 <= n < len(site.articles):
                return self._send(404, _page("Không tìm thấy", "<p>Bài viết không tồn tại.</p>"), "text/html; charset=utf-8")
            return self._send(200, site.article_html(site, n, site.articles[n]), "text/html; charset=utf-8")

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            self._answer("GET", {})

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            self._answer("POST", parse_qs(self.rfile.read(length).decode("utf-8", "replace")))

        def _send(self, status: int, body: str, ctype: str) -> None:
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler
