"""The catalog of worked derivations: one small module per derivation, each defining ``derivation()``.

Entries are discovered, not listed: every module under this package, at any depth, that defines a callable
``derivation`` returning a :class:`symml.Derivation` is an entry, named by its dotted path below the package
(``mle.normal``). A new kind of derivation adds a sub-package with its modules and nothing else.

    python -m derivations --out notes/      # notes/mle/normal.md, notes/mle/normal.tex, ..., notes/index.md
    python -m derivations --list
    python -m derivations --pdf notes.pdf   # the whole catalog as one PDF of lecture notes (pdflatex)
"""
from __future__ import annotations

import functools
import importlib
import pkgutil
from pathlib import Path
from types import ModuleType
from typing import Any, Iterable

__all__ = ["entry_names", "entry", "build", "write_notes", "notes_latex", "write_pdf"]


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


#: The catalog's kinds, in the order of the notes: (sub-package, section heading, introduction).
_KINDS = (
    ("mle", "Maximum likelihood",
     "Each derivation writes the likelihood of an i.i.d. sample, takes logs, reduces the data to sample statistics "
     "and maximises: by the score equations, by the support, or, without a closed form, through the stationarity "
     "equations that numpy() solves."),
    ("matrix", "Matrix calculus",
     "Gradients, Hessians and stationary points derived at matrix level by the differential method, in "
     "denominator layout; each step names the rule it uses."),
)


def notes_latex(names: Iterable[str] | None = None) -> str:
    """The whole catalog (or ``names``) as one LaTeX document that reads like lecture notes: a table of contents
    and a section per kind of derivation."""
    from symml.render.latex import notes_document

    chosen = tuple(names if names is not None else entry_names())
    kinds = [kind for kind, _, _ in _KINDS]
    sections = [(heading, introduction, [build(n) for n in chosen if n.split(".")[0] == kind])
                for kind, heading, introduction in _KINDS]
    others = [n for n in chosen if n.split(".")[0] not in kinds]
    if others:
        sections.append(("Other derivations", "", [build(n) for n in others]))
    return notes_document("Worked derivations", [s for s in sections if s[2]])


def write_pdf(out: Path | str, names: Iterable[str] | None = None) -> Path:
    """Compile :func:`notes_latex` with pdflatex (twice, for the table of contents) into the PDF ``out``.

    Raises:
        FileNotFoundError: pdflatex is not installed (Debian: texlive-latex-base, texlive-latex-recommended).
        RuntimeError: pdflatex failed; the message has the end of its log.
    """
    import shutil
    import subprocess
    import tempfile

    pdflatex = shutil.which("pdflatex")
    if pdflatex is None:
        raise FileNotFoundError("pdflatex is not installed (Debian: apt-get install texlive-latex-base "
                                "texlive-latex-recommended texlive-fonts-recommended)")
    out = Path(out)
    source = notes_latex(names)
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "notes.tex").write_text(source, encoding="utf-8")
        for _ in range(2):
            run = subprocess.run([pdflatex, "-interaction=nonstopmode", "-halt-on-error", "notes.tex"], cwd=folder,
                                 capture_output=True, text=True, timeout=300)
            if run.returncode != 0:
                raise RuntimeError(f"pdflatex failed on the catalog notes:\n{run.stdout[-2000:]}")
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(Path(folder) / "notes.pdf", out)
    return out
