"""Extraction details that golden pages do not isolate."""

from __future__ import annotations

import unicodedata

from crawler.extract import extract_article

PAGE = """<html><head><title>{title} - Cổng TTĐT</title></head><body>
<div class="menu"><a href="/">Trang chủ</a> <a href="/tt">Tin tức</a></div>
<div class="detail"><h1>{title}</h1><div class="date">Đăng ngày 07-05-2021 04:21</div>
<div class="content"><p>{p1}</p><p>{p2}</p>
<p><script>alert(1)</script><a href="javascript:alert(2)" onclick="x()">liên kết</a>
<img src="/anh.jpg" onerror="x()"></p></div></div>
<div class="footer">Bản quyền thuộc UBND tỉnh</div></body></html>"""

TITLE = "Hội nghị sơ kết công tác Đảng ủy khối cơ quan 6 tháng đầu năm"
P1 = "Sáng ngày 5/7, Đảng ủy khối tổ chức hội nghị sơ kết công tác 6 tháng đầu năm với sự tham dự của 120 đại biểu."
P2 = "Hội nghị đã thảo luận, đề ra nhiều giải pháp thực hiện nhiệm vụ 6 tháng cuối năm, bảo đảm hoàn thành kế hoạch."


def test_decomposed_unicode_comes_out_nfc() -> None:
    nfd = PAGE.format(title=unicodedata.normalize("NFD", TITLE), p1=unicodedata.normalize("NFD", P1), p2=P2)
    assert nfd != PAGE.format(title=TITLE, p1=P1, p2=P2)
    got = extract_article(nfd, "https://x.gov.vn/tin/1")
    assert got.title == TITLE
    assert got.paragraphs[:2] == [P1, P2]
    assert all(unicodedata.is_normalized("NFC", p) for p in got.paragraphs)


def test_body_html_is_sanitised_and_absolute() -> None:
    got = extract_article(PAGE.format(title=TITLE, p1=P1, p2=P2), "https://x.gov.vn/tin/1")
    assert got.published is not None and got.published.isoformat() == "2021-05-07T04:21:00+07:00"
    assert "<script" not in got.html and "onclick" not in got.html and "onerror" not in got.html
    assert "javascript:" not in got.html
    assert 'src="https://x.gov.vn/anh.jpg"' in got.html
    assert "Bản quyền" not in got.text and "Trang chủ" not in got.text


def test_page_of_garbage_gives_no_title_and_no_body_not_an_exception() -> None:
    for junk in ["", "<html></html>", "\x00\x01 not html at all", "<div><p>ngắn</p></div>" * 3]:
        got = extract_article(junk or " ", "https://x.gov.vn/")
        assert got.published is None
        assert isinstance(got.paragraphs, list)
