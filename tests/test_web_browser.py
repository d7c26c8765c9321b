"""The web page in a real browser against the real server: `plainbid serve` in a subprocess,
Playwright driving the system's Chromium, headless.

Playwright's own browser download is not used; the test launches Debian's `chromium`, which
.ci/run installs. A machine without it fails here rather than skipping.
"""

from __future__ import annotations

import base64
import os
import queue
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from helpers import PROJECT_ROOT
from playwright.sync_api import Browser, Page, expect

SQ = PROJECT_ROOT / "examples" / "pack" / "02-selection-questionnaire.docx"
JARGON = "The Authority will publish the ITT on Monday. TUPE may apply to the staff who transfer."
ATTACK = "<script>alert(1)</script>"
RUNNING = re.compile(r"plainbid is running: open (http://127\.0\.0\.1:\d+) in your browser")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`plainbid serve --open` on a free port, with a 1 MB upload limit; yields its address.

    The "browser" that --open starts is a script that writes down the address it was given.
    """
    folder = tmp_path_factory.mktemp("serve")
    opener = folder / "opener.py"
    opener.write_text(
        "import pathlib, sys\npathlib.Path(sys.argv[1]).write_text(sys.argv[2])\n",
        encoding="utf-8",
    )
    opened = folder / "opened.txt"
    command = ["serve", "--port", "0", "--max-upload-mb", "1", "--open"]
    process = subprocess.Popen(
        [sys.executable, "-m", "plainbid", *command],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "BROWSER": f"{sys.executable} {opener} {opened} %s"},
    )
    lines: queue.Queue[str] = queue.Queue()
    output: list[str] = []

    def pump() -> None:
        for line in process.stdout:
            output.append(line)
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    try:
        url = None
        while url is None:
            try:
                line = lines.get(timeout=120)
            except queue.Empty:
                pytest.fail(f"plainbid serve did not start: {''.join(output)}")
            match = RUNNING.search(line)
            url = match.group(1) if match else None
        for _ in range(100):  # --open starts the browser just after the line is printed
            if opened.exists() and opened.read_text():
                break
            time.sleep(0.1)
        assert opened.read_text() == url
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
    # Nothing about a request is logged: the server printed its one line and nothing else.
    assert [line for line in output if line.strip()] == [
        f"plainbid is running: open {url} in your browser (Ctrl+C to stop)\n"
    ], output


class Watched:
    """A page with every console message, page error, dialog and outside request recorded."""

    def __init__(self, browser: Browser, server: str, javascript: bool = True, width: int = 1200):
        self.context = browser.new_context(
            java_script_enabled=javascript,
            viewport={"width": width, "height": 900},
            accept_downloads=True,
        )
        self.page: Page = self.context.new_page()
        self.problems: list[str] = []
        self.dialogs: list[str] = []
        page = self.page
        page.on("console", lambda m: self.problems.append(f"console {m.type}: {m.text}"))
        page.on("pageerror", lambda error: self.problems.append(f"error: {error}"))

        def dialog(d) -> None:
            self.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", dialog)
        page.on(
            "request",
            lambda r: (
                None
                if r.url.startswith((server, "data:"))
                else self.problems.append(f"outside request: {r.url}")
            ),
        )
        page.goto(server)

    def close(self) -> None:
        self.context.close()

    def no_horizontal_scroll(self) -> bool:
        return self.page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )


@pytest.fixture
def watched(browser: Browser, server: str) -> Iterator[Watched]:
    opened = Watched(browser, server)
    yield opened
    assert opened.problems == []
    assert opened.dialogs == []
    opened.close()


def test_paste_text_and_see_the_glossary(watched: Watched, tmp_path: Path) -> None:
    page = watched.page
    page.get_by_label("Paste text").fill(JARGON)
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What this tender asks of you")
    glossary = page.locator("#glossary")
    expect(glossary.get_by_text("Invitation to Tender", exact=True)).to_be_visible()
    expect(glossary.get_by_text("Not defined in the document.").first).to_be_visible()
    page.screenshot(path=tmp_path / "pasted.png", full_page=True)


def test_drop_a_docx_and_see_its_questions_and_word_limits(
    watched: Watched, tmp_path: Path
) -> None:
    page = watched.page
    # A real drop onto the drop area: a DataTransfer holding the file, as a browser makes one.
    page.locator("[data-drop-zone]").evaluate(
        """(zone, [name, data]) => {
            const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name));
            zone.dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true}));
        }""",
        [SQ.name, base64.b64encode(SQ.read_bytes()).decode()],
    )
    expect(page.locator("#file-status")).to_contain_text(f"Chosen: {SQ.name}")
    page.screenshot(path=tmp_path / "dropped.png")
    page.get_by_role("button", name="Check").click()
    table = page.get_by_role("table", name="Questions and their limits")
    expect(table).to_be_visible()
    row = table.get_by_role("row").filter(has_text="Q3.1")
    expect(row).to_contain_text("500 words")
    expect(table.get_by_role("row").filter(has_text="Q3.2")).to_contain_text("750 words")
    expect(table.get_by_role("row").filter(has_text="Q4.6")).to_contain_text("5,000 characters")
    page.screenshot(path=tmp_path / "questions.png", full_page=True)


def test_download_the_word_glossary(watched: Watched, tmp_path: Path) -> None:
    page = watched.page
    page.get_by_label("Or choose files").set_input_files(SQ)
    page.get_by_role("button", name="Check").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Glossary (Word)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "02-selection-questionnaire-glossary.docx"
    document = docx.Document(str(saved))
    assert document.paragraphs[0].text == "Glossary of terms in this tender"
    terms = [row.cells[0].text for row in document.tables[0].rows[1:]]
    assert "Selection Questionnaire" in terms
    # The page is still there, and the Markdown comes from the same carried document.
    with page.expect_download() as markdown:
        page.get_by_role("button", name="Glossary (Markdown)").click()
    assert Path(markdown.value.path()).read_text(encoding="utf-8").startswith("# Glossary")


def test_an_oversized_upload_gets_the_limit_message(
    browser: Browser, server: str, watched: Watched, tmp_path: Path
) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * 300_000)  # 1.4 MB, over the 1 MB limit
    page = watched.page
    page.get_by_label("Or choose files").set_input_files(big)
    status = page.locator("#file-status")
    expect(status).to_contain_text("over the limit of 1 MB")
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check a tender document")
    # Without JavaScript the form is sent, and the server answers 413 with the same limit; this
    # one is so large that the server stops reading it before parsing the form.
    huge = tmp_path / "huge.txt"
    huge.write_bytes(b"word " * 1_700_000)  # 8.1 MB
    plain = Watched(browser, server, javascript=False)
    try:
        plain.page.get_by_label("Or choose files").set_input_files(huge)
        with plain.page.expect_response(lambda r: r.url.endswith("/check")) as response:
            plain.page.get_by_role("button", name="Check").click()
        assert response.value.status == 413
        expect(plain.page.get_by_role("alert")).to_contain_text("over the limit of 1 MB")
        plain.page.screenshot(path=tmp_path / "too-large.png")
        assert [p for p in plain.problems if "status of 413" not in p] == []
    finally:
        plain.close()


def test_script_in_a_document_shows_as_text_and_never_runs(
    watched: Watched, tmp_path: Path
) -> None:
    hostile = tmp_path / "<img src=x onerror=alert(2)>.txt"
    hostile.write_text(
        f"Q1. Describe your approach to TUPE {ATTACK} in no more than 500 words.\n\n"
        f"The ITT {ATTACK} is the Invitation to Tender.\n",
        encoding="utf-8",
    )
    page = watched.page
    page.get_by_label("Or choose files").set_input_files(hostile)
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_role("table", name="Questions and their limits")).to_contain_text(ATTACK)
    expect(page.locator(".checked")).to_contain_text("<img src=x onerror=alert(2)>.txt")
    assert page.locator("main script, main img").count() == 0
    page.screenshot(path=tmp_path / "escaped.png", full_page=True)
    # The `watched` fixture then checks that no dialog fired and nothing broke.


def test_keyboard_only_and_200_percent_zoom(browser: Browser, server: str, tmp_path: Path) -> None:
    # 200% zoom on a 1280-pixel screen is a 640-pixel-wide page.
    zoomed = Watched(browser, server, width=640)
    try:
        page = zoomed.page
        assert zoomed.no_horizontal_scroll()
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
        for _ in range(3):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == "text":
                break
        assert page.evaluate("document.activeElement.id") == "text"
        page.keyboard.type(JARGON)
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "file"
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Check"
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("What this tender asks of you")
        assert zoomed.no_horizontal_scroll()
        page.screenshot(path=tmp_path / "zoomed.png", full_page=True)
        assert zoomed.problems == [] and zoomed.dialogs == []
    finally:
        zoomed.close()
