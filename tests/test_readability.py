"""Readability scores (textstat, thread-safe, offline), PB203 grade above target and PB204
hardest passages."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import docx
import pytest
from helpers import PROJECT_ROOT, corpus_file, docx_to_bytes
from hypothesis import given
from hypothesis import strategies as st
from textstat.backend import metrics
from textstat.textstat import textstatistics

from plainbid.checks import readability
from plainbid.config import Settings
from plainbid.model import Block, BlockKind, Document, Location, Pack
from plainbid.nlp import count_words
from plainbid.readability_scores import (
    LANG,
    MIN_WORDS,
    NO_TEXT,
    PROSE_KINDS,
    SCORES,
    block_sentences,
    release_caches,
    scores,
    scores_from_counts,
    scoring_text,
    text_counts,
)
from plainbid.readers import read_bytes, read_pack

EASY = (
    "We want a team to run the new help desk. You will answer calls from people who need help. "
    "Tell us how you will do this. We will read every bid with care and tell you what we "
    "decide by the end of May."
)
HARD = (
    "Notwithstanding the generality of the foregoing obligations, the Supplier shall "
    "indemnify the Contracting Authority against all liabilities, consequential losses and "
    "administrative expenditure arising from any unauthorised disclosure of commercially "
    "sensitive information, irrespective of contributory negligence attributable to "
    "subcontracted organisations."
)
HARDER = (
    "Any contravention of the confidentiality provisions, howsoever occasioned and "
    "irrespective of materiality, shall constitute an irremediable material breach entitling "
    "the Contracting Authority to terminate immediately, without prejudice to any accrued "
    "remedies, and the Supplier shall additionally reimburse investigative expenditure "
    "reasonably and proportionately incurred."
)


def _textstat() -> textstatistics:
    """textstat's own front end, as a user would call it, on a private instance (so the
    language set here touches nothing else)."""
    reference = textstatistics()
    reference.set_lang(LANG)
    reference.set_rounding_points(2)
    return reference


def _expected(text: str) -> dict[str, float | None]:
    reference = _textstat()
    expected = {name: getattr(reference, name)(text) for name in SCORES}
    if reference.sentence_count(text) < 3:
        expected["smog_index"] = None
    return expected


def _doc(*paragraphs: tuple[str, str | None], path: str = "test.docx") -> Document:
    blocks = [
        Block(BlockKind.PARAGRAPH, text, Location(paragraph=i, heading=heading))
        for i, (text, heading) in enumerate(paragraphs, 1)
    ]
    return Document(path=path, format="docx", blocks=blocks)


def _run(*documents: Document, **settings) -> tuple[dict, list]:
    output = readability.run(Pack(list(documents)), Settings(**settings))
    return output.document_data, output.findings


@pytest.mark.parametrize("text", [EASY, HARD, f"{EASY} {HARD} {HARDER}"])
def test_scores_match_textstat_to_two_decimals(text):
    assert scores(text) == _expected(text)


def test_scores_are_rounded_and_stable():
    first = scores(HARD)
    release_caches()
    again = scores(HARD)
    assert first == again
    assert all(value is None or round(value, 2) == value for value in first.values())


def test_smog_left_out_below_three_sentences():
    assert scores(HARD)["smog_index"] is None
    three = f"{EASY} {HARD}"
    assert scores(three)["smog_index"] == _textstat().smog_index(three)


def test_scores_come_from_the_backend_with_an_explicit_language():
    assert scores(EASY)["flesch_reading_ease"] == round(metrics.flesch_reading_ease(EASY, LANG), 2)
    assert scores(EASY)["gunning_fog"] == round(metrics.gunning_fog(EASY, LANG), 2)


def test_scores_are_the_same_from_many_threads():
    texts = [EASY, HARD, HARDER, f"{EASY} {HARD}"] * 8
    alone = [scores(text) for text in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(scores, texts))
    assert together == alone


def test_release_caches_empties_textstat_text_caches():
    scores(HARDER)
    assert metrics.flesch_kincaid_grade.cache_info().currsize > 0
    release_caches()
    assert metrics.flesch_kincaid_grade.cache_info().currsize == 0
    assert metrics.smog_index.cache_info().currsize == 0


def test_scores_work_with_no_network(tmp_path):
    """A fresh interpreter whose sockets all fail: textstat 0.7.8 must still score (0.7.9+
    would try to download CMUdict through NLTK here)."""
    script = textwrap.dedent(
        f"""
        import json, socket, sys

        def refuse(*args, **kwargs):
            raise OSError("network disabled by test")

        socket.socket.connect = refuse
        socket.socket.connect_ex = refuse
        socket.create_connection = refuse
        socket.getaddrinfo = refuse

        from plainbid.readability_scores import scores
        result = scores({HARD + " " + EASY!r})
        print(json.dumps({{"scores": result, "nltk": "nltk" in sys.modules}}))
        """
    )
    env = {"PATH": "", "PYTHONPATH": str(PROJECT_ROOT), "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    reported = json.loads(done.stdout)
    assert reported["nltk"] is False
    assert reported["scores"] == _expected(HARD + " " + EASY)


def test_scoring_text_ends_every_sentence():
    assert scoring_text(["Heading", "A question?", "List intro:", "Done."]) == (
        "Heading. A question? List intro. Done."
    )


def test_document_and_section_scores_in_json_match_textstat(tmp_path):
    word = docx.Document()
    word.add_heading("Easy part", level=1)
    word.add_paragraph(EASY)
    word.add_paragraph("Short line.")
    word.add_heading("Hard part", level=1)
    word.add_paragraph(HARD)
    word.add_paragraph(HARDER)
    word.add_heading("Tiny", level=1)
    word.add_paragraph("Too short to score.")
    document = read_bytes("built.docx", docx_to_bytes(word))
    data, _ = _run(document)
    result = data["built.docx"]["readability"]

    whole = f"{EASY} Short line. {HARD} {HARDER} Too short to score."
    assert {k: result["document"][k] for k in SCORES} == _expected(whole)
    assert result["document"]["words"] == count_words(whole)

    sections = result["sections"]
    assert [s["heading"] for s in sections] == ["Easy part", "Hard part", "Tiny"]
    assert {k: sections[0][k] for k in SCORES} == _expected(f"{EASY} Short line.")
    assert {k: sections[1][k] for k in SCORES} == _expected(f"{HARD} {HARDER}")
    # Under MIN_WORDS words: no scores rather than noise.
    assert all(sections[2][k] is None for k in SCORES)
    assert sections[2]["words"] == 4

    scored = result["paragraphs"]
    assert len(scored) == 3  # the three paragraphs of 30 words or more
    assert {k: scored[1][k] for k in SCORES} == _expected(HARD)


def test_paragraph_scored_from_thirty_words():
    words = EASY.replace(".", "").split()
    short = " ".join(words[: MIN_WORDS - 1]) + "."
    long = " ".join(words[:MIN_WORDS]) + "."
    assert (count_words(short), count_words(long)) == (MIN_WORDS - 1, MIN_WORDS)
    data, _ = _run(_doc((short, None), (long, None)))
    scored = data["test.docx"]["readability"]["paragraphs"]
    assert [p["location"]["paragraph"] for p in scored] == [2]


def test_section_above_target_gives_one_finding_listing_its_hard_paragraphs():
    document = _doc((HARD, "Terms"), (HARDER, "Terms"), (EASY, "Terms"), (EASY, "Help"))
    _, findings = _run(document)
    pb203 = [f for f in findings if f.rule.code == "PB203"]
    assert len(pb203) == 1
    finding = pb203[0]
    assert finding.location.paragraph == 1
    assert "Section 'Terms'" in finding.message
    listed = [p["location"]["paragraph"] for p in finding.data["paragraphs_above_target"]]
    assert listed == [1, 2]
    assert finding.data["target"] == 9.0
    assert finding.data["grade"] == finding.data["scores"]["flesch_kincaid_grade"]


def test_hard_paragraph_in_easy_section_gets_its_own_finding():
    document = _doc((EASY, "Help"), (EASY, "Help"), (EASY, "Help"), (HARD, "Help"))
    _, findings = _run(document)
    pb203 = [f for f in findings if f.rule.code == "PB203"]
    assert [f.location.paragraph for f in pb203] == [4]
    assert pb203[0].message.startswith("Paragraph reads at grade")


def test_target_grade_is_configurable():
    easy_grade = scores(EASY)["flesch_kincaid_grade"]
    document = _doc((EASY, None))
    _, strict = _run(document, target_grade=easy_grade - 0.5)
    _, relaxed = _run(document, target_grade=easy_grade)
    assert [f.rule.code for f in strict if f.rule.code == "PB203"] == ["PB203"]
    assert not [f for f in relaxed if f.rule.code == "PB203"]


def test_worst_five_paragraphs_ranked():
    texts = [EASY, HARD, HARDER, EASY + " " + HARD, HARD + " " + HARDER, EASY + " Thank you."]
    texts.append(HARDER + " " + HARD)
    document = _doc(*((text, None) for text in texts))
    data, findings = _run(document)
    pb204 = [f for f in findings if f.rule.code == "PB204"]
    assert [f.data["rank"] for f in pb204] == [1, 2, 3, 4, 5]
    grades = [f.data["grade"] for f in pb204]
    assert grades == sorted(grades, reverse=True)
    all_grades = sorted((scores(t)["flesch_kincaid_grade"] for t in texts), reverse=True)
    assert grades == all_grades[:5]
    hardest = data["test.docx"]["readability"]["hardest"]
    assert [h["rank"] for h in hardest] == [1, 2, 3, 4, 5]
    assert [h["location"] for h in hardest] == [f.location.as_dict() for f in pb204]


def test_clause_numbers_are_not_scored():
    numbered = _doc(("7.2. " + HARD, None))
    plain = _doc((HARD, None))
    assert (
        _run(numbered)[0]["test.docx"]["readability"]["document"]
        == (_run(plain)[0]["test.docx"]["readability"]["document"])
    )


@pytest.fixture(scope="module")
def order_form(corpus: Path) -> Document:
    return read_pack([str(corpus_file(corpus, "D4"))]).documents[0]


def test_real_order_form_has_scores_for_document_and_sections(order_form):
    data, findings = _run(order_form)
    result = data[order_form.path]["readability"]
    document_scores = result["document"]
    assert all(isinstance(document_scores[name], float) for name in SCORES)
    # The order form is legal text: far harder than GOV.UK's aim, easier than nonsense.
    assert 8 < document_scores["flesch_kincaid_grade"] < 20
    assert len(result["sections"]) >= 1
    assert len(result["hardest"]) == 5
    ranks = [f.data["rank"] for f in findings if f.rule.code == "PB204"]
    assert ranks == [1, 2, 3, 4, 5]


# Section and document scores come from summed per-paragraph counts (`scores_from_counts`);
# they must be exactly what textstat gives for the joined text.


def _summed_scores(*texts: str) -> dict[str, float | None]:
    total = NO_TEXT
    for text in texts:
        total += text_counts(text)
    return scores_from_counts(total)


def test_sentences_counted_below_textstats_floor_of_one():
    # textstat counts one sentence in "Yes. No." (it ignores sentences of two words or
    # fewer, then counts at least one); joined to other text, it adds none.
    assert textstatistics().sentence_count("Yes. No.") == 1
    assert text_counts("Yes. No.").sentences == 0
    assert text_counts("We will pay you.").sentences == 1
    assert text_counts(HARD).sentences == 1
    assert text_counts(f"{EASY} Yes. No.").sentences == textstatistics().sentence_count(EASY)
    for parts in (["Yes. No.", EASY], ["Yes. No.", "Go on.", HARD], [HARD, "We will pay."]):
        joined = " ".join(parts)
        assert _summed_scores(*parts) == scores(joined) == _expected(joined)


def test_counts_add_up_at_awkward_joins():
    """Parts ending in closing quotes and brackets, apostrophes, parts starting with
    punctuation or a number, Greek final sigma, the Turkish dotted capital I."""
    parts = [
        "He said 'we will pay the invoice.'",
        '"Quoted" sentences (with brackets.)',
        "(a) the Supplier's staff shan't be paid; the suppliers' staff will.",
        "12 months' notice is required by the Authority?’",
        "ΟΔΥΣΣΕΑΣ ΚΑΙ ΣΩΚΡΑΤΗΣ ΣΤΗΝ ΑΘΗΝΑ.",
        "İSTANBUL İzmir and DİYARBAKIR offices close!",
        "... and so on [see annex].",
        "Rock'n'roll isn't a 'contractual' requirement.)]",
    ]
    for size in range(1, len(parts) + 1):
        chosen = parts[:size]
        joined = " ".join(chosen)
        assert _summed_scores(*chosen) == scores(joined) == _expected(joined), chosen


_TEXT = st.text(
    alphabet=st.sampled_from(list("aAeEiIoOuUyYbcdfklmnrstvwz 0123.!?,;:-'\"’”()[]ΣσςİıΑé\n")),
    max_size=60,
)


@given(st.lists(st.lists(_TEXT, min_size=1, max_size=4), min_size=1, max_size=5))
def test_summed_counts_score_as_the_joined_text(paragraphs):
    texts = [scoring_text(sentences) for sentences in paragraphs]
    joined = scoring_text(sentence for sentences in paragraphs for sentence in sentences)
    assert joined == " ".join(texts)
    assert _summed_scores(*texts) == scores(joined)


def _scoring_texts(document: Document) -> tuple[list[str], list[tuple[str, int]], str]:
    """What the check scores, rebuilt here: the text of each paragraph of MIN_WORDS words,
    of each section (with its words) and of the whole document."""
    paragraphs: list[str] = []
    sections: list[tuple[str | None, list[str], int]] = []
    everything: list[str] = []
    for block, found in zip(document.blocks, block_sentences(document), strict=True):
        if block.kind not in PROSE_KINDS or not found:
            continue
        texts = [sentence.text for sentence in found]
        words = sum(sentence.words for sentence in found)
        if words >= MIN_WORDS:
            paragraphs.append(scoring_text(texts))
        if not sections or sections[-1][0] != block.location.heading:
            sections.append((block.location.heading, [], 0))
        heading, section_texts, section_words = sections[-1]
        sections[-1] = (heading, section_texts + texts, section_words + words)
        everything += texts
    section_texts = [(scoring_text(texts), words) for _, texts, words in sections]
    return paragraphs, section_texts, scoring_text(everything)


@pytest.mark.parametrize("prefix", ["D5", "D6"])
def test_every_score_of_a_real_document_is_textstats_own(corpus, prefix):
    """Every paragraph, section and document score of two corpus documents, against textstat
    called on the same scoring text."""
    document = read_pack([str(corpus_file(corpus, prefix))]).documents[0]
    paragraphs, sections, whole = _scoring_texts(document)
    data, _ = _run(document)
    result = data[document.path]["readability"]

    assert len(result["paragraphs"]) == len(paragraphs)
    for scored, text in zip(result["paragraphs"], paragraphs, strict=True):
        assert {name: scored[name] for name in SCORES} == _expected(text)
    assert len(result["sections"]) == len(sections)
    joined = 0
    for section, (text, words) in zip(result["sections"], sections, strict=True):
        assert section["words"] == words
        if words < MIN_WORDS:
            assert all(section[name] is None for name in SCORES)
        else:
            assert {name: section[name] for name in SCORES} == _expected(text)
            joined += text not in paragraphs
    assert {name: result["document"][name] for name in SCORES} == _expected(whole)
    # The sums are exercised: sections of several paragraphs, some too short to score alone.
    assert joined >= 10
