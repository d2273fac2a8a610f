"""`python benchmarks/ask_eval.py`: `kithkin ask` measured on a network of its own, in a fresh
SQLite data directory: precision at 5 of each question and over all (printed, never asserted;
kithkin/finder/tests/test_evaluation.py holds the floor). Kept so that another way of matching
(an embedding model, say) can be compared on the same questions. With the semantic extra installed
(`make test-semantic` makes .venv-semantic), it measures words alone, meaning alone, and both:

    python benchmarks/ask_eval.py [--seed 15] [--people 120] [--verbose]
    KITHKIN_SEMANTIC=auto .venv-semantic/bin/python benchmarks/ask_eval.py
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import User

ROOT = Path(__file__).resolve().parent.parent


def measure(seed: int, people: int, verbose: bool) -> None:
    """Runs in a child process whose KITHKIN_DATA_DIR is a fresh directory."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kithkin.settings")
    from kithkin.cli.main import boot

    boot()
    from kithkin.accounts.services import get_or_create_local_owner
    from kithkin.core import clock
    from kithkin.core.scopes import owner_scope
    from kithkin.finder import semantic
    from kithkin.finder.tests.evaluation import (
        asked_names,
        build,
        closest_names,
        evaluate,
        facts,
        paraphrases,
        questions,
    )

    owner = get_or_create_local_owner()
    with owner_scope(owner):
        network = facts(seed, people)
        build(owner, network, clock.now(), seed)
        ways: list[tuple[str, semantic.Embedder | None, Callable[[User, str, int], list[str]]]]
        ways = [("words", None, asked_names)]
        model = semantic.embedder()
        if model is not None:
            semantic.embed_missing(owner, model, budget=None)
            ways += [("meaning alone", model, closest_names), ("words and meaning", model, asked_names)]
        else:
            print(f"(matching by meaning is off: {semantic.INSTALL}, and KITHKIN_SEMANTIC not off)\n")
        for title, asked in (("the questions", questions(network)), ("the paraphrases", paraphrases(network))):
            print(f"{title}: {len(asked)}, over {len(network)} people")
            for way, chosen, answer in ways:
                with semantic.using(chosen):
                    answer(owner, "warm up", 1)
                    start = time.perf_counter()
                    scored = evaluate(owner, network, asked=asked, answer=answer)
                    took = time.perf_counter() - start
                precision = sum(s.precision for s in scored) / len(scored)
                print(f"  {way:18} precision at 5: {precision:.3f}  ({took / len(scored) * 1000:.0f} ms a question)")
                if verbose:
                    for s in scored:
                        print(f"      {s.precision:4.2f}  ({s.relevant:2} to find)  {s.question}")
            print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--people", type=int, default=120)
    parser.add_argument("--verbose", action="store_true", help="each question's precision too")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        measure(args.seed, args.people, args.verbose)
        return
    with tempfile.TemporaryDirectory(prefix="kithkin-ask-eval-") as data_dir:
        env = {**os.environ, "KITHKIN_DATA_DIR": data_dir}
        env.pop("DATABASE_URL", None)
        command = [sys.executable, __file__, "--child", "--seed", str(args.seed), "--people", str(args.people)]
        command += ["--verbose"] if args.verbose else []
        subprocess.run(command, check=True, env=env, cwd=ROOT)


if __name__ == "__main__":
    main()
