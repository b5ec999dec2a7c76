from datetime import datetime, timezone

from orgs.describe import describe
from orgs.models import AuditLog


def _entry(action, changes, entity_type="WELL", name="JS-A-12"):
    return AuditLog("x", entity_type=entity_type, entity_id="w", entity_name=name, action=action, changes=changes,
                    user_id="u", timestamp=datetime.now(timezone.utc))


def test_a_single_field_change_reads_as_a_sentence():
    entry = _entry("UPDATE", {"status": {"old": "PLANNING", "new": "DRILLING"}})
    assert describe(entry, "Erin Editor") == "Erin Editor changed the status of well JS-A-12 from PLANNING to DRILLING"


def test_several_changes_are_listed_and_creations_named():
    entry = _entry("UPDATE", {"name": {"old": "a", "new": "b"}, "depth": {"old": 1, "new": 2}})
    assert describe(entry, "Ann") == "Ann changed the name and depth of well JS-A-12"
    assert describe(_entry("CREATE", {}, "STAGE", "Drilling"), "Ann") == "Ann created stage Drilling"
