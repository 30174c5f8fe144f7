"""Render the derivations shown in docs/typography.md to small PNG images under docs/img/ (pdflatex, pdftoppm).

    python docs/typography_images.py

Each image is the derivation's own LaTeX (the steps listed below), compiled on a narrow page and cropped to its
content, so the document shows exactly what ``Derivation.latex()`` typesets.
"""
from __future__ import annotations

import dataclasses
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from derivations import build  # noqa: E402

IMAGES = Path(__file__).parent / "img"
#: image name -> (catalog entry, titles of the steps to show)
SHOWN = {
    "normal": ("mle.normal", ("Model", "Score equations", "Solve", "Second-order check")),
    "bernoulli": ("mle.bernoulli", ("Model", "Log-likelihood", "Solve")),
    "gamma_shape": ("mle.gamma_shape", ("Model", "Score equations", "No closed form: stationarity equations")),
    "logistic_hessian": ("matrix.logistic_hessian", ("Function", "Gradient", "Read off")),
    "ridge": ("matrix.ridge_solution", ("Function", "Gradient", "Collect the terms in the unknown", "Solve")),
}
_PAGE = r"""\documentclass{article}
\usepackage{amsmath,amssymb}
\usepackage[paperwidth=15.5cm,paperheight=40cm,margin=0.4cm]{geometry}
\pagestyle{empty}
\begin{document}
%s
\end{document}
"""


def _content_box(pgm: Path) -> tuple[int, int, int, int]:
    """(x, y, width, height) of the non-white pixels of a binary PGM, with a small margin."""
    data = pgm.read_bytes()
    header = data.split(b"\n", 3)
    width, height = map(int, header[1].split())
    pixels = np.frombuffer(header[3], dtype=np.uint8)[: width * height].reshape(height, width)
    rows, columns = np.nonzero(pixels < 200)
    top, bottom = max(rows.min() - 6, 0), min(rows.max() + 6, height)
    left, right = max(columns.min() - 6, 0), min(columns.max() + 6, width)
    return int(left), int(top), int(right - left), int(bottom - top)


def render(name: str, entry: str, titles: tuple[str, ...], resolution: int = 110) -> Path:
    derivation = build(entry)
    steps = tuple(s for s in derivation.steps if s.title in titles)
    shown = dataclasses.replace(derivation, steps=steps, summary=(), assumptions=(), remarks=())
    with tempfile.TemporaryDirectory() as folder:
        tex = Path(folder) / "page.tex"
        tex.write_text(_PAGE % shown.latex(), encoding="utf-8")
        subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "page.tex"], cwd=folder,
                       check=True, capture_output=True)
        pdf = Path(folder) / "page.pdf"
        subprocess.run(["pdftoppm", "-gray", "-r", str(resolution), "-singlefile", str(pdf),
                        str(Path(folder) / "page")], check=True)
        x, y, w, h = _content_box(Path(folder) / "page.pgm")
        out = IMAGES / f"{name}.png"
        subprocess.run(["pdftoppm", "-png", "-gray", "-r", str(resolution), "-singlefile", "-x", str(x), "-y", str(y),
                        "-W", str(w), "-H", str(h), str(pdf), str(out.with_suffix(""))], check=True)
    return out


if __name__ == "__main__":
    IMAGES.mkdir(exist_ok=True)
    for image, (entry, titles) in SHOWN.items():
        path = render(image, entry, titles)
        print(f"{path}: {path.stat().st_size // 1024} KB")
