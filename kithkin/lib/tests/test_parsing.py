import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kithkin.lib.emails import EmailError, normalize_email
from kithkin.lib.links import canonical_link, link_key, link_kind, normalize_url
from kithkin.lib.names import parse_name
from kithkin.lib.phones import PhoneError, normalize_phone
from kithkin.lib.relative import describe_due, say_day, say_moment


def test_names_are_split_into_parts_and_keep_their_accents():
    parts = parse_name("  Dr.  José  María   Núñez Jr. ")
    assert parts.full == "Dr. José María Núñez Jr."
    assert (parts.prefix, parts.given, parts.middle, parts.family, parts.suffix) == (
        "Dr.",
        "José",
        "María",
        "Núñez",
        "Jr.",
    )


def test_a_quoted_nickname_becomes_a_nickname():
    parts = parse_name('Robert "Bob" Smith')
    assert parts.full == "Robert Smith"
    assert parts.nicknames == ["Bob"]


def test_phones_become_e164_when_they_can_be_read():
    assert normalize_phone("+34 911 23 45 67") == "+34911234567"
    assert normalize_phone("(415) 555-0100", "US") == "+14155550100"
    assert normalize_phone("030 1234567") == "0301234567"  # no region known: kept as typed


# Issue 13, item 12
@pytest.mark.parametrize("raw", ["tel:+1-418-656-9254;ext=102", "+1-418-656-9254;ext=102", "+1 418 656 9254 ext. 102"])
def test_a_tel_uri_with_an_extension_is_a_phone_number_with_its_extension(raw):
    assert normalize_phone(raw) == "+14186569254;ext=102"


@pytest.mark.parametrize("raw", ["12", "call me", "+1 2", "tel:", "tel:call-me;ext=1"])
def test_things_that_are_not_phone_numbers_are_refused(raw):
    with pytest.raises(PhoneError):
        normalize_phone(raw)


def test_links_are_normalised_and_classified():
    url = normalize_url("www.LinkedIn.com/in/ana-ruiz/")
    assert url == "https://www.linkedin.com/in/ana-ruiz"
    assert link_kind(url) == "linkedin"
    assert link_kind("https://github.com/ana") == "github"
    with pytest.raises(ValueError):
        normalize_url("javascript:alert(1)")


# Issue 13, item 13
@pytest.mark.parametrize(
    "raw",
    [
        "https://www.linkedin.com/in/alex-johnson/",
        "linkedin.com/in/alex-johnson",
        "http://de.linkedin.com/in/alex-johnson?trk=public_profile",
        "HTTPS://WWW.LINKEDIN.COM/in/Alex-Johnson/#experience",
        "https://www.linkedin.com/in/alex-johnson/details/experience/",
        "https://www.linkedin.com/in/alex%2Djohnson",
    ],
)
def test_every_form_of_one_linkedin_profile_has_one_canonical_link(raw):
    assert canonical_link(raw) == "https://www.linkedin.com/in/alex-johnson"
    assert link_key(raw) == "linkedin.com/in/alex-johnson"


def test_other_profiles_are_canonical_and_websites_keep_their_query_and_case():
    assert canonical_link("http://www.GitHub.com/AnaRuiz/?tab=repos") == "https://github.com/anaruiz"
    assert canonical_link("https://mobile.twitter.com/AnaRuiz") == "https://x.com/anaruiz"
    assert canonical_link("mastodon.social/@AnaRuiz/") == "https://mastodon.social/@anaruiz"
    assert canonical_link("http://Ana.example/Blog/?p=2#top") == "http://ana.example/Blog?p=2"
    assert link_kind("https://notlinkedin.com/in/ana") == "website"


# Issue 13, item 15
@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("søren.lefevre@example.com", "søren.lefevre@example.com"),
        ("Søren@Bücher.de", "søren@bücher.de"),
        ("søren@xn--bcher-kva.de", "søren@bücher.de"),
        ("用户@例子.广告", "用户@例子.广告"),
        (" Ana@Acme.Example ", "ana@acme.example"),
    ],
)
def test_internationalised_addresses_are_accepted_with_the_domain_in_unicode(raw, stored):
    assert normalize_email(raw) == stored


@pytest.mark.parametrize("raw", ["ana", "ana@", "a..b@acme.example", "ana@localhost", "ana@acme.invalid", "a b@x.com"])
def test_what_is_not_an_email_address_is_refused(raw):
    with pytest.raises(EmailError):
        normalize_email(raw)


_ATEXT = "abcxyzABZ0189!#$%&'*+/=?^_`{|}~-."
_HOST = "abcxyz0189-."


@settings(max_examples=300, deadline=None)
@given(
    st.text(_ATEXT, min_size=1, max_size=70),
    st.text(_HOST, min_size=1, max_size=40),
    st.sampled_from(["com", "de", "test", "x", "example"]),
)
def test_the_quick_path_for_plain_addresses_agrees_with_email_validator(local, host, tld):
    from email_validator import EmailNotValidError, validate_email

    address = f"{local}@{host}.{tld}"
    try:
        expected: str | None = validate_email(address.lower(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        expected = None
    try:
        got: str | None = normalize_email(address)
    except EmailError:
        got = None
    assert got == expected


def test_due_times_read_as_people_say_them():
    from datetime import datetime, timedelta

    now = datetime(2026, 11, 22, 10)
    assert describe_due(now - timedelta(days=2, hours=1), now) == "2 days overdue"
    assert describe_due(now + timedelta(hours=3, minutes=5), now) == "due in 3 hours"
    assert describe_due(now, now) == "due now"


def test_a_day_is_said_as_people_say_it_with_the_year_only_when_another():
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    today = date(2026, 11, 22)
    assert say_day(date(2026, 12, 11), today) == "Fri 11 Dec"
    assert say_day(date(2027, 1, 1), today) == "Fri 1 Jan 2027"
    madrid = ZoneInfo("Europe/Madrid")
    assert say_moment(datetime(2026, 12, 11, 15, 0, tzinfo=madrid), datetime(2026, 11, 22, tzinfo=madrid)) == (
        "Fri 11 Dec, 15:00"
    )
