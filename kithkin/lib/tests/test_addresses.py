import pytest
from hypothesis import given
from hypothesis import strategies as st

from kithkin.lib.addresses import Entry, email_domain, flip_name, is_free_mail, name_from_email, parse_pasted


def people(text):
    return [(e.line, e.name, e.email) for e in parse_pasted(text).entries]


def reasons(text):
    return [u.reason for u in parse_pasted(text).unreadable]


def test_a_name_and_address_becomes_one_person():
    assert people("Ana Ruiz <ana@acme.example>") == [(1, "Ana Ruiz", "ana@acme.example")]


def test_an_email_header_list_with_a_quoted_last_first_name_is_read_as_two_people():
    text = 'Ana Ruiz <ana@acme.example>, "Chen, Bo" <bo@globex.example>'
    assert people(text) == [(1, "Ana Ruiz", "ana@acme.example"), (1, "Bo Chen", "bo@globex.example")]


def test_outlooks_unquoted_last_first_names_separated_by_semicolons_are_read_whole():
    text = "Ruiz García, Ana María <ana@acme.example>; Chen, Bo <bo@globex.example>"
    assert people(text) == [(1, "Ana María Ruiz García", "ana@acme.example"), (1, "Bo Chen", "bo@globex.example")]


def test_unquoted_last_first_names_in_a_comma_separated_list_are_read_whole():
    text = "Ruiz, Ana <ana@acme.example>, Chen, Bo <bo@globex.example>"
    assert people(text) == [(1, "Ana Ruiz", "ana@acme.example"), (1, "Bo Chen", "bo@globex.example")]


def test_one_person_per_line_keeps_each_line_number_and_skips_blank_lines():
    text = "Ana Ruiz <ana@acme.example>\n\n   \nBo Chen <bo@globex.example>\r\nDana Okafor\n"
    assert people(text) == [
        (1, "Ana Ruiz", "ana@acme.example"),
        (4, "Bo Chen", "bo@globex.example"),
        (5, "Dana Okafor", ""),
    ]


def test_a_bare_name_is_a_person_without_an_email():
    assert parse_pasted("  Ana   Ruiz ").entries == [Entry(line=1, name="Ana Ruiz")]


def test_a_bare_last_first_name_is_flipped():
    assert people("Ruiz, Ana") == [(1, "Ana Ruiz", "")]


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Chen, Bo", "Bo Chen"),
        ("van der Berg, Jan", "Jan van der Berg"),
        ("Smith, John, Jr.", "John Smith, Jr."),
        ("Ana Ruiz, PhD", "Ana Ruiz, PhD"),
        ("Núñez, José", "José Núñez"),
        ("Ana Ruiz", "Ana Ruiz"),
    ],
)
def test_last_first_names_are_written_first_last(written, name):
    assert flip_name(written) == name


def test_accented_names_keep_their_accents_and_addresses_are_lower_case():
    assert people("Søren Nguyễn-Łukasz <Soren@Acme.Example>") == [(1, "Søren Nguyễn-Łukasz", "soren@acme.example")]


def test_right_to_left_names_are_read_as_written():
    text = "محمد علي <m.ali@acme.example>\nכהן, דנה <dana@globex.example>"
    assert people(text) == [(1, "محمد علي", "m.ali@acme.example"), (2, "דנה כהן", "dana@globex.example")]


def test_a_mime_encoded_name_is_decoded():
    assert people("=?utf-8?q?Jos=C3=A9_N=C3=BA=C3=B1ez?= <jose@acme.example>") == [
        (1, "José Núñez", "jose@acme.example")
    ]


def test_a_bare_address_gets_a_readable_name_from_its_local_part():
    entries = parse_pasted("ana.ruiz@acme.example").entries
    assert entries == [Entry(line=1, name="Ana Ruiz", email="ana.ruiz@acme.example", is_name_from_email=True)]


@pytest.mark.parametrize(
    ("address", "name"),
    [
        ("ana@acme.example", "Ana"),
        ("ana.ruiz@acme.example", "Ana Ruiz"),
        ("bo_chen@globex.example", "Bo Chen"),
        ("j.smith@acme.example", "J. Smith"),
        ("ana.ruiz+news@acme.example", "Ana Ruiz"),
        ("jsmith42@acme.example", ""),  # digits: not a name
        ("info@acme.example", ""),  # a shared mailbox, not someone called Info
        ("no-reply@acme.example", ""),
    ],
)
def test_names_from_addresses_are_only_guessed_when_the_local_part_looks_like_one(address, name):
    assert name_from_email(address) == name


def test_an_address_that_does_not_look_like_a_name_is_its_own_name():
    assert people("info@acme.example") == [(1, "info@acme.example", "info@acme.example")]


def test_bare_addresses_separated_by_spaces_commas_or_semicolons_are_each_a_person():
    text = "ana@acme.example bo@globex.example, lee@initech.example; kim@hooli.example"
    assert [e.email for e in parse_pasted(text).entries] == [
        "ana@acme.example",
        "bo@globex.example",
        "lee@initech.example",
        "kim@hooli.example",
    ]


def test_a_name_followed_by_an_address_without_brackets_is_read():
    assert people("Ana Ruiz ana@acme.example") == [(1, "Ana Ruiz", "ana@acme.example")]


def test_an_address_with_the_name_in_a_comment_is_read():
    assert people("ana@acme.example (Ana Ruiz)") == [(1, "Ana Ruiz", "ana@acme.example")]


def test_a_header_name_and_trailing_separators_are_ignored():
    text = "To: Ana Ruiz <ana@acme.example>,\nCc: Bo Chen <bo@globex.example>;"
    assert people(text) == [(1, "Ana Ruiz", "ana@acme.example"), (2, "Bo Chen", "bo@globex.example")]


def test_an_address_quoted_as_its_own_name_gets_a_name_from_the_address():
    # Outlook writes someone without a name as 'ana.ruiz@acme.example' <ana.ruiz@acme.example>.
    assert people("'ana.ruiz@acme.example' <ana.ruiz@acme.example>") == [(1, "Ana Ruiz", "ana.ruiz@acme.example")]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("ana@", "line 3: 'ana@' is not an email address"),
        ("Ana Ruiz <ana@>", "line 3: 'ana@' is not an email address"),
        ("a@b@c.example", "line 3: 'a@b@c.example' is not an email address"),
        ("Ana Ruiz <>", "line 3: 'Ana Ruiz <>' has no email address between < and >"),
        ("---", "line 3: '---' is not a name or an email address"),
        ("12345", "line 3: '12345' is not a name or an email address"),
        (
            "Ana Ruiz, bo@globex.example",
            "line 3: 'Ana Ruiz, bo@globex.example' mixes a name without an address with addresses; "
            "put it on its own line",
        ),
    ],
)
def test_a_line_that_cannot_be_read_is_reported_with_its_number_and_why(line, reason):
    text = f"Ana Ruiz <ana@acme.example>\n\n{line}\nBo Chen"
    assert reasons(text) == [reason]
    assert people(text) == [(1, "Ana Ruiz", "ana@acme.example"), (4, "Bo Chen", "")]


def test_a_line_with_one_bad_address_adds_no_one_from_that_line():
    pasted = parse_pasted("Ana Ruiz <ana@acme.example>, Bo Chen <bo@>")
    assert pasted.entries == []
    assert [u.reason for u in pasted.unreadable] == ["line 1: 'bo@' is not an email address"]


def test_a_name_longer_than_a_person_can_have_is_refused():
    assert reasons("A" * 201) == ["line 1: the name is longer than 200 characters"]


def test_nothing_pasted_is_nothing_read():
    pasted = parse_pasted(" \n\t\n")
    assert (pasted.entries, pasted.unreadable) == ([], [])


def test_free_mail_domains_are_known_and_domains_are_lower_case():
    assert email_domain("Ana@Acme.Example") == "acme.example"
    assert is_free_mail("gmail.com") and is_free_mail("Proton.me")
    assert not is_free_mail("acme.example")


@given(st.text())
def test_the_parser_never_crashes_on_any_text(text):
    pasted = parse_pasted(text)
    lines = len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    for entry in pasted.entries:
        assert entry.name and 1 <= entry.line <= lines
    for bad in pasted.unreadable:
        assert bad.reason.startswith(f"line {bad.line}: ")


@given(st.lists(st.sampled_from(list("<>\"',;:@.() =?\\\nAna Ruiz@acme.exampleÁ-")), max_size=60).map("".join))
def test_the_parser_never_crashes_on_address_like_punctuation(text):
    parse_pasted(text)
