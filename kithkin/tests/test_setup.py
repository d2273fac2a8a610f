"""A fresh data directory, as a new user has it: real processes, real files."""

import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kithkin.settings import load_or_create_secret_key

KITHKIN = str(Path(sys.executable).with_name("kithkin"))


def test_the_secret_key_is_made_once_and_kept_private(tmp_path):
    key = load_or_create_secret_key(tmp_path)
    assert len(key) > 40
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    assert load_or_create_secret_key(tmp_path) == key


@pytest.mark.slow
def test_a_first_command_in_an_empty_data_directory_sets_everything_up(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env["KITHKIN_DATA_DIR"] = str(tmp_path / "data")
    added = subprocess.run(
        [KITHKIN, "add", "Zoë Ðorđević", "--json"], env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(added.stdout)["name"] == "Zoë Ðorđević"
    database = tmp_path / "data" / "kithkin.sqlite3"
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert stat.S_IMODE((tmp_path / "data" / "secret_key").stat().st_mode) == 0o600
    listed = subprocess.run([KITHKIN, "people", "--json"], env=env, capture_output=True, text=True, check=True)
    assert [p["name"] for p in json.loads(listed.stdout)] == ["Zoë Ðorđević"]
    bad = subprocess.run([KITHKIN, "add", "X", "--closeness", "bestie"], env=env, capture_output=True, text=True)
    assert bad.returncode == 1 and bad.stdout == "" and bad.stderr.startswith("kithkin: error: --closeness:")


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("KITHKIN_LOGIN_FAILURE_LIMIT", "five", "KITHKIN_LOGIN_FAILURE_LIMIT: expected a whole number, got 'five'"),
        ("KITHKIN_FEED_HORIZON_DAYS", "0", "KITHKIN_FEED_HORIZON_DAYS: expected 1 or more, got 0"),
        ("KITHKIN_DB_BUSY_TIMEOUT", "soon", "KITHKIN_DB_BUSY_TIMEOUT: expected a number of seconds, got 'soon'"),
        ("KITHKIN_HTTPS", "maybe", "KITHKIN_HTTPS: expected a boolean (1/0, true/false), got 'maybe'"),
    ],
)
def test_a_setting_that_does_not_read_is_one_line_naming_the_variable(tmp_path, variable, value, says):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update({"KITHKIN_DATA_DIR": str(tmp_path / "data"), variable: value})
    ran = subprocess.run([KITHKIN, "people"], env=env, capture_output=True, text=True)
    assert (ran.returncode, ran.stdout, ran.stderr) == (2, "", f"kithkin: error: {says}\n")


@pytest.mark.slow
def test_the_demo_leaves_the_query_planner_statistics_to_work_with(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env["KITHKIN_DATA_DIR"] = str(tmp_path)
    subprocess.run([KITHKIN, "demo", "--people", "40", "--json"], env=env, capture_output=True, check=True)
    with sqlite3.connect(tmp_path / "kithkin.sqlite3") as connection:
        analysed = {row[0] for row in connection.execute("SELECT tbl FROM sqlite_stat1")}
    assert {"people_person", "interactions_touch", "followups_followup"} <= analysed


@pytest.fixture
def umask_022():
    """The usual umask, which makes new files readable by every local user."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# Issue 13, item 1
def test_the_data_directory_is_private_to_its_owner(tmp_path, monkeypatch, umask_022):
    from kithkin.settings import data_dir

    monkeypatch.setenv("KITHKIN_DATA_DIR", str(tmp_path / "new" / "data"))
    assert mode(data_dir()) == 0o700
    existing = tmp_path / "existing"
    existing.mkdir(mode=0o755)
    monkeypatch.setenv("KITHKIN_DATA_DIR", str(existing))
    assert mode(data_dir()) == 0o700
    monkeypatch.delenv("KITHKIN_DATA_DIR")
    monkeypatch.setattr("platformdirs.user_data_dir", lambda name: str(tmp_path / "home" / name))
    assert data_dir() == tmp_path / "home" / "kithkin" and mode(data_dir()) == 0o700


# Issue 13, item 1
def test_the_database_and_its_wal_and_shm_files_are_private_to_their_owner(tmp_path, umask_022, django_db_blocker):
    from django.db.utils import ConnectionHandler

    WAL = "PRAGMA journal_mode=WAL;"
    database = tmp_path / "kithkin.sqlite3"
    old = tmp_path / "old.sqlite3"
    sqlite3.connect(old).close()
    old.chmod(0o644)
    for path in (database, old):
        handler = ConnectionHandler(
            {"default": {"ENGINE": "kithkin.core.sqlite", "NAME": str(path), "OPTIONS": {"init_command": WAL}}}
        )
        connection = handler["default"]
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute("CREATE TABLE note (body TEXT)")
            cursor.execute("INSERT INTO note VALUES ('private')")
            files = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
            assert all(f.exists() for f in files)
            assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}
        with django_db_blocker.unblock():
            connection.close()


def test_a_new_connection_keeps_the_locks_of_the_open_ones(tmp_path, django_db_blocker):
    """A server opens a connection per thread while others are open. Opening the database file
    outside SQLite to make it private dropped every lock the process held on it, so another
    process (a `kithkin link`) closing took itself for the last one and deleted the -shm under
    the live connections: "disk I/O error" on the next request."""
    from django.db.utils import ConnectionHandler

    database = tmp_path / "kithkin.sqlite3"
    settings = {
        "ENGINE": "kithkin.core.sqlite",
        "NAME": str(database),
        "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;"},
    }
    first, second = (ConnectionHandler({"default": dict(settings)})["default"] for _ in range(2))
    with django_db_blocker.unblock():
        with first.cursor() as cursor:
            cursor.execute("CREATE TABLE note (body TEXT)")
        reading = first.connection.cursor()
        reading.execute("BEGIN")
        reading.execute("SELECT * FROM note").fetchall()
        second.ensure_connection()
        script = f"import sqlite3; c = sqlite3.connect({str(database)!r}); c.execute('SELECT * FROM note'); c.close()"
        subprocess.run([sys.executable, "-c", script], check=True)
        assert database.with_name(database.name + "-shm").exists()
        reading.execute("COMMIT")
        first.close()
        second.close()


# Issue 13, item 1
@pytest.mark.slow
def test_a_cli_backup_and_export_in_a_fresh_data_directory_are_private_to_their_owner(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env["KITHKIN_DATA_DIR"] = str(tmp_path / "data")

    def run(*args: str) -> None:
        subprocess.run([KITHKIN, *args], env=env, cwd=tmp_path, capture_output=True, check=True, umask=0o022)

    run("add", "Ana Ruiz")
    run("backup", "--out", str(tmp_path / "backup.sqlite3"))
    run("export", "csv", "--out", str(tmp_path / "people.csv"))
    run("export", "json", "--out", str(tmp_path / "kithkin.json"))
    run("backup")
    (named,) = tmp_path.glob("kithkin-backup-*")
    assert mode(tmp_path / "data") == 0o700
    assert mode(tmp_path / "data" / "kithkin.sqlite3") == 0o600
    for written in (tmp_path / "backup.sqlite3", tmp_path / "people.csv", tmp_path / "kithkin.json", named):
        assert mode(written) == 0o600, written.name
