"""`make bench`: timings for demo networks, printed, never asserted.

For each size it builds a demo network (about twenty touches a person) in a fresh SQLite
data directory, gives one person 500 touches, then measures every strength worked out from
scratch and one person's after logging a touch, `kithkin due --json` wall time, the due-list
query, composing the daily digest, and pages requested through a real waitress server on
127.0.0.1 (the server time each response reports in its Server-Timing header, and the wall time
the client saw), the HTTP API's people list, search and due follow-ups through the same server,
and MCP tool calls at /mcp. `--only mail` times an IMAP sync against a real Dovecot instead.

    python benchmarks/bench.py [--sizes 1000,30000] [--repeat 30]
"""

from __future__ import annotations

import argparse
import functools
import http.cookiejar
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
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
    from kithkin.cli.main import boot

    boot()
    from kithkin.accounts.services import get_or_create_local_owner
    from kithkin.core.scopes import owner_scope

    owner = get_or_create_local_owner()
    # The benchmark acts for the local owner, as the CLI does; the server's request threads
    # enter the owner's scope themselves (the middleware).
    with owner_scope(owner):
        measure_network(owner, size, repeat)


def measure_network(owner: Any, size: int, repeat: int) -> None:
    from kithkin.accounts.services import create_login_token
    from kithkin.core import clock
    from kithkin.demo import build_demo_network
    from kithkin.followups.serialize import due_data
    from kithkin.server import make_server, stop_server

    start = time.perf_counter()
    built = build_demo_network(owner, people=size, seed=1)
    print(
        f"  build the network          {time.perf_counter() - start:8.1f} s   ({built['touches']:,} touches, {built['due_now']:,} due now;"
        " target < 60 s at 30,000 people)"
    )

    person_id = give_many_touches(owner, 500)
    from kithkin.events.models import Event
    from kithkin.goals.models import Goal

    goal_id = Goal.objects.for_owner(owner).order_by("id").values_list("id", flat=True)[0]
    event_id = Event.objects.for_owner(owner).filter(starts_at__lt=clock.now()).values_list("id", flat=True)[0]
    print(
        f"  (and {built['exchanges']:,} gives and gets, {built['asks']:,} asks, {built['events']:,} events,"
        f" {built['introductions']:,} introductions)"
    )

    measure_strengths(owner, person_id, repeat)
    measure_ask(owner, repeat)
    prospect_id, org_id = measure_ties(owner, repeat)

    measure_cli(owner, person_id, max(5, repeat // 3))
    print(f"  due-list query             {summary(timed(lambda: due_data(owner, clock.now()), repeat))}")
    from kithkin.network.suggest import suggestions

    print(
        f"  suggested introductions    {summary(timed(lambda: suggestions(owner), max(5, repeat // 4)))}   (target < 1 s)"
    )

    measure_digest(owner, max(5, repeat // 3))

    def cli_suggest() -> None:
        subprocess.run([KITHKIN, "suggest", "--json"], check=True, stdout=subprocess.DEVNULL)

    print(f"  kithkin suggest --json (wall) {summary(timed(cli_suggest, max(5, repeat // 6)))}")

    server = make_server("127.0.0.1", 0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.effective_port}"
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    link = f"{base}/accounts/link/{create_login_token(owner)}/"
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', opener.open(link).read().decode())
    assert csrf is not None, "the sign-in link's page has no form"
    opener.open(link, data=urllib.parse.urlencode({"csrfmiddlewaretoken": csrf.group(1)}).encode()).read()

    def page(path: str, repeat: int) -> str:
        server_times: list[float] = []

        def fetch() -> None:
            with opener.open(base + path) as response:
                response.read()
                assert response.status == 200, response.status
                server_times.append(float(response.headers["Server-Timing"].split("dur=")[1]) / 1000)

        walls = timed(fetch, repeat)
        return f"server {summary(server_times[1:])}\n  {'':27}wall   {summary(walls)}"

    print(f"  Today page (ranked)        {page('/', repeat)}   (target p95 < 100 ms)")
    # The ranking is kept while nothing it reads changes: the first view after a change ranks again.
    from kithkin.core import stamps

    stamps.bump(owner.pk)
    start = time.perf_counter()
    opener.open(base + "/").read()
    print(
        f"  Today, first after a change {(time.perf_counter() - start) * 1000:6.1f} ms (wall, ranks every due check-in)"
    )
    print(f"  Rekindle                   {page('/rekindle/', repeat)}   (target < 200 ms)")
    print(f"  Graph data (JSON)          {page('/graph/data.json', repeat)}   (target < 500 ms)")
    print(f"  Graph data, one circle     {page('/graph/data.json?circle=colleague', repeat)}   (target < 500 ms)")
    print(f"  Graph page                 {page('/graph/', repeat)}")
    print(f"  People, first page         {page('/people/', repeat)}")
    print(f"  People, search 'ana'       {page('/people/?q=ana', repeat)}")
    print(f"  People in a city (Berlin)  {page('/people/?city=Berlin', repeat)}")
    print(f"  People in a country (DE)   {page('/people/?country=DE', repeat)}")
    print(f"  People, losing touch first {page('/people/?sort=losing-touch', repeat)}")
    print(f"  People, strongest first    {page('/people/?sort=strength', repeat)}")
    print(f"  People, weak ties          {page('/people/?strength=weak&sort=strength', repeat)}")
    print(f"  Person with 500 touches    {page(f'/people/{person_id}/', repeat)}")
    print(f"  Autocomplete 'ana'         {page('/people/suggest/?q=ana&new=1', repeat)}")
    print(f"  Ledger                     {page('/ledger/', repeat)}")
    print(f"  Introductions              {page('/introductions/', repeat)}")
    print(f"  Suggested introductions    {page('/introductions/suggested/', max(5, repeat // 4))}   (target < 1 s)")
    print(f"  Events                     {page('/events/', repeat)}")
    print(f"  Goals                      {page('/goals/', repeat)}")
    print(f"  Weekly review              {page('/goals/week/', repeat)}")
    print(f"  Insights                   {page('/insights/', repeat)}   (target < 500 ms)")
    # The duplicates scan is kept while the network is unchanged: the first view scans, the
    # pages after it only read the network to see that nothing changed.
    start = time.perf_counter()
    opener.open(base + "/people/duplicates/").read()
    first = time.perf_counter() - start
    print(f"  Possible duplicates, first {first * 1000:7.1f} ms (wall, one view after a change)")
    print(f"  Possible duplicates        {page('/people/duplicates/', repeat)}")
    print(f"  Possible duplicates, p. 20 {page('/people/duplicates/?page=20', repeat)}")
    print(f"  A goal                     {page(f'/goals/{goal_id}/', repeat)}")
    print(f"  An event's review          {page(f'/events/{event_id}/', repeat)}")
    print(f"  A prospect's page (paths)  {page(f'/people/{prospect_id}/', repeat)}")
    print(f"  An organization's page     {page(f'/organizations/{org_id}/', repeat)}")
    measure_api(owner, base, repeat)
    measure_agent(base, owner, person_id, repeat)
    stop_server(server, thread)
    measure_files(owner, size)
    measure_places(size)


def measure_digest(owner: Any, repeat: int) -> None:
    """Compose one daily digest and write it out (subject, text, HTML), as each morning does: the
    ranking and the week's counts worked out afresh (target under 500 ms)."""
    from kithkin.core import clock, stamps
    from kithkin.digest.services import compose, render

    def morning() -> None:
        stamps.bump(owner.pk)  # a day has passed: nothing kept from yesterday's views holds
        render(compose(owner, clock.now()))

    print(f"  compose one digest         {summary(timed(morning, repeat))}   (target < 500 ms)")


def measure_api(owner: Any, base: str, repeat: int) -> None:
    """The HTTP API through the same server, authorised by a token made here: the server time
    each answer reports (Server-Timing) and the wall time the client saw."""
    from kithkin.accounts.tokens import create_token

    token = create_token(owner, "bench").secret

    def call(path: str) -> str:
        server_times: list[float] = []

        def fetch() -> None:
            request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"})
            with urllib.request.urlopen(request) as response:
                response.read()
                assert response.status == 200, response.status
                timing = response.headers.get("Server-Timing", "")
                if "dur=" in timing:
                    server_times.append(float(timing.split("dur=")[1]) / 1000)

        walls = timed(fetch, repeat)
        server = f"server {summary(server_times[1:])}\n  {'':27}" if len(server_times) > 1 else ""
        return f"{server}wall   {summary(walls)}"

    print(f"  API people, first page     {call('/api/v1/people')}   (target p95 < 100 ms)")
    print(f"  API people, search 'ana'   {call('/api/v1/people?search=ana')}   (target p95 < 100 ms)")
    print(f"  API due follow-ups         {call('/api/v1/follow-ups/due')}   (target p95 < 100 ms)")


def measure_agent(base: str, owner: Any, person_id: int, repeat: int) -> None:
    """MCP tool calls end to end, wall time: the SDK's own client with a personal access token,
    one session, each call a request through the real server (waitress, a2wsgi, the SDK's app)."""
    import anyio
    from mcp import ClientSession
    from mcp.client.streamable_http import streamable_http_client
    from mcp.shared._httpx_utils import create_mcp_http_client

    from kithkin.accounts.tokens import create_token

    secret = create_token(owner, "bench").secret
    calls: list[tuple[str, str, dict[str, Any]]] = [
        ("whats_due (top 10)", "whats_due", {"top": 10}),
        ("show_person (500 touches)", "show_person", {"person": str(person_id)}),
        ("find_people 'ana'", "find_people", {"search": "ana"}),
        ("log_touch", "log_touch", {"kind": "call", "people": [str(person_id)], "thank": False}),
    ]

    async def run() -> None:
        async with (
            create_mcp_http_client(headers={"Authorization": f"Bearer {secret}"}) as http,
            streamable_http_client(f"{base}/mcp", http_client=http) as (read, write),
            ClientSession(read, write) as session,
        ):
            await session.initialize()
            for label, name, arguments in calls:
                samples = []
                for _ in range(repeat + 1):  # the first warms caches and connections
                    start = time.perf_counter()
                    result = await session.call_tool(name, arguments)
                    samples.append(time.perf_counter() - start)
                    assert not result.is_error, result.content
                print(f"  MCP {label:<27}{summary(samples[1:])}   (target < 200 ms)", flush=True)

    anyio.run(run)


def measure_cli(owner: Any, person_id: int, repeat: int) -> None:
    """Commands as a person types them, wall time: each started on its own (KITHKIN_WARM=off),
    then answered by the warm process that the first command would start."""
    from kithkin.cli import warm, warm_process
    from kithkin.people.models import Person

    someone = Person.objects.for_owner(owner).exclude(pk=person_id).order_by("id").values_list("pk", flat=True)[10]
    commands = [
        ("show", ["show", str(someone)], 0.25),
        ("people (a search)", ["people", "--search", "ana", "--limit", "20"], 0.25),
        ("add", ["add", "Bench Person", "--org", "Acme", "--json"], 0.25),
        ("log a touch", ["log", "call", str(someone)], 0.25),
        ("due (printed)", ["due"], 0.3),
        ("due --json", ["due", "--json"], 0.3),
        ("due --top 5 --json", ["due", "--top", "5", "--json"], 0.3),
    ]

    def run(args: list[str], env: dict[str, str]) -> None:
        subprocess.run([KITHKIN, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)

    alone = {**os.environ, "KITHKIN_WARM": "off"}
    for label, args, _target in commands:
        print(f"  kithkin {label + ', alone':<30}{summary(timed(lambda a=args: run(a, alone), repeat))}", flush=True)  # type: ignore[misc]
    warmed = {**os.environ, "KITHKIN_WARM": "on"}
    beside = subprocess.Popen(
        [sys.executable, "-m", "kithkin.cli.warm_process", "--idle", "600"], stdout=subprocess.PIPE, env=warmed
    )  # as the first command would start it
    assert beside.stdout is not None and beside.stdout.readline() == b"ready\n"
    for label, args, target in commands:
        samples = timed(lambda a=args: run(a, warmed), repeat)  # type: ignore[misc]
        print(f"  kithkin {label + ', warm':<30}{summary(samples)}   (target < {target * 1000:.0f} ms)", flush=True)
    print(f"  {'':38}({(warm.status() or {}).get('answered', 0)} commands answered warm)")
    warm_process.ask_to_leave()
    beside.wait()


def measure_places(size: int) -> None:
    """Reading ``size`` locations into a city and a country, none of them cached: what an import
    of that many rows, or the migration over that many people, spends on places."""
    from kithkin.demo import LOCATIONS
    from kithkin.lib.places import parse_place

    texts = [f"{LOCATIONS[n % len(LOCATIONS)]}{' ' * (n % 3)}" for n in range(size)]
    start = time.perf_counter()
    for text in texts:
        parse_place(text)
    print(f"  read {size:,} locations        {time.perf_counter() - start:8.2f} s")


def measure_ask(owner: Any, repeat: int) -> None:
    """`ask`'s documents written for everyone, and a few typical questions (target under 300 ms)."""
    from kithkin.finder.index import refresh_documents
    from kithkin.finder.services import ask

    start = time.perf_counter()
    written = refresh_documents(owner)
    print(f"  ask: every document        {time.perf_counter() - start:8.1f} s   ({written:,} people)")
    for question in (
        "who do I know in fintech in Berlin who could advise on hiring",
        "engineers in London",
        "who is looking for a co-founder",
        "chess",
    ):
        samples = timed(functools.partial(ask, owner, question), repeat)
        print(f"  ask {question[:22]!r:26} {summary(samples)}   (target < 300 ms)")


def measure_strengths(owner: Any, person_id: int, repeat: int) -> None:
    """Every strength worked out from scratch (target under 10 s at 30,000 people), and one
    person's after a touch is logged (target under 20 ms), for the person with 500 touches."""
    from kithkin.core import clock
    from kithkin.interactions.models import TouchParticipant
    from kithkin.interactions.services import log_touch
    from kithkin.network.services import refresh_strengths
    from kithkin.people.models import Person

    touches = TouchParticipant.objects.for_owner(owner).count()
    samples = timed(lambda: refresh_strengths(owner, None), min(repeat, 3))
    print(f"  all strengths from scratch {statistics.median(samples):7.2f} s    ({touches:,} touches; target < 10 s)")
    print(f"  one strength (500 touches) {summary(timed(lambda: refresh_strengths(owner, [person_id]), repeat))}")
    person = Person.objects.for_owner(owner).get(pk=person_id)
    print(
        f"  log a touch, with strength {summary(timed(lambda: log_touch(owner, [person], 'call', clock.now()), repeat))}"
    )
    print(f"  {'':27}(target < 5 ms to log a touch)")


# Runs a command (argv[2:], its stderr to argv[1]) and prints its peak resident memory in KiB.
PEAK_OF = """
import os, subprocess, sys
with open(sys.argv[1], "w") as errors:
    process = subprocess.Popen(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=errors)
    _, status, usage = os.wait4(process.pid, 0)
print(usage.ru_maxrss)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def measure_backups(owner: Any) -> None:
    """The JSON export, written as it is read by a `kithkin export json --out` process (its
    time and peak memory: target under 10 s and 300 MB at 30,000 people), the SQLite backup,
    and both restored into new data directories (each a fresh `kithkin restore` process),
    checking that an export of the restored network holds the same data."""
    from kithkin.exports.backup import backup_database

    def run(args: list[str], env: dict[str, str] | None = None) -> int:
        """Run a command quietly; its peak resident memory in bytes. Through a small Python process
        of its own: Linux keeps a process's peak across exec, so a command started straight from
        this one (hundreds of MB after building the network) would report this one's peak."""
        done = subprocess.run(
            [sys.executable, "-c", PEAK_OF, str(work / "stderr"), *args], env=env, capture_output=True, text=True
        )
        if done.returncode:
            sys.stderr.write((work / "stderr").read_text())
            raise subprocess.CalledProcessError(done.returncode, args)
        return int(done.stdout) * 1024  # Linux counts ru_maxrss in KiB

    def data_of(path: Path) -> bytes:
        # The document's text up to its "format" key: "data" comes first (keys sorted) and no
        # row can hold the top-level ',"format":', the last one; the "user" after it may differ.
        text = path.read_bytes()
        return text[: text.rindex(b',"format":')]

    with tempfile.TemporaryDirectory(prefix="kithkin-bench-backup-") as folder:
        work = Path(folder)
        exported = work / "export.json"
        start = time.perf_counter()
        peak = run([KITHKIN, "export", "json", "--out", str(exported)])
        print(f"  {'JSON export (whole network)':<27}{time.perf_counter() - start:8.1f} s", flush=True)
        print(
            f"  {'':27}({exported.stat().st_size / 1e6:,.1f} MB, peak memory {peak / 1e6:,.0f} MB;"
            " target < 10 s and < 300 MB at 30,000 people)"
        )
        once("backup (SQLite online API)", lambda: backup_database(work / "backup.sqlite3", owner))
        for name in ("export.json", "backup.sqlite3"):
            env = {**os.environ, "KITHKIN_DATA_DIR": str(work / f"restored-{name}")}
            start = time.perf_counter()
            peak = run([KITHKIN, "restore", str(work / name)], env)
            print(f"  {f'restore {name}':<27}{time.perf_counter() - start:8.1f} s   (peak memory {peak / 1e6:,.0f} MB)")
            again = work / f"again-{name}.json"
            run([KITHKIN, "export", "json", "--out", str(again)], env)
            print(f"  {'':27}(export after restore identical: {data_of(again) == data_of(exported)})")
            again.unlink()


def linkedin_csv(size: int, seed: int = 7, moved_every: int = 0) -> bytes:
    """A LinkedIn Connections.csv of ``size`` made-up connections, in the 2024 layout. With
    ``moved_every``, every so many of them has a new position (the same file a year later)."""
    import csv
    import io
    import random

    from kithkin.demo import FIRST, LAST, TITLES, organization_name
    from kithkin.lib.search import fold

    rng = random.Random(seed)
    text = io.StringIO()
    text.write(
        'Notes:\n"When exporting your connection data, you may notice that some of the email addresses are missing."\n\n'
    )
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"])
    for i in range(size):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        org = organization_name(rng)
        day = f"{rng.randint(1, 28):02d} {rng.choice(['Jan', 'Mar', 'Jun', 'Sep', 'Nov'])} {rng.randint(2012, 2025)}"
        email = fold(f"{first}.{last}.{i}@example.com").replace(" ", "") if i % 10 == 0 else ""
        url = f"https://www.linkedin.com/in/{first}-{last}-{i:05d}".lower()
        title = rng.choice(TITLES)
        if moved_every and i % moved_every == 0:
            org, title = f"{org} Labs", f"Senior {title}"
        writer.writerow([first, last, url, email, org, title, day])
    return text.getvalue().encode("utf-8")


def once(label: str, fn: Callable[[], object]) -> object:
    start = time.perf_counter()
    result = fn()
    print(f"  {label:<27}{time.perf_counter() - start:8.1f} s", flush=True)
    return result


def measure_files(owner: Any, size: int) -> None:
    """Exports of the demo network, then an import of as many LinkedIn connections into it."""
    from kithkin.exports.services import export_csv, export_vcard, select_people
    from kithkin.imports.services import import_file, undo_import

    people = select_people(owner)
    vcf = once(f"vCard export of {size:,}", lambda: export_vcard(owner, people))
    print(f"  {'':27}({len(str(vcf).encode()) / 1e6:,.1f} MB)")
    once(f"CSV export of {size:,}", lambda: export_csv(owner, people))
    measure_backups(owner)
    data = linkedin_csv(size)
    first = once(f"LinkedIn import, {size:,} rows", lambda: import_file(owner, "linkedin", data, "Connections.csv"))
    counts = f"{first.created:,} new, {first.updated:,} updated, {len(first.plan.skipped):,} skipped"  # type: ignore[attr-defined]
    print(f"  {'':27}({counts}; target < 8 s at 30,000)")
    again = once("LinkedIn re-import", lambda: import_file(owner, "linkedin", data, "Connections.csv"))
    print(f"  {'':27}({again.plan.counts()['unchanged']:,} unchanged, import recorded: {again.import_id is not None})")  # type: ignore[attr-defined]
    later = linkedin_csv(size, moved_every=3)
    moved = once("LinkedIn, a year later", lambda: import_file(owner, "linkedin", later, "Connections.csv"))
    print(f"  {'':27}({moved.updated:,} with a new role, {moved.created:,} new; target < 8 s at 30,000)")  # type: ignore[attr-defined]
    undo = once("undo that import", lambda: undo_import(owner, moved.import_id))  # type: ignore[attr-defined]
    print(f"  {'':27}({undo.people_restored:,} restored)")  # type: ignore[attr-defined]


def measure_ties(owner: Any, repeat: int) -> tuple[int, int]:
    """Every tie between people found from scratch (target under 30 s at 30,000 people), and the
    warm paths to a prospect and into the organization with the most people (under 200 ms each).
    Returns the prospect's and the organization's ids, for their pages."""
    from django.db.models import Count

    from kithkin.network.models import Tie
    from kithkin.network.paths import paths_to_organization, paths_to_person
    from kithkin.network.ties import refresh_ties
    from kithkin.people.models import Organization, Person

    samples = timed(lambda: refresh_ties(owner, None), min(repeat, 3))
    ties = Tie.objects.for_owner(owner).count()
    print(f"  all ties from scratch      {statistics.median(samples):7.2f} s    ({ties:,} ties; target < 30 s)")
    org = Organization.objects.for_owner(owner).annotate(n=Count("people")).order_by("-n", "id").first()
    assert org is not None
    prospect = Person.objects.for_owner(owner).filter(is_prospect=True, organization=org).first() or (
        Person.objects.for_owner(owner).filter(is_prospect=True).exclude(organization=None).order_by("id").first()
    )
    assert prospect is not None
    found = len(paths_to_person(owner, prospect))
    print(f"  path to a prospect         {summary(timed(lambda: paths_to_person(owner, prospect), repeat))}")
    print(f"  {'':27}({found} paths; target < 200 ms)")
    found = len(paths_to_organization(owner, org))
    print(f"  path into an organization  {summary(timed(lambda: paths_to_organization(owner, org), repeat))}")
    print(f"  {'':27}({org.name}, {org.n} people, {found} paths; target < 200 ms)")
    return prospect.pk, org.pk


def mailbox_messages(count: int, network: list[str], seed: int = 3) -> tuple[list[Any], list[Any]]:
    """A mailbox of ``count`` messages over two years, as (raw, received) pairs for the sent
    folder and the inbox, oldest first: threads with people of the network (about a fifth),
    two thousand other correspondents (some answering), and newsletters and robots (a quarter)."""
    import random
    from datetime import timedelta

    from kithkin.core import clock
    from kithkin.testing_mail import message

    rng = random.Random(seed)
    me = "ana@example.com"
    strangers = [f"Person {n} <person{n}@example{n % 50}.org>" for n in range(2000)]
    sent: list[Any] = []
    inbox: list[Any] = []
    start = clock.now() - timedelta(days=730)
    n = 0
    while n < count:
        at = start + timedelta(seconds=rng.randrange(730 * 86400))
        kind = rng.random()
        if kind < 0.25:  # a newsletter or a robot: one message
            headers = {"List-Unsubscribe": "<https://news.example/u>"} if kind < 0.15 else {}
            sender = "News <news@shop.example>" if kind < 0.15 else "noreply@github.com"
            inbox.append((message(sender, me, at, message_id=f"b{n}@x", headers=headers), at))
            n += 1
            continue
        other = rng.choice(network) if kind < 0.45 else rng.choice(strangers)
        thread: list[str] = []
        for step in range(rng.randint(1, 4)):
            mid = f"t{n}-{step}@example.com"
            mine = (step % 2 == 0) == (kind < 0.7)
            raw = message(me if mine else other, other if mine else me, at, message_id=mid, replying_to=thread)
            (sent if mine else inbox).append((raw, at))
            thread.append(mid)
            at += timedelta(minutes=rng.randint(5, 600))
            n += 1
    sent.sort(key=lambda item: item[1])
    inbox.sort(key=lambda item: item[1])
    return sent, inbox


def measure_mail(count: int) -> None:
    """A mailbox of ``count`` messages (both folders) in a real Dovecot on 127.0.0.1, synced
    (target under 2 minutes at 50,000), synced again with nothing new (target under 5 s), and
    read again whole after its UIDVALIDITY changed, under tracemalloc: the peak of memory the
    sync's Python objects took, beside that of a read of a tenth of the mailbox (flat: about the
    same; it should not grow with the mailbox)."""
    import tracemalloc
    from datetime import timedelta

    from kithkin.accounts.services import get_or_create_local_owner
    from kithkin.capture.mail import add_mail_account, sync_source
    from kithkin.core import clock
    from kithkin.core.scopes import owner_scope
    from kithkin.demo import build_demo_network
    from kithkin.people.models import Email
    from kithkin.testing_mail import imap_server

    owner = get_or_create_local_owner()
    with owner_scope(owner), tempfile.TemporaryDirectory(prefix="kithkin-bench-mail-") as folder:
        build_demo_network(owner, people=1000, seed=1)
        network = list(Email.objects.for_owner(owner).values_list("address", flat=True)[:300])
        sent, inbox = mailbox_messages(count, network)
        try:
            server_context = imap_server(Path(folder), username="ana@example.com")
            server = server_context.__enter__()
        except BaseException as exc:  # pytest.skip outside pytest: no Dovecot here
            print(f"  mail sync                  skipped: {exc}")
            return
        try:
            start = time.perf_counter()
            server.add_many("Sent", sent)
            server.add_many("INBOX", inbox)
            print(
                f"  {'mailbox written (maildir)':<27}{time.perf_counter() - start:8.1f} s"
                f"   ({len(sent):,} sent, {len(inbox):,} received)",
                flush=True,
            )
            del sent, inbox
            source = add_mail_account(
                owner, host=server.host, port=server.port, username=server.username, password=server.password,
                security="plain",
            )  # fmt: skip
            now = clock.now()
            start = time.perf_counter()
            synced = sync_source(owner, source, now=now)
            took = time.perf_counter() - start
            assert not synced.error, synced.error
            print(f"  {f'mail sync, {count:,} messages':<27}{took:8.1f} s   (target < 120 s)", flush=True)
            print(f"  {'':27}({synced.counts})")
            start = time.perf_counter()
            again = sync_source(owner, source, now=now)
            took = time.perf_counter() - start
            print(
                f"  {'mail sync, nothing new':<27}{took:8.2f} s   (target < 5 s; read {again.counts['messages_read']})"
            )

            def peak(**kwargs: Any) -> tuple[int, int]:
                tracemalloc.start()
                read = sync_source(owner, source, now=now, **kwargs).counts["messages_read"]
                _, top = tracemalloc.get_traced_memory()
                tracemalloc.stop()
                return read, top

            tenth = (now - timedelta(days=73)).date()
            read_some, some = peak(since=tenth)
            server.reset_uidvalidity("Sent")
            server.reset_uidvalidity("INBOX")
            read_all, whole = peak()
            print(
                f"  {'mail sync, peak memory':<27}{whole / 1e6:8.1f} MB  reading {read_all:,} messages again"
                f" (UIDVALIDITY changed); {some / 1e6:.1f} MB reading {read_some:,} (target: flat)"
            )
        finally:
            server_context.__exit__(None, None, None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,30000")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--only", choices=["mail"], help="Measure only this (mail: the IMAP sync).")
    parser.add_argument("--mail-messages", type=int, default=50_000, help="The size of the mailbox synced.")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-mail", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        measure(args.child, args.repeat)
        return
    if args.child_mail:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kithkin.settings")
        from kithkin.cli.main import boot

        boot()
        measure_mail(args.child_mail)
        return
    for size in (int(s) for s in args.sizes.split(",")) if args.only is None else ():
        print(f"\n{size:,} people (SQLite)", flush=True)
        with tempfile.TemporaryDirectory(prefix="kithkin-bench-") as data_dir:
            # Commands run along the way start no warm process: measure_cli starts its own.
            env = {**os.environ, "KITHKIN_DATA_DIR": data_dir, "KITHKIN_WARM": "off"}
            env.setdefault("KITHKIN_API_RATE", "100000/min")  # the API's own limit would be measured
            env.pop("DATABASE_URL", None)
            subprocess.run(
                [sys.executable, __file__, "--child", str(size), "--repeat", str(args.repeat)],
                check=True,
                env=env,
                cwd=ROOT,
            )
    print("\nmail capture (IMAP, Dovecot on 127.0.0.1, SQLite)", flush=True)
    with tempfile.TemporaryDirectory(prefix="kithkin-bench-") as data_dir:
        env = {**os.environ, "KITHKIN_DATA_DIR": data_dir, "KITHKIN_WARM": "off"}
        env.pop("DATABASE_URL", None)
        subprocess.run(
            [sys.executable, __file__, "--child-mail", str(args.mail_messages)], check=True, env=env, cwd=ROOT
        )
    print(json.dumps({"note": "figures are wall-clock times on this machine; see README for targets"}))


if __name__ == "__main__":
    main()
