"""Normalise stage: one canonical form of Vietnamese text that every offset points into.

Government texts arrive with the same word spelled several ways: composed or
decomposed Unicode, "hoà" or "hòa", CRLF line ends, no-break and zero-width spaces
from Word and web pages. Matching rules (deadlines, units, verbs) are written once,
against the form produced here.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Spaces of every width become one ordinary space (one char for one char).
_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# Invisible characters that sit inside words are dropped, so words match again.
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")
# Control characters other than tab and line feed (form feeds from PDFs end a line).
_LINE_BREAKS = re.compile(r"[\u000b\u000c\u0085\u2028\u2029]")
_CONTROLS = re.compile(r"[\u0000-\u0008\u000e-\u001f\u007f]")

# Look-alikes legacy converters leave behind: Icelandic eth for Vietnamese d-stroke.
_LOOKALIKES = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111"})

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_WORD = re.compile(r"[^\W\d_]+")
# An open syllable whose vowels are oa, oe or uy: the tone belongs on the first vowel
# ("hòa", "khỏe", "thủy"). The initial must not end in q: in "quý" the u is part of
# the initial "qu" and the tone stays on y.
_OPEN_GLIDE = re.compile(r"(?:ngh|ng|nh|ch|gh|kh|ph|th|tr|[bcdđghklmnprstvx])?(oa|oe|uy)")
# Only words ending in a toned a, e or y can need the move: a cheap first test.
_TONED_AEY = frozenset(
    unicodedata.normalize("NFC", base + tone) for base in "aeyAEY" for tone in "\u0300\u0301\u0303\u0309\u0323"
)


def _split_tone(ch: str) -> tuple[str, str]:
    """(letter without tone, tone mark or "") of one composed character."""
    nfd = unicodedata.normalize("NFD", ch)
    tone = "".join(c for c in nfd if c in _TONES)
    if not tone:
        return ch, ""
    return unicodedata.normalize("NFC", "".join(c for c in nfd if c not in _TONES)), tone


@lru_cache(maxsize=1 << 16)  # the same words recur on every page
def place_tone(word: str) -> str:
    """Move the tone of an open oa/oe/uy syllable onto the first vowel: hoà → hòa.

    Closed syllables keep the tone where it is (hoàn, thuyết, khoảng), and so does
    "qu" + y (quý, quỳ). Case is kept; the word's length never changes.
    """
    if len(word) < 2 or word[-1] not in _TONED_AEY:
        return word
    parts = [_split_tone(c) for c in word]
    bare = "".join(b for b, _ in parts).lower()
    m = _OPEN_GLIDE.fullmatch(bare)
    if not m:
        return word
    first, second = m.start(1), m.start(1) + 1
    tone = parts[second][1]
    if not tone or parts[first][1]:
        return word
    chars = list(word)
    chars[first] = unicodedata.normalize("NFC", parts[first][0] + tone)
    chars[second] = parts[second][0]
    return "".join(chars)


def normalise(text: str) -> str:
    """NFC, LF line ends, ordinary spaces, no invisible characters, Đ not Ð, modern tone placement."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _LINE_BREAKS.sub("\n", text)
    text = _SPACES.sub(" ", text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROLS.sub("", text)
    text = unicodedata.normalize("NFC", text).translate(_LOOKALIKES)
    return _WORD.sub(lambda m: place_tone(m.group(0)), text)
