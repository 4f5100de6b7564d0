import pytest

from tests.staff.web import sign_in


@pytest.fixture
def nurse(client, make):
    """A research nurse of site 01, signed in on the test client."""
    user = make.staff(role="nurse", site_code="01", name="Nadia Nurse")
    sign_in(client, user)
    return user
