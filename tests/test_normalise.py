"""normalise(): one canonical spelling, so rules written once match every input."""
from __future__ import annotations

import glob
import unicodedata

import pytest

from nlp.normalise import normalise, place_tone


@pytest.mark.parametrize(
    "given, expected",
    [
        ("Hoà Bình", "Hòa Bình"),
        ("Khánh Hoà", "Khánh Hòa"),
        ("hoá chất", "hóa chất"),
        ("thuỷ lợi", "thủy lợi"),
        ("Uỷ ban nhân dân", "Ủy ban nhân dân"),
        ("sức khoẻ", "sức khỏe"),
        ("thuý", "thúy"),
        ("tuỳ theo", "tùy theo"),
        ("goá bụa", "góa bụa"),
        ("xoè", "xòe"),
        ("loà", "lòa"),
        ("hoạ", "họa"),  # dot below moves too
        ("luỹ kế", "lũy kế"),
    ],
)
def test_open_oa_oe_uy_take_the_tone_on_the_first_vowel(given, expected):
    assert normalise(given) == expected


@pytest.mark.parametrize(
    "word",
    [
        "hoàn thành", "khuyến khích", "thuyết minh", "khoảng", "hoạch", "toàn", "quyết định",
        "Quý IV", "quý", "quỳ", "quả", "quản lý", "quỹ", "Quỳnh", "hòa", "thủy", "khỏe", "nghĩa", "thuở",
    ],
)
def test_closed_syllables_and_qu_keep_their_tone(word):
    assert normalise(word) == word


@pytest.mark.parametrize(
    "given, expected",
    [("KHÁNH HOÀ", "KHÁNH HÒA"), ("THUỶ LỢI", "THỦY LỢI"), ("UỶ BAN", "ỦY BAN"), ("Hoá", "Hóa"), ("QUÝ", "QUÝ")],
)
def test_upper_case_is_kept(given, expected):
    assert normalise(given) == expected


def test_place_tone_never_changes_length():
    for word in ["hoà", "Hoà", "thuỷ", "quý", "hoàn", "khoẻ", "a", ""]:
        assert len(place_tone(word)) == len(word)


def test_decomposed_input_is_composed():
    nfd = unicodedata.normalize("NFD", "Ủy ban nhân dân tỉnh Khánh Hòa")
    assert normalise(nfd) == "Ủy ban nhân dân tỉnh Khánh Hòa"
    assert unicodedata.is_normalized("NFC", normalise(nfd))


def test_decomposed_old_style_tone_is_moved_after_composition():
    nfd = unicodedata.normalize("NFD", "Khánh Hoà")
    assert normalise(nfd) == "Khánh Hòa"


def test_line_ends_become_lf():
    assert normalise("a\r\nb\rc\nd") == "a\nb\nc\nd"
    assert normalise("trang 1\x0ctrang 2") == "trang 1\ntrang 2"  # PDF form feed


def test_spaces_and_invisible_characters():
    # no-break and narrow spaces become one ordinary space each: offsets stay aligned
    assert normalise("Sở\u00a0Tài\u202fchính") == "Sở Tài chính"
    # zero-width characters and soft hyphens vanish, so the word matches again
    assert normalise("chủ\u200b trì\ufeff, phối\u00adhợp") == "chủ trì, phốihợp"
    assert normalise("\ufeffBáo cáo") == "Báo cáo"


def test_idempotent_on_real_texts():
    paths = sorted(glob.glob("/work/shared/corpus/dev/*.txt"))[:10]
    if not paths:
        pytest.skip("dev corpus not available")
    for path in paths:
        once = normalise(open(path, encoding="utf-8-sig").read())
        assert normalise(once) == once
        assert "\r" not in once and "\u00a0" not in once
        assert "oà " not in once and "uỷ " not in once.lower()


def test_eth_look_alike_becomes_d_stroke():
    # "Ð" (U+00D0) and "ð" look exactly like "Đ"/"đ" and come out of old converters
    assert normalise("\u00d0ồng Nai, \u00f0ô thị") == "Đồng Nai, đô thị"
