"""The contract's value and length: from the text, from settings (--value), or from OCDS.

A £ amount counts as a contract value only when words that name a value stand near it
("contract value", "estimated value", "value of the contract", "budget", "worth", "per
annum"…) and no words say it is something else (insurance cover, turnover, past spend, a
threshold "and above", a band, an example). Packs quote many £ amounts that are not the
contract's value, and a wrong value would make every proportionality figure wrong; so when in
doubt, no value is reported. Several values (lots) are kept apart.

OCDS (Open Contracting Data Standard) release or record files are read for tender.value,
tender.minValue/maximumValue, tender.lots[].value and tender.contractPeriod; the UK extension's
`amountGross` (amount including taxes, used by Find a Tender) is kept as the gross value.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from plainbid.checks.base import CheckOutput, per_document
from plainbid.checks.numbers import NUMBER_WORDS, to_number
from plainbid.config import Settings
from plainbid.model import BlockKind, Document, Location, Pack, Rule
from plainbid.nlp import flatten, may_contain

RULES: tuple[Rule, ...] = ()

_SCALE = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "million": 1e6,
    "bn": 1e9,
    "billion": 1e9,
}
_AMOUNT = (
    r"(?:£|GBP\s?)\s?(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?(k|m|mn|bn|thousand|million|billion)\b)?"
)
_MONEY = re.compile(_AMOUNT, re.I)
_RANGE = re.compile(
    rf"(?:between\s+)?{_AMOUNT}\s*(?:-|–|—|to|and)\s*{_AMOUNT}",
    re.I,
)
_VALUE_CUE = re.compile(
    r"contract value|estimated (?:total |annual |contract |overall )?value|"
    r"value of (?:the|this|each) (?:contract|framework|agreement|service|lot|opportunity)|"
    r"(?:total|annual|whole[- ]life|lifetime|maximum|indicative|anticipated) (?:contract )?value|"
    r"\bbudget\b|\bworth\b|per annum|\bp\.a\.|per year|a year\b|each year|annually|"
    r"funding (?:available|envelope)|available funding|value (?:is|will be) (?:up to )?£",
    re.I,
)
# Words that say an amount is something other than the contract's value.
_NOT_VALUE = re.compile(
    r"insurance|indemnity|liabilit|turnover|\bspend\b|\bspent\b|incentive|salary|salaries|wage|"
    r"\bfine\b|penalt|deposit|threshold|and above|or more|or above|\bover £|exceed|at least|"
    r"minimum|\bbands?\b|for example|e\.g\.|\bcover\b|\bcap\b|\bwas £|\bwere £|net worth|"
    r"credit limit|discount|invoice|fee of|charge of|rebate",
    re.I,
)
_ANNUAL = re.compile(
    r"per annum|\bp\.a\.|per year|a year\b|each year|annual|annually|yearly|per contract year",
    re.I,
)
_TOTAL = re.compile(
    r"\btotal\b|whole[- ]life|lifetime|over (?:the )?(?:\w+ )?(?:\(\d+\) )?(?:years|months)|"
    r"for the (?:full |whole )?(?:contract )?(?:term|duration|period)|in total|overall",
    re.I,
)
_VAT_EX = re.compile(
    r"exc(?:l(?:uding|\.)?|lusive of)\.?\s+(?:of\s+)?VAT|\bex\.?\s+VAT|plus VAT|\+\s?VAT|net of VAT",
    re.I,
)
_VAT_IN = re.compile(
    r"inc(?:l(?:uding|\.)?|lusive of)\.?\s+(?:of\s+)?VAT|\binc\.?\s+VAT|gross of VAT", re.I
)
_N = r"(\d+(?:\.\d+)?|" + "|".join(NUMBER_WORDS) + r")"
_YEARS = re.compile(
    rf"(?:over|for|period of|term of|duration of|lasting|initial(?: period| term)? of)\s+"
    rf"(?:an?\s+)?(?:initial\s+)?(?:period\s+of\s+)?{_N}\s*(?:\(\d+\)\s*)?(years?|months?)\b|"
    rf"\b{_N}[\s-]*(years?|months?)[\s-]+(?:contract|term|period|agreement|framework|call-off)|"
    rf"(?:period|term|duration|length)\s+(?:is|will be|of)\s+(?:an?\s+)?{_N}\s*(?:\(\d+\)\s*)?"
    r"(years?|months?)\b",
    re.I,
)
_LOT = re.compile(r"\bLot\s+(\d+[a-z]?|[A-Z])\b")
_SENTENCE = re.compile(r"(?<=[.;!?])\s+(?=[A-Z(£])")
_NEAR = 70  # characters either side of an amount in which a cue must stand


@dataclass
class ContractValue:
    amount_gbp: float
    period: str | None = None  # "annual" | "total" | None when the text does not say
    years: float | None = None
    vat: str | None = None  # "excluded" | "included" | None
    excerpt: str | None = None
    location: Location | None = None
    min_gbp: float | None = None
    lot: str | None = None
    gross_gbp: float | None = None
    source: str = "text"  # "text" | "settings" | "ocds"

    def annual(self, vat_rate: float = 0.0) -> float | None:
        """The value a year: a total divided by the years when they are known."""
        if self.period == "total":
            return self.amount_gbp / self.years if self.years else None
        return self.amount_gbp

    def as_dict(self) -> dict[str, Any]:
        return {
            "amount_gbp": _round(self.amount_gbp),
            "min_gbp": _round(self.min_gbp),
            "gross_gbp": _round(self.gross_gbp),
            "period": self.period,
            "years": self.years,
            "vat": self.vat,
            "lot": self.lot,
            "source": self.source,
            "excerpt": self.excerpt,
            "location": self.location.as_dict() if self.location else None,
        }


def _round(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(value, 2)


def parse_amount(number: str, scale: str | None) -> float:
    value = float(number.replace(",", ""))
    return value * _SCALE.get((scale or "").lower(), 1.0)


def _number(raw: str) -> float:
    # The patterns only capture digits or number words, so this is never None.
    return float(to_number(raw) or 0)


def find_years(text: str) -> float | None:
    """The contract's length in years from a phrase like 'over three years' or '24 months'."""
    match = _YEARS.search(text)
    if not match:
        return None
    groups = [g for g in match.groups() if g is not None]
    amount, unit = _number(groups[0]), groups[1].lower()
    years = amount / 12 if unit.startswith("month") else amount
    return round(years, 2)


def values_in_text(
    text: str, location: Location | None = None, heading: str = ""
) -> list[ContractValue]:
    """Every contract value stated in one block of text."""
    found: list[ContractValue] = []
    # Every amount (_AMOUNT) starts with "£" or "GBP": most blocks hold neither.
    if "£" not in text and not may_contain(text, ("gbp",)):
        return found
    text = flatten(text)
    for sentence in _SENTENCE.split(text):
        taken: list[tuple[int, int]] = []
        candidates: list[tuple[int, int, float, float | None]] = []
        for match in _RANGE.finditer(sentence):
            low = parse_amount(match.group(1), match.group(2) or match.group(4))
            high = parse_amount(match.group(3), match.group(4))
            if high > low:
                candidates.append((match.start(), match.end(), high, low))
                taken.append((match.start(), match.end()))
        for match in _MONEY.finditer(sentence):
            if any(start <= match.start() < end for start, end in taken):
                continue
            amount = parse_amount(match.group(1), match.group(2))
            candidates.append((match.start(), match.end(), amount, None))
        for start, end, amount, low in sorted(candidates):
            before = sentence[max(0, start - _NEAR) : start]
            after = sentence[end : end + _NEAR]
            window = before + " £ " + after
            if not _VALUE_CUE.search(window) or _NOT_VALUE.search(window):
                continue
            if amount < 1000:
                continue  # a contract is worth more than a fee or a band edge
            # The lot named nearest before the amount, else in the sentence or the heading.
            before_lots = list(_LOT.finditer(sentence[:start]))
            lot = before_lots[-1] if before_lots else _LOT.search(sentence) or _LOT.search(heading)
            period = (
                "annual" if _ANNUAL.search(window) else "total" if _TOTAL.search(window) else None
            )
            vat = (
                "excluded"
                if _VAT_EX.search(sentence)
                else "included"
                if _VAT_IN.search(sentence)
                else None
            )
            found.append(
                ContractValue(
                    amount_gbp=amount,
                    min_gbp=low,
                    period=period,
                    years=find_years(sentence),
                    vat=vat,
                    excerpt=sentence[max(0, start - 80) : end + 80].strip(),
                    location=location,
                    lot=lot.group(1) if lot else None,
                )
            )
    return found


def find_values(document: Document) -> list[ContractValue]:
    """The values stated in the document: copies, which the caller may complete."""
    return [dataclasses.replace(value) for value in _values(document)]


@per_document
def _values(document: Document) -> list[ContractValue]:
    values: list[ContractValue] = []
    for block in document.blocks:
        if block.kind in (BlockKind.FOOTNOTE, BlockKind.ENDNOTE):
            continue
        values.extend(values_in_text(block.text, block.location, block.location.heading or ""))
    return values


_DURATION_CUE = re.compile(
    r"contract (?:period|term|duration|length)|duration of (?:the )?(?:contract|agreement|framework)|"
    r"term of (?:the )?(?:contract|agreement|framework)|(?:contract|agreement|framework) "
    r"(?:will )?(?:runs?|lasts?) for|period of \w+ (?:years?|months?)",
    re.I,
)


@per_document
def find_duration(document: Document) -> tuple[float, Location] | None:
    """The contract's length stated anywhere in the document, with where it is said."""
    for block in document.blocks:
        # Every _YEARS alternative ends in "years?" or "months?": without either, no length.
        if not may_contain(block.text, ("year", "month")):
            continue
        text = flatten(block.text)
        if not _DURATION_CUE.search(text):
            continue
        for sentence in _SENTENCE.split(text):
            if _DURATION_CUE.search(sentence):
                years = find_years(sentence)
                if years:
                    return years, block.location
    return None


def main_value(values: list[ContractValue]) -> ContractValue | None:
    """The whole contract's value: the first that is not a lot's; lot values stay in the list."""
    return next((value for value in values if value.lot is None), None)


# --- OCDS -------------------------------------------------------------------------------------


class OcdsError(Exception):
    pass


def _releases(data: Any) -> list[dict[str, Any]]:
    if not isinstance(data, dict):
        raise OcdsError("not an OCDS release, record or package (expected a JSON object)")
    if isinstance(data.get("releases"), list):
        return [r for r in data["releases"] if isinstance(r, dict)]
    if isinstance(data.get("records"), list):
        out = []
        for record in data["records"]:
            if isinstance(record, dict):
                compiled = record.get("compiledRelease")
                if isinstance(compiled, dict):
                    out.append(compiled)
                else:
                    out.extend(r for r in record.get("releases", []) if isinstance(r, dict))
        return out
    if "compiledRelease" in data:
        return [data["compiledRelease"]]
    if "tender" in data or "ocid" in data:
        return [data]
    raise OcdsError("no releases, records or tender found")


def _period_years(period: Any) -> float | None:
    if not isinstance(period, dict):
        return None
    if isinstance(period.get("durationInDays"), int | float):
        return round(period["durationInDays"] / 365.25, 2)
    if isinstance(period.get("durationInMonths"), int | float):
        return round(period["durationInMonths"] / 12, 2)
    try:
        start = date.fromisoformat(str(period["startDate"])[:10])
        end = date.fromisoformat(str(period["endDate"])[:10])
    except (KeyError, ValueError):
        return None
    return round((end - start).days / 365.25, 2)


def _ocds_value(
    raw: Any, years: float | None, excerpt: str, lot: str | None = None
) -> ContractValue | None:
    if not isinstance(raw, dict):
        return None
    currency = raw.get("currency")
    if currency not in (None, "GBP"):
        return None
    amount = raw.get("amount")
    gross = raw.get("amountGross")
    if not isinstance(amount, int | float) and not isinstance(gross, int | float):
        return None
    net = isinstance(amount, int | float)
    return ContractValue(
        amount_gbp=float(amount if net else gross),
        gross_gbp=float(gross) if isinstance(gross, int | float) else None,
        period="total",
        years=years,
        vat=("excluded" if isinstance(gross, int | float) else None) if net else "included",
        excerpt=excerpt,
        lot=lot,
        source="ocds",
    )


def read_ocds(path: str) -> list[ContractValue]:
    """Contract values from an OCDS release or record (or a package of them): the tender value
    (or the maximum value, with minValue kept), then each lot's value."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise OcdsError(f"{path}: cannot read OCDS JSON ({error})") from error
    values: list[ContractValue] = []
    for release in _releases(data):
        tender = release.get("tender") or {}
        if not isinstance(tender, dict):
            continue
        years = _period_years(tender.get("contractPeriod"))
        value = _ocds_value(tender.get("value"), years, "tender.value") or _ocds_value(
            tender.get("maximumValue"), years, "tender.maximumValue"
        )
        if value is not None:
            low = tender.get("minValue")
            if isinstance(low, dict) and isinstance(low.get("amount"), int | float):
                value.min_gbp = float(low["amount"])
            values.append(value)
        for lot in tender.get("lots") or []:
            if not isinstance(lot, dict):
                continue
            lot_years = _period_years(lot.get("contractPeriod")) or years
            label = str(lot.get("id") or lot.get("title") or len(values) + 1)
            lot_value = _ocds_value(
                lot.get("value"), lot_years, f"tender.lots[{label}].value", label
            )
            if lot_value is not None:
                values.append(lot_value)
        if values:
            break  # the first release with a value: later ones in a package repeat it
    return values


def settings_value(settings: Settings) -> ContractValue | None:
    if not settings.value:
        return None
    return ContractValue(
        amount_gbp=float(settings.value),
        period=settings.period,
        years=settings.years,
        source="settings",
        excerpt="given in settings (--value)",
    )


def pack_values(
    pack: Pack, settings: Settings
) -> tuple[list[ContractValue], dict[str, list[ContractValue]]]:
    """(values that hold for the whole pack, values found in each document).

    --value wins, then --ocds, then the text. A --years or --period given with --ocds or found
    in the text fills what the source leaves out."""
    per_document = {document.path: find_values(document) for document in pack.documents}
    given = settings_value(settings)
    if given is not None:
        return [given], per_document
    if settings.ocds:
        values = read_ocds(settings.ocds)
        for value in values:
            value.years = settings.years or value.years
            value.period = settings.period or value.period
        return values, per_document
    found = [value for values in per_document.values() for value in values]
    if settings.years or settings.period:
        for value in found:
            value.years = settings.years or value.years
            value.period = settings.period or value.period
    return found, per_document


def run(pack: Pack, settings: Settings) -> CheckOutput:
    output = CheckOutput()
    try:
        pack_level, per_document = pack_values(pack, settings)
    except OcdsError as error:
        for document in pack.documents:
            document.notes.append(str(error))
        pack_level, per_document = [], {d.path: find_values(d) for d in pack.documents}
    from_outside = [v for v in pack_level if v.source != "text"]
    for document in pack.documents:
        values = from_outside or per_document[document.path]
        duration = find_duration(document)
        main = main_value(values)
        if main is not None and main.years is None and duration is not None:
            main.years = duration[0]
        output.document_data[document.path] = {
            "contract_value": main.as_dict() if main else None,
            "contract_values": [value.as_dict() for value in values],
            "contract_years": duration[0] if duration else None,
        }
    main = main_value(pack_level)
    output.pack_data["contract_value"] = main.as_dict() if main else None
    output.pack_data["contract_values"] = [value.as_dict() for value in pack_level]
    return output
