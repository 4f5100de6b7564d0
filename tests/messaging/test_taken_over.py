"""A row taken over while its message was with the provider: the outcome never overwrites the new owner."""
from datetime import date, datetime

import pytest
from sqlalchemy import update

from pro_app.audit.models import AuditEntry
from pro_app.audit.services import verify_chain
from pro_app.extensions import db
from pro_app.messaging.models import OutboundMessage

INVITED = datetime(2026, 3, 24, 8)


class TakenOverDuringFirstSend:
    """The real backend; as the first message is sent, its row changes hands (as after a lapsed lease)."""

    def __init__(self, backend, **takeover):
        self.backend, self.takeover, self.taken = backend, takeover, None

    def send(self, sms):
        outcome = self.backend.send(sms)
        if self.taken is None:
            self.taken = sms.message_id
            db.session.execute(update(OutboundMessage).where(OutboundMessage.id == sms.message_id)
                               .values(**self.takeover))
            db.session.commit()
        return outcome


@pytest.fixture
def invitations(enrol):
    patients = [enrol(datetime(2026, 3, 20, 12), date(2026, 3, 24), date(2026, 4, 7), phone=f"+3361234567{n}")
                for n in (1, 2)]
    return [db.session.scalar(db.select(OutboundMessage.id).filter_by(patient_id=p.id, kind="invitation"))
            for p in patients]


def rows(ids):
    db.session.expire_all()
    return {row.id: row for row in db.session.scalars(db.select(OutboundMessage).where(OutboundMessage.id.in_(ids)))}


def audited_sends():
    return db.session.scalars(db.select(AuditEntry.entity_id).filter_by(action="message_status", new_value="sent")).all()


def test_a_row_claimed_by_another_dispatcher_is_left_to_it(invitations, dispatch, twilio, fake):
    backend = TakenOverDuringFirstSend(twilio, claimed_by="another-dispatcher")
    report = dispatch(INVITED, backend=backend)
    (kept,) = [message_id for message_id in invitations if message_id != backend.taken]
    found = rows(invitations)
    assert (found[backend.taken].status, found[backend.taken].claimed_by) == ("claimed", "another-dispatcher")
    assert found[backend.taken].provider_sid is None
    assert found[kept].status == "sent" and found[kept].provider_sid in {m.sid for m in fake.messages}
    assert (report["sent"], report["lost_claim"], len(fake.messages)) == (1, 1, 2)
    assert audited_sends() == [str(kept)] and verify_chain() is None


def test_a_row_already_marked_unknown_is_settled_by_its_sid(invitations, dispatch, twilio, fake):
    backend = TakenOverDuringFirstSend(twilio, status="unknown", claimed_by=None, claimed_until=None)
    report = dispatch(INVITED, backend=backend)
    found = rows(invitations)
    assert {row.status for row in found.values()} == {"sent"} and report["sent"] == 2
    assert {row.provider_sid for row in found.values()} == {m.sid for m in fake.messages}
    assert sorted(audited_sends()) == sorted(str(i) for i in invitations) and verify_chain() is None
