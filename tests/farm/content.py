"""Articles the portal farm serves: the five seed documents plus a deterministic generated corpus.

Every article carries its own ground truth (title, published datetime, author, paragraphs,
captions, whether it reports a meeting) so tests and benchmarks can score the crawler against it.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

VN_TZ = timezone(timedelta(hours=7))
SEEDS_DIR = Path(__file__).parent / "seeds"


@dataclass
class Block:
    """One piece of article body: a paragraph, or an image with its caption."""

    kind: str  # "p" or "img"
    text: str


@dataclass
class FarmArticle:
    portal: str
    item_id: int
    title: str
    published: datetime | None
    author: str | None
    blocks: list[Block]
    is_meeting: bool
    topic: str
    lead: str | None = None  # a bold sapo paragraph above the body (newspaper style)
    seed: str | None = None  # seed file name when the article comes from ../shared/seeds
    status: str = "live"  # "live", "removed" (404), "listed-missing" (in the list, 404 on fetch)
    revision: int = 0
    tags: list[str] = field(default_factory=list)
    dup_of: tuple[str, int] | None = None  # a republished copy of another portal's article
    changed_at: float = 0.0  # farm clock of the last change, for Last-Modified/ETag of list pages

    @property
    def paragraphs(self) -> list[str]:
        lead = [self.lead] if self.lead else []
        return lead + [b.text for b in self.blocks if b.kind == "p"]

    @property
    def captions(self) -> list[str]:
        return [b.text for b in self.blocks if b.kind == "img"]

    @property
    def body_text(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def sort_key(self) -> tuple[float, int]:
        ts = self.published.timestamp() if self.published else 0.0
        return (ts, self.item_id)


# --------------------------------------------------------------------------------------------
# Seeds: the page text of five real meeting reports. Each mapping assigns the non-empty lines of
# the seed file to roles; everything not assigned is the original page's boilerplate, which the
# farm templates render again in their own side boxes and footers.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeedLayout:
    file: str
    portal: str
    item_id: int
    title: int | str  # line index, or literal title when the seed's text had none
    published: datetime | None
    body: list[tuple[str, int]]  # ("p" | "img", line index)
    author: str | None
    lead: int | None = None


SEED_LAYOUTS = [
    SeedLayout(
        "000_78d031d0c67c3abf.txt", "sxd-vinhphuc", 1873, 1, datetime(2020, 7, 1, tzinfo=VN_TZ),
        [("p", 3), ("img", 4), ("p", 5), ("img", 6), ("p", 7), ("p", 8), ("p", 9), ("img", 10),
         ("p", 11), ("img", 12)],
        "Kim Đình Hùng - Phó chánh Văn phòng Sở Xây dựng",
    ),
    SeedLayout(
        "001_316bcdfa36eb0663.txt", "vpubnd-langson", 2461, 4, datetime(2017, 10, 20, 0, 33, tzinfo=VN_TZ),
        [("p", 6), ("img", 7), ("p", 8), ("p", 9), ("img", 10), ("p", 11), ("p", 12)],
        "Bích Diệp",
    ),
    SeedLayout(
        "002_92f39e21a15d5abc.txt", "baohatinh", 257412, 0, datetime(2023, 10, 18, 11, 45, tzinfo=VN_TZ),
        [("p", 2), ("p", 3), ("img", 5), ("p", 6), ("p", 7), ("img", 9), ("p", 10), ("p", 11), ("p", 12),
         ("img", 14), ("p", 15), ("img", 17), ("p", 18)],
        None,
        lead=1,
    ),
    SeedLayout(
        # The seed's page text shows no title and no publication date, only a clock widget
        # ("Thứ 5 Ngày 14/5/2020"): the farm keeps it dateless so the clock trap stays real.
        "003_9c54f4a8490fd670.txt", "vpubnd-vinhphuc", 3318,
        "Văn phòng UBND tỉnh sơ kết công tác 6 tháng đầu năm 2022", None,
        [("p", i) for i in range(0, 7)],
        None,
    ),
    SeedLayout(
        "004_478f8306f36cbd84.txt", "vinhyen", 1544, 0, datetime(2020, 6, 24, tzinfo=VN_TZ),
        [("p", 2), ("img", 3), ("p", 4), ("img", 5), ("p", 6), ("p", 7), ("img", 8), ("p", 9), ("img", 10),
         ("p", 11), ("p", 12)],
        "Thu Hà - Bích Thảo",
    ),
]


def _seed_lines(name: str) -> list[str]:
    text = (SEEDS_DIR / name).read_text(encoding="utf-8")
    return [re.sub(r"\s+", " ", line).strip() for line in text.splitlines() if line.strip()]


def seed_articles() -> list[FarmArticle]:
    articles = []
    for layout in SEED_LAYOUTS:
        lines = _seed_lines(layout.file)
        title = lines[layout.title] if isinstance(layout.title, int) else layout.title
        articles.append(
            FarmArticle(
                portal=layout.portal,
                item_id=layout.item_id,
                title=title,
                published=layout.published,
                author=layout.author,
                blocks=[Block(kind, lines[i]) for kind, i in layout.body],
                is_meeting=True,
                topic="seed",
                lead=lines[layout.lead] if layout.lead is not None else None,
                seed=layout.file,
            )
        )
    return articles


# --------------------------------------------------------------------------------------------
# Generated corpus
# --------------------------------------------------------------------------------------------

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Quang", "Thanh", "Hữu", "Ngọc", "Xuân", "Hồng"]
GIVEN = ["Hùng", "Lan", "Tuấn", "Hải", "Long", "Hương", "Dũng", "Thảo", "Sơn", "Bình", "Hà", "Phong",
         "Tâm", "Khánh", "Nam", "Việt", "Trung", "Yến"]
TITLES = ["Phó Chủ tịch UBND tỉnh", "Chủ tịch UBND tỉnh", "Phó Chủ tịch Thường trực HĐND tỉnh",
          "Giám đốc Sở Kế hoạch và Đầu tư", "Chánh Văn phòng UBND tỉnh", "Trưởng ban Kinh tế - Ngân sách HĐND tỉnh",
          "Giám đốc Sở Tài chính", "Bí thư Huyện ủy", "Phó Giám đốc Sở Xây dựng"]
ORGS = ["Sở Giao thông vận tải", "Sở Tài nguyên và Môi trường", "Sở Y tế", "Sở Giáo dục và Đào tạo",
        "Sở Nông nghiệp và Phát triển nông thôn", "Sở Công Thương", "Ban Quản lý các khu công nghiệp",
        "UBND huyện Tam Dương", "UBND huyện Lập Thạch", "Sở Lao động - Thương binh và Xã hội",
        "Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh"]
DISTRICTS = ["Tam Đảo", "Bình Xuyên", "Yên Lạc", "Vĩnh Tường", "Sông Lô", "Cao Lộc", "Hữu Lũng",
             "Kỳ Anh", "Cẩm Xuyên", "Hương Khê", "Thạch Hà", "Đức Thọ"]
PROJECTS = ["đường vành đai 3", "cầu Vĩnh Phú", "khu tái định cư phường Đồng Tâm", "trường THPT chuyên",
            "bệnh viện đa khoa tỉnh", "kè chống sạt lở sông Lô", "nhà máy xử lý nước thải", "chợ trung tâm huyện"]
TOPICS_CCHC = ["cải cách hành chính", "chuyển đổi số", "giải ngân vốn đầu tư công", "thu ngân sách",
               "phòng, chống thiên tai", "xây dựng nông thôn mới", "giải phóng mặt bằng", "an toàn giao thông"]
AUTHOR_NAMES = ["Minh Châu", "Thu Phương", "Hoàng Anh", "Quốc Toản", "Ngọc Mai", "Trọng Đạt", "Bảo Ngọc",
                "Hải Yến", "Đức Thịnh"]
PORTAL_AGENCY = {
    "sxd-vinhphuc": "Sở Xây dựng",
    "vinhyen": "UBND thành phố",
    "vpubnd-langson": "Văn phòng UBND tỉnh",
    "baohatinh": "UBND tỉnh",
    "vpubnd-vinhphuc": "Văn phòng UBND tỉnh",
}


def _person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


SUBJECTS = ["Các sở, ngành", "UBND các huyện, thành phố", "Ban Quản lý dự án đầu tư xây dựng", "Các đơn vị chức năng",
            "Chính quyền cơ sở", "Ngành chức năng", "Các phòng chuyên môn", "Doanh nghiệp trên địa bàn",
            "Các địa phương vùng đồng bào dân tộc", "Mặt trận Tổ quốc và các đoàn thể", "Lực lượng công an", "Các trường học"]
ACTIONS = ["đã tập trung triển khai", "tiếp tục đẩy mạnh", "chủ động rà soát", "khẩn trương hoàn thiện",
           "phối hợp chặt chẽ thực hiện", "quan tâm chỉ đạo", "từng bước nâng cao hiệu quả", "huy động nguồn lực cho",
           "đổi mới phương thức thực hiện", "ưu tiên bố trí vốn cho", "đẩy nhanh tiến độ", "tháo gỡ vướng mắc trong"]
OBJECTS = ["công tác {topic}", "kế hoạch {topic} năm {year}", "các dự án hạ tầng giao thông", "chương trình mục tiêu quốc gia",
           "việc cấp giấy chứng nhận quyền sử dụng đất", "các mô hình sản xuất nông nghiệp ứng dụng công nghệ cao",
           "công tác tuyên truyền, phổ biến pháp luật", "hệ thống thủy lợi nội đồng", "các thủ tục hành chính liên thông",
           "việc chi trả chế độ chính sách", "chuyển đổi số trong cơ quan nhà nước", "quy hoạch sử dụng đất"]
COMPLEMENTS = ["bảo đảm đúng tiến độ đề ra", "góp phần nâng cao đời sống nhân dân", "với tổng kinh phí {money} tỷ đồng",
               "đạt {pct}% kế hoạch năm", "tại {n} xã, phường, thị trấn", "trong quý {q} năm {year}",
               "theo đúng quy định của pháp luật", "nhận được sự đồng thuận cao của người dân",
               "tăng {small}% so với cùng kỳ", "với sự tham gia của {n} hộ gia đình", "trên diện tích {n} ha",
               "trước ngày {d}/{m} hằng năm"]


def _sentence(rng: random.Random, topic: str, year: int) -> str:
    """One sentence of officialese, combined from parts so two articles rarely share one."""
    slots = {"topic": topic, "year": year, "money": rng.randint(12, 980), "pct": rng.randint(55, 99),
             "n": rng.randint(3, 250), "q": rng.choice(["I", "II", "III", "IV"]), "small": rng.randint(2, 30),
             "d": rng.randint(1, 28), "m": rng.randint(1, 12)}
    parts = [rng.choice(SUBJECTS), rng.choice(ACTIONS), rng.choice(OBJECTS).format(**slots),
             rng.choice(COMPLEMENTS).format(**slots)]
    return " ".join(parts) + "."


def _filler(rng: random.Random, topic: str, n: int, year: int = 2023) -> list[str]:
    """Paragraphs of the report-style prose Vietnamese portals publish: two or three sentences each."""
    return [" ".join(_sentence(rng, topic, year) for _ in range(rng.randint(2, 3))) for _ in range(n)]


def _meeting(rng: random.Random, agency: str, when: datetime) -> tuple[str, list[str], list[str]]:
    """A report of a meeting that took place: title, paragraphs, captions."""
    chair, chair_title = _person(rng), rng.choice(TITLES)
    org, topic = rng.choice(ORGS), rng.choice(TOPICS_CCHC)
    part = rng.choice(["Sáng", "Chiều"])
    day = f"{when.day}/{when.month}" if rng.random() < 0.5 else f"{when.day}/{when.month}/{when.year}"
    kind = rng.randrange(9)
    if kind == 0:
        period = rng.choice(["6 tháng đầu năm", "9 tháng", "quý I", "năm"])
        title = f"{agency} tổ chức Hội nghị sơ kết công tác {period} {when.year}"
        lead = f"{part} ngày {day}, {agency} tổ chức Hội nghị sơ kết công tác {period} {when.year}, triển khai nhiệm vụ trọng tâm thời gian tới."
    elif kind == 1:
        title = f"UBND tỉnh họp phiên thường kỳ tháng {when.month}/{when.year}"
        lead = f"{part} {day}, UBND tỉnh tổ chức phiên họp thường kỳ tháng {when.month} để xem xét, cho ý kiến vào nhiều nội dung quan trọng."
    elif kind == 2:
        n = rng.randint(5, 20)
        title = f"Bế mạc kỳ họp thứ {n} HĐND tỉnh khóa XVII"
        lead = f"{part} ngày {day}, sau {rng.randint(2, 4)} ngày làm việc khẩn trương, kỳ họp thứ {n} HĐND tỉnh khóa XVII đã bế mạc."
    elif kind == 3:
        title = f"{chair_title} {chair} làm việc với {org}"
        lead = f"{part} ngày {day}, đồng chí {chair}, {chair_title} có buổi làm việc với {org} về tình hình thực hiện nhiệm vụ {topic}."
    elif kind == 4:
        proj = rng.choice(PROJECTS)
        title = f"Kiểm tra tiến độ thi công dự án {proj}"
        lead = f"{part} ngày {day}, đoàn công tác do đồng chí {chair}, {chair_title} làm trưởng đoàn đã kiểm tra tiến độ thi công dự án {proj}."
    elif kind == 5:
        title = f"Đoàn giám sát HĐND tỉnh giám sát việc thực hiện {topic} tại {org}"
        lead = f"{part} ngày {day}, Đoàn giám sát của HĐND tỉnh do đồng chí {chair}, {chair_title} làm trưởng đoàn giám sát chuyên đề về {topic} tại {org}."
    elif kind == 6:
        d = rng.choice(DISTRICTS)
        title = f"Đại biểu HĐND tỉnh tiếp xúc cử tri huyện {d}"
        lead = f"{part} ngày {day}, Tổ đại biểu HĐND tỉnh ứng cử tại huyện {d} đã tiếp xúc cử tri trước kỳ họp thường lệ."
    elif kind == 7:
        title = f"Giao ban công tác tháng {when.month} khối nội chính"
        lead = f"{part} ngày {day}, đồng chí {chair}, {chair_title} chủ trì cuộc họp giao ban công tác tháng {when.month} khối nội chính."
    else:
        partner = rng.choice(["tỉnh Hủa Phăn (Lào)", "tỉnh Xiêng Khoảng (Lào)", "tỉnh Quảng Tây (Trung Quốc)", "tỉnh Gyeonggi (Hàn Quốc)"])
        title = f"Lãnh đạo tỉnh hội đàm với Đoàn đại biểu {partner}"
        lead = f"{part} ngày {day}, đồng chí {chair}, {chair_title} đã hội đàm với Đoàn đại biểu cấp cao {partner}."
    closing = (f"Phát biểu kết luận, đồng chí {chair}, {chair_title} đề nghị các đơn vị tiếp thu ý kiến, "
               f"khẩn trương khắc phục hạn chế và hoàn thành nhiệm vụ {topic} trong thời gian tới.")
    paras = [lead] + _filler(rng, topic, rng.randint(2, 4), when.year) + [closing]
    captions = [f"Toàn cảnh {rng.choice(['hội nghị', 'buổi làm việc', 'cuộc họp'])}",
                f"Đồng chí {chair}, {chair_title} phát biểu"][: rng.randint(0, 2)]
    return title, paras, captions


def _other(rng: random.Random, agency: str, when: datetime) -> tuple[str, str, list[str], list[str]]:
    """An article that is not a meeting report: topic slug, title, paragraphs, captions."""
    kind, title, paras, captions = _other_core(rng, agency, when)
    # Keep the kind's own opening, then prose of the article's own.
    return kind, title, paras[:1] + _filler(rng, rng.choice(TOPICS_CCHC), rng.randint(2, 3), when.year) + paras[1:2], captions


def _other_core(rng: random.Random, agency: str, when: datetime) -> tuple[str, str, list[str], list[str]]:
    kind = rng.randrange(7)
    later = when + timedelta(days=rng.randint(2, 20))
    topic = rng.choice(TOPICS_CCHC)
    if kind == 0:
        n = rng.randint(5, 20)
        title = f"Kỳ họp thứ {n} HĐND tỉnh khóa XVII sẽ khai mạc vào ngày {later.day}/{later.month}"
        paras = [f"Theo kế hoạch, kỳ họp thứ {n} HĐND tỉnh khóa XVII dự kiến diễn ra trong {rng.randint(2, 4)} ngày, "
                 f"từ ngày {later.day}/{later.month}/{later.year}.",
                 "Kỳ họp sẽ xem xét, thông qua nhiều nghị quyết quan trọng; các đại biểu sẽ tập trung thảo luận "
                 "tại tổ và tại hội trường.",
                 "Thường trực HĐND tỉnh đề nghị các cơ quan chuẩn bị chu đáo tài liệu, gửi đại biểu trước kỳ họp ít nhất 7 ngày."]
        return "announcement", title, paras, []
    if kind == 1:
        proj = rng.choice(PROJECTS)
        title = f"Khánh thành và đưa vào sử dụng {proj}"
        paras = [f"Ngày {when.day}/{when.month}, tỉnh tổ chức lễ khánh thành và đưa vào sử dụng {proj} với tổng mức "
                 f"đầu tư {rng.randint(50, 900)} tỷ đồng.",
                 "Công trình hoàn thành góp phần hoàn thiện hạ tầng, phục vụ nhu cầu đi lại và sinh hoạt của nhân dân.",
                 "Tại buổi lễ, lãnh đạo tỉnh đã cắt băng khánh thành và trao tặng quà cho các đơn vị thi công."]
        return "ceremony", title, paras, ["Các đại biểu cắt băng khánh thành công trình"]
    if kind == 2:
        title = f"Lễ phát động phong trào thi đua thực hiện nhiệm vụ {topic}"
        paras = [f"Ngày {when.day}/{when.month}, {agency} long trọng tổ chức lễ phát động phong trào thi đua thực hiện "
                 f"nhiệm vụ {topic} năm {when.year}.",
                 "Phong trào nhằm khơi dậy tinh thần chủ động, sáng tạo của cán bộ, công chức, viên chức và người lao động.",
                 "Dịp này, nhiều tập thể, cá nhân có thành tích xuất sắc đã được trao tặng Bằng khen."]
        return "ceremony", title, paras, []
    if kind == 3:
        d = rng.choice(DISTRICTS)
        title = f"Dự báo thời tiết: mưa lớn, nguy cơ lũ quét tại huyện {d}"
        paras = [f"Theo Đài Khí tượng thủy văn tỉnh, từ đêm {when.day}/{when.month} đến ngày {later.day}/{later.month}, "
                 f"khu vực huyện {d} có mưa vừa, mưa to, lượng mưa phổ biến {rng.randint(50, 150)} - {rng.randint(160, 300)} mm.",
                 "Nhiệt độ thấp nhất từ 22 đến 24 độ C; gió nhẹ. Cảnh báo nguy cơ lũ quét, sạt lở đất ở vùng núi.",
                 "Người dân cần theo dõi chặt chẽ diễn biến thời tiết, chủ động phòng tránh."]
        return "weather", title, paras, []
    if kind == 4:
        d = rng.choice(DISTRICTS)
        n = rng.randint(20, 400)
        title = f"Du lịch {d} đón hơn {n}.000 lượt khách dịp nghỉ lễ"
        paras = [f"Trong dịp nghỉ lễ vừa qua, các khu, điểm du lịch trên địa bàn {d} đã đón hơn {n}.000 lượt khách, "
                 f"doanh thu ước đạt {rng.randint(20, 300)} tỷ đồng.",
                 "Các cơ sở lưu trú có công suất phòng đạt trên 80%, nhiều homestay kín phòng.",
                 "Ngành du lịch tiếp tục đa dạng hóa sản phẩm, nâng cao chất lượng dịch vụ để thu hút du khách."]
        return "tourism", title, paras, ["Du khách tham quan khu du lịch"]
    if kind == 5:
        title = f"Kim ngạch xuất khẩu {when.month} tháng năm {when.year} tăng {rng.randint(3, 25)}%"
        paras = [f"Theo số liệu của Cục Thống kê, kim ngạch xuất khẩu {when.month} tháng ước đạt "
                 f"{rng.randint(1, 9)},{rng.randint(1, 9)} tỷ USD, tăng so với cùng kỳ.",
                 "Các mặt hàng xuất khẩu chủ lực gồm linh kiện điện tử, dệt may, giày da và nông sản chế biến.",
                 f"Chỉ số sản xuất công nghiệp tăng {rng.randint(4, 18)}%, thu ngân sách đạt {rng.randint(60, 95)}% dự toán."]
        return "economy", title, paras, []
    title = f"Thông báo kế hoạch tổ chức Hội nghị xúc tiến đầu tư năm {when.year}"
    paras = [f"{agency} thông báo kế hoạch tổ chức Hội nghị xúc tiến đầu tư năm {when.year}, dự kiến diễn ra vào "
             f"ngày {later.day}/{later.month}/{later.year}.",
             "Các doanh nghiệp có nhu cầu tham dự đăng ký với Ban tổ chức trước ngày diễn ra hội nghị.",
             "Hội nghị sẽ giới thiệu danh mục dự án kêu gọi đầu tư và các chính sách ưu đãi của tỉnh."]
    return "announcement", title, paras, []


SPAN = timedelta(days=1300)  # 2023-01 to mid-2026
FIXED_START = datetime(2023, 1, 2, 8, 0, tzinfo=VN_TZ)


def generate(seed: int = 2024, per_portal: int = 32, until: datetime | None = None) -> list[FarmArticle]:
    """The farm's whole corpus: seeds plus `per_portal` generated articles on each portal.

    By default the generated articles have fixed dates (2023 to 2026), which the tests' expected
    values rely on. With `until` they are moved by whole days so the newest is dated the day before
    `until`: the demo's portals then look as alive as real ones on the day it is run. Texts are made
    from the moved dates, so a body's "Sáng ngày 18/10" agrees with its page's date."""
    if until is not None:
        fixed = generate(seed, per_portal)
        newest = max(a.published for a in fixed if a.seed is None and a.published is not None)
        days = (until.astimezone(VN_TZ).date() - timedelta(days=1) - newest.date()).days
        return _generate(seed, per_portal, FIXED_START + timedelta(days=days))
    return _generate(seed, per_portal, FIXED_START)


def _generate(seed: int, per_portal: int, start: datetime) -> list[FarmArticle]:
    rng = random.Random(seed)
    articles = seed_articles()
    for portal, agency in PORTAL_AGENCY.items():
        base_id = {"sxd-vinhphuc": 1900, "vinhyen": 1600, "vpubnd-langson": 2500, "baohatinh": 257500,
                   "vpubnd-vinhphuc": 3400}[portal]
        when = start + timedelta(hours=rng.randint(0, 100))
        # The corpus spans the same years whatever its size, so no article is dated in the future.
        step = SPAN / per_portal
        for i in range(per_portal):
            when += step * rng.uniform(0.5, 1.5)
            event = when - timedelta(days=rng.randint(0, 2))
            if rng.random() < 0.5:
                title, paras, captions = _meeting(rng, agency, event)
                meeting, topic = True, "meeting"
            else:
                topic, title, paras, captions = _other(rng, agency, event)
                meeting = False
            blocks = [Block("p", paras[0])]
            for cap in captions:
                blocks.append(Block("img", cap))
            blocks.extend(Block("p", p) for p in paras[1:])
            has_author = rng.random() < 0.7
            published: datetime | None = when.replace(second=0, microsecond=0)
            if i in (7, 19) and portal in ("vpubnd-vinhphuc", "baohatinh"):
                published = None  # some real pages simply carry no date
            lead = None
            if portal == "baohatinh":
                lead = f"(Baohatinh.vn) - {paras[0][: paras[0].find(',') + 1 or 80]} {title.lower()}."
            articles.append(
                FarmArticle(
                    portal=portal,
                    item_id=base_id + i,
                    title=title,
                    published=published,
                    author=rng.choice(AUTHOR_NAMES) if has_author else None,
                    blocks=blocks,
                    is_meeting=meeting,
                    topic=topic,
                    lead=lead,
                )
            )
    articles += _republish(rng, articles)
    # One listed article per portal whose page answers 404, as happens when portals unpublish.
    for portal in ("sxd-vinhphuc", "vpubnd-langson"):
        victims = [a for a in articles if a.portal == portal and a.seed is None]
        victims[3].status = "listed-missing"
    return articles


REPUBLISH_TARGETS = {"sxd-vinhphuc": "baohatinh", "vinhyen": "vpubnd-vinhphuc", "vpubnd-langson": "baohatinh",
                     "baohatinh": "vpubnd-vinhphuc", "vpubnd-vinhphuc": "sxd-vinhphuc"}


def _republish(rng: random.Random, articles: list[FarmArticle], per_portal: int = 3) -> list[FarmArticle]:
    """The same press release on another portal, as portals really republish: a tweaked title,
    a lead paragraph added or cut, a day later, in the other portal's template."""
    copies: list[FarmArticle] = []
    next_id = {p: max(a.item_id for a in articles if a.portal == p) + 1 for p in PORTAL_AGENCY}
    for portal, target in REPUBLISH_TARGETS.items():
        originals = [a for a in articles if a.portal == portal and a.is_meeting and a.seed is None and len(a.paragraphs) >= 4]
        for original in rng.sample(originals, per_portal):
            blocks = [Block(b.kind, b.text) for b in original.blocks]
            variant = rng.randrange(3)
            title = original.title
            if variant == 0:
                title = f"{PORTAL_AGENCY[portal]}: {original.title}"
                blocks.insert(0, Block("p", f"Thông tin từ {PORTAL_AGENCY[portal]}, {original.title.lower()} với nhiều nội dung quan trọng."))
            elif variant == 1:
                blocks = [b for b in blocks if b.kind == "p"][1:]  # the lead paragraph cut
            else:
                title = original.title.replace("tổ chức ", "").replace("Hội nghị", "hội nghị")
                blocks = blocks[:-1] + [Block("p", blocks[-1].text.replace("đề nghị", "yêu cầu"))]
            # At least a day later, so "earliest published" is unambiguous even where a page shows only the date.
            published = original.published + timedelta(days=1, hours=rng.randint(0, 20)) if original.published else None
            copies.append(FarmArticle(target, next_id[target], title, published, rng.choice(AUTHOR_NAMES),
                                      blocks, True, "republished", dup_of=(portal, original.item_id)))
            next_id[target] += 1
    return copies
