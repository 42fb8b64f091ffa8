"""Normalise stage: one canonical form of Vietnamese text that every offset points into."""
from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"[\u00a0\u2007\u202f\u200b\ufeff]")


def normalise(text: str) -> str:
    """NFC, LF line ends, ordinary spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACES.sub(" ", text)
    return unicodedata.normalize("NFC", text)
