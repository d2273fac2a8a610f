"""Property-based tests of the follow-up rules: whatever order touches arrive in, and however
often rules run, the check-in follows the latest touch and nothing is ever duplicated."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models import Count
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kithkin.followups.models import FollowUp
from kithkin.followups.services import complete_follow_up, sync_check_ins
from kithkin.interactions.models import Touch
from kithkin.testing import NOW, make_person, make_touch

KINDS = [k.value for k in Touch.Kind]
touch_plans = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=2),  # which person
        st.sampled_from(KINDS),
        st.integers(min_value=0, max_value=400 * 24),  # hours before now
        st.booleans(),  # advice?
    ),
    min_size=1,
    max_size=12,
)
hypothesis_settings = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def assert_no_duplicate_pending(owner):
    groups = (
        FollowUp.objects.for_owner(owner)
        .pending()
        .values("person", "kind", "cause_type", "cause_id", "cause_key")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert list(groups) == []


@pytest.mark.usefixtures("frozen")
@hypothesis_settings
@given(plan=touch_plans, closeness=st.sampled_from(["inner", "close", "active", "wider"]))
def test_check_in_always_follows_the_latest_touch(alice, plan, closeness):
    with transaction.atomic():
        people = [make_person(alice, f"Person {i}", closeness=closeness) for i in range(3)]
        cadence = {"inner": 7, "close": 30, "active": 90, "wider": 180}[closeness]
        for who, kind, hours_ago, advice in plan:
            make_touch(alice, people[who], kind, NOW - timedelta(hours=hours_ago), advice="tip" if advice else "")
        for index, person in enumerate(people):
            times = [NOW - timedelta(hours=h) for who, _, h, _ in plan if who == index]
            anchor = max(times) if times else person.created_at
            (check_in,) = FollowUp.objects.for_owner(alice).pending().filter(person=person, kind="check_in")
            assert check_in.due_at == anchor + timedelta(days=cadence)
        assert_no_duplicate_pending(alice)
        transaction.set_rollback(True)


@pytest.mark.usefixtures("frozen")
@hypothesis_settings
@given(plan=touch_plans, actions=st.lists(st.sampled_from(["sync", "done", "touch"]), max_size=8))
def test_no_sequence_of_rules_and_actions_duplicates_a_pending_follow_up(alice, plan, actions):
    with transaction.atomic():
        people = [make_person(alice, f"Person {i}", closeness="close") for i in range(3)]
        for who, kind, hours_ago, advice in plan:
            make_touch(alice, people[who], kind, NOW - timedelta(hours=hours_ago), advice="tip" if advice else "")
        for step, action in enumerate(actions):
            if action == "sync":
                sync_check_ins(alice)
            elif action == "done":
                first = FollowUp.objects.for_owner(alice).pending().order_by("id").first()
                if first is not None:
                    complete_follow_up(alice, first)
            else:
                make_touch(alice, people[step % 3], "coffee", NOW - timedelta(hours=step))
            assert_no_duplicate_pending(alice)
            per_person = (
                FollowUp.objects.for_owner(alice)
                .pending()
                .filter(kind="check_in")
                .values("person")
                .annotate(n=Count("id"))
            )
            assert {row["n"] for row in per_person} == {1}
        transaction.set_rollback(True)
