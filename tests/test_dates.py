from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from crawler.extract import date_line
from portaltext.dates import parse_date, parse_iso

VN = timezone(timedelta(hours=7))


@pytest.mark.parametrize(("text", "expected"), [
    ("Thứ Sáu, 20/10/2017 - 00:33", datetime(2017, 10, 20, 0, 33, tzinfo=VN)),
    ("01/07/2020", datetime(2020, 7, 1, tzinfo=VN)),
    ("22/09/2022 15:15", datetime(2022, 9, 22, 15, 15, tzinfo=VN)),
    ("Đăng ngày 07-05-2021 04:21", datetime(2021, 5, 7, 4, 21, tzinfo=VN)),
    ("Thứ ba, 28/12/2021 | 10:02:09 Sáng", datetime(2021, 12, 28, 10, 2, 9, tzinfo=VN)),
    ("Thứ ba, 28/12/2021 | 03:02:09 Chiều", datetime(2021, 12, 28, 15, 2, 9, tzinfo=VN)),
    ("20:55, 22/06/2022", datetime(2022, 6, 22, 20, 55, tzinfo=VN)),
    ("Cập nhật lúc 08h30 ngày 05/01/2023", datetime(2023, 1, 5, 8, 30, tzinfo=VN)),
    ("(24/06/2020)", datetime(2020, 6, 24, tzinfo=VN)),
])
def test_portal_date_formats(text: str, expected: datetime) -> None:
    got = parse_date(text)
    assert got == expected
    assert got is not None and got.utcoffset() == timedelta(hours=7)


def test_iso_from_meta_is_converted_to_vietnam_time() -> None:
    assert parse_iso("2023-10-18T04:45:00Z") == datetime(2023, 10, 18, 11, 45, tzinfo=VN)
    assert parse_iso("2023-10-18T11:45:00+07:00") == datetime(2023, 10, 18, 11, 45, tzinfo=VN)


@pytest.mark.parametrize("text", ["31/02/2020", "no date here", "99/99/9999"])
def test_invalid_dates_are_none(text: str) -> None:
    assert parse_date(text) is None


def test_date_line_refuses_sentences_and_event_dates() -> None:
    assert date_line("Thứ Sáu, 20/10/2017 - 00:33") is not None
    assert date_line("Sáng ngày 19/10/2017, Tổ Công tác số 1 kiểm tra") is None
    assert date_line("UBND tỉnh thông báo kế hoạch tổ chức hội nghị, dự kiến diễn ra vào ngày 18/3/2023.") is None
