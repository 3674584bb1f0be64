"""Search, the pure parts: the words a text is indexed by, a person's query turned into
terms no engine can misread, and a result's text with the matched words marked.

Both databases index the same folded words (`words`), made here rather than by each
engine's own rules, so SQLite and PostgreSQL find exactly the same rows and the marks
on a result agree with what was found.
"""
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

# A word is a run of letters and digits; everything else (quotes, *, -, parentheses,
# operators like NEAR or OR as far as they are words) only separates words.
WORD = re.compile(r"[^\W_]+")
# Letters with no decomposition into a base letter and an accent, folded by hand.
LETTERS = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae",
                         "œ": "oe", "þ": "th", "ð": "d"})
MAX_TERMS = 8  # words of a query that count; the rest are ignored
MAX_TERM_LENGTH = 40  # longer words are cut: no stored word is usefully longer
SNIPPET = 160  # characters of a long text shown around its first match


def fold(text: str) -> str:
    """`text` without case or accents: "Émilie Ørsted" becomes "emilie orsted"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(LETTERS)


def words(text: str) -> str:
    """What an entry is indexed by: its folded words, separated by single spaces."""
    return " ".join(WORD.findall(fold(text)))


def terms(query: str) -> list[str]:
    """The words a query looks for, folded, each matching as the start of a word: at
    most MAX_TERMS of them, none twice. Empty when the query has no word at all."""
    found: list[str] = []
    for word in WORD.findall(fold(query[:2000])):
        word = word[:MAX_TERM_LENGTH]
        if word not in found:
            found.append(word)
        if len(found) == MAX_TERMS:
            break
    return found


def fts5_match(account: int, wanted: list[str]) -> str:
    """An FTS5 MATCH expression for `wanted` in one account's entries: every term the
    start of a word of the entry or of its person's name, and one at least of the entry's
    own (so "dana reorg" finds what Dana said about the reorg, and "dana" alone not
    everything she said). Each term is a quoted prefix of the account's words (see
    models/search.py for why words carry the account); terms are letters and digits only,
    so no quote can close early."""
    prefixes = [f'"{account}_{term}"*' for term in wanted]
    return f"{' '.join(prefixes)} AND words : ({' OR '.join(prefixes)})"


def tsqueries(wanted: list[str]) -> tuple[str, str]:
    """The same for PostgreSQL's to_tsquery(), as two queries: every term anywhere (the
    name's words are weighted A), and one at least among the entry's own words (D)."""
    return (" & ".join(f"'{term}':*" for term in wanted),
            " | ".join(f"'{term}':*D" for term in wanted))


def _matches(word: str, wanted: list[str]) -> bool:
    folded = fold(word)
    return any(folded.startswith(term) for term in wanted)


def excerpt(text: str, wanted: list[str], width: int = SNIPPET) -> tuple[str, bool, bool]:
    """The part of a long text around its first matched word: (part, cut before, cut
    after). A short text is whole."""
    if len(text) <= width:
        return text, False, False
    first = next((m.start() for m in WORD.finditer(text) if _matches(m.group(), wanted)), 0)
    start = max(0, min(first - width // 4, len(text) - width))
    if start:  # begin on a word
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = start + width
    return text[start:end], start > 0, end < len(text)


def mark(text: str, wanted: list[str], width: int = SNIPPET) -> Markup:
    """`text` (its part around the first match when long) as safe HTML, every word that
    starts with one of the terms in <mark>: the text itself is escaped, so a note holding
    markup shows as the characters it is."""
    text = unicodedata.normalize("NFC", text)
    part, before, after = excerpt(" ".join(text.split()), wanted, width)
    pieces, position = [], 0
    for match in WORD.finditer(part):
        if _matches(match.group(), wanted):
            pieces += [escape(part[position:match.start()]),
                       Markup("<mark>%s</mark>") % match.group()]
            position = match.end()
    pieces.append(escape(part[position:]))
    return Markup("…" * before) + Markup("").join(pieces) + Markup("…" * after)


@dataclass(frozen=True)
class Hit:
    """One entry found: where it is (its person and, for what was said, its row) and
    its text."""
    kind: str
    row_id: int
    advisor_id: int
    name: str
    is_mentee: bool
    happened_on: date | None
    text: str
