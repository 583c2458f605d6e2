"""`ftmigrate lint` as a user drives it: suppressions, selection, configuration, stdin,
statistics and exit codes. Real CLI runs on temp trees."""

from __future__ import annotations

import re

import pytest

from .conftest import lint, write

SUPPRESSIONS = """\
from training.recipes import rl_loop
from training.utils import InfraConfig

a = InfraConfig()  # ftmigrate: ignore
b = InfraConfig()  # ftmigrate: ignore[FTM001]
c = InfraConfig()  # ftmigrate: ignore[FTM010]
d = InfraConfig()  # noqa: FTM001
e = InfraConfig()  # noqa: E501, FTM001
f = InfraConfig()  # noqa: E501
g = InfraConfig()  # NOQA:ftm001
h = InfraConfig()  # noqa
cfg = rl_loop.Config(log_path="x", infra=InfraConfig())  # ftmigrate: ignore[FTM001, FTM010]
x = 1  # ftmigrate: ignore[FTM001]
y = 2  # noqa: FTM050
z = InfraConfig()  # Ftmigrate:Ignore
"""


def findings(run) -> list[tuple[int, str]]:
    return sorted((d["line"], d["code"]) for f in run.json()["files"] for d in f["diagnostics"])


def test_every_suppression_form(tree) -> None:
    write(tree, {"a.py": SUPPRESSIONS})
    run = lint("--format", "json", "a.py", cwd=tree)
    # Reported: a suppression for another code (6), a noqa for other tools only (9), and a bare
    # `# noqa` (11): it is meant for other linters and must not hide legacy code from the gate.
    assert findings(run) == [(6, "FTM001"), (9, "FTM001"), (11, "FTM001")]
    assert run.code == 1


def test_unused_suppressions_are_reported_only_when_selected(tree) -> None:
    write(tree, {"a.py": SUPPRESSIONS})
    unused = [(6, "FTM099"), (13, "FTM099"), (14, "FTM099")]
    assert not {c for _, c in findings(lint("--format", "json", "a.py", cwd=tree))} & {"FTM099"}
    for options in (["--select", "ALL"], ["--select", "FTM0"]):
        run = lint("--format", "json", *options, "a.py", cwd=tree)
        assert [f for f in findings(run) if f[1] == "FTM099"] == unused, options
    # With FTM099 alone, a suppression of a code that is not enabled suppresses nothing either
    # (ruff's RUF100 counts those too): every line with a suppression of ours is reported.
    run = lint("--format", "json", "--select", "FTM099", "a.py", cwd=tree)
    assert findings(run) == [(n, "FTM099") for n in (4, 5, 6, 7, 8, 10, 12, 13, 14, 15)]
    write(tree, {"pyproject.toml": "[tool.ftmigrate]\nextend-select = ['FTM099']\n"})
    assert findings(lint("--format", "json", "a.py", cwd=tree)) == sorted([(6, "FTM001"), (9, "FTM001"), (11, "FTM001"), *unused])


def test_ignore_file(tree) -> None:
    write(tree, {"a.py": "# ftmigrate: ignore-file\nfrom training.utils import InfraConfig\n\nInfraConfig()\n"})
    run = lint("a.py", cwd=tree)
    assert (run.code, run.out) == (0, "All clear: no legacy cookbook usage in 1 file(s).\n")


LEGACY = """\
from training.recipes import rl_loop
from training.utils import InfraConfig

cfg = rl_loop.Config(log_path="x", infra=InfraConfig(), policy_job_id="j")
"""
#: What LEGACY reports with every default code on.
ALL_FOUR = [(4, "FTM001"), (4, "FTM010"), (4, "FTM020")]


@pytest.mark.parametrize(
    ("options", "config", "expected"),
    [
        ([], "", ALL_FOUR),
        (["--select", "FTM001"], "", [(4, "FTM001")]),
        (["--select", "FTM0", "--ignore", "FTM001"], "", [(4, "FTM010"), (4, "FTM020")]),
        # The more specific selector wins: select FTM001 beats ignore FTM0.
        (["--select", "FTM001", "--ignore", "FTM0"], "", [(4, "FTM001")]),
        # Equal specificity: ignore wins.
        (["--select", "FTM01", "--ignore", "FTM01"], "", []),
        (["--select", "FTM001,FTM020"], "", [(4, "FTM001"), (4, "FTM020")]),
        (["--select", "FTM001", "--select", "FTM010"], "", [(4, "FTM001"), (4, "FTM010")]),
        (["--ignore", "FTM02"], "", [(4, "FTM001"), (4, "FTM010")]),
        # Config select, then the command line: --select replaces it, --ignore adds to it.
        ([], "select = ['FTM010']", [(4, "FTM010")]),
        (["--select", "FTM020"], "select = ['FTM010']", [(4, "FTM020")]),
        (["--ignore", "FTM001"], "ignore = ['FTM010']", [(4, "FTM020")]),
        ([], "per-file-ignores = {'sub/*.py' = ['FTM0']}", []),
        ([], "per-file-ignores = {'other/*.py' = ['FTM0']}", ALL_FOUR),
        ([], "per-file-ignores = {'sub/*.py' = ['FTM001', 'FTM02']}", [(4, "FTM010")]),
    ],
)
def test_selection(tree, options, config, expected) -> None:
    write(tree, {"sub/a.py": LEGACY, "pyproject.toml": f"[tool.ftmigrate]\n{config}\n"})
    run = lint("--format", "json", *options, "sub", cwd=tree)
    assert findings(run) == expected
    assert run.code == (1 if expected else 0)


def test_exit_zero_still_reports(tree) -> None:
    write(tree, {"a.py": LEGACY})
    run = lint("--exit-zero", "a.py", cwd=tree)
    assert run.code == 0
    assert "a.py:4:36: FTM010" in run.out and run.out.startswith("a.py:4:")


def test_statistics(tree) -> None:
    write(tree, {"a.py": LEGACY, "b.py": "from training.utils import InfraConfig\nInfraConfig()\nInfraConfig()\n"})
    run = lint("--statistics", "-q", "a.py", "b.py", cwd=tree)
    assert run.code == 1
    lines = run.out.splitlines()
    assert lines[-3:] == [
        "     3 FTM001 infra-config [safe]",
        "     1 FTM010 recipe-infra-keyword [safe]",
        "     1 FTM020 top-level-job-ids [safe]",
    ]
    assert len(lines) == 5 + 3  # the findings, the counts, no summary (-q)


def test_stdin_with_stdin_filename(tree) -> None:
    write(tree, {"pyproject.toml": "[tool.ftmigrate]\nper-file-ignores = {'tests/*' = ['FTM010']}\n"})
    run = lint("-", "--stdin-filename", "src/train.py", cwd=tree, stdin=LEGACY)
    assert run.code == 1
    assert re.findall(r"^src/train\.py:4:\d+: (FTM\d+)", run.out, re.M) == ["FTM010", "FTM001", "FTM020"]
    # The per-file ignores match the name given for stdin.
    run = lint("-", "--stdin-filename", "tests/test_train.py", "--format", "json", cwd=tree, stdin=LEGACY)
    assert findings(run) == [(4, "FTM001"), (4, "FTM020")]
    assert run.json()["files"][0]["path"] == "tests/test_train.py"
    # Without a name, stdin is `-`; clean input exits 0.
    run = lint("-", cwd=tree, stdin="print(1)\n")
    assert (run.code, run.out) == (0, "All clear: no legacy cookbook usage in 1 file(s).\n")


def test_stdin_cannot_be_mixed_with_paths(tree) -> None:
    write(tree, {"a.py": "x = 1\n"})
    run = lint("-", "a.py", cwd=tree, stdin="x = 1\n")
    assert (run.code, run.err) == (2, "ftmigrate: error: `-` (stdin) cannot be combined with other paths\n")


#: Every key of [tool.ftmigrate], as an unknown key's message lists them.
KEYS = "select, extend-select, ignore, exclude, per-file-ignores, legacy-modules, target, include, extend-include"


@pytest.mark.parametrize(
    ("pyproject", "message"),
    [
        ("[tool.ftmigrate]\nbogus = 1\n", f"[tool.ftmigrate] unknown key 'bogus' [possible keys: {KEYS}]"),
        ("[tool.ftmigrate]\nextend_select = ['FTM099']\n", f"[tool.ftmigrate] unknown key 'extend_select' [possible keys: {KEYS}]; did you mean 'extend-select'?"),
        ("[tool.ftmigrate]\nlegacy_modules = ['mypkg']\n", f"[tool.ftmigrate] unknown key 'legacy_modules' [possible keys: {KEYS}]; did you mean 'legacy-modules'?"),
        ("[tool.ftmigrate]\nselct = ['FTM001']\n", f"[tool.ftmigrate] unknown key 'selct' [possible keys: {KEYS}]; did you mean 'select'?"),
        ("[tool.ftmigrate]\nselect = ['FTM0x']\n", "[tool.ftmigrate] select: 'FTM0x' is not a code or prefix (expected FTMnnn, FTMn.. or ALL)"),
        ("[tool.ftmigrate]\nignore = ['FTM999']\n", "[tool.ftmigrate] ignore: 'FTM999' is not a known code (see `ftmigrate rules`); did you mean 'FTM099'?"),
        ("[tool.ftmigrate]\nselect = ['FTM0011']\n", "[tool.ftmigrate] select: 'FTM0011' is not a code or prefix (expected FTMnnn, FTMn.. or ALL); did you mean 'FTM011'?"),
        ("[tool.ftmigrate]\nper-file-ignores = {'a.py' = ['X']}\n", "[tool.ftmigrate] per-file-ignores: 'X' is not a code or prefix (expected FTMnnn, FTMn.. or ALL)"),
        ("[tool.ftmigrate]\nlegacy-modules = ['my-pkg']\n", "[tool.ftmigrate] legacy-modules: 'my-pkg' is not a dotted module name"),
        ("[tool.ftmigrate]\nlegacy-modules = ['training.vendored']\n", "[tool.ftmigrate] legacy-modules: 'training.vendored': the cookbook's own `training` package is always checked"),
        ("[tool.ftmigrate]\nlegacy-modules = 'mypkg'\n", "[tool.ftmigrate] legacy-modules: Input should be a valid list (got 'mypkg')"),
        ("[tool.ftmigrate]\ntarget = '2025-01'\n", "[tool.ftmigrate] target: invalid value '2025-01' [possible values: 2026-06, 2026-08]"),
        ("[tool.ftmigrate\nselect = []\n", "invalid TOML (Expected ']' at the end of a table declaration (at line 1, column 16))"),
        ("[tool]\nftmigrate = 3\n", "[tool.ftmigrate] must be a table"),
    ],
)
@pytest.mark.parametrize("legacy", [True, False], ids=["legacy", "clean"])
def test_a_config_error_exits_2_with_one_line_naming_it(tree, pyproject, message, legacy) -> None:
    # "clean" goes through the fast path first: the error must come out the same.
    write(tree, {"pyproject.toml": pyproject, "a.py": LEGACY if legacy else "x = 1\n"})
    run = lint("a.py", cwd=tree)
    assert (run.code, run.out) == (2, "")
    assert run.err == f"ftmigrate: error: {tree / 'pyproject.toml'}: {message}\n"


def test_the_closest_config_wins_and_an_inline_table_counts(tree) -> None:
    write(tree, {
        "pyproject.toml": "[tool.ftmigrate]\nselect = ['FTM020']\n",
        "pkg/pyproject.toml": "[tool]\nftmigrate = { select = ['FTM010'] }\n",
        "pkg/a.py": LEGACY,
        "other/pyproject.toml": "[project]\nname = 'other'\ndependencies = ['ftmigrate']\n",
        "other/a.py": LEGACY,
    })
    assert findings(lint("--format", "json", "pkg/a.py", cwd=tree)) == [(4, "FTM010")]
    # A pyproject that only mentions ftmigrate (no table) does not stop the search.
    assert findings(lint("--format", "json", "other/a.py", cwd=tree)) == [(4, "FTM020")]


@pytest.mark.parametrize("options", [["--select", "FTM1"], ["--ignore", "nope"], ["--format", "xml"], ["--jobs", "-1"], ["--bogus"]])
def test_a_bad_option_exits_2_with_one_line(tree, options) -> None:
    write(tree, {"a.py": "x = 1\n"})
    run = lint(*options, "a.py", cwd=tree)
    assert run.code == 2 and run.out == ""
    assert run.err.startswith("ftmigrate: error: ") and run.err.count("\n") == 1, run.err


VENDORED = """\
from vendored_cookbook.recipes import rl_loop
from vendored_cookbook.utils import InfraConfig

cfg = rl_loop.Config(log_path="x", infra=InfraConfig())
"""


def test_a_vendored_copy_is_reported_only_when_listed(tree) -> None:
    write(tree, {"app/m.py": VENDORED})
    run = lint("--format", "json", "app", cwd=tree)
    assert (run.code, findings(run)) == (0, [])
    write(tree, {"pyproject.toml": "[tool.ftmigrate]\nlegacy-modules = ['vendored_cookbook']\n"})
    run = lint("--format", "json", "app", cwd=tree)
    assert run.code == 1
    assert findings(run) == [(4, "FTM063"), (4, "FTM063")]
    messages = sorted(d["message"] for d in run.json()["files"][0]["diagnostics"])
    assert messages == [
        "vendored_cookbook.recipes.rl_loop.Config is a vendored copy of the legacy cookbook API",
        "vendored_cookbook.utils.InfraConfig is a vendored copy of the legacy cookbook API",
    ]
    # A dotted root narrows it: `vendored_cookbook.recipes` alone leaves InfraConfig alone.
    write(tree, {"pyproject.toml": "[tool.ftmigrate]\nlegacy-modules = ['vendored_cookbook.recipes']\n"})
    run = lint("--format", "json", "app", cwd=tree)
    assert [d["message"].split(" ")[0] for d in run.json()["files"][0]["diagnostics"]] == ["vendored_cookbook.recipes.rl_loop.Config"]


def test_exit_codes(tree) -> None:
    write(tree, {
        "clean.py": "x = 1\n",
        "legacy.py": LEGACY,
        "broken.py": "from training.utils import InfraConfig\ndef (:\n",
    })
    assert lint("clean.py", cwd=tree).code == 0
    assert lint("legacy.py", cwd=tree).code == 1
    run = lint("broken.py", cwd=tree)
    assert run.code == 1  # a file that cannot be parsed is a finding, not a tool failure
    assert run.out.startswith("broken.py: FTM901 error: syntax error at line 2:")
    run = lint("missing.py", cwd=tree)
    assert (run.code, run.err) == (2, "ftmigrate: error: missing.py: no such file or directory\n")
    run = lint(cwd=tree)
    assert (run.code, run.err) == (2, "ftmigrate: error: missing argument PATH... (see `ftmigrate lint --help`)\n")


def test_an_undecodable_file_is_a_finding(tree) -> None:
    (tree / "a.py").write_bytes(b'from training.utils import InfraConfig\nx = "\xff\xfe"\n')
    run = lint("--format", "json", "a.py", cwd=tree)
    assert run.code == 1
    assert run.json()["files"][0]["error"] == (
        "cannot decode byte 0xff at line 2:6 as utf-8 (invalid start byte);"
        " a binary file, or a missing or wrong coding cookie?"
    )
