"""Deadlines in the forms of GUIDELINES.md, resolved against a document date."""
from datetime import date

import pytest

from nlp.dates import add_working_days, find_deadline, resolve

DOC = date(2024, 11, 6)  # a Wednesday


@pytest.mark.parametrize("phrase,iso", [
    ("trước ngày 15/11/2024", "2024-11-15"),
    ("chậm nhất ngày 30/11/2024", "2024-11-30"),
    ("trước ngày 15 tháng 11 năm 2024", "2024-11-15"),
    ("trước ngày 05-12-2024", "2024-12-05"),
    ("trước ngày 19.5", "2024-05-19"),
    ("trước 30/7", "2024-07-30"),
    ("hoàn thành trong tháng 10/2024", "2024-10-31"),
    ("Tháng 02/2024", "2024-02-29"),
    ("trong quý IV/2024", "2024-12-31"),
    ("Quý I/2025", "2025-03-31"),
    ("6 tháng đầu năm 2024", "2024-06-30"),
    ("6 tháng cuối năm 2024", "2024-12-31"),
    ("trong năm 2023", "2023-12-31"),
    ("trong vòng 10 ngày kể từ ngày ban hành Thông báo này", "2024-11-16"),
    ("trong vòng 05 ngày làm việc kể từ ngày ký", "2024-11-13"),
    ("thường xuyên", None),
    ("hằng tháng", None),
    ("trong thời hạn không quá 05 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ", None),
])
def test_resolve(phrase, iso):
    assert resolve(phrase, DOC) == iso


def test_relative_deadline_needs_document_date():
    assert resolve("trong vòng 10 ngày", None) is None
    assert resolve("trước 30/7", None) is None


def test_working_days_skip_weekend():
    # Friday + 1 working day is Monday
    assert add_working_days(date(2024, 11, 8), 1) == date(2024, 11, 11)


def test_find_deadline_in_a_directive():
    text = ("Giao Trung tâm Phát triển quỹ đất thành phố chủ trì tổ chức đối thoại với 21 hộ, "
            "báo cáo kết quả về UBND thành phố trước ngày 15 tháng 11 năm 2024.")
    dl = find_deadline(text, DOC)
    assert dl.iso == "2024-11-15"
    assert text[dl.start:dl.end] == dl.text == "trước ngày 15 tháng 11 năm 2024"


def test_recurring_deadline_keeps_words_without_date():
    dl = find_deadline("Tuyên truyền thường xuyên trên hệ thống loa truyền thanh", DOC)
    assert dl.iso is None and dl.text == "thường xuyên"


def test_response_time_in_hours_is_not_a_deadline():
    assert find_deadline("lập biên bản và xử lý trong vòng 24 giờ kể từ khi phát hiện", DOC) is None


@pytest.mark.parametrize("text, iso, words", [
    ("giải trình vụ việc và báo cáo lại lãnh đạo Bộ trong sáng nay 8/2/2017", "2017-02-08", "trong sáng nay 8/2/2017"),
    ("tổ chức ra quân tổng vệ sinh môi trường vào sáng Chủ nhật 22/9, bảo đảm 100% hộ tham gia", "2024-09-22",
     "vào sáng Chủ nhật 22/9"),
    # the words end with the time, not with the action after it
    ("chủ trì trong quý I trình Thủ tướng phê duyệt kế hoạch hành động", "2024-03-31", "trong quý I"),
])
def test_deadline_forms_of_news(text, iso, words):
    dl = find_deadline(text, DOC, 0, 2024)
    assert (dl.iso, dl.text) == (iso, words)


def test_a_time_before_the_assignment_is_the_deadline():
    from nlp import extract_text

    rec = extract_text("Trong năm 2017, Chính phủ giao các bộ, ngành, địa phương thanh tra, kiểm tra tối thiểu 30% "
                       "đơn vị trực thuộc về công tác cán bộ.\n", "tin.txt")
    task = next(t for t in rec["tasks"] if "thanh tra" in t["text"])
    assert task["deadline"] == "2017-12-31" and task["deadline_text"] == "Trong năm 2017"
