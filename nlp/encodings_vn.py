"""Legacy Vietnamese 8-bit encodings and how to tell them apart.

Older government files are often not Unicode but TCVN3 (the "ABC" fonts, .VnTime)
or VNI-Windows (VNI-Times), saved as plain single-byte text that any reader shows as
cp1252 mojibake ("Céng hoµ", "Coäng hoøa"). Neither has a Python codec, so the
tables are here. Which encoding a file is in cannot be told from one byte: every
byte is legal in all of them. :func:`best_decoding` decodes with each candidate and
keeps the one whose words are most often valid Vietnamese syllables.
"""
from __future__ import annotations

import re
import unicodedata

# --- the byte layer both legacy encodings sit on ---------------------------------

def _cp1252_table() -> list[str]:
    """cp1252 for every byte; the five bytes cp1252 leaves undefined read as Latin-1."""
    out = []
    for b in range(256):
        try:
            out.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(b))
    return out


_CP1252 = _cp1252_table()

# --- TCVN3 (TCVN 5712:1993 VN3, the "ABC" fonts) -----------------------------------
# Bytes 0xA0-0xFF, one character each (0xB0-0xB4 are combining tone marks).
# VN3 proper only defines the lower-case letters plus ĂÂÊÔƠƯĐ: upper-case toned
# letters were written with the lower-case codes in an upper-case font (.VnTimeH).
# The few upper-case letters VN1 puts among them are kept, so VN1 text decodes too.
# Below 0xA0 the ABC fonts follow Windows (quotes, dashes), so cp1252 is used.
TCVN3_HIGH = (
    "\u00a0ĂÂÊÔƠƯĐăâêôơưđẰ"  # A0-AF
    "\u0300\u0309\u0303\u0301\u0323àảãáạẲằẳẵắẴ"  # B0-BF
    "ẮẦẨẪẤỀặầẩẫấậèỂẻẽ"  # C0-CF
    "éẹềểễếệìỉỄẾỒĩíịò"  # D0-DF
    "Ổỏõóọồổỗốộờởỡớợù"  # E0-EF
    "ỖủũúụừửữứựỳỷỹýỵỐ"  # F0-FF
)
assert len(TCVN3_HIGH) == 96

_TCVN3_DECODE = {b: _CP1252[b] for b in range(0x80, 0xA0)}
_TCVN3_DECODE.update({0xA0 + i: ch for i, ch in enumerate(TCVN3_HIGH)})
_TCVN3_ENCODE = {ch: b for b, ch in _TCVN3_DECODE.items() if b >= 0xA0}


_LETTERS = re.compile(r"[^\W\d_]+")


def _kind(word: str) -> str:
    """How a TCVN3 word was typed: "upper" (2+ ASCII capitals, no ASCII small letter),
    "lower" (an ASCII small letter), "unsure" (one ASCII capital: "Sè" is Số or SỐ)."""
    if any("a" <= c <= "z" for c in word):
        return "lower"
    capitals = sum(1 for c in word if "A" <= c <= "Z")
    return "upper" if capitals >= 2 else "unsure" if capitals == 1 else "none"


def _restore_capitals(line: str) -> str:
    """Capitals typed in an upper-case font (.VnTimeH) come out as small letters ("TỉNH").

    Words whose ASCII letters are capitals were typed in such a font; a word with one
    ASCII capital is one too when its neighbours are, on a line where some word shows
    it for sure (capitals around a Vietnamese letter).
    """
    words = [(m.start(), m.end(), _kind(m.group(0))) for m in _LETTERS.finditer(line)]
    if not any(kind == "upper" and not line[a:b].isascii() for a, b, kind in words):
        return line
    chars = list(line)
    for i, (a, b, kind) in enumerate(words):
        if kind == "unsure":
            near = [k for _, _, k in words[i + 1:] if k != "unsure"][:1] + [k for _, _, k in words[:i] if k != "unsure"][-1:]
            if "upper" not in near:
                continue
        elif kind != "upper":
            continue
        chars[a:b] = line[a:b].upper()
    return "".join(chars)


def decode_tcvn3(data: bytes) -> str:
    """TCVN3 bytes to Unicode (NFC, the combining marks at 0xB0-0xB4 composed)."""
    text = unicodedata.normalize("NFC", data.decode("latin-1").translate(_TCVN3_DECODE))
    return "\n".join(_restore_capitals(line) for line in text.split("\n"))


def encode_tcvn3(text: str) -> bytes:
    """Unicode to TCVN3 bytes, as an ABC keyboard would have typed it.

    Upper-case toned letters VN3 lacks are written as their lower-case codes (what
    the .VnTimeH fonts draw as capitals); anything else not in the table is an error.
    """
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        if ord(ch) < 0x80:
            out.append(ord(ch))
        elif ch in _TCVN3_ENCODE:
            out.append(_TCVN3_ENCODE[ch])
        elif ch.lower() in _TCVN3_ENCODE:
            out.append(_TCVN3_ENCODE[ch.lower()])
        else:
            out += ch.encode("cp1252")  # raises for what neither can hold
    return bytes(out)


# --- VNI-Windows ---------------------------------------------------------------------
# A base letter followed by a mark byte; the bytes are read as cp1252 characters.
# Lower-case marks (upper-case marks are the same bytes minus 0x20):
#   tones   ù sắc  ø huyền  û hỏi  õ ngã  ï nặng
#   â-group â  á ấ  à ầ  å ẩ  ã ẫ  ä ậ      (circumflex on a, e, o)
#   ă-group ê  é ắ  è ằ  ú ẳ  ü ẵ  ë ặ      (breve on a)
# and single bytes: ô ơ, ö ư, ñ đ, í í, ì ì, æ ỉ, ó ĩ, ò ị, î ỵ.
_TONES = {"": "", "ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
_CIRC = {"â": "", "á": "\u0301", "à": "\u0300", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}
_BREVE = {"ê": "", "é": "\u0301", "è": "\u0300", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}
_VNI_SINGLE = {"ô": "ơ", "ö": "ư", "ñ": "đ", "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ"}


def _vni_pairs() -> dict[str, str]:
    """VNI spelling (lower case) -> Unicode letter, for every toned or marked vowel."""
    pairs: dict[str, str] = {}
    for base in "aeouy":
        for mark, tone in _TONES.items():
            if mark:
                pairs[base + mark] = base + tone
    for base in "aeo":
        for mark, tone in _CIRC.items():
            pairs[base + mark] = base + "\u0302" + tone
    for mark, tone in _BREVE.items():
        pairs["a" + mark] = "a\u0306" + tone
    for single, letter in (("ô", "ơ"), ("ö", "ư")):
        for mark, tone in _TONES.items():
            pairs[single + mark] = letter + tone
    for single, letter in _VNI_SINGLE.items():
        pairs.setdefault(single, letter)
    return {k: unicodedata.normalize("NFC", v) for k, v in pairs.items()}


_VNI_LOWER = _vni_pairs()
VNI_DECODE: dict[str, str] = {}
for _k, _v in _VNI_LOWER.items():
    VNI_DECODE[_k] = _v
    VNI_DECODE[_k.upper()] = _v.upper()
    if len(_k) == 2:  # a capital letter followed by a lower-case mark byte, seen in the wild
        VNI_DECODE.setdefault(_k[0].upper() + _k[1], _v.upper())
_VNI_RX = re.compile("|".join(sorted(map(re.escape, VNI_DECODE), key=len, reverse=True)))
_VNI_ENCODE = {}
for _k, _v in _VNI_LOWER.items():
    _VNI_ENCODE[_v] = _k
    _VNI_ENCODE[_v.upper()] = _k.upper()
_CP1252_CONTROLS = {b: _CP1252[b] for b in range(0x80, 0xA0)}


def decode_vni(data: bytes) -> str:
    """VNI-Windows bytes to Unicode: read as cp1252, then fold letter+mark pairs."""
    text = data.decode("latin-1").translate(_CP1252_CONTROLS)
    return _VNI_RX.sub(lambda m: VNI_DECODE[m.group(0)], text)


def encode_vni(text: str) -> bytes:
    """Unicode to VNI-Windows bytes (the inverse of :func:`decode_vni`)."""
    return "".join(_VNI_ENCODE.get(ch, ch) for ch in unicodedata.normalize("NFC", text)).encode("cp1252")


# --- telling them apart -----------------------------------------------------------------

_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
_INITIAL = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
_NUCLEI = (
    "uyê uyu uya oai oay oao oeo uây uôi ươi ươu iêu yêu "
    "ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi oo ua uâ uê ui uô uơ uy ưa ưi ươ ưu ya yê "
    "a ă â e ê i o ô ơ u ư y"
).split()
_FINAL = r"(?:ch|ng|nh|[cmnpt])?"
_SYLLABLE = re.compile(_INITIAL + "(?:" + "|".join(_NUCLEI) + ")" + _FINAL)
# Spelling rules of the initials: k, gh, ngh before e, ê, i (y); c, g, ng elsewhere.
_BAD_SPELLING = re.compile(r"^(?:c[eêiy]|k[^heêiy]|ng[eêi]|ngh[^eêi]|gh[^eêi]|g[eê])")
_EDGE_PUNCT = "\"'“”‘’()[]{}<>.,;:!?…-–—/\\*|%&#@+=_~`^$"


def is_syllable(word: str) -> bool:
    """Whether ``word`` is spelled like one Vietnamese syllable (at most one tone mark)."""
    nfd = unicodedata.normalize("NFD", word.lower())
    if sum(nfd.count(t) for t in _TONE_MARKS) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in _TONE_MARKS))
    return _SYLLABLE.fullmatch(bare) is not None and not _BAD_SPELLING.match(bare)


def vietnamese_score(text: str) -> tuple[int, int]:
    """(valid, invalid) counts of the non-ASCII words of ``text``.

    Only words with a non-ASCII character count: ASCII words read the same in every
    candidate encoding, so they cannot tell candidates apart.
    """
    valid = invalid = 0
    for token in text.split():
        word = token.strip(_EDGE_PUNCT)
        if not word or word.isascii():
            continue
        if word.isdigit():
            continue
        if is_syllable(word):
            valid += 1
        else:
            invalid += 1
    return valid, invalid


def _decode_cp1258(data: bytes) -> str:
    return unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))


def encode_cp1258(text: str) -> bytes:
    """Unicode to Windows-1258 as Windows writes it: base letter, then a combining tone.

    cp1258 holds â ê ô ơ ư ă đ precomposed but the five tones only as combining marks,
    so the text is decomposed, the tones split off and the letters recomposed.
    """
    out = []
    for ch in unicodedata.normalize("NFC", text):
        nfd = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in nfd if c in _TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in _TONE_MARKS))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


LEGACY_DECODERS = {
    "windows-1258": _decode_cp1258,
    "tcvn3": decode_tcvn3,
    "vni": decode_vni,
}


def best_decoding(data: bytes) -> tuple[str, str, float]:
    """(encoding, text, share of valid words) of the best legacy candidate for ``data``.

    Each candidate scores ``valid - invalid`` over its non-ASCII words; the winner's
    share tells the caller whether it is Vietnamese at all.
    """
    best: tuple[int, str, str, float] | None = None
    for name, decode in LEGACY_DECODERS.items():
        text = decode(data)
        valid, invalid = vietnamese_score(text)
        share = valid / (valid + invalid) if valid + invalid else 0.0
        score = valid - invalid
        if best is None or score > best[0]:
            best = (score, name, text, share)
    assert best is not None
    return best[1], best[2], best[3]
