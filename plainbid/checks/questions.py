"""Questions applicants must answer, their length limits and weightings, and the knock-out gates.

A question is a numbered question, a "Please describe…" style request, a "Method statement", a
row of a question table, or any block that states a response limit. A limit is words,
characters or pages (sides); a limit written as a placeholder ("(X) sides", "[insert number]
characters") is kept with no amount. Limits and weightings in a question table's column apply to
that row. A pass/fail, yes/no, mandatory or "will be excluded" question is a gate; PB303 lists
each gate once, with the knock-out sentences that stand outside any question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from plainbid.checks.base import CheckOutput, per_document
from plainbid.checks.numbers import NUMBER_WORDS, to_number
from plainbid.config import Settings
from plainbid.model import Block, BlockKind, Document, Finding, Location, Pack, Rule, Severity
from plainbid.nlp import flatten, may_contain

SURVEY = "Clinks/probation survey of 128 voluntary organisations (2022)"

GATE = Rule(
    "PB303",
    "knock-out-gate",
    Severity.INFO,
    "A pass/fail, yes/no or mandatory question that can knock a bid out.",
    "Bids with high quality scores failed on single yes/no questions and 'non-compliant' "
    "technicalities; listing every gate in one place lets an applicant check each before "
    "writing anything, and lets the buyer ask whether each gate is needed (Procurement Act "
    "2023 s.22: conditions of participation must be proportionate).",
    f"{SURVEY}; Procurement Act 2023 s.22",
    example="Question 4 is pass/fail: bidders who answer no will be excluded.",
)
RULES = (GATE,)

NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+|" + "|".join(NUMBER_WORDS) + r")"
_NUM = rf"(?P<num>{NUMBER})"
# A placeholder where a number belongs: (X), XX, N, [insert number], ____, …
_PLACEHOLDER = r"(?P<ph>\(\s*(?:X+|N)\s*\)|\bX{1,3}\b|\bN\b|\[[^\]]{0,40}\]|_{2,}|…|\.{3})"
_UNIT = (
    r"(?P<unit>words?|char(?:acter)?s?|sides?(?:\s+of\s+A4)?|pages?(?:\s+of\s+A4)?"
    r"|A4\s+(?:sides?|pages?))\b"
)
_CUE = (
    r"(?:max(?:imum|\.)?(?:\s+of)?|a\s+maximum\s+of|up\s+to|no\s+(?:more|longer)\s+than|"
    r"not\s+more\s+than|not\s+(?:to\s+)?exceed(?:ing)?|limit(?:ed)?\s+(?:of|to)|at\s+most|"
    r"within|in|under|(?:less|fewer)\s+than|(?:word|character|page)\s+(?:count|limit)\s+of)"
)
_LIMIT_PATTERNS = [
    # "maximum 500 words", "no more than 1,000 words", "(max. 250 words)", "2 sides of A4"
    # after a cue, "limited to [X] characters"
    re.compile(rf"\b{_CUE}\s+(?:{_NUM}|{_PLACEHOLDER})\s*{_UNIT}", re.I),
    # "500 word limit", "500-word limit", "250 words max", "(free text box, 200 word limit)"
    re.compile(rf"\b(?:{_NUM}|{_PLACEHOLDER})[\s-]*{_UNIT}[\s-]*(?:limit|maximum|max\b)", re.I),
    # "Word count: 750", "Maximum word count: 500", "Max words: 300", "page limit - 3"
    re.compile(
        r"\b(?:max(?:imum|\.)?\s+)?(?P<unit>word|character|char|page|side)s?\s*(?:count|limit)?"
        r"\s*(?:\((?:max(?:imum)?|limit)\))?\s*[:=–-]\s*(?:max(?:imum)?\s+)?"
        rf"(?:{_NUM}|{_PLACEHOLDER})",
        re.I,
    ),
    re.compile(
        r"\b(?P<unit>word|character|page)\s+(?:count|limit)\s+(?:is|of)\s+(?:max(?:imum)?\s+)?"
        rf"(?:{_NUM}|{_PLACEHOLDER})",
        re.I,
    ),
    # "Free text 250 (word limit)"
    re.compile(
        rf"\b{_NUM}\s*\(\s*(?P<unit>word|character|page)s?\s+(?:limit|max(?:imum)?)\s*\)", re.I
    ),
    # "5,000 characters including spaces"
    re.compile(
        rf"\b(?:{_NUM}|{_PLACEHOLDER})\s*(?P<unit>char(?:acter)?s?)\s*\(?\s*(?:inc|exc)", re.I
    ),
    # "Describe your approach (500 words)"
    re.compile(rf"\(\s*(?:{_NUM}|{_PLACEHOLDER})\s*{_UNIT}\s*(?:max(?:imum)?\.?)?\s*\)", re.I),
]
# Every limit pattern above spells its unit with one of these ("500 words", "5,000 chars",
# "2 sides of A4", "page limit"): a text holding none of them states no limit. About 96% of
# the blocks of real tenders hold none.
_UNIT_WORDS = ("word", "char", "side", "page")
_PER = re.compile(
    r"\bper\s+(sub[- ]?criteri(?:on|a)|sub[- ]?questions?|part|element|question)", re.I
)

_HEADER_QUESTION = re.compile(
    r"^(?:questions?|requirements?|criteri(?:on|a)|award criteri(?:on|a)|question text|"
    r"method statements?|quality questions?)$",
    re.I,
)
_HEADER_LIMIT = re.compile(
    r"\b(?:word|character|page|side)s?\s*(?:count|limit)|max(?:imum|\.)?\s*(?:no\.?\s+of\s+)?"
    r"(?:words|characters|pages|sides)|\blimit\b",
    re.I,
)
_HEADER_WEIGHT = re.compile(
    r"^(?:(?:question\s+)?weightings?|weights?|%|weighting\s*\(%\)|marks?)$", re.I
)
_HEADER_TYPE = re.compile(r"\b(?:question|answer|response)\s+type\b|\bmarking\b|\bguidance\b", re.I)

_NUMBERED = re.compile(
    r"^\s*(?:Q(?:uestion)?\s*\.?\s*)?(\d+(?:\.\d+)*|[A-Z]{1,3}\d{1,3})[.):]?\s+\S", re.I
)
_QUESTION_HEADING = re.compile(r"^\s*(Q(?:uestion)?\s*\d+(?:\.\d+)*[a-z]?)\b", re.I)
_NUMBER_PREFIX = re.compile(
    r"^\s*(?:Q(?:uestion)?\s*\.?\s*)?(?:\d+(?:\.\d+)*|[A-Z]{1,3}\d{1,3})[.):]?\s+", re.I
)
_ID = re.compile(
    r"^\s*(?:Q(?:uestion)?\s*\.?\s*)?(\d+(?:\.\d+)*|[A-Z]{1,3}\d{1,3}(?:\.\d+)*)\b", re.I
)
_REQUEST = re.compile(
    r"^\s*(?:please\s+)?(?:describe|explain|outline|set out|demonstrate|detail|tell us|"
    r"provide (?:details|a description|an explanation|an overview|a summary|a statement|"
    r"evidence|examples?)|give (?:details|an example|examples)|summarise|method statement)\b",
    re.I,
)
_ASKS = re.compile(
    r"^\s*(?:please\s+\w+|do you|does your|are you|have you|has your|can you|will you|is your|"
    r"how (?:will|do|would) you|what (?:is|are|will) your|confirm|provide|describe|explain|"
    r"outline|state|list|upload|submit|demonstrate|detail|give)\b",
    re.I,
)
_YES_NO = re.compile(r"\byes\s*/\s*no\b|^\s*(?:yes|no)\s*$", re.I)
_ANSWER_KIND = re.compile(r"^\s*(?:yes\s*/\s*no|upload|check\s*box|tick\s*box|yes|n/?a)\s*$", re.I)
_GATE = re.compile(
    r"pass\s*/\s*fail|\bpass or fail\b|\byes\s*/\s*no\b|\bmandatory\b|"
    r"\bmust\s+(?:hold|have|meet|achieve|pass|score|be registered)\b|will be excluded|"
    r"\bexcluded from\b|disqualif|non[- ]compliant|minimum (?:score|mark|threshold|standard)|"
    r"will be rejected|will not be (?:taken forward|considered|evaluated|progressed)",
    re.I,
)
# A sentence that knocks a bid out on its own, outside any question.
_KNOCKOUT = re.compile(
    r"pass\s*/\s*fail|will be (?:excluded|disqualified|rejected)|will disqualify|"
    r"non[- ]compliant|minimum (?:score|mark|threshold)|will not be (?:taken forward|"
    r"considered further|evaluated further)",
    re.I,
)
_WEIGHT_TEXT = re.compile(
    r"(?:weighting|weighted(?:\s+at)?|weight)\s*(?:of|:|=|-)?\s*(\d{1,3}(?:\.\d+)?\s*%)", re.I
)
_PERCENT = re.compile(r"^\s*(\d{1,3}(?:\.\d+)?\s*%)\s*$")
_TOTAL_ROW = re.compile(
    r"^\s*(?:total|sub-?total|overall|maximum (?:\w+ )?(?:score|marks?)|grand total)\b", re.I
)
# Every alternative of _KNOCKOUT spells one of these: a block holding none of them (about 94%
# of blocks) has no knock-out sentence.
_KNOCKOUT_WORDS = tuple("fail exclud disqualif reject compliant minimum forward further".split())
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")


@dataclass(frozen=True)
class Limit:
    amount: int | None
    unit: str  # "words" | "characters" | "pages"
    excerpt: str
    placeholder: bool = False
    per: str | None = None  # "per sub-criterion" and the like: the limit repeats

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"amount": self.amount, "unit": self.unit}
        if self.placeholder:
            data["placeholder"] = True
        if self.per:
            data["per"] = self.per
        return data


@dataclass
class Question:
    id: str | None
    text: str
    location: Location
    limit: Limit | None = None
    weighting: str | None = None
    gate: bool = False
    answer: str | None = None  # "yes/no", "upload", "check box" for non-written answers
    # Every block of the question (a table row's cells), for callers that read more.
    blocks: list[Block] = field(default_factory=list, repr=False)

    @property
    def written(self) -> bool:
        """A free-text answer, as opposed to yes/no, upload or tick box."""
        return self.answer is None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": _short(self.text, 300),
            "limit": self.limit.as_dict() if self.limit else None,
            "weighting": self.weighting,
            "gate": self.gate,
            "answer": self.answer,
            "location": self.location.as_dict(),
        }


@dataclass(frozen=True)
class GateStatement:
    text: str
    location: Location


def _unit_name(raw: str) -> str:
    raw = raw.lower()
    if raw.startswith("w"):
        return "words"
    if raw.startswith("c"):
        return "characters"
    return "pages"


def _to_int(raw: str) -> int | None:
    number = to_number(raw)
    return int(number) if number is not None and number == int(number) else None


def find_limits(text: str) -> list[Limit]:
    """Every response limit stated in `text`, in order of appearance."""
    if not may_contain(text, _UNIT_WORDS):
        return []
    text = flatten(text)
    hits: list[tuple[int, Limit]] = []
    taken: list[range] = []
    for pattern in _LIMIT_PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() in span or match.end() - 1 in span for span in taken):
                continue
            groups = match.groupdict()
            amount = _to_int(groups["num"]) if groups.get("num") else None
            placeholder = groups.get("ph") is not None
            if amount is None and not placeholder:
                continue
            unit = _unit_name(groups["unit"])
            if unit == "words" and amount is not None and amount < 10:
                continue  # "in 3 words" is not a response box
            after = text[match.end() : match.end() + 40]
            per = _PER.match(after.strip())
            excerpt = text[max(0, match.start() - 30) : match.end() + 30].strip()
            taken.append(range(match.start(), match.end()))
            limit = Limit(amount, unit, excerpt, placeholder, per.group(0).lower() if per else None)
            hits.append((match.start(), limit))
    return [limit for _, limit in sorted(hits, key=lambda hit: hit[0])]


def _short(text: str, size: int = 160) -> str:
    text = flatten(text)
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


@dataclass
class _Unit:
    """A paragraph or list item on its own, or one table row (its cells)."""

    blocks: list[Block]

    @property
    def table(self) -> int | None:
        return self.blocks[0].location.table

    @property
    def text(self) -> str:
        return "\n".join(block.text for block in self.blocks)


def _units(document: Document) -> list[_Unit]:
    units: list[_Unit] = []
    for block in document.blocks:
        if block.kind in (
            BlockKind.HEADER,
            BlockKind.FOOTER,
            BlockKind.FOOTNOTE,
            BlockKind.ENDNOTE,
        ):
            continue
        loc = block.location
        if block.kind == BlockKind.TABLE_CELL and units:
            last = units[-1].blocks[0].location
            if last.table == loc.table and last.row == loc.row and loc.table is not None:
                units[-1].blocks.append(block)
                continue
        units.append(_Unit([block]))
    return units


@dataclass
class _Columns:
    question: int | None = None
    limit: dict[int, str] = field(default_factory=dict)  # column -> unit
    weight: set[int] = field(default_factory=set)
    kind: set[int] = field(default_factory=set)


def _header(unit: _Unit) -> _Columns | None:
    """Column roles when this table row is a header row of a question table."""
    columns = _Columns()
    for block in unit.blocks:
        text = flatten(block.text)
        column = block.location.column or 0
        if len(text.split()) > 6:
            return None
        if _HEADER_QUESTION.match(text):
            columns.question = column
        elif _HEADER_LIMIT.search(text):
            unit_match = re.search(r"word|character|char|page|side", text, re.I)
            columns.limit[column] = _unit_name(unit_match.group(0)) if unit_match else "words"
        elif _HEADER_WEIGHT.match(text):
            columns.weight.add(column)
        elif _HEADER_TYPE.search(text):
            columns.kind.add(column)
    if columns.question is None and not columns.limit and not columns.weight:
        return None
    return columns


def _row_question(unit: _Unit, columns: _Columns | None) -> Question | None:
    limit = None
    weighting = None
    answer = None
    texts: list[tuple[Block, str]] = []
    for block in unit.blocks:
        text = flatten(block.text)
        column = block.location.column or 0
        if not text:
            continue
        if columns and column in columns.limit:
            found = find_limits(text)
            if found:
                limit = limit or found[0]
            else:
                number = re.match(rf"^\s*{_NUM}\s*(?P<rest>\w*)", text, re.I)
                placeholder = re.match(rf"^\s*{_PLACEHOLDER}", text)
                if number and _to_int(number.group("num")):
                    rest = number.group("rest")
                    unit_name = _unit_name(rest) if rest else columns.limit[column]
                    limit = limit or Limit(_to_int(number.group("num")), unit_name, text)
                elif placeholder:
                    limit = limit or Limit(None, columns.limit[column], text, placeholder=True)
            continue
        if _PERCENT.match(text) and (
            columns is None or column in columns.weight or not columns.weight
        ):
            weighting = weighting or _PERCENT.match(text).group(1).replace(" ", "")
            continue
        if _ANSWER_KIND.match(text):
            answer = answer or text.lower().replace(" ", "")
            continue
        if columns and column in columns.kind:
            continue
        texts.append((block, text))
    for _, text in texts:
        found = find_limits(text)
        if found and limit is None:
            limit = found[0]
    if not texts:
        return None
    # The question is the longest cell that is not an ID ("SV01") or a label ("All Lots").
    candidates = [pair for pair in texts if not _ID.fullmatch(pair[1])] or texts
    block, text = max(candidates, key=lambda pair: len(pair[1]))
    if _TOTAL_ROW.match(text):
        return None
    identifier = next((t for _, t in texts if _ID.fullmatch(t)), None)
    is_question = (
        limit is not None
        or (columns is not None and columns.question is not None and len(texts) >= 2)
        or (columns is not None and (weighting is not None or answer is not None))
        or bool(_REQUEST.match(text))
        or (text.rstrip().endswith("?") and re.search(r"\byou|\byour", text, re.I) is not None)
    )
    if not is_question:
        return None
    if limit is not None:
        answer = None
    elif answer and answer.startswith("yes"):
        answer = "yes/no"
    question = Question(
        id=identifier or _identifier(text),
        text=text,
        location=block.location,
        limit=limit,
        weighting=weighting or _weight_in(text),
        answer=answer,
        blocks=list(unit.blocks),
    )
    question.gate = _is_gate(unit.text, question)
    return question


def _identifier(text: str) -> str | None:
    match = _NUMBERED.match(text)
    return match.group(1) if match else None


def _weight_in(text: str) -> str | None:
    match = _WEIGHT_TEXT.search(text)
    return match.group(1).replace(" ", "") if match else None


def _is_gate(text: str, question: Question) -> bool:
    if question.answer == "yes/no" and question.weighting is None:
        return True
    heading = question.location.heading or ""
    return bool(_GATE.search(text) or re.search(r"mandatory|pass\s*/\s*fail", heading, re.I))


def _paragraph_question(unit: _Unit) -> Question | None:
    block = unit.blocks[0]
    text = flatten(block.text)
    if not text or (
        block.kind == BlockKind.HEADING and not text.lower().startswith("method statement")
    ):
        return None
    limits = find_limits(text)
    numbered = _NUMBERED.match(text) is not None
    body = _NUMBER_PREFIX.sub("", text, count=1) if numbered else text
    asks = bool(_ASKS.match(body))
    # A question to the applicant may be followed by instructions: "…? Answer Yes or No."
    asks_applicant = (
        re.search(r"\?(\s|$)", text) is not None
        and re.search(r"\byou|\byour", text, re.I) is not None
        and len(text) > 25
    )
    is_question = (
        bool(limits)
        or bool(_REQUEST.match(body))
        or (numbered and (asks or text.endswith("?")))
        or asks_applicant
    )
    if not is_question:
        return None
    question = Question(
        id=_identifier(text),
        text=text,
        location=block.location,
        limit=limits[0] if limits else None,
        weighting=_weight_in(text),
        blocks=[block],
    )
    if re.search(r"\byes\s*/\s*no\b|\byes\s+no\s*$|\banswer\s+yes\s+or\s+no\b", text, re.I):
        question.answer = "yes/no"
    if question.limit is not None:
        question.answer = None
    question.gate = _is_gate(text, question)
    return question


@per_document
def find_questions(document: Document) -> list[Question]:
    """Every question or response box in the document, in reading order. Found once per
    document (the questions and proportionality checks both read them): do not change them."""
    questions: list[Question] = []
    columns: dict[int, _Columns | None] = {}
    last_paragraph_question: tuple[int, Question] | None = None
    for index, unit in enumerate(_units(document)):
        table = unit.table
        if table is not None:
            if table not in columns or columns[table] is None:
                header = _header(unit)
                if header is not None:
                    columns[table] = header
                    continue
                columns.setdefault(table, None)
            question = _row_question(unit, columns[table])
        else:
            question = _paragraph_question(unit)
            # A limit on its own line just after a question belongs to that question.
            if (
                question is not None
                and question.limit is not None
                and last_paragraph_question is not None
                and index - last_paragraph_question[0] <= 3
                and last_paragraph_question[1].limit is None
                and not _REQUEST.match(question.text)
                and not _NUMBERED.match(question.text)
                and len(question.text.split()) <= 15
            ):
                last_paragraph_question[1].limit = question.limit
                last_paragraph_question[1].answer = None
                continue
        if question is not None:
            if question.id is None and table is None:
                question.id = _id_from_heading(question, {q.id for q in questions})
            questions.append(question)
            if table is None:
                last_paragraph_question = (index, question)
    return questions


def _id_from_heading(question: Question, taken: set[str | None]) -> str | None:
    """A question under its own numbered heading ("Q4.1 Service delivery model") takes the
    heading's number, once."""
    heading = (question.location.heading or "").split(" > ")[-1]
    match = _QUESTION_HEADING.match(heading)
    if match and match.group(1) not in taken:
        return match.group(1)
    return None


@per_document
def find_gate_statements(document: Document) -> list[GateStatement]:
    """Knock-out sentences outside the questions: 'your tender will be disqualified if…'."""
    inside = {id(block) for question in find_questions(document) for block in question.blocks}
    statements = []
    for block in document.blocks:
        if id(block) in inside or block.kind in (BlockKind.HEADER, BlockKind.FOOTER):
            continue
        if not may_contain(block.text, _KNOCKOUT_WORDS):
            continue
        for sentence in _SENTENCE_END.split(flatten(block.text)):
            if _KNOCKOUT.search(sentence):
                statements.append(GateStatement(sentence, block.location))
    return statements


def words_to_write(questions: list[Question], settings: Settings) -> float:
    """Words asked for: word limits, plus characters and pages at the configured rates."""
    total = 0.0
    for question in questions:
        limit = question.limit
        if limit is None or limit.amount is None:
            continue
        if limit.unit == "words":
            total += limit.amount
        elif limit.unit == "characters":
            total += limit.amount / settings.characters_per_word
        else:
            total += limit.amount * settings.words_per_page
    return round(total)


def pack_summary(questions: list[Question], settings: Settings) -> dict[str, Any]:
    written = [q for q in questions if q.written]
    return {
        "questions": len(questions),
        "questions_without_limit": sum(1 for q in written if q.limit is None),
        "questions_with_placeholder_limit": sum(
            1 for q in questions if q.limit is not None and q.limit.placeholder
        ),
        "words_to_write": words_to_write(questions, settings),
        "gates": sum(1 for q in questions if q.gate),
    }


def run(pack: Pack, settings: Settings) -> CheckOutput:
    output = CheckOutput()
    everything: list[Question] = []
    seen: set[str] = set()
    for document in pack.documents:
        questions = find_questions(document)
        everything.extend(questions)
        gates = []
        for question in questions:
            if question.gate:
                gates.append((question.text, question.location, "question"))
        for statement in find_gate_statements(document):
            gates.append((statement.text, statement.location, "statement"))
        register = []
        for text, location, kind in gates:
            key = re.sub(r"\W+", " ", text.lower()).strip()
            if key in seen:
                continue
            seen.add(key)
            register.append(
                {"text": _short(text, 300), "kind": kind, "location": location.as_dict()}
            )
            output.findings.append(
                Finding(
                    GATE,
                    document.path,
                    f"Knock-out gate: {_short(text, 120)}",
                    location,
                    _short(text),
                    "Check that this gate is needed and proportionate to the contract; say "
                    "plainly what an applicant must do to pass it.",
                )
            )
        output.document_data[document.path] = {
            "questions": [question.as_dict() for question in questions],
            "gates": register,
        }
    output.pack_data.update(pack_summary(everything, settings))
    return output
