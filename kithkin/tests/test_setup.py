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


@pytest.mark.slow
def test_the_demo_leaves_the_query_planner_statistics_to_work_with(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env["KITHKIN_DATA_DIR"] = str(tmp_path)
    subprocess.run([KITHKIN, "demo", "--people", "40", "--json"], env=env, capture_output=True, check=True)
    with sqlite3.connect(tmp_path / "kithkin.sqlite3") as connection:
        analysed = {row[0] for row in connection.execute("SELECT tbl FROM sqlite_stat1")}
    assert {"people_person", "interactions_touch", "followups_followup"} <= analysed
