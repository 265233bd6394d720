"""Azerbaijani-aware text folding, sorting and name keys.

Python's ``str.lower()`` turns ``İ`` into ``i̇`` (with a combining dot) and ``I``
into ``i`` where Azerbaijani wants ``ı``. Everything that compares, searches,
sorts or hashes text goes through the functions here instead.
"""

from __future__ import annotations

import re
import unicodedata

_AZ_LOWER = str.maketrans({"İ": "i", "I": "ı"})

# Azerbaijani alphabet order, with the letters of other languages placed by
# their base letter (see az_sort_key).
AZ_ALPHABET = "abcçdeəfgğhxıijkqlmnoöprsştuüvyz"
_AZ_RANK = {letter: index for index, letter in enumerate(AZ_ALPHABET)}

# Cyrillic (Azerbaijani and Russian) to Azerbaijani Latin. Multi-letter Russian
# renderings are handled by name_key's digraph step afterwards.
_CYRILLIC_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "q", "ғ": "ğ", "д": "d", "е": "e", "ё": "yo",
    "ә": "ə", "ж": "j", "з": "z", "и": "i", "й": "y", "ј": "y", "к": "k", "ҝ": "g",
    "л": "l", "м": "m", "н": "n", "о": "o", "ө": "ö", "п": "p", "р": "r", "с": "s",
    "т": "t", "у": "u", "ү": "ü", "ф": "f", "х": "x", "һ": "h", "ц": "ts", "ч": "ç",
    "ҹ": "c", "ш": "ş", "щ": "şç", "ъ": "", "ы": "ı", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
}  # fmt: skip


def fold(text: str) -> str:
    """Case-fold ``text`` the Azerbaijani way: ``İ``→``i``, ``I``→``ı``, NFC, trimmed.

    Used for case-insensitive search columns and comparisons.
    """
    text = unicodedata.normalize("NFC", text or "")
    # A capital I followed by a combining dot above is a decomposed İ.
    text = text.replace("I\u0307", "İ")
    return " ".join(text.translate(_AZ_LOWER).lower().split())


def az_sort_key(text: str) -> tuple[tuple[int, int, str], ...]:
    """A key that sorts text in Azerbaijani alphabet order (A B C Ç D E Ə ... Z).

    Letters outside the alphabet sort after it by their folded form; digits and
    punctuation before letters.
    """
    key: list[tuple[int, int, str]] = []
    for char in fold(text):
        rank = _AZ_RANK.get(char)
        if rank is not None:
            key.append((1, rank, ""))
        elif char.isalpha():
            base = unicodedata.normalize("NFD", char)[0]
            key.append((2, _AZ_RANK.get(base, len(AZ_ALPHABET)), char))
        else:
            key.append((0, 0, char))
    return tuple(key)


def transliterate(text: str) -> str:
    """Cyrillic letters of ``text`` rendered in Azerbaijani Latin, after folding."""
    return "".join(_CYRILLIC_TO_LATIN.get(char, char) for char in fold(text))


_DIGRAPHS = [
    ("dzh", "c"), ("dz", "c"), ("dj", "c"), ("kh", "k"), ("gh", "k"),
    ("sh", "s"), ("ch", "c"), ("zh", "c"), ("ts", "s"),
]  # fmt: skip
_SOUND_CLASSES = str.maketrans(
    {
        "ə": "a", "e": "a", "ä": "a",
        "ı": "i",
        "o": "o", "ö": "o", "u": "o", "ü": "o",
        "g": "k", "ğ": "k", "q": "k", "x": "k", "h": "k",
        "ş": "s", "ç": "c", "j": "c", "w": "v",
        "y": None, "'": None, "’": None, "-": None,
    }
)  # fmt: skip


def name_key(text: str) -> str:
    """A spelling-insensitive key so the Latin and Cyrillic spellings of a name meet.

    ``Əliyev``, ``Aliyev``, ``Aliev`` and ``Алиев`` give the same key, as do
    ``Məmmədov`` and ``Мамедов``, ``Həsənov`` and ``Гасанов``. It is a
    candidate key for exact-match search through a keyed hash, never shown.
    """
    words = []
    for word in transliterate(text).split():
        word = unicodedata.normalize("NFD", word)
        word = "".join(c for c in word if not unicodedata.combining(c))
        word = unicodedata.normalize("NFC", word)
        for digraph, replacement in _DIGRAPHS:
            word = word.replace(digraph, replacement)
        word = word.translate(_SOUND_CLASSES)
        word = re.sub(r"(.)\1+", r"\1", word)
        word = re.sub(r"[^a-z0-9]", "", word)
        if word:
            words.append(word)
    return " ".join(words)


def document_key(text: str) -> str:
    """A document number reduced to its folded letters and digits (``AZE 12-345`` → ``aze12345``)."""
    return re.sub(r"[^0-9a-zəıöüçşğ]", "", transliterate(text))
