"""Tokens for the API tests, on the small export study."""
import pytest

from pro_app.api.tokens import mint_token
from pro_app.extensions import db
from tests.exports.study import build_small_study


@pytest.fixture
def study(make):
    return build_small_study(make)


@pytest.fixture
def token_for(make):
    def mint(role: str = "data_manager", site_code: str | None = None):
        user = make.staff(role=role, site_code=site_code)
        value = mint_token(user)
        db.session.commit()
        return user, value
    return mint


@pytest.fixture
def bearer(token_for):
    return {"Authorization": f"Bearer {token_for()[1]}"}
