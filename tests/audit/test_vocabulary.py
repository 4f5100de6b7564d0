"""Every action and record kind the app audits has a translated label for the audit trail viewer."""
import re
from pathlib import Path

import pro_app
from pro_app.audit.vocabulary import ACTIONS, ENTITIES

# record("action", "entity", …) and Change("action", "entity", …); the action may be a conditional
# expression of two literals ("activate" if active else "deactivate").
CALL = re.compile(r"\b(?:record|Change)\((?P<action>[^,()]*),\s*\"(?P<entity>\w+)\"")


def _audited() -> tuple[set[str], set[str]]:
    actions, entities = set(), set()
    for path in Path(pro_app.__file__).parent.rglob("*.py"):
        for call in CALL.finditer(path.read_text(encoding="utf-8")):
            actions.update(re.findall(r"\"(\w+)\"", call["action"]))
            entities.add(call["entity"])
    return actions, entities


def test_every_audited_action_and_record_kind_has_a_label():
    actions, entities = _audited()
    # The scan itself works: it finds the conditional codes and those written through Change().
    assert {"save_items", "correct_items", "activate", "deactivate", "login_refused_locked",
            "message_status", "sign", "submit"} <= actions
    assert {"administration", "patient", "outbound_message", "staff_user", "visit"} <= entities
    assert sorted(actions - ACTIONS.keys()) == []
    assert sorted(entities - ENTITIES.keys()) == []
