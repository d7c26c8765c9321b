"""Turn a report (as its JSON dict) into what the result page shows, in plain words.

Everything here is plain data for the template; the template escapes every string.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from plainbid.model import Location


def where(document: str, location: dict[str, Any] | None) -> str:
    """'02-selection-questionnaire.docx, table 2 row 3 column 2' or just the document."""
    if not location:
        return document
    described = Location(**location).describe()
    return document if described == "document" else f"{document}, {described}"


def money(value: dict[str, Any]) -> str:
    text = f"£{value['amount_gbp']:,.0f}"
    if value.get("period") == "annual":
        text += " a year"
    elif value.get("period") == "total":
        text += " in total"
    if value.get("vat") == "excluded":
        text += " (not counting VAT)"
    elif value.get("vat") == "included":
        text += " (including VAT)"
    return text


def years(amount: float) -> str:
    if amount == 1:
        return "1 year"
    if amount < 1:
        months = round(amount * 12)
        return f"{months} month" + ("" if months == 1 else "s")
    return f"{amount:g} years"


def limit_text(limit: dict[str, Any] | None) -> str:
    if not limit:
        return "no limit given"
    if limit.get("placeholder") or limit.get("amount") is None:
        return f"left blank ({limit.get('unit') or 'words'} not filled in)"
    amount, unit = limit["amount"], limit["unit"]
    if amount == 1 and unit.endswith("s"):
        unit = unit[:-1]
    text = f"{amount:,} {unit}"
    if limit.get("per"):
        text += f" {limit['per']}"
    return text


def reading_time(minutes: float | None) -> str | None:
    if minutes is None:
        return None
    if minutes < 1:
        return "under a minute"
    if minutes < 90:
        return f"about {round(minutes)} minute" + ("" if round(minutes) == 1 else "s")
    return f"about {minutes / 60:.1f} hours"


def deadline(iso: str | None, today: date) -> dict[str, str] | None:
    if not iso:
        return None
    day = date.fromisoformat(iso)
    left = (day - today).days
    if left > 1:
        when = f"{left} days from today"
    elif left == 1:
        when = "tomorrow"
    elif left == 0:
        when = "today"
    elif left == -1:
        when = "yesterday: it has passed"
    else:
        when = f"{-left} days ago: it has passed"
    return {"date": f"{day:%A} {day.day} {day:%B %Y}", "left": when}


def demands(page: dict[str, Any], today: date) -> dict[str, Any]:
    """The 'what the bid will demand' section."""
    report = page["report"]
    pack = report["pack"]
    proportionality = pack.get("proportionality") or {}
    value = pack.get("contract_value")
    length = (value or {}).get("years") or proportionality.get("years")
    gates, attachments, questions = [], {}, []
    for document in report["documents"]:
        name = document["path"]
        for gate in document.get("gates") or []:
            gates.append(
                {
                    "text": gate["text"],
                    "question": gate.get("kind") == "question",
                    "where": where(name, gate.get("location")),
                }
            )
        for demand in document.get("demands") or []:
            if demand["kind"] in ("case_study", "reference"):
                continue
            label = demand["label"]
            if demand.get("years"):
                label += f" (last {demand['years']} years)"
            attachments.setdefault(
                demand["label"],
                {
                    "label": label,
                    "excerpt": demand.get("excerpt") or "",
                    "where": where(name, demand.get("location")),
                },
            )
        for question in document.get("questions") or []:
            questions.append(
                {
                    "id": question.get("id") or "",
                    "text": question["text"],
                    "limit": limit_text(question.get("limit")),
                    "weighting": question.get("weighting") or "",
                    "gate": question.get("gate", False),
                    "answer": question.get("answer") or "",
                    "where": where(name, question.get("location")),
                }
            )
    gates.sort(key=lambda gate: not gate["question"])
    hours = proportionality.get("estimated_bid_hours")
    return {
        "value": money(value) if value and value.get("amount_gbp") else None,
        "value_excerpt": (value or {}).get("excerpt"),
        "length": years(length) if length else None,
        "questions": pack.get("questions", len(questions)),
        "questions_without_limit": pack.get("questions_without_limit", 0),
        "words_to_write": pack.get("words_to_write", 0),
        "question_list": questions,
        "gate_count": pack.get("gates", 0),
        "gates": gates,
        "attachment_count": pack.get("attachments", len(attachments)),
        "attachments": list(attachments.values()),
        "case_studies": pack.get("case_studies", 0),
        "references": pack.get("references", 0),
        "deadline": deadline(page.get("deadline"), today),
        "hours": hours,
        "cost": proportionality.get("estimated_bid_cost_gbp"),
        "band": proportionality.get("band"),
        "reasons": [reason["message"] for reason in proportionality.get("reasons", [])],
        "missing": proportionality.get("missing_information") or [],
        "reading_time": reading_time((pack.get("burden") or {}).get("reading_minutes")),
        "words_to_read": pack.get("words", 0),
    }


def _reading_age(grade: float) -> int:
    """US school grade to reading age: grade 1 is read at about 6 or 7."""
    return round(grade + 5)


def readability(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Per document: one sentence on how hard it is to read, and its hardest passage."""
    shown = []
    for document in report["documents"]:
        data = document.get("readability") or {}
        scores = data.get("document") or {}
        grade = scores.get("flesch_kincaid_grade")
        target = data.get("target_grade", 9.0)
        time = reading_time((document.get("burden") or {}).get("reading_minutes"))
        takes = f"takes {time} to read and " if time else ""
        if grade is None:
            sentence = f"{document['path']} is too short to score for readability."
        else:
            plain = _reading_age(target)
            verdict = (
                f"about right, as plain English aims at {plain} or under"
                if grade <= target
                else f"harder than plain English, which aims at {plain} or under"
            )
            sentence = (
                f"{document['path']} {takes}needs a reading age of about {_reading_age(grade)} "
                f"(school grade {grade:g}): {verdict}."
            )
        hardest = next(
            (
                finding
                for finding in document.get("findings", [])
                if finding.get("rule") == "PB204" and (finding.get("data") or {}).get("rank") == 1
            ),
            None,
        )
        shown.append(
            {
                "path": document["path"],
                "sentence": sentence,
                "hardest": (
                    {
                        "excerpt": hardest.get("excerpt") or "",
                        "message": hardest.get("message") or "",
                        "where": where(document["path"], hardest.get("location")),
                    }
                    if hardest
                    else None
                ),
            }
        )
    return shown
