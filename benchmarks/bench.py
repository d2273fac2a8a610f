"""`make bench`: timings for demo networks, printed, never asserted.

For each size it builds a demo network (about twenty touches a person) in a fresh SQLite
data directory, then measures `kithkin due --json` wall time, the due-list query, and the
server time of pages requested through a real waitress server on 127.0.0.1.

    python benchmarks/bench.py [--sizes 1000,30000] [--repeat 30]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KITHKIN = str(Path(sys.executable).with_name("kithkin"))


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms   (n={len(ordered)})"


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    fn()  # warm caches and connections
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def measure(size: int, repeat: int) -> None:
    """Runs in a child process whose KITHKIN_DATA_DIR is a fresh directory."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kithkin.settings")
    from kithkin.cli import boot

    boot()
    from kithkin.accounts.services import create_login_token, get_or_create_local_owner
    from kithkin.core import clock
    from kithkin.demo import build_demo_network
    from kithkin.followups.serialize import due_data
    from kithkin.server import make_server

    owner = get_or_create_local_owner()
    start = time.perf_counter()
    built = build_demo_network(owner, people=size, seed=1)
    print(
        f"  build the network          {time.perf_counter() - start:8.1f} s   ({built['touches']:,} touches, {built['due_now']:,} due now)"
    )

    def cli_due() -> None:
        subprocess.run([KITHKIN, "due", "--json"], check=True, stdout=subprocess.DEVNULL)

    print(f"  kithkin due --json (wall)  {summary(timed(cli_due, max(5, repeat // 6)))}")
    print(f"  due-list query             {summary(timed(lambda: due_data(owner, clock.now()), repeat))}")

    server = make_server("127.0.0.1", 0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{server.effective_port}"
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    opener.open(f"{base}/accounts/link/{create_login_token(owner)}/").read()

    def page(path: str) -> Callable[[], None]:
        def fetch() -> None:
            with opener.open(base + path) as response:
                response.read()
                assert response.status == 200, response.status

        return fetch

    print(f"  Today page                 {summary(timed(page('/'), repeat))}")
    print(f"  People, first page         {summary(timed(page('/people/'), repeat))}")
    print(f"  People, search 'ana'       {summary(timed(page('/people/?q=ana'), repeat))}")
    server.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,30000")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        measure(args.child, args.repeat)
        return
    for size in (int(s) for s in args.sizes.split(",")):
        print(f"\n{size:,} people (SQLite)", flush=True)
        with tempfile.TemporaryDirectory(prefix="kithkin-bench-") as data_dir:
            env = {**os.environ, "KITHKIN_DATA_DIR": data_dir}
            env.pop("DATABASE_URL", None)
            subprocess.run(
                [sys.executable, __file__, "--child", str(size), "--repeat", str(args.repeat)],
                check=True,
                env=env,
                cwd=ROOT,
            )
    print(json.dumps({"note": "figures are wall-clock times on this machine; see README for targets"}))


if __name__ == "__main__":
    main()
