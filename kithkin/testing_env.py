"""A pytest plugin loaded before Django: tests keep their data out of the user's data directory.

Each process gets a data directory of its own (under pytest-xdist, each worker: its uploads and
secret key never meet another worker's), removed when the process ends.
"""

import atexit
import os
import shutil
import tempfile

_worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
_data_dir = tempfile.mkdtemp(prefix=f"kithkin-test-{_worker}-")
atexit.register(shutil.rmtree, _data_dir, ignore_errors=True)

os.environ["KITHKIN_DATA_DIR"] = _data_dir
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kithkin.settings")
# `ask` matches by words alone unless a test puts in an embedder (``finder.semantic.using``), or
# `make test-semantic` turns the installed model on.
os.environ.setdefault("KITHKIN_SEMANTIC", "off")
# A `kithkin` command run by a test starts on its own and leaves no warm process behind (one that a
# command starts stays up to 15 minutes): kithkin/cli/tests/test_warm.py turns it back on.
os.environ.setdefault("KITHKIN_WARM", "off")
