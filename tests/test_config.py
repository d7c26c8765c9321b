"""Configuration: where it is found, how sources layer, every key, and `plainbid config`.

Sources, later winning: defaults < `plainbid.toml` or `[tool.plainbid]` found from the first
checked path's folder upwards (else from the current folder) < `--config FILE` < flags.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

import plainbid
from plainbid.config import SETTING_NAMES, ConfigError, Settings, load_settings

TUPE = "Bids must follow the TUPE rules.\n"
# 2,000 words to write for £20,000 a year: the proportionality band is "review".
REVIEW = (
    "The contract is worth £20,000 a year. Answer each of the ten questions below in no more "
    "than 2,000 words.\n"
)


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _codes(result) -> list[str]:
    report = json.loads(result.stdout)
    return [f["rule"] for d in report["documents"] for f in d["findings"]]


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder with a tender in a subfolder; the tests run from somewhere else."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    root = tmp_path / "project"
    _write(root / "docs" / "itt.md", TUPE)
    return root


def test_config_is_found_from_the_checked_files_folder_upwards(invoke, project):
    source = str(project / "docs" / "itt.md")
    assert "PB101" in _codes(invoke(["check", source, "--format", "json"]))
    _write(project / "plainbid.toml", 'ignore = ["PB101"]\n')
    assert "PB101" not in _codes(invoke(["check", source, "--format", "json"]))


def test_pyproject_table_is_found_and_plainbid_toml_beside_it_wins(invoke, project):
    source = str(project / "docs" / "itt.md")
    _write(
        project / "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.plainbid]\nfail-on = "warning"\n',
    )
    assert invoke(["check", source]).exit_code == 1
    _write(project / "plainbid.toml", 'fail-on = "never"\n')
    assert invoke(["check", source]).exit_code == 0


def test_a_pyproject_without_the_table_is_passed_over(invoke, project, tmp_path):
    _write(project / "docs" / "pyproject.toml", '[project]\nname = "x"\n')
    _write(project / "plainbid.toml", 'fail-on = "warning"\n')
    assert invoke(["check", str(project / "docs" / "itt.md")]).exit_code == 1


def test_the_current_folder_is_searched_when_the_files_have_no_config(
    invoke, tmp_path, monkeypatch
):
    source = _write(tmp_path / "loose" / "itt.md", TUPE)
    here = tmp_path / "here"
    _write(here / "plainbid.toml", 'fail-on = "warning"\n')
    monkeypatch.chdir(here)
    assert invoke(["check", str(source)]).exit_code == 1


def test_config_file_layers_over_the_found_one_and_flags_over_both(invoke, project, tmp_path):
    source = str(project / "docs" / "itt.md")
    _write(project / "plainbid.toml", 'fail-on = "warning"\nallow = ["KPI"]\n')
    extra = _write(tmp_path / "ci.toml", '[tool.plainbid]\nfail-on = "info"\n')
    settings = load_settings(project / "docs", str(extra))
    assert settings.fail_on == "info"  # --config wins over the found file
    assert settings.allow == ["KPI"]  # what --config does not set is kept
    assert settings.origin("fail_on") == str(extra)
    assert settings.origin("allow") == str(project / "plainbid.toml")
    assert settings.origin("target_grade") == "default"
    flagged = invoke(["check", source, "--config", str(extra), "--fail-on", "error"])
    assert flagged.exit_code == 0  # the flag wins over both files


def test_default_fail_on_is_error(invoke, project):
    assert Settings().fail_on == "error"
    # TUPE undefined is a warning: reported, but not a failure by default.
    result = invoke(["check", str(project / "docs" / "itt.md")])
    assert result.exit_code == 0
    assert "PB101 warning" in result.stdout
    assert (
        invoke(["check", str(project / "docs" / "itt.md"), "--fail-on", "warning"]).exit_code == 1
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("fail_on = 'warning'\nno_such_setting = 1\n", "unknown setting(s) no_such_setting"),
        ("ignores = ['PB101']\n", "unknown setting(s) ignores (did you mean ignore?)"),
        ("ignore = ['PB1O1']\n", "ignore: no rule is named or starts with 'PB1O1'"),
        ("select = ['jargon-undefind']\n", "(did you mean jargon-undefined?)"),
        ("severity = { PB101 = 'fatal' }\n", 'severity must be a table of "rule" = "error"'),
        ("per-file-ignores = { '*.md' = 'PB101' }\n", "per-file-ignores must be a table"),
        ("max-band = 'fine'\n", "max-band must be one of proportionate, review, disproportionate"),
        ("target-grade = 'nine'\n", "target-grade must be a number"),
    ],
)
def test_bad_config_is_a_usage_error_naming_the_file_and_key(invoke, project, text, problem):
    config = _write(project / "plainbid.toml", text)
    result = invoke(["check", str(project / "docs" / "itt.md")])
    assert result.exit_code == 2
    assert f"{config}: " in result.stderr
    assert problem in " ".join(result.stderr.split())


def test_select_and_ignore_take_prefixes_and_names_most_specific_wins(tmp_path):
    text = "Bids must follow the TUPE rules prior to the RTO visit.\n"
    source = _write(tmp_path / "itt.md", text)

    def codes(**options) -> set[str]:
        return {f.rule.code for f in plainbid.check(source, **options).findings}

    everything = codes()
    assert {"PB101", "PB102", "PB104", "PB304"} <= everything
    assert codes(select=["PB1"]) == {"PB101", "PB102", "PB104"}
    assert codes(select=["PB1"], ignore=["bureaucratic-word"]) == {"PB101", "PB102"}
    # A full code is more specific than a prefix, whichever list it is in.
    assert codes(select=["PB101"], ignore=["PB1"]) == {"PB101"}
    assert codes(ignore=["PB1", "PB3"], select=["ALL"]) == everything - {
        "PB101",
        "PB102",
        "PB104",
        "PB304",
    }


def test_severity_overrides_change_the_finding_and_the_exit_code(invoke, project):
    source = str(project / "docs" / "itt.md")
    _write(
        project / "plainbid.toml",
        '[severity]\nPB1 = "info"\njargon-undefined = "error"\n',
    )
    result = invoke(["check", source, "--format", "json"])
    findings = json.loads(result.stdout)["documents"][0]["findings"]
    assert {f["rule"]: f["severity"] for f in findings}["PB101"] == "error"
    assert result.exit_code == 1  # an error, and the default fail-on is error
    report = plainbid.check(
        _write(project / "two.md", "Bids prior to the visit.\n"), severity={"PB1": "info"}
    )
    assert {f.rule.code: f.severity.value for f in report.findings}["PB104"] == "info"


def test_per_file_ignores_globs_are_relative_to_the_config_file(invoke, project):
    _write(project / "templates" / "lot-1" / "itt.md", TUPE)
    _write(project / "plainbid.toml", "[per-file-ignores]\n'templates/**/*.md' = ['PB101']\n")
    result = invoke(["check", str(project), "--format", "json"])
    report = json.loads(result.stdout)
    by_file = {
        Path(d["path"]).relative_to(project).as_posix(): [f["rule"] for f in d["findings"]]
        for d in report["documents"]
    }
    assert "PB101" in by_file["docs/itt.md"]
    assert "PB101" not in by_file["templates/lot-1/itt.md"]


def test_max_band_fails_only_when_the_band_is_worse(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    source = str(_write(tmp_path / "itt.md", REVIEW))
    report = json.loads(invoke(["check", source, "--format", "json"]).stdout)
    assert report["pack"]["proportionality"]["band"] == "review"
    worse = invoke(["check", source, "--max-band", "proportionate"])
    assert worse.exit_code == 1
    assert "proportionality band is review, worse than --max-band proportionate" in worse.stderr
    assert invoke(["check", source, "--max-band", "review"]).exit_code == 0
    assert invoke(["check", source, "--max-band", "disproportionate"]).exit_code == 0
    _write(tmp_path / "plainbid.toml", 'max-band = "proportionate"\n')
    assert invoke(["check", source]).exit_code == 1


def test_an_unknown_band_never_fails(invoke, tmp_path):
    source = str(_write(tmp_path / "itt.md", "Some plain words.\n"))
    report = json.loads(invoke(["check", source, "--format", "json"]).stdout)
    assert report["pack"]["proportionality"]["band"] == "unknown"
    assert invoke(["check", source, "--max-band", "proportionate"]).exit_code == 0


def test_ignore_and_select_flags(invoke, tmp_path):
    source = str(
        _write(tmp_path / "itt.md", "Bids must follow the TUPE rules prior to the visit.\n")
    )
    codes = _codes(invoke(["check", source, "--format", "json", "--ignore", "PB104,PB3"]))
    assert "PB101" in codes and "PB104" not in codes and "PB304" not in codes
    assert set(_codes(invoke(["check", source, "--format", "json", "--select", "PB104"]))) == {
        "PB104"
    }
    bad = invoke(["check", source, "--ignore", "PB77"])
    assert bad.exit_code == 2
    assert "command line: ignore: no rule is named or starts with 'PB77'" in bad.stderr


def test_config_command_shows_each_value_and_where_it_came_from(invoke, project):
    config = _write(
        project / "plainbid.toml",
        'fail-on = "warning"\nallow = ["TUPE"]\nglossaries = ["terms.tsv"]\n'
        "[per-file-ignores]\n'*.pdf' = ['PB2']\n",
    )
    result = invoke(["config", str(project / "docs" / "itt.md"), "--max-band", "review"])
    assert result.exit_code == 0, result.output
    lines = {line.split(" = ")[0]: line for line in result.stdout.splitlines()}
    assert lines["fail-on"].endswith(f"# {config}")
    assert lines["allow"].startswith('allow = ["TUPE"]')
    assert lines["max-band"].endswith("# command line")
    assert lines["target-grade"].endswith("# default")
    assert f"# config files: {config}" in result.stdout
    # The output is TOML that reads back as the settings plainbid used.
    values = tomllib.loads(result.stdout)
    assert values["fail-on"] == "warning"
    assert values["glossaries"] == [str(project / "terms.tsv")]
    assert values["per-file-ignores"] == {"*.pdf": ["PB2"]}
    assert values["max-band"] == "review"
    assert values["target-grade"] == 9.0
    assert "value" not in values  # not set: shown as a comment
    assert set(values) | {"value", "period", "years", "ocds"} == {
        name.replace("_", "-") for name in SETTING_NAMES
    }


def test_config_command_with_no_config_shows_defaults(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke(["config"])
    assert result.exit_code == 0
    assert "# config files: none found" in result.stdout
    assert all(line.endswith("# default") for line in result.stdout.splitlines()[2:])


def test_python_options_are_checked_like_config_keys(tmp_path):
    source = _write(tmp_path / "itt.md", TUPE)
    with pytest.raises(ConfigError, match="unknown setting"):
        plainbid.check(source, no_such_option=1)
    with pytest.raises(ValueError, match="fail_on must be one of"):
        plainbid.check(source, fail_on="sometimes")


def test_every_key_is_documented_with_its_default():
    docs = (Path(__file__).resolve().parents[1] / "docs" / "integrations.md").read_text(
        encoding="utf-8"
    )
    for name in SETTING_NAMES:
        assert f"| `{name.replace('_', '-')}` |" in docs, f"{name} is not in docs/integrations.md"
