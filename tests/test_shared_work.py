"""Work several checks share is done once per document and gives the same answers: the
questions and demands found (questions, demands and proportionality read them), and the text
of each parsed block (`plainbid.nlp.doc_text`)."""

from __future__ import annotations

import pickle
import subprocess
import sys

from spacy.lang.en.stop_words import STOP_WORDS

from plainbid.checks import analyse, demands, questions
from plainbid.config import Settings
from plainbid.model import Block, BlockKind, Document, Location
from plainbid.nlp import doc_text, parse, parsed_blocks, stop_words

TEXTS = [
    "Q1. Describe your approach to safeguarding (maximum 500 words).",
    "You must provide your last two years of audited accounts and a copy of your insurance "
    "certificates.",
    "The Transfer of Undertakings (Protection of Employment) Regulations (TUPE)  apply.\n"
    "Tenderers’ [fixed prices][target costs] – see Schedule 3 (Pricing).",
    "  Leading and trailing spaces, a tab\tand a non-breaking space\u00a0here.  ",
]


def _document() -> Document:
    blocks = [
        Block(BlockKind.PARAGRAPH, text, Location(paragraph=number))
        for number, text in enumerate(TEXTS, 1)
    ]
    return Document(path="shared.docx", format="docx", blocks=blocks)


def test_doc_text_is_spacys_own_text():
    docs = parse(TEXTS)
    assert [doc_text(doc) for doc in docs] == [doc.text for doc in docs] == TEXTS
    for doc in parsed_blocks(_document()):
        assert doc_text(doc) == doc.text


def test_questions_and_demands_are_found_once_per_document():
    document = _document()
    first = questions.find_questions(document)
    assert first and [q.text for q in first] == [
        q.text for q in questions.find_questions.__wrapped__(document)
    ]
    assert questions.find_questions(document) is first  # found once, then kept
    found = demands.find_demands(document)
    assert found and found == demands.find_demands.__wrapped__(document)
    assert demands.find_demands(document) is found


def test_what_a_worker_found_travels_with_the_document_but_not_its_parse():
    document = _document()
    analyse(document, Settings())
    assert document.parsed is not None and document.cache
    copy = pickle.loads(pickle.dumps(document))
    assert copy.parsed is None and copy == document
    assert copy.cache.keys() == document.cache.keys()
    # The checks read what the worker found: nothing is parsed again.
    assert questions.find_questions(copy) == questions.find_questions(document)
    assert copy.parsed is None


def test_the_cache_is_no_part_of_a_documents_identity():
    one, other = _document(), _document()
    questions.find_questions(one)
    assert one == other
    assert "cache" not in repr(one)


def test_stop_words_are_spacys_and_reading_does_not_import_spacy():
    assert stop_words() == frozenset(STOP_WORDS)
    script = (
        "import sys\n"
        "from plainbid.nlp import known_words, stop_words\n"
        "from plainbid.readers import read_bytes\n"
        "read_bytes('a.txt', b'Some words to read.')\n"
        "known_words()\n"
        "print(len(stop_words()), 'spacy' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.split() == [str(len(STOP_WORDS)), "False"], done.stderr


def test_tokens_keep_the_word_attributes_plainbid_reads():
    """The pipeline works out only `LEXEME_ATTRIBUTES` for each new word; those must be the ones
    `spacy.blank("en")` gives, on words the pipeline has not met before."""
    import spacy

    text = "Ünïque wörds: ½ £5m, self-declaration; ‘quoted’ — 12:00 (TUPE)\u00a0e-mail x@y.org"
    blank = spacy.blank("en")(text)
    ours = parse([text])[0]
    assert [t.text for t in ours] == [t.text for t in blank]
    for attribute in ("lower_", "is_alpha", "is_punct", "is_space"):
        assert [getattr(t, attribute) for t in ours] == [getattr(t, attribute) for t in blank]


def test_the_code_reads_no_word_attribute_the_pipeline_leaves_unset():
    """A check that read, say, `token.like_num` would always see False: the attribute must be
    added to `LEXEME_ATTRIBUTES` first."""
    import re
    from pathlib import Path

    import spacy
    from spacy.attrs import IDS

    from plainbid import nlp

    ids = {number: name for name, number in IDS.items()}
    getters = spacy.blank("en").vocab.lex_attr_getters
    unset = {ids[number] for number in getters} - set(nlp.LEXEME_ATTRIBUTES)
    assert {"LIKE_NUM", "SHAPE", "IS_STOP"} <= unset
    # `token.is_stop`, `token.shape_`, or the name in a pattern ("LIKE_NUM"); not `.suffix`,
    # which is also a path's.
    forms = [rf"\.{name.lower()}_\b" for name in unset]
    forms += [rf"\.{name.lower()}\b" for name in unset if name.startswith(("IS_", "LIKE_"))]
    forms += [rf"[\"']{name}[\"']" for name in unset]
    pattern = re.compile("|".join(forms))
    source = Path(nlp.__file__).parent
    found = [
        f"{path.relative_to(source)}: {match.group()}"
        for path in sorted(source.rglob("*.py"))
        for match in pattern.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
