"""Matching cases for the jargon check, on a small glossary the tests write themselves."""

from __future__ import annotations

from pathlib import Path

import pytest

from plainbid.glossary import GlossaryError, load
from plainbid.nlp import parse
from plainbid.terms import TermMatcher, candidate_acronyms, defines, expansions

HEADER = "term\tvariants\tplain_meaning\tplain_alternative\tsource\n"
ROWS = [
    ("Call-off contract", "call-off", "A contract made under an umbrella deal.", "", "https://a"),
    (
        "Framework agreement",
        "framework",
        "An umbrella deal with chosen suppliers.",
        "",
        "https://a",
    ),
    ("Tender", "", "A formal written offer to do the work.", "bid", "https://a"),
    ("Subcontractor", "", "An organisation doing part of the work for you.", "", "https://a"),
    ("Invitation to Tender", "ITT", "The documents asking for bids.", "", "https://a"),
    ("Lot", "", "A separately awarded part of a larger contract.", "part", "https://a"),
    ("Information technology", "IT", "Computers and software.", "computers", "https://a"),
    (
        "Transfer of Undertakings (Protection of Employment) Regulations",
        "TUPE",
        "Rules that move staff to a new employer with the work.",
        "",
        "https://a",
    ),
]


def write_glossary(folder: Path, rows: list[tuple[str, ...]], name: str = "procurement") -> Path:
    path = folder / f"{name}.tsv"
    path.write_text(HEADER + "".join("\t".join(row) + "\n" for row in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def matcher(tmp_path_factory: pytest.TempPathFactory) -> TermMatcher:
    folder = tmp_path_factory.mktemp("glossary")
    return TermMatcher(load([str(write_glossary(folder, ROWS))], builtin=False))


def found(matcher: TermMatcher, text: str) -> list[tuple[str, str]]:
    return [(hit.entry.term, hit.span.text) for hit in matcher.find(parse([text])[0])]


def test_inflections_and_plurals(matcher: TermMatcher) -> None:
    hits = found(matcher, "Subcontractors were tendering for call-offs.")
    assert hits == [
        ("Subcontractor", "Subcontractors"),
        ("Tender", "tendering"),
        ("Call-off contract", "call-offs"),
    ]


@pytest.mark.parametrize("spelling", ["call-off", "call off", "calloff", "Call-Off", "CALL-OFF"])
def test_hyphen_space_and_case_variants(matcher: TermMatcher, spelling: str) -> None:
    assert found(matcher, f"Each {spelling} is short.") == [("Call-off contract", spelling)]


def test_longest_match_wins(matcher: TermMatcher) -> None:
    assert found(matcher, "The framework agreement and the framework.") == [
        ("Framework agreement", "framework agreement"),
        ("Framework agreement", "framework"),
    ]
    assert found(matcher, "An Invitation to Tender is out.") == [
        ("Invitation to Tender", "Invitation to Tender")
    ]


def test_multi_word_term_across_a_line_break(matcher: TermMatcher) -> None:
    from plainbid.nlp import flatten

    assert found(matcher, flatten("the framework\n   agreement")) == [
        ("Framework agreement", "framework\n   agreement".replace("\n   ", " "))
    ]


def test_acronyms_are_case_sensitive(matcher: TermMatcher) -> None:
    assert found(matcher, "It is what it is.") == []
    assert found(matcher, "The IT team reads the ITT and the ITTs.") == [
        ("Information technology", "IT"),
        ("Invitation to Tender", "ITT"),
        ("Invitation to Tender", "ITTs"),
    ]


def test_lot_in_prose_and_in_a_heading(matcher: TermMatcher) -> None:
    assert found(matcher, "We learned a lot of things and lots of them.") == []
    assert found(matcher, "Bids for Lot 2 close soon.") == [("Lot", "Lot")]
    # A shouted heading: LOT is the word lot, and IT there is not the acronym.
    assert found(matcher, "LOT 2: WHAT IT COVERS") == [("Lot", "LOT")]


def test_definition_sentences() -> None:
    def defined(text: str, term: str) -> bool:
        doc = parse([text])[0]
        start = next(t.i for t in doc if t.text == term.split()[0])
        return defines(doc[start : start + len(term.split())])

    assert defined("Lot means a part of the contract.", "Lot")
    assert defined("'Lot' shall mean a part of the contract.", "Lot")
    assert defined("A Lot is a part of the contract.", "Lot")
    assert defined("Lot: a part of the contract", "Lot")
    assert not defined("Bids for each Lot must be in by May.", "Lot")
    assert not defined("The supplier of each Lot is a charity.", "Lot")


def test_expansions_in_both_orders() -> None:
    first = parse(
        ["under the Transfer of Undertakings (Protection of Employment) Regulations (TUPE)."]
    )
    assert expansions(first[0]) == {
        "TUPE": "Transfer of Undertakings (Protection of Employment) Regulations"
    }
    second = parse(["TUPE (Transfer of Undertakings (Protection of Employment)) applies."])
    assert "TUPE" not in expansions(second[0]) or expansions(second[0])["TUPE"].startswith(
        "Transfer"
    )
    third = parse(
        ["The CRC (Community Rehabilitation Company) and the KPIs (Key Performance Indicators)."]
    )
    assert expansions(third[0]) == {
        "CRC": "Community Rehabilitation Company",
        "KPI": "Key Performance Indicators",
    }
    # Brackets that do not spell the acronym are not an expansion.
    assert expansions(parse(["The NPS (see page 4) applies."])[0]) == {}


def test_candidate_acronyms_skip_words_numerals_and_shouting() -> None:
    doc = parse(
        ["The HMPPS and the NOT applicable part II of the UK VAT rules; MUST do DBS checks."]
    )[0]
    assert [span.text for span in candidate_acronyms(doc)] == ["HMPPS", "DBS"]
    assert candidate_acronyms(parse(["PART TWO: THE HMPPS RULES AND NPS"])[0]) == []


def test_validation_reports_file_and_line(tmp_path: Path) -> None:
    bad = write_glossary(
        tmp_path,
        [
            ("Lot", "", "A part.", "", "https://a"),
            ("Lot", "", "Again.", "", "https://a"),
            ("Tender", "", "", "", ""),
            ("Bid", "lot", "An offer.", "", "https://a"),
        ],
    )
    with pytest.raises(GlossaryError) as error:
        load([str(bad)], builtin=False)
    problems = error.value.problems
    assert f"{bad}:3: 'Lot' is already a term of 'Lot' ({bad}:2)" in problems
    assert f"{bad}:4: plain_meaning is empty" in problems
    assert f"{bad}:4: source is empty" in problems
    assert f"{bad}:5: 'lot' is already a term of 'Lot' ({bad}:2)" in problems


def test_validation_rejects_a_flagged_plain_alternative(tmp_path: Path) -> None:
    path = write_glossary(
        tmp_path,
        [
            ("Call-off contract", "", "A contract under a framework.", "framework contract", "x"),
            ("Framework agreement", "framework", "An umbrella deal.", "", "x"),
        ],
    )
    matcher = TermMatcher(load([str(path)], builtin=False))
    assert matcher.problems() == [
        f"{path}:2: plain_alternative 'framework contract' contains the glossary term "
        f"'Framework agreement' ({path}:3)"
    ]


def test_bad_header_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "mine.tsv"
    path.write_text("word\tmeaning\nutilise\tuse\n", encoding="utf-8")
    with pytest.raises(GlossaryError) as error:
        load([str(path)], builtin=False)
    assert error.value.problems[0].startswith(f"{path}:1: the header must be")
