import pytest

from kithkin.lib.hosts import is_loopback


@pytest.mark.parametrize("host", ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "LOCALHOST.", " localhost "])
def test_this_machine(host):
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["imap.example.com", "10.0.0.1", "192.168.1.2", "::2", "localhost.example.com", ""])
def test_another_machine(host):
    assert not is_loopback(host)
