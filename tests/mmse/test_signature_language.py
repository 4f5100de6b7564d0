"""The MMSE signature's audit entry says in which language the signer read the statement."""
import json
import re

import pytest

from pro_app.audit.models import AuditEntry
from pro_app.extensions import db
from tests.integrity.web import sign_in
from tests.mmse.helpers import fill, sign, start
from tests.staff.web import fresh, html
from tests.support.factories import PASSWORD

SHOWN = {
    ("fr", "en"): ("Language of the signature: French", "Je confirme que ce MMSE a été administré"),
    ("en", "fr"): ("Langue de la signature : Anglais", "I confirm this MMSE was administered"),
}


@pytest.mark.parametrize("signed_in, read_in", [("fr", "en"), ("en", "fr")])
def test_the_signature_entry_records_and_shows_the_signers_language(client, make, nurse, mmse, signed_in,
                                                                   read_in):
    start(client, mmse)
    fill(client, mmse)
    client.get(f"/?lang={signed_in}")
    assert sign(client, mmse, PASSWORD).status_code == 303
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "sign"))
    assert json.loads(entry.new_value) == {"status": "locked", "signature_language": signed_in}
    assert fresh(mmse).details["signature"]["language"] == signed_in
    sign_in(client, make.staff(role="data_manager", site_code=None))
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html(client.get(f"/audit/?patient=STEP-01-050&lang={read_in}"))))
    language_line, statement = SHOWN[(signed_in, read_in)]
    assert language_line in page
    assert statement in page
