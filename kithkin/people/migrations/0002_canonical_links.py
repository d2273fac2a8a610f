"""Stored links in their canonical form (``kithkin.lib.links.canonical_link``), the form the
importer now matches on: "https://www.linkedin.com/in/alex-johnson/" and
"http://de.linkedin.com/in/Alex-Johnson?trk=..." both become
"https://www.linkedin.com/in/alex-johnson".

Two links of one person that become equal are kept once (the one already in that form, else the
oldest). Two people whose links become equal both stay: ``kithkin duplicates`` shows them as a
pair, for the user to merge or keep apart.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import migrations

from kithkin.lib.links import canonical_link, link_kind

BATCH = 2000


def _canonical(url: str) -> str:
    try:
        return canonical_link(url)
    except ValueError:  # not a web address (stored by an older version): left as it is
        return url


def canonicalise_links(apps: Any, schema_editor: Any) -> None:
    Link = apps.get_model("people", "Link")
    by_person: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for pk, person_id, url, kind in Link.objects.order_by("person_id", "pk").values_list("pk", "person_id", "url", "kind"):
        by_person[person_id].append((pk, url, kind))
    drop: list[int] = []
    change: list[Any] = []
    for links in by_person.values():
        kept: dict[str, tuple[int, str, str]] = {}
        for pk, url, kind in links:
            canonical = _canonical(url)
            earlier = kept.get(canonical)
            if earlier is None:
                kept[canonical] = (pk, url, kind)
            elif url == canonical and earlier[1] != canonical:
                drop.append(earlier[0])  # keep the row already in that form
                kept[canonical] = (pk, url, kind)
            else:
                drop.append(pk)
        for canonical, (pk, url, kind) in kept.items():
            if url != canonical:
                new_kind = link_kind(canonical) if kind in {"linkedin", "github", "x", "mastodon", "website"} else kind
                change.append(Link(pk=pk, url=canonical[:500], kind=new_kind))
    for start in range(0, len(drop), BATCH):
        Link.objects.filter(pk__in=drop[start : start + BATCH]).delete()
    Link.objects.bulk_update(change, ["url", "kind"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(canonicalise_links, migrations.RunPython.noop, elidable=True),
    ]
