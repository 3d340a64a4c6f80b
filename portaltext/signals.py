"""What makes a text a report of a meeting that took place, as named, inspectable signals.

A report tells a past event: a gathering (hội nghị, phiên họp, kỳ họp, buổi làm việc, đại hội, a visit
that inspected, supervised, surveyed) placed in time ("Sáng 19/10", "vừa qua", "hôm qua"), held by an
actor (a committee, a delegation, an official), and narrated from inside ("chủ trì", "Tại hội nghị",
"Qua kiểm tra", "phát biểu kết luận"). What looks like one and is not has a shape of its own: it
announces, postpones, plans or orders a meeting; counts meetings over a period; explains the rules of
meetings; describes their machinery; is a ceremony; or is a story that mentions a session in passing.

Each signal is 0 or 1 (counts are capped) and carries the words that raised it, so a verdict can say
why. Patterns match lower-cased NFC text with its tone marks: folding would make "phối hợp"
(coordinate) read as "họp" (meet). The classifier (portaltext.classify) weighs them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .reading import Reading

_W, _E = r"(?<!\w)", r"(?!\w)"


def _rx(*alternatives: str) -> re.Pattern[str]:
    return re.compile(_W + "(?:" + "|".join(alternatives) + ")" + _E)


# Names of agencies whose words look like cues: "Ủy ban Kiểm tra Tỉnh ủy", "Thanh tra tỉnh".
_AGENCY_NAMES = re.compile(r"(?:Ủy ban|UB)\s+[Kk]iểm tra|UBKT|\b[Pp]hó [Cc]hánh [Tt]hanh tra|\b[Cc]hánh [Tt]hanh tra|"
                           r"Thanh tra (?:tỉnh|Sở|sở|huyện|Chính phủ|Bộ|thành phố|TP)|thanh tra viên|Ban Giám sát|"
                           r"tư vấn giám sát|camera giám sát")

GATHERING = _rx(
    r"hội nghị", r"phiên họp", r"kỳ họp", r"cuộc họp", r"buổi họp", r"họp phiên", r"buổi làm việc",
    r"làm việc (?:với|tại)", r"thăm và làm việc", r"tiếp và làm việc", r"đến làm việc", r"chuyến công tác",
    r"đại hội(?! thể dục)(?! thể thao)(?! tdtt)", r"hội thảo", r"tọa đàm", r"giao ban", r"hội đàm", r"hội kiến",
    r"tiếp xúc cử tri", r"tiếp công dân", r"tiếp dân", r"đối thoại", r"chất vấn", r"sơ kết", r"tổng kết",
    r"phiên (?:trù bị|khai mạc|bế mạc|toàn thể|thảo luận|chính thức)",
    r"(?<!phòng )(?<!lịch )(?<!mời )(?<!giờ )(?<!ngày )họp(?! báo)(?! mặt)(?! dân)",
)
INSPECTION = _rx(r"kiểm tra", r"giám sát", r"khảo sát", r"thanh tra", r"thị sát", r"kiểm tra thực (?:tế|địa)")
# Not an officials' visit: tests, checkpoints, enforcement.
NOT_A_VISIT = _rx(r"kiểm tra (?:học kỳ|cuối kỳ|giữa kỳ|sức khỏe|nồng độ|chất lượng nước)", r"bài kiểm tra", r"xử phạt",
                  r"bắt giữ", r"tạm giữ", r"bắt quả tang", r"tuần tra, kiểm soát", r"kiểm tra, xử lý \d")
_DAY = r"\d{1,2}\s*[/.\-–]\s*\d{1,2}(?:\s*[/.\-–]\s*\d{2,4})?"
# A dateline opens a clause ("Sáng 19/10, …", "(BNO) - Ngày 5-9, …", "Trước diễn biến …, ngày 5-9, …"); a date
# after "vào", "trước", "đến", "diễn ra" is as often a schedule or a deadline.
_CLAUSE_START = r"(?:^|(?<=[.,;:()–\-])\s*)"
DATELINE = re.compile(
    _CLAUSE_START + r"(?:(?:sáng|chiều|trưa|tối|đêm)(?:\s+(?:nay|qua))?\s*\(?\s*(?:ngày\s+|hôm\s+)?|ngày\s+|hôm\s+)"
    r"(?:" + _DAY + r"|\d{1,2}\s+tháng\s+\d{1,2})"
    r"|" + _CLAUSE_START + r"(?:từ ngày|trong (?:các |hai |ba |\d )?ngày|trong \w+ ngày,?|trong các ngày)\s+\d{1,2}"
    r"\s*(?:[/.\-–]\s*\d{1,2}\s*)?(?:đến|và|-|–)"
)
RECENT = _rx(
    r"vừa qua", r"mới đây", r"hôm qua", r"ngày hôm qua", r"hôm nay", r"(?:sáng|chiều|tối|trưa) nay", r"tối qua", r"đêm qua",
    r"tuần qua", r"cuối tuần qua", r"vừa (?:diễn ra|tổ chức|có|kết thúc|làm việc|kiểm tra|giám sát|khảo sát|họp|tiếp|"
    r"đi|đến)", r"đã diễn ra", r"sau \w+ ngày làm việc", r"(?<!ngày )bế mạc", r"(?<!ngày )(?<!lễ )khai mạc",
    r"thành công tốt đẹp",
)
# A sentence that opens inside the session: "Tại kỳ họp thứ 28, …", "Qua kiểm tra, …", "Kết luận buổi làm việc, …".
NARRATED_OPENING = re.compile(r"(?:^|[.;!?]\s+)(?:tại|qua|kết luận|phát biểu (?:tại|kết luận|chỉ đạo))\s+(?:các\s+)?"
                              r"(?:hội nghị|buổi|"
                              r"phiên|kỳ họp|đại hội|cuộc|kiểm tra|giám sát|khảo sát|hội thảo|tọa đàm)")
# "… diễn ra chiều 24/7": held on a day (an announcement says "sẽ diễn ra", which the future words catch).
HELD_ON = re.compile(_W + r"diễn ra (?:vào )?(?:(?:sáng|chiều|tối|trưa) |ngày |hôm )(?:ngày )?" + _DAY)
# "đã tổ chức 24 cuộc giám sát" counts meetings; it tells none.
PAST_VERB = re.compile(_W + r"(?:" + r"đã (?:tổ chức|có buổi (?:làm việc|kiểm tra|giám sát|khảo sát|tiếp|đối thoại|họp)|"
                       r"có cuộc (?:họp|hội đàm|"
                r"làm việc|kiểm tra|giám sát)|làm việc|kiểm tra|đi kiểm tra|đến kiểm tra|giám sát|khảo sát|tiếp|họp|"
                r"tiến hành|diễn ra|bầu|thông qua|biểu quyết|hội đàm|đối thoại|thăm|đến|chủ trì|dự|tham dự|nghe)" + r")" + _E
                       + r"(?!\s+(?:được\s+)?\d)")
CHAIR = _rx(r"chủ trì", r"đồng chủ trì", r"dưới sự chủ trì", r"tham dự", r"(?:cùng |tới |đến )?dự (?:hội nghị|buổi|kỳ họp|"
            r"đại hội|phiên họp|cuộc họp|hội thảo|tọa đàm)?\s*(?:còn )?có", r"dẫn đầu",
            r"có sự tham dự", r"với sự tham (?:dự|gia) của")
NARRATION = _rx(
    r"tại (?:hội nghị|buổi làm việc|buổi|phiên họp|phiên khai mạc|kỳ họp|đại hội|cuộc họp|hội thảo|tọa đàm|hiện trường|"
    r"các điểm|buổi tiếp|buổi đối thoại|buổi công bố|buổi giám sát|buổi kiểm tra|các buổi làm việc)",
    r"phát biểu (?:chỉ đạo|kết luận|khai mạc|bế mạc|tại)", r"kết luận (?:hội nghị|buổi|phiên|cuộc|kỳ họp)",
    r"qua (?:kiểm tra|giám sát|khảo sát|thanh tra)", r"báo cáo (?:với|tại) đoàn", r"đoàn (?:đã|ghi nhận|đề nghị|yêu cầu|"
    r"đánh giá|chỉ ra|lưu ý)", r"các đại biểu (?:đã|thảo luận|biểu quyết)", r"thảo luận", r"biểu quyết", r"bỏ phiếu",
    r"(?:đã )?nghe (?:báo cáo|các|đại diện)", r"cho ý kiến", r"tham luận", r"kết thúc (?:hội nghị|buổi)",
    r"sau khi nghe", r"ghi nhận", r"trả lời trực tiếp", r"hai bên",
    r"(?:huyện|sở|xã|đơn vị|các đơn vị|địa phương|ngành|nhà thầu|doanh nghiệp) (?:đã )?báo cáo", r"theo báo cáo (?:của|tại)",
    r"báo cáo (?:kết quả|tình hình|tiến độ) (?:với|tại)",
)
ACTOR = _rx(r"đồng chí", r"đ/c", r"chủ tịch", r"bí thư", r"giám đốc", r"trưởng đoàn", r"trưởng ban", r"lãnh đạo",
            r"đoàn (?:công tác|kiểm tra|giám sát|khảo sát|đại biểu|thanh tra|liên ngành)", r"tổ công tác", r"ubnd",
            r"ủy ban nhân dân", r"hđnd", r"hội đồng nhân dân", r"tỉnh ủy", r"huyện ủy", r"thành ủy", r"đảng ủy",
            r"ban thường vụ", r"thường trực", r"sở \w+", r"ban chỉ đạo", r"thủ tướng", r"bộ trưởng", r"đại biểu")

_FUTURE_WORDS = (r"sẽ", r"dự kiến", r"ngày mai", r"(?:sáng|chiều|tối) mai", r"tuần tới", r"tháng tới", r"sắp(?! xếp)(?: tới)?",
                 r"theo kế hoạch", r"kế hoạch tổ chức", r"thông báo", r"triệu tập", r"giấy mời", r"thư mời", r"kính mời",
                 r"lịch công tác", r"lịch tiếp", r"thời gian:", r"địa điểm:")
FUTURE = _rx(*_FUTURE_WORDS)
# In a headline, preparing and readiness announce ("Sẵn sàng cho Đại hội", "Chương trình kỳ họp"); in a lead
# they are as often the topic of a session that was held ("kiểm tra công tác chuẩn bị năm học").
FUTURE_HEADLINE = _rx(*_FUTURE_WORDS, r"(?<!công tác )(?<!việc )chuẩn bị", r"sẵn sàng", r"trước thềm", r"hướng tới",
                      r"^chương trình")
# A future word that governs a meeting: "sẽ tổ chức hội nghị", "dự kiến khai mạc", "kỳ họp sẽ diễn ra". Other
# future words ("dự kiến bàn giao trước Tết", "kỳ họp sẽ xem xét 22 nghị quyết") say nothing of whether it was held.
_MEETING_WORD = r"(?:hội nghị|kỳ họp|phiên họp|cuộc họp|họp|đại hội|hội thảo|tọa đàm|tiếp xúc|tiếp công dân|kiểm tra|" \
                r"giám sát|khảo sát|" \
                r"thanh tra|làm việc|đối thoại|giao ban|diễn ra|khai mạc|tổ chức)"
ANNOUNCES = re.compile(_W + r"(?:sẽ|dự kiến|sắp(?! xếp)|ngày mai|(?:sáng|chiều|tối) mai|tuần tới|theo kế hoạch|kế hoạch tổ chức|"
                       r"thông báo|triệu tập|kính mời|giấy mời)(?:\s+[^\s.;]+){0,6}?\s+" + _MEETING_WORD + _E)
POSTPONED = _rx(r"tạm hoãn", r"hoãn", r"lùi(?: thời gian| lịch)?", r"dời(?: thời gian| lịch)?", r"hủy", r"tạm dừng",
                r"dừng (?:tổ chức|tiếp|hoạt động|cuộc)")
PLAN = _rx(r"ban hành kế hoạch", r"phê duyệt kế hoạch", r"kế hoạch (?:kiểm tra|giám sát|thanh tra|khảo sát|tiếp xúc)",
           r"quyết định thành lập", r"thành lập (?:\d+ )?(?:đoàn|tổ)", r"quyết định thanh tra", r"quyết định kiểm tra",
           r"sẽ (?:tiến hành|kiểm tra|giám sát|thanh tra|khảo sát|làm việc)", r"chương trình giám sát")
DIRECTIVE = re.compile(_W + r"(?:tăng cường|đẩy mạnh|yêu cầu|chỉ đạo|đề nghị|khẩn trương|cần|phải|siết chặt)"
                       r"(?:\s+[^\s,.;]+){0,5}?\s+(?:kiểm tra|giám sát|rà soát|thanh tra)" + _E)
COUNT_OF_EVENTS = re.compile(r"(?<![\d/])\d[\d.,]*\s+(?:lượt|cuộc|đoàn|kỳ họp|phiên họp|buổi|vụ|cơ sở|trường hợp|đơn vị)" + _E)
PERIOD = _rx(r"năm (?:19|20)\d\d", r"trong năm", r"từ đầu năm", r"\d+ tháng (?:đầu|cuối) năm", r"quý [ivx]+",
             r"(?:trong|cả|tổng kết) nhiệm kỳ", r"nhiệm kỳ qua", r"trong tháng(?: \d+)?", r"tháng \d{1,2}/\d{4}", r"tổng cộng",
             r"toàn tỉnh", r"toàn ngành", r"trong tuần", r"đến nay")
EXPLAINER = _rx(r"hỏi:", r"trả lời:", r"theo luật", r"^theo quy định", r"quy chế", r"^quy định", r"^hướng dẫn",
                r"những quy định", r"dự thảo (?:luật|nghị định|"
                r"quy chế)", r"là gì", r"như thế nào", r"thế nào", r"có nhiệm vụ", r"nhiệm vụ gì", r"những điểm mới",
                r"những trường hợp", r"có gì mới", r"được thực hiện")
MACHINERY = _rx(r"phòng họp(?: trực tuyến| không giấy| thông minh)?", r"hệ thống (?:hội nghị|họp|truyền hình)",
                r"hội nghị truyền hình", r"đường truyền", r"phần mềm", r"trợ lý ảo", r"thiết bị (?:âm thanh|hội nghị|họp)",
                r"máy tính bảng", r"lắp đặt", r"chạy thử")
CEREMONY = _rx(r"khánh thành", r"khởi công", r"động thổ", r"lễ kỷ niệm", r"kỷ niệm", r"lễ (?:trao|đón nhận|phát động|ra quân|"
               r"khai mạc|gắn biển|ra mắt|khai giảng|tuyên dương|dâng hương|mít tinh|công bố|ký kết)", r"trao tặng",
               r"tặng quà", r"trao quà", r"chúc tết", r"mít tinh", r"phát động", r"gắn biển", r"ra mắt", r"khai trương",
               r"lễ hội", r"hội thi", r"hội diễn", r"hội chợ", r"liên hoan", r"giải (?:bóng|cờ|chạy|việt dã)",
               r"đại hội thể dục thể thao", r"đại hội thể thao", r"triển lãm", r"buổi lễ", r"diễu binh")
FEATURE = _rx(r"pv:", r"phóng viên", r"trao đổi với(?: phóng viên| báo| pv)", r"cuộc trao đổi", r"phỏng vấn", r"trò chuyện",
              r"câu chuyện", r"chuyện", r"kể lại",
              r"ông kể", r"bà kể", r"chị kể", r"anh kể", r"ký ức", r"hồi ký", r"tâm sự", r"nhớ như in", r"giữ lửa")
STORY_OPENING = re.compile(r"^(?:ông|bà|chị|anh|cụ|em|già làng|người dân|bà con|nhiều hộ|mỗi|hơn \d+ năm|ở tuổi|làng|ấp|"
                           r"thôn|bản|những ngày|trước đây|từng)" + _E)
LISTING_TITLE = re.compile(r"^(?:tag|tags|từ khóa|chủ đề|chuyên mục|kết quả tìm kiếm|tìm kiếm|danh sách|điểm tin|điểm báo|"
                           r"tổng hợp|bản tin|tin tổng hợp|tóm tắt|tin tức(?: - sự kiện)?|tin hoạt động|sự kiện|tin vắn|"
                           r"(?:chỉ đạo,? điều hành|hoạt động) nổi bật)" + _E)
# Headlines of a genre that is not a report: schedules, notices, plans, procedures, guides, Q&A, tag pages.
GENRE_HEADLINE = re.compile(r"^(?:chương trình|lịch|thông báo|giấy mời|thư mời|kế hoạch|quy trình|quy chế|quy định|hướng dẫn|"
                            r"những (?:nội dung|điểm|vấn đề|trường hợp|quy định)|nội dung|hỏi đáp|hỏi - đáp|infographic|"
                            r"tag|từ khóa|chủ đề|tin tức|điểm báo|điểm tin)" + _E + r"|\?\s*$")
_DATED_ENTRY = re.compile(r"\d{1,2}/\d{1,2}(/\d{2,4})?")
_SCHEDULE_ENTRY = re.compile(r"^(?:thứ (?:hai|ba|tư|năm|sáu|bảy)|chủ nhật)\s*\(\d{1,2}/\d{1,2}\)")


# The story's first act, read after its dateline or "vừa qua": a gathering held, or a paper issued. "Ngày 3/3,
# Sở Nội vụ ban hành kế hoạch kiểm tra" dates a document; "Ngày 21/5, đoàn … đã kiểm tra" dates a visit.
HOLDING_ACT = _rx(r"tổ chức", r"họp", r"làm việc", r"kiểm tra", r"giám sát", r"khảo sát", r"thị sát",
                  r"tiếp (?:công dân|xúc|và|\d)",
                  r"tiếp (?:\w+ )?(?:đoàn|lượt)", r"đối thoại", r"chủ trì", r"khai mạc", r"bế mạc", r"tham dự",
                  r"dự (?:hội nghị|buổi|kỳ họp|phiên|cuộc|đại hội|và)", r"hội đàm",
                  r"thăm và làm việc", r"đi (?:kiểm tra|thăm|khảo sát)", r"đến (?:kiểm tra|làm việc|thăm|khảo sát)", r"diễn ra",
                  r"tiến hành", r"nghe", r"công bố (?:quyết định|kết luận) thanh tra", r"bầu", r"lấy phiếu", r"gặp mặt",
                  r"hội nghị", r"kỳ họp", r"phiên họp", r"đại hội", r"thảo luận", r"chất vấn", r"biểu quyết")
DOCUMENT_ACT = _rx(r"ban hành", r"ký", r"có (?:công văn|văn bản|thông báo|tờ trình|quyết định)", r"thông báo", r"quyết định",
                   r"thành lập", r"phê duyệt", r"yêu cầu", r"chỉ đạo", r"đề nghị", r"gửi", r"cho biết", r"công bố (?!quyết định)"
                   r"(?!kết luận)", r"hoãn", r"tạm hoãn", r"lùi", r"dời", r"hủy", r"tạm dừng", r"dừng",
                   r"giao(?! ban)(?! thông)(?! lưu)",
                   r"khuyến cáo", r"triệu tập", r"lên kế hoạch", r"xây dựng kế hoạch")
_PREFACE = re.compile(r"^(?:\([^)]{1,40}\)\s*[-–]\s*)?"
                      r"(?:(?:thực hiện|căn cứ|theo|triển khai|nhằm|để|trước|sau)\s[^,]{3,160},\s*)?")


def first_act(sentence: str) -> tuple[str, str] | None:
    """("holds" | "documents", words) for the first act a sentence tells, past its dateline and preface."""
    start = 0
    dated = DATELINE.search(sentence) or RECENT.search(sentence[:80])
    if dated and dated.start() < 160:
        start = dated.end()
    else:
        preface = _PREFACE.match(sentence)
        start = preface.end() if preface else 0
    text = sentence[start:]
    acts = [(m.start(), kind, m.group(0)) for kind, rx in (("holds", HOLDING_ACT), ("holds", GATHERING), ("holds", INSPECTION),
                                                           ("documents", DOCUMENT_ACT)) if (m := rx.search(text))]
    if not acts:
        return None
    _, kind, words = min(acts)
    return kind, words


@dataclass
class Signals:
    values: dict[str, float] = field(default_factory=dict)
    evidence: dict[str, str] = field(default_factory=dict)

    def set(self, name: str, match: re.Match[str] | str | bool | None, value: float = 1.0) -> None:
        if not match:
            self.values.setdefault(name, 0.0)
            return
        self.values[name] = value
        if isinstance(match, re.Match):
            self.evidence[name] = match.group(0).strip()
        elif isinstance(match, str):
            self.evidence[name] = match


_SPORTS_FESTIVAL = re.compile(r"đại hội (?:thể dục thể thao|thể thao|tdtt)", re.IGNORECASE)


def without_agency_names(text: str) -> str:
    """Agency names blanked out, so "Ủy ban Kiểm tra Tỉnh ủy" or "Thanh tra tỉnh" is no visit."""
    return _AGENCY_NAMES.sub(" ", text)


def _without_sports_festival(texts: tuple[str, ...]) -> tuple[str, ...]:
    """Once a text names a sports festival (Đại hội Thể dục thể thao), its bare "đại hội" is that festival."""
    if not any(_SPORTS_FESTIVAL.search(t) for t in texts):
        return texts
    return tuple(re.sub(r"(?<!\w)đại hội(?!\w)", "giải", _SPORTS_FESTIVAL.sub("giải thể thao", t)) for t in texts)


def _is_listing(lines: list[str]) -> bool:
    """Three or more short, dated lines and little else: headlines, not prose."""
    lines = [line for line in lines if line.strip()]
    entries = [line for line in lines if len(line.split()) <= 22
               and (_DATED_ENTRY.search(line) or _SCHEDULE_ENTRY.match(line.lower()))]
    return len(entries) >= 3 and len(entries) >= 0.6 * len(lines)


def signals(reading: Reading, lines: list[str] | None = None) -> Signals:
    """The signals of one text; `lines` are the raw paragraphs, for the shape of a list page."""
    s = Signals()
    h, lead, body = (without_agency_names(t).lower() for t in (reading.headline, reading.lead, reading.body))
    sport = bool(_SPORTS_FESTIVAL.search(h + " " + lead))
    h, lead, body = _without_sports_festival((h, lead, body))
    rest = body[len(lead):]
    gathering_h, gathering_l = GATHERING.search(h), GATHERING.search(lead)
    inspect_h, inspect_l = INSPECTION.search(h), INSPECTION.search(lead)
    s.set("gathering_in_headline", gathering_h)
    s.set("gathering_in_lead", gathering_l)
    s.set("inspection_in_headline", inspect_h)
    s.set("inspection_in_lead", inspect_l)
    s.set("gathering_later_in_body", GATHERING.search(rest))
    s.set("not_a_visit", NOT_A_VISIT.search(h) or NOT_A_VISIT.search(lead))

    dated, recent, past = DATELINE.search(lead), RECENT.search(lead) or RECENT.search(h), PAST_VERB.search(lead)
    s.set("dateline_in_lead", dated)
    s.set("recent_marker", recent)
    s.set("past_verb_in_lead", past)
    s.set("chair_or_attendance", CHAIR.search(lead))
    narration = NARRATION.search(body)
    s.set("session_narrated", narration)
    s.set("actor_in_lead", ACTOR.search(lead))

    future_h, future_l = FUTURE_HEADLINE.search(h), FUTURE.search(lead)
    announces = ANNOUNCES.search(lead)
    s.set("future_in_headline", future_h)
    s.set("future_in_lead", future_l)
    s.set("announces_meeting", announces)
    s.set("postponed", POSTPONED.search(h) or POSTPONED.search(lead))
    s.set("plan_or_decision", PLAN.search(h) or PLAN.search(lead))
    s.set("directive_headline", DIRECTIVE.search(h))
    s.set("directive_lead", DIRECTIVE.search(lead[:200]))
    counts = COUNT_OF_EVENTS.findall(h) + COUNT_OF_EVENTS.findall(lead)
    s.set("counts_events", bool(counts), min(len(counts), 3) / 3)
    s.set("period_aggregate", None if dated else PERIOD.search(lead[:40]))
    s.set("explainer", EXPLAINER.search(h) or EXPLAINER.search(lead))
    s.set("question_headline", h.rstrip().endswith("?"))
    s.set("machinery", MACHINERY.search(h) or MACHINERY.search(lead))
    s.set("ceremony_in_headline", CEREMONY.search(h) or sport)
    s.set("ceremony_in_lead", CEREMONY.search(lead))
    s.set("feature_story", FEATURE.search(h) or FEATURE.search(lead))
    s.set("story_opening", STORY_OPENING.search(lead))
    s.set("listing", LISTING_TITLE.search(h) or _is_listing(lines if lines is not None else list(reading.prose)[:12]))
    s.set("no_headline", not h)
    s.set("genre_headline", GENRE_HEADLINE.search(h))
    first_sentence = re.split(r"(?<=[.;!?])\s+", lead, maxsplit=1)[0] if lead else ""
    for where, text in (("lead", first_sentence), ("headline", h)):
        act = first_act(text) if text else None
        s.set(f"{where}_act_holds", act[1] if act and act[0] == "holds" else None)
        s.set(f"{where}_act_documents", act[1] if act and act[0] == "documents" else None)

    # The shape of a report: a gathering or a visit, placed in the past, held by someone.
    event = bool(gathering_h or gathering_l or inspect_h or inspect_l)
    # Told as held: a day, "vừa qua", a past verb; or, when nothing is announced, who chaired or attended
    # (an excerpt that opens on the attendee list).
    told = bool(recent or past or HELD_ON.search(lead)) or (bool(NARRATED_OPENING.search(lead)) and not (future_h or announces))
    placed = bool(dated) or told or (bool(s.values["chair_or_attendance"]) and not (future_h or announces))
    # What the date places is the story's first act: when that is a paper ("ban hành kế hoạch kiểm tra", "ký
    # quyết định thành lập đoàn", "có công văn hoãn"), no gathering is placed in the past.
    s.set("event_placed_in_past", event and placed and not s.values["lead_act_documents"])
    s.set("event_held_by_actor", event and placed and bool(s.values["actor_in_lead"]))
    # A date alone does not make an announcement a report: "sẽ diễn ra … ngày 30/7" names one too.
    s.set("future_unhedged", bool(future_h or announces) and not told)
    # The headline tells a session and the body narrates it, though the lead that dated it was cut.
    s.set("headline_tells_session", bool(gathering_h or inspect_h) and bool(s.values["headline_act_holds"])
          and not future_h and not s.values["headline_act_documents"] and bool(narration))
    # Either way, the text tells a gathering that was held: the one signal the two paths share.
    s.set("told_as_held", bool(s.values["event_placed_in_past"] or s.values["headline_tells_session"]))
    s.set("inspection_only", bool(inspect_h or inspect_l) and not (gathering_h or gathering_l))
    # Totals over a period, with no one day told: statistics about meetings, not a meeting.
    s.set("statistics", bool(counts) and bool(s.values["period_aggregate"]) and not dated)
    return s


SIGNAL_NAMES = tuple(signals(Reading("", "", "", ())).values)
