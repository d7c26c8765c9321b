"""The local web page: paste text or drop files, get what the bid will demand and a glossary.

One page with a normal HTML form (it works without JavaScript), a result page, downloads made
on the fly, and a JSON API (`POST /api/check`) that answers with the same JSON as
`plainbid check --format json`.

Nothing is kept. A request's body is read into memory (never spooled to a temporary file),
checked in a child process (`plainbid.web.worker`) and dropped when the answer is sent. The
result page carries the uploaded documents back in hidden form fields (base64, up to
`embed_mb`), so its download buttons post them again and the server needs no memory of them:
no sessions, no cookies, no files. Document text is never logged: uvicorn's access log is off
and the app logs nothing of a request's content.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from pathlib import PureWindowsPath
from typing import Any
from urllib.parse import parse_qsl

import anyio
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from plainbid import __version__
from plainbid.config import Settings
from plainbid.web import view
from plainbid.web.worker import Busy, Checker, Crashed, Job, Outcome, TimedOut, memory_needed

DEFAULT_MAX_UPLOAD_MB = 20.0
DEFAULT_MAX_TEXT_CHARS = 1_000_000
DEFAULT_TIME_LIMIT = 60.0
DEFAULT_EMBED_MB = 5.0
MAX_FILES = 20
ACCEPT = ".docx,.pdf,.txt,.md"
PASTED_NAME = "pasted text"
MB = 1024 * 1024

DOWNLOADS = {
    "glossary-docx": (
        "glossary.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "glossary-markdown": ("glossary.md", "text/markdown; charset=utf-8"),
    "report-html": ("report.html", "text/html; charset=utf-8"),
}

SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]


@dataclass(frozen=True)
class Limits:
    max_upload_bytes: int
    max_text_chars: int
    embed_bytes: int
    max_files: int = MAX_FILES

    @property
    def body_bytes(self) -> int:
        """The largest request body read: the files (or their base64 when a result page posts
        them back), the pasted text in UTF-8, and room for the form's own fields."""
        carried = max(self.max_upload_bytes, self.embed_bytes) * 4 // 3 + 4096
        return carried + self.max_text_chars * 4 + MB

    def upload_mb(self) -> str:
        return _mb(self.max_upload_bytes)


class InputProblem(Exception):
    """A request the page can answer with a clear message and an HTTP status."""

    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.title = title
        self.message = message


def _mb(size: int) -> str:
    value = size / MB
    return f"{value:.0f} MB" if value >= 10 or value == int(value) else f"{value:.1f} MB"


def _too_large(limits: Limits, size: int | None = None) -> InputProblem:
    shown = f"This upload is {_mb(size)}, over" if size else "This upload is over"
    return InputProblem(
        413,
        "Too large to check",
        f"{shown} the limit of {limits.upload_mb()}. Check the documents one at a time, or "
        "split a long one, or save a PDF again without its pictures.",
    )


def _templates() -> Environment:
    environment = Environment(
        loader=PackageLoader("plainbid.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["num"] = lambda value: f"{value:,}" if isinstance(value, int) else value
    environment.globals["version"] = __version__
    return environment


def safe_name(raw: str | None) -> str:
    """A file's own name without any folder, control characters or excess length."""
    name = PureWindowsPath(raw or "").name  # splits on both / and \
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip()
    if len(name) > 120:
        stem, dot, suffix = name.rpartition(".")
        name = (stem[:100] + dot + suffix[:10]) if dot and len(suffix) <= 10 else name[:120]
    return name or "upload"


def _ascii_filename(stem_from: str, suffix_name: str) -> str:
    stem = PureWindowsPath(stem_from).stem if stem_from != PASTED_NAME else "pasted-text"
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.") or "plainbid"
    return f"{stem[:60]}-{suffix_name}"


class _InMemoryMultiPartParser(MultiPartParser):
    # Never roll an upload over to a temporary file: the whole body is in memory already.
    spool_max_size = 1 << 62


async def _read_body(request: Request, limits: Limits) -> bytes:
    """The whole body, or 413 past the limit. An oversized body is still read to its end
    (up to 16 times the limit) and thrown away, so that the browser sees the answer rather
    than a broken connection."""
    limit = limits.body_bytes
    declared = request.headers.get("content-length", "")
    chunks: list[bytes] = []
    size = 0
    over = declared.isdigit() and int(declared) > limit
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            over = True
        if over:
            chunks.clear()
            if size > 16 * limit:
                break
            continue
        chunks.append(chunk)
    if over:
        raise _too_large(limits, int(declared) if declared.isdigit() else None)
    return b"".join(chunks)


async def _form(request: Request, limits: Limits) -> FormData | dict[str, Any]:
    """The posted fields: multipart and url-encoded forms, and (for the API) a JSON object."""
    body = await _read_body(request, limits)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "multipart/form-data":

        async def stream() -> AsyncIterator[bytes]:
            yield body

        parser = _InMemoryMultiPartParser(
            request.headers,
            stream(),
            max_files=limits.max_files * 2,
            max_fields=limits.max_files * 4 + 10,
            max_part_size=limits.body_bytes,
        )
        try:
            return await parser.parse()
        except MultiPartException as error:
            raise InputProblem(
                400, "The form could not be read", f"The upload was not understood: {error}"
            ) from error
    if content_type == "application/x-www-form-urlencoded":
        return FormData(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    if content_type == "application/json":
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError) as error:
            raise InputProblem(
                400,
                "Not valid JSON",
                f'The body is not valid JSON ({error}); send {{"text": "…"}}.',
            ) from error
        if not isinstance(data, dict) or not isinstance(data.get("text", ""), str):
            raise InputProblem(400, "Not understood", 'Send a JSON object: {"text": "…"}.')
        return data
    if not body:
        return FormData()
    raise InputProblem(
        415,
        "Not understood",
        "Send a form (multipart/form-data or url-encoded) or JSON with a text field.",
    )


def _documents(fields: FormData | dict[str, Any], limits: Limits) -> list[tuple[str, bytes]]:
    """(name, bytes) for every document posted: pasted text, uploaded files, and documents a
    result page carries back for a download."""
    documents: list[tuple[str, bytes]] = []
    text = fields.get("text") or ""
    if not isinstance(text, str):
        raise InputProblem(400, "Not understood", "The text field must be text, not a file.")
    if len(text) > limits.max_text_chars:
        raise InputProblem(
            413,
            "Too much text to check",
            f"The pasted text is {len(text):,} characters, over the limit of "
            f"{limits.max_text_chars:,}. Paste it in parts, or save it as a file and upload it.",
        )
    if text.strip():
        documents.append((PASTED_NAME, text.encode("utf-8")))
    getlist = fields.getlist if isinstance(fields, FormData) else lambda _key: []
    uploads = [item for item in getlist("file") if isinstance(item, UploadFile)]
    for upload in uploads:
        data = upload.file.read()
        if not upload.filename and not data:
            continue  # the browser's "no file chosen"
        documents.append((safe_name(upload.filename), data))
    names, carried = getlist("carried_name"), getlist("carried_data")
    if len(names) != len(carried):
        raise InputProblem(400, "Not understood", "The documents to download were not complete.")
    for name, encoded in zip(names, carried, strict=True):
        try:
            data = base64.b64decode(str(encoded), validate=True)
        except (binascii.Error, ValueError) as error:
            raise InputProblem(
                400, "Not understood", "The documents to download were damaged; check them again."
            ) from error
        documents.append((safe_name(str(name)), data))
    if len(documents) > limits.max_files:
        raise InputProblem(
            400,
            "Too many files",
            f"{len(documents)} documents were sent; the limit is {limits.max_files} at once.",
        )
    size = sum(len(data) for name, data in documents if name != PASTED_NAME)
    if size > limits.max_upload_bytes:
        raise _too_large(limits, size)
    if not documents:
        raise InputProblem(
            400,
            "Nothing to check",
            "Paste some text into the box, or choose a file, then press Check.",
        )
    return documents


class SecurityHeaders:
    """Adds the security headers to every response, `Cache-Control: no-store` to every
    response but the static files (a result page holds the document: no cache may keep it),
    and refuses requests for a host name other than the server's own (DNS rebinding)."""

    def __init__(self, app: ASGIApp, allowed_hosts: list[str] | None) -> None:
        self.app = app
        self.allowed_hosts = {host.lower() for host in allowed_hosts} if allowed_hosts else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += SECURITY_HEADERS
                if not static:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        if self.allowed_hosts is not None and _host(scope) not in self.allowed_hosts:
            response = Response("This address is not allowed.", 400, media_type="text/plain")
            await response(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)


def _host(scope: Scope) -> str:
    for key, value in scope.get("headers", []):
        if key == b"host":
            host = value.decode("latin-1").lower()
            if host.startswith("["):
                return host[: host.find("]") + 1] if "]" in host else host
            return host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    return ""


def create_app(
    settings: Settings | None = None,
    *,
    max_upload_mb: float = DEFAULT_MAX_UPLOAD_MB,
    max_text_chars: int = DEFAULT_MAX_TEXT_CHARS,
    time_limit: float = DEFAULT_TIME_LIMIT,
    embed_mb: float = DEFAULT_EMBED_MB,
    parallel: int | None = None,
    allowed_hosts: list[str] | None = None,
) -> Starlette:
    """The web app. `settings` are used for every check (default: plainbid's defaults);
    `allowed_hosts` (when given) are the only Host headers answered."""
    settings = settings or Settings()
    limits = Limits(
        max_upload_bytes=int(max_upload_mb * MB),
        max_text_chars=max_text_chars,
        embed_bytes=int(embed_mb * MB),
    )
    checker = Checker(time_limit, parallel or max(2, min(os.cpu_count() or 2, 8)))
    templates = _templates()

    def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
        context.setdefault("limits", limits)
        context.setdefault("accept", ACCEPT)
        return HTMLResponse(templates.get_template(name).render(**context), status)

    def problem_page(problem: InputProblem) -> HTMLResponse:
        return page(
            "problem.html",
            problem.status,
            title=problem.title,
            message=problem.message,
            failures=[],
        )

    async def run(job: Job) -> Outcome:
        """Run a job in a child process; raise InputProblem for the page to show."""
        try:
            outcome = await anyio.to_thread.run_sync(checker.run, job)
        except Busy as error:
            raise InputProblem(
                503,
                "Too busy",
                "plainbid is checking other documents and has no room for this one yet. "
                "Wait a minute and try again.",
            ) from error
        except TimedOut as error:
            raise InputProblem(
                504,
                "The check took too long",
                f"The check was stopped after {checker.time_limit:g} seconds. Check the "
                "documents one at a time, or split a long one, and try again.",
            ) from error
        except Crashed as error:
            memory = memory_needed(settings.memory_limit)
            raise InputProblem(
                500,
                "The check stopped",
                f"The check stopped without an answer: the documents probably need {memory}, "
                "or one of them is damaged. Check them one at a time, or split a long one, or "
                "save a fresh copy, and try again.",
            ) from error
        if outcome.status == "memory":
            raise InputProblem(413, "Too large to check", outcome.message)
        if outcome.status in ("config", "error"):
            raise InputProblem(500, "plainbid has a problem", outcome.message)
        if outcome.status == "missing":
            raise InputProblem(404, "Not available", outcome.message)
        return outcome

    async def index(request: Request) -> Response:
        return page("index.html")

    async def check(request: Request) -> Response:
        try:
            documents = _documents(await _form(request, limits), limits)
            outcome = await run(Job("page", documents, settings))
        except InputProblem as problem:
            return problem_page(problem)
        if outcome.status == "unreadable":
            one = len(outcome.failures) == 1
            return page(
                "problem.html",
                422,
                title="This file could not be read" if one else "These files could not be read",
                message="",
                failures=outcome.failures,
            )
        result = outcome.value
        embedded = sum(len(content) for _, content in documents) <= limits.embed_bytes
        return page(
            "result.html",
            documents=[name for name, _ in documents],
            failures=outcome.failures,
            report=result["report"],
            demands=view.demands(result, date.today()),
            glossary=result["glossary"],
            readability=view.readability(result["report"]),
            html_report=result["html_report"],
            carried=(
                [(name, base64.b64encode(content).decode("ascii")) for name, content in documents]
                if embedded
                else None
            ),
        )

    async def download(request: Request) -> Response:
        try:
            fields = await _form(request, limits)
            wanted = fields.get("format")
            if wanted not in DOWNLOADS:
                raise InputProblem(
                    400,
                    "Not understood",
                    "Choose what to download: a Word or Markdown glossary, or the report.",
                )
            documents = _documents(fields, limits)
            outcome = await run(Job(str(wanted), documents, settings))
        except InputProblem as problem:
            return problem_page(problem)
        if outcome.status == "unreadable":
            return page(
                "problem.html",
                422,
                title="This file could not be read",
                message="",
                failures=outcome.failures,
            )
        suffix_name, media_type = DOWNLOADS[str(wanted)]
        filename = _ascii_filename(documents[0][0], suffix_name)
        body = outcome.value if isinstance(outcome.value, bytes) else outcome.value.encode()
        return Response(
            body,
            media_type=media_type,
            headers={"content-disposition": f'attachment; filename="{filename}"'},
        )

    async def api_check(request: Request) -> Response:
        try:
            documents = _documents(await _form(request, limits), limits)
            outcome = await run(Job("json", documents, settings))
        except InputProblem as problem:
            return JSONResponse({"error": problem.message}, problem.status)
        return Response(
            outcome.value,
            200 if outcome.status == "ok" else 422,
            media_type="application/json",
        )

    async def openapi(request: Request) -> Response:
        return JSONResponse(openapi_schema(limits))

    async def go_home(request: Request) -> Response:
        return RedirectResponse("/", 303)

    async def not_found(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        if request.url.path.startswith("/api/"):
            detail = exc.detail if isinstance(exc, HTTPException) else "internal error"
            return JSONResponse({"error": detail}, status)
        titles = {404: "Page not found", 405: "Not allowed", 500: "plainbid has a problem"}
        messages = {
            404: "There is no page at this address. Go back to the start page.",
            405: "This address does not take that kind of request. Go back to the start page.",
            500: "Something went wrong inside plainbid. Nothing was kept; try again.",
        }
        title = titles.get(status, "Not understood")
        message = messages.get(status, exc.detail if isinstance(exc, HTTPException) else "")
        return page("problem.html", status, title=title, message=message, failures=[])

    app = Starlette(
        routes=[
            Route("/", index, methods=["GET"]),
            Route("/check", check, methods=["POST"]),
            Route("/check", go_home, methods=["GET"]),
            Route("/download", download, methods=["POST"]),
            Route("/download", go_home, methods=["GET"]),
            Route("/api/check", api_check, methods=["POST"]),
            Route("/openapi.json", openapi, methods=["GET"]),
            Mount("/static", StaticFiles(packages=[("plainbid.web", "static")]), name="static"),
        ],
        middleware=[Middleware(SecurityHeaders, allowed_hosts=allowed_hosts)],
        exception_handlers={404: not_found, 405: not_found, 500: not_found},
    )
    app.state.checker = checker
    app.state.limits = limits
    app.state.settings = settings
    return app


def openapi_schema(limits: Limits) -> dict[str, Any]:
    text_field = {
        "type": "string",
        "maxLength": limits.max_text_chars,
        "description": "Text to check (pasted from a document).",
    }
    error = {
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {"error": {"type": "string"}},
                    "required": ["error"],
                }
            }
        }
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "plainbid",
            "version": __version__,
            "description": (
                "Check tender documents for jargon, readability and the burden of bidding. "
                "Nothing sent is stored."
            ),
        },
        "paths": {
            "/api/check": {
                "post": {
                    "summary": "Check text or files",
                    "description": (
                        "Answers with the same JSON as `plainbid check --format json`. Send "
                        'JSON `{"text": ...}`, or a form with `text` and/or one or more '
                        f"`file` fields (.docx, .pdf, .txt, .md; up to {limits.upload_mb()} in "
                        f"all, {limits.max_files} files)."
                    ),
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"text": text_field},
                                    "required": ["text"],
                                }
                            },
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "text": text_field,
                                        "file": {
                                            "type": "array",
                                            "items": {"type": "string", "format": "binary"},
                                        },
                                    },
                                }
                            },
                            "application/x-www-form-urlencoded": {
                                "schema": {"type": "object", "properties": {"text": text_field}}
                            },
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "The report (see the README's JSON section).",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        },
                        "400": {"description": "Nothing to check, or not understood.", **error},
                        "413": {
                            "description": "Over the size limit, or the memory limit.",
                            **error,
                        },
                        "415": {"description": "Not a form or JSON.", **error},
                        "422": {
                            "description": (
                                "No document could be read: the report, with each file's "
                                "reason in `errors`."
                            ),
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        },
                        "503": {"description": "Too busy: try again shortly.", **error},
                        "504": {"description": "Over the time limit.", **error},
                    },
                }
            }
        },
    }
