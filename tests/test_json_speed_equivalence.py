"""The fast JSON renderer (orjson, checked against the stdlib) writes exactly the stdlib's text.

`--format json` is a documented machine contract, so `render` must give, byte for byte, what
`json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\\n"` gives. orjson does so for
real reports; where it would not (tiny floats, NaN, huge ints, lone surrogates, non-string keys,
subclasses), `render` falls back to `json.dumps`, and these tests show which path was taken.
"""

from __future__ import annotations

import enum
import json
import math
import sys
from pathlib import Path

import pytest
from helpers import corpus_file
from hypothesis import given
from hypothesis import strategies as st

import plainbid
from plainbid.formatters import json_format

ROOT = Path(__file__).resolve().parents[1]


def _reference(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


@pytest.fixture
def fallbacks(monkeypatch) -> list:
    """Records each time `dumps` falls back to `json.dumps`."""
    calls: list = []
    original = json_format._reference

    def spy(data):
        calls.append(data)
        return original(data)

    monkeypatch.setattr(json_format, "_reference", spy)
    return calls


def _assert_fast_and_identical(report, fallbacks) -> None:
    text = json_format.render(report)
    assert text == _reference(report.as_dict())
    assert fallbacks == [], "a real report should not need the slow path"
    assert text.endswith("}\n")


def test_examples_pack_renders_identically(fallbacks):
    report = plainbid.check(sorted(str(p) for p in (ROOT / "examples" / "pack").iterdir()))
    assert report.documents and report.findings
    _assert_fast_and_identical(report, fallbacks)


def test_corpus_renders_identically(corpus, fallbacks):
    # Curly quotes, £, ©, –, …, ● and ✓ among them; D2 and D8 are quick to check.
    paths = [str(corpus_file(corpus, prefix)) for prefix in ("D1", "D2", "D7", "D8")]
    report = plainbid.check(paths)
    text = json_format.render(report)
    assert {"£", "’", "“", "…", "●"} <= set(text)
    _assert_fast_and_identical(report, fallbacks)


SAME = [
    "\u2028",
    "\u2029",
    "\x7f",
    '"',
    "\\",
    "é",
    "😀",
    "\t",
    "\b\f\n\r",
    "\x00\x01\x1b\x1f",
    "</script>&'",
    "\u0085\u00a0\u200b\ufeff",
    "a: b, [c] {d}",
    0.1,
    12.35,
    -0.0,
    0.0,
    100000.0,
    -181.94,
    1e-4,
    123456789.125,
    2**53 + 1,
    2**63,
    2**64 - 1,
    -(2**63),
    True,
    False,
    None,
    [],
    {},
    [[], {}],
    {"": {"": []}},
    (1, "two"),
]

FALLS_BACK = [
    1e-7,  # orjson: 1e-7, json: 1e-07
    1e-5,  # orjson: 0.00001, json: 1e-05
    -1.2345e-5,
    math.nan,  # orjson: null, json: NaN
    math.inf,
    -math.inf,
    2**64,  # orjson refuses ints beyond 64 bits
    -(2**63) - 1,
    10**30,
    "\ud800",  # a lone surrogate: orjson refuses it
    {1: "one"},  # json turns the key into "1"; orjson refuses it
    {None: 0, 2.5: 1, True: 2},
]


@pytest.mark.parametrize("value", SAME, ids=repr)
def test_tricky_values_take_the_fast_path(value, fallbacks):
    data = {"value": value, "list": [value, {"nested": value}]}
    assert json_format.dumps(data) == _reference(data)
    assert fallbacks == []


@pytest.mark.parametrize("value", FALLS_BACK, ids=repr)
def test_values_orjson_writes_differently_fall_back(value, fallbacks):
    data = {"value": value, "list": [value, {"nested": value}]}
    assert json_format.dumps(data) == _reference(data)
    assert len(fallbacks) == 1


def test_every_character_is_escaped_as_the_stdlib_does(fallbacks):
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    data = {every: [every[i : i + 1000] for i in range(0, len(every), 1000)]}
    assert json_format.dumps(data) == _reference(data)
    assert fallbacks == []


def test_large_floats_are_identical_on_either_path():
    # orjson writes 1e+16 as the stdlib does from 3.13, 1e16 before: the check catches both.
    for value in (1e15, 9999999999999998.0, 1e16, 1.5e16, 1e22, 1.7976931348623157e308, 5e-324):
        data = {"value": value}
        assert json_format.dumps(data) == _reference(data)


def test_subclasses_and_types_json_refuses_behave_as_before(fallbacks):
    class Text(str):
        pass

    class Number(int):
        pass

    class Mapping(dict):
        pass

    class Colour(enum.Enum):
        RED = "red"

    class Size(enum.IntEnum):
        LARGE = 3

    for data in (
        {"a": Text("x")},
        {Text("k"): 1},
        {"n": Number(5)},
        Mapping(a=1),
        {"s": Size.LARGE},
    ):
        assert json_format.dumps(data) == _reference(data)
    # Types json.dumps refuses (orjson would write some of them) still raise its own error.
    for refused in (Colour.RED, object(), {1, 2}, b"bytes"):
        with pytest.raises(TypeError) as fast:
            json_format.dumps({"x": refused})
        with pytest.raises(TypeError) as slow:
            _reference({"x": refused})
        assert str(fast.value) == str(slow.value)


def test_deep_and_circular_data_behave_as_before(fallbacks):
    deep: list = []
    for _ in range(300):  # deeper than orjson's limit of 254
        deep = [deep]
    assert json_format.dumps(deep) == _reference(deep)
    assert len(fallbacks) == 1
    loop: dict = {}
    loop["self"] = loop
    with pytest.raises(ValueError, match="Circular reference"):
        json_format.dumps(loop)


_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(2**64), max_value=2**64)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.floats(min_value=-1000, max_value=1000).map(lambda x: round(x, 2))
    | st.text()
)
_json = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


@given(_json)
def test_any_json_value_renders_as_json_dumps(data):
    assert json_format.dumps(data) == _reference(data)
