"""The jargon check on the real documents in ../shared/corpus.

tests/expected_terms.yaml lists, for each document, the glossary terms a person found in it by
reading it, written down before the matcher was run.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from plainbid.checks import jargon
from plainbid.config import Settings
from plainbid.model import Pack
from plainbid.readers import read_pack

EXPECTED = yaml.safe_load(
    (Path(__file__).parent / "expected_terms.yaml").read_text(encoding="utf-8")
)


@pytest.fixture(scope="module")
def corpus_terms(corpus: Path) -> dict[str, set[str]]:
    pack: Pack = read_pack([str(corpus / name) for name in EXPECTED])
    assert not pack.failures
    output = jargon.run(pack, Settings())
    return {
        Path(path).name: {term["term"] for term in data["terms"]}
        for path, data in output.document_data.items()
    }


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_terms_a_person_found_are_found(corpus_terms: dict[str, set[str]], name: str) -> None:
    missing = sorted(set(EXPECTED[name]) - corpus_terms[name])
    assert missing == [], f"{name}: not found: {missing}"


def test_expected_terms_name_real_glossary_entries() -> None:
    terms = {entry.term for entry in jargon.matcher_for(()).entries}
    for name, expected in EXPECTED.items():
        assert set(expected) <= terms, (name, sorted(set(expected) - terms))
