"""Tokens of the free-text index and pinyin initials of the pickers (plain rules)."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hotline_desk.text import contains_all, index_tokens, pinyin_initials, query_terms, term_bigrams


def test_bigrams_and_run_final_characters():
    assert index_tokens("噪音扰民，夜间") == {"噪音", "音扰", "扰民", "民", "夜间", "间"}
    assert index_tokens("Ａ栋302") == {"a栋", "栋3", "30", "02", "2"}  # full-width folded, lower case
    assert index_tokens("", "   ") == set()


def test_query_terms_split_and_normalise():
    assert query_terms(" 噪音  停水，噪音 ") == ["噪音", "停水"]
    assert term_bigrams("停水停水") == ["停水", "水停"]


@given(st.text(alphabet="噪音停水路灯小区扰民，。 ab12", min_size=1, max_size=40),
       st.integers(0, 39), st.integers(1, 6))
def test_every_substring_is_findable_through_its_tokens(text, start, length):
    """The index never misses: any word-character substring of >= 2 characters has all its
    bigrams among the text's tokens; a single character is a prefix of some token."""
    tokens = index_tokens(text)
    for term in query_terms(text[start:start + length]):
        if len(term) >= 2:
            assert set(term_bigrams(term)) <= tokens
        else:
            assert any(tok.startswith(term) for tok in tokens)
        assert contains_all(text, [term])


def test_pinyin_initials():
    assert pinyin_initials("城乡建设") == "cxjs"
    assert pinyin_initials("市住建局") == "szjj"
    assert pinyin_initials("12345热线") == "12345rx"
