"""The local web page and its JSON API, through Starlette's TestClient: real checks in real
child processes, no mocks of plainbid itself."""

from __future__ import annotations

import base64
import contextlib
import html
import io
import json
import multiprocessing
import os
import re
import shutil
import socket
import sys
import tempfile
import threading
import zipfile
from datetime import date
from importlib import resources
from pathlib import Path

import docx
import pytest
from helpers import PROJECT_ROOT, png_bytes
from hostile_corpus import big_docx
from starlette.testclient import TestClient

from plainbid.config import Settings
from plainbid.formatters import FORMATTERS
from plainbid.readers import ReadError, read_bytes
from plainbid.web import create_app, view
from plainbid.web.app import safe_name

SQ = PROJECT_ROOT / "examples" / "pack" / "02-selection-questionnaire.docx"
JARGON = "The Authority will publish the ITT on Monday. TUPE may apply to the staff who transfer."


@pytest.fixture(scope="module")
def client():
    app = create_app(Settings(), max_upload_mb=1, max_text_chars=200_000)
    with TestClient(app) as client:
        yield client


@pytest.fixture(scope="module")
def sq_page(client) -> str:
    response = client.post("/check", files={"file": (SQ.name, SQ.read_bytes())})
    assert response.status_code == 200, response.text
    return response.text


def read_error(name: str, data: bytes) -> str:
    """The message the CLI gives for this file (it reads every file with read_bytes)."""
    with pytest.raises(ReadError) as caught:
        read_bytes(name, data)
    return caught.value.message


def hidden_fields(page: str) -> list[tuple[str, str]]:
    return [
        (name, html.unescape(value))
        for name, value in re.findall(
            r'<input type="hidden" name="(carried_\w+)" value="([^"]*)">', page
        )
    ]


def download_form(page: str, wanted: str) -> dict[str, list[str] | str]:
    """The fields the result page's download form posts when `wanted` is pressed."""
    form: dict[str, list[str] | str] = {"format": wanted}
    for name, value in hidden_fields(page):
        form.setdefault(name, []).append(value)
    return form


def test_start_page_says_what_it_does_and_works_without_javascript(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.text
    form = re.search(r"<form[^>]*>", page).group(0)
    assert 'method="post"' in form and 'enctype="multipart/form-data"' in form
    assert 'action="/check"' in form
    # Every control has a label.
    for control in ("text", "file"):
        assert f'<label for="{control}">' in page and f'id="{control}"' in page
    assert '<button type="submit"' in page
    assert "Nothing is stored" in page
    assert "1 MB" in page  # the maximum upload, in plain words
    assert "200,000 characters" in page
    # No inline script or style: the Content-Security-Policy forbids them.
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/plainbid.js" defer>']
    assert " style=" not in page and not re.search(r"\son\w+=", page)
    assert "http://" not in page and "https://" not in page  # no external requests


def test_security_headers_and_no_cookies(client):
    for response in (client.get("/"), client.post("/check", data={"text": JARGON})):
        policy = response.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "unsafe-inline" not in policy
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["cache-control"] == "no-store"
        assert "set-cookie" not in response.headers
    static = client.get("/static/plainbid.js")
    assert static.status_code == 200 and "javascript" in static.headers["content-type"]
    assert "content-security-policy" in static.headers


def test_pasted_text_gives_the_glossary(client):
    response = client.post("/check", data={"text": JARGON})
    assert response.status_code == 200
    page = response.text
    assert "Glossary: " in page
    assert "Invitation to Tender" in page  # ITT, spelled out
    assert "Transfer of Undertakings" in page or "TUPE" in page
    assert "In plain words:" in page
    assert "Not defined in the document." in page
    assert "pasted text" in page


def test_uploaded_questionnaire_shows_its_questions_and_word_limits(sq_page):
    for text in ("Q3.1", "500 words", "Q3.2", "750 words", "Q4.6", "5,000 characters"):
        assert text in sq_page, text
    assert "Describe your experience of delivering similar services" in sq_page
    # What the bid demands comes first, then the glossary, then readability.
    demands = sq_page.index("What the bid will demand</h2>")
    glossary = sq_page.index('id="glossary-heading"')
    readability = sq_page.index('id="readability-heading"')
    assert demands < glossary < readability
    assert "Words to write</dt><dd>about 7,333" in sq_page
    assert "Pass/fail questions that can rule you out" in sq_page
    assert "The hardest passage" in sq_page
    assert "needs a reading age of about" in sq_page


def test_deadline_and_contract_value_from_the_pack(client):
    itt = PROJECT_ROOT / "examples" / "pack" / "01-invitation-to-tender.docx"
    response = client.post("/check", files={"file": (itt.name, itt.read_bytes())})
    assert response.status_code == 200
    assert "£85,000 a year" in response.text
    assert "3 years" in response.text
    assert re.search(r"Deadline</dt><dd>\w+day \d+ \w+ \d{4} \(", response.text)


@pytest.mark.parametrize(
    ("fields", "files", "status", "message"),
    [
        ({"text": ""}, None, 400, "Paste some text into the box, or choose a file"),
        ({"text": "   \n  "}, None, 400, "Paste some text into the box, or choose a file"),
        # What a browser sends when no file is chosen.
        ({"text": ""}, {"file": ("", b"", "application/octet-stream")}, 400, "Paste some text"),
        ({"text": "x" * 200_001}, None, 413, "over the limit of 200,000"),
        (None, {"file": ("big.txt", b"word " * 300_000)}, 413, "over the limit of 1 MB"),
    ],
    ids=["empty", "blank", "no-file-chosen", "text-too-long", "file-too-big"],
)
def test_bad_input_gets_a_clear_message(client, fields, files, status, message):
    response = client.post("/check", data=fields, files=files)
    assert response.status_code == status
    assert message in html.unescape(response.text)
    assert 'href="/"' in response.text  # a way back


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("budget.xlsx", _xlsx()),
        ("logo.png", png_bytes()),
        ("questionnaire.docx", SQ.read_bytes()[:20_000]),  # cut short: damaged
        ("notes.docx", b"These are plain text notes, not a Word document.\n"),  # wrong extension
        ("empty.txt", b""),
    ],
    ids=["spreadsheet", "picture", "corrupt-docx", "text-named-docx", "empty-file"],
)
def test_unreadable_files_get_the_clis_message(client, name, data):
    expected = read_error(name, data)
    response = client.post("/check", files={"file": (name, data)})
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert f"{name}</strong> {expected}" in page
    api = client.post("/api/check", files={"file": (name, data)})
    assert api.status_code == 422
    assert api.json()["errors"] == [{"path": name, "message": expected}]


def test_a_word_file_with_the_wrong_extension_is_read_with_a_note(client):
    response = client.post("/check", files={"file": ("questionnaire.txt", SQ.read_bytes())})
    assert response.status_code == 200
    assert "is named .txt but holds docx; read as docx" in response.text
    assert "Q3.1" in response.text


def test_one_bad_file_among_good_ones_is_listed_and_the_rest_checked(client):
    files = [("file", ("notes.txt", JARGON.encode())), ("file", ("logo.png", png_bytes()))]
    response = client.post("/check", files=files)
    assert response.status_code == 200
    assert "Not read" in response.text
    assert html.escape(read_error("logo.png", png_bytes())) in response.text
    assert "Invitation to Tender" in response.text


def test_document_text_is_shown_escaped(client):
    attack = "<script>alert(1)</script>"
    text = (
        f"Q1. Describe your approach to TUPE {attack} in no more than 500 words.\n\n"
        f"The ITT {attack} means the Invitation to Tender.\n"
    )
    name = '<img src=x onerror="alert(2)">.txt'
    response = client.post("/check", files={"file": (name, text.encode())})
    assert response.status_code == 200
    page = response.text
    assert attack not in page and "<img src=x" not in page
    assert html.escape(attack, quote=False) in page
    assert "&lt;img src=x onerror=" in page
    pasted = client.post("/check", data={"text": text})
    assert attack not in pasted.text and html.escape(attack, quote=False) in pasted.text


def test_api_returns_the_same_json_as_the_cli(client, invoke, tmp_path, monkeypatch):
    shutil.copy(SQ, tmp_path / SQ.name)
    (tmp_path / "pasted text").write_text(JARGON, encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # no config file on the way up: both use the defaults
    for name in (SQ.name, "pasted text"):
        cli = invoke(["check", name, "--format", "json", "--fail-on", "never"])
        response = client.post("/api/check", files={"file": (name, (tmp_path / name).read_bytes())})
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        assert response.json() == json.loads(cli.stdout)
    cli = json.loads(
        invoke(["check", "pasted text", "--format", "json", "--fail-on", "never"]).stdout
    )
    assert client.post("/api/check", json={"text": JARGON}).json() == cli
    assert client.post("/api/check", data={"text": JARGON}).json() == cli


@pytest.mark.parametrize(
    ("kwargs", "status", "message"),
    [
        ({"json": {"text": ""}}, 400, "Paste some text"),
        ({"json": {"text": "x" * 200_001}}, 413, "over the limit of 200,000"),
        ({"json": ["not", "an", "object"]}, 400, '{"text": "…"}'),
        ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 400, "JSON"),
        ({"content": b"hello", "headers": {"content-type": "text/plain"}}, 415, "JSON"),
    ],
    ids=["empty", "too-long", "not-an-object", "not-json", "not-a-form"],
)
def test_api_errors_are_json(client, kwargs, status, message):
    response = client.post("/api/check", **kwargs)
    assert response.status_code == status
    assert message in response.json()["error"]


def test_openapi_describes_the_api(client):
    schema = client.get("/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    operation = schema["paths"]["/api/check"]["post"]
    assert set(operation["requestBody"]["content"]) >= {"application/json", "multipart/form-data"}
    assert {"200", "413", "422", "504"} <= set(operation["responses"])


def test_downloads_are_made_from_the_documents_the_page_carries(client, sq_page):
    carried = hidden_fields(sq_page)
    assert [name for name, _ in carried] == ["carried_name", "carried_data"]
    word = client.post("/download", data=download_form(sq_page, "glossary-docx"))
    assert word.status_code == 200
    assert "02-selection-questionnaire-glossary.docx" in word.headers["content-disposition"]
    document = docx.Document(io.BytesIO(word.content))
    table_text = " ".join(cell.text for row in document.tables[0].rows for cell in row.cells)
    assert "Selection Questionnaire" in table_text
    markdown = client.post("/download", data=download_form(sq_page, "glossary-markdown"))
    assert markdown.status_code == 200
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert markdown.text.startswith("# Glossary of terms in this tender")
    report = client.post("/download", data=download_form(sq_page, "report-html"))
    if FORMATTERS.get("html"):
        assert 'value="report-html"' in sq_page
        assert report.status_code == 200 and "<html" in report.text.lower()
    else:
        assert 'value="report-html"' not in sq_page
        assert report.status_code == 404


def test_download_problems(client):
    assert client.post("/download", data={"text": JARGON, "format": "nonsense"}).status_code == 400
    damaged = client.post(
        "/download",
        data={"carried_name": "a.txt", "carried_data": "%%%", "format": "glossary-markdown"},
    )
    assert damaged.status_code == 400 and "damaged" in damaged.text
    assert client.get("/download", follow_redirects=False).status_code == 303


def test_large_uploads_are_not_carried_in_the_page(tmp_path):
    app = create_app(Settings(), embed_mb=0.001)
    with TestClient(app) as small:
        page = small.post("/check", data={"text": JARGON * 40}).text
    assert hidden_fields(page) == []
    assert "Choose the same files again" in page


def test_other_pages(client):
    assert client.get("/check", follow_redirects=False).headers["location"] == "/"
    missing = client.get("/nowhere")
    assert missing.status_code == 404 and "Page not found" in missing.text
    assert client.get("/api/nowhere").json() == {"error": "Not Found"}


def test_only_its_own_host_names_are_answered():
    app = create_app(Settings(), allowed_hosts=["127.0.0.1", "localhost"])
    with TestClient(app, base_url="http://localhost:8000") as local:
        assert local.get("/").status_code == 200
        assert local.get("/", headers={"host": "attacker.example"}).status_code == 400


def test_requests_at_once_each_get_their_own_answer(client):
    terms = ["ITT", "TUPE", "KPI", "SQ", "MEAT", "PQQ"]
    answers: dict[str, dict] = {}

    def ask(index: int, term: str) -> None:
        text = f"Document {index}. The {term} applies here."
        response = client.post("/api/check", files={"file": (f"doc-{index}.txt", text.encode())})
        answers[term] = response.json()

    threads = [threading.Thread(target=ask, args=(i, t)) for i, t in enumerate(terms)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for index, term in enumerate(terms):
        report = answers[term]
        assert [d["path"] for d in report["documents"]] == [f"doc-{index}.txt"]
        found = {t["first_seen_as"] for t in report["documents"][0].get("terms", [])}
        assert term in found, (term, found)
        others = set(terms) - {term}
        assert not (found & others), (term, found)


def test_a_check_over_the_time_limit_is_stopped_and_others_are_served():
    paragraph = (
        "The Contracting Authority will evaluate each Tender against the Award Criteria set out "
        "in the ITT, and Bidders must comply with TUPE and the KPIs in Schedule 3.\n\n"
    )
    app = create_app(Settings(), time_limit=3, max_text_chars=2_000_000)
    results: dict[str, object] = {}
    with TestClient(app) as timed:

        def slow() -> None:
            results["slow"] = timed.post("/check", data={"text": paragraph * 6000})

        thread = threading.Thread(target=slow)
        thread.start()
        quick = timed.post("/api/check", json={"text": JARGON})
        thread.join()
    assert quick.status_code == 200 and quick.json()["documents"]
    slow_response = results["slow"]
    assert slow_response.status_code == 504
    assert "stopped after 3 seconds" in slow_response.text
    assert multiprocessing.active_children() == []  # the stopped check is gone


@pytest.mark.skipif(sys.platform != "linux", reason="the memory limit needs RLIMIT_AS")
def test_a_check_over_the_memory_limit_gets_a_clear_message_and_others_are_served():
    """Real documents that need more than the memory limit: a long tender (its checks need
    about 50 MB) and a Word file whose half a megabyte inflates to 150 MB of text."""
    paragraph = (
        "The Contracting Authority will evaluate each Tender against the Award Criteria set out "
        "in the ITT, and Bidders must comply with TUPE and the KPIs in Schedule 3.\n\n"
    )
    app = create_app(Settings(memory_limit=20))
    with TestClient(app) as limited:
        long_tender = limited.post("/check", data={"text": paragraph * 3000})
        word_bomb = limited.post("/check", files={"file": ("huge.docx", big_docx(150))})
        quick = limited.post("/api/check", json={"text": JARGON})
    assert long_tender.status_code == 413
    page = html.unescape(long_tender.text)
    assert "These documents need more memory than this server allows for one check (20 MB)" in page
    assert "--memory-limit" in page and "please report" not in page
    assert word_bomb.status_code == 422
    assert "huge.docx</strong> needs more than the server's 20 MB memory limit to read" in (
        html.unescape(word_bomb.text)
    )
    # The same server, under the same limit, still checks a document of normal size.
    assert quick.status_code == 200 and quick.json()["documents"]
    assert multiprocessing.active_children() == []


def test_serve_takes_the_memory_limit_from_the_config_or_the_command_line(
    invoke, tmp_path, monkeypatch
):
    config = tmp_path / "plainbid.toml"
    config.write_text("memory-limit = 300\n", encoding="utf-8")
    started: list[Settings] = []
    monkeypatch.setattr(
        "plainbid.web.server.serve", lambda *args, **kwargs: started.append(args[3]["settings"])
    )
    assert "--memory-limit MB" in invoke(["serve", "--help"]).output
    for extra, expected in (
        ([], 300),
        (["--memory-limit", "100"], 100),
        (["--memory-limit", "0"], 0),
    ):
        assert invoke(["serve", "--config", str(config), *extra]).exit_code == 0
        assert started.pop().memory_limit == expected


def _new_files(folder: str, before: set[str]) -> list[Path]:
    found: list[Path] = []
    for name in set(os.listdir(folder)) - before:
        path = Path(folder) / name
        found += [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else [path]
    return found


def test_uploads_never_touch_the_temp_folder(monkeypatch):
    # Over a megabyte, which Starlette would normally spool to a temporary file, and marked
    # (uncompressed) so that any copy of it on disk can be recognised.
    token = os.urandom(16).hex().encode()
    buffer = io.BytesIO(SQ.read_bytes())
    with zipfile.ZipFile(buffer, "a") as archive:
        padding = token + os.urandom(1_500_000)
        archive.writestr("word/media/padding.bin", padding, compress_type=zipfile.ZIP_STORED)
    big = buffer.getvalue()
    marks = (token, base64.b64encode(big)[:64])
    app = create_app(Settings())
    folder = tempfile.gettempdir()
    with TestClient(app) as fresh:
        fresh.post("/api/check", json={"text": "warm up"})
        before = set(os.listdir(folder))

        def refuse(*args, **kwargs):
            raise AssertionError("a temporary file was made while handling an upload")

        # The server's own process never makes a temporary file...
        for name in ("TemporaryFile", "NamedTemporaryFile", "SpooledTemporaryFile", "mkstemp"):
            monkeypatch.setattr(tempfile, name, refuse)
        page = fresh.post("/check", files={"file": ("big.docx", big)})
        assert page.status_code == 200 and "Q3.1" in page.text
        word = fresh.post("/download", data=download_form(page.text, "glossary-docx"))
        assert word.status_code == 200
        monkeypatch.undo()
    # ...and nothing in the temp folder holds the upload (other programs may use the folder
    # meanwhile, so what is new is searched for the upload's marks rather than counted).
    for path in _new_files(folder, before):
        with contextlib.suppress(OSError):
            content = path.read_bytes()
            assert not any(mark in content for mark in marks), path


def test_carried_documents_round_trip_exactly(client):
    text = "Line one of the ITT.\r\nLine two\n\n  indented ünïcödé £100 — TUPE\n"
    page = client.post("/check", data={"text": text}).text
    carried = dict(hidden_fields(page))
    assert carried["carried_name"] == "pasted text"
    # Carried as base64, so line ends and every character come back exactly as checked.
    assert base64.b64decode(carried["carried_data"]).decode() == text


def test_settings_are_used(tmp_path):
    app = create_app(Settings(allow=["ITT"]))
    with TestClient(app) as allowing:
        report = allowing.post("/api/check", json={"text": JARGON}).json()
    terms = {t["first_seen_as"] for t in report["documents"][0]["terms"]}
    assert "ITT" not in terms and "TUPE" in terms


def test_templates_and_static_files_are_package_data():
    web = resources.files("plainbid.web")
    for name in ("index.html", "result.html", "problem.html", "base.html"):
        assert web.joinpath("templates", name).is_file()
    for name in ("plainbid.css", "plainbid.js"):
        assert web.joinpath("static", name).is_file()


def test_serve_says_when_the_port_is_taken(invoke):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = invoke(["serve", "--port", str(port)])
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Try another --port" in result.stderr


def test_plain_words_for_limits_deadlines_and_names():
    today = date(2027, 1, 1)
    assert view.deadline("2027-01-15", today) == {
        "date": "Friday 15 January 2027",
        "left": "14 days from today",
    }
    assert view.deadline("2027-01-02", today)["left"] == "tomorrow"
    assert view.deadline("2026-12-30", today)["left"] == "2 days ago: it has passed"
    assert view.deadline(None, today) is None
    assert view.limit_text({"amount": 500, "unit": "words"}) == "500 words"
    assert view.limit_text({"amount": 1, "unit": "pages"}) == "1 page"
    assert view.limit_text({"amount": None, "unit": "pages", "placeholder": True}).startswith(
        "left blank"
    )
    assert view.limit_text(None) == "no limit given"
    assert view.reading_time(0.4) == "under a minute"
    assert view.reading_time(27.7) == "about 28 minutes"
    assert view.years(0.5) == "6 months" and view.years(3.0) == "3 years"
    assert safe_name("C:\\Users\\me\\Tender.docx") == "Tender.docx"
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("a\x00b\x1b.txt") == "ab.txt"
    assert safe_name("") == "upload"
    assert len(safe_name("x" * 500 + ".docx")) <= 120 and safe_name("x" * 500 + ".docx").endswith(
        ".docx"
    )
