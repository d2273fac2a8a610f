"""A pytest plugin loaded before Django: tests keep their data out of the user's data directory."""

import os
import tempfile

os.environ["KITHKIN_DATA_DIR"] = tempfile.mkdtemp(prefix="kithkin-test-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kithkin.settings")
