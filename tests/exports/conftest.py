"""Fixtures for the export tests: the small study, and every format exported from it."""
from __future__ import annotations

import pytest

from tests.exports.study import LINK_TOKEN, PHONES, VECTOR, build_small_study  # noqa: F401


@pytest.fixture
def study(make):
    return build_small_study(make)


@pytest.fixture
def exported(app, study, runner, tmp_path):
    """Every format, all sites, written by the command line."""
    out = tmp_path / "export"
    result = runner.invoke(args=["export", "--format", "all", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out
