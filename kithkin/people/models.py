from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from django.db import models
from django.db.models.functions import Lower

from kithkin.core.choices import Circle, Closeness
from kithkin.core.models import Owned, OwnedQuerySet, RendersMarkdown, Stamped
from kithkin.core.scopes import OwnerScopedManager
from kithkin.lib.places import city_name, format_place


def birthday_key(day: date | None) -> str:
    """ "MM-DD" for a birthday, the same every year; "" for none."""
    return f"{day.month:02d}-{day.day:02d}" if day else ""


class Organization(Owned):
    """An employer, client, association or school; people belong to them over time."""

    name = models.CharField(max_length=200)
    website = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(Lower("name"), "owner", name="organization_unique_name_per_owner")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PersonQuerySet(OwnedQuerySet["Person"]):
    def in_network(self) -> PersonQuerySet:
        """The people in the network: everyone but those the user only wants to meet."""
        return self.filter(is_prospect=False)

    def prospects(self) -> PersonQuerySet:
        """The people the user wants to meet, not yet in the network."""
        return self.filter(is_prospect=True)

    def in_city(self, city: str) -> PersonQuerySet:
        """The people in a city, named any way the gazetteer knows ("München" finds Munich)."""
        return self.filter(city=city_name(city))

    def in_country(self, code: str) -> PersonQuerySet:
        """The people in a country, by its ISO 3166-1 alpha-2 code."""
        return self.filter(country=code.upper())


_PersonManagerBase = models.Manager.from_queryset(PersonQuerySet)


class PersonManager(OwnerScopedManager["Person"], _PersonManagerBase):
    pass


class Person(RendersMarkdown, Stamped, Owned):
    """Someone in the network, or someone the user wants to meet (a prospect, with a why)."""

    markdown_fields: ClassVar[dict[str, str]] = {"notes": "notes_html"}

    class ProspectStatus(models.TextChoices):
        FIND_A_WAY_IN = "find_a_way_in", "to find a way in"
        ASKED_FOR_INTRO = "asked_for_intro", "asked for an intro"
        MET = "met", "met"

    full_name = models.CharField(max_length=200)
    name_prefix = models.CharField(max_length=50, blank=True)
    given_name = models.CharField(max_length=100, blank=True)
    middle_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    name_suffix = models.CharField(max_length=50, blank=True)
    nicknames = models.JSONField(default=list, blank=True)

    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    title = models.CharField(max_length=200, blank=True)
    # Where they live or work, as typed ("San Francisco Bay Area"); city and country are what it
    # says, kept by the services (kithkin.lib.places) unless set by hand, for "people in Berlin".
    location = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True, help_text="The gazetteer's name when it knows the city.")
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2 code.")

    circle = models.CharField(max_length=20, choices=Circle.choices, blank=True)
    closeness = models.CharField(max_length=20, choices=Closeness.choices, default=Closeness.ACTIVE)
    cadence_days = models.PositiveIntegerField(null=True, blank=True, help_text="Overrides the closeness cadence.")
    is_cadence_never = models.BooleanField(default=False, help_text="Never remind me to check in.")

    met_how = models.TextField(blank=True)
    met_through = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="introduced")
    met_on = models.DateField(null=True, blank=True)

    is_prospect = models.BooleanField(default=False)
    why = models.TextField(blank=True)
    prospect_status = models.CharField(max_length=20, choices=ProspectStatus.choices, blank=True)

    notes = models.TextField(blank=True)
    # The notes as sanitised HTML, rendered when they are saved (core.models.RendersMarkdown).
    notes_html = models.TextField(blank=True, editable=False)
    birthday = models.DateField(null=True, blank=True)
    # "MM-DD" of the birthday, kept by save(): upcoming birthdays are an index lookup, not a
    # scan of everyone's dates.
    birthday_key = models.CharField(max_length=5, blank=True, editable=False)

    # What search reads: name, nicknames, title, organization, emails and interests, lower
    # case, with an accent-free copy ("josé … jose"). Kept by people.services.refresh_search.
    search_text = models.TextField(blank=True, editable=False)
    # The latest touch with this person, kept by the interactions services for fast sorting.
    last_touch_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    objects: ClassVar[PersonManager] = PersonManager()  # type: ignore[assignment]  # narrows Owned.objects

    class Meta:
        ordering = ["full_name", "id"]
        indexes = [
            # Sorting by name walks it, and search reads each word's match from it without
            # touching the table: at 30,000 people a word costs a few milliseconds, not twenty.
            models.Index(fields=["owner", "full_name", "search_text"], name="person_owner_name_search"),
            models.Index(fields=["owner", "last_touch_at"], name="person_owner_last_touch"),
            # "Losing touch first": the people met, then those you want to meet, each longest ago first.
            models.Index(fields=["owner", "is_prospect", "last_touch_at"], name="person_owner_losing_touch"),
            models.Index(fields=["owner", "closeness"], name="person_owner_closeness"),
            models.Index(fields=["owner", "circle"], name="person_owner_circle"),
            models.Index(fields=["owner", "city"], name="person_owner_city"),
            models.Index(fields=["owner", "country"], name="person_owner_country"),
            models.Index(fields=["owner", "is_prospect"], name="person_owner_prospect"),
            models.Index(fields=["owner", "birthday_key"], name="person_owner_birthday"),
            # New people of a week: met in it, or added in it without a met-on day (the weekly
            # review and the streak), a range of this index either way.
            models.Index(fields=["owner", "met_on", "created_at"], name="person_owner_met_created"),
            # Whom someone introduced you to (their ties, network/ties.py): few people have it, so
            # only they are indexed; the planner took a whole-owner index for it otherwise.
            models.Index(
                fields=["owner", "met_through"],
                condition=models.Q(met_through__isnull=False),
                name="person_owner_met_through",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(is_cadence_never=True, cadence_days__isnull=False),
                name="person_cadence_override_or_never",
            ),
            models.CheckConstraint(condition=~models.Q(full_name=""), name="person_has_a_name"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.birthday_key = birthday_key(self.birthday)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "birthday" in update_fields:
            kwargs["update_fields"] = {*update_fields, "birthday_key"}
        super().save(*args, **kwargs)

    @property
    def place_label(self) -> str:
        """ "Berlin, Germany", from the city and country; "" when neither is known."""
        return format_place(self.city, self.country)

    @property
    def short_name(self) -> str:
        """What the user would call them: a nickname, else the given name, else the full name."""
        if self.nicknames:
            return str(self.nicknames[0])
        return self.given_name or self.full_name


class PersonItem(Stamped, Owned):
    """A short text attached to a person, kept in its own row so it can be indexed and filtered.
    Stamped: who could meet a need is kept under the stamp (``exchanges.matching``)."""

    text = models.CharField(max_length=300)
    key = models.CharField(max_length=300, help_text="The text in lower case, for matching.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


class Interest(PersonItem):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="interests")

    class Meta(PersonItem.Meta):
        constraints = [models.UniqueConstraint(fields=["owner", "person", "key"], name="interest_unique_per_person")]
        indexes = [models.Index(fields=["owner", "key"], name="interest_owner_key")]


class Need(PersonItem):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="needs")

    class Meta(PersonItem.Meta):
        constraints = [models.UniqueConstraint(fields=["owner", "person", "key"], name="need_unique_per_person")]
        indexes = [models.Index(fields=["owner", "key"], name="need_owner_key")]


class Offer(PersonItem):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="offers")

    class Meta(PersonItem.Meta):
        constraints = [models.UniqueConstraint(fields=["owner", "person", "key"], name="offer_unique_per_person")]
        indexes = [models.Index(fields=["owner", "key"], name="offer_owner_key")]


class Email(Owned):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="emails")
    address = models.CharField(max_length=254, help_text="Stored in lower case.")
    label = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["owner", "address"], name="email_unique_per_owner")]

    def __str__(self) -> str:
        return self.address


class Phone(Owned):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(max_length=40, help_text="E.164 when it could be parsed.")
    label = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["owner", "number"], name="phone_owner_number")]
        constraints = [models.UniqueConstraint(fields=["owner", "person", "number"], name="phone_unique_per_person")]

    def __str__(self) -> str:
        return self.number


class Link(Owned):
    class Kind(models.TextChoices):
        LINKEDIN = "linkedin", "LinkedIn"
        WEBSITE = "website", "website"
        GITHUB = "github", "GitHub"
        MASTODON = "mastodon", "Mastodon"
        X = "x", "X"
        OTHER = "other", "other"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    url = models.CharField(max_length=500)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["owner", "url"], name="link_owner_url")]
        constraints = [models.UniqueConstraint(fields=["owner", "person", "url"], name="link_unique_per_person")]

    def __str__(self) -> str:
        return self.url


class PositionQuerySet(OwnedQuerySet["Position"]):
    def current(self) -> PositionQuerySet:
        """The roles still held: no end date."""
        return self.filter(ended_on__isnull=True)


_PositionManagerBase = models.Manager.from_queryset(PositionQuerySet)


class PositionManager(OwnerScopedManager["Position"], _PositionManagerBase):
    pass


class Position(Owned):
    """A role a person holds or held. The current one is mirrored on Person for fast lists."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="positions")
    organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(max_length=200, blank=True)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    objects: ClassVar[PositionManager] = PositionManager()  # type: ignore[assignment]  # narrows Owned.objects

    class Meta:
        ordering = [models.F("ended_on").desc(nulls_first=True), "-id"]
        indexes = [models.Index(fields=["owner", "organization"], name="position_owner_org")]

    def __str__(self) -> str:
        return f"{self.title} at {self.organization}" if self.organization_id else self.title

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class HistoryEntry(Stamped, Owned):
    """Something that happened to a person's record rather than with the person: imported from a
    file, updated by an import, merged with a duplicate. Shown in their timeline beside touches.
    Stamped: whether a person was imported decides whether they are new in the weekly routine."""

    class Kind(models.TextChoices):
        IMPORTED = "imported", "imported"
        IMPORT_UPDATED = "import_updated", "updated by an import"
        MERGED = "merged", "merged"
        MILESTONE = "milestone", "milestone"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="history")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.CharField(max_length=500)
    happened_at = models.DateTimeField()
    # What a later step may need: the import's id, the merged person's id and name.
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-happened_at", "-id"]
        indexes = [models.Index(fields=["person", "-happened_at"], name="history_person_happened")]

    def __str__(self) -> str:
        return self.text


class DistinctPair(Owned):
    """Two people the user said are not the same person: the duplicates list stops offering them.
    Stored with the smaller id first."""

    first = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "first", "second"], name="distinctpair_unique"),
            models.CheckConstraint(condition=models.Q(first__lt=models.F("second")), name="distinctpair_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} is not {self.second_id}"


class Milestone(Owned):
    """A success or life event of a person: a new job, a promotion, an award... worth a
    congratulation. A new job may carry the new organization and title, applied when the user
    confirms."""

    class Kind(models.TextChoices):
        NEW_JOB = "new_job", "new job"
        PROMOTION = "promotion", "promotion"
        AWARD = "award", "award"
        LAUNCH = "launch", "launch"
        GRADUATION = "graduation", "graduation"
        ANNIVERSARY = "anniversary", "anniversary"
        OTHER = "other", "other"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    text = models.CharField(max_length=300)
    happened_on = models.DateField()
    new_organization = models.CharField(max_length=200, blank=True)
    new_title = models.CharField(max_length=200, blank=True)
    is_position_applied = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-happened_on", "-id"]
        indexes = [models.Index(fields=["owner", "-happened_on"], name="milestone_owner_happened")]

    def __str__(self) -> str:
        return self.text
