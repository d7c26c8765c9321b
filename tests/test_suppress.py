"""Accepting findings in place: `plainbid: ignore[...]`, `disable`/`enable` ranges, PB901.

The documents are real text and Markdown files run through every check; TUPE, KPI and SLA are
glossary terms the documents never define, so each is one PB101 at its first use.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import plainbid
from plainbid.spans import term_surfaces


def _check(tmp_path: Path, text: str, name: str = "itt.md", **options):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return plainbid.check(path, **options)


def _found(report, codes=("PB101", "PB102", "PB201", "PB301", "PB901")) -> list[tuple[str, int]]:
    """(label, line) of each finding of the given rules: a jargon finding's label is the term
    as the document writes it, any other finding's its code."""
    surfaces = {}
    for document in report.documents:
        surfaces.update(term_surfaces(document.data))
    found = []
    for finding in report.findings:
        if finding.rule.code in codes:
            term = finding.data.get("term")
            label = surfaces.get(term, term) if term else finding.rule.code
            found.append((label, finding.location.line))
    return sorted(found, key=lambda item: (item[1] or 0, item[0]))


def test_without_comments_every_term_is_reported(tmp_path):
    report = _check(tmp_path, "Bids must follow the TUPE rules.\n\nThe KPI table is attached.\n")
    assert _found(report) == [("TUPE", 1), ("KPI", 3)]


@pytest.mark.parametrize(
    "comment",
    [
        "<!-- plainbid: ignore[PB101] -->",
        "<!-- plainbid: ignore[jargon-undefined] -->",
        "<!-- plainbid: ignore[PB1] -->",
        "<!-- plainbid: ignore -->",
        "plainbid: ignore[pb101, PB102]",  # codes are not case-sensitive; unused PB102 below
    ],
)
def test_ignore_on_a_line_accepts_findings_on_that_line(tmp_path, comment):
    text = f"Bids must follow the TUPE rules. {comment}\n\nThe KPI table is attached.\n"
    report = _check(tmp_path, text)
    found = _found(report)
    assert ("TUPE", 1) not in found
    assert ("KPI", 3) in found  # another line is untouched
    unused = [f for f in report.findings if f.rule.code == "PB901"]
    if "PB102" in comment:
        [finding] = unused
        assert finding.location.line == 1
        assert finding.data["unused"] == ["PB102"]
        assert "'plainbid: ignore[PB102]' is unused" in finding.message
    else:
        assert unused == []


def test_ignore_for_another_rule_keeps_the_finding_and_is_reported_unused(tmp_path):
    report = _check(
        tmp_path, "Intro line.\n\nBids must follow the TUPE rules. plainbid: ignore[PB202]\n"
    )
    found = _found(report)
    assert ("TUPE", 3) in found
    [unused] = [f for f in report.findings if f.rule.code == "PB901"]
    assert unused.location.line == 3
    assert unused.location.paragraph == 2
    assert unused.severity is plainbid.Severity.WARNING
    assert unused.message == "'plainbid: ignore[PB202]' accepts no finding; remove it"
    assert unused.excerpt == "Bids must follow the TUPE rules. plainbid: ignore[PB202]"


def test_a_comment_alone_on_its_line_also_covers_the_next_line(tmp_path):
    text = "Intro.\n\n<!-- plainbid: ignore[PB101] -->\nBids must follow the TUPE rules.\n\nSee the KPI table.\n"
    report = _check(tmp_path, text)
    assert _found(report) == [("KPI", 6)]


def test_in_a_paragraph_of_several_lines_the_term_is_on_its_own_line(tmp_path):
    # One paragraph over three lines; TUPE is on line 3, so a comment on line 2 does not
    # accept it (and is unused), while one on line 3 does.
    first = "Bidders must read this.\nIt is long. plainbid: ignore[PB101]\nThe TUPE rules apply.\n"
    report = _check(tmp_path, first)
    # The finding is located at its paragraph (line 1); the term itself is on line 3.
    assert _found(report) == [("TUPE", 1), ("PB901", 2)]
    assert [f.location.line for f in report.findings if f.rule.code == "PB901"] == [2]
    second = "Bidders must read this.\nIt is long.\nThe TUPE rules apply. plainbid: ignore[PB101]\n"
    report = _check(tmp_path, second)
    assert [t for t, _ in _found(report)] == []


def test_disable_and_enable_accept_findings_between_them(tmp_path):
    text = (
        "Bids must follow the TUPE rules.\n\n"
        "<!-- plainbid: disable[PB101] -->\n\n"
        "The KPI table is attached.\n\n"
        "<!-- plainbid: enable[PB101] -->\n\n"
        "The SLA is in Schedule 2.\n"
    )
    report = _check(tmp_path, text)
    assert _found(report) == [("TUPE", 1), ("SLA", 9)]


def test_disable_without_enable_runs_to_the_end_of_the_file(tmp_path):
    text = "Bids must follow the TUPE rules.\n\nplainbid: disable\n\nThe KPI table.\n\nThe SLA.\n"
    report = _check(tmp_path, text)
    assert _found(report) == [("TUPE", 1)]


def test_enable_closes_only_the_rules_it_names(tmp_path):
    text = (
        "plainbid: disable[PB101, PB201]\n\n"
        "The KPI table is attached.\n\n"
        "plainbid: enable[PB101]\n\n"
        "The SLA is in Schedule 2, and bidders who wish to be considered for the service must "
        "submit their completed questionnaire with the documents listed in the schedule.\n"
    )
    report = _check(tmp_path, text)
    # PB101 is back on for SLA; PB201 (the long sentence) stays off to the end.
    assert _found(report) == [("SLA", 7)]


def test_an_unused_disable_is_reported_at_its_line(tmp_path):
    text = "Intro.\n\n<!-- plainbid: disable[PB301] -->\n\nNothing to see here.\n"
    report = _check(tmp_path, text)
    [unused] = [f for f in report.findings if f.rule.code == "PB901"]
    assert unused.location.line == 3
    assert unused.message == "'plainbid: disable[PB301]' accepts no finding; remove it"


def test_the_comment_itself_is_not_checked_as_document_text(tmp_path):
    # "[PB101]" looks like template text ("[insert date]"); inside a comment it is plainbid's.
    report = _check(tmp_path, "Bids must follow the TUPE rules. <!-- plainbid: ignore[PB101] -->\n")
    assert [f.rule.code for f in report.findings if f.rule.code in ("PB301", "PB101")] == []


def test_a_long_sentence_is_accepted_on_any_of_its_lines(tmp_path):
    sentence = (
        "Bidders who wish to be considered for the framework must submit their completed\n"
        "selection questionnaire together with the supporting documents listed in the\n"
        "schedule before the closing date stated above. plainbid: ignore[long-sentence]\n"
    )
    assert [
        f.rule.code for f in _check(tmp_path, sentence).findings if f.rule.code == "PB201"
    ] == []


def test_unused_ignore_follows_config_like_any_rule(tmp_path):
    text = "Nothing here. plainbid: ignore[PB101]\n"
    assert [f.rule.code for f in _check(tmp_path, text).findings if f.rule.code == "PB901"] == [
        "PB901"
    ]
    assert _found(_check(tmp_path, text, ignore=["unused-ignore"])) == []
    [raised] = [
        f
        for f in _check(tmp_path, text, severity={"PB9": "error"}).findings
        if f.rule.code == "PB901"
    ]
    assert raised.severity is plainbid.Severity.ERROR


def test_comments_in_a_plain_text_file_work_the_same(tmp_path):
    report = _check(tmp_path, "Bids must follow the TUPE rules. # plainbid: ignore\n", "itt.txt")
    assert _found(report) == []


def test_per_file_ignores_and_allow_accept_findings_in_any_format(tmp_path):
    (tmp_path / "a.md").write_text("Bids must follow the TUPE rules.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("See the KPI table.\n", encoding="utf-8")
    report = plainbid.check(tmp_path, per_file_ignores={"*.md": ["PB101"]})
    assert [(Path(f.path).name, f.excerpt) for f in report.findings if f.rule.code == "PB101"] == [
        ("b.txt", "See the KPI table.")
    ]
    report = plainbid.check(tmp_path, allow=["KPI", "TUPE"])
    assert [f for f in report.findings if f.rule.code == "PB101"] == []
