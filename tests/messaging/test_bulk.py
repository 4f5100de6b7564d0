"""execute_rows: the same rows through one unnesting statement on PostgreSQL, an executemany elsewhere."""
from datetime import date, datetime

from sqlalchemy import Integer, String, bindparam, update

from pro_app.extensions import db
from pro_app.messaging.bulk import execute_rows, unnested
from pro_app.messaging.models import OutboundMessage as Message


def test_each_row_updates_its_own_target_and_the_rowcount_counts_the_matches(enrol):
    patient = enrol(datetime(2026, 3, 20, 12), date(2026, 3, 24), date(2026, 4, 7))
    first, second = db.session.scalars(db.select(Message.id).filter_by(patient_id=patient.id)
                                       .order_by(Message.id).limit(2))
    edit = unnested("edit", message_id=Integer(), body=String())
    unnesting = update(Message).where(Message.id == edit.c.message_id).values(body=edit.c.body)
    one_per_row = update(Message).where(Message.id == bindparam("message_id")).values(body=bindparam("text"))
    rows = [{"message_id": first, "body": "one", "text": "one"}, {"message_id": second, "body": "two", "text": "two"},
            {"message_id": -1, "body": "none", "text": "none"}]
    assert execute_rows(db.session.connection(), rows, unnesting, one_per_row).rowcount == 2
    db.session.commit()
    bodies = db.session.execute(db.select(Message.id, Message.body).where(Message.id.in_([first, second])))
    assert {message_id: body for message_id, body in bodies} == {first: "one", second: "two"}
