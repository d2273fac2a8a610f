from urllib.parse import parse_qs, unquote, urlsplit

from hypothesis import given
from hypothesis import strategies as st

from kithkin.lib.mailto import mailto


def test_addresses_are_joined_by_commas_and_keep_their_at_sign():
    link = mailto(["ana@acme.example", "bo+work@globex.example"], "Hi", "")
    assert link.startswith("mailto:ana@acme.example,bo+work@globex.example?subject=Hi&body=")


def test_subject_and_body_are_percent_encoded_whole():
    link = mailto(["ana@acme.example"], "Pricing & you?", "See https://example.com/a?b=c&d=e")
    assert link == (
        "mailto:ana@acme.example?subject=Pricing%20%26%20you%3F"
        "&body=See%20https%3A%2F%2Fexample.com%2Fa%3Fb%3Dc%26d%3De"
    )


def test_line_breaks_in_the_body_are_crlf():
    assert mailto([], "s", "one\ntwo\r\nthree").endswith("&body=one%0D%0Atwo%0D%0Athree")


def test_no_address_still_opens_a_message():
    assert mailto([], "Hello", "there") == "mailto:?subject=Hello&body=there"


@given(subject=st.text(), body=st.text().map(lambda t: t.replace("\r", "")))
def test_subject_and_body_come_back_as_they_were(subject, body):
    link = urlsplit(mailto(["ana@acme.example"], subject, body))
    assert unquote(link.path) == "ana@acme.example"
    fields = parse_qs(link.query, keep_blank_values=True, errors="surrogatepass")
    assert fields["subject"] == [subject] and fields["body"] == [body.replace("\n", "\r\n")]
