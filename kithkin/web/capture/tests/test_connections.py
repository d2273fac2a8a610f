"""Settings → Connected accounts, the page as a whole."""

import re


def test_every_field_of_the_page_has_an_id_of_its_own(signed_in):
    """Three kinds of form on one page, each with a user name and a password: each label must
    name its own field, not the first form's (a screen reader, a click on a label, a test's
    get_by_label all go by it)."""
    page = signed_in.get("/connections/").content.decode()
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    labels = re.findall(r'<label[^>]*\sfor="([^"]+)"', page)
    assert len(labels) >= 9  # mail 5, calendars 5, address books 3, less none
    assert set(labels) <= set(ids)


def test_each_kind_of_account_has_its_section_and_is_reached_from_settings(signed_in):
    assert 'href="/connections/"' in signed_in.get("/accounts/settings/").content.decode()
    page = signed_in.get("/connections/").content.decode()
    for heading in ("Mail", "Calendars", "Address books"):
        assert f">{heading}</h2>" in page
