"""Query plans: the pending follow-ups read the partial indexes made for them."""

import pytest
from django.db import connection

from kithkin.followups.models import FollowUp
from kithkin.people.models import Person, birthday_key
from kithkin.testing import make_person


def test_pending_is_written_with_literals_so_sqlite_can_use_the_partial_indexes(alice):
    sql = str(FollowUp.objects.for_owner(alice).pending().query)
    assert "IN ('open', 'snoozed')" in sql


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner only")
def test_the_due_list_reads_the_partial_index_not_every_follow_up(alice):
    from kithkin.testing import NOW

    plan = FollowUp.objects.for_owner(alice).pending().filter(kind="check_in", remind_at__lte=NOW).explain()
    assert "followup_pending_kind_remind" in plan


@pytest.mark.parametrize("values", [[], ["open'; DROP TABLE x; --"], ["Open"], [1]])
def test_literal_in_refuses_anything_but_short_lower_case_constants(db, values):
    with pytest.raises(ValueError, match="literal_in"):
        str(FollowUp.objects.filter(status__literal_in=values).query)


def test_a_birthday_key_is_kept_on_every_save(alice):
    from datetime import date

    ana = make_person(alice, "Ana Ruiz", birthday=date(1990, 2, 28))
    assert Person.objects.get(pk=ana.pk).birthday_key == "02-28"
    ana.birthday = date(1990, 12, 1)
    ana.save(update_fields=["birthday"])
    assert Person.objects.get(pk=ana.pk).birthday_key == "12-01"
    assert birthday_key(None) == ""


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner only")
def test_logging_a_touch_reads_one_persons_check_in_by_the_unique_index_not_every_check_in(alice):
    from kithkin.followups import services

    captured = []

    def capture(execute, sql, params, many, context):
        if "cause_key" in sql and "FROM followups_followup" in sql:
            captured.append((sql, params))
        return execute(sql, params, many, context)

    ana = make_person(alice, "Ana Ruiz")
    with connection.execute_wrapper(capture):
        services.sync_check_ins(alice, [ana.pk])
    (sql, params), *_ = captured
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(row[-1] for row in cursor.fetchall())

    assert "followup_one_pending_per_cause (owner_id=? AND person_id=?" in plan


def test_insert_objects_gives_the_new_ids_in_order_with_what_bulk_create_would_write(alice, bob):
    from django.db import transaction

    from kithkin.core.db import insert_objects
    from kithkin.people.models import Interest
    from kithkin.testing import NOW

    make_person(bob, "Someone Else")  # another owner's rows are never read back as new
    with transaction.atomic():
        ids = insert_objects(
            [
                Person(owner=alice, full_name=name, notes="**met** at a fair", created_at=NOW, updated_at=NOW)
                for name in ("Bo", "Ana")
            ]
        )
        [interest] = insert_objects([Interest(owner=alice, person_id=ids[0], text="Chess", key="chess")])

    assert ids == sorted(ids)
    assert dict(Person.objects.for_owner(alice).filter(pk__in=ids).values_list("pk", "full_name")) == {
        ids[0]: "Bo",
        ids[1]: "Ana",
    }
    assert "<strong>met</strong>" in Person.objects.for_owner(alice).get(pk=ids[1]).notes_html
    assert Interest.objects.for_owner(alice).get(pk=interest).created_at is not None  # auto_now_add stamped
    assert insert_objects([]) == []


def test_rows_inserted_in_bulk_give_back_their_ids_in_their_order_across_statements(alice):
    from datetime import timedelta

    from kithkin.core.db import insert_rows_returning_ids
    from kithkin.interactions.models import Touch
    from kithkin.testing import NOW

    # More rows than one statement takes parameters for (999 on SQLite: 111 rows of 9, the HTML of the notes added).
    rows = [(alice, "call", NOW - timedelta(hours=i), f"**note {i}**", "", "me", "", NOW) for i in range(300)]
    columns = ("owner", "kind", "happened_at", "notes", "advice", "initiated_by", "source_key", "created_at")
    ids = insert_rows_returning_ids(Touch, columns, rows)
    assert len(set(ids)) == 300
    written = {t.pk: t for t in Touch.objects.for_owner(alice)}
    assert [(written[pk].notes, written[pk].happened_at) for pk in ids] == [(r[3], r[2]) for r in rows]
    assert written[ids[7]].notes_html.strip() == "<p><strong>note 7</strong></p>"


def test_a_strength_written_again_keeps_its_row_and_adds_the_others(alice):
    from kithkin.core.db import insert_rows
    from kithkin.network.models import Strength
    from kithkin.testing import NOW

    ana, bo = make_person(alice, "Ana"), make_person(alice, "Bo")
    columns = ("owner", "person", "tau", "peak", "events", "computed_at")
    insert_rows(Strength, columns, [(alice.pk, ana.pk, 90.0, 0.0, 1, NOW)], unique=("owner", "person"))
    first = Strength.objects.get(person=ana).pk

    rows = [(alice.pk, ana.pk, 120.0, 0.0, 2, NOW), (alice.pk, bo.pk, 60.0, 0.0, 1, NOW)]
    assert insert_rows(Strength, columns, rows, unique=("owner", "person")) == 2
    written = {(s.person_id, s.tau, s.events) for s in Strength.objects.for_owner(alice)}
    assert written == {(ana.pk, 120.0, 2), (bo.pk, 60.0, 1)}
    assert Strength.objects.get(person=ana).pk == first
    assert insert_rows(Strength, columns, [], unique=("owner", "person")) == 0


def test_rows_inserted_with_a_unique_field_update_the_rows_already_there(alice):
    from kithkin.core.db import insert_rows
    from kithkin.finder.models import FIELDS, Document

    ana, bo = make_person(alice, "Ana"), make_person(alice, "Bo")
    Document.objects.for_owner(alice).filter(person=bo).delete()
    rows = [(alice, ana, "ana", "pilot", "", "", "", "", ""), (alice, bo, "bo", "chef", "", "", "", "", "")]

    assert insert_rows(Document, ("owner", "person", *FIELDS), rows, unique="person") == 2

    written = Document.objects.for_owner(alice).order_by("name").values_list("person_id", "name", "work")
    assert list(written) == [(ana.pk, "ana", "pilot"), (bo.pk, "bo", "chef")]


def test_rows_prepared_in_bulk_must_have_a_value_for_each_column(alice):
    from kithkin.core.db import insert_rows
    from kithkin.people.models import Interest

    with pytest.raises(ValueError, match="a row of 2 values for 3 columns"):
        insert_rows(Interest, ("owner", "person", "text"), [(alice, make_person(alice, "Ana"))])
