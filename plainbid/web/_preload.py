"""Imported once by the forkserver (see `plainbid.web.worker`): load spaCy, the glossaries,
the pronouncing dictionary and every reader, and run small checks so that every lazy cache is
filled before the first child is forked. Children share these pages copy-on-write and use them
read-only, so a check starts with everything loaded.

Never imported by the web server's own process, which stays small.
"""

from __future__ import annotations

import contextlib

_TEXT = (
    "# Invitation to Tender\n\n"
    "The Authority invites Bidders to submit a Tender for the resettlement service described "
    "in the Specification. Tenders must be submitted by 1 May 2030. The ITT sets out the "
    "evaluation criteria, and TUPE may apply to staff who transfer to the new provider. "
    "Please read every section carefully before you start to write your response.\n"
)


def _warm() -> None:
    import io

    import docx
    import pdfplumber  # noqa: F401  (imported here so that a PDF check starts loaded)

    from plainbid.config import Settings
    from plainbid.formatters import FORMATTERS, applicant_glossary
    from plainbid.model import Pack
    from plainbid.readers import read_bytes
    from plainbid.report import build_report

    document = docx.Document()
    for paragraph in _TEXT.split("\n\n"):
        document.add_paragraph(paragraph.strip("# \n"))
    buffer = io.BytesIO()
    document.save(buffer)
    pack = Pack(
        documents=[
            read_bytes("warm-up.md", _TEXT.encode()),
            read_bytes("warm.docx", buffer.getvalue()),
        ]
    )
    report = build_report(pack, Settings())
    FORMATTERS["json"](report)
    applicant_glossary.to_docx(applicant_glossary.collect(report), "warm-up")


# On failure a child loads what it needs itself, and then reports the real problem.
with contextlib.suppress(Exception):
    _warm()
