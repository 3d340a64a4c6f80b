"""Word lists the meeting extractor reads Vietnamese officialese with: provinces, surnames, the
heads of official titles and of agency names, and the names of provincial departments (Sở).

These are facts about the Vietnamese state and language, not about any one portal's markup.
"""

from __future__ import annotations

# The 63 provinces and centrally-run cities before the 2025 merger; the 34 after it all keep one of
# these names, so old and new articles are both covered.
PROVINCES = [
    "An Giang", "Bà Rịa - Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh", "Bến Tre", "Bình Dương",
    "Bình Định", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Cần Thơ", "Đà Nẵng", "Đắk Lắk", "Đắk Nông",
    "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương",
    "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hồ Chí Minh", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum",
    "Lai Châu", "Lạng Sơn", "Lào Cai", "Lâm Đồng", "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận",
    "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng",
    "Sơn La", "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Huế", "Tiền Giang",
    "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
]
# Centrally-run cities: their People's Committee is "UBND thành phố", not "UBND tỉnh".
CITIES = {"Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế"}

# Family names, by frequency. "Văn" and "Thị" are left out: as middle names they are far more common.
SURNAMES = {
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
    "Dương", "Lý", "Đinh", "Đào", "Trịnh", "Mai", "Lương", "Tạ", "Hà", "Cao", "Lưu", "Chu", "Kim", "Lại", "Tô",
    "Quách", "Thái", "Phùng", "Triệu", "La", "Lâm", "Hứa", "Doãn", "Đoàn", "Khúc", "Tăng", "Giang", "Nông", "Lò",
    "Hầu", "Vương", "Châu", "Âu", "Tôn", "Trương", "Đàm", "Mạc", "Lục", "Vi", "Chẩu", "Sùng", "Thào",
    "Ma", "Bế", "Đồng", "Ninh", "Văn", "Thân", "Kiều", "Từ", "Tống", "Diệp", "Quan", "Lã", "Ông", "Khổng", "Mông",
}
SURNAMES.discard("Văn")
SURNAMES.discard("Đồng")  # "Đồng chí" opens half the sentences of a report

# Heads of official titles, longest first so "Phó Chủ tịch" wins over "Chủ tịch". Matched
# case-insensitively after the first letter ("Phó giám đốc", "Phó chánh Văn phòng").
TITLE_HEADS = sorted([
    "Chủ tịch", "Phó Chủ tịch", "Bí thư", "Phó Bí thư", "Ủy viên", "Uỷ viên", "Giám đốc", "Phó Giám đốc",
    "Tổng Giám đốc", "Trưởng ban", "Phó Trưởng ban", "Trưởng đoàn", "Phó Trưởng đoàn", "Chánh Văn phòng",
    "Phó Chánh Văn phòng", "Chánh Thanh tra", "Phó Chánh Thanh tra", "Chánh án", "Viện trưởng", "Bộ trưởng",
    "Thứ trưởng", "Thủ tướng", "Phó Thủ tướng", "Chủ nhiệm", "Phó Chủ nhiệm", "Cục trưởng", "Phó Cục trưởng",
    "Chi cục trưởng", "Vụ trưởng", "Hiệu trưởng", "Trưởng phòng", "Phó Trưởng phòng", "Tỉnh ủy viên",
    "Đại biểu Quốc hội", "Tổ trưởng", "Chỉ huy trưởng", "Tư lệnh", "Đại sứ", "Tổng Bí thư", "Chủ tịch nước",
    "Trưởng Công an", "Thượng tướng", "Trung tướng", "Thiếu tướng", "Đại tá", "Thượng tá", "PGĐ", "GĐ",
    "Phó Trưởng Ban", "Trưởng Ban", "Phó Chủ tịch Thường trực", "Phó Chủ tịch thường trực", "Thường trực",
    "Trưởng Ban Chỉ đạo", "Chánh văn phòng", "Phó chánh văn phòng", "Quyền Chủ tịch", "Quyền Giám đốc",
], key=len, reverse=True)

# Names of provincial departments (Sở) as the state writes them; matched case-insensitively, so
# "Sở Xây Dựng" reads as "Sở Xây dựng". Names with commas cannot be found by word rules alone.
DEPARTMENTS = sorted([
    "Xây dựng", "Tài chính", "Kế hoạch và Đầu tư", "Tư pháp", "Nội vụ", "Công Thương", "Y tế",
    "Giáo dục và Đào tạo", "Giao thông vận tải", "Giao thông Vận tải", "Tài nguyên và Môi trường",
    "Nông nghiệp và Phát triển nông thôn", "Nông nghiệp và Môi trường", "Lao động - Thương binh và Xã hội",
    "Văn hóa, Thể thao và Du lịch", "Văn hóa và Thể thao", "Văn hóa, Thông tin, Thể thao và Du lịch", "Du lịch",
    "Khoa học và Công nghệ", "Thông tin và Truyền thông", "Thông tin truyền thông", "Ngoại vụ", "Dân tộc và Tôn giáo",
    "Giao thông công chính", "Quy hoạch - Kiến trúc",
], key=len, reverse=True)

# Words that open an agency's name.
AGENCY_HEADS = sorted([
    "Ủy ban nhân dân", "Uỷ ban nhân dân", "UBND", "Hội đồng nhân dân", "HĐND", "Thường trực HĐND",
    "Thường trực UBND", "Thường trực Tỉnh ủy", "Thường trực Huyện ủy", "Thường trực Thành ủy", "Thường trực Thị ủy",
    "Ban Thường vụ", "Văn phòng", "Sở", "Ban", "Bộ Chỉ huy", "Bộ", "Cục", "Chi cục", "Tỉnh ủy", "Huyện ủy",
    "Thành ủy", "Thị ủy", "Đảng ủy", "Công an", "Thanh tra", "Trung tâm", "Trường", "Đoàn đại biểu Quốc hội",
    "Đoàn ĐBQH", "Chính phủ", "Quốc hội", "Ủy ban MTTQ", "Ủy ban Mặt trận Tổ quốc", "Liên đoàn Lao động",
    "Hội Nông dân", "Tỉnh đoàn", "Kho bạc Nhà nước", "Ngân hàng Nhà nước", "Tòa án nhân dân", "Viện kiểm sát nhân dân",
    "Ban Chỉ đạo", "Ban Quản lý", "Bộ Chính trị", "Ban Bí thư", "Ủy ban Kiểm tra",
], key=len, reverse=True)

# Words and word pairs at which an agency's name has certainly ended: the verbs, prepositions and
# determiners of a report. Single common words ("giao", "công") are not here: they occur inside names
# ("Ban An toàn giao thông", "Sở Công Thương").
AGENCY_STOP = {
    "tổ chức", "họp", "đã", "có", "làm việc", "làm", "về", "tại", "với", "do", "cho", "trong", "để", "theo",
    "triển khai", "kiểm tra", "giám sát", "tiếp", "dự", "chủ trì", "phối hợp", "sơ kết", "tổng kết", "giao ban",
    "khai mạc", "bế mạc", "thông qua", "nhằm", "cùng", "đánh giá", "công bố", "ban hành", "trao", "phát biểu",
    "báo cáo", "long trọng", "vừa", "sẽ", "đi", "nghe", "xem xét", "chỉ đạo", "yêu cầu", "đề nghị", "ký", "là",
    "các", "những", "này", "đến", "tới", "từ", "trước", "sau", "thẩm tra", "lãnh đạo", "hội đàm", "hội nghị",
    "tiếp xúc", "thăm", "khảo sát", "tham dự", "đồng chí", "ứng cử", "nghiêm túc", "đề ra", "hoàn thành",
    "tập trung", "được", "đang", "đối với", "như", "nên", "thì", "mà", "khi", "nay", "vào", "lúc",
}
