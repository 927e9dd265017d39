"""``nabat serve``: run the notification server.

A top-level command (not a group). With no config file it runs on
127.0.0.1:7021 out of ``--data-dir``: creates the directory, the SQLite
store, a self-signed certificate and, on the first start, the administrator
``admin``. Options override ``--config FILE`` (TOML, see docs/server.md),
which overrides the defaults (``config.load_settings``); the loop is uvloop
when installed. SIGINT / SIGTERM stop it with exit code 0.
Heavy imports happen inside the handler so ``nabat --help`` stays instant.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from nabat.system.cli.arguments import port, positive_float


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "serve",
        help="run the notification server (TLS line protocol)",
        description="Run the Nabat notification server. Options override --config.",
    )
    parser.add_argument("--host", default=None, help="address to listen on (default 127.0.0.1)")
    parser.add_argument(
        "--port", type=port, default=None, help="TCP port (default 7021; 0 picks a free one)"
    )
    parser.add_argument(
        "--data-dir", type=Path, default=None,
        help="directory of the store and certificate (required here or in --config)",
    )  # fmt: skip
    parser.add_argument("--config", type=Path, default=None, help="TOML settings file")
    parser.add_argument(
        "--licence", type=Path, default=None, help="licence file (default: development licence)"
    )
    parser.add_argument(
        "--idle-timeout", type=positive_float, default=None, help="seconds (default 300)"
    )
    parser.add_argument(
        "--ready-file", type=Path, default=None,
        help="write host, port and certificate path as JSON here once listening",
    )  # fmt: skip
    parser.set_defaults(handler=_run)


def _fail(message: str, code: int = 2) -> int:
    print(f"nabat serve: {message}", file=sys.stderr)
    return code


def _run(args: argparse.Namespace) -> int:
    import logging

    from nabat.system.licence import LicenceError
    from nabat.system.runtime.loop import run
    from nabat.system.runtime.ready import write_ready_file
    from nabat.system.server import build_context
    from nabat.system.server.bootstrap import ADMIN_LOGIN, ADMIN_PASSWORD_ENV, prepare
    from nabat.system.server.config import ConfigError, load_settings
    from nabat.system.server.server import serve
    from nabat.system.store import SchemaVersionError, ScryptParams
    from nabat.system.tls import TLSBootstrapError, server_context

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    options = {
        "host": args.host,
        "port": args.port,
        "idle_timeout": args.idle_timeout,
        "data_dir": None if args.data_dir is None else str(args.data_dir),
        "licence": None if args.licence is None else str(args.licence),
    }
    try:
        settings = load_settings(args.config, options)
    except ConfigError as exc:
        return _fail(str(exc))
    if settings.data_dir is None:
        return _fail("--data-dir is required (or data_dir in --config)")
    licence_path = Path(settings.licence) if settings.licence is not None else None
    try:
        prepared = prepare(
            Path(settings.data_dir), host=settings.host, licence_path=licence_path,
            password_params=ScryptParams(n=2**settings.password_cost),
        )  # fmt: skip
    except (LicenceError, TLSBootstrapError, SchemaVersionError, OSError) as exc:
        return _fail(str(exc), 1)
    cert = prepared.certificate
    print(prepared.licence.describe(), flush=True)
    print(f"TLS certificate: {cert.cert}{' (created)' if cert.created else ''}", flush=True)
    print(f"  clients trust it with: --ca {cert.cert}", flush=True)
    if prepared.admin_created:
        if prepared.generated_password is not None:
            print(f"created administrator {ADMIN_LOGIN!r} with password "
                  f"{prepared.generated_password} (shown once; change it with USERCHG)",
                  flush=True)  # fmt: skip
        else:
            print(f"created administrator {ADMIN_LOGIN!r} (password from {ADMIN_PASSWORD_ENV})",
                  flush=True)  # fmt: skip
    context = build_context(prepared.store, prepared.licence, settings)

    def on_ready(address: tuple[str, int]) -> None:
        host, bound = address
        print(f"Nabat server listening on {host}:{bound} (TLS); Ctrl-C stops", flush=True)
        if args.ready_file is not None:
            write_ready_file(args.ready_file, {"host": host, "port": bound, "cert": str(cert.cert)})

    try:
        run(serve(context, server_context(cert.cert, cert.key), on_ready))
    except OSError as exc:
        return _fail(f"cannot listen on {settings.host}:{settings.port}: {exc}", 1)
    finally:
        prepared.store.close()
    print("Nabat server stopped", flush=True)
    return 0
