"""Canonical names of administrative units.

The same body is written many ways across reports: "UBND thị xã", "Ủy ban nhân dân
thị xã Chơn Thành", "UBND TX Chơn Thành". The register keeps the name as written and
a canonical form so that tasks can be deduplicated and filtered by unit:

* abbreviations are expanded (UBND → Ủy ban nhân dân, TN&MT → Tài nguyên và Môi
  trường …, see :data:`ABBREVIATIONS`);
* a short form that ends in a bare level word ("UBND thị xã", "Trung tâm Y tế huyện")
  takes the place name from the document's issuer;
* pre-2025 provinces and wards are mapped to their successors after the 1 July 2025
  reorganisation with underthesea's address data (``underthesea.convert_address``);
  districts were abolished, so district-level names stay as written.

Everything is offline and deterministic; results are cached.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

#: Abbreviation → expansion. Matched case-sensitively as whole tokens; longer first.
ABBREVIATIONS: dict[str, str] = {
    "HĐND-UBND": "Hội đồng nhân dân và Ủy ban nhân dân",
    "HĐND&UBND": "Hội đồng nhân dân và Ủy ban nhân dân",
    "UBMTTQVN": "Ủy ban Mặt trận Tổ quốc Việt Nam",
    "UBMTTQ": "Ủy ban Mặt trận Tổ quốc",
    "MTTQVN": "Mặt trận Tổ quốc Việt Nam",
    "MTTQ": "Mặt trận Tổ quốc",
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    "CCHC": "cải cách hành chính",
    "TTHC": "thủ tục hành chính",
    "GPMB": "giải phóng mặt bằng",
    "TN&MT": "Tài nguyên và Môi trường",
    "TN-MT": "Tài nguyên và Môi trường",
    "TNMT": "Tài nguyên và Môi trường",
    "TC-KH": "Tài chính - Kế hoạch",
    "TC&KH": "Tài chính - Kế hoạch",
    "TCKH": "Tài chính - Kế hoạch",
    "KT&HT": "Kinh tế và Hạ tầng",
    "KT-HT": "Kinh tế và Hạ tầng",
    "KTHT": "Kinh tế và Hạ tầng",
    "VH-TT&DL": "Văn hóa, Thể thao và Du lịch",
    "VHTT&DL": "Văn hóa, Thể thao và Du lịch",
    "VH,TT&DL": "Văn hóa, Thể thao và Du lịch",
    "VHTTDL": "Văn hóa, Thể thao và Du lịch",
    # VH-TT is "Văn hóa và Thông tin" for a district office, "Văn hóa và Thể thao"
    # for the Sở of Hà Nội, Hải Phòng, TP.HCM: see _VHTT_AFTER_SO.
    "VH-TT": "Văn hóa và Thông tin",
    "VH&TT": "Văn hóa và Thông tin",
    "VHTT": "Văn hóa và Thông tin",
    "LĐ-TB&XH": "Lao động - Thương binh và Xã hội",
    "LĐTB&XH": "Lao động - Thương binh và Xã hội",
    "LĐ-TBXH": "Lao động - Thương binh và Xã hội",
    "LĐTBXH": "Lao động - Thương binh và Xã hội",
    "NN&PTNT": "Nông nghiệp và Phát triển nông thôn",
    "NN-PTNT": "Nông nghiệp và Phát triển nông thôn",
    "NNPTNT": "Nông nghiệp và Phát triển nông thôn",
    "GD&ĐT": "Giáo dục và Đào tạo",
    "GD-ĐT": "Giáo dục và Đào tạo",
    "GDĐT": "Giáo dục và Đào tạo",
    "KH&ĐT": "Kế hoạch và Đầu tư",
    "KH-ĐT": "Kế hoạch và Đầu tư",
    "KHĐT": "Kế hoạch và Đầu tư",
    "KH&CN": "Khoa học và Công nghệ",
    "KH-CN": "Khoa học và Công nghệ",
    "KHCN": "Khoa học và Công nghệ",
    "TT&TT": "Thông tin và Truyền thông",
    "TTTT": "Thông tin và Truyền thông",
    "GTVT": "Giao thông vận tải",
    "BQLDA": "Ban Quản lý dự án",
    "QLDA": "Quản lý dự án",
    "PTQĐ": "Phát triển quỹ đất",
    "TTPTQĐ": "Trung tâm Phát triển quỹ đất",
    "TTYT": "Trung tâm Y tế",
    "BHXH": "Bảo hiểm xã hội",
    "BHYT": "bảo hiểm y tế",
    "ATGT": "an toàn giao thông",
    "ATTP": "an toàn thực phẩm",
    "PCCC&CNCH": "phòng cháy, chữa cháy và cứu nạn, cứu hộ",
    "PCCC": "phòng cháy, chữa cháy",
    "PCTT&TKCN": "phòng, chống thiên tai và tìm kiếm cứu nạn",
    "NTM": "nông thôn mới",
    "KBNN": "Kho bạc Nhà nước",
    "BCHQS": "Ban Chỉ huy Quân sự",
    # BCH is "Ban Chỉ huy" before Quân sự / phòng chống thiên tai, else "Ban Chấp hành"
    # (Đoàn, Hội, Đảng bộ): see _BCH.
    "BCH": "Ban Chấp hành",
    "QS": "Quân sự",
    "BCĐ": "Ban Chỉ đạo",
    "HLHPN": "Hội Liên hiệp Phụ nữ",
    "CĐS": "chuyển đổi số",
    "DN": "doanh nghiệp",
    "VP": "Văn phòng",
    "TP.HCM": "Thành phố Hồ Chí Minh",
    "TP. HCM": "Thành phố Hồ Chí Minh",
    "TP HCM": "Thành phố Hồ Chí Minh",
    "Tp.HCM": "Thành phố Hồ Chí Minh",
    "TPHCM": "Thành phố Hồ Chí Minh",
    "TP.": "thành phố",
    "Tp.": "thành phố",
    "TP": "thành phố",
    "TX.": "thị xã",
    "TX": "thị xã",
}

#: Official spellings of department names written several ways.
_VARIANTS: list[tuple[str, str]] = [
    (r"Kinh tế\s*-\s*Hạ tầng", "Kinh tế và Hạ tầng"),
    (r"Kế hoạch\s*-\s*Đầu tư", "Kế hoạch và Đầu tư"),
    (r"Tài chính và Kế hoạch", "Tài chính - Kế hoạch"),
    (r"Tài nguyên\s*-\s*Môi trường", "Tài nguyên và Môi trường"),
    (r"Giáo dục\s*-\s*Đào tạo", "Giáo dục và Đào tạo"),
    (r"Giao thông Vận tải", "Giao thông vận tải"),
    (r"Phòng Văn hóa\s*-\s*Thông tin", "Phòng Văn hóa và Thông tin"),
    (r"Nông nghiệp\s*-\s*Phát triển nông thôn", "Nông nghiệp và Phát triển nông thôn"),
]

_VHTT_AFTER_SO = re.compile(r"\bSở Văn hóa và Thông tin\b")
_BCH = re.compile(r"\bBCH(?=\s+(?:QS|Quân sự|quân sự|PCTT|phòng, chống thiên tai|Phòng chống thiên tai|PCCC)\b)")

#: Level words of Vietnamese administrative units, longest first so "thị xã" wins over "xã".
LEVELS = ("thành phố", "thị trấn", "thị xã", "tỉnh", "huyện", "quận", "phường", "xã", "đặc khu")
PROVINCE_LEVELS = ("tỉnh", "thành phố")
DISTRICT_LEVELS = ("huyện", "quận", "thị xã", "thành phố")
WARD_LEVELS = ("phường", "xã", "thị trấn", "đặc khu")

#: The reorganisation that abolished districts and merged provinces and wards.
REORGANISATION = date(2025, 7, 1)

_LEVEL_RE = re.compile(r"(?<!\w)(" + "|".join(LEVELS) + r")(?!\w)", re.IGNORECASE)
_ABBR_RE = re.compile(
    r"(?<![\w.-])("
    + "|".join(re.escape(a) for a in sorted(ABBREVIATIONS, key=len, reverse=True))
    + r")(?!\w)"
)
_PLURAL_BEFORE = re.compile(r"(?:\b(?:các|cấp|những|mỗi|từng|và)|[,;/])\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Place:
    """A level word and the proper name after it, with its span in the string."""

    level: str  # lower-cased level word: "tỉnh", "thị xã" …
    name: str  # proper name as written: "Chơn Thành"; "" for a bare level
    start: int
    end: int

    @property
    def text(self) -> str:
        return f"{self.level} {self.name}".strip()


def canonical_unit(name: str, issuer: str | None = None, as_of: date | str | None = None) -> str:
    """The canonical name of a unit as written, in the context of its document.

    ``issuer`` completes bare short forms ("UBND thị xã" → "Ủy ban nhân dân thị xã
    Chơn Thành"); ``as_of`` (the document's date) turns off the mapping to post-2025
    names for documents that already use them.
    """
    if not name or not name.strip():
        return ""
    if isinstance(as_of, str):
        as_of = _parse_date(as_of)
    return _canonical(name, issuer or "", as_of)


@lru_cache(maxsize=20000)
def _canonical(name: str, issuer: str, as_of: date | None) -> str:
    text = expand_abbreviations(name)
    context = expand_abbreviations(issuer) if issuer else ""
    text = _complete_from_issuer(text, context)
    if as_of is None or as_of < REORGANISATION:
        text = _to_current_names(text, context)
    return _tidy_levels(text)


def expand_abbreviations(text: str) -> str:
    """Expand the abbreviations of unit names and fix spelling variants."""
    text = normalise_spelling(text)
    text = re.sub(r"\b(TP|Tp|TX)\.(?=\S)", r"\1. ", text)  # "TP.Vinh" → "TP. Vinh"
    text = _BCH.sub("Ban Chỉ huy", text)
    text = _ABBR_RE.sub(lambda m: " " + ABBREVIATIONS[m.group(1)] + " ", text)
    text = re.sub(r"\s*&\s*", " và ", text)
    text = re.sub(r"\s*[–—]\s*", " - ", text)
    text = re.sub(r"(?<=[^\W\d_]{2})-(?=[^\W\d_]{2})", " - ", text)  # "Lao động-Thương binh"
    text = re.sub(r"\bBộ(?=[A-ZĐ])", "Bộ ", text)  # "BộVăn hóa" (lost space in HTML)
    text = " ".join(text.split())
    text = re.sub(r"\s+([,;.)])", r"\1", text)
    for pattern, replacement in _VARIANTS:
        text = re.sub(pattern, replacement, text)
    text = _VHTT_AFTER_SO.sub("Sở Văn hóa và Thể thao", text)
    return text.strip(" ,;")


def normalise_spelling(text: str) -> str:
    """NFC, one space, and the modern tone placement (Uỷ → Ủy, hoà → hòa)."""
    from underthesea.pipeline.text_normalize import token_normalize

    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[\u00a0\u2007\u202f\u200b\ufeff]", " ", text)
    return re.sub(r"\w+", lambda m: token_normalize(m.group(0)), text)


def find_places(text: str) -> list[Place]:
    """Every level word in ``text`` with the capitalised name that follows it.

    "Tỉnh ủy" and "Xã hội" are not places (the next word is not capitalised) unless
    the level word ends the string, where it is a bare level ("UBND thị xã").
    """
    places = []
    for m in _LEVEL_RE.finditer(text):
        name, end = _proper_name_after(text, m.end())
        if not name and text[m.end():].strip(" ,;.") != "":
            continue  # "Tỉnh ủy", "Xã hội", "huyện và …": not a place
        places.append(Place(m.group(1).lower(), name, m.start(), end))
    return places


def _proper_name_after(text: str, pos: int) -> tuple[str, int]:
    """The run of capitalised words (or numbers: "Phường 3") starting after ``pos``."""
    words, end = [], pos
    for m in re.finditer(r"\s+([^\s,;()]+)", text[pos:]):
        if m.start() != (end - pos):
            break
        word = m.group(1).rstrip(".")
        if not word or not (word[0].isupper() or word.isdigit()):
            break
        if _LEVEL_RE.fullmatch(word) or word.endswith(":") or "/" in word or word in ("Số", "SỐ"):
            break  # "UBND thành phố Long Khánh Số: 387/TB-UBND": the number line is not the name
        words.append(word)
        end = pos + m.start(1) + len(word)
    return " ".join(words), end


def _complete_from_issuer(text: str, issuer: str) -> str:
    """Give a trailing bare level word the issuer's place name ("UBND thị xã" → "… thị xã Chơn Thành")."""
    if not issuer:
        return text
    places = find_places(text)
    if not places:
        return text
    last = places[-1]
    if last.name or text[last.end:].strip(" ,;.") or _PLURAL_BEFORE.search(text[:last.start]):
        return text
    name = _issuer_place_name(issuer, last.level)
    if not name:
        return text
    if name.isupper():  # "UBND THỊ XÃ CHƠN THÀNH" in a header
        name = " ".join(w[:1] + w[1:].lower() for w in name.split())
    return f"{text[:last.end]} {name}"


def _issuer_place_name(issuer: str, level: str) -> str | None:
    """The name of the issuer's place of the given level, inferring the province from a district."""
    places = [p for p in find_places(issuer) if p.name]
    for place in places:
        if place.level == level:
            return place.name
    if level in PROVINCE_LEVELS:
        for place in places:
            if place.level in DISTRICT_LEVELS:
                province = _address_index().province_of_district(place.text)
                if province and province.lower().startswith(level + " "):
                    return province[len(level) + 1:]
    return None


def _to_current_names(text: str, issuer: str) -> str:
    """Replace pre-2025 province and ward names by their successors, where known."""
    places = [p for p in find_places(text) if p.name]
    if not places:
        return text
    issuer_places = [p for p in find_places(issuer) if p.name] if issuer else []
    replacements: list[tuple[int, int, str]] = []
    for i, place in enumerate(places):
        if _PLURAL_BEFORE.search(text[:place.start]):
            continue  # "các xã Bình Nguyên, Bình Quý": a list, not one ward
        if place.level in WARD_LEVELS:
            context = places[i + 1:] + issuer_places
            new = _current_ward(place, context)
        elif place.level in PROVINCE_LEVELS:
            new = _current_province(place)
        else:
            new = None
        if new and new.lower() != place.text.lower():
            replacements.append((place.start, place.end, new))
    for start, end, new in reversed(replacements):
        text = text[:start] + new + text[end:]
    return text


def _current_province(place: Place) -> str | None:
    """Post-2025 name of an old province ("tỉnh Bình Phước" → "tỉnh Đồng Nai"), via underthesea."""
    from underthesea import convert_address

    result = convert_address(place.text)
    if result.status.value == "not_found" or not result.new.province:
        return None
    return result.new.province


def _current_ward(place: Place, context: list[Place]) -> str | None:
    """Post-2025 name of an old ward, using the district/province around it to disambiguate."""
    district = next((p.text for p in context if p.level in DISTRICT_LEVELS and not _is_province(p)), None)
    province = next((p.text for p in context if _is_province(p)), None)
    return _address_index().current_ward(place.text, district, province)


def _is_province(place: Place) -> bool:
    return place.level in PROVINCE_LEVELS and _address_index().province_key(place.text) is not None


def _tidy_levels(text: str) -> str:
    """Lower-case level words inside a name ("UBND Huyện Cần Giuộc" → "… huyện Cần Giuộc")."""
    out = list(text)
    for place in find_places(text):
        if place.start > 0:
            out[place.start:place.start + len(place.level)] = list(place.level)
    return "".join(out)


# --- comparison keys -------------------------------------------------------------------


def unit_key(name: str) -> str:
    """Key to compare canonical names: lower case, modern tone placement, no punctuation."""
    text = normalise_spelling(name).lower()
    return " ".join(re.findall(r"\w+", text))


def fold(text: str) -> str:
    """Case- and diacritic-insensitive form for substring search ("Ủy ban" → "uy ban")."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("đ", "d").replace("Đ", "D").lower()
    return " ".join(text.split())


def _parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10])
    except (TypeError, ValueError):
        return None


# --- underthesea's old → new address data ----------------------------------------------


class _AddressIndex:
    """Look-ups over underthesea's ward mapping (old province/district/ward → new ward).

    ``convert_address`` falls back to the ward name alone when the district does not
    match, which can pick a namesake in another district; here a ward is only mapped
    when its district or province context makes the answer unique.
    """

    def __init__(self) -> None:
        from underthesea.address.normalizer import normalize_key

        self._key = normalize_key
        data = _mapping_data()
        self.province_names = {k: v["name"] for k, v in data["old_province_names"].items()}
        self.exact: dict[tuple[str, str, str], list[dict]] = {}
        self.by_ward: dict[str, list[dict]] = {}
        self.district_provinces: dict[str, set[str]] = {}
        for rec in data["ward_mapping"]:
            key = (rec["old_province_key"], rec["old_district_key"], rec["old_ward_key"])
            self.exact.setdefault(key, []).append(rec)
            self.by_ward.setdefault(rec["old_ward_key"], []).append(rec)
            self.district_provinces.setdefault(rec["old_district_key"], set()).add(rec["old_province_key"])

    def province_key(self, text: str) -> str | None:
        key = self._key(text)
        return key if key in self.province_names else None

    def province_of_district(self, district: str) -> str | None:
        provinces = self.district_provinces.get(self._key(district), set())
        return self.province_names[next(iter(provinces))] if len(provinces) == 1 else None

    def current_ward(self, ward: str, district: str | None, province: str | None) -> str | None:
        ward_key = self._key(ward)
        candidates = self.by_ward.get(ward_key, [])
        if not candidates:
            return None
        prov_key = self.province_key(province) if province else None
        dist_key = self._key(district) if district else None
        if dist_key and not prov_key:
            provinces = self.district_provinces.get(dist_key, set())
            prov_key = next(iter(provinces)) if len(provinces) == 1 else None
        if prov_key:
            candidates = [r for r in candidates if r["old_province_key"] == prov_key]
        if dist_key:  # a named district must hold the ward, else the name is not confirmed
            candidates = [r for r in candidates if r["old_district_key"] == dist_key]
        return _unique_new_ward(candidates, ward)


def _mapping_data() -> dict:
    """The data behind ``convert_address``; empty (no ward mapping) if a release moves it."""
    try:
        from underthesea.address import converter

        converter._load_data()
        data = converter._mapping_data
        if data and {"old_province_names", "ward_mapping"} <= set(data):
            return data
    except (ImportError, AttributeError, OSError, ValueError):
        pass
    return {"old_province_names": {}, "ward_mapping": []}


def _unique_new_ward(records: list[dict], ward: str) -> str | None:
    """The new ward the records agree on (or the default of a divided ward), else None."""
    olds = {(r["old_province_key"], r["old_district_key"], r["old_ward_key"]) for r in records}
    if len(olds) > 1:  # keys drop diacritics: "Thủy Thanh" and "Thụy Thanh" share one
        records = [r for r in records if unit_key(r["old_ward"]) == unit_key(ward)]
        olds = {(r["old_province_key"], r["old_district_key"], r["old_ward_key"]) for r in records}
    if not records:
        return None
    if len(olds) > 1:
        return None  # namesakes in different districts or provinces
    news = {r["new_ward"] for r in records}
    if len(news) == 1:
        return news.pop()
    defaults = [r["new_ward"] for r in records if r.get("is_default")]
    return defaults[0] if len(defaults) == 1 else None


@lru_cache(maxsize=1)
def _address_index() -> _AddressIndex:
    return _AddressIndex()
