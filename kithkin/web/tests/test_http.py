import pytest
from django.test import RequestFactory

from kithkin.web.http import safe_next


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/people/?page=2", "/people/?page=2"),
        ("", "/home/"),
        ("https://evil.example/", "/home/"),
        ("//evil.example/", "/home/"),
        ("javascript:alert(1)", "/home/"),
    ],
)
def test_next_is_followed_only_to_a_page_of_this_site(target, expected):
    request = RequestFactory().post("/x/", HTTP_HOST="testserver")
    assert safe_next(request, target, "/home/") == expected


def test_an_http_next_is_refused_on_an_https_site():
    request = RequestFactory().post("/x/", secure=True)
    assert safe_next(request, "http://testserver/people/", "/home/") == "/home/"
