"""Finding glossary terms, acronyms and their definitions in parsed text.

Terms are matched with two spaCy PhraseMatchers over the shared pipeline: words on NORM (the
lower-case lemma, so "Tenders", "tendering" and "TENDER" all match "tender"), acronyms on ORTH
(exact capitals, so the word "it" is never the acronym "IT"). Hyphen, space and joined spellings
of a term are added as patterns, and the longest match wins, so "framework agreement" is one
term, not "framework" inside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from plainbid.glossary import Entry, is_acronym
from plainbid.nlp import base_words, doc_text, normalise, parse, pipeline

# Everyday phrases that contain a term's word without meaning it: matched so that, being
# longer, they win over the term and are then dropped.
EVERYDAY_PHRASES = ("a lot", "lots of", "a lot of", "parking lot", "the lot")
_EVERYDAY = "__everyday__"

# Capitals that are everywhere and need no expansion (a user allowlist adds to these).
UNIVERSAL_ACRONYMS = frozenset(
    {
        "UK",
        "GB",
        "EU",
        "US",
        "USA",
        "UN",
        "VAT",
        "PDF",
        "ID",
        "OK",
        "AM",
        "PM",
        "TV",
        "CV",
        "CVS",
        "URL",
        "HTML",
        "FAQ",
        "FAQS",
        "PIN",
        "ISBN",
        "NB",
        "PS",
        "QA",
        "BST",
        "GMT",
        "UTC",
        "PLC",
        "LTD",
        "LLP",
        "CIC",
        "CIO",
        "I",
        "II",
        "III",
        "IV",
        "V",
        "VI",
        "VII",
        "VIII",
        "IX",
        "X",
        "XI",
        "XII",
        "GBP",
        "NHS",
        "BBC",
        "MP",
        "MPS",
        "TBC",
        "TBA",
    }
)
# Letters only: "SN10" or "MA01" is a reference code, not an abbreviation to spell out.
_ACRONYM = re.compile(r"^[A-Z][A-Z&]{1,5}s?$")
_BRACKETED_ACRONYM = re.compile(
    r"\(\s*[\"“']?([A-Z][A-Za-z0-9&]{1,9}(?: [A-Z][A-Z0-9&]{1,9})?)[\"”']?\s*\)"
)
# Small words an acronym usually skips: "Transfer of Undertakings", "Health and Safety".
_LINKS = frozenset({"of", "and", "the", "for", "to", "in", "on", "a", "an", "by", "with"})
_TWO_CAPITALS = re.compile(r"[A-Z][A-Z]")
_SEPARATORS = re.compile(r"[\s\-‐‑–]+")
_DEFINING_VERBS = ("means", "mean", "shall mean", "refers to", "is defined as", "has the meaning")


@dataclass(frozen=True)
class TermHit:
    entry: Entry
    span: Span


class TermMatcher:
    """Built once per glossary set and reused for every document."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries
        nlp = pipeline()
        self._words = PhraseMatcher(nlp.vocab, attr="NORM")
        self._acronyms = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._labels: dict[int, Entry] = {}
        word_patterns: dict[str, list[str]] = {}
        acronym_patterns: dict[str, list[str]] = {}
        for index, entry in enumerate(entries):
            label = f"entry{index}"
            self._labels[nlp.vocab.strings.add(label)] = entry
            for form in entry.forms:
                if is_acronym(form):
                    acronym_patterns.setdefault(label, []).extend(_acronym_spellings(form))
                else:
                    word_patterns.setdefault(label, []).extend(_word_spellings(form))
        word_patterns[_EVERYDAY] = list(EVERYDAY_PHRASES)
        # Two entries whose spellings come out the same once normalised cannot be told apart.
        self.collisions: list[str] = []
        owners: dict[tuple[str, ...], str] = {}
        for label, texts in word_patterns.items():
            # Patterns need only their words' NORMs: the tokenizer alone, not the pipeline.
            docs = list(nlp.tokenizer.pipe(dict.fromkeys(texts)))
            for doc in docs:
                key = tuple(token.norm_ for token in doc)
                owner = owners.setdefault(key, label)
                if owner != label and _EVERYDAY not in (owner, label):
                    first, second = self._entry(owner), self._entry(label)
                    self.collisions.append(
                        f"{second.origin}: '{doc.text}' matches the same words as "
                        f"'{first.term}' ({first.origin})"
                    )
            self._words.add(label, docs)
        for label, texts in acronym_patterns.items():
            self._acronyms.add(label, [nlp.make_doc(text) for text in dict.fromkeys(texts)])
        self._everyday = nlp.vocab.strings[_EVERYDAY]

    def _entry(self, label: str) -> Entry:
        return self._labels[pipeline().vocab.strings[label]]

    def find(self, doc: Doc) -> list[TermHit]:
        spans = self._words(doc, as_spans=True)
        if not _is_shouting(doc):
            spans += self._acronyms(doc, as_spans=True)
        return [
            TermHit(self._labels[span.label], span)
            for span in _outermost(spans)
            if span.label != self._everyday
        ]

    def problems(self) -> list[str]:
        """Entries that cannot be told apart, and plain alternatives that would themselves be
        reported as jargon."""
        problems = list(self.collisions)
        entries = [entry for entry in self.entries if entry.alternative]
        for entry, doc in zip(entries, parse(e.alternative for e in entries), strict=True):
            for hit in self.find(doc):
                problems.append(
                    f"{entry.origin}: plain_alternative '{entry.alternative}' contains the "
                    f"glossary term '{hit.entry.term}' ({hit.entry.origin})"
                )
        return problems


def _outermost(spans: list[Span]) -> list[Span]:
    """The longest match wins over any match inside it ("framework" inside "framework
    agreement"); two matches that only overlap ("Call-Off Contract" and "Contract Management"
    in "Call-Off Contract Management") are both kept."""
    kept: list[Span] = []
    furthest = -1  # the end of the kept spans that reach furthest; all start at or before
    for span in sorted(spans, key=lambda s: (s.start, s.start - s.end)):
        if span.end > furthest:
            kept.append(span)
            furthest = span.end
    return kept


# Prefixes writers join, hyphenate or space at will: "subcontractor", "sub-contractor".
_PREFIXES = ("sub", "co", "pre", "re", "non", "multi", "inter", "self", "cross", "over", "under")


def _word_spellings(form: str) -> list[str]:
    """ "call-off" also as "call off" and "calloff"; "framework agreement" also hyphenated;
    "subcontractor" also as "sub-contractor"."""
    parts = [part for part in _SEPARATORS.split(form.strip()) if part]
    if len(parts) == 1:
        word = parts[0].lower()
        prefix = next(
            (p for p in _PREFIXES if word.startswith(p) and len(word) - len(p) >= 4), None
        )
        if prefix:
            parts = [parts[0][: len(prefix)], parts[0][len(prefix) :]]
    spellings = [form, " ".join(parts), "-".join(parts)]
    if len(parts) == 2:
        spellings.append("".join(parts))
    return spellings


def _acronym_spellings(form: str) -> list[str]:
    spellings = [form]
    if re.fullmatch(r"[A-Z]{2,}", form):
        spellings += [form + "s", form + "'s", form + "’s"]
    return spellings


def _is_shouting(doc: Doc) -> bool:
    """A heading or line in capitals: its words are emphasis, not acronyms."""
    if not _TWO_CAPITALS.search(doc_text(doc)):
        return False
    words = [token.text for token in doc if token.is_alpha and len(token.text) > 1]
    return len(words) >= 3 and sum(word.isupper() for word in words) >= 0.7 * len(words)


def candidate_acronyms(doc: Doc) -> list[Span]:
    """Capitalised tokens of 2–6 characters that look like acronyms, not shouted words."""
    if not _TWO_CAPITALS.search(doc_text(doc)) or _is_shouting(doc):
        return []
    spans = []
    for token in doc:
        text = token.text
        if not _ACRONYM.match(text) or sum(c.isalpha() for c in text) < 2:
            continue
        bare = bare_acronym(text)
        if bare in UNIVERSAL_ACRONYMS or _is_roman(bare) or _is_shouted_word(bare):
            continue
        spans.append(doc[token.i : token.i + 1])
    return spans


def _is_shouted_word(text: str) -> bool:
    """An English word in capitals ("NOT", "TERMS"), not an abbreviation ("DBS")."""
    lower = text.lower()
    return lower in base_words() or (len(lower) >= 4 and normalise(lower) in base_words())


def bare_acronym(text: str) -> str:
    return text[:-1] if len(text) > 2 and text.endswith("s") and text[:-1].isupper() else text


@lru_cache(maxsize=4096)
def _is_roman(text: str) -> bool:
    return bool(re.fullmatch(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})", text))


# -- definitions ---------------------------------------------------------------------------


def expansions(doc: Doc) -> dict[str, str]:
    """Acronyms this text expands, with their long forms.

    Both orders count: "Transfer of Undertakings (Protection of Employment) Regulations (TUPE)"
    and "TUPE (Transfer of Undertakings ...)". The long form must spell the acronym's letters in
    order, starting a word with its first letter (the Schwartz–Hearst test for abbreviations).
    """
    found: dict[str, str] = {}
    text = doc_text(doc)
    for match in re.finditer(_BRACKETED_ACRONYM, text):
        short = bare_acronym(match.group(1))
        if sum(c.isupper() for c in short) < 2:
            continue
        before = text[: match.start()].split()[-(len(short) * 2 + 4) :]
        long_form = _long_form(short, " ".join(before))
        if long_form:
            found[short] = long_form
            # "UK General Data Protection Regulation (UK GDPR)" explains "GDPR" too.
            found.setdefault(short.split()[-1], long_form)
    for match in re.finditer(r"\b([A-Z][A-Z0-9&]{1,9})s?\s*\(([^()]{3,200})\)", text):
        short = match.group(1)
        inner = match.group(2).strip()
        # In this order the brackets often hold an aside ("the SLA (see Schedule 3)"), so the
        # words' initials must spell the acronym exactly.
        initials = "".join(
            word[0] for word in re.findall(r"[A-Za-z]+", inner) if word.lower() not in _LINKS
        )
        if initials.upper() in (short, short + "S"):
            found[short] = inner
    return found


def _long_form(short: str, candidate: str) -> str | None:
    letters = [c.lower() for c in short if c.isalnum()]
    long = candidate.rstrip(" ,:;")
    s_index, l_index = len(letters) - 1, len(long) - 1
    while s_index >= 0:
        char = letters[s_index]
        while l_index >= 0 and (
            long[l_index].lower() != char
            or (s_index == 0 and l_index > 0 and long[l_index - 1].isalnum())
        ):
            l_index -= 1
        if l_index < 0:
            return None
        l_index -= 1
        s_index -= 1
    start = long.rfind(" ", 0, l_index + 1) + 1
    result = long[start:].strip(' ("“')
    # A long form is words, more of them than one, not another acronym.
    return result if len(result.split()) > 1 and not result.isupper() else None


def defines(span: Span) -> bool:
    """A sentence that defines the term at `span`: "X means …", "'X' shall mean …",
    "X is a …" at the start of a sentence, or "X: …" opening a line."""
    doc = span.doc
    after = doc[span.end : span.end + 5]
    words = [t.lower_ for t in after if not (t.is_punct and t.text in "\"'“”’‘)")]
    joined = " ".join(words)
    if any(joined.startswith(verb) for verb in _DEFINING_VERBS):
        return True
    # The term must open its sentence (after "The"/"A" and a quote at most). Looking back a
    # few tokens, not at the whole sentence, keeps this linear on a 10,000-word sentence.
    start = next(
        (i for i in range(span.start, max(-1, span.start - 4), -1) if doc[i].is_sent_start),
        None,
    )
    if start is None:
        return False
    lead = [t.lower_ for t in doc[start : span.start] if not t.is_punct]
    if lead and lead not in (["the"], ["a"], ["an"]):
        return False
    if len(words) >= 2 and words[0] in ("is", "are") and words[1] in ("a", "an", "the", "when"):
        return True
    # "Call-off: a contract made under a framework" as the start of a block.
    return span.start == 0 and span.end < len(doc) and doc[span.end].text in (":", "–", "-", "—")
