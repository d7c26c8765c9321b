"""The HTML report as a file: self-contained, escaped, every mark linked to its finding.

tests/test_html_browser.py opens the same pages in a real browser.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import lxml.html
import pytest
from outputs_helpers import HOSTILE_MD, build, examples_report, output

from plainbid.formatters import applicant_glossary
from plainbid.formatters import html as html_format


@pytest.fixture(scope="module")
def page() -> str:
    return output("html", examples_report())


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "itt.md").write_text(HOSTILE_MD, encoding="utf-8")
    report = build(["itt.md"], cwd=folder)
    return report, output("html", report)


def test_the_page_is_self_contained(page: str) -> None:
    assert page.startswith("<!doctype html>")
    # Nothing is fetched: no external scripts, styles, images, fonts or frames.
    assert not re.search(r"<(script|link|img|iframe)[^>]*\s(src|href)=", page)
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "url(" not in page
    tree = lxml.html.fromstring(page)
    assert len(tree.xpath("//script")) == 1


def test_the_content_security_policy_allows_only_this_pages_style_and_script(page: str) -> None:
    policy = re.search(r"http-equiv='Content-Security-Policy' content=\"([^\"]+)\"", page)[1]
    script = re.search(r"<script>(.*?)</script>", page, flags=re.S)[1]
    style = re.search(r"<style>(.*?)</style>", page, flags=re.S)[1]

    def digest(text: str) -> str:
        return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()

    assert f"script-src 'sha256-{digest(script)}'" in policy
    assert f"style-src 'sha256-{digest(style)}'" in policy
    assert policy.startswith("default-src 'none'")


def test_summary_band_and_reasons_come_first(page: str) -> None:
    tree = lxml.html.fromstring(page)
    main = tree.xpath("//main")[0]
    assert main[0].get("id") == "summary"
    band = tree.get_element_by_id("band")
    assert "band-disproportionate" in band.get("class")
    assert "disproportionate" in band.text_content()
    reasons = band.xpath(".//li[@class='reason']")
    proportionality = examples_report().pack_data["proportionality"]
    assert len(reasons) == len(proportionality["reasons"])
    assert "turnover-above-multiple" in reasons[1].text_content()


def test_charts_are_drawn_from_the_report(page: str) -> None:
    tree = lxml.html.fromstring(page)
    report = examples_report()
    grades = [
        section
        for document in report.documents
        for section in document.data["readability"]["sections"]
        if section["flesch_kincaid_grade"] is not None
    ]
    bars = tree.xpath("//figure[@id='chart-grade']//*[local-name()='rect']")
    assert len(bars) == len(grades)
    over = [bar for bar in bars if "over" in bar.get("class")]
    assert len(over) == sum(1 for section in grades if section["flesch_kincaid_grade"] > 9)
    questions = tree.xpath("//figure[@id='chart-questions']//*[local-name()='rect']")
    assert len(questions) == 11  # the SQ's questions with a limit
    words = tree.xpath("//figure[@id='chart-document-words']//*[local-name()='text']")
    assert "7,333" in [text.text for text in words]
    jargon = tree.get_element_by_id("chart-jargon")
    assert jargon.xpath(".//*[local-name()='svg']/@role") == ["img"]
    assert "never explained" in jargon.text_content()


def test_every_mark_links_to_a_finding_with_its_explanation(page: str) -> None:
    tree = lxml.html.fromstring(page)
    report = examples_report()
    ids = tree.xpath("//@id")
    assert len(ids) == len(set(ids)), "ids must be unique"
    findings = tree.xpath("//li[contains(@class, 'finding')]/@id")
    assert sorted(findings) == sorted(f"f-{n}" for n in range(1, len(report.findings) + 1))
    for listed in tree.xpath("//ol[@class='findings']"):
        numbers = [int(value) for value in listed.xpath("./li/@value")]
        assert numbers == sorted(numbers)
    for link in tree.xpath("//a[starts-with(@href, '#')]/@href"):
        assert link[1:] in ids, link
    first = tree.get_element_by_id("f-1")
    assert "'ITT' is jargon" in first.text_content()
    assert "Why it matters" in first.xpath(".//details")[0].text_content()
    itt = tree.xpath("//a[@href='#f-1']/mark")[0]
    assert itt.text == "ITT" and "term" in itt.get("class")
    assert "request for bids" in itt.get("title")


def test_marks_nest_terms_inside_sentences(page: str) -> None:
    tree = lxml.html.fromstring(page)
    sentence = tree.xpath("//mark[contains(@class, 'sentence')][.//mark[contains(., 'SQ')]]")
    assert sentence, "jargon inside a long sentence keeps its own mark"
    assert "Sentence of 46 words" in sentence[0].get("title")


def test_every_block_shows_its_text_exactly(page: str) -> None:
    tree = lxml.html.fromstring(page)
    by_id = {element.get("id"): element for element in tree.iter() if element.get("id")}
    for number, document in enumerate(examples_report().documents, 1):
        for index, block in enumerate(document.document.blocks, 1):
            element = by_id[f"d{number}-b{index}"]
            assert _visible_text(element) == _label(block) + block.text


def _visible_text(element) -> str:
    """Text of a block as a reader sees it, without the numbered links to findings."""
    copy = lxml.html.fromstring(lxml.html.tostring(element, encoding="unicode"))
    for sup in copy.xpath(".//sup"):
        sup.drop_tree()
    for br in copy.xpath(".//br"):
        br.tail = "\n" + (br.tail or "")
    return copy.text_content()


def _label(block) -> str:
    return f"{block.location.part or block.kind.value}: " if block.location.part else ""


def test_hostile_text_is_shown_as_text(hostile) -> None:
    report, page = hostile
    assert "<script>window.__pwned" not in page and "<script>alert(1)</script>" not in page
    assert "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    tree = lxml.html.fromstring(page)
    assert len(tree.xpath("//script")) == 1 and not tree.xpath("//img")
    blocks = report.documents[0].document.blocks
    for index, block in enumerate(blocks, 1):
        assert _visible_text(tree.get_element_by_id(f"d1-b{index}")) == block.text
    # The jargon in the paragraph holding the <img> text is still marked.
    marks = tree.xpath("//p[@id='d1-b2']//mark/text()")
    assert "ITT" in marks and "TUPE" in marks
    # Headings quoted in titles stay inside their attribute.
    for element in tree.xpath("//*[@title]"):
        assert "onerror" not in element.attrib


def test_glossary_lists_every_term(page: str) -> None:
    tree = lxml.html.fromstring(page)
    items = applicant_glossary.collect(examples_report())
    terms = tree.xpath("//section[@id='glossary']//dt/text()")
    assert terms == [item.term for item in items]
    assert len(terms) > 50


def test_output_is_deterministic(hostile, tmp_path: Path) -> None:
    report, page = hostile
    assert output("html", report) == page
    assert html_format.render(report) == page


def test_the_cli_writes_html_and_sarif(invoke, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("itt.md").write_text(HOSTILE_MD, encoding="utf-8")
    for name in ("html", "sarif"):
        result = invoke(["check", "itt.md", "--format", name, "-o", f"report.{name}"])
        assert result.exit_code in (0, 1), result.output
        written = Path(f"report.{name}").read_text(encoding="utf-8")
        assert written == output(name, build(["itt.md"], cwd=tmp_path))


def test_the_format_option_offers_every_formatter() -> None:
    from plainbid.cli import check
    from plainbid.formatters import FORMATTERS

    option = next(param for param in check.params if param.name == "output_format")
    assert sorted(option.type.choices) == sorted(FORMATTERS)
    assert {"text", "json", "sarif", "html", "markdown"} <= set(FORMATTERS)
