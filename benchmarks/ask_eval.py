"""`python benchmarks/ask_eval.py`: `kithkin ask` measured on a network of its own, in a fresh
SQLite data directory: precision at 5 of each question and over all (printed, never asserted;
kithkin/finder/tests/test_evaluation.py holds the floor). Kept so that another way of matching
(an embedding model, say) can be compared on the same questions.

    python benchmarks/ask_eval.py [--seed 15] [--people 120]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure(seed: int, people: int) -> None:
    """Runs in a child process whose KITHKIN_DATA_DIR is a fresh directory."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kithkin.settings")
    from kithkin.cli.main import boot

    boot()
    from kithkin.accounts.services import get_or_create_local_owner
    from kithkin.core import clock
    from kithkin.core.scopes import owner_scope
    from kithkin.finder.tests.evaluation import build, evaluate, facts

    owner = get_or_create_local_owner()
    with owner_scope(owner):
        network = facts(seed, people)
        build(owner, network, clock.now(), seed)
        start = time.perf_counter()
        scored = evaluate(owner, network)
        took = time.perf_counter() - start
    for s in scored:
        print(f"  {s.precision:4.2f}  ({s.relevant:2} to find)  {s.question}")
    precision = sum(s.precision for s in scored) / len(scored)
    print(f"\nprecision at 5: {precision:.3f} over {len(scored)} questions, {len(network)} people")
    print(f"({took / len(scored) * 1000:.0f} ms a question)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--people", type=int, default=120)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        measure(args.seed, args.people)
        return
    with tempfile.TemporaryDirectory(prefix="kithkin-ask-eval-") as data_dir:
        env = {**os.environ, "KITHKIN_DATA_DIR": data_dir}
        env.pop("DATABASE_URL", None)
        command = [sys.executable, __file__, "--child", "--seed", str(args.seed), "--people", str(args.people)]
        subprocess.run(command, check=True, env=env, cwd=ROOT)


if __name__ == "__main__":
    main()
