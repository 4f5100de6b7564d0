import pytest

from tests.exports.study import build_small_study


@pytest.fixture
def study(make):
    return build_small_study(make)
