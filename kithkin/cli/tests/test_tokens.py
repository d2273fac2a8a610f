"""kithkin token create, list, revoke."""

import json

from kithkin.accounts.tokens import authenticate


def test_create_list_and_revoke(kithkin):
    code, out, err = kithkin("token", "create", "--name", "laptop script")
    assert code == 0
    secret = out.strip()
    assert secret.startswith("kk_") and "not shown again" in err
    access = authenticate(secret)
    assert access is not None and access.may_write

    code, out, _ = kithkin("token", "create", "--name", "reader", "--read-only", "--json")
    reader = json.loads(out)
    assert reader["read_only"] is True and not authenticate(reader["token"]).may_write

    code, out, _ = kithkin("token", "list", "--json")
    listed = json.loads(out)
    assert [t["name"] for t in listed] == ["reader", "laptop script"]
    assert all("token" not in t and "token_hash" not in t for t in listed)
    assert listed[1]["last_used_at"] is not None  # used above

    code, out, _ = kithkin("token", "revoke", str(listed[1]["id"]))
    assert code == 0 and "revoked" in out
    assert authenticate(secret) is None
    code, _, err = kithkin("token", "revoke", "999")
    assert code == 1 and "ID: you have no token 999" in err


def test_a_token_needs_a_name(kithkin):
    code, _, err = kithkin("token", "create", "--name", " ")
    assert code == 1 and "--name" in err
