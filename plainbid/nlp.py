"""The one spaCy pipeline and the one way words are counted.

The pipeline is spaCy's blank English (as `spacy.blank("en")` builds it) with a rule-based
sentencizer, and each token's NORM is its lower-case lemma, looked up in the English table
that the `spacy-lookups-data` package ships: nothing is downloaded and no trained model is
needed. It is built once per process and shared; spaCy pipelines are safe to call from
several threads.

spaCy is imported when the pipeline is first built, not with this module: reading documents
(the PDF reader needs `known_words`) and commands that check nothing do not pay its 1.3 s.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
import sys
import threading
import types
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from plainbid.model import Document

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# A word is a run of non-space characters holding at least one letter or digit: "call-off",
# "£100k" and "don't" are one word each, a lone dash or bullet is none. This is how word
# processors count, so a word limit reads the same in plainbid as in Word.
_WORD = re.compile(r"[^\s]*[^\W_][^\s]*")

_build_lock = threading.Lock()


def count_words(text: str) -> int:
    return sum(1 for _ in _WORD.finditer(text))


def flatten(text: str) -> str:
    r"""One line, single-spaced: how block text is parsed, so terms match across line breaks.
    (`str.split` splits on exactly the characters `\s` matches, several times faster.)"""
    return " ".join(text.split())


# With re.I a pattern's "s" also matches "ſ" and its "i" matches "ı" and "İ", characters that
# lower() leaves as they are; with every other character lower() agrees with re.I about the
# letters a-z (tests/test_questions.py checks every character).
_ODD_CASE = ("\u017f", "\u0131", "\u0130")


def may_contain(text: str, words: tuple[str, ...]) -> bool:
    """Whether `text` may hold one of `words` (lower-case letters) as a re.I pattern reads them.

    False only when it cannot, so it is a safe gate before a group of re.I patterns every match
    of which spells one of the words: far cheaper than running them. Spaces are not letters, so
    a block's text and its flattened text give the same answer."""
    lower = text.lower()
    return any(word in lower for word in words) or any(odd in text for odd in _ODD_CASE)


def import_spacy() -> None:
    """Import spaCy without its command line.

    `spacy/__init__.py` imports `spacy.cli.info` only to offer `spacy.info`, and that import
    loads spaCy's whole command line (typer, weasel, requests): about 0.5 s of a 1.4 s import,
    measured (benchmarks/PROFILE.md). plainbid uses nothing from it. So while spaCy is
    imported, a stand-in for that one module offers an `info` that imports the real one when
    called; the stand-in is then removed, and anything that imports `spacy.cli` later gets
    the real thing. If a spaCy release needs more from there, the import fails and is made
    again the usual way.
    """
    if "spacy" in sys.modules:
        return
    stand_in = types.ModuleType("spacy.cli.info")
    stand_in.__dict__.update(_STAND_IN)
    sys.modules["spacy.cli.info"] = stand_in
    try:
        import spacy
    except Exception:  # tried again below, the usual way
        pass
    finally:
        if sys.modules.get("spacy.cli.info") is stand_in:
            del sys.modules["spacy.cli.info"]
    if "spacy" not in sys.modules:
        import spacy  # noqa: F401  (the usual way)


def _spacy_info(*args: object, **kwargs: object) -> object:
    from spacy.cli.info import info

    return info(*args, **kwargs)


# What the stand-in for `spacy.cli.info` offers while spaCy is imported.
_STAND_IN = {"info": _spacy_info}


@lru_cache(maxsize=1)
def lemma_table() -> dict[str, str]:
    """spaCy's English lemma lookup table (inflected form -> lemma), read from the data file
    `spacy-lookups-data` ships; spaCy's own Table keeps only hashes of the forms."""
    data = resources.files("spacy_lookups_data").joinpath("data", "en_lemma_lookup.json.gz")
    with data.open("rb") as raw:
        table: dict[str, str] = json.loads(gzip.decompress(raw.read()))
    # Comparatives ("tenderer" -> "tender", "bidder" is safe) would merge a glossary's nouns
    # with their adjective stems; plainbid matches nouns, so they are dropped.
    for form in [form for form in table if form.endswith(("er", "est"))]:
        if len(table[form]) < len(form):
            del table[form]
    return table


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """spaCy's English stop words (`spacy.lang.en.stop_words.STOP_WORDS`).

    Importing that module runs `spacy/__init__.py`, which imports all of spaCy; the module
    itself is one set of words with no imports, so where spaCy is not imported yet it is
    loaded from its file alone."""
    if "spacy" not in sys.modules:
        spec = importlib.util.find_spec("spacy")  # finds the package without running it
        if spec is not None and spec.submodule_search_locations:
            path = Path(
                next(iter(spec.submodule_search_locations)),
                "lang",
                "en",
                "stop_words.py",
            )
            file_spec = importlib.util.spec_from_file_location("_plainbid_stop_words", path)
            if path.is_file() and file_spec is not None and file_spec.loader is not None:
                module = importlib.util.module_from_spec(file_spec)
                file_spec.loader.exec_module(module)
                return frozenset(module.STOP_WORDS)
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


@lru_cache(maxsize=1)
def base_words() -> frozenset[str]:
    """Lower-case dictionary headwords (lemmas) and stop words: "not", "must", "part"."""
    return frozenset(lemma_table().values()) | stop_words()


@lru_cache(maxsize=1)
def known_words() -> frozenset[str]:
    """Lower-case English words: every form in the lemma table, and the stop words."""
    table = lemma_table()
    return frozenset(chain(table, table.values(), stop_words()))


@lru_cache(maxsize=200_000)
def normalise(word: str) -> str:
    """The form terms are matched on: lower case, lemmatised; a plural the lemma table does not
    know ("offs", "flumoxes", "subsidiaries") loses its ending by the regular English rules."""
    lower = word.lower()
    lemma = lemma_table().get(lower)
    if lemma is not None:
        return lemma
    if len(lower) <= 3 or not lower.endswith("s") or lower.endswith(("ss", "us", "is")):
        return lower
    if lower.endswith(("xes", "ches", "shes", "sses", "zes")):
        return lower[:-2]
    if lower.endswith("ies") and len(lower) > 4:
        return lower[:-3] + "y"
    return lower[:-1]


# The word attributes plainbid or spaCy's sentencizer read from a token (`token.lower_`,
# `norm_`, `is_alpha`, `is_punct`, `is_space`); the others are left unset, so for example
# a token's `like_num` is always False. A test fails if the code reads another.
LEXEME_ATTRIBUTES = ("LOWER", "NORM", "IS_ALPHA", "IS_PUNCT", "IS_SPACE")


@lru_cache(maxsize=1)
def _pipeline() -> Language:
    import_spacy()
    from spacy.attrs import IDS, NORM
    from spacy.lang.en import English

    class PlainDefaults(English.Defaults):
        # Templates run brackets into words ("[fixed prices][target costs]"): split on them.
        infixes: ClassVar[list[str]] = [*English.Defaults.infixes, r"[\[\]()]"]
        # The tokenizer's own NORMs for its special cases ("n't" -> "not") are dropped, so
        # that every token's NORM is its word's (below).
        tokenizer_exceptions: ClassVar[dict[str, list[dict[int, str]]]] = {
            text: [
                {attr: value for attr, value in token.items() if attr != NORM} for token in tokens
            ]
            for text, tokens in English.Defaults.tokenizer_exceptions.items()
        }

    class PlainEnglish(English):
        """`spacy.blank("en")` with the settings above built in: the tokenizer is built
        once, with them, rather than built and then rebuilt (0.2-0.4 s saved)."""

        Defaults = PlainDefaults

    nlp = PlainEnglish()
    # Each token's NORM is its word's `normalise`d form. A token reads its NORM from its
    # word's entry in the vocabulary (its lexeme), which is made once per distinct word: so
    # the NORM is computed there, once per word, not set on every token by a pipeline step
    # (that took two thirds of the parsing time). Of the twenty other attributes spaCy works
    # out for each new word (its shape, whether it looks like a number, a URL...), only
    # `LEXEME_ATTRIBUTES` are read: working out the rest was two thirds of making a lexeme.
    getters = nlp.vocab.lex_attr_getters
    nlp.vocab.lex_attr_getters = {
        **{IDS[name]: getters[IDS[name]] for name in LEXEME_ATTRIBUTES if name != "NORM"},
        NORM: normalise,
    }
    for lexeme in list(nlp.vocab):
        lexeme.norm_ = normalise(lexeme.orth_)
    nlp.add_pipe("sentencizer")
    # Tender documents hold cells and paragraphs far longer than spaCy's default guard.
    nlp.max_length = 50_000_000
    return nlp


def pipeline() -> Language:
    with _build_lock:
        return _pipeline()


_TEXT_KEY = "plainbid.text"


def parse(texts: Iterable[str]) -> list[Doc]:
    """Tokenise, split into sentences and normalise many texts in one batched pass."""
    texts = list(texts)
    docs = list(pipeline().pipe(texts, batch_size=256))
    for text, doc in zip(texts, docs, strict=True):
        doc.user_data[_TEXT_KEY] = text
    return docs


def doc_text(doc: Doc) -> str:
    """`doc.text`, kept from `parse`: spaCy rebuilds `doc.text` token by token on every call,
    which the checks did about three times per block (benchmarks/PROFILE.md). The tokenizer
    is lossless, so the two are equal."""
    text = doc.user_data.get(_TEXT_KEY)
    return doc.text if text is None else text


def parsed_blocks(document: Document) -> list[Doc]:
    """One spaCy Doc per block of the document (flattened text), parsed once and kept."""
    if document.parsed is None:
        document.parsed = parse(flatten(block.text) for block in document.blocks)
    return document.parsed
