"""The catalog of worked derivations: one small module per derivation, each defining ``derivation()``.

Entries are discovered, not listed: every module under this package, at any depth, that defines a callable
``derivation`` returning a :class:`symml.Derivation` is an entry, named by its dotted path below the package
(``mle.normal``). A new kind of derivation adds a sub-package with its modules and nothing else.

    python -m derivations --out notes/      # notes/mle/normal.md, notes/mle/normal.tex, ..., notes/index.md
    python -m derivations --list
"""
from __future__ import annotations

import functools
import importlib
import pkgutil
from pathlib import Path
from types import ModuleType
from typing import Any, Iterable

__all__ = ["entry_names", "entry", "build", "write_notes"]


def entry_names() -> tuple[str, ...]:
    """The names of the catalog's entries, sorted (``("mle.bernoulli", ..., "mle.weibull_shape")``)."""
    names = []
    for module in pkgutil.walk_packages(__path__, prefix=f"{__name__}."):
        if module.ispkg or module.name.rsplit(".", 1)[-1].startswith("_"):
            continue
        if callable(getattr(importlib.import_module(module.name), "derivation", None)):
            names.append(module.name[len(__name__) + 1 :])
    return tuple(sorted(names))


def entry(name: str) -> ModuleType:
    """The module of the entry ``name`` (its docstring describes the derivation; ``derivation()`` builds it)."""
    if name not in entry_names():
        raise KeyError(f"no catalog entry {name!r}; the entries are: {', '.join(entry_names())}")
    return importlib.import_module(f"{__name__}.{name}")


@functools.lru_cache(maxsize=None)
def build(name: str) -> Any:
    """The :class:`symml.Derivation` of the entry ``name``, built once (derivations are immutable)."""
    return entry(name).derivation()


def write_notes(out: Path | str, names: Iterable[str] | None = None) -> list[Path]:
    """Write ``<out>/<entry path>.md`` and ``.tex`` (a complete document) for each entry, and ``<out>/index.md``.

    Args:
        out: the output folder (created if missing).
        names: the entries to write (default: all).

    Returns:
        the paths written, the index last.
    """
    out = Path(out)
    written: list[Path] = []
    lines = ["# Worked derivations", ""]
    for name in names if names is not None else entry_names():
        module = entry(name)
        derivation = build(name)
        stem = out.joinpath(*name.split("."))
        stem.parent.mkdir(parents=True, exist_ok=True)
        for suffix, text in ((".md", derivation.markdown()), (".tex", derivation.latex(document=True))):
            path = stem.with_suffix(suffix)
            path.write_text(text + "\n", encoding="utf-8")
            written.append(path)
        summary = (module.__doc__ or derivation.title).strip().splitlines()[0]
        relative = "/".join(name.split("."))
        lines.append(f"- [{derivation.title}]({relative}.md) ([LaTeX]({relative}.tex)): {summary}")
    out.mkdir(parents=True, exist_ok=True)
    index = out / "index.md"
    index.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return written + [index]
