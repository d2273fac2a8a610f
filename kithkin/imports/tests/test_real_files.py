"""Every real-world and hand-made fixture file, through the whole import: it imports people (and
importing it again changes nothing, and undoing it leaves nothing behind) or it is refused with a
reason. Never a crash, never a silent partial import."""

from __future__ import annotations

from pathlib import Path

import pytest

from kithkin.core.errors import BadFile
from kithkin.imports.plan import guess_format
from kithkin.imports.services import import_file, undo_import
from kithkin.imports.tests.test_services import network_state
from kithkin.people.models import Person

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures"
FILES = sorted(p for p in FIXTURES.glob("*/*") if p.suffix.lower() in {".csv", ".vcf", ".ics"})

# Files that are refused as a whole, and the words of the reason.
REFUSED = {
    "tbird__csv_no_header.csv": "header",
    "tbird__tab_comma_mixed.csv": "header",
}

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_each_fixture_imports_its_people_again_changes_nothing_and_undo_removes_them(alice, path):
    data = path.read_bytes()
    fmt = guess_format(data, path.name)
    if path.name in REFUSED:
        with pytest.raises(BadFile) as refused:
            import_file(alice, fmt, data, path.name)
        assert REFUSED[path.name] in refused.value.message
        assert not Person.objects.for_owner(alice).exists()
        return
    empty = network_state(alice)

    result = import_file(alice, fmt, data, path.name)

    if fmt == "ics":
        assert result.created == 0  # nobody known: meetings wait for their people
        return
    if result.created == 0:
        # Cards that hold no one to call by (only a photo, only an address): each skipped, with why.
        assert result.plan.skipped and result.import_id is None
        assert all("no name" in s.reason for s in result.plan.skipped)
        assert network_state(alice) == empty
        return
    # Everyone read is either in the network now or accounted for in the skipped list.
    assert Person.objects.for_owner(alice).count() == result.created
    names = set(Person.objects.for_owner(alice).values_list("full_name", flat=True))
    assert all(name.strip() and "\ufffd" not in name for name in names), names
    after = network_state(alice)
    again = import_file(alice, fmt, data, path.name)
    assert again.import_id is None, [r.to_json() for r in again.plan.people if r.status != "same"]
    assert network_state(alice) == after
    undo_import(alice, result.import_id)
    assert network_state(alice) == empty
