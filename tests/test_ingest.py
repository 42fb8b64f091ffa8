"""Ingest: every supported file type, every encoding, every way a file can be bad.

Inputs are built here (tmp_path) as a user would have them: text saved by old
Vietnamese keyboards (TCVN3, VNI, Windows-1258), UTF-16 from Notepad, Word files made
with python-docx, PDFs drawn with reportlab, portal pages imitating the real ones.
"""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import pytest

from nlp.encodings_vn import (
    TCVN3_HIGH, best_decoding, decode_tcvn3, decode_vni, encode_cp1258, encode_tcvn3, encode_vni, is_syllable,
)
from nlp.ingest import (
    SUPPORTED, IngestError, furniture_spans, iter_inputs, read_document, read_stdin, read_text, strip_furniture,
)
from nlp.normalise import normalise

DEV = Path("/work/shared/corpus/dev")

# A passage of a real kind: a conclusion notice assigning tasks (lower-case toned
# letters only in the TCVN3 sample, since TCVN3 has no upper-case toned letters).
REPORT = (
    "THÔNG BÁO\n"
    "Kết luận của Chủ tịch UBND tỉnh Khánh Hòa tại cuộc họp về công tác thủy lợi\n"
    "Ủy ban nhân dân tỉnh giao Sở Nông nghiệp và Phát triển nông thôn chủ trì, phối hợp với "
    "các đơn vị liên quan rà soát, hoàn thành trước ngày 30/6/2024.\n"
    "- Sở Tài chính tham mưu bố trí kinh phí; khuyến khích người dân tham gia.\n"
    "- Tồn tại, hạn chế: tiến độ giải ngân còn chậm, một số công trình xuống cấp.\n"
)
REPORT_TCVN3 = (
    "Kết luận của chủ tịch ủy ban nhân dân tỉnh tại cuộc họp về công tác thủy lợi.\n"
    "Giao Sở Nông nghiệp và Phát triển nông thôn chủ trì, phối hợp với các đơn vị liên quan "
    "rà soát, hoàn thành trước ngày 30/6/2024; khuyến khích người dân tham gia.\n"
    "Đồng thời báo cáo kết quả về ủy ban nhân dân tỉnh.\n"
)


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def reason_of(path) -> str:
    with pytest.raises(IngestError) as info:
        read_document(path)
    return info.value.reason


# --------------------------------------------------------------------------------------
# The legacy tables, checked by hand and against glibc
# --------------------------------------------------------------------------------------

def test_tcvn3_known_bytes():
    known = {"ư": 0xAD, "đ": 0xAE, "ơ": 0xAC, "â": 0xA9, "ă": 0xA8, "ê": 0xAA, "ô": 0xAB,
             "Ă": 0xA1, "Â": 0xA2, "Đ": 0xA7, "à": 0xB5, "á": 0xB8, "ạ": 0xB9, "ế": 0xD5, "ữ": 0xF7, "ỵ": 0xFE}
    for letter, byte in known.items():
        assert encode_tcvn3(letter) == bytes([byte]), letter
        assert decode_tcvn3(bytes([byte])) == letter
    # how the ABC text looks when read as cp1252: "Céng hoµ" is "Cộng hoà"
    assert decode_tcvn3("Céng hoµ x· héi".encode("cp1252")) == "Cộng hoà xã hội"


def test_tcvn3_table_matches_glibc_iconv():
    if not shutil.which("iconv"):
        pytest.skip("iconv not installed")
    data = bytes(range(0xA0, 0x100))
    run = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=data, capture_output=True)
    if run.returncode != 0:
        pytest.skip("iconv has no TCVN5712-1")
    assert run.stdout.decode("utf-8") == TCVN3_HIGH


def test_vni_known_bytes():
    assert encode_vni("ư") == b"\xf6"  # ö
    assert encode_vni("ơ") == b"\xf4"  # ô
    assert encode_vni("đ") == b"\xf1"  # ñ
    assert encode_vni("Đ") == b"\xd1"  # Ñ
    # tones are a trailing byte after the vowel
    assert encode_vni("à á ả ã ạ") == b"a\xf8 a\xf9 a\xfb a\xf5 a\xef"  # ø ù û õ ï
    assert encode_vni("người") == b"ng\xf6\xf4\xf8i"  # "ngöôøi"
    assert encode_vni("Việt Nam") == "Vieät Nam".encode("cp1252")
    assert encode_vni("Cộng hòa") == "Coäng hoøa".encode("cp1252")
    assert decode_vni("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam".encode("cp1252")) == "Cộng hòa xã hội chủ nghĩa Việt Nam"


def test_cp1258_uses_combining_tones():
    assert encode_cp1258("à") == b"a\xcc"
    assert encode_cp1258("ở") == b"\xf5\xd2"  # ơ then combining hook
    assert unicodedata.normalize("NFC", encode_cp1258("Khánh Hòa").decode("cp1258")) == "Khánh Hòa"


@pytest.mark.parametrize("encode, decode", [(encode_vni, decode_vni), (encode_tcvn3, decode_tcvn3)])
def test_legacy_round_trip(encode, decode):
    assert decode(encode(REPORT_TCVN3)) == REPORT_TCVN3


def test_vni_round_trip_keeps_upper_case():
    assert decode_vni(encode_vni(REPORT)) == REPORT


def test_syllable_check():
    for word in ["người", "nghiêng", "khuyến", "hoàn", "quốc", "giữa", "Đồng", "thủy", "ý", "à"]:
        assert is_syllable(word), word
    for junk in ["Céng", "hoµ", "ngöôøi", "x·", "ñoàng", "abcđef", "ĐT", "x", "hoàá"]:
        assert not is_syllable(junk), junk


@pytest.mark.parametrize(
    "name, encode",
    [("tcvn3", encode_tcvn3), ("vni", encode_vni), ("windows-1258", encode_cp1258)],
)
def test_detection_picks_the_right_legacy_encoding(name, encode):
    for sample in (REPORT_TCVN3, "Báo cáo tình hình thực hiện nhiệm vụ quý III", "Kế hoạch cải cách hành chính"):
        encoding, text, share = best_decoding(encode(sample))
        assert encoding == name, sample
        assert text == sample
        assert share > 0.9


# --------------------------------------------------------------------------------------
# .txt / .md: every encoding a Vietnamese office produces
# --------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "label, data, encoding",
    [
        ("utf-8", REPORT.encode("utf-8"), "utf-8"),
        ("utf-8 with BOM", b"\xef\xbb\xbf" + REPORT.encode("utf-8"), "utf-8-sig"),
        ("utf-16 LE with BOM", REPORT.encode("utf-16"), "utf-16"),
        ("utf-16 BE with BOM", b"\xfe\xff" + REPORT.encode("utf-16-be"), "utf-16"),
        ("utf-16 LE, no BOM", REPORT.encode("utf-16-le"), "utf-16-le"),
        ("windows-1258", encode_cp1258(REPORT), "windows-1258"),
        ("vni", encode_vni(REPORT), "vni"),
        ("decomposed utf-8", unicodedata.normalize("NFD", REPORT).encode("utf-8"), "utf-8"),
    ],
)
def test_text_encodings(tmp_path, label, data, encoding):
    doc = read_document(write(tmp_path, "bao-cao.txt", data))
    assert doc.hints["encoding"] == encoding, label
    assert doc.text == normalise(REPORT)
    assert "Khánh Hòa" in doc.text and "khuyến khích" in doc.text and "Ủy ban" in doc.text
    assert doc.source == "bao-cao.txt" and doc.fmt == "txt" and doc.path.endswith("bao-cao.txt")


def test_tcvn3_text_file(tmp_path):
    data = encode_tcvn3(REPORT_TCVN3)
    assert b"\xae" in data and b"\xad" in data  # đ and ư as the ABC fonts store them
    doc = read_document(write(tmp_path, "cu.txt", data))
    assert doc.hints["encoding"] == "tcvn3"
    assert doc.text == normalise(REPORT_TCVN3)


def test_tcvn3_upper_case_font_lines(tmp_path):
    # .VnTimeH capitals are stored with the lower-case codes: "ñy ban" in a capital font
    header = "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA\nSố: 12/TB-UBND\nGiao UBND HUYỆN DIÊN KHÁNH chủ trì thực hiện.\n"
    data = encode_tcvn3(header)
    assert data.startswith(b"\xf1Y BAN NH\xa2N D\xa2N T\xd8NH")  # Ủ stored as ủ, Â has its own code
    doc = read_document(write(tmp_path, "tb.txt", data))
    assert doc.hints["encoding"] == "tcvn3"
    assert doc.text == header


def test_markdown_is_read_like_text(tmp_path):
    doc = read_document(write(tmp_path, "ghi-chu.md", encode_vni("# Kết luận\n\nGiao Sở Tài chính chủ trì.\n")))
    assert doc.fmt == "md"
    assert doc.text == "# Kết luận\n\nGiao Sở Tài chính chủ trì.\n"


def test_text_offsets_point_into_the_normalised_text(tmp_path):
    raw = "Tiêu đề\r\nLượt xem: 1.205\r\nUBND tỉnh giao Sở Y tế chủ trì thực hiện.\r\nTin khác\r\n- Bài cũ\r\n"
    doc = read_document(write(tmp_path, "tin.txt", raw))
    assert "\r" not in doc.text
    pieces = [doc.text[a:b] for a, b in doc.hints["furniture"]]
    assert pieces == ["Lượt xem: 1.205", "Tin khác", "- Bài cũ"]
    assert "UBND tỉnh giao Sở Y tế chủ trì thực hiện." in doc.text  # nothing deleted from .txt


def test_damaged_utf8_is_still_utf8(tmp_path):
    data = (REPORT * 3).encode("utf-8")
    data = data[:50] + b"\xff" + data[50:]
    doc = read_document(write(tmp_path, "hong.txt", data))
    assert doc.hints["encoding"] == "utf-8 (damaged)"
    assert "khuyến khích" in doc.text


def test_ascii_with_a_stray_smart_quote(tmp_path):
    data = ("Report on the plan " * 40).encode() + b"\x93quoted\x94 end."
    doc = read_document(write(tmp_path, "en.txt", data))
    assert doc.text.endswith("“quoted” end.")


def test_read_text_and_stdin(monkeypatch):
    doc = read_text("Hoà Bình\r\nLượt xem: 12\n")
    assert doc.source == "-" and doc.text == "Hòa Bình\nLượt xem: 12\n"
    assert doc.hints["furniture"] == [[9, 21]]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(encode_vni(REPORT))))
    doc = read_stdin()
    assert doc.source == "-" and doc.hints["encoding"] == "vni" and doc.text == normalise(REPORT)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"  \n")))
    with pytest.raises(IngestError, match="empty input"):
        read_stdin()


# --------------------------------------------------------------------------------------
# Bad files
# --------------------------------------------------------------------------------------

def test_error_messages(tmp_path):
    assert reason_of(tmp_path / "khong-co.txt") == "file not found"
    assert reason_of(write(tmp_path, "rong.txt", b"")) == "empty file"
    assert reason_of(write(tmp_path, "trang.txt", b" \r\n\t\n")) == "empty file"
    assert reason_of(write(tmp_path, "bang.xyz", b"abc")) == "unknown file type .xyz"
    assert reason_of(write(tmp_path, "README", b"abc")) == "unknown file type (none)"
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    assert reason_of(write(tmp_path, "anh.txt", png)) == "binary file, not text"
    assert reason_of(write(tmp_path, "nhi-phan.txt", bytes([7, 3, 200, 1, 0, 5]) * 100)) == "binary file, not text"


def test_undecodable_text(tmp_path):
    import random

    rng = random.Random(7)
    words = [bytes(rng.randrange(0x80, 0x100) for _ in range(rng.randrange(2, 7))) for _ in range(300)]
    reason = reason_of(write(tmp_path, "rac.txt", b" ".join(words)))
    assert reason.startswith("undecodable text")


def test_error_is_one_line_with_the_path(tmp_path):
    path = write(tmp_path, "x.docx", b"not a zip")
    with pytest.raises(IngestError) as info:
        read_document(path)
    assert str(info.value) == f"{path}: not a valid .docx (corrupt zip)"
    err = IngestError("a.pdf", "broken\nxref   table")
    assert str(err) == "a.pdf: broken xref table"


def test_corrupt_docx_and_pdf(tmp_path):
    bad_zip = tmp_path / "thieu.docx"
    with zipfile.ZipFile(bad_zip, "w") as z:
        z.writestr("hello.txt", "no word/document.xml here")
    assert reason_of(bad_zip).startswith("not a valid .docx")
    old_doc = write(tmp_path, "cu.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500))
    assert reason_of(old_doc) == "not a valid .docx (an old Word .doc file: save it as .docx)"
    assert reason_of(write(tmp_path, "hong.pdf", b"%PDF-1.4\n1 0 obj <<>>\ngarbage")).startswith("not a valid .pdf")
    assert reason_of(write(tmp_path, "khong-phai.pdf", "Văn bản thường")) == "not a valid .pdf (no PDF header)"


# --------------------------------------------------------------------------------------
# .docx
# --------------------------------------------------------------------------------------

def test_docx_reading_order_and_table_rows(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("KẾ HOẠCH Chuyển đổi số năm 2024")
    d.add_paragraph("I. NHIỆM VỤ CỤ THỂ")
    table = d.add_table(rows=3, cols=4)
    for cell, text in zip(table.rows[0].cells, ["STT", "Nội dung", "Đơn vị chủ trì", "Thời gian"]):
        cell.text = text
    row = ["1", "Rà soát, số hóa hồ sơ thủ tục hành chính còn hiệu lực", "Văn phòng HĐND và UBND", "Quý II/2024"]
    for cell, text in zip(table.rows[1].cells, row):
        cell.text = text
    merged = table.cell(2, 1).merge(table.cell(2, 2))
    merged.text = "Các phòng, ban chuyên môn tổ chức tập huấn kỹ năng số"
    table.cell(2, 0).text = "2"
    table.cell(2, 3).text = "Tháng 10/2024"
    d.add_paragraph("II. TỔ CHỨC THỰC HIỆN")
    d.add_paragraph("Giao Phòng Văn hóa và Thông tin theo dõi, đôn đốc.")
    path = tmp_path / "ke-hoach.docx"
    d.save(path)

    doc = read_document(path)
    assert doc.fmt == "docx" and doc.hints["tables"] == 1
    assert doc.text.split("\n") == [
        "KẾ HOẠCH Chuyển đổi số năm 2024",
        "I. NHIỆM VỤ CỤ THỂ",
        "STT | Nội dung | Đơn vị chủ trì | Thời gian",
        "1 | Rà soát, số hóa hồ sơ thủ tục hành chính còn hiệu lực | Văn phòng HĐND và UBND | Quý II/2024",
        "2 | Các phòng, ban chuyên môn tổ chức tập huấn kỹ năng số | Tháng 10/2024",  # merged cell once
        "II. TỔ CHỨC THỰC HIỆN",
        "Giao Phòng Văn hóa và Thông tin theo dõi, đôn đốc.",
    ]
    assert doc.hints["furniture"] == []  # table rows are content, not menus


def test_docx_list_numbers_are_written_out(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("Giao các phòng, ban thực hiện các nhiệm vụ sau:")
    d.add_paragraph("Rà soát hồ sơ tồn đọng, hoàn thành trước ngày 30/6/2024.", style="List Number")
    d.add_paragraph("Tập huấn nghiệp vụ cho cán bộ một cửa.", style="List Number")
    d.add_paragraph("Phòng Nội vụ theo dõi;", style="List Bullet")
    d.add_paragraph("Báo cáo kết quả về UBND huyện.", style="List Number")
    path = tmp_path / "giao-viec.docx"
    d.save(path)
    assert read_document(path).text.split("\n") == [
        "Giao các phòng, ban thực hiện các nhiệm vụ sau:",
        "1. Rà soát hồ sơ tồn đọng, hoàn thành trước ngày 30/6/2024.",
        "2. Tập huấn nghiệp vụ cho cán bộ một cửa.",
        "• Phòng Nội vụ theo dõi;",
        "3. Báo cáo kết quả về UBND huyện.",
    ]


def test_docx_without_text(tmp_path):
    import docx

    path = tmp_path / "rong.docx"
    docx.Document().save(path)
    assert reason_of(path) == "no text in the document"


# --------------------------------------------------------------------------------------
# .pdf
# --------------------------------------------------------------------------------------

def _font_path() -> str:
    for candidate in ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"]:
        if os.path.exists(candidate):
            return candidate
    import matplotlib

    return os.path.join(os.path.dirname(matplotlib.__file__), "mpl-data", "fonts", "ttf", "DejaVuSans.ttf")


def test_pdf_text_layer_page_by_page(tmp_path):
    pytest.importorskip("reportlab")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVuSans", _font_path()))
    path = tmp_path / "bao-cao.pdf"
    c = canvas.Canvas(str(path))
    pages = [
        ["ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA", "Giao Sở Tài chính chủ trì, hoàn thành trước ngày 30/6/2024."],
        ["Tồn tại: công tác thủy lợi còn chậm; khuyến khích người dân tham gia."],
    ]
    for lines in pages:
        c.setFont("DejaVuSans", 11)
        for i, line in enumerate(lines):
            c.drawString(72, 760 - 20 * i, line)
        c.showPage()
    c.save()

    doc = read_document(path)
    assert doc.fmt == "pdf" and doc.hints["pages"] == 2
    assert doc.text.split("\n") == [line for lines in pages for line in lines]


def test_pdf_without_text_layer(tmp_path):
    pytest.importorskip("reportlab")
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.rect(72, 72, 400, 600, fill=1)  # what a scan looks like to a text extractor: no text
    c.showPage()
    c.save()
    assert reason_of(path) == "no text layer (scanned?)"


# --------------------------------------------------------------------------------------
# .html: portal pages
# --------------------------------------------------------------------------------------

PORTAL = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<title>Huyện Tân Phước triển khai nhiệm vụ phòng, chống dịch sốt xuất huyết - Cổng TTĐT huyện Tân Phước</title>
<meta property="article:published_time" content="2024-07-16T08:30:00+07:00">
</head><body>
<div class="top"><div class="ten-cong">CỔNG THÔNG TIN ĐIỆN TỬ HUYỆN TÂN PHƯỚC</div></div>
<div class="thanh-menu"><a href="/">Trang chủ</a> | <a href="/gt">Giới thiệu</a> | <a href="/tt">Tin tức</a> | <a href="/vb">Văn bản</a> | <a href="/lh">Liên hệ</a></div>
<div class="noi-dung">
 <h1 class="tieu-de">Huyện Tân Phước triển khai nhiệm vụ phòng, chống dịch sốt xuất huyết</h1>
 <div class="ngay">Thứ Ba, 16/07/2024 - 08:30 | Lượt xem: 1.205</div>
 <div class="sapo"><p>Sáng ngày 15/7/2024, UBND huyện Tân Phước tổ chức hội nghị triển khai các biện pháp cấp bách phòng, chống dịch sốt xuất huyết trên địa bàn.</p></div>
 <div class="chi-tiet">
  <p>Theo báo cáo của Trung tâm Y tế huyện, từ đầu năm đến nay toàn huyện ghi nhận 126 ca mắc sốt xuất huyết, tăng 45 ca so với cùng kỳ năm 2023; một số xã chưa duy trì thường xuyên chiến dịch diệt lăng quăng.</p>
  <p style="text-align:center"><img src="/uploads/hoi-nghi.jpg" alt="anh tin bai"></p>
  <p style="text-align:center"><em>Quang cảnh hội nghị triển khai phòng, chống dịch</em></p>
  <p>Phát biểu kết luận, Phó Chủ tịch UBND huyện yêu cầu các cơ quan, đơn vị tập trung thực hiện tốt các nhiệm vụ sau:</p>
  <ul>
   <li>Trung tâm Y tế huyện chủ trì, phối hợp với UBND các xã giám sát chặt chẽ ca bệnh, xử lý triệt để ổ dịch, hoàn thành trước ngày 31/7/2024.</li>
   <li>Phòng Tài chính - Kế hoạch tham mưu bổ sung kinh phí mua hóa chất phòng, chống dịch trong quý III/2024.</li>
  </ul>
  <table>
   <tr><th>STT</th><th>Nhiệm vụ</th><th>Đơn vị chủ trì</th></tr>
   <tr><td>1</td><td>Tổ chức chiến dịch diệt lăng quăng đợt 2 trên toàn huyện</td><td>UBND các xã, thị trấn</td></tr>
  </table>
  <p class="tac-gia">Minh Thư - Trung tâm Văn hóa, Thể thao và Truyền thanh huyện</p>
 </div>
 <div class="cong-cu">Chia sẻ: <a href="#">Facebook</a> | <a href="#">Zalo</a> | <a href="#">In bài viết</a></div>
 <div class="khoi-tin">
  <div class="khoi-tieu-de">Tin khác</div>
  <p><a href="/a">Tân Phước ra quân tổng vệ sinh môi trường</a> (10/07/2024)</p>
  <p><a href="/b">Hội nghị sơ kết công tác y tế 6 tháng đầu năm 2024</a> (05/07/2024)</p>
 </div>
 <div class="khoi-thong-ke">Thống kê truy cập<br>Đang online: 21<br>Tổng lượt truy cập: 1.234.567</div>
</div>
<div class="chan-trang">
 <p>Cơ quan chủ quản: Ủy ban nhân dân huyện Tân Phước</p>
 <p>Địa chỉ: Khu phố 1, thị trấn Mỹ Phước, huyện Tân Phước</p>
 <p>Điện thoại: 0273.3841.xxx - Email: ubnd@tanphuoc.gov.vn</p>
 <p>Chịu trách nhiệm nội dung: Chánh Văn phòng HĐND và UBND huyện</p>
 <p>© Bản quyền thuộc UBND huyện Tân Phước. Ghi rõ nguồn khi phát hành lại thông tin từ website này.</p>
 <p>Thiết kế bởi VNPT Tiền Giang</p>
</div>
</body></html>
"""

FURNITURE_WORDS = re.compile(
    r"Lượt xem|Đã xem|Thống kê truy cập|Đang online|lượt truy cập|anh tin bai|Thiết kế bởi|Bản quyền|"
    r"Chịu trách nhiệm nội dung|Ghi rõ nguồn|Cơ quan chủ quản|"
    r"^\W*(?:Tin khác|Tin liên quan|Địa chỉ:|Điện thoại:|Email:|Trang chủ|Chia sẻ:)",
    re.I | re.M,
)


def test_portal_page(tmp_path):
    doc = read_document(write(tmp_path, "tin.html", PORTAL))
    assert doc.fmt == "html"
    assert doc.hints["title"].startswith("Huyện Tân Phước triển khai nhiệm vụ phòng, chống dịch sốt xuất huyết")
    assert doc.hints["date"] == "2024-07-16"
    assert not FURNITURE_WORDS.search(doc.text), FURNITURE_WORDS.search(doc.text)
    assert "Quang cảnh hội nghị" not in doc.text  # the caption under the image
    assert "ra quân tổng vệ sinh" not in doc.text  # a headline under "Tin khác"
    assert "Sáng ngày 15/7/2024, UBND huyện Tân Phước tổ chức hội nghị" in doc.text  # the lead
    assert "tăng 45 ca so với cùng kỳ năm 2023" in doc.text
    assert "hoàn thành trước ngày 31/7/2024." in doc.text
    assert "1 | Tổ chức chiến dịch diệt lăng quăng đợt 2 trên toàn huyện | UBND các xã, thị trấn" in doc.text
    body = doc.text.index("Theo báo cáo")
    assert body < doc.text.index("Phát biểu kết luận") < doc.text.index("Trung tâm Y tế huyện chủ trì")


def test_portal_page_in_a_legacy_encoding(tmp_path):
    page = PORTAL.replace('<meta charset="utf-8">', "")
    doc = read_document(write(tmp_path, "tin-vni.htm", encode_vni(page)))
    assert "Phòng Tài chính - Kế hoạch tham mưu bổ sung kinh phí" in doc.text
    assert not FURNITURE_WORDS.search(doc.text)


def test_html5_article_keeps_the_lead_in_its_header(tmp_path):
    page = """<html><head><title>Xã An Hòa triển khai nhiệm vụ năm 2024</title></head><body>
    <header class="site"><h1>CỔNG THÔNG TIN ĐIỆN TỬ XÃ AN HÒA</h1><div>ỦY BAN NHÂN DÂN XÃ AN HÒA</div></header>
    <nav><a href="/">Trang chủ</a><a href="/tin">Tin tức</a></nav>
    <article><header><h1>Xã An Hòa triển khai nhiệm vụ năm 2024</h1>
    <p class="lead">Sáng 5/1/2024, UBND xã An Hòa tổ chức hội nghị triển khai nhiệm vụ năm 2024 với sự tham dự của các ban ngành.</p></header>
    <div class="content"><p>Theo báo cáo, năm 2023 xã đã hoàn thành 18/20 chỉ tiêu; còn 2 chỉ tiêu chưa đạt là tỷ lệ hộ nghèo và thu ngân sách.</p>
    <figure><img src="a.jpg" alt="anh tin bai"><figcaption>Lãnh đạo xã phát biểu tại hội nghị</figcaption></figure>
    <p>Chủ tịch UBND xã yêu cầu các ban ngành hoàn thành các chỉ tiêu còn lại trong quý I/2024, báo cáo trước ngày 31/3/2024.</p>
    </div></article><footer>Địa chỉ: thôn 1, xã An Hòa | Điện thoại: 0123</footer></body></html>"""
    doc = read_document(write(tmp_path, "an-hoa.html", page))
    assert "Sáng 5/1/2024, UBND xã An Hòa tổ chức hội nghị" in doc.text
    assert "báo cáo trước ngày 31/3/2024." in doc.text
    for gone in ["CỔNG THÔNG TIN", "ỦY BAN NHÂN DÂN XÃ", "Trang chủ", "phát biểu tại hội nghị", "Địa chỉ"]:
        assert gone not in doc.text


def test_article_in_a_box_with_a_furniture_like_class_is_kept(tmp_path):
    menu = "".join(f"<li><a href='/m{i}'>Chuyên mục số {i} của cổng thông tin</a></li>" for i in range(80))
    body = (
        "<p>Ủy ban nhân dân huyện giao Phòng Tài nguyên và Môi trường chủ trì, phối hợp với UBND các xã rà soát "
        "toàn bộ hồ sơ cấp giấy chứng nhận quyền sử dụng đất còn tồn đọng, phân loại nguyên nhân và đề xuất "
        "hướng xử lý, báo cáo UBND huyện trước ngày 15/8/2024.</p>"
    )
    page = f"<html><body><ul class='menu-left'>{menu}</ul><div class='left-side tools'>{body}</div></body></html>"
    doc = read_document(write(tmp_path, "hop.html", page))
    assert "báo cáo UBND huyện trước ngày 15/8/2024." in doc.text
    assert "Chuyên mục số" not in doc.text


def test_xhtml_with_an_xml_declaration(tmp_path):
    page = '<?xml version="1.0" encoding="utf-8"?>\n' + PORTAL.replace("<!DOCTYPE html>", "")
    doc = read_document(write(tmp_path, "xhtml.htm", page))
    assert "tăng 45 ca so với cùng kỳ năm 2023" in doc.text


def test_html_title_is_normalised(tmp_path):
    page = PORTAL.replace("<title>Huyện", "<title>Khánh Hoà: Huyện").replace('"tieu-de">Huyện', '"tieu-de">Khánh Hoà: Huyện')
    assert read_document(write(tmp_path, "t.html", page)).hints["title"].startswith("Khánh Hòa: Huyện")


def test_html_declared_charsets(tmp_path):
    page_1258 = PORTAL.replace('charset="utf-8"', 'charset="windows-1258"')
    doc = read_document(write(tmp_path, "cp1258.html", encode_cp1258(page_1258)))
    assert "Phòng Tài chính - Kế hoạch tham mưu bổ sung kinh phí" in doc.text
    # old pages in ABC fonts declare a Western charset: the bytes say TCVN3
    page_abc = PORTAL.replace('charset="utf-8"', 'charset="iso-8859-1"').replace("©", "")
    doc = read_document(write(tmp_path, "abc.html", encode_tcvn3(page_abc)))
    assert "kế hoạch tham mưu bổ sung kinh phí" in doc.text.lower()


def test_html_falls_back_to_a_plain_dump(tmp_path, monkeypatch):
    import trafilatura

    monkeypatch.setattr(trafilatura, "extract", lambda *a, **k: None)
    doc = read_document(write(tmp_path, "tin.html", PORTAL))
    assert "Trung tâm Y tế huyện chủ trì, phối hợp với UBND các xã" in doc.text
    assert "Địa chỉ:" not in doc.text and "Tin khác" not in doc.text


def test_html_without_text(tmp_path):
    assert reason_of(write(tmp_path, "rong.html", "<html><body><img src='a.png'></body></html>")) == "no text found in the page"


def _dev(pattern: str) -> list[Path]:
    paths = sorted(DEV.glob(pattern))
    if not paths:
        pytest.skip("dev corpus not available")
    return paths


def _gold(path: Path) -> dict:
    gold = DEV / "gold" / (path.name.split(".")[0] + ".json")
    return json.loads(gold.read_text(encoding="utf-8")) if gold.exists() else {}


def _gold_texts(path: Path) -> list[str]:
    gold = _gold(path)
    return [normalise(it["text"]) for kind in ("tasks", "shortcomings", "targets") for it in gold.get(kind, [])]


def test_dev_portal_pages():
    for path in _dev("*.html"):
        doc = read_document(path)
        found = FURNITURE_WORDS.search(doc.text)
        assert not found, f"{path.name}: {found.group(0)!r} survived"
        long_lines = [line for line in doc.text.split("\n") if len(line) >= 100]
        assert len(long_lines) >= 3, path.name
        assert doc.hints.get("title"), path.name
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", doc.hints.get("date", "")), path.name
        flat = " ".join(doc.text.split())
        for item in _gold_texts(path):
            assert " ".join(item.split()) in flat, f"{path.name}: lost {item[:60]!r}"


def test_dev_text_files_mark_furniture_but_keep_offsets():
    for path in _dev("*.txt"):
        doc = read_document(path)
        spans = doc.hints["furniture"]
        for a, b in spans:  # whole lines of the normalised text
            assert a == 0 or doc.text[a - 1] == "\n"
            assert b == len(doc.text) or doc.text[b] == "\n"
        marked = {doc.text[a:b].strip() for a, b in spans}
        for line in doc.text.split("\n"):
            s = line.strip()
            if re.match(r"(Lượt xem|Tin khác|Tin liên quan|Địa chỉ:|Điện thoại:|Email:|Thiết kế bởi|anh tin bai)", s):
                assert s in marked, f"{path.name}: {s!r} not marked"
        for item in _gold_texts(path):
            at = doc.text.find(item[:50])
            assert not any(a <= at < b for a, b in spans), f"{path.name}: gold item marked as furniture"


# --------------------------------------------------------------------------------------
# strip_furniture / furniture_spans on their own
# --------------------------------------------------------------------------------------

def test_furniture_lines_general_to_portals():
    text = "\n".join([
        "TRANG THÔNG TIN ĐIỆN TỬ XÃ AN BÌNH",
        "Trang chủ > Tin tức > Kinh tế",
        "Cập nhật: 18/09/2024 07:15 | Lượt xem: 412",
        "UBND xã yêu cầu các thôn ra quân tổng vệ sinh môi trường trước ngày 30/9/2024.",
        "Ảnh: Cán bộ xã kiểm tra vệ sinh môi trường",
        "Quang cảnh buổi làm việc. Ảnh: Minh Thư",
        "Bài viết liên quan:",
        "- Xã An Bình ra mắt mô hình dân vận khéo",
        "» Hội nghị tổng kết năm 2023 (12/01/2024)",
        "1 2 3 4 5 ...",
        "Gửi email | In trang | Về đầu trang",
        "Cơ quan thường trực: Văn phòng UBND xã - Địa chỉ: thôn 2, xã An Bình",
        "Giấy phép số 12/GP-TTĐT do Sở Thông tin và Truyền thông cấp.",
    ])
    assert strip_furniture(text) == "UBND xã yêu cầu các thôn ra quân tổng vệ sinh môi trường trước ngày 30/9/2024."


@pytest.mark.parametrize(
    "line",
    [
        "STT | Nội dung công việc | Đơn vị chủ trì | Thời gian hoàn thành",
        "1 | Cập nhật tin tức lên Cổng thông tin điện tử | Văn phòng | Hằng tuần",
        "2 | Văn bản | Liên hệ | Quý II",
        "Chia sẻ với phóng viên, ông Nguyễn Văn A cho biết huyện sẽ hoàn thành trước ngày 30/6.",
        "Thứ Hai, 08/01/2024, UBND huyện tổ chức hội nghị triển khai nhiệm vụ năm 2024.",
        "- Cổng thông tin điện tử tỉnh đăng tải đầy đủ các thủ tục hành chính.",
        "Tin khác với năm trước, năm nay tỉnh giao chỉ tiêu sớm hơn.",
        "có hiệu lực từ ngày",
        "01/01/2018.",
        "### 1. Những kết quả nổi bật",
        "- Gửi email báo cáo về Văn phòng UBND tỉnh trước ngày 15 hằng tháng.",
        "- Chịu trách nhiệm chính trước UBND tỉnh về kết quả giải ngân.",
        "Thiết kế và phát triển phần mềm quản lý hồ sơ đất đai trong năm 2024.",
        "Giấy phép số 15 cấp cho Công ty A đã hết hạn, đề nghị Sở Công Thương thu hồi.",
        "Cơ quan chủ quản các dự án phải hoàn thành quyết toán trước ngày 31/12.",
        "Bản quyền tác giả của các tác phẩm cần được bảo hộ theo quy định.",
    ],
)
def test_content_lines_are_not_furniture(line):
    assert furniture_spans(line) == []


def test_content_after_a_related_block_is_kept():
    text = "Tin liên quan\n- Tin một\n- Tin hai\nSở Y tế chủ trì, phối hợp với các địa phương kiểm tra an toàn thực phẩm."
    assert strip_furniture(text) == "Sở Y tế chủ trì, phối hợp với các địa phương kiểm tra an toàn thực phẩm."


def test_caption_rule_does_not_swallow_headings():
    text = "anh tin bai\n**II. Nhiệm vụ trọng tâm**\nanh tin bai\nLãnh đạo huyện phát biểu"
    assert strip_furniture(text) == "**II. Nhiệm vụ trọng tâm**"


# --------------------------------------------------------------------------------------
# iter_inputs, SUPPORTED, cheap import
# --------------------------------------------------------------------------------------

def test_iter_inputs_skips_annotations(tmp_path):
    folder = tmp_path / "in"
    for name in ["a.txt", "b.docx", "README.md", "SOURCES.md", "x.json", ".hidden.txt", "gold/a.json", "sub/c.html"]:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("x")
    named = tmp_path / "named.pdf"
    named.write_text("x")
    got = [p.relative_to(tmp_path).as_posix() for p in iter_inputs([folder, named])]
    assert got == ["in/a.txt", "in/b.docx", "in/sub/c.html", "named.pdf"]
    assert {".txt", ".md", ".html", ".htm", ".docx", ".pdf"} == SUPPORTED


def test_import_stays_light():
    code = "import sys, nlp.ingest; print([m for m in ('trafilatura', 'docx', 'pdfplumber', 'lxml') if m in sys.modules])"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).parents[1])
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"
