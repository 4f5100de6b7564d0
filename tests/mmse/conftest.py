import pytest

from tests.staff.web import sign_in, visit_of


@pytest.fixture
def nurse(client, make):
    user = make.staff(role="nurse", site_code="01", name="Nadia Nurse")
    sign_in(client, user)
    client.get("/?lang=en")  # pages in English from now on (remembered in the session)
    return user


@pytest.fixture
def patient(make):
    return make.patient(study_code="STEP-01-050", education_level="secondary_or_higher")


@pytest.fixture
def mmse(patient):
    return visit_of(patient).administration("mmse")
