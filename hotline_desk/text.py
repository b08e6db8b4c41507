"""Chinese text for search: bigram tokens for the ticket text index and pinyin initials for
pickers (units, subjects).

Why bigrams (see ../shared/STACK.md): most searches are two characters (噪音, 停水); trigram
indexes cannot answer them and SQLite's FTS5 trigram tokenizer silently returns nothing. A ticket
is indexed by every distinct pair of adjacent characters of each run of word characters, plus
the last character of each run alone — so a one-character query finds every occurrence as a
token starting with that character. A query of k >= 2 characters intersects its bigrams; the
candidates are then checked for the real substring (bigrams may match apart from each other).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


# Runs of "word" characters: CJK ideographs, letters, digits. Punctuation and spaces split runs.
_RUN = re.compile(r"[\w]+", re.UNICODE)


def normalise_text(text: str) -> str:
    """Full-width → half-width, lower case (ＡＢ１ → ab1), so the index and the query agree."""
    return unicodedata.normalize("NFKC", text or "").lower()


def _runs(text: str) -> list[str]:
    return [r.replace("_", "") for r in _RUN.findall(normalise_text(text)) if r.replace("_", "")]


def index_tokens(*texts: str) -> set[str]:
    """Distinct tokens of a ticket's searchable text: bigrams + the final character of each run."""
    tokens: set[str] = set()
    for text in texts:
        for run in _runs(text):
            for i in range(len(run) - 1):
                tokens.add(run[i:i + 2])
            tokens.add(run[-1])
    return tokens


def query_terms(query: str) -> list[str]:
    """The words of a search box entry (split on spaces/punctuation), normalised, de-duplicated."""
    seen: list[str] = []
    for run in _runs(query):
        if run not in seen:
            seen.append(run)
    return seen


def term_bigrams(term: str) -> list[str]:
    """Distinct bigrams of a term of >= 2 characters, in order of first appearance."""
    out: list[str] = []
    for i in range(len(term) - 1):
        bg = term[i:i + 2]
        if bg not in out:
            out.append(bg)
    return out


def contains_all(haystack: str, terms: list[str]) -> bool:
    """The exact check after the index: every term is a substring of the normalised text."""
    text = normalise_text(haystack)
    return all(t in text for t in terms)


@lru_cache(maxsize=4096)
def pinyin_initials(text: str) -> str:
    """``城乡建设`` → ``cxjs``; letters and digits stay as they are (lower case)."""
    # imported here: loading pypinyin's phrase dictionary takes ~0.3 s, which the desk's cold
    # start to the sign-in window cannot afford (the first completer warms it off the GUI thread)
    from pypinyin import Style, lazy_pinyin

    letters = "".join(lazy_pinyin(normalise_text(text), style=Style.FIRST_LETTER))
    return "".join(ch for ch in letters if ch.isascii() and ch.isalnum())


def matches_name(query: str, name: str, initials: str | None = None) -> bool:
    """A picker match: the query is part of the name, or a prefix/part of its pinyin initials."""
    q = normalise_text(query).strip()
    if not q:
        return True
    if q in normalise_text(name):
        return True
    ini = initials if initials is not None else pinyin_initials(name)
    return q.isascii() and q in ini
