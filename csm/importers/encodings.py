"""Which code page a file that is not UTF-8 was saved in, judged by how its words read in each.

Excel and CRMs on Windows save CSV in the system's code page: Windows-1252 in the West, 1250 in Central
Europe, 1251 for Cyrillic, Shift-JIS (cp932) in Japan. Every single-byte code page decodes any byte, so
the choice is made by plausibility: a word that decodes to letters of one script, in a natural case
pattern, with letters common in that code page's languages, scores; a word broken by symbols ('Zak³ad',
'Mьller') loses. Ties go to Windows-1252. The import report always names the code page chosen, with a
word as it was read, so a wrong guess is seen and fixed with --encoding.
"""

from __future__ import annotations

import re
import unicodedata

CANDIDATES = ("cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1257", "cp932", "gb18030", "big5", "cp949")
NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252 (Western European)",
    "cp1250": "Windows-1250 (Central European)",
    "cp1251": "Windows-1251 (Cyrillic)",
    "cp1253": "Windows-1253 (Greek)",
    "cp1254": "Windows-1254 (Turkish)",
    "cp1257": "Windows-1257 (Baltic)",
    "cp932": "Shift-JIS (Japanese)",
    "gb18030": "GB18030 (Chinese)",
    "big5": "Big5 (Traditional Chinese)",
    "cp949": "EUC-KR (Korean)",
}
_COMMON = {
    "cp1252": "éèàüöäßñçóáíúâêôûëïãõåøæºªÉÈÀÜÖÄÑÇÓÁÍÚ",
    "cp1250": "ąęłśźżćńóčřšžěůýáíéőűăţđĄĘŁŚŹŻĆŃÓČŘŠŽĚŮÝÁÍÉŐŰ",
    "cp1251": "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯіїєґІЇЄҐ",
    "cp1253": "αβγδεζηθικλμνξοπρστυφχψωάέήίόύώΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ",
    "cp1254": "çğıöşüÇĞİÖŞÜâî",
    "cp1257": "ąčęėįšųūžĄČĘĖĮŠŲŪŽāēīķļņõ",
}
_WORD = re.compile(r"[^\s\d,;:\"'.()/\\\-_+=<>|!?@#*&%$\[\]{}]+")
_CASE_FLIP = re.compile(r"[^\W\d_]*[a-zà-ÿа-яα-ω][A-ZÀ-ÞА-ЯΑ-Ω]")


def _script(char: str) -> str:
    if char in "ºª":
        return "LATIN"
    first = unicodedata.name(char, "").split(" ")[0]
    if first.startswith(("HIRAGANA", "KATAKANA", "CJK")):
        return "CJK"
    return first if first in ("LATIN", "CYRILLIC", "GREEK", "HANGUL") else "other"


def plausibility(text: str, encoding: str) -> int:
    """How much the non-ASCII words of `text` look like words of a language written in `encoding`."""
    common = _COMMON.get(encoding, "")
    total = 0
    for word in _WORD.findall(text):
        if word.isascii():
            continue
        scripts = {_script(char) for char in word}
        if all(char.isalpha() for char in word) and len(scripts) == 1 and "other" not in scripts:
            if _CASE_FLIP.match(word):
                total -= 3
                continue
            eastern = scripts <= {"CJK", "HANGUL"}
            kana = sum(1 for char in word if unicodedata.name(char, "").startswith(("HIRAGANA", "KATAKANA")))
            total += 2 + kana + sum(1 for char in word if eastern or char in common)
        else:
            total -= 3
    return total


def guess_encoding(sample: bytes) -> str:
    """The most plausible code page for bytes that are not UTF-8 (Windows-1252 when nothing reads better)."""
    best, best_score = "cp1252", None
    for encoding in CANDIDATES:
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = plausibility(text, encoding)
        if best_score is None or score > best_score:
            best, best_score = encoding, score
    return best


def describe(encoding: str) -> str:
    return NAMES.get(encoding, encoding)


def example_word(text: str) -> str | None:
    """A word with non-ASCII letters, to show the user how the file was read."""
    return next((word for word in _WORD.findall(text) if not word.isascii()), None)
