"""Files in and out from the command line: import, imports, undo-import, export, feed-url, ics."""

import json

import icalendar
import pytest

from kithkin.accounts.services import get_or_create_local_owner, get_profile
from kithkin.cli.main import main
from kithkin.imports.tests.test_services import LINKEDIN, network_state
from kithkin.people.models import Person
from kithkin.server import recorded_address
from kithkin.testing import make_person, make_touch

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def kithkin(db, capsys):
    owner = get_or_create_local_owner()
    profile = get_profile(owner)
    profile.time_zone = "Europe/Madrid"
    profile.save()

    def run(*args: str) -> tuple[int, str, str]:
        with pytest.raises(SystemExit) as exited:
            main(list(args))
        out, err = capsys.readouterr()
        return int(exited.value.code or 0), out, err

    return run


@pytest.fixture
def connections(tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_text(LINKEDIN, encoding="utf-8")
    return path


def test_import_with_json_reports_the_people_and_re_importing_changes_nothing(kithkin, connections):
    code, out, err = kithkin("import", "linkedin", str(connections), "--json")
    assert (code, err) == (0, "")
    first = json.loads(out)
    assert first["counts"]["new"] == 3 and first["import_id"]
    assert {p["name"] for p in first["people"]} == {"Ana Ruiz", "Bo Chen", "José Núñez"}

    owner = get_or_create_local_owner()
    before = network_state(owner)
    code, out, _ = kithkin("import", "csv", str(connections), "--json")
    again = json.loads(out)
    assert (code, again["import_id"], again["counts"]["unchanged"]) == (0, None, 3)
    assert network_state(owner) == before


def test_a_dry_run_shows_the_plan_and_changes_nothing(kithkin, connections):
    code, out, _ = kithkin("import", "linkedin", str(connections), "--dry-run")
    assert code == 0
    assert "new people" in out and "Dry run: nothing was changed." in out
    assert not Person.objects.exists()


def test_imports_lists_them_and_undo_import_takes_one_back(kithkin, connections):
    owner = get_or_create_local_owner()
    make_person(owner, "Somebody Else")
    before = network_state(owner)
    kithkin("import", "linkedin", str(connections))

    listed = json.loads(kithkin("imports", "--json")[1])
    assert [(i["file"], i["counts"]["people_created"]) for i in listed] == [("Connections.csv", 3)]

    code, out, _ = kithkin("undo-import", str(listed[0]["id"]))
    assert code == 0 and "removed 3 people" in out
    assert network_state(owner) == before
    code, _, err = kithkin("undo-import", str(listed[0]["id"]))
    assert code == 1 and "no import has id" in err


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), ""),
        (b"name;phone\nAna;123\n", ""),
    ],
)
def test_a_malformed_file_exits_1_with_a_message_naming_it_and_changes_nothing(kithkin, tmp_path, content, expected):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    owner = get_or_create_local_owner()
    make_person(owner, "Ana Ruiz")
    before = network_state(owner)

    code, out, err = kithkin("import", "linkedin", str(path))

    assert code == 1 and out == ""
    assert err.startswith("kithkin: error: bad.csv") and expected in err
    assert network_state(owner) == before


def test_a_missing_file_and_an_unknown_format_are_clear_errors(kithkin, tmp_path):
    code, _, err = kithkin("import", "linkedin", str(tmp_path / "nope.csv"))
    assert code == 1 and "nope.csv: no such file" in err
    code, _, err = kithkin("import", "myspace", str(tmp_path / "nope.csv"))
    assert code == 1 and "unknown format 'myspace'" in err


def test_export_writes_vcard_csv_and_json_of_the_network(kithkin, tmp_path):
    owner = get_or_create_local_owner()
    make_person(owner, "Zoë Ðorđević", emails=["zoe@example.com"], organization="Acme", title="CTO")
    make_person(owner, "Bo Chen", circle="friend")

    kithkin("export", "vcard", "--out", str(tmp_path / "all.vcf"))
    vcf = (tmp_path / "all.vcf").read_text(encoding="utf-8")
    assert vcf.count("BEGIN:VCARD") == 2 and "VERSION:4.0" in vcf and "Zoë Ðorđević" in vcf

    code, out, _ = kithkin("export", "vcard", "--vcard3", "--people", "circle:friend")
    assert code == 0 and out.count("BEGIN:VCARD") == 1 and "VERSION:3.0" in out and "Bo Chen" in out

    kithkin("export", "csv", "--out", str(tmp_path / "all.csv"))
    csv_text = (tmp_path / "all.csv").read_text(encoding="utf-8")
    assert csv_text.startswith("First Name,Middle Name,Last Name") and "zoe@example.com" in csv_text

    code, out, _ = kithkin("export", "json")
    document = json.loads(out)
    assert document["format"] == "kithkin" and document["version"] == 2

    code, _, err = kithkin("export", "pdf")
    assert code == 1 and "unknown format 'pdf'" in err


def test_the_feed_url_is_stable_until_revoked_and_ics_writes_one_event_per_open_follow_up(kithkin, tmp_path):
    owner = get_or_create_local_owner()
    ana = make_person(owner, "Ana Ruiz", closeness="close")
    make_touch(owner, ana, "coffee")

    url = json.loads(kithkin("feed-url", "--json")[1])["url"]
    assert url.startswith("http://127.0.0.1:8000/feed/") and url.endswith(".ics")
    assert json.loads(kithkin("feed-url", "--json")[1])["url"] == url
    assert json.loads(kithkin("feed-url", "--revoke", "--json")[1]) == {"revoked": True}
    assert json.loads(kithkin("feed-url", "--json")[1])["url"] != url

    kithkin("settings", "--block", "Tue 08:30-09:00 Networking time")
    kithkin("ics", "--out", str(tmp_path / "feed.ics"))
    calendar = icalendar.Calendar.from_ical((tmp_path / "feed.ics").read_bytes())
    events = calendar.walk("VEVENT")
    summaries = sorted(str(e["SUMMARY"]) for e in events)
    assert len(events) == 3  # the thank-you, the check-in and the weekly block
    assert "Networking time" in summaries
    assert any(s.startswith("Thank Ana") for s in summaries)


def test_settings_take_import_defaults_and_networking_blocks(kithkin):
    data = json.loads(
        kithkin(
            "settings",
            "--import-closeness",
            "wider",
            "--import-circle",
            "colleague",
            "--block",
            "fri 16-17 Coffee",
            "--json",
        )[1]
    )
    assert (data["import_closeness"], data["import_circle"]) == ("wider", "colleague")
    assert data["blocks"] == ["Coffee, Fridays 16:00–17:00"]
    code, _, err = kithkin("settings", "--block", "someday 9-10")
    assert code == 1 and "'someday' is not a day of the week" in err
    assert json.loads(kithkin("settings", "--json")[1])["blocks"] == ["Coffee, Fridays 16:00–17:00"]


def test_a_refused_networking_block_leaves_the_other_settings_as_they_were(kithkin):
    code, _, err = kithkin("settings", "--time-zone", "Asia/Tokyo", "--block", "someday 9-10")
    assert code == 1 and "--block: 'someday' is not a day of the week" in err
    assert json.loads(kithkin("settings", "--json")[1])["time_zone"] == "Europe/Madrid"


def test_the_links_the_cli_prints_follow_the_servers_address_in_the_settings(kithkin, settings):
    settings.SERVER_HOST, settings.SERVER_PORT = "kithkin.local", "9000"
    code, out, _ = kithkin("link")
    assert code == 0 and out.startswith("http://kithkin.local:9000/accounts/link/")
    settings.BASE_URL = "https://kithkin.example"
    assert json.loads(kithkin("feed-url", "--json")[1])["url"].startswith("https://kithkin.example/feed/")


@pytest.mark.slow
def test_export_json_restored_into_a_new_data_directory_exports_the_same_bytes(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    kithkin = str(Path(sys.executable).with_name("kithkin"))
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}

    def run(data_dir: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [kithkin, *args],
            env={**env, "KITHKIN_DATA_DIR": str(tmp_path / data_dir)},
            capture_output=True,
            text=True,
            check=True,
        )

    run("first", "demo", "--people", "40", "--json")
    connections = tmp_path / "Connections.csv"
    connections.write_text(LINKEDIN, encoding="utf-8")
    run("first", "import", "linkedin", str(connections))
    run("first", "export", "json", "--out", str(tmp_path / "before.json"))
    run("second", "restore", str(tmp_path / "before.json"))
    run("second", "export", "json", "--out", str(tmp_path / "after.json"))
    assert (tmp_path / "after.json").read_bytes() == (tmp_path / "before.json").read_bytes()
    # The restored import can still be undone there.
    imports = json.loads(run("second", "imports", "--json").stdout)
    assert len(imports) == 1
    run("second", "undo-import", str(imports[0]["id"]))


# Issue 13, item 21b
def test_link_points_at_the_port_the_running_server_listens_on(kithkin, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    with recorded_address("0.0.0.0", 8765):
        code, out, _ = kithkin("link")
        assert code == 0 and out.startswith("http://127.0.0.1:8765/accounts/link/")
    assert not (tmp_path / "server.json").exists()
    assert kithkin("link")[1].startswith("http://127.0.0.1:8000/accounts/link/")  # none running: the default
    # A server killed hard leaves its file: a process that is gone is not listened to.
    (tmp_path / "server.json").write_text(json.dumps({"host": "127.0.0.1", "port": 8765, "pid": 2**22 + 1}))
    assert kithkin("link")[1].startswith("http://127.0.0.1:8000/accounts/link/")
    with recorded_address("127.0.0.1", 8765):
        settings.SERVER_ADDRESS_SET, settings.SERVER_HOST, settings.SERVER_PORT = True, "kithkin.local", "443"
        assert kithkin("link")[1].startswith("http://kithkin.local:443/accounts/link/")  # set by hand: it wins
