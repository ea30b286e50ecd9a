"""The docs stay true: every relative link in README.md and docs/ reaches a file (and a heading, when it
names one), and the settings tables name every setting, each with its real default."""

import re

import pytest
from servers import REPO

from loopin.core.settings import SETTINGS

DOCUMENTS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


def prose(path):
    """The document without its code blocks (a `](x)` inside code is not a link)."""
    return FENCE.sub("", path.read_text(encoding="utf-8"))


def anchors(path):
    """GitHub's anchors of a Markdown file's headings: lower case, punctuation dropped, spaces as hyphens."""
    headings = re.findall(r"^#+ (.+)$", prose(path), re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-") for heading in headings}


def relative_links():
    for document in DOCUMENTS:
        for target in LINK.findall(prose(document)):
            if not re.match(r"[a-z]+:", target):
                yield document, target


@pytest.mark.parametrize("document, target", list(relative_links()),
                         ids=lambda value: value if isinstance(value, str) else value.name)
def test_every_relative_link_reaches_its_file_and_heading(document, target):
    path, _, anchor = target.partition("#")
    linked = (document.parent / path).resolve() if path else document
    assert linked.exists(), f"{document.name} links to {target}, which is not in the repository"
    if anchor:
        assert linked.suffix == ".md" and anchor in anchors(linked), f"{document.name}: no heading for {target}"


def table_rows(path, header):
    """The rows (lists of cells) of the Markdown table in `path` whose header row starts with `header`."""
    rows, inside = [], False
    for line in (line.strip() for line in prose(path).splitlines()):
        if line.startswith(header):
            inside = True
        elif inside and line.startswith("|"):
            if not line.startswith("|---"):
                rows.append([cell.strip() for cell in line.strip("|").split("|")])
        elif inside:
            break
    assert rows, f"no table starting with {header!r} in {path.name}"
    return rows


def shown(value):
    return str(value).lower() if isinstance(value, bool) else str(value)


def documented_defaults():
    """{setting: default as the docs write it, or None where they describe it in words}."""
    found = {}
    for names, default, _meaning in table_rows(REPO / "docs" / "operations.md", "| variable | default |"):
        keys = [name for name in re.findall(r"`([A-Z0-9_*]+)`", names) if not name.endswith("*")]
        values = [value.strip().strip("`") for value in default.split(",")]
        literal = len(values) == len(keys) and all(re.fullmatch(r"`?[^` ]*`?", v) or " " not in v for v in values)
        for key, value in zip(keys, values if literal else [None] * len(keys)):
            found[key] = "" if value in ("unset",) else value
    for _what, default, _per in table_rows(REPO / "docs" / "security.md", "| what | default |"):
        key, _, value = default.strip("`").partition("=")
        found[key] = value
    return found


def test_the_settings_tables_name_every_setting_with_its_default():
    documented = documented_defaults()
    assert set(documented) == set(SETTINGS), "docs/operations.md (Settings) and docs/security.md (limits)"
    wrong = {key: (value, shown(SETTINGS[key].default)) for key, value in documented.items()
             if value is not None and value != shown(SETTINGS[key].default)}
    assert wrong == {}
