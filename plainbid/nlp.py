"""The one spaCy pipeline and the one way words are counted.

The pipeline is `spacy.blank("en")` with a rule-based sentencizer and the lookup lemmatizer
whose tables come from the `spacy-lookups-data` package: nothing is downloaded, nothing needs a
trained model. It is built once per process and shared (spaCy pipelines are safe to call from
several threads for inference).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

# A word is a run of non-space characters holding at least one letter or digit: "call-off",
# "£100k" and "don't" are one word each, a lone dash or bullet is none. This is how word
# processors count, so a word limit reads the same in plainbid as in Word.
_WORD = re.compile(r"[^\s]*[^\W_][^\s]*")

_build_lock = threading.Lock()


def count_words(text: str) -> int:
    return sum(1 for _ in _WORD.finditer(text))


def words(text: str) -> list[str]:
    return _WORD.findall(text)


@lru_cache(maxsize=1)
def _pipeline() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    # Tender documents hold cells and paragraphs far longer than spaCy's default guard.
    nlp.max_length = 50_000_000
    return nlp


def pipeline() -> Language:
    with _build_lock:
        return _pipeline()


def lemma_table() -> dict[str, str]:
    """spaCy's English lemma lookup table: inflected form -> lemma."""
    table = pipeline().get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    return dict(table.items())


def parse(texts: Iterable[str]) -> Iterator[Doc]:
    """Tokenise, split into sentences and lemmatise many texts in one batched pass."""
    return pipeline().pipe(texts, batch_size=256)
