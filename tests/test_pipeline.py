"""The pipeline end to end on real Vietnamese documents."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from nlp import extract_text
from nlp.ingest import read_document
from nlp.pipeline import load_pipeline

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
SEED = SHARED / "dev" / "chonthanh-cchc-2023-09-22.txt"
needs_shared = pytest.mark.skipif(not SEED.exists(), reason="../shared/corpus is not beside this checkout")

NOTICE = """ỦY BAN NHÂN DÂN HUYỆN ĐỨC HÒA
Số: 120/TB-UBND                          Đức Hòa, ngày 12 tháng 3 năm 2024
THÔNG BÁO
Kết luận của Chủ tịch UBND huyện tại cuộc họp về công tác giải phóng mặt bằng
Ngày 10/3/2024, đồng chí Nguyễn Văn Tâm - Chủ tịch UBND huyện chủ trì cuộc họp.
Tuy nhiên, tiến độ bồi thường còn chậm; nhiều hộ dân chưa đồng thuận với đơn giá bồi thường.
Chủ tịch UBND huyện kết luận như sau:
1. Phòng Tài chính - Kế hoạch:
- Tham mưu bố trí vốn cho dự án đường tỉnh 825, hoàn thành trước ngày 30/3/2024.
- Phối hợp với Kho bạc Nhà nước huyện theo dõi số liệu giải ngân, báo cáo UBND huyện hằng tháng.
2. Giao Trung tâm Phát triển quỹ đất huyện chủ trì, phối hợp với UBND xã Đức Lập Hạ, UBND xã Mỹ Hạnh Nam tổ chức đối thoại với các hộ dân, báo cáo kết quả trong vòng 10 ngày kể từ ngày ký Thông báo này.
3. Phấn đấu giải ngân đạt tối thiểu 95% kế hoạch vốn năm 2024.
Nơi nhận:
- Phòng Tài chính - Kế hoạch;
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
(Đã ký)
Lê Văn Bình
"""


def test_items_point_back_to_their_source():
    rec = extract_text(NOTICE, "tb.txt")
    for kind in ("tasks", "shortcomings", "targets"):
        for it in rec[kind]:
            assert NOTICE[it["start"]:it["end"]] == it["text"]
            assert 0 < it["confidence"] <= 1 and len(it["id"]) == 12


def test_list_items_inherit_owner_and_coordinators_are_split():
    rec = extract_text(NOTICE, "tb.txt")
    assert rec["meta"]["date"] == "2024-03-12"
    by_text = {t["text"]: t for t in rec["tasks"]}
    budget = next(t for t in rec["tasks"] if t["text"].startswith("Tham mưu bố trí vốn"))
    assert budget["owners"] == ["Phòng Tài chính - Kế hoạch"]
    assert budget["deadline"] == "2024-03-30"
    dialogue = next(t for t in rec["tasks"] if "đối thoại" in t["text"])
    assert dialogue["owners"] == ["Trung tâm Phát triển quỹ đất huyện"]
    assert dialogue["coordinators"] == ["UBND xã Đức Lập Hạ", "UBND xã Mỹ Hạnh Nam"]
    assert dialogue["deadline"] == "2024-03-22"  # 10 days after 12/3/2024
    # recipients and the signer never become owners
    owners = {o for t in rec["tasks"] for o in t["owners"]}
    assert "Lê Văn Bình" not in " ".join(owners)
    assert len(by_text) == len(rec["tasks"])


def test_shortcomings_are_split_at_semicolons():
    rec = extract_text(NOTICE, "tb.txt")
    texts = [s["text"] for s in rec["shortcomings"]]
    assert any("tiến độ bồi thường còn chậm" in t for t in texts)
    assert any("chưa đồng thuận" in t for t in texts)
    assert not any(";" in t for t in texts)


def test_target_value_and_year():
    rec = extract_text(NOTICE, "tb.txt")
    values = {t["value"]: t for t in rec["targets"]}
    assert "95%" in values
    assert values["95%"]["deadline"] == "2024-12-31"


@needs_shared
def test_seed_report():
    rec = load_pipeline()(read_document(SEED)).to_dict()
    assert rec["doc"] == SEED.name
    assert rec["meta"]["date"] == "2023-09-22"
    owners = [o for t in rec["tasks"] for o in t["owners"]]
    assert "Thủ trưởng các cơ quan, đơn vị, địa phương" in owners
    assert len(rec["tasks"]) >= 6
    assert any("ký số còn thấp" in s["text"] for s in rec["shortcomings"])
    # portal furniture never yields items
    for kind in ("tasks", "shortcomings", "targets"):
        for it in rec[kind]:
            assert "Lượt xem" not in it["text"] and "Điện thoại" not in it["text"]


def _taskreg(*args, stdin=None):
    exe = Path(sys.executable).with_name("taskreg")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, input=stdin, cwd=ROOT, timeout=600)


def test_cli_batch_goes_on_past_bad_files(tmp_path):
    (tmp_path / "tb.txt").write_text(NOTICE, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "scan.xyz").write_bytes(b"\x00\x01garbage")
    res = _taskreg("extract", str(tmp_path), "--format", "jsonl", "--jobs", "1")
    assert res.returncode == 1
    lines = [json.loads(x) for x in res.stdout.splitlines()]
    assert [r["doc"] for r in lines] == ["tb.txt"]
    err = res.stderr.strip().splitlines()
    assert any("empty.txt" in e for e in err) and any("scan.xyz" in e for e in err)


def test_cli_reads_stdin():
    res = _taskreg("extract", "-", "--jobs", "1", stdin=NOTICE)
    assert res.returncode == 0, res.stderr
    rec = json.loads(res.stdout)
    assert rec["doc"] == "-" and rec["tasks"]


@needs_shared
def test_evaluate_meets_the_foundation_bar():
    from nlp.evaluate import evaluate_corpus

    report = evaluate_corpus(SHARED / "dev")
    assert report["documents"] == 25
    assert report["scores"]["tasks"]["f1"] >= 0.80
    assert report["scores"]["shortcomings"]["f1"] >= 0.70


def test_refs_come_from_the_span_ruler():
    text = ("Giao Phòng Nội vụ chủ trì rà soát các nội dung theo Kế hoạch số 11/KH-UBND ngày 13/01/2023 "
            "và Quyết định số 1961/QĐ-UBND ngày 28 tháng 8 năm 2019, thực hiện theo Luật Đất đai năm 2024, "
            "hoàn thành trước ngày 30/11/2024.")
    rec = extract_text(text, "cv.txt")
    task = rec["tasks"][0]
    assert task["refs"] == ["Kế hoạch số 11/KH-UBND ngày 13/01/2023",
                            "Quyết định số 1961/QĐ-UBND ngày 28 tháng 8 năm 2019", "Luật Đất đai năm 2024"]
    assert task["owners"] == ["Phòng Nội vụ"]
    assert task["deadline"] == "2024-11-30"


@pytest.mark.parametrize("clause, owners, action", [
    # the action opens with a verb the lexicon does not list: underthesea's tagger finds it
    ("UBND TP.HCM có phản ứng kịp thời tình hình từ nay đến cuối năm", ["UBND TP.HCM"], "có phản ứng"),
    ("Sở Xây dựng trao đổi bằng văn bản gửi về Cơ quan An ninh điều tra", ["Sở Xây dựng"], "trao đổi"),
    ("Văn phòng Chính phủ tiếp thu các ý kiến của các bộ, ngành", ["Văn phòng Chính phủ"], "tiếp thu"),
    # adverbials end a unit name too
    ("các cục hải quan tỉnh, thành phố định kỳ hàng năm báo cáo về Tổng cục", ["các cục hải quan tỉnh, thành phố"], "định kỳ"),
    ("Ngân hàng Nhà nước, một mặt đảm bảo tăng mức tín dụng", ["Ngân hàng Nhà nước"], "một mặt"),
    # verbs inside unit names do not
    ("Bộ Giao thông vận tải nghiên cứu đầu tư tuyến cao tốc", ["Bộ Giao thông vận tải"], "nghiên cứu"),
    ("Thủ trưởng các cơ quan chuyên môn thuộc UBND huyện, Chủ tịch UBND các xã, thị trấn chỉ đạo công chức",
     ["Thủ trưởng các cơ quan chuyên môn thuộc UBND huyện", "Chủ tịch UBND các xã, thị trấn"], "chỉ đạo"),
])
def test_owner_names_end_where_the_action_begins(clause, owners, action):
    from nlp.slots import parse_owner_chunk

    spans, action_start = parse_owner_chunk(clause, 0, len(clause), assigned=True)
    assert [clause[a:b] for a, b in spans] == owners
    assert clause[action_start:].startswith(action)


def test_reported_directive_with_an_unlisted_verb():
    rec = extract_text("Thủ tướng Chính phủ yêu cầu UBND TP.HCM có phản ứng kịp thời, xử lý nghiêm tình trạng "
                       "sốt đất ảo trên địa bàn.\n", "tin.txt")
    task = next(t for t in rec["tasks"] if "sốt đất ảo" in t["text"])
    assert task["owners"] == ["UBND TP.HCM"]
    assert task["text"].startswith("có phản ứng kịp thời")


@pytest.mark.parametrize("sentence, weaknesses", [
    # the reaction after the weaknesses is no weakness of its own
    ("Trước việc sắp xếp cán bộ, công chức ở một số nơi chưa phù hợp, tình trạng bổ nhiệm cán bộ không đủ tiêu chuẩn "
     "vẫn diễn ra, cử tri và nhân dân kiến nghị Chính phủ chỉ đạo quyết liệt việc này.",
     ["việc sắp xếp cán bộ, công chức ở một số nơi chưa phù hợp", "tình trạng bổ nhiệm cán bộ không đủ tiêu chuẩn vẫn diễn ra"]),
    # "những tồn tại … là A và B": the list after "là", one item each
    ("Đại biểu băn khoăn về những tồn tại lớn trong đầu tư xây dựng cơ bản là giải ngân vốn chậm và một số khoản "
     "nguồn vốn chưa xử lý được.",
     ["giải ngân vốn chậm", "một số khoản nguồn vốn chưa xử lý được"]),
    # causes given "một phần do …, một phần do …"
    ("Nguyên nhân là một phần do cơ sở khám chữa bệnh gửi hồ sơ quyết toán chậm, một phần do tỉnh bị bội chi quỹ BHYT.",
     ["cơ sở khám chữa bệnh gửi hồ sơ quyết toán chậm", "tỉnh bị bội chi quỹ BHYT"]),
    # an incident in news has no report word, yet it is the weakness
    ("Theo phản ánh của người dân, tàu mới đi vào hoạt động nhưng trục trặc liên tục, gỉ sét.",
     ["tàu mới đi vào hoạt động nhưng trục trặc liên tục, gỉ sét"]),
])
def test_shortcoming_spans_in_news(sentence, weaknesses):
    from nlp.extract import shortcoming_items
    from nlp.ingest import read_text
    from nlp.segment import segment, sentences

    doc = segment(read_text(sentence + "\n", "tin.txt"))
    items = [it for s in sentences(doc) for it in shortcoming_items(doc, s)]
    assert [it.text for it in items] == weaknesses


@pytest.mark.parametrize("sentence, value, metric", [
    ("Phấn đấu 90% người dân trong độ tuổi có tài khoản định danh điện tử mức độ 2.", "90%",
     "người dân trong độ tuổi có tài khoản định danh điện tử mức độ 2"),
    ("Năm 2025, phấn đấu tỷ lệ thanh toán trực tuyến phí, lệ phí đạt từ 45% trở lên.", "45%",
     "tỷ lệ thanh toán trực tuyến phí, lệ phí"),
    ("Phấn đấu giảm ít nhất 10% số ca mắc sốt xuất huyết so với năm 2023.", "10%", "số ca mắc sốt xuất huyết"),
    ("Phấn đấu giảm ít nhất 100 hộ nghèo trong năm 2024.", "100 hộ", "hộ nghèo"),
    ("Phấn đấu giải ngân 100% kế hoạch vốn đầu tư công năm 2024.", "100%", "giải ngân kế hoạch vốn đầu tư công năm 2024"),
    ("Tỷ lệ giải quyết hồ sơ đúng hạn đạt 98,9%, vượt chỉ tiêu 95% tỉnh giao.", "95%", "Tỷ lệ giải quyết hồ sơ đúng hạn"),
    ("Tỉnh phấn đấu đạt được số thu tối thiểu 29.000 tỉ đồng.", "29.000 tỉ đồng", "số thu"),
])
def test_target_metric_and_value(sentence, value, metric):
    from nlp.extract import target_items
    from nlp.ingest import read_text
    from nlp.segment import segment, sentences

    doc = segment(read_text(sentence + "\n", "kh.txt"))
    items = [it for s in sentences(doc) for it in target_items(doc, s)]
    assert [(it.fields["value"], it.fields["metric"]) for it in items] == [(value, metric)]


@pytest.mark.parametrize("clause, owners", [
    ("Cụ thể, các bộ, ngành, địa phương phải tiếp tục nghiên cứu, hoàn thiện khung thể chế", ["các bộ, ngành, địa phương"]),
    ("Tiếp tục đề nghị các đơn vị ngoài Ngành giám định đối với các mẫu hàng khai là phế liệu", ["các đơn vị ngoài Ngành"]),
    ("Doanh nghiệp sử dụng lao động có trách nhiệm chi trả toàn bộ chi phí y tế", ["Doanh nghiệp sử dụng lao động"]),
    ("Tỉnh cần có cơ chế, chính sách quan tâm đào tạo cán bộ trẻ", ["Tỉnh"]),
    # a condition first, then the subjects who must act
    ("Trường hợp không đủ chứng từ theo yêu cầu, hãng tàu và DN phối hợp với cảng để chuyển cảng dỡ hàng", ["hãng tàu", "DN"]),
    # a cue right after a comma takes its subject from before; the owners follow it
    ("Thành phố có 84 đầu việc, yêu cầu các sở, ngành khẩn trương triển khai thực hiện", ["các sở, ngành"]),
    # the unit gives the directive, it does not receive it
    ("Thủ tướng chỉ thị đẩy mạnh hỗ trợ, tháo gỡ vướng mắc cho doanh nghiệp", []),
    ("Bộ Giao thông vận tải có văn bản hướng dẫn rà soát lại chi phí đầu tư các dự án BOT", ["Bộ Giao thông vận tải"]),
    # no verb of the lexicon after the unit: the tagger's verb ends it
    ("Chủ tịch UBND TPHCM giao Cục Hải quan TPHCM phấn đấu thu ngân sách năm 2020 đạt 103.500 tỷ đồng để bù đắp "
     "sự thiếu hụt của ngân sách thành phố do ảnh hưởng của dịch bệnh", ["Cục Hải quan TPHCM"]),
    ("Đồng thời Sở VHTT TP Hải Phòng báo cáo biện pháp khắc phục hậu quả về Cục Văn hóa cơ sở", ["Sở VHTT TP Hải Phòng"]),
    ("Giao Thường trực Hội đồng\nnhân dân, các Ban của Hội đồng nhân dân và các đại\nbiểu Hội đồng nhân dân tỉnh theo "
     "nhiệm vụ, quyền hạn đã được pháp luật quy định\ntổ chức kiểm tra và giám sát việc thực hiện Nghị quyết",
     ["Thường trực Hội đồng nhân dân", "các Ban của Hội đồng nhân dân", "các đại biểu Hội đồng nhân dân tỉnh"]),
])
def test_owners_after_an_opener_or_before_a_modal(clause, owners):
    from nlp.slots import find_assignment

    asg = find_assignment(clause, 0, len(clause))
    assert [" ".join(clause[a:b].split()) for a, b in asg.owners] == owners


@needs_shared
def test_a_directive_in_the_lead_and_the_body_is_one_task():
    """vnnews-11: the lead sums up the Prime Minister's request to Bộ Công an, the body quotes it."""
    rec = load_pipeline()(read_document(SHARED / "real" / "vnnews-11.txt")).to_dict()
    recall = [t for t in rec["tasks"] if "thu hồi biển số 80A" in t["text"]]
    assert len(recall) == 1
    assert recall[0]["owners"] == ["Bộ Công an"] and recall[0]["deadline"] == "2017-06-30"
    assert "tổng hợp báo cáo" in recall[0]["text"]  # the fuller mention, from the body


def test_ban_giao_hands_over_and_does_not_assign():
    """"bàn giao 100% mặt bằng" is an action; only "giao <unit>" assigns."""
    from nlp.lexicon import STRONG_ASSIGN
    from nlp.slots import find_assignment

    assert STRONG_ASSIGN.search("quận phấn đấu bàn giao 100% mặt bằng trước ngày 30/9/2024") is None
    clause = "Chủ tịch UBND huyện giao Phòng Tài chính - Kế hoạch bàn giao hồ sơ cho Ban Quản lý dự án"
    asg = find_assignment(clause, 0, len(clause))
    assert [clause[a:b] for a, b in asg.owners] == ["Phòng Tài chính - Kế hoạch"]


def test_a_formal_title_yields_no_item():
    """Even when the classifier calls every sentence an item, the title of a plan gives none."""
    from nlp.meta import extract_meta
    from nlp.ingest import read_text
    from nlp.segment import segment, sentences

    text = ("ỦY BAN NHÂN DÂN HUYỆN LỘC NINH\nSố: 45/KH-UBND                    Lộc Ninh, ngày 26 tháng 02 năm 2024\n"
            "KẾ HOẠCH\nNâng cao Chỉ số cải cách hành chính (PAR Index), Chỉ số hài lòng của người dân (SIPAS) năm 2024\n"
            "I. MỤC TIÊU\n1. Phấn đấu Chỉ số SIPAS của huyện đạt trên 85%.\n")
    doc = extract_meta(segment(read_text(text, "kh.txt")))
    assert doc.meta["title"].startswith("Nâng cao Chỉ số cải cách hành chính")
    for s in sentences(doc):
        s.label, s.proba = "task+shortcoming+target", {"task": 1.0, "shortcoming": 1.0, "target": 1.0}
    items = load_pipeline()._extract(doc).items
    assert items and all(it.start > text.index("I. MỤC TIÊU") for it in items)
    assert any(it.kind == "target" and it.fields["value"] == "85%" for it in items)


@pytest.mark.parametrize("sentence, reported", [
    ("Về các kiến nghị của Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam, Thủ tướng đồng tình và giao các cơ quan chức năng thực hiện.", True),
    ("Tại cuộc họp, Tổng cục trưởng Nguyễn Văn Cẩn đã chỉ đạo các đơn vị sớm hoàn thiện báo cáo Bộ Tài chính kiến nghị Thủ tướng giải pháp.", True),
    ("Bộ Kế hoạch và Đầu tư kiến nghị Thủ tướng giao các bộ nghiên cứu cơ chế đặc thù.", False),
    ("Bộ Công Thương sẽ yêu cầu các đơn vị rà soát lại hồ sơ.", False),
])
def test_a_reported_directive_is_judged_in_its_speakers_clause(sentence, reported):
    from nlp.lexicon import reports_directive

    assert reports_directive(sentence) is reported


def test_names_broken_over_lines_are_found_and_read_as_one():
    """Scraped resolutions wrap lines inside names: "Thường trực Hội đồng\\nnhân dân tỉnh"."""
    text = ("Điều 2. Tổ chức thực hiện\n1. Giao Thường trực Hội đồng\nnhân dân tỉnh, các Ban Hội đồng nhân dân tỉnh trong "
            "phạm vi nhiệm vụ, quyền hạn của mình có\ntrách nhiệm giám sát việc thực hiện Nghị quyết này.\n")
    rec = extract_text(text, "nq.txt")
    task = next(t for t in rec["tasks"] if "giám sát" in t["text"])
    assert task["owners"] == ["Thường trực Hội đồng nhân dân tỉnh", "các Ban Hội đồng nhân dân tỉnh"]
    assert text[task["start"]:task["end"]] == task["text"]


def test_wrapped_lines_that_go_on_with_a_number_or_a_name_are_joined():
    """Resolutions scraped at 80 columns: "Phấn đấu năm\\n2020 tỷ lệ …" is one sentence."""
    from nlp.ingest import read_text
    from nlp.segment import segment, sentences

    body = ("- Yêu cầu Ủy ban nhân dân tỉnh ban hành quy định về giá dịch vụ thu gom, vận\n"
            "chuyển rác thải sinh hoạt trong quý I năm 2020. Sở Tài nguyên và Môi trường chủ\n"
            "trì, phối hợp với Sở Xây dựng rà soát, đánh giá hiệu quả các lò đốt rác quy mô\n"
            "nhỏ, báo cáo Ủy ban nhân dân tỉnh trước ngày 31 tháng 3 năm 2020. Phấn đấu năm\n"
            "2020 tỷ lệ rác thải sinh hoạt nông thôn được thu gom, xử lý đạt 80%. Đồng thời\n"
            "Ủy ban nhân dân các huyện chỉ đạo các xã bố trí điểm tập kết rác thải hợp vệ sinh.\n"
            "3. Về cấp giấy chứng nhận quyền sử dụng đất\n")
    doc = segment(read_text(body, "nq.txt"))
    texts = [" ".join(doc.text[s.start:s.end].split()) for s in sentences(doc)]
    assert "Phấn đấu năm 2020 tỷ lệ rác thải sinh hoạt nông thôn được thu gom, xử lý đạt 80%." in texts
    assert any(t.startswith("Đồng thời Ủy ban nhân dân các huyện chỉ đạo") for t in texts)
    assert texts[-1] == "Về cấp giấy chứng nhận quyền sử dụng đất"


def test_a_leaders_quoted_order_is_a_task_and_the_speaker_no_owner():
    text = ("Xử lý dứt điểm các dự án thua lỗ\nBáo cáo giải trình trước Quốc hội chiều 15/6/2017, Phó Thủ tướng nêu nhiều "
            "giải pháp. Phó Thủ tướng cũng khẳng định: “Kiên quyết xử lý các doanh nghiệp, dự án thua lỗ, không hiệu quả "
            "theo cơ chế thị trường, không dùng ngân sách nhà nước để hỗ trợ”.\n")
    rec = extract_text(text, "tin.txt")
    task = next(t for t in rec["tasks"] if "thua lỗ, không hiệu quả" in t["text"])
    assert not any("khẳng định" in o for o in task["owners"])


def test_paragraphs_after_a_colon_lead_in_are_its_items():
    """News sets a directive's parts out as paragraphs without numbers; they inherit the lead-in."""
    text = ("Tổng cục Hải quan chấn chỉnh khai báo\n"
            "Để chuẩn hóa cơ sở dữ liệu, Tổng cục Hải quan yêu cầu các cục hải quan tỉnh, thành phố:\n\n"
            "Hướng dẫn doanh nghiệp khai báo đầy đủ số lượng trên tờ khai hải quan theo Thông tư 39/2018/TT-BTC.\n\n"
            "Rà soát toàn bộ dữ liệu tại đơn vị, báo cáo kết quả thực hiện về Tổng cục trước ngày 31/12/2020.\n\n"
            "Theo Tổng cục Hải quan, thời gian qua nhiều doanh nghiệp khai báo sai mã số.\n")
    rec = extract_text(text, "tin.txt")
    items = [t for t in rec["tasks"] if t["text"].startswith(("Hướng dẫn", "Rà soát"))]
    assert len(items) == 2
    assert all(t["owners"] == ["các cục hải quan tỉnh, thành phố"] for t in items)
    assert not any("sai mã số" in t["text"] for t in rec["tasks"])
