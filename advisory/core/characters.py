"""Which characters a name or a note may hold: one rule for forms, imports and vCards.

NUL and the other control characters, and lone halves of a surrogate pair, are refused:
PostgreSQL cannot store a NUL at all, UTF-8 cannot encode a lone surrogate, and none of
them makes sense in a name or a note. A note (multi-line text) may hold line breaks and
tabs. Plain Python, no Flask.
"""
import unicodedata

REFUSED_CATEGORIES = {"Cc", "Cs"}  # control characters; halves of a surrogate pair
MULTI_LINE_OK = {"\n", "\r", "\t"}
SPACING = {"\n": "the line break", "\r": "the line break", "\t": "the tab"}


def is_refused(char: str, multi_line: bool = False) -> bool:
    """Whether `char` may not be stored in a name (or, with multi_line, in a note)."""
    return (unicodedata.category(char) in REFUSED_CATEGORIES
            and not (multi_line and char in MULTI_LINE_OK))


def first_refused(text: str, multi_line: bool = False) -> str | None:
    """The first refused character of `text`, described for a person ("the control
    character U+0000", "the line break"); None when every character may be stored."""
    for char in text:
        if is_refused(char, multi_line):
            kind = "invalid" if unicodedata.category(char) == "Cs" else "control"
            return SPACING.get(char) or f"the {kind} character U+{ord(char):04X}"
    return None


def without_refused(text: str, multi_line: bool = False) -> str:
    """`text` with its refused characters left out (for data nobody can fix by hand)."""
    return "".join(char for char in text if not is_refused(char, multi_line))
