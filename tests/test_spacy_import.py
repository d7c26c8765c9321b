"""spaCy imported without its command line (`plainbid.nlp.import_spacy`).

`spacy/__init__.py` loads spaCy's whole command line (typer, weasel, requests) to offer
`spacy.info`; plainbid imports spaCy without it, a third of the import's time. spaCy itself
must work the same, `spacy.info` and `spacy.cli` must still work for a program that uses them
afterwards, and a spaCy release that imports more from there must still be imported.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap


def _run(script: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])


def test_the_checks_import_spacy_without_its_command_line():
    seen = _run(
        """
        import json, sys
        from plainbid.checks import CHECKS  # imports spaCy, as the command does
        from plainbid.nlp import parse
        [doc] = parse(["The Supplier shall utilise TUPE. Bids close at noon."])
        loaded = sorted(name for name in ("typer", "weasel", "requests", "spacy.cli")
                        if name in sys.modules)
        sentences = [sent.text for sent in doc.sents]
        import spacy.cli  # a program that uses spaCy's command line afterwards
        info = spacy.info()
        print(json.dumps({"loaded": loaded, "sentences": sentences,
                          "cli": hasattr(spacy.cli, "setup_cli"),
                          "version": info["spacy_version"]}))
        """
    )
    assert seen["loaded"] == []
    assert seen["sentences"] == ["The Supplier shall utilise TUPE.", "Bids close at noon."]
    assert seen["cli"] is True
    import spacy

    assert seen["version"] == spacy.__version__


def test_a_spacy_that_imports_more_from_its_command_line_is_imported_the_usual_way():
    """The stand-in offers nothing (as if spaCy imported a name it lacks): the import fails
    and is made again the usual way, command line and all."""
    seen = _run(
        """
        import json, sys
        import plainbid.nlp
        plainbid.nlp._STAND_IN = {}
        plainbid.nlp.import_spacy()
        imported = "spacy" in sys.modules
        import spacy
        doc = spacy.blank("en")("Two words.")
        print(json.dumps({"imported": imported, "cli": "spacy.cli" in sys.modules,
                          "tokens": len(doc), "info": spacy.info.__module__,
                          "real_info": hasattr(sys.modules["spacy.cli.info"], "info_spacy")}))
        """
    )
    assert seen == {
        "imported": True,
        "cli": True,
        "tokens": 3,
        "info": "spacy.cli.info",
        "real_info": True,
    }
