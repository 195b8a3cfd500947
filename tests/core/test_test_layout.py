"""The tests' own layout (STYLE rule 20): test modules share code only through tests/helpers, never by importing
each other or a conftest, and PostgreSQL runs the core tests marked both_engines rather than copies of them."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
MODULES = sorted(p for p in TESTS.rglob("*.py") if "helpers" not in p.parts and "fixtures" not in p.parts)


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_test_modules_import_only_the_helpers_from_tests():
    local = {"conftest", "tests"} | {path.stem for path in MODULES}
    borrowed = {
        str(path.relative_to(TESTS)): sorted(name for name in imported_modules(path)
                                             if name.split(".")[0] in local and not name.startswith("tests.helpers"))
        for path in MODULES
    }
    assert {module: names for module, names in borrowed.items() if names} == {}, "move what they borrow into tests/helpers"
