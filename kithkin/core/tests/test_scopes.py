"""Owner scopes: an owned model answers inside one owner's scope, and refuses outside any."""

import contextvars
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.apps import apps
from django.http import Http404
from django_scopes import ScopeError

from kithkin.core.errors import NotFound
from kithkin.core.models import Owned
from kithkin.core.scopes import NoOwnerScope, OwnerScopedManager, owner_scope, scoped_owner_id, unscoped
from kithkin.core.shortcuts import get_owned_or_404, require_owned
from kithkin.followups.models import FollowUp
from kithkin.people.models import Person
from kithkin.testing import NOW, make_person, make_touch

KITHKIN = str(Path(sys.executable).with_name("kithkin"))


def outside_every_scope(query):
    """Run ``query`` as code outside any face runs: in a context with no scope at all (every
    test otherwise runs with scopes disabled, see kithkin.testing)."""
    return contextvars.Context().run(query)


@pytest.fixture
def two_networks(alice, bob):
    ana = make_person(alice, "Ana Ruiz", organization="Acme")
    make_touch(alice, ana)
    bo = make_person(bob, "Bo Chen", organization="Acme")
    return ana, bo


@pytest.mark.django_db
def test_a_query_outside_every_scope_is_refused_with_a_message_naming_the_scope():
    with pytest.raises(NoOwnerScope, match=r"No owner scope is active: enter kithkin\.core\.scopes\.owner_scope"):
        outside_every_scope(lambda: Person.objects.count())
    assert issubclass(NoOwnerScope, ScopeError)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        lambda: Person.objects.all(),
        lambda: Person.objects.filter(full_name="Ana Ruiz"),
        lambda: Person.objects.get(pk=1),
        lambda: Person.objects.exists(),
        lambda: Person.objects.first(),
        lambda: Person.objects.values_list("pk"),
        lambda: Person.objects.for_owner(1),
        lambda: list(Person.objects.exclude(full_name="")),
        lambda: FollowUp.objects.pending(),
        lambda: FollowUp.objects.due_by(NOW),
        lambda: Person.objects.update(notes=""),
        lambda: Person.objects.in_bulk([1]),
    ],
)
def test_every_way_of_reading_or_changing_rows_is_refused_outside_a_scope(query):
    with pytest.raises(NoOwnerScope):
        outside_every_scope(query)


def test_inside_bobs_scope_alices_rows_are_invisible_through_the_manager(alice, bob, two_networks):
    ana, bo = two_networks
    with owner_scope(bob):
        assert list(Person.objects.all()) == [bo]
        assert not Person.objects.filter(pk=ana.pk).exists()
        assert Person.objects.for_owner(alice).count() == 0
        assert FollowUp.objects.pending().filter(person=ana).count() == 0
        assert scoped_owner_id() == bob.pk


def test_inside_bobs_scope_alices_rows_are_invisible_through_related_managers(alice, bob, two_networks):
    ana, _bo = two_networks
    acme = ana.organization
    with owner_scope(bob):
        assert list(ana.participations.all()) == []
        assert list(ana.touches.all()) == []
        assert list(ana.follow_ups.all()) == []
        assert list(acme.people.all()) == []
    with owner_scope(alice):
        assert ana.touches.count() == 1 and acme.people.count() == 1


def test_inside_bobs_scope_get_owned_or_404_finds_nothing_of_alices_even_asked_for_her(alice, bob, two_networks):
    ana, _bo = two_networks
    with owner_scope(bob), pytest.raises(Http404):
        get_owned_or_404(Person, alice, pk=ana.pk)
    with owner_scope(alice):
        assert get_owned_or_404(Person, alice, pk=ana.pk) == ana


def test_unscoped_sees_every_owner_and_owner_scope_inside_it_scopes_again(alice, bob, two_networks):
    with owner_scope(bob):
        with unscoped():
            assert Person.objects.count() == 2
            assert scoped_owner_id() is None
            with owner_scope(alice):
                assert [p.full_name for p in Person.objects.all()] == ["Ana Ruiz"]
        assert [p.full_name for p in Person.objects.all()] == ["Bo Chen"]


def test_a_scope_belongs_to_its_thread(bob, two_networks):
    # The web server answers requests on its own threads: each starts with no scope.
    seen = []

    def count() -> None:
        try:
            Person.objects.count()
        except NoOwnerScope as exc:
            seen.append(exc)

    with owner_scope(bob):
        thread = threading.Thread(target=count)
        thread.start()
        thread.join()
    assert len(seen) == 1


def test_an_owner_scope_needs_a_saved_user():
    # django-scopes reads None as "no filter": an anonymous user must never get that scope.
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(ValueError, match="saved user"), owner_scope(AnonymousUser()):
        pass


@pytest.mark.django_db
def test_every_owned_model_is_scoped_on_its_owner():
    owned = [m for m in apps.get_models() if issubclass(m, Owned)]
    assert len(owned) >= 30
    for model in owned:
        for manager in model._meta.managers:
            assert isinstance(manager, OwnerScopedManager), (model, manager.name)
        assert model._default_manager.name == "objects", model


def test_require_owned_refuses_someone_elses_object_with_the_callers_error(alice, bob, two_networks):
    ana, bo = two_networks
    require_owned(bob, bo, None, field="person", message="no such person")
    with pytest.raises(NotFound) as refused:
        require_owned(bob, bo, ana, field="met-through", message="no such person")
    assert (refused.value.field, refused.value.message) == ("met-through", "no such person")


@pytest.mark.slow
def test_a_script_that_queries_outside_any_scope_fails_and_says_why(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env["KITHKIN_DATA_DIR"] = str(tmp_path / "data")
    subprocess.run([KITHKIN, "people"], env=env, capture_output=True, check=True)
    script = "import django; django.setup(); from kithkin.people.models import Person; Person.objects.count()"
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=env | {"DJANGO_SETTINGS_MODULE": "kithkin.settings"},
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "NoOwnerScope: No owner scope is active" in done.stderr


def test_for_owner_inside_the_same_owners_scope_does_not_write_the_condition_twice(alice, bob):
    # Twice, SQLite's planner weighs it twice and picks worse indexes (the due counts on Today).
    with owner_scope(bob):
        assert str(Person.objects.for_owner(bob).filter(circle="friend").query).count('"owner_id" =') == 1
        assert str(Person.objects.for_owner(alice).query).count('"owner_id" =') == 2
        assert str(Person.objects.filter(organization__owner=bob).for_owner(bob).query).count('"owner_id" =') == 2
    assert str(Person.objects.for_owner(bob).query).count('"owner_id" =') == 1
