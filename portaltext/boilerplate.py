"""What Vietnamese portals put around an article, whatever their CMS.

These labels head the blocks that follow an article body on portals of every CMS family (they are
taken from the seed pages and the portals they came from), so a block that starts with one ends
the body. Kept in one place so extraction and link discovery agree.
"""

from __future__ import annotations

import re
from functools import lru_cache

from portaltext.text import clean

# Headings of blocks that end an article body: related lists, comment forms, date pickers, tools.
END_OF_BODY_LABELS = (
    "các tin đã đưa ngày", "các tin đã đưa", "xem tin theo ngày", "các tin khác", "tin khác", "tin liên quan",
    "bài liên quan", "tin cùng chuyên mục", "cùng chuyên mục", "đọc thêm", "xem thêm", "bình luận",
    "ý kiến bạn đọc", "gửi ý kiến", "gửi bình luận", "viết bình luận", "chủ đề", "từ khóa", "từ khoá", "tags",
    "đánh giá", "lượt đánh giá", "chia sẻ", "in trang", "in bài", "gửi email", "gửi cho bạn bè", "về đầu trang",
    "quay lại", "trở về", "bản in", "tin mới hơn", "tin cũ hơn", "tin đọc nhiều", "tin mới", "mã xác thực",
)
# Side-box headings: never an article title, never body text.
SIDE_BOX_LABELS = (
    "liên kết website", "liên kết websites", "liên kết web", "thống kê truy cập", "lượt truy cập",
    "đang truy cập", "đang online", "online", "thăm dò ý kiến", "bạn thấy trang web", "tình trạng xử lý văn bản",
    "lịch công tác", "video", "thư viện ảnh", "văn bản mới", "chuyên mục", "đọc nhiều", "xem nhiều",
    "tin nổi bật", "tin mới nhất", "liên hệ", "bản quyền", "lượt xem", "lượt đọc", "số lượt xem",
)

_LABEL_MAX = 60


def _norm(text: str) -> str:
    return clean(text).lower().strip(" :.-–»›>|")


@lru_cache(maxsize=16)
def _label_pattern(labels: tuple[str, ...]) -> re.Pattern[str]:
    # One alternation instead of a loop over the labels: this runs for every text block of a page.
    return re.compile("(?:" + "|".join(re.escape(lab) for lab in labels) + r")(?:$|[ :])")


def starts_with_label(text: str, labels: tuple[str, ...]) -> bool:
    if len(text) > 20 * _LABEL_MAX:  # no amount of white space folds this down to a label
        return False
    t = _norm(text)
    if not t or len(t) > _LABEL_MAX:
        return False
    return _label_pattern(labels).match(t) is not None


def is_end_of_body(text: str) -> bool:
    return starts_with_label(text, END_OF_BODY_LABELS)


def is_side_box(text: str) -> bool:
    return starts_with_label(text, SIDE_BOX_LABELS)


CLASS_HINTS = {
    "title": re.compile(r"title|tieu-?de|tieude|headline|heading", re.I),
    "caption": re.compile(r"caption|image_?desc|img_?desc|image-desc|img-desc|chu-?thich|chuthich|photo-?desc|pic-?desc",
                          re.I),
    "lead": re.compile(r"(^|[\s_-])(sapo|lead|summary|chapeau|tomtat|tom-tat|intro|description|trich-?yeu|hometext)", re.I),
    "author": re.compile(r"author|tac-?gia|tacgia|byline|writer|nguoi-?viet", re.I),
}
