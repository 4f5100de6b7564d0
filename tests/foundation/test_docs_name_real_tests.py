"""Every test that README.md and docs/*.md name as proof exists: a renamed or deleted test
makes this fail instead of leaving a promise without its proof."""
from __future__ import annotations

import ast
import re
from pathlib import Path

from pro_app.config import REPO_ROOT

TEST_REFERENCE = re.compile(r"(tests/[\w/]+\.py)(?:::(test_\w+))?")
SAME_FILE_REFERENCE = re.compile(r"`::(test_\w+)")


def _documents() -> list[Path]:
    return [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").glob("*.md"))]


def _test_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}


def _references(text: str):
    """(file, test or None), reading `::test_x` as a test of the file named last before it."""
    last_file = None
    for match in re.finditer(rf"{TEST_REFERENCE.pattern}|{SAME_FILE_REFERENCE.pattern}", text):
        if match.group(1):
            last_file = match.group(1)
            yield last_file, match.group(2)
        else:
            assert last_file, f"::{match.group(3)} names no file before it"
            yield last_file, match.group(3)


def test_every_test_named_in_the_documentation_exists():
    missing = []
    for document in _documents():
        for file, name in _references(document.read_text(encoding="utf-8")):
            path = REPO_ROOT / file
            if not path.is_file() or (name and name not in _test_names(path)):
                missing.append(f"{document.name}: {file}{'::' + name if name else ''}")
    assert not missing, "\n".join(missing)


def test_the_security_page_names_a_test_for_every_attack_tried():
    text = (REPO_ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if re.match(r"\| A\d+ \|", line)]
    assert len(rows) >= 20
    assert all(TEST_REFERENCE.search(row) for row in rows), [row[:60] for row in rows if not TEST_REFERENCE.search(row)]
