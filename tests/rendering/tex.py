"""pdflatex and pdftoppm for the tests: compile a LaTeX document, read its log, render a page to PNG."""
from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

#: Warnings that mean a glyph is missing from the PDF (pdflatex) or was refused (inputenc).
MISSING_GLYPH = ("Missing character", "Unicode character")


@dataclass(frozen=True)
class Compiled:
    """A compiled document: its PDF (None if pdflatex failed) and its log."""

    pdf: Path | None
    log: str

    def missing_glyphs(self) -> list[str]:
        return [line for line in self.log.splitlines() if any(w in line for w in MISSING_GLYPH)]


def require_tex() -> None:
    """Skip loudly when pdflatex or pdftoppm is absent; in CI (``CI`` set) that is a failure."""
    missing = [tool for tool in ("pdflatex", "pdftoppm") if shutil.which(tool) is None]
    if missing:
        reason = (f"{' and '.join(missing)} not installed: apt-get install texlive-latex-base "
                  "texlive-latex-recommended texlive-fonts-recommended poppler-utils (as .ci/run does)")
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


def start(source: str, folder: Path, name: str = "document") -> subprocess.Popen:
    """Start pdflatex on ``source`` in ``folder``; :func:`finish` waits for it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.tex").write_text(source, encoding="utf-8")
    return subprocess.Popen(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", f"{name}.tex"], cwd=folder,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def finish(process: subprocess.Popen, folder: Path, name: str = "document") -> Compiled:
    status = process.wait(timeout=120)
    log = (folder / f"{name}.log").read_text(encoding="latin-1") if (folder / f"{name}.log").exists() else ""
    pdf = folder / f"{name}.pdf"
    return Compiled(pdf if status == 0 and pdf.exists() else None, log)


def first_page_png(pdf: Path, resolution: int = 50) -> Path:
    """Render the first page of ``pdf`` to PNG with pdftoppm; returns the PNG's path."""
    stem = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", str(resolution), "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(stem)], check=True, timeout=60)
    return stem.with_suffix(".png")
