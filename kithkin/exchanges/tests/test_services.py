"""Recording the ledger: gives and help received as touches, thank-yous, asks, being introduced, shares."""

from datetime import date, timedelta

import pytest

from kithkin.core.errors import BadInput, NotFound
from kithkin.events.services import EventPlan, add_event, met
from kithkin.exchanges.models import Ask, Exchange, Resource, Share
from kithkin.exchanges.services import (
    close_ask,
    find_ask,
    find_resource,
    follow_ups_after_exchange,
    follow_ups_after_touch,
    log_introduced_touch,
    record_ask,
    record_exchange,
    record_introduction,
    record_received,
    save_and_share_resource,
    save_resource,
    share_resource,
)
from kithkin.followups.models import FollowUp
from kithkin.followups.services import complete_follow_up
from kithkin.interactions.models import Touch
from kithkin.people.models import Person
from kithkin.testing import NOW, make_person, make_touch

pytestmark = pytest.mark.usefixtures("frozen")


def pending(owner, kind):
    return list(FollowUp.objects.for_owner(owner).pending().filter(kind=kind).order_by("due_at", "id"))


@pytest.fixture
def ana(alice):
    return make_person(alice, "Ana Ruiz", closeness="close")


# --- gives and help received ------------------------------------------------------------------------


def test_help_received_asks_for_a_thank_you_within_24_hours(alice, ana):
    exchange = record_exchange(alice, ana, "got", "advice on pricing", kind="advice")
    [thank] = pending(alice, FollowUp.Kind.THANK_YOU)
    assert thank.person == ana and thank.due_at == NOW + timedelta(hours=24)
    assert thank.reason == "Thank Ana for their help: advice on pricing"
    assert (exchange.direction, exchange.kind, exchange.happened_on) == ("got", "advice", NOW.date())


def test_help_given_is_a_touch_that_moves_last_touch_and_the_check_in(alice, ana):
    make_touch(alice, ana, "call", NOW - timedelta(days=40))
    [check_in] = pending(alice, FollowUp.Kind.CHECK_IN)
    exchange = record_exchange(alice, ana, "gave", "a spare ticket", kind="favor")
    assert exchange.touch is not None and exchange.touch.kind == Touch.Kind.HELP
    assert exchange.touch.notes == "Gave: a spare ticket"
    ana.refresh_from_db()
    assert ana.last_touch_at == NOW
    [moved] = pending(alice, FollowUp.Kind.CHECK_IN)
    assert moved.due_at > check_in.due_at
    # A give asks for no thank-you from the user.
    assert pending(alice, FollowUp.Kind.THANK_YOU) == []


def test_an_entry_on_an_earlier_day_is_a_touch_at_midday_that_day(alice, ana):
    exchange = record_exchange(alice, ana, "got", "a referral", kind="referral", on=date(2026, 11, 20))
    assert exchange.touch.happened_at.isoformat() == "2026-11-20T12:00:00+00:00"
    [thank] = pending(alice, FollowUp.Kind.THANK_YOU)
    assert thank.due_at == exchange.touch.happened_at + timedelta(hours=24)


def test_old_help_is_history_and_asks_for_no_thank_you(alice, ana):
    record_exchange(alice, ana, "got", "a reference letter", on=date(2025, 3, 1))
    assert pending(alice, FollowUp.Kind.THANK_YOU) == []
    assert Exchange.objects.for_owner(alice).count() == 1


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"direction": "got", "what": "  "}, "WHAT"),
        ({"direction": "got", "what": "x" * 301}, "WHAT"),
        ({"direction": "lent", "what": "a book"}, "direction"),
        ({"direction": "gave", "what": "a book", "kind": "bribe"}, "kind"),
        ({"direction": "gave", "what": "a book", "on": date(2026, 11, 23)}, "on"),
    ],
)
def test_bad_entries_are_refused_naming_the_field_and_record_nothing(alice, ana, args, field):
    direction, what = args.pop("direction"), args.pop("what")
    with pytest.raises(BadInput) as refused:
        record_exchange(alice, ana, direction, what, **args)
    assert refused.value.field == field
    assert not Exchange.objects.exists() and not Touch.objects.exists()


def test_someone_elses_person_is_not_found(alice, bob):
    bos = make_person(bob, "Bo Chen")
    with pytest.raises(NotFound):
        record_exchange(alice, bos, "gave", "advice")
    with pytest.raises(NotFound):
        record_ask(alice, bos, "advice")
    assert not Exchange.objects.exists() and not Ask.objects.exists()


# --- asks -------------------------------------------------------------------------------------------


def test_help_received_settles_the_ask_it_answers(alice, ana):
    ask = record_ask(alice, ana, "an intro to Acme", kind="intro")
    assert ask.status == Ask.Status.OPEN
    exchange = record_exchange(alice, ana, "got", "the intro to Acme", kind="intro", settles=ask)
    ask.refresh_from_db()
    assert (ask.status, ask.closed_at, exchange.settles) == (Ask.Status.SETTLED, NOW, ask)
    assert len(pending(alice, FollowUp.Kind.THANK_YOU)) == 1


def test_an_ask_is_settled_once_by_help_from_the_person_asked(alice, ana):
    bo = make_person(alice, "Bo Chen")
    ask = record_ask(alice, ana, "a referral")
    with pytest.raises(BadInput, match="someone else"):
        record_exchange(alice, bo, "got", "a referral", settles=ask)
    with pytest.raises(BadInput, match="only help received"):
        record_exchange(alice, ana, "gave", "a referral", settles=ask)
    record_exchange(alice, ana, "got", "a referral", settles=ask)
    with pytest.raises(BadInput, match="already settled"):
        record_exchange(alice, ana, "got", "another referral", settles=ask)
    assert Exchange.objects.count() == 1


def test_an_ask_closed_unanswered_still_counts_as_asked(alice, ana):
    ask = record_ask(alice, ana, "a reference")
    closed = close_ask(alice, ask)
    assert (closed.status, closed.closed_at) == (Ask.Status.CLOSED, NOW)
    assert closed.get_status_display() == "closed unanswered"
    with pytest.raises(BadInput, match="already closed unanswered"):
        close_ask(alice, ask)
    with pytest.raises(BadInput, match="already closed"):
        record_exchange(alice, ana, "got", "a reference", settles=ask)
    assert Ask.objects.get().status == Ask.Status.CLOSED


def test_an_ask_is_found_by_id_only_among_the_users_own(alice, bob, ana):
    ask = record_ask(alice, ana, "advice")
    assert find_ask(alice, f"#{ask.pk}") == ask
    with pytest.raises(NotFound):
        find_ask(bob, str(ask.pk))
    with pytest.raises(BadInput, match="not an ask id"):
        find_ask(alice, "twelve")
    with pytest.raises(NotFound):
        close_ask(bob, ask)


# --- being introduced --------------------------------------------------------------------------------


def test_an_introduction_to_a_new_name_adds_them_met_through_the_introducer(alice, ana):
    exchange, added = record_introduction(alice, ana, "Bo Chen", what="intro to Bo")
    bo = Person.objects.get(full_name="Bo Chen")
    assert added and exchange.to_person == bo and (exchange.kind, exchange.direction) == ("intro", "got")
    assert (bo.met_through, bo.met_on) == (ana, NOW.date())
    [thank] = pending(alice, FollowUp.Kind.THANK_YOU)
    assert (thank.person, thank.due_at, thank.reason) == (
        ana,
        NOW + timedelta(hours=24),
        "Thank Ana for their help: intro to Bo",
    )


def test_an_introduction_sets_met_through_only_when_it_was_empty(alice, ana):
    carla = make_person(alice, "Carla Diaz")
    bo = make_person(alice, "Bo Chen", met_through=carla)
    dee = make_person(alice, "Dee Park")
    _exchange, added = record_introduction(alice, ana, bo)
    record_introduction(alice, ana, "Dee Park")
    bo.refresh_from_db()
    dee.refresh_from_db()
    assert not added and bo.met_through == carla and dee.met_through == ana
    assert Person.objects.for_owner(alice).count() == 4


def test_nobody_introduces_the_user_to_themselves_and_a_typo_adds_nobody(alice, ana):
    with pytest.raises(BadInput, match="themselves"):
        record_introduction(alice, ana, ana)
    with pytest.raises(NotFound):
        record_introduction(alice, ana, "bo@nowhere.example")
    with pytest.raises(NotFound):
        record_introduction(alice, ana, "#999")
    assert not Exchange.objects.exists() and Person.objects.count() == 1


def test_the_first_touch_with_the_new_person_asks_to_tell_the_introducer_how_it_went(alice, ana, frozen):
    record_introduction(alice, ana, "Bo Chen")
    bo = Person.objects.get(full_name="Bo Chen")
    assert pending(alice, FollowUp.Kind.CLOSE_LOOP) == []
    frozen.shift(timedelta(days=2))
    coffee = make_touch(alice, bo, "coffee", NOW + timedelta(days=2))
    [loop] = [f for f in pending(alice, FollowUp.Kind.CLOSE_LOOP) if f.person == ana]
    assert loop.due_at == coffee.happened_at + timedelta(days=3)
    assert loop.reason == "Tell Ana how the conversation with Bo went"


def test_the_introducer_hears_how_it_went_only_once(alice, ana, frozen):
    record_introduction(alice, ana, "Bo Chen")
    bo = Person.objects.get(full_name="Bo Chen")
    make_touch(alice, bo, "coffee", NOW)
    [loop] = [f for f in pending(alice, FollowUp.Kind.CLOSE_LOOP) if f.person == ana]
    make_touch(alice, bo, "call", NOW)
    assert [f for f in pending(alice, FollowUp.Kind.CLOSE_LOOP) if f.person == ana] == [loop]
    complete_follow_up(alice, loop)
    frozen.shift(timedelta(days=7))
    make_touch(alice, bo, "meal", NOW + timedelta(days=7))
    loops = FollowUp.objects.for_owner(alice).filter(kind=FollowUp.Kind.CLOSE_LOOP, person=ana)
    assert list(loops) == [loop]


def test_help_exchanged_with_the_new_person_is_not_the_conversation(alice, ana):
    record_introduction(alice, ana, "Bo Chen")
    bo = Person.objects.get(full_name="Bo Chen")
    record_exchange(alice, bo, "gave", "a book")
    assert [f for f in pending(alice, FollowUp.Kind.CLOSE_LOOP) if f.person == ana] == []


def test_a_conversation_logged_before_the_introduction_was_recorded_counts(alice, ana):
    bo = make_person(alice, "Bo Chen")
    coffee = make_touch(alice, bo, "coffee", NOW - timedelta(hours=2))
    record_introduction(alice, ana, bo)
    [loop] = [f for f in pending(alice, FollowUp.Kind.CLOSE_LOOP) if f.person == ana]
    assert loop.due_at == coffee.happened_at + timedelta(days=3)


def test_meeting_the_new_person_at_an_event_is_the_first_touch(alice, ana, frozen):
    record_introduction(alice, ana, "Bo Chen")
    bo = Person.objects.get(full_name="Bo Chen")
    event = add_event(alice, EventPlan(name="Fintech meetup", starts_at=NOW + timedelta(days=1))).event
    frozen.shift(timedelta(days=1, hours=3))
    met(alice, event, [bo])
    [loop] = [f for f in pending(alice, FollowUp.Kind.CLOSE_LOOP) if f.person == ana]
    assert loop.due_at == event.starts_at + timedelta(days=3)


def test_a_touch_introduced_by_someone_thanks_them_once_and_closes_the_loop(alice, ana):
    bo = make_person(alice, "Bo Chen")
    carla = make_person(alice, "Carla Diaz")
    touch = log_introduced_touch(alice, ana, [bo, carla, bo], "call", NOW - timedelta(hours=1))
    assert set(touch.people.all()) == {bo, carla}
    intros = Exchange.objects.for_owner(alice).filter(kind="intro").order_by("id")
    assert [(e.person, e.to_person) for e in intros] == [(ana, bo), (ana, carla)]
    # One help touch for both introductions, plus the call itself.
    assert Touch.objects.filter(kind=Touch.Kind.HELP).count() == 1
    thanks = [f for f in pending(alice, FollowUp.Kind.THANK_YOU) if f.person == ana]
    assert [(f.reason, f.due_at) for f in thanks] == [
        ("Thank Ana for the intro to Bo Chen and Carla Diaz", NOW + timedelta(hours=24))
    ]
    loops = [f for f in pending(alice, FollowUp.Kind.CLOSE_LOOP) if f.person == ana]
    assert sorted(f.reason for f in loops) == [
        "Tell Ana how the conversation with Bo went",
        "Tell Ana how the conversation with Carla went",
    ]
    assert {f.due_at for f in loops} == {touch.happened_at + timedelta(days=3)}
    for person in (bo, carla):
        person.refresh_from_db()
        assert person.met_through == ana


def test_introduced_by_someone_who_is_in_the_touch_is_refused(alice, ana):
    with pytest.raises(BadInput, match="themselves"):
        log_introduced_touch(alice, ana, [ana], "call", NOW)
    assert not Touch.objects.exists()


# --- what a touch or an exchange set ------------------------------------------------------------


def kinds_and_people(follow_ups):
    return [(f.kind, f.person.full_name) for f in follow_ups]


def test_a_touch_set_its_own_follow_ups_and_moved_the_check_ins_of_the_people_in_it(alice, ana):
    touch = make_touch(alice, ana, "coffee", NOW - timedelta(hours=1), advice="Read the pricing book")

    after = follow_ups_after_touch(alice, touch)

    assert kinds_and_people(after.caused) == [("thank_you", "Ana Ruiz"), ("close_loop", "Ana Ruiz")]
    assert kinds_and_people(after.check_ins) == [("check_in", "Ana Ruiz")]
    assert after.soonest_first == sorted([*after.caused, *after.check_ins], key=lambda f: f.remind_at)


def test_a_touch_introduced_by_someone_set_the_introducers_thank_you_and_close_the_loop_too(alice, ana):
    bo = make_person(alice, "Bo Chen", closeness="close")
    touch = log_introduced_touch(alice, ana, [bo], "coffee", NOW - timedelta(hours=1))

    after = follow_ups_after_touch(alice, touch)

    # The touch's own first, then the introducer's by when they fall due.
    assert kinds_and_people(after.caused) == [
        ("thank_you", "Bo Chen"),
        ("thank_you", "Ana Ruiz"),
        ("close_loop", "Ana Ruiz"),
    ]
    assert kinds_and_people(after.check_ins) == [("check_in", "Bo Chen")]


def test_an_exchange_set_the_thank_you_for_help_and_the_introducers_close_the_loop(alice, ana):
    bo = make_person(alice, "Bo Chen")
    make_touch(alice, bo, "coffee", NOW - timedelta(hours=2))
    introduced, _added = record_introduction(alice, ana, bo)
    given = record_exchange(alice, ana, "gave", "a spare ticket", kind="favor")

    assert kinds_and_people(follow_ups_after_exchange(alice, introduced)) == [
        ("thank_you", "Ana Ruiz"),
        ("close_loop", "Ana Ruiz"),
    ]
    assert follow_ups_after_exchange(alice, given) == []


def test_an_exchange_deleted_takes_the_follow_ups_it_caused_along(alice, ana):
    exchange = record_exchange(alice, ana, "got", "advice on pricing", kind="advice")
    assert pending(alice, FollowUp.Kind.THANK_YOU)

    exchange.delete()

    assert pending(alice, FollowUp.Kind.THANK_YOU) == []


# --- resources and shares ------------------------------------------------------------------------------


def test_a_new_link_needs_a_topic_and_saving_it_again_adds_topics(alice):
    with pytest.raises(BadInput) as refused:
        save_resource(alice, "https://example.com/guide")
    assert refused.value.field == "topic"
    first, created = save_resource(alice, "https://example.com/guide", topics=["fintech, Pricing"])
    again, created_again = save_resource(
        alice, "https://example.com/guide", title="Pricing guide", topics=["pricing", "SaaS"]
    )
    assert created and not created_again and again.pk == first.pk
    assert (again.title, again.topics) == ("Pricing guide", ["fintech", "Pricing", "SaaS"])
    assert find_resource(alice, "https://example.com/guide") == again
    assert find_resource(alice, f"#{again.pk}") == again


@pytest.mark.parametrize("url", ["", "not a link", "ftp://example.com/x", "https://example.com/" + "x" * 500])
def test_a_bad_link_is_refused(alice, url):
    with pytest.raises(BadInput) as refused:
        save_resource(alice, url, topics=["x"])
    assert refused.value.field == "URL"
    assert not Resource.objects.exists()


def test_sending_a_link_is_a_give_of_kind_resource_and_a_touch(alice, ana):
    ana_interests = make_person(alice, "Bo Chen", interests=["fintech"])
    resource, _ = save_resource(alice, "https://example.com/guide", title="Pricing guide", topics=["fintech"])
    shares = share_resource(alice, resource, [ana, ana_interests, ana])
    assert [s.person for s in shares] == [ana, ana_interests]
    by_person = {s.person: s for s in shares}
    assert by_person[ana_interests].message == (
        "Hi Bo, I saw this and thought of your work on fintech: Pricing guide https://example.com/guide"
    )
    assert by_person[ana].message == "Hi Ana, I saw this and thought of you: Pricing guide https://example.com/guide"
    for share in shares:
        exchange = share.exchange
        assert (exchange.direction, exchange.kind, exchange.what) == ("gave", "resource", "Shared: Pricing guide")
        assert exchange.touch.kind == Touch.Kind.HELP
        share.person.refresh_from_db()
        assert share.person.last_touch_at == NOW


def test_a_link_is_sent_once_to_a_person_and_a_repeat_sends_nothing(alice, ana):
    bo = make_person(alice, "Bo Chen")
    resource, _ = save_resource(alice, "https://example.com/guide", topics=["fintech"])
    share_resource(alice, resource, [ana], message="Thought of you, {name}!")
    assert Share.objects.get().message == "Thought of you, Ana!"
    with pytest.raises(BadInput, match="already sent to Ana Ruiz on 22 Nov 2026; nothing was sent"):
        share_resource(alice, resource, [bo, ana])
    assert Share.objects.count() == 1 and Exchange.objects.count() == 1
    with pytest.raises(BadInput, match="at least one"):
        share_resource(alice, resource, [])


def test_a_link_saved_and_sent_at_once_needs_no_topic_and_is_not_kept_when_the_send_is_refused(alice, ana):
    resource, created, shares = save_and_share_resource(alice, "https://example.com/talk", [ana], title="A talk")
    assert (resource.title, resource.topics, created) == ("A talk", [], True)
    assert [s.person for s in shares] == [ana]
    with pytest.raises(BadInput, match="at most"):
        save_and_share_resource(alice, "https://example.com/other", [ana], message="x" * 5001)
    assert list(Resource.objects.values_list("url", flat=True)) == ["https://example.com/talk"]
    assert Share.objects.count() == 1


def test_another_users_link_cannot_be_sent(alice, bob, ana):
    resource, _ = save_resource(bob, "https://example.com/guide", topics=["fintech"])
    with pytest.raises(NotFound):
        share_resource(alice, resource, [ana])
    with pytest.raises(NotFound):
        find_resource(alice, str(resource.pk))


def test_help_received_with_a_recipient_is_an_introduction(alice, ana):
    exchange, added = record_received(alice, ana, "", kind="intro", to="Zoe Park")
    assert added and exchange.kind == "intro" and exchange.to_person.full_name == "Zoe Park"


def test_a_recipient_for_help_that_is_not_an_introduction_is_refused_on_to(alice, ana):
    with pytest.raises(BadInput) as refused:
        record_received(alice, ana, "advice", kind="advice", to="Zoe Park")
    assert (refused.value.field, refused.value.message) == (
        "to",
        "is for an introduction: choose the kind “introduction”",
    )
    assert not Exchange.objects.exists() and not Person.objects.filter(full_name="Zoe Park").exists()


def test_help_received_without_a_recipient_is_a_plain_exchange(alice, ana):
    exchange, added = record_received(alice, ana, "advice", kind="advice")
    assert (exchange.direction, exchange.kind, exchange.to_person, added) == ("got", "advice", None, False)
