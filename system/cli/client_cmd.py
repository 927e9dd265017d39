"""``nabat client``: talk to a Nabat server from the command line.

One-shot (``nabat client [options] WORD param ...``: one request, its reply
printed, exit code 0 / 1 for an error reply), raw lines from stdin
(``--stdin``) or, with no command, the interactive shell
(``client_shell``). This module parses the options, resolves the password
(``--password``, else ``NABAT_PASSWORD``, else a prompt on a terminal),
connects with TLS (``--ca FILE``, ``--insecure`` or the system trust store),
logs in when ``--login`` is given and hands over. Connection, TLS, login and
usage failures print one line and exit 2. Heavy imports happen in the
handler so ``nabat --help`` stays instant. See docs/client.md.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from nabat.system.cli.arguments import port, positive_float

PASSWORD_ENV = "NABAT_PASSWORD"
LOGIN_ENV = "NABAT_LOGIN"
CA_HINT = (
    "pass the server's certificate with --ca <data_dir>/tls/server.crt "
    "(nabat serve prints its path), or --insecure for a local test"
)
EPILOG = f"""\
examples:
  nabat client --ca DIR/tls/server.crt --login admin GETGROUPS
  nabat client --ca CRT --login oper ADDGROUP "Отдел кадров" "100% состав"
  nabat client --ca CRT --login oper ADDABONENT gid=1 name="Иванов И.И." \\
      --phone 1:+79001234567:mobile --email ivanov@example.ru
  nabat client --ca CRT --login oper SENDRAWFILE alarm.wav --file ./alarm.wav
  nabat client --ca CRT --login admin GETREPORT 3 --output report.html
  nabat client --ca CRT --login admin --stdin < requests.txt
  nabat client --ca CRT --login admin          (interactive shell; 'help' there)

The password comes from --password, else ${PASSWORD_ENV}, else a prompt.
Exit codes: 0 ok, 1 the server answered an error, 2 usage, connection, TLS
or login failure."""


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "client",
        help="send protocol commands to a Nabat server (one-shot or interactive)",
        description="Talk to a Nabat server: one command, raw lines from stdin, "
        "or an interactive shell when no command is given.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1", help="server address (default 127.0.0.1)")
    parser.add_argument("--port", type=port, default=7021, help="server port (default 7021)")
    parser.add_argument(
        "--login", default=os.environ.get(LOGIN_ENV),
        help=f"log in as this user first (default ${LOGIN_ENV}; none: no LOGIN is sent)",
    )  # fmt: skip
    parser.add_argument(
        "--password", default=None,
        help=f"password (default ${PASSWORD_ENV}, else prompted; prefer the variable: "
        "command lines show up in ps and shell history)",
    )  # fmt: skip
    trust = parser.add_mutually_exclusive_group()
    trust.add_argument(
        "--ca",
        type=Path,
        default=None,
        metavar="FILE",
        help="trust this certificate (the server's <data_dir>/tls/server.crt)",
    )
    trust.add_argument("--insecure", action="store_true",
                       help="do not verify the server's certificate (tests only)")  # fmt: skip
    parser.add_argument(
        "--server-name",
        default=None,
        help="name to verify the certificate against (default: --host)",
    )
    parser.add_argument(
        "--timeout",
        "--target-timeout",
        dest="timeout",
        type=positive_float,
        default=30.0,
        help="seconds to connect and to wait for each reply line (default 30; "
        "--target-timeout is the same option)",
    )
    parser.add_argument("--json", action="store_true", help="print each reply as one JSON object")
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        metavar="FILE",
        help="save a file reply (GETREPORT, TTS, GETRAWFILE) here",
    )
    parser.add_argument(
        "--stdin",
        action="store_true",
        help="send the lines of stdin, already in protocol form (escaped)",
    )
    parser.add_argument(
        "command", nargs=argparse.REMAINDER, metavar="WORD [PARAM ...]",
        help="the command and its parameters (none: interactive shell); after the word: "
        "--phone/--email (ADDABONENT, UPDATEABONENT), --file (SENDRAWFILE), --output",
    )  # fmt: skip
    parser.set_defaults(handler=_run)


def _fail(message: str) -> int:
    print(f"nabat client: {message}", file=sys.stderr, flush=True)
    return 2


def _password(args: argparse.Namespace) -> str | None:
    if args.login is None:
        return None
    if args.password is not None:
        return str(args.password)
    if PASSWORD_ENV in os.environ:
        return os.environ[PASSWORD_ENV]
    if sys.stdin.isatty() and not args.stdin:
        import getpass

        return getpass.getpass(f"password for {args.login}: ")
    return None


def _run(args: argparse.Namespace) -> int:
    import asyncio

    if args.stdin and args.command:
        return _fail("give either a command or --stdin, not both")
    password = _password(args)
    if args.login is not None and password is None:
        return _fail(f"no password for {args.login}: use ${PASSWORD_ENV} or --password")
    try:
        return asyncio.run(_session(args, password))
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 0 if not args.command and not args.stdin else 130
    except BrokenPipeError:  # the reader of stdout went away (| head): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


async def _session(args: argparse.Namespace, password: str | None) -> int:
    from nabat.system.cli.client_output import Printer
    from nabat.system.cli.client_requests import UsageError, raw_requests
    from nabat.system.cli.client_shell import run_request, run_shell
    from nabat.system.client import ClientError, ConnectFailed, NabatClient, ServerError

    printer = Printer(sys.stdout, sys.stderr, as_json=args.json)
    try:
        batch = raw_requests(sys.stdin) if args.stdin else None
    except UsageError as exc:
        return _fail(f"--stdin: {exc}")
    try:
        client = await NabatClient.connect(
            args.host, args.port, cafile=args.ca, insecure=args.insecure,
            server_hostname=args.server_name, timeout=args.timeout,
        )  # fmt: skip
    except ConnectFailed as exc:
        hint = f"; {CA_HINT}" if exc.certificate and args.ca is None else ""
        return _fail(f"{exc}{hint}")
    except OSError as exc:  # --ca FILE unreadable or not a certificate
        return _fail(f"cannot use --ca {args.ca}: {exc}")
    async with client:
        try:
            if args.login is not None:
                assert password is not None
                try:
                    await client.login(args.login, password)
                except ServerError as exc:
                    return _fail(f"login as {args.login!r} failed: {exc}")
            if batch is not None:
                worst = 0
                for lines in batch:
                    reply = await client.request_lines(lines, check=False)
                    worst = max(worst, printer.show(reply, args.output))
                return worst
            if args.command:
                return await run_request(client, printer, list(args.command), args.output)
            return await run_shell(client, printer, args.output)
        except ClientError as exc:
            return _fail(str(exc))
