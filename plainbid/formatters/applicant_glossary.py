"""The applicant's glossary: every term found in a pack, in plain English, to print and share.

Built from the `terms` the jargon check records for each document, merged across the pack.
"""

from __future__ import annotations

import html
import io
import json
from dataclasses import asdict, dataclass

from plainbid.model import Location
from plainbid.report import Report

UNKNOWN = "Not explained in the pack or in plainbid's glossaries: ask the buyer what it means."


@dataclass
class GlossaryItem:
    term: str
    category: str
    count: int
    plain_meaning: str
    plain_alternative: str | None
    first_used: str
    defined_in_pack: str | None
    pack_definition: str | None
    source: str | None


def collect(report: Report, sort: str = "appearance") -> list[GlossaryItem]:
    items: dict[str, GlossaryItem] = {}
    for document in report.documents:
        for term in document.data.get("terms", []):
            item = items.get(term["term"])
            if item is None:
                first = Location(**term["locations"][0]).describe()
                defined = term["defined_at"]
                items[term["term"]] = GlossaryItem(
                    term=term["term"],
                    category=term["category"],
                    count=term["count"],
                    plain_meaning=term["plain_meaning"] or UNKNOWN,
                    plain_alternative=term["plain_alternative"],
                    first_used=f"{document.document.path}, {first}",
                    defined_in_pack=(
                        f"{defined['path']}, {Location(**defined['location']).describe()}"
                        if defined
                        else None
                    ),
                    pack_definition=term["pack_definition"],
                    source=term["source"],
                )
            else:
                item.count += term["count"]
    ordered = list(items.values())
    if sort == "alphabetical":
        ordered.sort(key=lambda item: item.term.lower())
    return ordered


def to_json(items: list[GlossaryItem]) -> str:
    return json.dumps([asdict(item) for item in items], indent=2, ensure_ascii=False) + "\n"


def to_markdown(items: list[GlossaryItem], title: str) -> str:
    lines = [f"# {title}", "", _INTRO, ""]
    for item in items:
        lines.append(f"## {_md(item.term)}")
        lines.append("")
        lines.append(_md(item.plain_meaning))
        lines.append("")
        if item.plain_alternative:
            lines.append(f"- In plain words: {_md(item.plain_alternative)}")
        lines.append(f"- Used {item.count} time(s); first in {_md(item.first_used)}")
        if item.defined_in_pack:
            lines.append(f"- The pack defines it ({_md(item.defined_in_pack)}):")
            lines.append(f"  {_md(item.pack_definition or '')}")
        lines.append("")
    return "\n".join(lines)


def entries_html(items: list[GlossaryItem], separator: str = "") -> str:
    """Each term as a <dt>/<dd> pair, all text escaped: shared by this page and the report."""
    rows = []
    for item in items:
        extra = []
        if item.plain_alternative:
            extra.append(f"In plain words: {html.escape(item.plain_alternative)}.")
        extra.append(f"Used {item.count} time(s); first in {html.escape(item.first_used)}.")
        if item.defined_in_pack:
            extra.append(
                f"The pack defines it ({html.escape(item.defined_in_pack)}): "
                f"“{html.escape(item.pack_definition or '')}”"
            )
        rows.append(
            f"<dt>{html.escape(item.term)}</dt><dd><p>{html.escape(item.plain_meaning)}</p>"
            f"<p class='where'>{' '.join(extra)}</p></dd>"
        )
    return separator.join(rows)


def to_html(items: list[GlossaryItem], title: str) -> str:
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{html.escape(title)}</h1><p>{html.escape(_INTRO)}</p><dl>{entries_html(items)}</dl>"
        "</body></html>\n"
    )


def to_docx(items: list[GlossaryItem], title: str) -> bytes:
    """A Word document a charity can print: a title, a short note, and a three-column table."""
    import docx
    from docx.shared import Pt

    document = docx.Document()
    document.core_properties.author = "plainbid"
    document.core_properties.title = title
    document.styles["Normal"].font.size = Pt(11)
    document.add_heading(title, level=0)
    document.add_paragraph(_INTRO)
    table = document.add_table(rows=1, cols=3)
    table.style = "Light Grid Accent 1"
    for cell, text in zip(table.rows[0].cells, ("Term", "What it means", "Where"), strict=True):
        cell.text = text
    for item in items:
        cells = table.add_row().cells
        cells[0].text = item.term
        meaning = item.plain_meaning
        if item.plain_alternative:
            meaning += f" In plain words: {item.plain_alternative}."
        cells[1].text = meaning
        where = f"Used {item.count} time(s); first in {item.first_used}."
        if item.defined_in_pack:
            where += f" The pack defines it ({item.defined_in_pack}): “{item.pack_definition}”"
        cells[2].text = where
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _md(text: str) -> str:
    """Escape Markdown's active characters so document text shows as text."""
    return "".join("\\" + c if c in "\\`*_{}[]<>#|!" else c for c in text)


_INTRO = (
    "Words and abbreviations used in these tender documents, with what they mean in plain "
    "English. Meanings come from plainbid's glossaries unless the pack defines the term itself."
)
_CSS = (
    "body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.5;color:#1b1b1b}dt{font-weight:700;margin-top:1rem}dd{margin:0 0 0 1rem}"
    ".where{color:#505a5f;font-size:.9rem}"
)
