"""The base every user-data model inherits: rows belong to an owner, queries are scoped."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeVar

from django.conf import settings
from django.db import models
from django.db.models.expressions import Col
from django.db.models.lookups import Exact
from django.db.models.sql.query import Query
from django.db.models.sql.where import AND

from kithkin.core import stamps
from kithkin.core.scopes import OwnerScopedManager
from kithkin.lib.markdown import render_markdown

if TYPE_CHECKING:
    from django.contrib.auth.models import User

_M = TypeVar("_M", bound=models.Model)


class OwnedQuerySet(models.QuerySet[_M]):
    def bulk_create(self, objs: Iterable[_M], *args: Any, **kwargs: Any) -> list[_M]:
        """Django's, keeping a model's rendered Markdown in step first (``save()`` is not called)."""
        objs = list(objs)
        for obj in objs:
            if isinstance(obj, RendersMarkdown):
                obj.render_markdown_fields()
        created = super().bulk_create(objs, *args, **kwargs)
        if issubclass(self.model, Stamped):
            for owner_id in {getattr(obj, "owner_id", None) for obj in objs}:
                stamps.bump(owner_id)
        return created

    def update(self, **kwargs: Any) -> int:
        if issubclass(self.model, Stamped):
            stamps.bump(self._owner_filtered())
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if issubclass(self.model, Stamped):
            stamps.bump(self._owner_filtered())
        return super().delete()

    def _owner_filtered(self) -> int | None:
        """The one owner whose rows this query can touch (an ``owner = id`` condition at the top of
        its WHERE, as ``for_owner`` writes), else None: everyone's stamp moves, as whose rows
        changed is not known without reading them. Moving only the owner's keeps another
        account's cached pages on a shared server."""
        where = self.query.where
        if where.connector != AND or where.negated:
            return None
        owner = self.model._meta.get_field("owner")
        for child in where.children:
            if (
                isinstance(child, Exact)
                and isinstance(child.lhs, Col)
                and child.lhs.target is owner
                and child.lhs.alias == self.query.base_table
                and isinstance(child.rhs, int)
            ):
                return child.rhs
        return None

    def for_owner(self, owner: User | Any) -> Self:
        """Only ``owner``'s rows. Inside ``owner``'s scope the manager has said so already, and
        the condition is not written twice: SQLite weighs each condition when it picks an index,
        and ``owner_id = 1 AND owner_id = 1`` made it pick worse ones."""
        owner_id = owner.pk if isinstance(owner, models.Model) else owner
        if _filters_on_owner(self.query, self.model._meta.get_field("owner"), owner_id):
            return self.all()
        return self.filter(owner=owner)


def _filters_on_owner(query: Query, owner: object, owner_id: Any) -> bool:
    """Whether every row ``query`` answers already has to be ``owner_id``'s: an
    ``owner = owner_id`` condition at the top of its WHERE, ANDed with the rest."""
    where = query.where
    if where.connector != AND or where.negated or owner_id is None:
        return False
    return any(
        isinstance(child, Exact)
        and isinstance(child.lhs, Col)
        and child.lhs.target is owner
        and child.lhs.alias == query.base_table
        and child.rhs == owner_id
        for child in where.children
    )


_OwnedManagerBase = models.Manager.from_queryset(OwnedQuerySet)


class OwnedManager(OwnerScopedManager[_M], _OwnedManagerBase[_M]):
    """``for_owner`` and the rest of ``OwnedQuerySet``, scoped on the owner. A declared class
    (not ``as_manager()``) so that django-stubs can name it, and so give ``Person.objects`` its
    type."""


class Owned(models.Model):
    """A row of one user's data. The owner is the tenant key: every query filters on it, and
    the default manager refuses to query outside an owner scope (``kithkin.core.scopes``). A
    subclass with its own queryset builds its manager the same way (``FollowUpManager``);
    ``core/tests/test_scopes.py`` checks that every owned model's managers are scoped."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    objects: ClassVar[OwnedManager[Self]] = OwnedManager()

    class Meta:
        abstract = True


class RendersMarkdown(models.Model):
    """A model with Markdown text (notes) whose sanitised HTML is kept beside it, rendered when
    the text is saved, so that showing a page never renders Markdown. ``markdown_fields`` maps
    each Markdown field to its HTML field. ``save()``, ``bulk_create`` and ``core.db``'s
    ``insert_rows``/``update_rows`` keep the HTML in step; a restore renders it again."""

    markdown_fields: ClassVar[dict[str, str]] = {}

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        rendered = self.render_markdown_fields(None if update_fields is None else set(update_fields))
        if update_fields is not None and rendered:
            kwargs["update_fields"] = {*update_fields, *rendered}
        super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db: str | None, field_names: Collection[str], values: Collection[Any]) -> Self:
        instance = super().from_db(db, field_names, values)
        # What the stored HTML was rendered from: saving it unchanged renders nothing.
        instance.__dict__["_markdown_source"] = {
            source: instance.__dict__[source]
            for source, html in cls.markdown_fields.items()
            if source in instance.__dict__ and html in instance.__dict__
        }
        return instance

    def render_markdown_fields(self, only: Collection[str] | None = None) -> list[str]:
        """Render each Markdown field (of ``only``, if given) that changed since it was last
        rendered into its HTML field; returns the HTML fields set."""
        rendered: dict[str, str] = self.__dict__.setdefault("_markdown_source", {})
        changed = []
        for source, html in self.markdown_fields.items():
            text = getattr(self, source)
            if (only is not None and source not in only) or rendered.get(source) == text:
                continue
            setattr(self, html, render_markdown(text))
            rendered[source] = text
            changed.append(html)
        return changed


def markdown_columns(model: type[models.Model], columns: Sequence[str]) -> list[tuple[int, str]]:
    """For a loader writing ``columns`` of ``model``: (index of a Markdown column, its HTML field)
    for each Markdown column whose HTML the loader does not write itself."""
    if not issubclass(model, RendersMarkdown):
        return []
    return [
        (columns.index(source), html)
        for source, html in model.markdown_fields.items()
        if source in columns and html not in columns
    ]


class Stamped(models.Model):
    """A model an answer cached under the owner's stamp is made from (the calendar feed, the
    weekly routine's counts): saving or deleting a row moves its owner's stamp on
    (``core.stamps``), and with it whatever was cached under the stamp. Bulk writes through
    ``OwnedQuerySet`` and ``core.db`` do the same; a row deleted by a cascade is seen when the
    cached answer expires (``FEED_CACHE_SECONDS``, ``goals.week.KEPT_SECONDS``)."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        stamps.bump(getattr(self, "owner_id", None))

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        stamps.bump(getattr(self, "owner_id", None))
        return super().delete(*args, **kwargs)
