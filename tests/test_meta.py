"""Document dates and issuers on real texts of ../shared (news, HĐND resolutions)."""
import json
from pathlib import Path

import pytest

from nlp.ingest import read_document
from nlp.meta import extract_meta

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
needs_shared = pytest.mark.skipif(not (SHARED / "real").exists(), reason="../shared/corpus is not beside this checkout")


def meta_of(path: Path) -> dict:
    return extract_meta(read_document(path)).meta


@needs_shared
@pytest.mark.parametrize("name", ["hdndnq-1.txt", "hdndnq-3.txt", "hdndnq-5.txt"])
def test_a_resolution_is_dated_the_day_it_was_adopted(name):
    path = SHARED / "real" / name
    text = read_document(path).text
    meta = meta_of(path)
    # the legal bases cited first ("Căn cứ Luật … ngày 19 tháng 6 năm 2015") are not its date
    assert meta["date"] and meta["date"][:4] == "2017"
    y, m, d = meta["date"].split("-")
    assert f"thông qua ngày {int(d)} tháng {int(m)} năm {y}" in " ".join(text.split())
    assert meta["issuer"].startswith("HĐND tỉnh ")


@needs_shared
def test_a_resolution_that_gives_no_date_gets_none():
    """"… Kỳ họp thứ Năm thông qua./." — no day is written, so none is made up."""
    assert meta_of(SHARED / "real" / "hdndnq-2.txt")["date"] is None


@needs_shared
def test_news_dated_by_sang_nay_over_earlier_events():
    """"Sáng 5/2 … clip" is the incident; "vào sáng nay (6/2)" is the day of writing."""
    folder = SHARED / "real-train"
    hits = 0
    for name in ("train-vnnews-04.txt", "train-vnnews-18.txt"):
        gold = json.loads((folder / "gold" / name.replace(".txt", ".json")).read_text(encoding="utf-8"))
        hits += meta_of(folder / name)["date"] == gold["meta"]["date"]
    assert hits == 2


# (why, text, field, expected): one real pattern of news or portal pages each
CASES = [
    ("a plan's date is not the date of the text",
     "Hai dự án đường băng dự kiến đưa vào khai thác ngày 31/12/2020.\n"
     "Chiều 9/5/2020, Phó Chủ tịch UBND tỉnh làm việc với Sở Giao thông vận tải.\n", "date", "2020-05-09"),
    ("a dateline with the weekday",
     "Phó Thủ tướng yêu cầu bảo đảm đủ oxy y tế\nThứ Năm, 05/08/2021 - 21:10\n\n"
     "(Chinhphu.vn) - Văn phòng Chính phủ vừa có Công văn số 5321/VPCP-KGVX ngày 4/8/2021.\n", "date", "2021-08-05"),
    ("the chair is the person who directs, the name only",
     "Thủ tướng yêu cầu Bộ Công an thu hồi biển số 80\n"
     "Thủ tướng Chính phủ Nguyễn Xuân Phúc vừa yêu cầu Bộ Công an thực hiện nghiêm chỉ đạo.\n", "chair", "Nguyễn Xuân Phúc"),
    ("the issuer stops before a person's name",
     "Xử lý vụ gỗ lậu\nNgày 5/1/2017, UBND tỉnh Đắk Nông Trương Thanh Tùng có văn bản yêu cầu Công an tỉnh "
     "báo cáo. UBND tỉnh Lâm Đồng tổ chức họp.\n", "issuer", "UBND tỉnh Đắk Nông"),
    ("capitals of a photo credit before 'Ngày 28/7/2020,' are no document number",
     "Đẩy nhanh giải ngân vốn đầu tư công\n=====\n\nThi công một dự án giao thông. Ảnh: ST Ngày 28/7/2020, "
     "Thủ tướng Chính phủ ký Chỉ thị số 11/CT-TTg ngày 4/3/2020 về các nhiệm vụ cấp bách.\n", "date", "2020-07-28"),
    ("the school year gives the year of a date without one",
     "Chấn chỉnh lạm thu\nPhụ huynh phản ánh tình trạng lạm thu đầu năm học 2017-2018. Ngày 22/9, UBND tỉnh "
     "ban hành công văn chấn chỉnh. Kế hoạch giai đoạn 2016-2020 được rà soát.\n", "date", "2017-09-22"),
    ("the lead's event, dated inside its first sentence",
     "Tin tức\nHội nghị ký kết quy chế phối hợp giữa BHXH Việt Nam và Hiệp hội bệnh viện tư nhân diễn ra sáng "
     "28/6/2017 tại Hà Nội.\n", "date", "2017-06-28"),
    ("an earlier event told inside a later sentence is not the text's date",
     "Hủy vòng đấu loại\nLễ hội sẽ chỉ tổ chức vòng chung kết. Báo cáo ghi rõ, ngày 1/7/2017 tại sân vận động, quận "
     "khai mạc vòng loại.\n", "date", None),
    ("'Bộ Kế hoạch và Đầu tư' is a name, not a plan",
     "Họp báo quý II\nTại buổi họp báo của Tổng cục Thống kê (Bộ Kế hoạch và Đầu tư) tổ chức sáng 29/6/2017, lãnh đạo "
     "Tổng cục cho biết.\n", "date", "2017-06-29"),
]


@pytest.mark.parametrize("why, text, field, expected", CASES, ids=[c[0] for c in CASES])
def test_meta_of_news(tmp_path, why, text, field, expected):
    p = tmp_path / "tin.txt"
    p.write_text(text, encoding="utf-8")
    assert meta_of(p)[field] == expected


@pytest.mark.parametrize("name, kept", [
    ("UBND tỉnh Đắk Nông Trương Thanh Tùng", "UBND tỉnh Đắk Nông"),
    ("Chính phủ Nguyễn Sỹ Hiệp", "Chính phủ"),
    ("Sở Văn Hóa Thể Thao", "Sở Văn Hóa Thể Thao"),  # "Văn" here opens a field, not a family name
    ("UBND thành phố Hà Nội", "UBND thành phố Hà Nội"),
])
def test_a_persons_name_is_cut_from_a_body_name(name, kept):
    from nlp.meta import _without_person

    assert _without_person(name) == kept
