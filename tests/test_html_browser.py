"""The HTML report in a real browser: Playwright driving the system's Chromium, headless.

Playwright's own browser download is not used; the test launches Debian's `chromium`, which
.ci/run installs. A machine without it fails here rather than skipping, so a missing browser
is never mistaken for a passing report.
"""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from outputs_helpers import HOSTILE_MD, build, examples_report, output
from playwright.sync_api import Browser, Page, expect


@pytest.fixture(scope="module")
def examples_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(output("html", examples_report()), encoding="utf-8")
    return path


def open_page(browser: Browser, path: Path, javascript: bool = True) -> tuple[Page, list[str]]:
    context = browser.new_context(
        java_script_enabled=javascript, viewport={"width": 1200, "height": 900}
    )
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"error: {error}"))

    def on_dialog(dialog) -> None:  # alert() from a document would land here
        problems.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    def on_request(request) -> None:  # the page must fetch nothing but itself
        if not request.url.startswith("file:"):
            problems.append(f"request: {request.url}")

    page.on("dialog", on_dialog)
    page.on("request", on_request)
    page.goto(path.as_uri())
    return page, problems


def test_summary_chart_and_marks_are_visible_and_a_click_explains(
    browser: Browser, examples_page: Path, tmp_path: Path
) -> None:
    page, problems = open_page(browser, examples_page)
    expect(page.locator("h1")).to_have_text("plainbid report")
    band = page.locator("#band")
    expect(band).to_be_visible()
    # innerText follows the style sheet, which shows the band in capitals: the CSS was applied.
    assert band.locator(".band-name").inner_text() == "Proportionality: DISPROPORTIONATE"
    expect(band.locator("li.reason")).to_have_count(5)
    chart = page.locator("#chart-grade svg")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box and box["width"] > 400 and box["height"] > 400
    expect(page.locator("#chart-grade rect.over").first).to_be_visible()

    mark = page.locator("a.flag[href='#f-1'] mark")
    expect(mark).to_have_text("ITT")
    expect(mark).to_be_visible()
    explanation = page.locator("#f-1 .why")
    expect(explanation).to_be_hidden()  # inside a closed <details> until asked for
    mark.click()
    expect(page.locator("#f-1 details")).to_have_attribute("open", "")
    expect(explanation).to_be_visible()
    expect(explanation).to_contain_text("Why it matters")
    assert page.url.endswith("#f-1")
    expect(page.locator("#f-1")).to_have_class("finding sev-warning current")
    # The styles and the script were allowed by the page's own policy, and nothing was fetched.
    assert problems == [], problems

    shot = tmp_path / "report.png"
    page.screenshot(path=str(shot), full_page=False)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1200, 900)
    assert len(data) > 20_000  # text, a coloured band and highlights, not a blank page
    page.context.close()


def test_links_work_without_javascript(browser: Browser, examples_page: Path) -> None:
    page, problems = open_page(browser, examples_page, javascript=False)
    page.locator("a.flag[href='#f-2'] mark").click()
    assert page.url.endswith("#f-2")
    finding = page.locator("#f-2")
    expect(finding.locator(".message")).to_be_visible()
    expect(finding.locator(".message")).to_contain_text("'Resettlement' is jargon")
    expect(finding.locator(".suggestion")).to_contain_text("support after prison")
    finding.locator("summary").click()  # <details> opens without script
    expect(finding.locator(".why")).to_be_visible()
    assert problems == [], problems
    page.context.close()


def test_hide_notes_needs_no_script(browser: Browser, examples_page: Path) -> None:
    page, _ = open_page(browser, examples_page, javascript=False)
    note = page.locator("li.finding.sev-note").first
    expect(note).to_be_visible()
    page.locator("label[for='hide-notes']").click()
    expect(note).to_be_hidden()
    expect(page.locator("li.finding.sev-warning").first).to_be_visible()
    page.context.close()


def test_a_hostile_document_shows_as_text_and_runs_nothing(
    browser: Browser, tmp_path: Path
) -> None:
    (tmp_path / "itt.md").write_text(HOSTILE_MD, encoding="utf-8")
    path = tmp_path / "hostile.html"
    path.write_text(output("html", build(["itt.md"], cwd=tmp_path)), encoding="utf-8")
    page, problems = open_page(browser, path)
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("img").count() == 0
    expect(page.locator("#d1-b1")).to_have_text(
        "Tender for <script>window.__pwned = 1</script> services"
    )
    expect(page.locator("#d1-b3")).to_contain_text("<script>alert(1)</script>")
    paragraph = page.locator("#d1-b2")
    expect(paragraph).to_contain_text('<img src=x onerror="window.__pwned = 2">')
    expect(paragraph.locator("mark.term", has_text="TUPE")).to_be_visible()
    paragraph.locator("mark.term", has_text="TUPE").click()
    assert page.evaluate("() => window.__pwned") is None
    assert problems == [], problems
    page.context.close()
