"""Word lists of Vietnamese administrative writing (DOMAIN.md), shared by the stages.

Gazetteers of unit types and role-holders, directive cue verbs, the action verbs that
open a directive, and cue words of shortcomings and targets. They describe the genre,
not any one document.
"""
from __future__ import annotations

import re
from functools import lru_cache

# Heads of unit names and role-holders who stand for their units.
ROLE_HEADS = [
    "Phó Thủ tướng", "Thủ tướng Chính phủ", "Thủ tướng", "Bộ trưởng", "Thứ trưởng", "Phó Chủ tịch", "Chủ tịch",
    "Phó Giám đốc", "Giám đốc", "Tổng Giám đốc", "Thủ trưởng", "Người đứng đầu", "người đứng đầu", "Lãnh đạo",
    "Chánh Văn phòng", "Chánh Thanh tra", "Cục trưởng", "Chi cục trưởng", "Tổng cục trưởng", "Trưởng ban",
    "Trưởng phòng", "Trưởng Ban", "Trưởng Phòng", "Trưởng Công an", "Hiệu trưởng", "Bí thư", "Phó Bí thư",
    "Chỉ huy trưởng", "Trưởng thôn", "Trưởng ấp", "Tổ trưởng", "Trưởng các", "Thường trực", "Thường vụ",
]
BODY_HEADS = [
    "Ủy ban nhân dân", "Uỷ ban nhân dân", "UBND", "Hội đồng nhân dân", "HĐND", "Ủy ban Mặt trận", "Ủy ban MTTQ",
    "Ủy ban", "Mặt trận", "MTTQ", "Sở", "Phòng", "Ban", "Bộ", "Cục", "Chi cục", "Tổng cục", "Trung tâm",
    "Văn phòng", "Thanh tra", "Công an", "Bộ Chỉ huy", "Ban Chỉ huy", "Bộ đội", "Bộ Tư lệnh", "Kho bạc", "KBNN",
    "Chi nhánh", "Bảo hiểm xã hội", "BHXH", "Đài", "Báo", "Hội", "Đoàn", "Liên đoàn", "Tòa án", "Viện kiểm sát",
    "Ngân hàng", "Tập đoàn", "Tổng công ty", "Công ty", "Trường", "Trạm", "Bệnh viện", "Hạt", "Đội", "Tổ",
    "BQLDA", "BQL", "Chi cục Thuế", "Thuế", "Cục Thuế", "Chính phủ", "Quốc hội", "Đảng ủy", "Huyện ủy", "Thành ủy",
    "Tỉnh ủy", "Cơ quan", "Nhà trường", "Hợp tác xã", "Trạm Y tế", "Ban quản lý", "Ban Quản lý", "Viện",
    "Học viện", "Tổng Liên đoàn", "Phòng Cảnh sát", "Cảnh sát", "Lực lượng", "Thường trực", "VCCI", "EVN",
    "Tỉnh đoàn", "Huyện đoàn", "Thành đoàn", "Đoàn Thanh niên", "Hội Nông dân", "Hội Phụ nữ", "Hội Cựu chiến binh",
    "Ban Chỉ đạo", "Tổ công tác", "Hội đồng", "Ban Thường vụ", "Ban Tuyên giáo", "Ban Dân vận",
    "Thuế cơ sở", "Sở ngành", "Ngành",
]
# Collectives written in lower case ("các cơ quan, đơn vị, địa phương", "từng đơn vị").
COLLECTIVE = re.compile(
    r"(?:các|những|mọi|từng|mỗi|toàn\s+thể|tất\s+cả\s+các)\s+(?:cơ\s+quan|đơn\s+vị|sở|ban|ngành|địa\s+phương|phòng|xã|phường|"
    r"thị\s+trấn|bộ|tỉnh|thành\s+phố|huyện|quận|thị\s+xã|trường|doanh\s+nghiệp|chủ\s+đầu\s+tư|tổ\s+chức|hội|đoàn\s+thể|lực\s+lượng|"
    r"thành\s+viên|cấp|ngành|hộ|cơ\s+sở|nhà\s+trường|chi\s+bộ|thôn|ấp|tổ|khu\s+phố|cá\s+nhân|hợp\s+tác\s+xã|bệnh\s+viện|trạm|"
    r"phương\s+tiện|nhà\s+thầu|đồng\s+chí|cán\s+bộ|đại\s+biểu|tập\s+đoàn|tổng\s+công\s+ty|ngân\s+hàng|bộ\s+phận|tổ\s+chức|"
    r"Bộ|Sở|Ban|Ngành|Phòng|UBND|ủy\s+ban|cấp\s+ủy|chính\s+quyền|cục|chi\s+cục|tổng\s+cục|vụ|viện|công\s+ty|bộ,\s+ngành|cơ\s+sở)"
    r"|lãnh\s+đạo\s+(?:các|UBND|Sở|Bộ)|chính\s+quyền\s+(?:địa\s+phương|các\s+cấp|cơ\s+sở|cấp\s+xã)|cấp\s+ủy|cán\s+bộ,?\s+công\s+chức|người\s+dân|nhân\s+dân|"
    r"ngành\s+(?:y\s+tế|giáo\s+dục|chức\s+năng)|lực\s+lượng\s+chức\s+năng|đơn\s+vị\s+(?:chức\s+năng|liên\s+quan)",
    re.I,
)

def phrase_pattern(phrase: str) -> str:
    """A phrase as a pattern whose spaces match any white space: PDF text and resolutions
    break lines inside names ("Ủy ban\\nnhân dân", "có\\ntrách nhiệm")."""
    return re.escape(phrase).replace(r"\ ", r"\s+")


_heads = sorted(set(ROLE_HEADS + BODY_HEADS), key=len, reverse=True)
UNIT_HEAD = re.compile(r"(?<![\wÀ-ỹ])(?:" + "|".join(phrase_pattern(h) for h in _heads) + r")(?![\wÀ-ỹ])")
UNIT_START = re.compile(r"(?:" + UNIT_HEAD.pattern + r"|" + COLLECTIVE.pattern + r")", re.I if False else 0)

# "giao" that assigns ("giao Sở …"), not "giao thông", "giao dịch", "bàn giao", "chuyển giao" …
GIAO = r"(?<![Bb]àn\s)(?<![Cc]huyển\s)giao(?!\s+(?:dịch|thông|lưu|tiếp|ban|thương|khoán|nhận|hàng|kết|quyền|hữu|thoa|diện|tế|ca|lộ|cắt|nhau|hoán|phó|thừa))"

# Verbs that assign a directive to someone.
ASSIGN_CUE = re.compile(
    r"(?<![\wÀ-ỹ])(?:đề\s+nghị|yêu\s+cầu|giao\s+cho|" + GIAO + r"|chỉ\s+đạo|phân\s+công|ủy\s+quyền|uỷ\s+quyền|đề\s+xuất|lưu\s+ý|"
    r"nhấn\s+mạnh|chỉ\s+thị|quán\s+triệt|kêu\s+gọi|đôn\s+đốc|thống\s+nhất\s+giao)(?![\wÀ-ỹ])",
    re.I,
)
STRONG_ASSIGN = re.compile(r"(?<![\wÀ-ỹ])(?:đề\s+nghị|yêu\s+cầu|" + GIAO + r"|chỉ\s+đạo|phân\s+công|ủy\s+quyền|uỷ\s+quyền)(?![\wÀ-ỹ])", re.I)

# Verbs that open the action of a directive (lower case inside a sentence).
ACTION_VERBS = [
    "chủ trì", "phối hợp", "khẩn trương", "tập trung", "tham mưu", "triển khai", "tổ chức", "thực hiện", "kiểm tra",
    "rà soát", "xử lý", "hoàn thành", "hoàn thiện", "báo cáo", "chỉ đạo", "hướng dẫn", "nghiên cứu", "đôn đốc",
    "theo dõi", "tăng cường", "đẩy mạnh", "đẩy nhanh", "chủ động", "quan tâm", "tiếp tục", "khắc phục", "nâng cao",
    "bảo đảm", "đảm bảo", "ban hành", "cập nhật", "chuẩn bị", "phát huy", "quyết liệt", "nghiêm túc", "có trách nhiệm",
    "chịu trách nhiệm", "cần", "phải", "sớm", "kịp thời", "thường xuyên", "làm tốt", "tuyên truyền", "vận động", "lập",
    "trình", "xem xét", "cung cấp", "bố trí", "thu hồi", "giải quyết", "rà soát", "tổng hợp", "đánh giá", "đề xuất",
    "phê duyệt", "thẩm định", "xác định", "công khai", "giám sát", "tiến hành", "ưu tiên", "bàn giao", "kiên quyết",
    "không để", "tuyệt đối", "nắm chắc", "duy trì", "củng cố", "kiện toàn", "phổ biến", "quán triệt", "đôn đốc",
    "chấn chỉnh", "siết chặt", "ngăn chặn", "thẩm tra", "hỗ trợ", "bổ sung", "điều chỉnh", "sửa đổi", "thành lập",
    "tiếp nhận", "cấp giấy", "cấp phép", "cấp đổi", "đưa vào", "đưa ra", "cử cán bộ", "giữ vững", "giữ gìn", "trực ban", "tạo điều kiện", "vào cuộc", "làm việc", "đối thoại", "tập huấn", "bồi dưỡng",
    "số hóa", "ứng dụng", "hoàn tất", "dứt điểm", "huy động", "phân bổ", "giải ngân", "thanh toán", "quyết toán",
    "lựa chọn", "trực tiếp", "phân công", "niêm yết", "gửi", "xây dựng", "chú trọng", "nghiêm khắc", "khẩn cấp", "góp ý", "giải trình", "tạm dừng", "dừng", "đình chỉ", "thu thập", "làm rõ", "nhanh chóng", "tích cực", "phát hiện", "tham gia", "sẵn sàng", "chủ động", "theo dõi", "đôn đốc",
]
ACTION = re.compile(r"(?<![\wÀ-ỹ])(?:" + "|".join(phrase_pattern(v) for v in sorted(set(ACTION_VERBS), key=len, reverse=True)) + r")(?![\wÀ-ỹ])")
STRONG_ACTION = re.compile(
    r"(?<![\wÀ-ỹ])(?:chủ\s+trì|phối\s+hợp|khẩn\s+trương|tập\s+trung|tham\s+mưu|có\s+trách\s+nhiệm|chịu\s+trách\s+nhiệm|"
    r"chủ\s+động|rà\s+soát|triển\s+khai|tăng\s+cường|đẩy\s+mạnh|đẩy\s+nhanh|kịp\s+thời|nghiêm\s+túc|quyết\s+liệt|sớm|cần|phải|"
    r"tiếp\s+tục|hướng\s+dẫn|chỉ\s+đạo|kiểm\s+tra|thực\s+hiện|tổ\s+chức|hoàn\s+thành|báo\s+cáo|theo\s+dõi|xử\s+lý)(?![\wÀ-ỹ])"
)

PAST = re.compile(r"(?<![\wÀ-ỹ])(?:đã|vừa|đang|được)\s+(?!yêu\s+cầu|đề\s+nghị|" + GIAO + r"|chỉ\s+đạo)", re.I)
FUTURE_SELF = re.compile(r"(?<![\wÀ-ỹ])(?:sẽ|dự\s+kiến|cam\s+kết)(?![\wÀ-ỹ])", re.I)

SHORTCOMING_CUE = re.compile(
    r"(?<![\wÀ-ỹ])(?:còn\s+(?:chậm|thấp|cao|hạn\s+chế|nhiều|ít|yếu|thiếu|kéo\s+dài|tồn\s+tại|xảy\s+ra|diễn\s+ra|khó\s+khăn|vướng|chưa|bất\s+cập|lúng\s+túng|sai\s+sót|phức\s+tạp|tình\s+trạng|để|có)|"
    r"chưa\s+(?:thật\s+sự\s+|thực\s+sự\s+|được\s+)?[\wÀ-ỹ]+|vẫn\s+còn|"
    r"hạn\s+chế|tồn\s+tại|yếu\s+kém|vướng\s+mắc|khó\s+khăn|sai\s+phạm|vi\s+phạm|quá\s+hạn|trễ\s+hạn|chậm\s+trễ|chậm|thiếu|bất\s+cập|"
    r"lãng\s+phí|tồn\s+đọng|xuống\s+cấp|ô\s+nhiễm|ùn\s+tắc|buông\s+lỏng|kéo\s+dài|thấp\s+hơn|giảm\s+\d+\s+bậc|tụt|không\s+đạt|"
    r"không\s+(?:đảm\s+bảo|bảo\s+đảm|kịp\s+thời|thực\s+hiện|chấp\s+hành|đồng\s+bộ|hiệu\s+quả)|gia\s+tăng|tăng\s+cao|phức\s+tạp)(?![\wÀ-ỹ])",
    re.I,
)
# How news names a problem without the report words above: incidents, damage, breaches,
# abuse, complaints ("ùn ứ hàng nghìn container", "trục trặc liên tục", "khai thác cát trái
# phép", "phớt lờ lệnh", "gây bức xúc"). A cue for the model, not a verdict.
PROBLEM_CUE = re.compile(
    r"(?<![\wÀ-ỹ])(?:ùn\s+ứ|ùn\s+tắc|quá\s+tải|tồn\s+kho|nợ\s+đọng|trục\s+trặc|gỉ\s+sét|hư\s+hỏng|hỏng\s+hóc|xuống\s+cấp|sự\s+cố|"
    r"tai\s+nạn|thiệt\s+hại|thiệt\s+thòi|ảnh\s+hưởng|bất\s+thường|sạt\s+lở|xói\s+lở|phá\s+rừng|trái\s+phép|bừa\s+bãi|ngang\s+nhiên|"
    r"bất\s+chấp|sai\s+sót|sai\s+quy\s+định|không\s+đúng|không\s+phù\s+hợp|không\s+đủ|không\s+có|không\s+giữ\s+được|lạm\s+dụng|"
    r"trục\s+lợi|đầu\s+cơ|gian\s+lận|buôn\s+lậu|thất\s+thoát|thua\s+lỗ|kém\s+hiệu\s+quả|hiệu\s+quả\s+thấp|kém|rất\s+thấp|"
    r"phớt\s+lờ|chây\s+ì|né\s+tránh|đùn\s+đẩy|bức\s+xúc|phản\s+cảm|khiếu\s+nại|tố\s+cáo|nghi\s+vấn|dấu\s+hiệu|tiêu\s+cực|"
    r"tham\s+nhũng|nhũng\s+nhiễu|gây\s+(?:ra|mất|thiệt|ảnh|bức|ô|khó|phiền|lãng|thất|nguy|hậu|tổn)|nguy\s+cơ|bội\s+chi|sốt\s+giá|"
    r"đội\s+vốn|đẩy\s+cao|bị\s+thay\s+thế|quát\s+mắng|bạo\s+hành|hành\s+hạ|chết|tử\s+vong|bị\s+thương|trọng\s+thương|"
    r"mất\s+an\s+toàn|mất\s+vệ\s+sinh|hôi\s+thối|giảm\s+mạnh|sụt\s+giảm|đình\s+trệ|dở\s+dang|đắp\s+chiếu|bỏ\s+hoang|"
    r"lấn\s+chiếm|vượt\s+quá|không\s+bảo\s+đảm|không\s+rõ\s+ràng|chồng\s+chéo|thiếu\s+sót|khuyết\s+điểm|yếu)(?![\wÀ-ỹ])",
    re.I,
)
# An amount with its unit — a target's value and a cue of goals: "95%", "29.000 tỷ đồng", "10 tỉ USD",
# "1,4 triệu doanh nghiệp", "200 km", "02 bậc", "nhóm 10 tỉnh dẫn đầu". Group 1 is the number, 2 the unit.
AMOUNT = re.compile(
    r"(?<![\w/])(\d+(?:[.,]\d+)*(?:\s*[-–]\s*\d+(?:[.,]\d+)*)?)\s*(%|(?:nghìn\s+|ngàn\s+)?(?:tỷ|tỉ)\s+(?:đồng|USD)|"
    r"triệu\s+(?:đồng|USD|tấn|hộ|người|doanh\s+nghiệp|lượt)|nghìn\s+(?:tỷ|tỉ)|USD|"
    r"xã|phường|huyện|hộ|người|lao\s+động|trẻ|học\s+sinh|trường|km|ha|héc-ta|tấn|căn|bậc|điểm|sản\s+phẩm|doanh\s+nghiệp|"
    r"hồ\s+sơ|thủ\s+tục|dịch\s+vụ|cơ\s+sở|lượt|ca|giường|bác\s+sĩ|thôn|mô\s+hình|tiêu\s+chí|vụ|công\s+trình|dự\s+án|tỉnh)"
    r"|(?:top|nhóm)\s+\d+\s*(?:tỉnh|địa\s+phương|đơn\s+vị)?(?:[^,;.]{0,25}dẫn\s+đầu)?",
    re.I,
)
TARGET_CUE = re.compile(
    r"(?<![\wÀ-ỹ])(?:chỉ\s+tiêu|mục\s+tiêu|phấn\s+đấu|tối\s+thiểu|ít\s+nhất|không\s+dưới|không\s+thấp\s+hơn|đạt|giảm|tăng|"
    r"PAPI|SIPAS|PAR\s+Index|PCI|DDCI|DTI|ICT\s+Index|chỉ\s+số)(?![\wÀ-ỹ])|\d\s*%",
    re.I,
)
INDEX_NAMES = re.compile(
    r"(?:[Cc]hỉ\s+số\s+)?(?:PAPI|Papi|SIPAS|Sipas|PAR\s+INDEX|PAR\s+Index|Par\s+Index|PCI|DDCI|DTI|ICT\s+Index|"
    r"[Cc]ải\s+cách\s+hành\s+chính|CCHC|[Cc]huyển\s+đổi\s+số|hài\s+lòng)",
)

# "Thủ tướng (đã) yêu cầu Bộ Công an …", "Tổng cục Hải quan đề nghị các cục …": a directive
# reported in the news, a task unless the text says it has been carried out.
_SPEAKERS = (r"(?:Thủ\s+tướng|Phó\s+Thủ\s+tướng|Chính\s+phủ|Bộ\s+trưởng|Thứ\s+trưởng|Chủ\s+tịch|Phó\s+Chủ\s+tịch|Giám\s+đốc|"
             r"Tổng\s+cục\s+trưởng|Cục\s+trưởng|Bí\s+thư|Trưởng\s+ban|Bộ|Sở|UBND|Ủy\s+ban|Tổng\s+cục|Cục|Văn\s+phòng\s+Chính\s+phủ|"
             r"Thành\s+ủy|Tỉnh\s+ủy|Ban\s+Chỉ\s+đạo|lãnh\s+đạo|đồng\s+chí|ông|bà)")
REPORTED_DIRECTIVE = re.compile(
    _SPEAKERS + r"[^.;:!?\"“”]{0,90}?(?<![\wÀ-ỹ])(?:(?:đã|cũng|vừa|tiếp\s+tục|đồng\s+thời)\s+)?(?:yêu\s+cầu|đề\s+nghị|giao(?:\s+cho)?|chỉ\s+đạo|"
    r"phân\s+công|ủy\s+quyền|kêu\s+gọi)\s+(?=(?:" + UNIT_HEAD.pattern + r"|" + COLLECTIVE.pattern + r"|các|từng|mọi))",
)
NOT_DIRECTIVE_BEFORE = re.compile(r"(?:xét|theo|trên\s+cơ\s+sở|kiến\s+nghị|đề\s+xuất|sẽ|dự\s+kiến|nếu|khi)\s+(?:đề\s+nghị|yêu\s+cầu)|sẽ\s+(?:yêu\s+cầu|đề\s+nghị|" + GIAO + r"|chỉ\s+đạo)|kiến\s+nghị|đề\s+nghị\s+(?:Thủ\s+tướng|Chính\s+phủ|Quốc\s+hội)", re.I)


@lru_cache(maxsize=4096)  # asked for the same sentence by the context, the features and the rule boost
def reports_directive(text: str) -> bool:
    """A directive reported in the text: a speaker, an assignment verb and the units asked.

    The words that undo it ("kiến nghị", "sẽ yêu cầu", "đề nghị Chính phủ") count only in the
    speaker's own clause: "Về các kiến nghị của MTTQ, Thủ tướng giao các cơ quan …" reports one.
    """
    m = REPORTED_DIRECTIVE.search(text)
    while m:  # every speaker in turn: "Về các kiến nghị của Ủy ban …, Thủ tướng … giao …"
        verb = m.end()
        start = max(text.rfind(",", 0, verb), text.rfind(";", 0, verb), text.rfind(":", 0, verb)) + 1
        if not NOT_DIRECTIVE_BEFORE.search(text[start:verb + 30]):
            return True
        m = REPORTED_DIRECTIVE.search(text, m.start() + 1)
    return False
