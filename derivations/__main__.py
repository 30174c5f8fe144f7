"""``python -m derivations --out notes/`` (or ``symml catalog --out notes/``): write the catalog's notes
(Markdown and LaTeX) to a folder."""
from __future__ import annotations

import argparse
import sys
from typing import Sequence

from derivations import entry_names, write_notes, write_pdf


def main(argv: Sequence[str] | None = None, prog: str = "python -m derivations") -> int:
    """Run the command; returns the exit status (2 with a one-line message for a symml error).

    ``prog`` names the command in the help and in error messages (``symml catalog`` forwards here).
    """
    from symml.errors import SymmlError

    parser = argparse.ArgumentParser(prog=prog, description="Write the notes of the catalog.")
    parser.add_argument("--out", default="notes", help="output folder (default: notes)")
    parser.add_argument("--only", nargs="+", metavar="ENTRY", help="entries to write (default: all)")
    parser.add_argument("--list", action="store_true", help="list the entries and stop")
    parser.add_argument("--pdf", metavar="OUT.pdf", help="write the catalog as one PDF of lecture notes (pdflatex)")
    arguments = parser.parse_args(argv)
    if arguments.list:
        print("\n".join(entry_names()))
        return 0
    try:
        if arguments.pdf:
            print(f"wrote {write_pdf(arguments.pdf, arguments.only)}")
            return 0
        written = write_notes(arguments.out, arguments.only)
    except (SymmlError, KeyError, FileNotFoundError, RuntimeError) as error:
        print(f"derivations: error: {error.args[0]}", file=sys.stderr)
        return 2
    print(f"wrote {len(written)} files to {arguments.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
