"""Canonical unit names on names as real reports write them (owners/coordinators of the gold corpus)."""
from __future__ import annotations

import pytest

from nlp.units import canonical_unit, expand_abbreviations, find_places, fold, unit_key

CHONTHANH = "UBND thị xã Chơn Thành"


@pytest.mark.parametrize(
    "name,expected",
    [
        ("Phòng TN&MT", "Phòng Tài nguyên và Môi trường"),
        ("Phòng TC-KH", "Phòng Tài chính - Kế hoạch"),
        ("Phòng KT&HT", "Phòng Kinh tế và Hạ tầng"),
        ("Phòng Kinh tế - Hạ tầng", "Phòng Kinh tế và Hạ tầng"),
        ("Phòng VH-TT", "Phòng Văn hóa và Thông tin"),
        ("Phòng Văn hoá và Thông tin", "Phòng Văn hóa và Thông tin"),
        ("Phòng LĐ-TB&XH", "Phòng Lao động - Thương binh và Xã hội"),
        ("Bộ Lao động-Thương binh và Xã hội", "Bộ Lao động - Thương binh và Xã hội"),
        ("Sở Lao động – Thương binh và Xã hội", "Sở Lao động - Thương binh và Xã hội"),
        ("Bộ NN&PTNT", "Bộ Nông nghiệp và Phát triển nông thôn"),
        ("BQLDA đầu tư xây dựng", "Ban Quản lý dự án đầu tư xây dựng"),
        ("Ban QLDA&PTQĐ", "Ban Quản lý dự án và Phát triển quỹ đất"),
        ("BHXH các tỉnh, thành phố", "Bảo hiểm xã hội các tỉnh, thành phố"),
        ("Ủy ban MTTQ Việt Nam", "Ủy ban Mặt trận Tổ quốc Việt Nam"),
        ("Uỷ ban MTTQ Việt Nam", "Ủy ban Mặt trận Tổ quốc Việt Nam"),
        ("Ban Chỉ đạo CCHC", "Ban Chỉ đạo cải cách hành chính"),
        ("Tổ công tác GPMB", "Tổ công tác giải phóng mặt bằng"),
        ("Sở GD-ĐT Hà Nội", "Sở Giáo dục và Đào tạo Hà Nội"),
        ("Sở GD&ĐT", "Sở Giáo dục và Đào tạo"),
        ("Sở GDĐT", "Sở Giáo dục và Đào tạo"),
        ("Bộ KH-ĐT", "Bộ Kế hoạch và Đầu tư"),
        ("Sở Kế hoạch - Đầu tư Hà Nội", "Sở Kế hoạch và Đầu tư Hà Nội"),
        ("Sở VHTT", "Sở Văn hóa và Thể thao"),
        ("BộVăn hóa, Thể thao và Du lịch", "Bộ Văn hóa, Thể thao và Du lịch"),
        ("Bộ Giao thông Vận tải", "Bộ Giao thông vận tải"),
        ("BCH Quân sự", "Ban Chỉ huy Quân sự"),
        ("BCH QS", "Ban Chỉ huy Quân sự"),
        ("BCH PCTT&TKCN", "Ban Chỉ huy phòng, chống thiên tai và tìm kiếm cứu nạn"),
        ("BCH Đoàn Thanh niên", "Ban Chấp hành Đoàn Thanh niên"),
        ("Văn phòng HĐND-UBND", "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân"),
        ("Ban Thường vụ Tỉnh ủy Cao Bằng", "Ban Thường vụ Tỉnh ủy Cao Bằng"),
        ("Thủ trưởng các cơ quan, đơn vị, địa phương", "Thủ trưởng các cơ quan, đơn vị, địa phương"),
    ],
)
def test_abbreviations_and_spellings(name, expected):
    assert canonical_unit(name) == expected


@pytest.mark.parametrize(
    "name,issuer,expected",
    [
        ("UBND thị xã", CHONTHANH, "Ủy ban nhân dân thị xã Chơn Thành"),
        ("Chủ tịch UBND thị xã", CHONTHANH, "Chủ tịch Ủy ban nhân dân thị xã Chơn Thành"),
        ("Phòng Nội vụ", CHONTHANH, "Phòng Nội vụ"),
        ("Văn phòng HĐND và UBND huyện", "UBND huyện Cờ Đỏ", "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện Cờ Đỏ"),
        ("Ủy ban MTTQ Việt Nam huyện", "UBND huyện Cờ Đỏ", "Ủy ban Mặt trận Tổ quốc Việt Nam huyện Cờ Đỏ"),
        ("các tổ chức chính trị - xã hội huyện", "UBND huyện Cờ Đỏ", "các tổ chức chính trị - xã hội huyện Cờ Đỏ"),
        ("Trung tâm Y tế huyện", "Trung tâm Y tế huyện Phù Cát", "Trung tâm Y tế huyện Phù Cát"),
        ("Ban QLDA&PTQĐ huyện", "UBND huyện Cần Giuộc", "Ban Quản lý dự án và Phát triển quỹ đất huyện Cần Giuộc"),
        ("Chi nhánh Văn phòng Đăng ký đất đai huyện", "UBND huyện Cần Giuộc",
         "Chi nhánh Văn phòng Đăng ký đất đai huyện Cần Giuộc"),
        ("BCH Quân sự huyện", "UBND huyện Cần Giuộc", "Ban Chỉ huy Quân sự huyện Cần Giuộc"),
        ("Trung tâm Phát triển quỹ đất thành phố", "UBND thành phố Long Khánh",
         "Trung tâm Phát triển quỹ đất thành phố Long Khánh"),
        ("Ban Cán sự đảng UBND TP", "UBND TP Hà Nội", "Ban Cán sự đảng Ủy ban nhân dân thành phố Hà Nội"),
        ("Trung tâm Y tế thị xã", "UBND thị xã Hương Thủy", "Trung tâm Y tế thị xã Hương Thủy"),
        # issuers as the meta stage may give them: upper-case header, number line attached
        ("UBND thị xã", "UBND THỊ XÃ CHƠN THÀNH", "Ủy ban nhân dân thị xã Chơn Thành"),
        ("Trung tâm Phát triển quỹ đất thành phố", "UBND thành phố Long Khánh Số: 387/tb-ubnd",
         "Trung tâm Phát triển quỹ đất thành phố Long Khánh"),
        # collectives and lists keep their plural form
        ("UBND các xã, thị trấn", "UBND huyện Cờ Đỏ", "Ủy ban nhân dân các xã, thị trấn"),
        ("Chủ tịch UBND các xã, thị trấn", "UBND huyện Cờ Đỏ", "Chủ tịch Ủy ban nhân dân các xã, thị trấn"),
        ("Chủ tịch UBND các huyện, thành phố, thị xã", "UBND tỉnh Nghệ An",
         "Chủ tịch Ủy ban nhân dân các huyện, thành phố, thị xã"),
        ("Trạm Y tế các xã, thị trấn", "UBND huyện Krông Pắc", "Trạm Y tế các xã, thị trấn"),
        ("UBND cấp xã", "UBND huyện Krông Pắc", "Ủy ban nhân dân cấp xã"),
        # a level the issuer does not have stays bare
        ("UBND huyện", CHONTHANH, "Ủy ban nhân dân huyện"),
        # not places: Tỉnh ủy, Tỉnh đoàn, Huyện đoàn, Xã hội
        ("Tỉnh đoàn", "UBND tỉnh Tuyên Quang", "Tỉnh đoàn"),
        ("Huyện đoàn", "UBND huyện Phú Lương", "Huyện đoàn"),
        ("Phòng Lao động - Thương binh và Xã hội", "UBND huyện Cờ Đỏ", "Phòng Lao động - Thương binh và Xã hội"),
    ],
)
def test_short_forms_take_the_issuers_place(name, issuer, expected):
    assert canonical_unit(name, issuer) == expected


@pytest.mark.parametrize(
    "name,issuer,expected",
    [
        # provinces merged on 1 July 2025 (underthesea's address data)
        ("tỉnh Bình Phước", None, "Tỉnh Đồng Nai"),
        ("UBND tỉnh Bình Phước", None, "Ủy ban nhân dân tỉnh Đồng Nai"),
        ("Công an tỉnh Đắk Nông", None, "Công an tỉnh Lâm Đồng"),
        ("UBND tỉnh Hậu Giang", None, "Ủy ban nhân dân thành phố Cần Thơ"),
        ("Tỉnh", "UBND tỉnh Đắk Nông", "Tỉnh Lâm Đồng"),
        # the province of a district-level issuer is found from the district
        ("UBND tỉnh", CHONTHANH, "Ủy ban nhân dân tỉnh Đồng Nai"),
        ("Công an tỉnh", "UBND huyện Tuy Đức", "Công an tỉnh Lâm Đồng"),
        ("UBND thành phố", "UBND quận Ô Môn", "Ủy ban nhân dân thành phố Cần Thơ"),
        # unchanged provinces and province-level cities stay
        ("UBND tỉnh Nghệ An", None, "Ủy ban nhân dân tỉnh Nghệ An"),
        ("UBND TP. Hà Nội", None, "Ủy ban nhân dân thành phố Hà Nội"),
        ("UBND TP.HCM", None, "Ủy ban nhân dân thành phố Hồ Chí Minh"),
        ("Công an TPHCM", None, "Công an thành phố Hồ Chí Minh"),
        # districts were abolished, not renamed: they stay as written
        ("UBND TX Chơn Thành", None, "Ủy ban nhân dân thị xã Chơn Thành"),
        ("UBND huyện Cần Giuộc", None, "Ủy ban nhân dân huyện Cần Giuộc"),
        ("Kho bạc Nhà nước Long Khánh", None, "Kho bạc Nhà nước Long Khánh"),
        # wards: the issuer's district says which namesake is meant
        ("UBND phường Xuân Tân", "UBND thành phố Long Khánh", "Ủy ban nhân dân phường Hàng Gòn"),
        ("UBND phường Xuân Lập", "UBND thành phố Long Khánh", "Ủy ban nhân dân phường Xuân Lập"),
        ("UBND phường Xuân Tân", "UBND thành phố Long Khánh Số: 387/tb-ubnd", "Ủy ban nhân dân phường Hàng Gòn"),
        ("UBND phường Hưng Long", CHONTHANH, "Ủy ban nhân dân phường Chơn Thành"),
        ("UBND thị trấn Ea Pốk", "UBND huyện Cư M'gar", "Ủy ban nhân dân xã Quảng Phú"),
        ("Hội Phụ nữ xã", "UBND xã Diễn Kim", "Hội Phụ nữ xã Hải Châu"),
        # "Thủy Thanh" (Huế) and "Thụy Thanh" (Thái Bình) share a diacritic-free key
        ("Ủy ban MTTQ Việt Nam xã", "Đảng uỷ, UBND xã Thuỷ Thanh", "Ủy ban Mặt trận Tổ quốc Việt Nam phường Thanh Thủy"),
        ("UBND xã Thụy Thanh", "UBND huyện Thái Thụy", "Ủy ban nhân dân xã Nam Thụy Anh"),
        # lists of wards are not converted one by one
        ("UBND các xã Bình Nguyên, Bình Quý", "UBND huyện Thăng Bình", "Ủy ban nhân dân các xã Bình Nguyên, Bình Quý"),
        ("UBND các phường Thới An, Thới Long, Long Hưng, Phước Thới", "UBND quận Ô Môn",
         "Ủy ban nhân dân các phường Thới An, Thới Long, Long Hưng, Phước Thới"),
        ("UBND các xã Bình Nguyên, Bình Quý, Bình Trung, Bình Tú", "UBND huyện Tuy Đức",
         "Ủy ban nhân dân các xã Bình Nguyên, Bình Quý, Bình Trung, Bình Tú"),
    ],
)
def test_pre_2025_units_map_to_current_names(name, issuer, expected):
    assert canonical_unit(name, issuer) == expected


def test_ward_is_left_alone_when_the_data_cannot_confirm_it():
    # many provinces have a "xã Tân Lập": without a district or province nothing is guessed
    assert canonical_unit("UBND xã Tân Lập") == "Ủy ban nhân dân xã Tân Lập"
    # the only "xã Minh Hưng" left in 2025 is in Bù Đăng, not in the district named here
    assert canonical_unit("UBND xã Minh Hưng, huyện Chơn Thành") == "Ủy ban nhân dân xã Minh Hưng, huyện Chơn Thành"
    assert canonical_unit("UBND xã Minh Hưng", "UBND huyện Bù Đăng") == "Ủy ban nhân dân xã Bù Đăng"


def test_documents_after_the_reorganisation_keep_their_names():
    assert canonical_unit("UBND phường Xuân Tân", "UBND thành phố Long Khánh", as_of="2025-08-01") == (
        "Ủy ban nhân dân phường Xuân Tân")
    assert canonical_unit("UBND tỉnh Bình Phước", as_of="2025-07-01") == "Ủy ban nhân dân tỉnh Bình Phước"
    assert canonical_unit("UBND tỉnh Bình Phước", as_of="2025-06-30") == "Ủy ban nhân dân tỉnh Đồng Nai"


def test_level_words_inside_a_name_are_lower_case():
    assert canonical_unit("UBND Huyện Cần Giuộc") == "Ủy ban nhân dân huyện Cần Giuộc"
    assert canonical_unit("Thị xã Chơn Thành") == "Thị xã Chơn Thành"


def test_empty_names():
    assert canonical_unit("") == "" and canonical_unit("   ") == ""


def test_find_places():
    places = find_places("Ủy ban nhân dân xã Minh Hưng, huyện Chơn Thành, tỉnh Bình Phước")
    assert [(p.level, p.name) for p in places] == [("xã", "Minh Hưng"), ("huyện", "Chơn Thành"), ("tỉnh", "Bình Phước")]
    assert [(p.level, p.name) for p in find_places("Ban Thường vụ Tỉnh ủy Cao Bằng")] == []
    assert [(p.level, p.name) for p in find_places("Trung tâm Y tế thị xã")] == [("thị xã", "")]
    assert [(p.level, p.name) for p in find_places("UBND phường 3")] == [("phường", "3")]


def test_expand_abbreviations_leaves_words_alone():
    assert expand_abbreviations("Phòng Nội vụ") == "Phòng Nội vụ"
    assert expand_abbreviations("các trường THPT") == "các trường THPT"
    assert expand_abbreviations("Sở TN-MT") == "Sở Tài nguyên và Môi trường"


def test_keys_for_comparison_and_search():
    assert unit_key("Ủy ban nhân dân thị xã Chơn Thành") == unit_key("uỷ ban nhân dân  THỊ XÃ Chơn Thành.")
    assert unit_key("Phòng Tài chính - Kế hoạch") == "phòng tài chính kế hoạch"
    assert fold("Ủy ban nhân dân thị xã Chơn Thành") == "uy ban nhan dan thi xa chon thanh"
    assert fold("ĐỘI") == "doi"
    assert unit_key("Phòng Nội vụ") != unit_key("Phòng Tư pháp")
