"""People: the list (the filters and search of `kithkin people`), one person (as `kithkin show`),
add, edit, and someone you want to meet."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from kithkin.accounts.when import parse_user_day
from kithkin.api.auth import access_of
from kithkin.api.paging import PAGED, PagingQuery, paginate
from kithkin.api.params import object_id
from kithkin.api.problems import problems
from kithkin.api.schemas import Person, PersonDetail
from kithkin.core import clock
from kithkin.core.shortcuts import get_owned_or_404
from kithkin.network.serialize import people_data, person_profile_data
from kithkin.network.services import list_people
from kithkin.people.models import Person as PersonModel
from kithkin.people.services import PersonChanges, add_person, edit_person, find_person, want_to_meet

router = Router(tags=["people"])


class PeopleFilters(Schema):
    search: str = Field("", description="Words in name, nickname, organization, title, email or interests")
    circle: list[str] = Field([], description="How you know them: friend, colleague, client... (several: any)")
    closeness: list[str] = Field([], description="inner, close, active, wider, acquaintance (several: any)")
    interest: str | None = None
    organization: str | None = None
    prospects: bool | None = Field(None, description="true: only people you want to meet; false: only people met")
    city: str | None = Field(None, description="'München' finds Munich")
    country: str | None = Field(None, description="A name or a code: DE, Germany")
    strength: str | None = Field(None, description="strong (60+), medium (30-59) or weak (under 30)")
    sort: str = Field("name", description="name, losing-touch, recent or strength (strongest first)")


@router.get(
    "",
    response={200: list[Person], **problems(400, 422)},
    exclude_unset=True,
    summary="List people",
    openapi_extra=PAGED,
)
def list_(
    request: HttpRequest, response: HttpResponse, filters: Query[PeopleFilters], paging: PagingQuery
) -> list[dict[str, object]]:
    """Your people, a page at a time, with the filters and orders of `kithkin people`: the body
    is what `kithkin people --json` prints for that page; X-Total-Count and Link tell the rest."""
    user, now = access_of(request).user, clock.now()
    found = list_people(
        user,
        now=now,
        search=filters.search,
        circle=filters.circle or None,
        closeness=filters.closeness or None,
        interest=filters.interest,
        organization=filters.organization,
        prospects=filters.prospects,
        city=filters.city,
        country=filters.country,
        strength=filters.strength,
        sort=filters.sort,
    )
    paginate(request, response, paging, found.count())
    return people_data(user, found[paging.window()], now=now)


@router.get(
    "/{int:person_id}", response={200: PersonDetail, **problems(404, 422)}, exclude_unset=True, summary="Show a person"
)
def show(request: HttpRequest, person_id: int = object_id("person")) -> dict[str, object]:
    """One person as `kithkin show --json` gives them: the profile, the tie's strength and why,
    every touch (newest first) and the open follow-ups."""
    user = access_of(request).user
    get_owned_or_404(PersonModel, user, pk=person_id)
    return person_profile_data(user, person_id)


class PersonIn(Schema):
    organization: str | None = None
    title: str | None = None
    circle: str | None = None
    closeness: str | None = None
    emails: list[str] = []
    phones: list[str] = []
    links: list[str] = []
    interests: list[str] = []
    needs: list[str] = []
    offers: list[str] = []
    met_how: str | None = None
    met_through: str | None = Field(None, description="An id, email or name of someone in your network")
    met_on: str | None = Field(None, description="YYYY-MM-DD or words ('last friday')")
    birthday: str | None = Field(None, description="YYYY-MM-DD")
    cadence: str | None = Field(None, description="Days between check-ins, 'never', or 'default'")
    location: str | None = None
    city: str | None = None
    country: str | None = None
    notes: str | None = Field(None, description="Markdown")


class NewPerson(PersonIn):
    name: str = Field(min_length=1, max_length=200)


class PersonEdit(PersonIn):
    name: str | None = None
    why: str | None = None
    remove_emails: list[str] = []
    remove_phones: list[str] = []
    remove_links: list[str] = []
    remove_interests: list[str] = []
    remove_needs: list[str] = []
    remove_offers: list[str] = []


class WantIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    why: str = Field(min_length=1)
    organization: str | None = None
    title: str | None = None


def _changes(request: HttpRequest, given: PersonIn) -> PersonChanges:
    user = access_of(request).user
    return PersonChanges(
        organization=given.organization,
        title=given.title,
        circle=given.circle,
        closeness=given.closeness,
        emails=given.emails,
        phones=given.phones,
        links=given.links,
        interests=given.interests,
        needs=given.needs,
        offers=given.offers,
        met_how=given.met_how,
        met_through=find_person(user, given.met_through, "met_through") if given.met_through else None,
        met_on=parse_user_day(user, given.met_on, field="met_on"),
        birthday=parse_user_day(user, given.birthday, field="birthday", phrases=False),
        cadence=given.cadence,
        location=given.location,
        city=given.city,
        country=given.country,
        notes=given.notes,
    )


@router.post("", response={201: PersonDetail, **problems(400, 404, 422)}, exclude_unset=True, summary="Add a person")
def add(request: HttpRequest, payload: NewPerson) -> Status:
    """Add someone to your network (`kithkin add`)."""
    user = access_of(request).user
    person = add_person(user, payload.name, _changes(request, payload))
    return Status(201, person_profile_data(user, person.pk))


@router.patch(
    "/{int:person_id}",
    response={200: PersonDetail, **problems(400, 404, 422)},
    exclude_unset=True,
    summary="Edit a person",
)
def edit(request: HttpRequest, payload: PersonEdit, person_id: int = object_id("person")) -> dict[str, object]:
    """Change someone's details (`kithkin edit`): lists add, remove_* lists take away; a field
    left out stays as it is."""
    user = access_of(request).user
    person = get_owned_or_404(PersonModel, user, pk=person_id)
    changes = _changes(request, payload)
    changes.name, changes.why = payload.name, payload.why
    changes.remove_emails, changes.remove_phones = payload.remove_emails, payload.remove_phones
    changes.remove_links, changes.remove_interests = payload.remove_links, payload.remove_interests
    changes.remove_needs, changes.remove_offers = payload.remove_needs, payload.remove_offers
    edit_person(user, person, changes)
    return person_profile_data(user, person.pk)


@router.post(
    "/want",
    response={201: PersonDetail, **problems(400, 404, 422)},
    exclude_unset=True,
    summary="Someone you want to meet",
)
def want(request: HttpRequest, payload: WantIn) -> Status:
    """Note someone you want to meet, and why (`kithkin want`)."""
    user = access_of(request).user
    person = want_to_meet(
        user, payload.name, payload.why, PersonChanges(organization=payload.organization, title=payload.title)
    )
    return Status(201, person_profile_data(user, person.pk))
