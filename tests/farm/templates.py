"""HTML templates of the portal farm, one per CMS family seen on Vietnamese provincial portals.

Each template renders a list page and an article page with the chrome real portals carry: menus,
side boxes ("Liên kết Websites", "Thống kê truy cập"), a footer, related-article blocks with their
own dates, comment forms, and (on some) a clock widget showing today's date. The markup is modelled
on the real CMSes, not on what the crawler finds easy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from html import escape
from urllib.parse import urlencode

from .content import FarmArticle

WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]


def e(text: str) -> str:
    return escape(text, quote=True)


def summary(article: FarmArticle) -> str:
    first = article.paragraphs[0] if article.paragraphs else ""
    return first if len(first) < 220 else first[:217].rsplit(" ", 1)[0] + "..."


@dataclass
class Page:
    """What a template needs to render one page."""

    site_name: str
    province: str
    today: datetime
    article_url: Callable[[FarmArticle], str]
    list_url: Callable[[int], str]


# ------------------------------------------------------------------ shared chrome pieces
MENU = ["Trang chủ", "Giới thiệu", "Tin tức - Sự kiện", "Chỉ đạo điều hành", "Văn bản", "Thủ tục hành chính",
        "Hỏi đáp", "Liên hệ"]
LINKED_SITES = ["Cổng TTĐT Chính phủ", "Bộ Xây dựng", "Bộ Nội vụ", "Sở Ban ngành, Huyện thị"]


def _menu_items(tag: str = "li") -> str:
    return "".join(f'<{tag}><a href="/menu/{i}">{e(m)}</a></{tag}>' for i, m in enumerate(MENU))


def _linked_sites_select() -> str:
    options = "".join(f'<option value="https://example.gov.vn/{i}">{e(s)}</option>' for i, s in enumerate(LINKED_SITES))
    return f'<select onchange="window.open(this.value)"><option>-- Liên kết --</option>{options}</select>'


def _dmy(d: datetime) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def _pager_numbers(page: Page, current: int, pages: int, next_label: str) -> str:
    parts = []
    for n in range(1, pages + 1):
        parts.append(f'<span class="current">{n}</span>' if n == current else f'<a href="{e(page.list_url(n))}">{n}</a>')
    if current < pages:
        parts.append(f'<a class="next" href="{e(page.list_url(current + 1))}">{e(next_label)}</a>')
    return " ".join(parts)


# ------------------------------------------------------------------ SharePoint (Vĩnh Phúc style)
def sharepoint_date(a: FarmArticle) -> str:
    return _dmy(a.published) if a.published else ""


def _sharepoint_shell(page: Page, title: str, content: str) -> str:
    return f"""<!DOCTYPE html>
<html dir="ltr" lang="vi-VN"><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{e(title)} - Cổng thông tin điện tử - {e(page.site_name)} - {e(page.province)}</title>
<link rel="stylesheet" href="/Style%20Library/css/portal.css"></head>
<body><form method="post" action="./tin-tuc-su-kien.aspx" id="aspnetForm">
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUBMA9kFgJmD2QWAgIBD2QWBAIBD2QWAgIDD2QWAmYPZBYCAgEPFgIeBFRleHQ=">
<div id="s4-workspace"><div id="s4-bodyContainer">
<div class="header"><a href="/"><img src="/Style%20Library/img/logo.png" alt="Logo"></a>
<div class="site-title">CỔNG THÔNG TIN ĐIỆN TỬ {e(page.site_name.upper())}</div></div>
<div class="topmenu"><ul class="root">{_menu_items()}</ul></div>
<div class="main-zone"><div class="left-zone">
<div class="box"><div class="box-title">Chuyên mục</div><ul>{_menu_items()}</ul></div>
<div class="box"><div class="box-title">Văn bản mới</div><ul><li><a href="/vb/1">Quyết định số 15/QĐ-UBND</a></li><li><a href="/vb/2">Kế hoạch số 88/KH-UBND</a></li></ul></div>
</div>
<div class="center-zone">{content}</div>
<div class="right-zone">
<div class="box"><div class="box-title">Bạn thấy trang web của tỉnh như thế nào</div>
<label><input type="radio" name="poll"> Đẹp</label><label><input type="radio" name="poll"> Bình thường</label>
<input type="submit" value="Bình chọn"></div>
<div class="box"><div class="box-title">Liên kết Websites</div>{_linked_sites_select()}</div>
<div class="box"><div class="box-title">Thống kê truy cập</div><div>Đang truy cập: 41</div><div>Tổng lượt truy cập: 1.204.330</div></div>
</div></div>
<div class="footer"><p>CỔNG THÔNG TIN ĐIỆN TỬ {e(page.site_name.upper())} - TỈNH {e(page.province.upper())}</p>
<p>Cơ quan chủ quản: UBND tỉnh {e(page.province)}. Chịu trách nhiệm chính: Chánh Văn phòng.</p>
<p>Địa chỉ: Số 40, đường Nguyễn Trãi, TP Vĩnh Yên. Điện thoại: 0211.3862.480</p></div>
</div></div></form></body></html>"""


def sharepoint_list(page: Page, items: list[FarmArticle], current: int, pages: int) -> str:
    rows = "".join(
        f"""<div class="news-item"><a href="{e(page.article_url(a))}"><img src="/Style%20Library/img/thumb{a.item_id % 7}.jpg" alt=""></a>
<div class="news-text"><a class="news-title" href="{e(page.article_url(a))}">{e(a.title)}</a>
<span class="news-date">({sharepoint_date(a)})</span><p>{e(summary(a))}</p></div></div>"""
        for a in items
    )
    pager = f'<div class="paging">Trang: {_pager_numbers(page, current, pages, "Trang sau")}</div>'
    content = f'<div class="breadcrumb"><a href="/">Trang chủ</a> » Tin tức - Sự kiện</div><div class="news-list">{rows}</div>{pager}'
    return _sharepoint_shell(page, "Tin tức - Sự kiện", content)


def _sharepoint_body(a: FarmArticle) -> str:
    out = []
    for i, b in enumerate(a.blocks):
        if b.kind == "p":
            out.append(f'<p style="text-align:justify">{e(b.text)}</p>')
        else:
            out.append(f'<p style="text-align:center"><img src="/PublishingImages/{a.item_id}_{i}.jpg" alt="" width="500"></p>'
                       f'<p style="text-align:center"><em>{e(b.text)}</em></p>')
    if a.author:
        out.append(f'<p style="text-align:right"><strong>{e(a.author)}</strong></p>')
    return "\n".join(out)


def sharepoint_article(page: Page, a: FarmArticle, related: list[FarmArticle]) -> str:
    other = "".join(f'<li><a href="{e(page.article_url(r))}">{e(r.title)}</a> <span>({sharepoint_date(r)})</span></li>'
                    for r in related)
    content = f"""<div class="breadcrumb"><a href="/">Trang chủ</a> » <a href="{e(page.list_url(1))}">Tin tức - Sự kiện</a></div>
<div class="ct-detail"><div class="ct-title"><h2>{e(a.title)}</h2></div>
<div class="ct-date">{sharepoint_date(a)}</div>
<div class="ct-content">{_sharepoint_body(a)}</div>
<div class="ct-tools"><a href="javascript:window.print()">In trang</a> <a href="#">Gửi email</a> <a href="#top">Về đầu trang</a></div>
<div class="tin-da-dua"><span>Các tin đã đưa ngày:</span> <input type="text" name="ngay" value="{_dmy(page.today)}"> <a href="#">Xem</a></div>
<div class="y-kien"><div class="box-title">Ý kiến bạn đọc</div>
<div><label>Họ và tên</label><input type="text" name="hoten"><label>Email</label><input type="text" name="email">
<label>Nội dung</label><textarea name="noidung" rows="4"></textarea><input type="submit" value="Gửi ý kiến"></div></div>
<div class="tin-khac"><div class="box-title">Các tin khác</div><ul>{other}</ul></div></div>"""
    return _sharepoint_shell(page, a.title, content)


# ------------------------------------------------------------------ legacy ASP.NET / DotNetNuke, table layout
def aspnet_date(a: FarmArticle) -> str:
    if not a.published:
        return ""
    p = a.published
    return f"{WEEKDAYS[p.weekday()]}, {_dmy(p)} - {p.hour:02d}:{p.minute:02d}"


def _aspnet_shell(page: Page, content: str, featured: FarmArticle | None = None) -> str:
    t = page.today
    clock = f"{WEEKDAYS[t.weekday()]}, {_dmy(t)} {t.hour:02d}:{t.minute:02d}:{t.second:02d} AM"
    # The featured box links the newest article under another category: one article, two URLs.
    featured = "" if featured is None else (
        '<table width="100%" class="box"><tr><td class="boxtitle">Tin nổi bật</td></tr><tr><td>'
        f'<a class="NewsTitle" href="{e(page.article_url(featured).replace("CategoryID=12", "CategoryID=7"))}">'
        f'{e(featured.title)}</a></td></tr></table>')
    return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.0 Transitional//EN">
<HTML><HEAD><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<TITLE>{e(page.site_name)}</TITLE></HEAD>
<BODY><form name="Form" method="post" action="Default.aspx?tabid=85" id="Form" enctype="multipart/form-data">
<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="">
<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="">
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="dDwtMTA4MjQzMzg2Njt0PDtsPGk8MT47PjtsPHQ8O2w8aTwwPjs+O2w8dDw7bDxpPDE+Oz47Pj47Pj47Pj47Pg==">
<table width="1000" border="0" cellspacing="0" cellpadding="0" align="center">
<tr><td colspan="3" class="banner"><img src="/Portals/0/banner.jpg" width="1000" height="120" alt="">
<span id="dnn_ctr_Clock" class="clock">{clock}</span></td></tr>
<tr><td colspan="3" class="menu">{" | ".join(f'<a href="/Default.aspx?tabid={60 + i}">{e(m)}</a>' for i, m in enumerate(MENU))}</td></tr>
<tr><td width="200" valign="top" class="leftpane">
<table width="100%" class="box"><tr><td class="boxtitle">Liên kết Websites</td></tr><tr><td>{_linked_sites_select()}</td></tr></table>
<table width="100%" class="box"><tr><td class="boxtitle">Thống kê truy cập</td></tr>
<tr><td><img src="/images/counter.gif" alt="myspace tracker"><br>Đang truy cập: 17<br>Tổng số lượt truy cập: 2.318.422</td></tr></table>
</td><td width="600" valign="top" class="contentpane">{content}</td>
<td width="200" valign="top" class="rightpane">
<table width="100%" class="box"><tr><td class="boxtitle">Thăm dò ý kiến</td></tr><tr><td>Bạn quan tâm đến chuyên mục nào?<br>
<input type="radio" name="vote"> Tin tức<br><input type="radio" name="vote"> Văn bản<br><input type="submit" value="Biểu quyết"></td></tr></table>
{featured}
<table width="100%" class="box"><tr><td class="boxtitle">Lịch công tác</td></tr><tr><td><a href="/Default.aspx?tabid=90">Lịch công tác tuần của lãnh đạo UBND tỉnh</a></td></tr></table>
</td></tr>
<tr><td colspan="3" class="footer" align="center"><b>VĂN PHÒNG UỶ BAN NHÂN DÂN TỈNH {e(page.province.upper())}</b><br>
Trưởng Ban Biên tập: Chánh Văn Phòng UBND tỉnh.<br>Địa chỉ : Đường Hùng Vương, phường Chi Lăng, Thành phố Lạng Sơn.<br>
Điện thoại : 025 3812 605 – Fax: 025 3812 336 ; Email : vanphong@langson.gov.vn<br>
Thiết kế và xây dựng : Công ty cổ phần Công Nghệ Bình Minh www.binhminh.com.vn</td></tr>
</table></form></BODY></HTML>"""


def aspnet_list(page: Page, items: list[FarmArticle], current: int, pages: int) -> str:
    rows = "".join(
        f"""<tr><td width="110" valign="top"><a href="{e(page.article_url(a))}"><img src="/Portals/0/News/{a.item_id}.jpg" width="100" border="0"></a></td>
<td valign="top"><a class="NewsTitle" href="{e(page.article_url(a))}">{e(a.title)}</a> <span class="NewsDate">({_dmy(a.published) if a.published else ''})</span><br>
<span class="NewsSummary">{e(summary(a))}</span></td></tr>"""
        for a in items
    )
    pager = f'<tr><td colspan="2" class="pager" align="right">Trang: {_pager_numbers(page, current, pages, "Trang sau")}</td></tr>'
    content = f'<table width="100%" class="NewsList"><tr><td colspan="2" class="Head">TIN TỨC - SỰ KIỆN</td></tr>{rows}{pager}</table>'
    return _aspnet_shell(page, content, items[0] if items and current == 1 else None)


def _aspnet_body(a: FarmArticle) -> str:
    out = []
    for i, b in enumerate(a.blocks):
        if b.kind == "p":
            out.append(f'<p align="justify">{e(b.text)}</p>')
        else:
            out.append(f'<table class="image" align="center" border="0"><tr><td><img src="/Portals/0/News/{a.item_id}_{i}.jpg" width="450"></td></tr>'
                       f'<tr><td class="image_desc">{e(b.text)}</td></tr></table>')
    if a.author:
        out.append(f'<p align="right"><b>{e(a.author)}</b></p>')
    return "\n".join(out)


def aspnet_article(page: Page, a: FarmArticle, related: list[FarmArticle]) -> str:
    other = "".join(f'<tr><td><img src="/images/bullet.gif"> <a href="{e(page.article_url(r))}">{e(r.title)}</a> '
                    f'<span class="OtherDate">({aspnet_date(r)})</span></td></tr>' for r in related)
    content = f"""<table width="100%" cellpadding="4">
<tr><td class="NewsDetailTitle">{e(a.title)}</td></tr>
<tr><td class="NewsDetailDate">{aspnet_date(a)}</td></tr>
<tr><td class="NewsDetailContent">{_aspnet_body(a)}</td></tr></table>
<table width="100%" class="Comment"><tr><td class="CommentHead">Gửi ý kiến</td></tr>
<tr><td>Họ tên: <input type="text" name="txtName"> Email: <input type="text" name="txtEmail"><br>
<textarea name="txtContent" cols="60" rows="4"></textarea><br><input type="submit" value="Gửi" name="btnSend"></td></tr></table>
<table width="100%"><tr><td class="OtherNewsHead">Các tin khác</td></tr>{other}</table>
<table width="100%"><tr><td>Xem tin theo ngày <select name="d"><option>{page.today.day}</option></select>
<select name="m"><option>{page.today.month}</option></select><select name="y"><option>{page.today.year}</option></select>
<input type="submit" value="Xem"></td></tr></table>"""
    return _aspnet_shell(page, content)


# ------------------------------------------------------------------ provincial newspaper
def news_date(a: FarmArticle) -> str:
    if not a.published:
        return ""
    p = a.published
    return f"{p.hour:02d}:{p.minute:02d}, {_dmy(p)}"


def _news_shell(page: Page, title: str, content: str, side: str, og: str = "") -> str:
    t = page.today
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)} - Báo {e(page.province)} điện tử</title>{og}</head>
<body><header class="site-header"><div class="topbar"><span class="today">{WEEKDAYS[t.weekday()]}, {_dmy(t)}</span>
<a href="/dang-nhap.html">Đăng nhập</a></div>
<div class="logo"><a href="/"><img src="/img/logo-baohatinh.svg" alt="Báo Hà Tĩnh"></a></div>
<nav class="main-nav"><ul><li><a href="/thoi-su/">Thời sự</a></li><li><a href="/chinh-tri/">Chính trị</a></li>
<li><a href="/kinh-te/">Kinh tế</a></li><li><a href="/xa-hoi/">Xã hội</a></li><li><a href="/van-hoa/">Văn hóa</a></li>
<li><a href="/the-thao/">Thể thao</a></li><li><a href="/ban-doc/">Bạn đọc</a></li></ul></nav></header>
<main class="container"><div class="col-main">{content}</div>
<aside class="col-side">{side}
<div class="box"><h3 class="box-title">Liên kết Websites</h3>{_linked_sites_select()}</div></aside></main>
<footer class="site-footer"><p>BÁO {e(page.province.upper())} - Cơ quan của Đảng bộ Đảng Cộng sản Việt Nam tỉnh {e(page.province)}</p>
<p>Giấy phép số 123/GP-BTTTT. Tổng Biên tập: Nguyễn Văn Thanh. Tòa soạn: 40 Phan Đình Phùng, TP Hà Tĩnh.</p>
<p>© Bản quyền thuộc về Báo {e(page.province)}. Ghi rõ nguồn khi phát hành lại thông tin từ website này.</p></footer>
</body></html>"""


def _news_side(page: Page, related: list[FarmArticle]) -> str:
    items = "".join(f'<li><a href="{e(page.article_url(r))}">{e(r.title)}</a></li>' for r in related[:4])
    return f'<div class="box"><h3 class="box-title">Đọc nhiều</h3><ol>{items}</ol></div>'


def news_list(page: Page, items: list[FarmArticle], current: int, pages: int) -> str:
    rows = "".join(
        f"""<article class="story"><a class="story-thumb" href="{e(page.article_url(a))}"><img src="/img/{a.item_id}.jpg" alt="{e(a.title)}"></a>
<h3 class="story-title"><a href="{e(page.article_url(a))}">{e(a.title)}</a></h3>
<p class="story-sapo">{e(summary(a))}</p><time class="story-time">{news_date(a)}</time></article>"""
        for a in items
    )
    more = f'<div class="loadmore"><a href="{e(page.list_url(current + 1))}">Xem thêm</a></div>' if current < pages else ""
    numbers = f'<div class="pagination">{_pager_numbers(page, current, pages, "Trang sau")}</div>'
    content = f'<h1 class="cate-title">Chính trị</h1><section class="timeline">{rows}</section>{more}{numbers}'
    return _news_shell(page, "Chính trị", content, _news_side(page, items[::-1]))


def news_article(page: Page, a: FarmArticle, related: list[FarmArticle]) -> str:
    body = []
    for i, b in enumerate(a.blocks):
        if b.kind == "html":
            body.append(b.text)  # hostile markup, verbatim (tests/farm/hostile.py)
        elif b.kind == "p":
            body.append(f"<p>{e(b.text)}</p>")
        else:
            body.append(f'<figure class="image"><img src="/img/{a.item_id}-{i}.jpg" alt="{e(a.title)}">'
                        f"<figcaption><p>{e(b.text)}</p></figcaption></figure>")
    sapo = f'<div class="detail-sapo"><strong>{e(a.lead)}</strong></div>' if a.lead else ""
    author = f'<p class="detail-author"><strong>{e(a.author)}</strong></p>' if a.author else ""
    more = "".join(
        f"""<article class="story"><a href="{e(page.article_url(r))}"><img src="/img/{r.item_id}.jpg" alt="{e(r.title)}"></a>
<h3><a href="{e(page.article_url(r))}">{e(r.title)}</a></h3><p>{e(summary(r))}</p><time>{news_date(r)}</time></article>"""
        for r in related[:3]
    )
    og = f'\n<meta property="og:title" content="{e(a.title)}"><meta property="og:type" content="article">'
    content = f"""<article class="detail"><div class="detail-cate"><a href="/chinh-tri/">Chính trị</a></div>
<h1 class="detail-title">{e(a.title)}</h1>
<div class="detail-meta"><time class="detail-time">{news_date(a)}</time></div>
{sapo}
<div class="detail-content">{"".join(body)}</div>
{author}
<div class="detail-tags"><span>Chủ đề</span> <a href="/chu-de/cai-cach-hanh-chinh.html">Cải cách hành chính</a></div>
<div class="detail-share"><a href="#">Chia sẻ</a> <a href="#">Facebook</a> <a href="#">Zalo</a></div>
<section class="comment-box"><h3>Bình luận</h3><form action="/binh-luan" method="post"><textarea name="noi_dung" placeholder="Ý kiến của bạn"></textarea>
<input name="ho_ten" placeholder="Họ và tên"><input name="email" placeholder="Email"><button type="submit">Gửi bình luận</button></form></section>
</article>
<section class="related"><h3 class="box-title">Đọc thêm</h3>{more}</section>"""
    return _news_shell(page, a.title, content, _news_side(page, related), og)


# ------------------------------------------------------------------ department site (Drupal)
def drupal_date(a: FarmArticle) -> str:
    if not a.published:
        return ""
    p = a.published
    return f"Đăng ngày {p.day:02d}-{p.month:02d}-{p.year} {p.hour:02d}:{p.minute:02d}"


def _drupal_shell(page: Page, title: str, content: str) -> str:
    t = page.today
    clock = f"Thứ {t.weekday() + 2 if t.weekday() < 6 else 'CN'} Ngày {t.day}/{t.month}/{t.year}, {t.hour:02d}:{t.minute:02d}:{t.second:02d} AM"
    return f"""<!DOCTYPE html>
<html lang="vi" dir="ltr"><head><meta charset="utf-8"><meta name="Generator" content="Drupal 9 (https://www.drupal.org)">
<title>{e(title)} | {e(page.site_name)}</title></head>
<body class="path-node"><div class="dialog-off-canvas-main-canvas"><div id="page">
<header id="header"><div class="clock-widget" id="clock">{clock}</div>
<div class="site-branding"><a href="/vi" rel="home">{e(page.site_name)}</a></div>
<nav id="main-menu"><ul class="menu">{_menu_items()}</ul></nav></header>
<div class="layout-container"><aside class="sidebar-first"><div class="block"><h2>Tình trạng xử lý văn bản</h2>
<ul><li>Văn bản đến: 1.204</li><li>Đã xử lý: 1.180</li></ul></div>
<div class="block"><h2>Chuyên mục</h2><ul><li><a href="/vi/tin-tuc">Tin tức</a></li><li><a href="/vi/thong-bao">Thông báo</a></li></ul></div></aside>
<main class="region-content">{content}</main>
<aside class="sidebar-second"><div class="block"><h2>Liên kết website</h2>{_linked_sites_select()}</div>
<div class="block"><h2>Thống kê truy cập</h2><div>Thống kê: 365.405</div><div>Online: 23</div></div></aside></div>
<footer id="footer"><p>Bản quyền thuộc {e(page.site_name)}. Địa chỉ: Số 25, đường Nguyễn Trãi, phường Đống Đa, TP Vĩnh Yên.</p>
<p>Ghi rõ nguồn khi phát hành lại thông tin từ cổng thông tin này.</p></footer></div></div></body></html>"""


def drupal_list(page: Page, items: list[FarmArticle], current: int, pages: int) -> str:
    rows = "".join(
        f"""<div class="views-row"><div class="views-field-image"><img src="/sites/default/files/{a.item_id}.jpg" alt=""></div>
<div class="views-field-title"><span class="field-content"><a href="{e(page.article_url(a))}" hreflang="vi">{e(a.title)}</a></span></div>
<div class="views-field-created">{drupal_date(a).replace('Đăng ngày ', '')}</div>
<div class="views-field-body">{e(summary(a))}</div></div>"""
        for a in items
    )
    pager_items = []
    for n in range(1, pages + 1):
        if n == current:
            pager_items.append(f'<li class="pager__item is-active"><a href="{e(page.list_url(n))}">{n}</a></li>')
        else:
            pager_items.append(f'<li class="pager__item"><a href="{e(page.list_url(n))}">{n}</a></li>')
    if current < pages:
        pager_items.append(f'<li class="pager__item pager__item--next"><a href="{e(page.list_url(current + 1))}" rel="next">Trang sau ›</a></li>')
    content = (f'<h1 class="page-title">Tin tức</h1><div class="view-content">{rows}</div>'
               f'<nav class="pager"><ul class="pager__items">{"".join(pager_items)}</ul></nav>')
    return _drupal_shell(page, "Tin tức", content)


def drupal_article(page: Page, a: FarmArticle, related: list[FarmArticle]) -> str:
    body = []
    for i, b in enumerate(a.blocks):
        if b.kind == "html":
            body.append(b.text)  # hostile markup, verbatim (tests/farm/hostile.py)
        elif b.kind == "p":
            body.append(f"<p>{e(b.text)}</p>")
        else:
            body.append(f'<figure role="group" class="caption caption-img"><img src="/sites/default/files/{a.item_id}_{i}.jpg" alt="">'
                        f"<figcaption>{e(b.text)}</figcaption></figure>")
    meta = f'<div class="node__meta">{drupal_date(a)}</div>' if a.published else ""
    author = (f'<div class="field field--name-field-tac-gia"><div class="field__label">Tác giả</div>'
              f'<div class="field__item">{e(a.author)}</div></div>') if a.author else ""
    rel = "".join(f'<li><a href="{e(page.article_url(r))}">{e(r.title)}</a> <span>{drupal_date(r).replace("Đăng ngày ", "")}</span></li>'
                  for r in related)
    content = f"""<article class="node node--type-article node--view-mode-full">
<h1 class="page-title"><span>{e(a.title)}</span></h1>{meta}
<div class="node__content"><div class="field field--name-body">{"".join(body)}</div>{author}
<div class="rating"><span>Đánh giá:</span> <a href="#">★</a><a href="#">★</a><a href="#">★</a><a href="#">★</a><a href="#">★</a>
<span>lượt đánh giá: , trung bình:</span></div></div>
<div class="tin-lien-quan"><h2>Tin liên quan</h2><ul>{rel}</ul></div>
<section class="comments"><h2>Bình luận</h2><form class="comment-form" method="post"><textarea name="comment"></textarea>
<label>Mã xác thực</label><input name="captcha"><span class="form-error">Mã xác thực không đúng.</span>
<input type="submit" value="Gửi"></form></section></article>"""
    return _drupal_shell(page, a.title, content)


@dataclass(frozen=True)
class Template:
    list_page: Callable[[Page, list[FarmArticle], int, int], str]
    article_page: Callable[[Page, FarmArticle, list[FarmArticle]], str]
    date_only: bool = False  # the visible date carries no time of day


TEMPLATES = {
    "sharepoint": Template(sharepoint_list, sharepoint_article, date_only=True),
    "aspnet": Template(aspnet_list, aspnet_article),
    "newspaper": Template(news_list, news_article),
    "drupal": Template(drupal_list, drupal_article),
}


def query(**params: object) -> str:
    return urlencode(params)
