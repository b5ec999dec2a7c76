"""The apps import in one direction, the kernel imports no app, and imports sit at module level.

STYLE.md rule 13 and DESIGN.md's Layout, checked on the source (``ast``, nothing is imported):
accounts → orgs → wells → files → timeline, each importing only the apps before it and the
kernel ``welltrack/``; the kernel imports no app except its shell (settings, root urls, API
root, wsgi, the test helpers); an import inside a function is one of ALLOWED_INSIDE_FUNCTIONS,
each with its reason and a comment on its line.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
APPS = ("accounts", "orgs", "wells", "files", "timeline")  # each may import only those before it
KERNEL = "welltrack"
SHELL = {"welltrack/settings.py", "welltrack/urls.py", "welltrack/api.py", "welltrack/wsgi.py", "welltrack/testing.py"}

# (module, what it imports) -> why the import cannot be at module level.
ALLOWED_INSIDE_FUNCTIONS = {
    ("files/apps.py", "files"): (
        "AppConfig.ready() connects the files area's signal receivers once the app registry is "
        "loaded; importing the services when apps.py is imported would load every app's models first"
    ),
    ("timeline/apps.py", "timeline"): (
        "AppConfig.ready() connects timeline's receiver of accounts.signals.password_changed (which "
        "revokes the user's .ics links) once the app registry is loaded, as files/apps.py does"
    ),
}


def is_production(path: str) -> bool:
    parts = Path(path).parts
    return not (
        "tests" in parts or "migrations" in parts or "bench" in parts or parts[-1] in ("testing.py", "conftest.py")
    )


def production_modules() -> list[str]:
    found = []
    for package in (*APPS, KERNEL):
        for file in sorted((BASE_DIR / package).rglob("*.py")):
            path = file.relative_to(BASE_DIR).as_posix()
            if is_production(path):
                found.append(path)
    return found


class _Import:
    def __init__(self, module: str, line: int, inside_function: bool, commented: bool) -> None:
        self.module, self.line, self.inside_function, self.commented = module, line, inside_function, commented


def imports_of(path: str, source: str) -> list[_Import]:
    """Every import statement of a module: what it imports (``from X import y`` imports X;
    relative imports resolved), its line, whether it is inside a function, whether its
    lines carry a comment."""
    tree = ast.parse(source, filename=path)
    lines = source.splitlines()
    package = Path(path).parts[:-1]
    found: list[_Import] = []

    def commented(node: ast.stmt) -> bool:
        return any("#" in lines[n - 1] for n in range(node.lineno, (node.end_lineno or node.lineno) + 1))

    def visit(node: ast.AST, inside_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                for alias in child.names:
                    found.append(_Import(alias.name, child.lineno, inside_function, commented(child)))
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = list(package[: len(package) - (child.level - 1)])
                    module = ".".join([*base, *([child.module] if child.module else [])])
                else:
                    module = child.module or ""
                found.append(_Import(module, child.lineno, inside_function, commented(child)))
            visit(child, inside_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))

    visit(tree, False)
    return found


def violations(path: str, source: str) -> set[tuple[str, str, str]]:
    """The (rule, module, imported) breaches of one production module."""
    owner = path.split("/")[0]
    found = set()
    for item in imports_of(path, source):
        target = item.module.split(".")[0]
        if owner in APPS and target in APPS and APPS.index(target) > APPS.index(owner):
            found.add(("later app", path, item.module))
        if owner == KERNEL and path not in SHELL and target in APPS:
            found.add(("kernel imports app", path, item.module))
        if item.inside_function:
            if (path, item.module) not in ALLOWED_INSIDE_FUNCTIONS:
                found.add(("inside function", path, item.module))
            elif not item.commented:
                found.add(("allowed inside function without a comment", path, item.module))
    return found


@pytest.fixture(scope="module")
def breaches() -> set[tuple[str, str, str]]:
    found = set()
    for path in production_modules():
        found |= violations(path, (BASE_DIR / path).read_text())
    return found


def _new(breaches: set, rule: str) -> list:
    return sorted(b for b in breaches if b[0] == rule)


def test_no_app_imports_an_app_after_it(breaches):
    assert _new(breaches, "later app") == [], f"apps import in the order {' → '.join(APPS)}"


def test_the_kernel_imports_no_app_except_its_shell(breaches):
    assert _new(breaches, "kernel imports app") == [], "welltrack/ is the kernel: only the shell modules wire the apps"


def test_imports_inside_functions_are_the_allowed_few_each_with_a_comment(breaches):
    assert _new(breaches, "inside function") == [], "move the import to module level, or allow it with a reason"
    assert _new(breaches, "allowed inside function without a comment") == [], "say on the import's line why it is there"


def test_the_production_modules_include_every_app_and_the_kernel_but_no_tests():
    modules = production_modules()
    assert {m.split("/")[0] for m in modules} == {*APPS, KERNEL}
    assert "welltrack/audit.py" in modules and "wells/services/stages.py" in modules
    assert not [m for m in modules if "/tests/" in m or m.endswith(("testing.py", "conftest.py"))]


@pytest.mark.parametrize(
    ("path", "source", "expected"),
    [
        ("orgs/services/x.py", "from wells.selectors import well_get\n", ("later app", "wells.selectors")),
        ("accounts/x.py", "import timeline.feeds\n", ("later app", "timeline.feeds")),
        ("welltrack/x.py", "from orgs.models import Membership\n", ("kernel imports app", "orgs.models")),
        ("wells/x.py", "def f():\n    from wells import selectors\n", ("inside function", "wells")),
        ("wells/services/x.py", "def f():\n    from . import y\n", ("inside function", "wells.services")),
        (
            "files/apps.py",
            "class C:\n    def ready(self):\n        from files import services\n",
            ("allowed inside function without a comment", "files"),
        ),
    ],
)
def test_a_new_breach_is_caught(path, source, expected):
    assert (expected[0], path, expected[1]) in violations(path, source)


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("timeline/x.py", "from accounts.selectors import users_by_id\nfrom files.selectors import org_files\n"),
        ("welltrack/urls.py", "from orgs import views\n"),
        ("welltrack/x.py", "from welltrack.errors import NotFound\n"),
        ("files/apps.py", "def ready():\n    from files import services  # receivers connect here\n"),
    ],
)
def test_what_the_rules_allow_is_not_reported(path, source):
    assert violations(path, source) == set()
