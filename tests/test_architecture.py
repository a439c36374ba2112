"""The layering is checked, not hoped for: every module's imports, read from its source, point down.

Layers, bottom to top (docs/architecture.md): the version and the errors; settings, the Redis client,
signatures and the text layer; detection and the glossary; summarisation and translation; the pipeline; the
digest and the corpus job; the doors (``toolkit/cli``, ``service``). A module may import within its own
package, and from another package only through that package's surface (its
``__init__``) and only from a lower layer. Two packages of one layer never import each
other, except that the CLI's ``serve`` opens the service (door to door). No import
cycle anywhere, lazy imports inside functions included; no library module imports
FastAPI, uvicorn or Starlette. The facade (``toolkit/__init__.py``) and
``toolkit/__main__.py`` are entry points: nothing imports them, and their own imports
are not held to the layers.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOP_PACKAGES = ("toolkit", "glossary", "service")

LAYERS: tuple[tuple[str, ...], ...] = (
    ("toolkit._version", "toolkit.errors"),
    ("toolkit.settings", "toolkit.signature", "toolkit.text", "toolkit.redis_store"),
    ("toolkit.detection", "glossary"),
    ("toolkit.summarization", "toolkit.translation"),
    ("toolkit.pipeline", "toolkit.documents"),
    ("toolkit.digests", "toolkit.corpora"),
    ("toolkit.cli", "service"),
)
DOORS = frozenset({"toolkit.cli", "service"})
DOOR_TO_DOOR = frozenset({("toolkit.cli", "service")})
ENTRY_POINTS = frozenset({"toolkit", "toolkit.__main__"})
SERVER_LIBRARIES = frozenset({"fastapi", "uvicorn", "starlette"})

Imports = Mapping[str, Iterable[str]]  # module -> every module name it imports, resolved


def project_modules(root: Path = ROOT) -> dict[str, str]:
    """Every module of the three packages, by dotted name, with its source."""
    found = {}
    for top in TOP_PACKAGES:
        for path in sorted((root / top).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path.read_text(encoding="utf-8")
    return found


def imports_of(sources: Mapping[str, str]) -> dict[str, set[str]]:
    """What each module imports, anywhere in its body, as absolute module names: ``from a import b``
    names ``a.b`` where that is a module of the project, else ``a``."""
    result: dict[str, set[str]] = {}
    for name, source in sources.items():
        package = name if _is_package(name, sources) else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = _absolute(node, package)
                for alias in node.names:
                    child = f"{base}.{alias.name}"
                    found.add(child if child in sources else base)
        result[name] = found
    return result


def _is_package(name: str, sources: Mapping[str, str]) -> bool:
    return any(other.startswith(name + ".") for other in sources)


def _absolute(node: ast.ImportFrom, package: str) -> str:
    if not node.level:
        return node.module or ""
    parts = package.split(".")
    base = parts[: len(parts) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def component(module: str) -> str | None:
    """The layered package (or module) ``module`` belongs to, or None."""
    for layer in LAYERS:
        for name in layer:
            if module == name or module.startswith(name + "."):
                return name
    return None


def layer_of(name: str) -> int:
    return next(index for index, layer in enumerate(LAYERS) if name in layer)


def violations(imports: Imports) -> list[str]:
    """Every import against the layers, and every module that belongs to no layer."""
    problems = []
    for module, targets in sorted(imports.items()):
        if module in ENTRY_POINTS:
            continue
        own = component(module)
        if own is None:
            problems.append(f"{module} belongs to no layer: add its package to LAYERS")
            continue
        for target in sorted(targets):
            top = target.split(".")[0]
            if top in SERVER_LIBRARIES and own not in DOORS:
                problems.append(f"{module} imports {target}: only the doors use a server library")
            if top not in TOP_PACKAGES:
                continue
            if target in ENTRY_POINTS:
                problems.append(f"{module} imports the entry point {target}: import the package that has the name")
                continue
            theirs = component(target)
            if theirs is None or theirs == own:
                continue
            if target != theirs:
                problems.append(f"{module} imports {target}: go through the surface of {theirs}")
            if (own, theirs) in DOOR_TO_DOOR:
                continue
            if layer_of(theirs) >= layer_of(own):
                problems.append(f"{module} imports {target}: {theirs} is not below {own}")
    return problems


def cycles(imports: Imports) -> list[list[str]]:
    """Groups of project modules that import each other, directly or round about (Tarjan)."""
    graph = {module: sorted(t for t in targets if t in imports) for module, targets in imports.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in graph[module]:
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1 or module in graph[module]:
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_every_import_follows_the_layers() -> None:
    assert violations(imports_of(project_modules())) == []


def test_there_is_no_import_cycle() -> None:
    assert cycles(imports_of(project_modules())) == []


def test_no_test_imports_the_benchmarks() -> None:
    """A user's clone runs the tests without ``benchmarks/``: benchmarks may use the tests' helpers
    (the tiny package builder), never the other way round."""
    sources = {
        ".".join(path.relative_to(ROOT).with_suffix("").parts): path.read_text(encoding="utf-8")
        for path in sorted((ROOT / "tests").rglob("*.py"))
    }
    offenders = {module: sorted(t for t in targets if t.split(".")[0] == "benchmarks")
                 for module, targets in imports_of(sources).items()}
    assert {module: found for module, found in offenders.items() if found} == {}


def test_every_layered_package_exists() -> None:
    modules = project_modules()
    assert [name for layer in LAYERS for name in layer if name not in modules] == []


# The checks themselves, on made-up modules: each rule must catch what it is for.
MADE_UP = {
    "toolkit.text": "from .segment import split_sentences\n",
    "toolkit.text.segment": "import re\n",
    "toolkit.translation": "from .api import translate\n",
    "toolkit.translation.api": "from ..text import split_sentences\n",
    "toolkit.translation.engine": "",
    "toolkit.cli": "",
    "toolkit.cli.serve": "def run():\n    import service\n",
    "service": "from toolkit.translation import translate\n",
}


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("toolkit.text.segment", "def f():\n    from toolkit.translation import translate\n",
         "toolkit.text.segment imports toolkit.translation: toolkit.translation is not below toolkit.text"),
        ("toolkit.cli.serve", "from toolkit.translation.engine import X\n",
         "toolkit.cli.serve imports toolkit.translation.engine: go through the surface of toolkit.translation"),
        ("toolkit.translation.api", "import fastapi\n",
         "toolkit.translation.api imports fastapi: only the doors use a server library"),
        ("service", "from toolkit.cli import main\n",
         "service imports toolkit.cli: toolkit.cli is not below service"),
        ("toolkit.text.segment", "from toolkit import detect\n",
         "toolkit.text.segment imports the entry point toolkit: import the package that has the name"),
    ],
)
def test_a_forbidden_import_is_reported(module: str, source: str, expected: str) -> None:
    assert violations(imports_of(MADE_UP)) == []  # door to door, lazy imports and surfaces pass
    assert expected in violations(imports_of({**MADE_UP, module: source}))


def test_a_cycle_is_reported_lazy_imports_included() -> None:
    assert cycles(imports_of(MADE_UP)) == []
    looped = {**MADE_UP, "toolkit.translation.engine": "def load():\n    from .api import translate\n",
              "toolkit.translation.api": "from .engine import load\n"}
    assert cycles(imports_of(looped)) == [["toolkit.translation.api", "toolkit.translation.engine"]]
