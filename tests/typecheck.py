"""mypy (strict, pyproject's [tool.mypy]) on all four packages under their real names.

The folders ``system/``, ``simulators/``, ``conformance/`` and ``loadtests/``
install as ``nabat.system`` ... through a setuptools package-dir mapping, which
mypy cannot follow (the editable install is an import hook). So this script
builds a ``nabat/`` directory of symbolic links to the four folders (in
``.mypy_cache/namespace/``, a stable place so mypy's cache stays valid), puts
it on ``MYPYPATH`` and runs ``mypy -p nabat.system -p nabat.simulators
-p nabat.conformance -p nabat.loadtests``: every module is checked under the
name it is imported by. Error paths read ``.mypy_cache/namespace/nabat/system/...``,
i.e. ``system/...`` in the repository. Extra arguments go to mypy.

    python tests/typecheck.py            # from the repository root
    tox -e type
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("system", "simulators", "conformance", "loadtests")
NAMESPACE_HOME = ROOT / ".mypy_cache" / "namespace"


def build_namespace(where: Path) -> Path:
    """``where/nabat/<package>`` links to each folder; returns ``where``."""
    namespace = where / "nabat"
    namespace.mkdir(parents=True, exist_ok=True)
    for package in PACKAGES:
        link = namespace / package
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(ROOT / package, target_is_directory=True)
    return where


def mypy_command(extra: list[str]) -> list[str]:
    modules = [arg for package in PACKAGES for arg in ("-p", f"nabat.{package}")]
    return [sys.executable, "-m", "mypy", *modules, *extra]


def main(argv: list[str]) -> int:
    search_path = build_namespace(NAMESPACE_HOME)
    env = {**os.environ, "MYPYPATH": str(search_path)}
    return subprocess.run(mypy_command(argv), cwd=ROOT, env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
