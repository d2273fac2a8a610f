import re


def test_every_response_says_how_long_the_server_took(client, alice):
    client.force_login(alice)
    response = client.get("/")
    assert re.fullmatch(r"app;dur=\d+\.\d", response["Server-Timing"])
