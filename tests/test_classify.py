from __future__ import annotations

import pytest

from portaltext.classify import classify
from tests.farm.content import seed_articles


def test_all_five_seeds_are_meeting_reports() -> None:
    seeds = seed_articles()
    assert len(seeds) == 5
    for s in seeds:
        verdict = classify(s.title, s.paragraphs)
        assert verdict.is_meeting, (s.title, verdict.reason)


@pytest.mark.parametrize(("title", "lead"), [
    ("Kỳ họp thứ 12 HĐND tỉnh khóa XVII sẽ khai mạc vào ngày 8/12",
     "Theo kế hoạch, kỳ họp dự kiến diễn ra trong 3 ngày."),
    ("Thông báo kế hoạch tổ chức Hội nghị xúc tiến đầu tư năm 2024", "Hội nghị dự kiến diễn ra vào ngày 20/4/2024."),
    ("Khánh thành và đưa vào sử dụng cầu Vĩnh Phú", "Ngày 2/9, tỉnh tổ chức lễ khánh thành cầu."),
    ("Lễ phát động phong trào thi đua năm 2024", "Ngày 5/1, Sở tổ chức lễ phát động phong trào thi đua."),
    ("Dự báo thời tiết: mưa lớn ở vùng núi", "Từ đêm nay, khu vực vùng núi có mưa to."),
    ("Kim ngạch xuất khẩu 9 tháng tăng 12%", "Theo số liệu của Cục Thống kê, kim ngạch xuất khẩu tăng."),
])
def test_non_meetings(title: str, lead: str) -> None:
    verdict = classify(title, [lead])
    assert not verdict.is_meeting, verdict.reason


@pytest.mark.parametrize(("title", "lead"), [
    ("UBND tỉnh họp phiên thường kỳ tháng 10", "Chiều 30/10, UBND tỉnh tổ chức phiên họp thường kỳ tháng 10."),
    ("Bế mạc kỳ họp thứ 18 HĐND tỉnh khóa XVII", "Sáng ngày 31/1, kỳ họp thứ 18 đã bế mạc."),
    ("Đoàn giám sát HĐND tỉnh làm việc tại Sở Y tế", "Sáng 18/10, Đoàn giám sát làm việc tại Sở Y tế."),
    ("Lãnh đạo tỉnh tiếp xúc cử tri huyện Đức Thọ", "Ngày 2/12, lãnh đạo tỉnh tiếp xúc cử tri."),
    ("Sở Xây dựng cần từng bước nâng điểm các chỉ số",
     "Sáng 18/10, Đoàn giám sát của HĐND tỉnh giám sát chuyên đề tại Sở Xây dựng."),
])
def test_meetings(title: str, lead: str) -> None:
    verdict = classify(title, [lead])
    assert verdict.is_meeting, verdict.reason
