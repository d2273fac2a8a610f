"""The ledger's panels on Today ("You owe them one") and on a person's page (give and take)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User

from kithkin.exchanges.balances import ask_warning, owed_people, person_balance
from kithkin.exchanges.matching import give_ideas, offer_ideas
from kithkin.exchanges.models import Ask, Exchange, Kind, Share
from kithkin.people.models import Person
from kithkin.web.exchanges.forms import RecordForm
from kithkin.web.panels import Panel

OWED_SHOWN = 5
SHARES_SHOWN = 10
EXCHANGES_SHOWN = 5


def owe_panel(owner: User, now: datetime) -> Panel | None:
    """People who helped the user recently and have had nothing back: four queries, or one."""
    rows, count = owed_people(owner, now, limit=OWED_SHOWN)
    if not rows:
        return None
    return Panel(
        template="exchanges/_today_owe.html",
        context={"rows": rows, "count": count, "kinds": Kind.choices},
        where="main",
        order=20,
        title=f"You owe {count} {'person' if count == 1 else 'people'} one",
    )


def person_panel(owner: User, person: Person, now: datetime) -> Panel:
    """A person's give and take: the balance, what is open, what was shared, what to give next,
    and forms to record more. A fixed number of queries (at most three needs and three offers are matched)."""
    ideas = give_ideas(owner, person)
    return Panel(
        template="exchanges/_person_give_and_take.html",
        context={
            "person": person,
            "balance": person_balance(owner, person),
            "exchanges": list(
                Exchange.objects.for_owner(owner)
                .filter(person=person)
                .select_related("to_person")
                .order_by("-happened_on", "-id")[:EXCHANGES_SHOWN]
            ),
            "open_asks": list(Ask.objects.for_owner(owner).filter(person=person).open().order_by("-asked_on", "-id")),
            "shares": list(
                Share.objects.for_owner(owner)
                .filter(person=person)
                .select_related("resource")
                .order_by("-shared_at", "-id")[:SHARES_SHOWN]
            ),
            "ideas": ideas,
            "need_sentences": [(idea, idea.lead(person)) for idea in ideas.needs],
            "offer_ideas": offer_ideas(owner, person),
            "warning": ask_warning(owner, person),
            "form": RecordForm(initial={"person": person.pk}, auto_id=f"give-take-{person.pk}-%s"),
            "kinds": Kind.choices,
        },
        where="main",
        order=10,
    )
