"""Every usage message of the command line: one line on stderr, exit 2, in ruff's words -- what
was wrong, what is allowed, and "did you mean" when a valid name is close. And the help shows
plain metavars. (In-process: the same `main` the console script runs.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ftmigrate.__main__ import main


@pytest.fixture
def cli(capsys, tmp_path: Path, monkeypatch):
    (tmp_path / "a.py").write_text("x = 1\n")
    monkeypatch.chdir(tmp_path)

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def error(line: str) -> str:
    return f"ftmigrate: error: {line}\n"


def test_bare_ftmigrate_prints_the_help_and_exits_2_without_an_error_line(cli) -> None:
    code, out, err = cli()
    assert code == 2 and out == ""
    assert err.startswith("Usage: ftmigrate [OPTIONS] COMMAND [ARGS]...") and "error" not in err
    for command in ("rewrite", "lint", "verify", "rules", "explain", "example", "skill"):
        assert re.search(rf"^  {command}\s", err, re.M), command


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["lint", "--frobnicate", "a.py"], "unexpected argument '--frobnicate' found (see `ftmigrate lint --help`)"),
        (["lint", "--formt", "json", "a.py"], "unexpected argument '--formt' found; did you mean '--format'?"),
        (["rewrite", "--unsafe-fix", "a.py"], "unexpected argument '--unsafe-fix' found; did you mean '--unsafe-fixes'?"),
        (["lint", "-x", "a.py"], "unexpected argument '-x' found (see `ftmigrate lint --help`)"),
        (["verify", "--pytst", "a.py"], "unexpected argument '--pytst' found; did you mean '--pytest'?"),
        (["lint", "--format", "xml", "a.py"], "invalid value 'xml' for '--format' [possible values: text, json, sarif, github, junit]"),
        (["lint", "--format", "jsn", "a.py"], "invalid value 'jsn' for '--format' [possible values: text, json, sarif, github, junit]; did you mean 'json'?"),
        (["rewrite", "--format", "sarif", "a.py"], "invalid value 'sarif' for '--format' [possible values: text, json]"),
        (["rules", "--format", "yaml"], "invalid value 'yaml' for '--format' [possible values: text, json]"),
        (["verify", "--format", "xml", "a.py"], "invalid value 'xml' for '--format' [possible values: text, json]"),
        (["lint", "--select", "FTM0011", "a.py"], "invalid value 'FTM0011' for '--select': not a code or prefix (expected FTMnnn, FTMn.. or ALL); did you mean 'FTM011'?"),
        (["lint", "--select", "ftm001", "a.py"], "invalid value 'ftm001' for '--select': not a code or prefix (expected FTMnnn, FTMn.. or ALL); did you mean 'FTM001'?"),
        (["rewrite", "--ignore", "FTM999", "a.py"], "invalid value 'FTM999' for '--ignore': not a known code (see `ftmigrate rules`); did you mean 'FTM099'?"),
        (["lint", "--select", "FTM8", "a.py"], "invalid value 'FTM8' for '--select': matches no code (see `ftmigrate rules`)"),
        (["lint", "--select", "XYZ", "a.py"], "invalid value 'XYZ' for '--select': not a code or prefix (expected FTMnnn, FTMn.. or ALL)"),
        (["explain", "FTM0011"], "unknown code 'FTM0011' (see `ftmigrate rules`); did you mean 'FTM011'?"),
        (["explain", "nothing"], "unknown code 'nothing' (see `ftmigrate rules`)"),
        (["lnt", "a.py"], "unrecognized subcommand 'lnt'; did you mean 'lint'?"),
        (["frobnicate"], "unrecognized subcommand 'frobnicate' (commands: example, explain, lint, rewrite, rules, skill, verify)"),
        (["lint"], "missing argument PATH... (see `ftmigrate lint --help`)"),
        (["verify"], "missing argument PATH... (see `ftmigrate verify --help`)"),
        (["explain"], "missing argument CODE (see `ftmigrate explain --help`)"),
        (["lint", "a.py", "--format"], "option '--format' requires a value (see `ftmigrate lint --help`)"),
        (["lint", "--quiet=1", "a.py"], "option '--quiet' takes no value"),
        (["lint", "-j", "abc", "a.py"], "invalid value 'abc' for '--jobs': expected a valid integer"),
        (["lint", "--jobs=-1", "a.py"], "invalid value '-1' for '--jobs': expected a value greater than or equal to 0"),
        (["verify", "--timeout", "soon", "a.py"], "invalid value 'soon' for '--timeout': expected a valid number"),
        (["verify", "--timeout", "0", "a.py"], "invalid value '0' for '--timeout': expected a number of seconds > 0"),
        (["verify", "--target", "2026-09", "a.py"], "invalid value '2026-09' for '--target' [possible values: 2026-06, 2026-08]"),
        (["lint", "--target", "2026-09", "a.py"], "invalid value '2026-09' for '--target' [possible values: 2026-06, 2026-08]"),
        (["rewrite", "--target", "2026-09", "a.py"], "invalid value '2026-09' for '--target' [possible values: 2026-06, 2026-08]"),
        (["verify", "--call", "nocolon", "a.py"], "invalid value 'nocolon' for '--call': expected module:function (e.g. train:build_config)"),
        (["verify", "--before", "HEAD", "--before-dir", "old", "a.py"], "--before and --before-dir cannot be combined (one says where the code before the migration is)"),
        (["verify", "--before-dir", "nothere", "a.py"], "--before-dir nothere: no such folder (give a copy of the code from before the migration)"),
    ],
)
def test_usage_errors_are_one_line(cli, args: list[str], message: str) -> None:
    assert cli(*args) == (2, "", error(message))


def test_a_typo_in_a_config_key_suggests_the_key(cli, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.ftmigrate]\nlegacy_modules = ['mypkg.training']\n")
    code, out, err = cli("lint", "a.py")
    assert (code, out) == (2, "")
    from ftmigrate._settings_model import SettingsModel

    keys = ", ".join(name.replace("_", "-") for name in SettingsModel.model_fields)
    assert "legacy-modules" in keys
    assert err.endswith(f"unknown key 'legacy_modules' [possible keys: {keys}]; did you mean 'legacy-modules'?\n")
    assert err.count("\n") == 1


@pytest.mark.parametrize("command", ["lint", "rewrite", "verify", "explain", "example", "rules", "skill"])
def test_help_shows_plain_metavars(cli, command: str) -> None:
    code, out, _ = cli(command, "--help")
    assert code == 0
    assert not re.search(r"[{}]|<(list\[)?(str|int|float|path)", out), out
    usage = out.splitlines()[0]
    argument = {"lint": "PATH...", "rewrite": "PATH...", "verify": "PATH...", "explain": "CODE", "example": "[FOLDER]"}.get(command)
    assert usage == f"Usage: ftmigrate {command} [OPTIONS]" + (f" {argument}" if argument else "")
    if command == "lint":
        assert re.search(r"^  PATH\.\.\.\s+Files or folders", out, re.M)
        assert "--select CODES" in out and "--ignore CODES" in out and "-j, --jobs N" in out
    if command == "verify":
        assert "EXECUTES YOUR CODE" in out  # it says so


def test_verify_outside_a_repository_says_what_to_do(cli, tmp_path: Path) -> None:
    assert cli("verify", "a.py") == (2, "", error(
        f"{'.' if Path.cwd() == tmp_path else tmp_path} is not in a git repository: pass --before-dir DIR (a copy"
        " of the code from before the migration), or commit the legacy code first"
    ))
