"""The package carries no dead code, no name with two meanings and no reference to files it does not ship."""
from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted((ROOT / "symml").rglob("*.py"))


def _module_level_functions(path: Path) -> list[ast.FunctionDef]:
    return [node for node in ast.parse(path.read_text()).body if isinstance(node, ast.FunctionDef)]


def test_every_private_function_is_used_in_its_module():
    # a registered implementation (decorated) is used by its registry; anything else must be called or referenced
    unused = [f"{path.relative_to(ROOT)}: {node.name}" for path in SOURCES for node in _module_level_functions(path)
              if node.name.startswith("_") and not node.name.startswith("__") and not node.decorator_list
              and len(re.findall(rf"\b{re.escape(node.name)}\b", path.read_text())) < 2]
    assert unused == []


def test_parameters_of_has_one_meaning():
    # the parameters of a sympy.stats random variable (symml.mle.families); the matrix side says scalar_inputs_of
    defined = [str(path.relative_to(ROOT)) for path in SOURCES for node in _module_level_functions(path)
               if node.name == "parameters_of"]
    assert defined == ["symml/mle/families.py"]

def test_docstrings_cite_only_files_in_the_repository():
    cited = {(str(path.relative_to(ROOT)), name) for path in SOURCES
             for name in re.findall(r"\b[A-Z][A-Z_]+\.md\b", path.read_text())}
    assert {(path, name) for path, name in cited if not (ROOT / name).exists()} == set()


def test_random_inputs_come_from_one_generator():
    # positive-definite and near-identity draws are made by symml.testing.random_spd / random_matrix only
    construction = re.compile(r"@ *\w+\.T( */ *\w+)? *\+ *np\.eye|np\.eye\(\w+\) *\+ *0\.3")
    places = [*SOURCES, *(ROOT / "tests").glob("*/cases.py")]
    found = [str(path.relative_to(ROOT)) for path in places if construction.search(path.read_text())]
    assert found == ["symml/testing.py"]
