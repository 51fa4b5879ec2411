"""Text folding, keys and sentence splitting shared by the gazetteer and the parser."""

from __future__ import annotations

from geomap._text import fold, norm_key, scan_text, sentences, whole_word_keys


def test_fold_keeps_offsets_and_cyrillic_letters() -> None:
    s = "Klichtchiïvka, Mar’yinka — Андріївка й Їжакевичі"
    f = fold(s)
    assert len(f) == len(s)
    assert f.startswith("klichtchiivka, mar'yinka - ")
    assert "андріївка й їжакевичі" in f  # й and ї are letters of their own, not i + a mark


def test_norm_key_unifies_press_punctuation() -> None:
    assert norm_key("Mar’yinka") == norm_key("Mar'yinka") == norm_key("Maryinka") == "maryinka"
    assert norm_key("Chasiv-Yar") == norm_key("Chasiv  Yar") == "chasiv yar"


def test_whole_word_keys_match_the_scan_form_of_the_text() -> None:
    for alias in ("Kharkiv Oblast.", "Mar'yinka", "Chasiv-Yar", "(Kyiv)"):
        for key in whole_word_keys(alias):
            assert key.startswith(" ") and key.endswith(" ") and key.strip() == key[1:-1]
    assert whole_word_keys("(Kyiv)") == {" kyiv "}
    text = "Shelling of Mar’yinka and Chasiv-Yar."
    scan = scan_text(fold(text))
    assert len(scan) == len(text) + 2 and scan[0] == scan[-1] == " "
    found = set()
    for key in whole_word_keys("Mar'yinka") | whole_word_keys("Chasiv Yar"):
        i = scan.find(key)
        if i >= 0:
            found.add(text[i : i + len(key) - 2])
    assert found == {"Mar’yinka", "Chasiv-Yar"}
    # whole words only: no key of "Kyiv" is found in "Kyivstar" or at the end of "Dekyiv"
    assert not any(k in scan_text(fold("Kyivstar and Dekyiv")) for k in whole_word_keys("Kyiv"))
    assert all(k in scan_text(fold("Kyiv")) for k in whole_word_keys("Kyiv"))


def test_sentences_are_exact_spans_and_keep_closing_quotes() -> None:
    text = 'He said: "Kupiansk fell." Then Gen. Syrskyi spoke.\n\nNew paragraph in Lviv'
    out = sentences(text)
    assert [s.text for s in out] == [
        'He said: "Kupiansk fell."',
        "Then Gen. Syrskyi spoke.",
        "New paragraph in Lviv",
    ]
    assert all(text[s.start : s.end] == s.text for s in out)
