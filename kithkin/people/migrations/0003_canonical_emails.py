"""Stored email addresses in the form ``kithkin.lib.emails.normalize_email`` gives, which every
lookup and match now uses: a domain stored in its IDNA form ("ana@xn--bcher-kva.de") becomes
Unicode ("ana@bücher.de"). Addresses are unique per owner: one whose new form another of the
owner's addresses already has is left as it was, for ``kithkin duplicates`` and the user."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from kithkin.lib.emails import EmailError, normalize_email

BATCH = 2000


def canonicalise_emails(apps: Any, schema_editor: Any) -> None:
    Email = apps.get_model("people", "Email")
    # Only an address with an IDNA label can change: addresses were stored in lower case, and
    # those with a non-ASCII local part were refused until now.
    candidates = Email.objects.filter(address__contains="xn--").order_by("pk")
    rows = list(candidates.values_list("pk", "owner_id", "address"))
    if not rows:
        return
    taken = set(
        Email.objects.filter(owner_id__in={owner for _, owner, _ in rows}).values_list("owner_id", "address")
    )
    change = []
    for pk, owner, address in rows:
        try:
            canonical = normalize_email(address)
        except EmailError:
            continue
        if canonical != address and (owner, canonical) not in taken:
            taken.add((owner, canonical))
            change.append(Email(pk=pk, address=canonical))
    Email.objects.bulk_update(change, ["address"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_canonical_links"),
    ]

    operations = [
        migrations.RunPython(canonicalise_emails, migrations.RunPython.noop, elidable=True),
    ]
