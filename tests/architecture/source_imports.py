"""What a Python source imports, read with ``ast`` (never with regular expressions).

How it works: ``imports_in(source, module)`` walks the whole tree, so imports
inside functions and ``if TYPE_CHECKING:`` blocks count too. It returns every
module named by ``import x``, ``from x import y`` (both ``x`` and ``x.y``, since
``y`` may be a submodule), relative imports resolved against the importing
module's own dotted name, and the string argument of
``importlib.import_module("...")`` / ``__import__("...")`` when it can be read
statically (a constant, or an f-string made of constants and ``__name__``).
``subprocess_modules(source)`` finds the interpreter's ``"-m", <module>`` in
lists, tuples and call arguments (the module a child interpreter runs; a later
``-m``, such as pytest's marker option, is an argument), resolving a
module-level string constant named there. ``project_sources`` maps a file of
the repository to the dotted name it is imported by (``system/x.py`` is
``nabat.system.x``; ``tests/`` keeps its own name). The guard tests feed these
functions both the real tree and small bad examples.
"""

from __future__ import annotations

import ast
import functools
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent.parent
# The repository folder -> the package name it installs as (pyproject.toml).
INSTALLED_AS = {
    "system": "nabat.system",
    "simulators": "nabat.simulators",
    "conformance": "nabat.conformance",
    "loadtests": "nabat.loadtests",
}
BARE_NAMES = frozenset(INSTALLED_AS)
IMPORT_FUNCTIONS = frozenset({"import_module", "__import__"})


@dataclass(frozen=True)
class Import:
    module: str  # absolute dotted name
    line: int


@dataclass(frozen=True)
class SourceFile:
    path: Path
    module: str  # the dotted name it is imported by
    is_package: bool  # an __init__.py

    def read(self) -> str:
        return self.path.read_text(encoding="utf-8")


def module_name(relative: Path) -> tuple[str, bool]:
    """``system/server/x.py`` -> (``nabat.system.server.x``, False)."""
    parts = list(relative.with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts.pop()
    if parts[0] in INSTALLED_AS:
        parts[0] = INSTALLED_AS[parts[0]]
    return ".".join(parts), is_package


def project_sources(folders: Iterable[str], root: Path = REPOSITORY) -> Iterator[SourceFile]:
    """Every ``.py`` file under the given repository folders."""
    for folder in folders:
        for path in sorted((root / folder).rglob("*.py")):
            name, is_package = module_name(path.relative_to(root))
            yield SourceFile(path, name, is_package)


@functools.cache
def parse(source: str) -> ast.Module:
    """One parse per distinct source (the guards read every file several times)."""
    return ast.parse(source)


def _resolve_relative(module: str, is_package: bool, level: int, target: str | None) -> str:
    package = module.split(".") if is_package else module.split(".")[:-1]
    base = package[: len(package) - (level - 1)] if level > 1 else package
    return ".".join([*base, target] if target else base)


def _static_string(node: ast.expr, module: str) -> str | None:
    """The value of a string expression when it is known without running it."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        pieces: list[str] = []
        for part in node.values:
            if isinstance(part, ast.Constant) and isinstance(part.value, str):
                pieces.append(part.value)
            elif (
                isinstance(part, ast.FormattedValue)
                and isinstance(part.value, ast.Name)
                and part.value.id == "__name__"
            ):
                pieces.append(module)
            else:
                return None
        return "".join(pieces)
    return None


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def imports_in(source: str, module: str = "__main__", is_package: bool = False) -> list[Import]:
    """Every module ``source`` imports, wherever in the file the import is."""
    found: list[Import] = []
    for node in ast.walk(parse(source)):
        if isinstance(node, ast.Import):
            found.extend(Import(alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = _resolve_relative(module, is_package, node.level, node.module)
            found.append(Import(base, node.lineno))
            found.extend(
                Import(f"{base}.{alias.name}", node.lineno)
                for alias in node.names
                if alias.name != "*"
            )
        elif isinstance(node, ast.Call) and _called_name(node) in IMPORT_FUNCTIONS and node.args:
            name = _static_string(node.args[0], module)
            if name is not None:
                found.append(Import(name, node.lineno))
    return found


def _module_constants(tree: ast.Module) -> dict[str, str]:
    constants: dict[str, str] = {}
    for statement in tree.body:
        if (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
            and isinstance(statement.value, ast.Constant)
            and isinstance(statement.value.value, str)
        ):
            constants[statement.targets[0].id] = statement.value.value
    return constants


def subprocess_modules(source: str) -> list[Import]:
    """The modules named after ``"-m"`` in lists, tuples and call arguments."""
    tree = parse(source)
    constants = _module_constants(tree)
    found: list[Import] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.List, ast.Tuple)):
            items = node.elts
        elif isinstance(node, ast.Call):
            items = node.args
        else:
            continue
        value = _module_after_interpreter_flags(items)
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            found.append(Import(value.value, value.lineno))
        elif isinstance(value, ast.Name) and value.id in constants:
            found.append(Import(constants[value.id], value.lineno))
    return found


def _module_after_interpreter_flags(items: list[ast.expr]) -> ast.expr | None:
    """What follows the interpreter's own ``-m``: only the interpreter (any
    expression) and its flags may come before it, so a later ``-m`` (pytest's
    marker option, say) is not a module."""
    for flag, value in itertools.pairwise(items):
        if not isinstance(flag, ast.Constant) or not isinstance(flag.value, str):
            continue  # sys.executable and the like
        if flag.value == "-m":
            return value
        if not flag.value.startswith("-"):
            return None  # a script or the module's own arguments: no -m of the interpreter
    return None


def within(name: str, prefixes: Iterable[str]) -> bool:
    """``name`` is one of ``prefixes`` or a submodule of one."""
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def forbidden_in(
    source: str, prefixes: Iterable[str], module: str = "__main__", is_package: bool = False
) -> list[Import]:
    """The imports of ``source`` that name a module under one of ``prefixes``."""
    prefixes = tuple(prefixes)
    found = imports_in(source, module, is_package)
    return [one for one in found if within(one.module, prefixes)]


def bare_in(source: str, module: str = "__main__", is_package: bool = False) -> list[Import]:
    """Imports of the project's folders by bare name (``system.x``, not ``nabat.system.x``)."""
    return [
        found
        for found in imports_in(source, module, is_package)
        if found.module.split(".")[0] in BARE_NAMES
    ]


def unprefixed_subprocess_modules(source: str, external: Iterable[str]) -> list[Import]:
    """``-m`` modules that are neither ``nabat.*`` nor one of the ``external`` tools."""
    allowed = ("nabat", *external)
    return [found for found in subprocess_modules(source) if not within(found.module, allowed)]


def scan(
    folders: Iterable[str], check: Callable[[SourceFile], list[Import]], root: Path = REPOSITORY
) -> list[str]:
    """``path:line name`` for every finding of ``check`` in the given folders."""
    return [
        f"{file.path.relative_to(root)}:{found.line} {found.module}"
        for file in project_sources(folders, root)
        for found in check(file)
    ]
