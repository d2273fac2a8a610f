"""`make bench`: timings for demo networks, printed, never asserted.

For each size it builds a demo network (about twenty touches a person) in a fresh SQLite
data directory, gives one person 500 touches, then measures `kithkin due --json` wall time,
the due-list query, and pages requested through a real waitress server on 127.0.0.1: the
server time each response reports in its Server-Timing header, and the wall time the client saw.

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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
KITHKIN = str(Path(sys.executable).with_name("kithkin"))


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms   (n={len(ordered)})"


def give_many_touches(owner: Any, count: int) -> int:
    """Add touches to one demo person until they have ``count``; returns their id."""
    from datetime import timedelta

    from kithkin.core import clock
    from kithkin.interactions.models import Touch, TouchParticipant
    from kithkin.interactions.services import refresh_last_touch
    from kithkin.people.models import Person

    person = Person.objects.for_owner(owner).order_by("id").first()
    assert person is not None
    have = TouchParticipant.objects.for_owner(owner).filter(person=person).count()
    now = clock.now()
    touches = Touch.objects.bulk_create(
        Touch(
            owner=owner,
            kind="call" if i % 3 else "coffee",
            happened_at=now - timedelta(days=400, hours=7 * i),
            created_at=now - timedelta(days=400, hours=7 * i),
            notes=f"Talked about **project {i}** and [a link](https://example.com/{i}).",
        )
        for i in range(max(0, count - have))
    )
    TouchParticipant.objects.bulk_create(
        TouchParticipant(owner=owner, touch=t, person=person, happened_at=t.happened_at) for t in touches
    )
    refresh_last_touch(owner, [person.pk])
    return person.pk


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
    from kithkin.server import make_server, stop_server

    owner = get_or_create_local_owner()
    start = time.perf_counter()
    built = build_demo_network(owner, people=size, seed=1)
    print(
        f"  build the network          {time.perf_counter() - start:8.1f} s   ({built['touches']:,} touches, {built['due_now']:,} due now)"
    )

    person_id = give_many_touches(owner, 500)

    def cli_due() -> None:
        subprocess.run([KITHKIN, "due", "--json"], check=True, stdout=subprocess.DEVNULL)

    print(f"  kithkin due --json (wall)  {summary(timed(cli_due, max(5, repeat // 6)))}")
    print(f"  due-list query             {summary(timed(lambda: due_data(owner, clock.now()), repeat))}")

    server = make_server("127.0.0.1", 0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.effective_port}"
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    opener.open(f"{base}/accounts/link/{create_login_token(owner)}/").read()

    def page(path: str, repeat: int) -> str:
        server_times: list[float] = []

        def fetch() -> None:
            with opener.open(base + path) as response:
                response.read()
                assert response.status == 200, response.status
                server_times.append(float(response.headers["Server-Timing"].split("dur=")[1]) / 1000)

        walls = timed(fetch, repeat)
        return f"server {summary(server_times[1:])}\n  {'':27}wall   {summary(walls)}"

    print(f"  Today page                 {page('/', repeat)}")
    print(f"  People, first page         {page('/people/', repeat)}")
    print(f"  People, search 'ana'       {page('/people/?q=ana', repeat)}")
    print(f"  People, losing touch first {page('/people/?sort=losing-touch', repeat)}")
    print(f"  Person with 500 touches    {page(f'/people/{person_id}/', repeat)}")
    print(f"  Autocomplete 'ana'         {page('/people/suggest/?q=ana&new=1', repeat)}")
    stop_server(server, thread)


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
