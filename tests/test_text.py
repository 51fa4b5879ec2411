"""Text folding, keys and sentence splitting shared by the gazetteer and the parser."""

from __future__ import annotations

from geomap._text import fold, norm_key, scan_text, sentences, word_start_keys


def test_fold_keeps_offsets_and_cyrillic_letters() -> None:
    s = "Klichtchiïvka, Mar’yinka — Андріївка й Їжакевичі"
    f = fold(s)
    assert len(f) == len(s)
    assert f.startswith("klichtchiivka, mar'yinka - ")
    assert "андріївка й їжакевичі" in f  # й and ї are letters of their own, not i + a mark


def test_norm_key_unifies_press_punctuation() -> None:
    assert norm_key("Mar’yinka") == norm_key("Mar'yinka") == norm_key("Maryinka") == "maryinka"
    assert norm_key("Chasiv-Yar") == norm_key("Chasiv  Yar") == "chasiv yar"


def test_word_start_keys_match_the_scan_form_of_the_text() -> None:
    for alias in ("Kharkiv Oblast.", "Mar'yinka", "Chasiv-Yar", "(Kyiv)"):
        for key in word_start_keys(alias):
            assert key.startswith(" ") and not key.endswith(" ") and key.strip() == key[1:]
    text = "Shelling of Mar’yinka and Chasiv-Yar."
    scan = scan_text(fold(text))
    assert len(scan) == len(text) + 1
    for key in word_start_keys("Mar'yinka") | word_start_keys("Chasiv Yar"):
        i = scan.find(key)
        if i >= 0:
            assert not text[i : i + len(key) - 1].startswith(" ")


def test_sentences_are_exact_spans_and_keep_closing_quotes() -> None:
    text = 'He said: "Kupiansk fell." Then Gen. Syrskyi spoke.\n\nNew paragraph in Lviv'
    out = sentences(text)
    assert [s.text for s in out] == [
        'He said: "Kupiansk fell."',
        "Then Gen. Syrskyi spoke.",
        "New paragraph in Lviv",
    ]
    assert all(text[s.start : s.end] == s.text for s in out)
