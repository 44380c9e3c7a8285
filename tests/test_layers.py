"""The layers of docs/architecture.md, checked on the source: the shared definitions (``schemas/``,
``units/``) import neither a stage nor an edge; the pure stages (``ocr/``, ``pipeline/``) import no
I/O edge; ``storage/`` persists what the stages decide and imports no stage of ``pipeline/``.

Every import counts, at the top of a module or inside a function (a lazy import is still a
dependency), as do ``importlib.import_module("...")`` and ``__import__("...")`` with a literal name.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EDGES = ("workers", "api", "scripts")

FORBIDDEN: dict[str, tuple[str, ...]] = {
    "schemas": ("pipeline", "ocr", "storage", *EDGES),
    "units": ("pipeline", "ocr", "storage", *EDGES),
    "storage": ("pipeline", *EDGES),
    "pipeline": ("storage", *EDGES),
    "ocr": ("storage", *EDGES),
}
"""Package -> the top-level packages its modules must not import."""

KNOWN_EXCEPTIONS: set[tuple[str, str]] = set()
"""(module path, imported module) pairs tolerated for now; empty: there is no known violation."""


def imported_modules(source: str, module: str, *, is_package: bool = False) -> set[str]:
    """Every module ``source`` (the text of dotted ``module``, a package's ``__init__`` if
    ``is_package``) imports, as absolute dotted names."""
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".") if package else []
                base = ".".join(parts[: len(parts) - node.level + 1])
                name = ".".join(p for p in (base, node.module) if p)
            else:
                name = node.module or ""
            found.add(name)
            # ``from pkg import sub`` may import the submodule pkg.sub
            found.update(f"{name}.{alias.name}" for alias in node.names)
        elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)
              and ((isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
                   or (isinstance(node.func, ast.Name) and node.func.id in ("import_module", "__import__")))):
            found.add(node.args[0].value)
    return {name for name in found if name}


def _modules(package: str):
    for path in sorted((ROOT / package).rglob("*.py")):
        relative = path.relative_to(ROOT)
        module = ".".join(relative.with_suffix("").parts).removesuffix(".__init__")
        yield relative.as_posix(), module, path.name == "__init__.py", path.read_text(encoding="utf-8")


def violations(package: str) -> list[tuple[str, str]]:
    out = []
    for relative, module, is_package, source in _modules(package):
        for name in sorted(imported_modules(source, module, is_package=is_package)):
            if name.split(".")[0] in FORBIDDEN[package] and (relative, name) not in KNOWN_EXCEPTIONS:
                out.append((relative, name))
    return out


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_only_its_layer(package):
    files = list(_modules(package))
    assert len(files) >= 3, f"{package}/ has no Python modules here: the check would prove nothing"
    found = violations(package)
    assert not found, (f"{package}/ must not import {', '.join(FORBIDDEN[package])}; found:\n"
                       + "\n".join(f"  {path}: {name}" for path, name in found))


def test_the_detector_sees_every_form_of_import():
    """The check above finds top-level, lazy, relative and dynamic imports (else it proves nothing)."""
    source = '''
import pipeline.text
from pipeline.dossier import link_documents
def later():
    from api import corrections
    import importlib
    importlib.import_module("workers.tasks")
    __import__("scripts.cli")
from ..pipeline import address
from . import repo
'''
    names = imported_modules(source, "storage.review")
    assert {"pipeline.text", "pipeline.dossier", "api", "workers.tasks", "scripts.cli", "pipeline.address",
            "storage.repo"} <= names
    assert {n.split(".")[0] for n in names} == {"pipeline", "api", "importlib", "workers", "scripts", "storage"}
    # in a package's __init__, "." is the package itself
    assert imported_modules("from . import repo", "storage", is_package=True) == {"storage", "storage.repo"}
