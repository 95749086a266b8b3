"""Parity checks over aligned pairs: numbers, quotation marks, URLs, names, length."""

from __future__ import annotations

import pytest

from mtcheck.scoring import parity


@pytest.mark.parametrize(
    "token,values",
    [
        ("1.332", {"1332", "1.332"}),
        ("1,332", {"1332", "1.332"}),
        ("10.000", {"10000", "10"}),
        ("3,5", {"3.5"}),
        ("1.234,5", {"1234.5"}),
        ("1,234.5", {"1234.5"}),
        ("10 000", {"10000"}),
        ("10\u00a0000", {"10000"}),
        ("2022", {"2022"}),
        ("007", {"7"}),
    ],
)
def test_number_values_cover_both_locales(token, values):
    assert parity.number_values(token) == values


@pytest.mark.parametrize(
    "source,target",
    [
        ("al menos 1.332 personas fueron detenidas", "at least 1,332 people were arrested"),
        ("cerca de 10.000 personas en las últimas 24 horas", "nearly 10,000 people in the last 24 hours"),
        ("la inflación alcanzó el 3,5 %", "inflation reached 3.5%"),
        ("el 27 de septiembre", "on September 27th"),
        ("1.234,5 euros", "1,234.5 euros"),
        ("sin cifras", "no figures"),
    ],
)
def test_equal_numbers_under_locale_separators_pass(source, target):
    assert parity.check_numbers(source, target) == []


def test_changed_number_is_one_issue_on_the_target_number():
    target = "at least 1,322 people were arrested"
    (issue,) = parity.check_numbers("al menos 1.332 personas fueron detenidas", target)
    assert target[issue.start : issue.end] == "1,322"
    assert "1.332" in issue.message


def test_missing_and_added_numbers():
    (missing,) = parity.check_numbers("murieron 6 personas y 2 heridos", "2 were injured")
    assert missing.start is None and "6" in missing.message
    target = "6 people died and 2 were injured in 2022"
    (added,) = parity.check_numbers("murieron 6 personas y 2 heridos", target)
    assert target[added.start : added.end] == "2022" and "not in the source" in added.message


def test_numbers_inside_words_are_not_numbers():
    assert parity.check_numbers("el G7 y la COVID-19", "the G7 and COVID-19") == []


def test_quote_count_ignores_apostrophes_and_possessives():
    assert parity.quote_count('He said "we cannot" and didn’t stop') == 2
    assert parity.quote_count("Pope Francis' presence at the 'Stations'") == 2
    assert parity.quote_count("«todos los medios» y “destruir”") == 4


def test_quote_mismatch():
    assert parity.check_quotes('dijo "todos los medios"', "said all the means")
    assert parity.check_quotes("dijo «todos los medios»", 'said "all the means"') == []


def test_urls_must_be_verbatim():
    assert parity.check_urls("ver https://example.org/informe.", "see https://example.org/informe.") == []
    target = "see https://example.org/report."
    (issue,) = parity.check_urls("ver https://example.org/informe.", target)
    assert target[issue.start : issue.end] == "https://example.org/report"
    (missing,) = parity.check_urls("escriba a prensa@example.org", "write to us")
    assert missing.start is None and "prensa@example.org" in missing.message


def test_names_need_the_forward_translation_to_be_expected():
    source = "El secretario de Estado, Antony Blinken, habló con Occidente y la ONU en Kiev."
    forward = "The secretary of State, Antony Blinken, spoke with Occident and the UN in Kiev."
    good = "Secretary of State Antony Blinken spoke with the West and the UN in Kyiv."
    assert parity.check_names(source, good, forward) == []
    bad = "The Secretary of State spoke with the West and the UN in Kyiv."
    issues = parity.check_names(source, bad, forward)
    assert [i.message for i in issues] == [
        "name Antony of the source is missing from the translation",
        "name Blinken of the source is missing from the translation",
    ]


@pytest.mark.parametrize("a,b", [("Serguéi", "Sergei"), ("Kiev", "Kyiv"), ("Zelenski", "Zelensky"), ("Putin", "PUTIN")])
def test_name_spellings_match(a, b):
    assert parity.names_match(a, b)


@pytest.mark.parametrize("a,b", [("Blinken", "Lavrov"), ("Kiev", "Moscow")])
def test_different_names_do_not_match(a, b):
    assert not parity.names_match(a, b)


def test_sentence_initial_words_are_not_names():
    names = [n for _, _, n in parity.capitalised_names('Rusia dijo. Ayer "Moscú" habló con Putin: Hoy')]
    assert names == ["Putin"]


def test_length_ratio_relative_to_the_document():
    source = "Moscú inició el jueves la movilización de tropas adicionales para reforzar su ofensiva."
    assert parity.check_length(source, "Moscow began.", 1.0)
    assert parity.check_length(source, "Moscow began its mobilisation of additional troops on Thursday.", 1.0) == []
    # A language whose text runs twice as long as the source's is not flagged for that alone.
    assert parity.check_length(source, source * 2, 2.0) == []
    assert parity.check_length("Corto.", "A much, much longer sentence than the source.", 1.0) == []


def test_untranslated_or_empty_pairs_are_not_checked():
    assert parity.check_pair("Hola 1.332", "Hola 1.332") == []
    assert parity.check_pair("", "x 5") == []
    assert parity.check_pair("hay 5", "there are 6")
