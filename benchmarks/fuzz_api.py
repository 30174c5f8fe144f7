"""Fuzz symml's public API with what a user might type, and classify every failure.

    OPENBLAS_NUM_THREADS=1 nice -n 10 python benchmarks/fuzz_api.py [--examples 40] [--timeout 60] [--seed 0]

Inputs come from the hypothesis strategies of ``fuzz_probes.py``: well-formed and malformed strings (unbalanced
braces, unknown functions, ``__import__('os')``, lambdas, attribute access, huge exponents, 1e400, deep nesting,
unicode, empty text), random expression trees, densities that do not normalise, sizes that are negative or zero,
shapes that do not conform, parameters not in the model, and data with NaN, inf, no entries, one entry, the wrong
dtype (object, complex, bool, strings) or integers too large for a double. They drive ``symml.derive.*``,
``symml.Model``, ``symml.mle``, ``symml.check``, the command line, and ``numpy()``, ``verify()``, ``latex()``,
``markdown()`` of what comes back.

Each call runs in a forked child process under a wall-clock limit (``--timeout``), and is classified:

- HANG: the child ran past the limit (it is killed).
- RAW: an exception that is not a :class:`symml.SymmlError` (a SymPy or NumPy traceback for the user).
- WRONG: a result that an independent numeric check refutes (finite differences in 30-digit arithmetic,
  ``numpy.mean``/``numpy.std``, a claim's truth known by construction).
- CODE: user text was executed (a payload creates a canary file).
- UNCLEAR: a SymmlError whose message is empty, huge, or shows internals (a traceback, ``object at 0x``).

The report gives the count per class and per entry point, and the shortest reproduction of each distinct failure
(same class, entry point and exception type). ``tests/test_robustness.py`` runs a small fixed sample of the same
probes in the suite.
"""
from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import symml  # noqa: E402  (after the path: run from a checkout)
from benchmarks.fuzz_inputs import CANARY  # noqa: E402
from benchmarks.fuzz_probes import PROBES, Case  # noqa: E402
from symml.errors import SymmlError  # noqa: E402


CLASSES = ("HANG", "RAW", "WRONG", "CODE", "UNCLEAR")


@dataclass(frozen=True)
class Outcome:
    case_api: str
    source: str
    klass: str  # one of CLASSES, "ok" or "refused" (a clear SymmlError)
    detail: str


# --- running one case: a forked child under a wall-clock limit -----------------------------------------------

def _child(case: Case, sender: Any) -> None:
    try:
        wrong = case.run()
        answer = ("WRONG", wrong) if wrong else ("ok", "")
    except SymmlError as error:
        message = str(error)
        answer = ("UNCLEAR", f"{type(error).__name__}: {message[:300]!r}") if _unclear(message) else \
            ("refused", f"{type(error).__name__}: {message[:200]}")
    except SystemExit as stop:  # argparse refusing a command line: a usage message and exit status 2
        answer = ("refused", f"SystemExit({stop.code})") if stop.code in (0, 1, 2) else ("RAW", f"SystemExit({stop.code})")
    except BaseException as error:  # noqa: BLE001 - classifying everything is the point
        frames = traceback.extract_tb(error.__traceback__)
        where = frames[-1]
        if not any(f"{os.sep}symml{os.sep}" in frame.filename for frame in frames):
            # raised before symml was called (sympy.stats refusing Normal("X", 0, -1) in the case's own code)
            answer = ("refused", f"by the caller's own code: {type(error).__name__}: {str(error)[:200]}")
        else:
                answer = ("RAW", f"{type(error).__module__}.{type(error).__name__}: {str(error)[:200]} "
                             f"[{Path(where.filename).name}:{where.lineno}]")
    if CANARY.exists():
        answer = ("CODE", f"the canary {CANARY} was created")
    sender.send(answer)
    sender.close()


def _unclear(message: str) -> bool:
    return (not message.strip() or len(message) > 2000 or "Traceback" in message or " object at 0x" in message
            or "_Expired" in message or "Dummy_" in message)


def run_case(case: Case, timeout: float) -> Outcome:
    """Run ``case`` in a forked child; HANG past ``timeout`` wall seconds."""
    CANARY.unlink(missing_ok=True)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(case, sender), daemon=True)
    child.start()
    sender.close()
    try:
        if receiver.poll(timeout):
            try:
                klass, detail = receiver.recv()
            except EOFError:
                klass, detail = "RAW", f"the process died (exit code {child.exitcode})"
        else:  # the CPU time it had used tells a hang from a slow call on a loaded machine
            klass, detail = "HANG", f"past {timeout:g} s wall, {_cpu_seconds(child.pid):.1f} s CPU"
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if CANARY.exists():
        klass, detail = "CODE", f"the canary {CANARY} was created"
    CANARY.unlink(missing_ok=True)
    return Outcome(case.api, case.source, klass, detail)


def _cpu_seconds(pid: int | None) -> float:
    """User plus system CPU seconds of a live process (Linux /proc), NaN where unknown."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return math.nan


# --- the run ------------------------------------------------------------------------------------------------

def fuzz(probe: str, examples: int, timeout: float, seed: int) -> list[Outcome]:
    """``examples`` cases of ``probe``, each run in a child process; their outcomes."""
    outcomes: list[Outcome] = []

    @settings(max_examples=examples, deadline=None, database=None, derandomize=seed == 0,
              phases=(Phase.generate,), suppress_health_check=list(HealthCheck))
    @given(PROBES[probe])
    def drive(case: Case) -> None:
        outcomes.append(run_case(case, timeout))

    if seed:
        drive = __import__("hypothesis").seed(seed)(drive)
    drive()
    return outcomes


def _warm_up() -> None:
    """Import every engine once in the parent, so each forked child starts with them loaded."""
    import symml.cli  # noqa: F401
    import symml.checker  # noqa: F401

    for name in symml.derive.__all__:
        getattr(symml.derive, name)


def report(outcomes: list[Outcome]) -> str:
    """Counts by class and entry point, and the shortest reproduction of each distinct failure."""
    lines = [f"{len(outcomes)} calls: " + ", ".join(f"{k} {v}" for k, v in
                                                    Counter(o.klass for o in outcomes).most_common())]
    by_api = Counter((o.case_api, o.klass) for o in outcomes if o.klass in CLASSES)
    for klass in CLASSES:
        failing = {api: count for (api, k), count in by_api.items() if k == klass}
        lines.append(f"{klass}: {sum(failing.values())}" + (f" ({', '.join(f'{a}: {c}' for a, c in failing.items())})"
                                                           if failing else ""))
    shortest: dict[tuple[str, str, str], Outcome] = {}
    for outcome in outcomes:
        if outcome.klass not in CLASSES:
            continue
        # one per exception type and place; a WRONG one per kind of refutation (its first two words)
        cause = outcome.detail.split()[0] if outcome.klass == "WRONG" else \
            outcome.detail.split(":")[0] + outcome.detail.split("[")[-1]
        signature = (outcome.klass, outcome.case_api, cause)
        if signature not in shortest or len(outcome.source) < len(shortest[signature].source):
            shortest[signature] = outcome
    lines.append("")
    for (klass, api, _), outcome in sorted(shortest.items()):
        lines.append(f"[{klass}] {api}\n    {outcome.source[:400]}\n    -> {outcome.detail[:400]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=40, help="cases per probe (default 40)")
    parser.add_argument("--timeout", type=float, default=60.0, help="wall seconds per call before HANG (default 60)")
    parser.add_argument("--seed", type=int, default=0, help="0: derandomized (the same cases every run)")
    parser.add_argument("--probe", action="append", choices=sorted(PROBES), help="only these probes (repeatable)")
    parser.add_argument("--verbose", action="store_true", help="print every call and its outcome")
    arguments = parser.parse_args(argv)
    _warm_up()
    outcomes: list[Outcome] = []
    for probe in arguments.probe or PROBES:
        started = time.monotonic()
        found = fuzz(probe, arguments.examples, arguments.timeout, arguments.seed)
        outcomes += found
        for outcome in found if arguments.verbose else ():
            print(f"  {outcome.klass}: {outcome.source[:150]} -> {outcome.detail[:150]}")
        failures = Counter(o.klass for o in found if o.klass in CLASSES)
        print(f"{probe}: {len(found)} calls in {time.monotonic() - started:.0f} s, failures {dict(failures)}",
              flush=True)
    print()
    print(report(outcomes))
    return 1 if any(o.klass in CLASSES for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
