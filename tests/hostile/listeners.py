"""Every listener the project ships, as the battery sees it: how to start it, how
to probe it, its limits and its memory.

A ``Listener`` names the CLI command(s) it stands for (``("serve",)``,
``("sim", "ats")``), its kind of wire (which attacks apply: half-open TLS
needs TLS, a login flood needs a login) and ``start``, which runs the real
command as a subprocess on free loopback ports, with the battery's short
deadlines on its command line or in its config file, and waits for its
ready file. The subprocess makes the memory figures honest: the gauge reads
the listener's own RSS and sockets from /proc, not the test process's.
``start`` returns a ``RunningListener``: the process, its gauge, and the
``Target`` the attacks aim at (endpoint, wire, well-behaved probe, limits).

A new listener joins the battery by adding a ``Listener`` to ``LISTENERS``;
``test_cli_listeners.py`` fails for any CLI leaf that has none.
"""

from __future__ import annotations

import dataclasses
import enum
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx
from nabat.simulators.http.server import HttpLimits
from nabat.simulators.processes import ChildProcesses
from nabat.system.cli.main import build_parser
from nabat.system.client import NabatClient
from nabat.system.runtime.ready import wait_for_ready_file
from nabat.system.server.bootstrap import VERIFIER_THREADS
from nabat.system.store.passwords import DEFAULT_PARAMS
from nabat.system.tls import client_context

from tests.hostile.attacks import Limits, Target
from tests.hostile.cli_tree import subcommands
from tests.hostile.gauge import ProcessGauge
from tests.hostile.sockets import Endpoint
from tests.hostile.wires import ftp_wire, http_wire, line_wire, smtp_wire

NABAT = [sys.executable, "-m", "nabat.system.cli.main"]
START_TIMEOUT = 30.0
MiB = 1024 * 1024


class _HttpDeadlines(Protocol):
    """What an HTTP listener's limits say about deadlines and connections."""

    @property
    def request_timeout(self) -> float: ...
    @property
    def write_timeout(self) -> float: ...
    @property
    def max_connections(self) -> int: ...


def _http_limits(in_force: _HttpDeadlines, extra_memory: int = 0) -> Limits:
    """The battery's limits for an HTTP listener: a request (the first one included) is
    due within request_timeout, a non-reader is cut after write_timeout; 24 MiB of
    memory growth allowed, plus what the listener buffers by design."""
    return Limits(
        slow_deadline=in_force.request_timeout,
        idle_deadline=in_force.request_timeout,
        stalled_deadline=in_force.write_timeout,
        handshake_deadline=None,
        max_connections=in_force.max_connections,
        memory_budget=24 * MiB + extra_memory,
    )



class WireKind(enum.Enum):
    TLS_LINES = "TLS line protocol"
    HTTP = "HTTP/1.1"
    FTP = "FTP with explicit TLS"
    SMTP = "SMTP with STARTTLS"

    @property
    def tls(self) -> bool:
        return self in (WireKind.TLS_LINES, WireKind.FTP, WireKind.SMTP)

    @property
    def has_login(self) -> bool:
        return self in (WireKind.TLS_LINES, WireKind.FTP, WireKind.SMTP)


@dataclass
class RunningListener:
    name: str
    process: subprocess.Popen[Any]
    gauge: ProcessGauge
    target: Target
    warm: bool = False

    async def warm_up(self, rounds: int = 3) -> None:
        """Serve a few well-behaved requests first, so that what the first
        requests load once (modules, worker threads, their buffers) is not
        counted against an attack."""
        if not self.warm:
            for _ in range(rounds):
                await self.target.probe()
            self.warm = True


Start = Callable[[Path, ChildProcesses], RunningListener]


@dataclass(frozen=True)
class Listener:
    name: str
    commands: tuple[tuple[str, ...], ...]  # the CLI leaves this listener stands for
    wire: WireKind
    start: Start


def _launch(
    children: ChildProcesses,
    directory: Path,
    arguments: list[str],
    env: dict[str, str] | None = None,
) -> tuple[subprocess.Popen[Any], dict[str, Any]]:
    """Start ``nabat <arguments> --ready-file ...`` and wait until it listens."""
    ready = directory / "ready.json"
    log = (directory / "output.log").open("wb")
    process = children.start(
        [*NABAT, *arguments, "--ready-file", str(ready)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    log.close()
    info = wait_for_ready_file(ready, process, timeout=START_TIMEOUT)
    return process, info


# --- nabat serve ------------------------------------------------------------

SERVER_PASSWORD = "battery-admin-password"
# The battery's server: small caps and short deadlines (docs/server.md has every key).
SERVER_CONFIG = {
    "max_sessions": 40,
    "max_unauthenticated": 30,
    "max_unauthenticated_per_address": 10,
    "max_tls_handshakes": 20,
    "tls_handshake_timeout": 1.0,
    "login_timeout": 1.0,
    "idle_timeout": 2.0,
    "write_timeout": 1.0,
}


def start_server(directory: Path, children: ChildProcesses) -> RunningListener:
    config = directory / "battery.toml"
    config.write_text("".join(f"{key} = {value!r}\n" for key, value in SERVER_CONFIG.items()))
    process, info = _launch(
        children,
        directory,
        ["serve", "--port", "0", "--data-dir", str(directory / "data"), "--config", str(config)],
        env={"NABAT_ADMIN_PASSWORD": SERVER_PASSWORD},
    )
    host, port, cafile = str(info["host"]), int(info["port"]), Path(info["cert"])

    async def probe() -> None:
        """A real user: TLS, LOGIN as the administrator, PING."""
        client = await NabatClient.connect(host, port, cafile=cafile, timeout=10.0)
        try:
            await client.login("admin", SERVER_PASSWORD)
            await client.ping()
        finally:
            await client.close()

    limits = Limits(
        slow_deadline=float(SERVER_CONFIG["login_timeout"]),
        idle_deadline=float(SERVER_CONFIG["login_timeout"]),
        stalled_deadline=float(SERVER_CONFIG["write_timeout"]),
        handshake_deadline=float(SERVER_CONFIG["tls_handshake_timeout"]),
        max_connections=int(SERVER_CONFIG["max_sessions"]),
        memory_budget=24 * MiB,
        working_memory=VERIFIER_THREADS * 128 * DEFAULT_PARAMS.n * DEFAULT_PARAMS.r,
    )
    endpoint = Endpoint(host, port, tls=client_context(cafile))
    target = Target(endpoint, line_wire("admin", SERVER_PASSWORD), probe, limits)
    return RunningListener("nabat serve", process, ProcessGauge(process.pid), target)


# --- nabat sim ats ----------------------------------------------------------

# The battery's deadlines and cap for the simulator (docs/ats-simulator.md): option ->
# (value, the HttpLimits field it sets). An option `nabat sim ats` does not offer is left
# out, and the battery then meets the simulator's built-in default (and says so).
ATS_OPTIONS: dict[str, tuple[str, str]] = {
    "--request-timeout": ("1", "request_timeout"),
    "--idle-timeout": ("2", "idle_timeout"),
    "--write-timeout": ("1", "write_timeout"),
    "--max-connections": ("100", "max_connections"),
    "--max-connections-per-address": ("80", "max_connections_per_address"),
}
ATS_NUMBERS = ("79000000001", "79000000002")  # a pair of the default numbering plan


def cli_options(*path: str) -> set[str]:
    """The option strings of the CLI leaf ``nabat <path...>``."""
    parser = build_parser()
    for name in path:
        parser = subcommands(parser)[name]
    return {option for action in parser._actions for option in action.option_strings}


def _as_limits(chosen: dict[str, tuple[str, str]]) -> tuple[list[str], HttpLimits]:
    """The chosen options (option -> (value, HttpLimits field)) as command-line arguments,
    and the HttpLimits they put in force."""
    arguments = [item for option, (value, _) in chosen.items() for item in (option, value)]
    in_force = dataclasses.replace(
        HttpLimits(),
        **{field: type(getattr(HttpLimits(), field))(value) for value, field in chosen.values()},
    )
    return arguments, in_force


def _offered_limits(
    path: tuple[str, ...], options: dict[str, tuple[str, str]]
) -> tuple[list[str], HttpLimits]:
    """:func:`_as_limits` of the options ``nabat <path>`` offers (one it does not offer
    leaves the built-in default)."""
    offered = cli_options(*path)
    return _as_limits({option: value for option, value in options.items() if option in offered})

def _http_address(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    assert parts.hostname is not None and parts.port is not None
    return parts.hostname, parts.port


def start_ats(directory: Path, children: ChildProcesses) -> RunningListener:
    arguments, limits_in_force = _offered_limits(("sim", "ats"), ATS_OPTIONS)
    process, info = _launch(
        children, directory, ["sim", "ats", "--port", "0", "--reserve-port", "0", *arguments]
    )
    primary, reserve = str(info["primary"]), str(info["reserve"])
    caller, called = ATS_NUMBERS

    async def probe() -> None:
        """A real verification client: ping both servers, register a call on the primary."""
        async with httpx.AsyncClient(timeout=10.0) as client:
            for url in (primary, reserve):
                answer = await client.get(url + "/ping")
                assert answer.status_code == 200, f"{url}/ping: {answer.status_code}"
            answer = await client.post(primary + "/RegisterCall", data={"a": caller, "b": called})
            assert answer.status_code == 201, f"RegisterCall: {answer.status_code}"

    limits = _http_limits(limits_in_force)
    target = Target(Endpoint(*_http_address(primary)), http_wire("/help"), probe, limits)
    return RunningListener("nabat sim ats", process, ProcessGauge(process.pid), target)


# --- nabat sim gsm ----------------------------------------------------------

# The GSM simulator listens only with its control API (the modems are pseudo-terminals,
# not sockets); the battery's deadlines for it, as for the ATS simulator.
GSM_OPTIONS: dict[str, tuple[str, str]] = ATS_OPTIONS


def start_gsm(directory: Path, children: ChildProcesses) -> RunningListener:
    arguments, limits_in_force = _offered_limits(("sim", "gsm"), GSM_OPTIONS)
    process, info = _launch(
        children,
        directory,
        ["sim", "gsm", "--modems", "2", "--control-port", "0", "--timing", "instant", *arguments],
    )
    control = str(info["control"])

    async def probe() -> None:
        """A test harness driving the simulator: read the state, add a fault."""
        async with httpx.AsyncClient(base_url=control, timeout=10.0) as client:
            answer = await client.get("/__sim/state")
            assert answer.status_code == 200, f"/__sim/state: {answer.status_code}"
            assert len(answer.json()["modems"]) == 2
            answer = await client.post(
                "/__sim/modems/1/faults", json={"kind": "signal", "rssi": 20}
            )
            assert answer.status_code == 200, f"fault: {answer.status_code}"

    limits = _http_limits(limits_in_force)
    # GET /__sim/ is the control API's help, as GET /help is the ATS simulator's.
    target = Target(Endpoint(*_http_address(control)), http_wire("/__sim/"), probe, limits)
    return RunningListener("nabat sim gsm", process, ProcessGauge(process.pid), target)


# --- nabat sim mfms ---------------------------------------------------------


def start_mfms(directory: Path, children: ChildProcesses) -> RunningListener:
    # `nabat sim mfms` offers the same deadline options
    arguments, limits_in_force = _as_limits(ATS_OPTIONS)
    process, info = _launch(
        children, directory, ["sim", "mfms", "--port", "0", "--tls-port", "0", *arguments]
    )
    base = str(info["http"]) + "/CLIENT/connectorX"

    async def probe() -> None:
        """An SMS client: send one message with HPG, read its status."""
        credentials = "login=CLIENT&password=P%40ssw0rd"
        async with httpx.AsyncClient(timeout=10.0) as client:
            answer = await client.get(
                f"{base}/send?{credentials}&subject[0]=SUBJECT&address[0]=79031111111&text[0]=Hi"
            )
            assert answer.status_code == 200, f"send: {answer.status_code}"
            code, _, provider_id = answer.text.strip().split(";")
            assert code == "ok", f"send: {answer.text!r}"
            answer = await client.get(f"{base}/status?{credentials}&providerId[0]={provider_id}")
            assert answer.text.startswith(f"ok;{provider_id};"), f"status: {answer.text!r}"

    limits = _http_limits(limits_in_force)
    target = Target(
        Endpoint(*_http_address(str(info["http"]))), http_wire("/__sim/state"), probe, limits
    )
    return RunningListener("nabat sim mfms", process, ProcessGauge(process.pid), target)


# --- nabat sim oktell -------------------------------------------------------


def start_oktell(directory: Path, children: ChildProcesses) -> RunningListener:
    # `nabat sim oktell` offers the same deadline options
    arguments, limits_in_force = _as_limits(ATS_OPTIONS)
    process, info = _launch(
        children, directory, ["sim", "oktell", "--port", "0", "--password", "pw", *arguments]
    )
    base = str(info["http"])

    async def probe() -> None:
        """A PBX client: run a service script, read a user's state."""
        async with httpx.AsyncClient(timeout=10.0) as client:
            answer = await client.get(
                f"{base}/execsvcscriptplain?name=echo&startparam1=42&password=pw"
            )
            assert answer.status_code == 200, f"execsvcscriptplain: {answer.status_code}"
            assert answer.text.startswith("42"), f"execsvcscriptplain: {answer.text!r}"
            answer = await client.get(f"{base}/tst_getuserstate?iduser=ivan", auth=("any", "pw"))
            assert answer.status_code == 200, f"tst_getuserstate: {answer.status_code}"
            assert answer.content.startswith(b"\xff\xfe"), "tst_getuserstate: no UTF-16 BOM"

    limits = _http_limits(limits_in_force)
    target = Target(Endpoint(*_http_address(base)), http_wire("/__sim/state"), probe, limits)
    return RunningListener("nabat sim oktell", process, ProcessGauge(process.pid), target)


# --- nabat sim ftp ----------------------------------------------------------


def start_ftp(directory: Path, children: ChildProcesses) -> RunningListener:
    """The FTP platform's control API (HTTP); its FTP port is ``start_ftp_port``."""
    import asyncio
    import ftplib

    # `nabat sim ftp` offers the same deadline options
    arguments, limits_in_force = _as_limits(ATS_OPTIONS)
    process, info = _launch(
        children, directory, ["sim", "ftp", "--port", "0", "--control-port", "0",
                              "--root", str(directory / "root"), *arguments]
    )  # fmt: skip
    control, host, port = str(info["control"]), str(info["host"]), int(info["port"])

    def ftp_login() -> None:
        client = ftplib.FTP(timeout=10)
        client.connect(host, port)
        client.login("guest", "guest")
        client.nlst()
        client.quit()

    async def probe() -> None:
        """A client of the platform: an FTP login and listing, then the journal."""
        await asyncio.to_thread(ftp_login)
        async with httpx.AsyncClient(timeout=10.0) as client:
            answer = await client.get(control + "journal")
            assert answer.status_code == 200, f"/__sim/journal: {answer.status_code}"

    limits = _http_limits(limits_in_force)
    target = Target(Endpoint(*_http_address(control)), http_wire("/__sim/state"), probe, limits)
    return RunningListener("nabat sim ftp", process, ProcessGauge(process.pid), target)


# --- nabat sim ftp, its FTP port -------------------------------------------

# The battery's deadlines and caps for the FTP port (docs/ftp-platform-simulator.md).
# Attackers come from one address, so the per-address cap is what they meet; the
# probe, from another, always finds room under the total cap.
FTP_PORT_OPTIONS: dict[str, str] = {
    "--ftp-idle-timeout": "2",
    "--ftp-data-timeout": "2",
    "--ftp-write-timeout": "1",
    "--max-ftp-connections": "100",
    "--max-ftp-connections-per-address": "30",
}
FTP_LOGIN = ("guest", "guest")


def ftp_session(host: str, port: int, cafile: Path | None) -> None:
    """A real FTP client (ftplib): greeting, login, PWD, QUIT; with ``cafile``, over
    explicit FTPS (AUTH TLS, PROT P)."""
    import ftplib
    import ssl

    client = (
        ftplib.FTP(timeout=10)
        if cafile is None
        else ftplib.FTP_TLS(context=ssl.create_default_context(cafile=str(cafile)), timeout=10)
    )
    try:
        greeting = client.connect(host, port)
        assert greeting.startswith("220"), greeting
        answer = client.login(*FTP_LOGIN)
        assert answer.startswith("230"), answer
        if isinstance(client, ftplib.FTP_TLS):
            client.prot_p()
        assert client.pwd() == "/"
        client.quit()
    finally:
        client.close()


def start_ftp_port(directory: Path, children: ChildProcesses) -> RunningListener:
    import asyncio

    offered = cli_options("sim", "ftp")
    missing = sorted(set(FTP_PORT_OPTIONS) - offered)
    assert not missing, f"nabat sim ftp lacks the battery's FTP options {missing}"
    arguments = [item for option, value in FTP_PORT_OPTIONS.items() for item in (option, value)]
    process, info = _launch(
        children, directory, ["sim", "ftp", "--port", "0", "--control-port", "0",
                              "--root", str(directory / "root"), *arguments]
    )  # fmt: skip
    host, port, cafile = str(info["host"]), int(info["port"]), Path(str(info["ca_file"]))

    async def probe() -> None:
        """A client of the platform: a plain FTP session, then an FTPS one."""
        await asyncio.to_thread(ftp_session, host, port, None)
        await asyncio.to_thread(ftp_session, host, port, cafile)

    idle = float(FTP_PORT_OPTIONS["--ftp-idle-timeout"])
    limits = Limits(
        slow_deadline=idle,  # pyftpdlib restarts its idle timer on a complete command only
        idle_deadline=idle,
        stalled_deadline=float(FTP_PORT_OPTIONS["--ftp-write-timeout"]),
        handshake_deadline=idle,  # the idle timer runs through the AUTH TLS handshake
        max_connections=int(FTP_PORT_OPTIONS["--max-ftp-connections"]),
        memory_budget=24 * MiB,
    )
    endpoint = Endpoint(host, port, upgrade_tls=client_context(cafile))
    target = Target(endpoint, ftp_wire(*FTP_LOGIN), probe, limits)
    return RunningListener("nabat sim ftp (FTP port)", process, ProcessGauge(process.pid), target)


# --- nabat sim smtp -----------------------------------------------------------

# The battery's SMTP sink (docs/smtp-sink.md): short deadlines, small caps, and AUTH
# allowed before STARTTLS so that a login flood meets the password check.
SMTP_CONFIG = {
    "idle_timeout": 2.0,
    "data_timeout": 2.0,
    "max_connections": 100,
    "max_connections_per_address": 30,
    "max_message_bytes": 1024 * 1024,
    "auth_require_tls": False,
}


def smtp_session(host: str, port: int, cafile: Path) -> None:
    """A real SMTP client (smtplib): STARTTLS, AUTH, one message, QUIT."""
    import smtplib
    import ssl

    with smtplib.SMTP(host, port, timeout=10) as client:
        client.starttls(context=ssl.create_default_context(cafile=str(cafile)))
        client.login("nabat", "nabat")
        try:
            client.sendmail("probe@example.org", ["a@example.org"], b"Subject: p\r\n\r\nok\r\n")
        except smtplib.SMTPRecipientsRefused as error:  # the world rejects a few: served too
            assert all(code == 550 for code, _ in error.recipients.values()), error


def start_smtp(directory: Path, children: ChildProcesses) -> RunningListener:
    import asyncio

    config = directory / "smtp.toml"
    config.write_text("".join(
        f"{key} = {str(value).lower() if isinstance(value, bool) else repr(value)}\n"
        for key, value in SMTP_CONFIG.items()
    ))  # fmt: skip
    process, info = _launch(
        children, directory, ["sim", "smtp", "--port", "0", "--control-port", "0",
                              "--config", str(config)]
    )  # fmt: skip
    host, port, cafile = str(info["host"]), int(info["port"]), Path(str(info["ca_file"]))
    control = str(info["control"])

    async def probe() -> None:
        """A message over STARTTLS and AUTH, then the control API's state."""
        await asyncio.to_thread(smtp_session, host, port, cafile)
        async with httpx.AsyncClient(timeout=10.0) as client:
            answer = await client.get(control + "state")
            assert answer.status_code == 200, f"/__sim/state: {answer.status_code}"

    idle = float(SMTP_CONFIG["idle_timeout"])
    limits = Limits(
        slow_deadline=idle,  # aiosmtpd restarts its timer on a valid command only
        idle_deadline=idle,
        stalled_deadline=idle,  # the same timer aborts a client that stops reading
        handshake_deadline=idle,  # the timer runs through the STARTTLS handshake
        max_connections=int(SMTP_CONFIG["max_connections"]),
        memory_budget=24 * MiB,
    )
    endpoint = Endpoint(host, port, upgrade_tls=client_context(cafile))
    target = Target(endpoint, smtp_wire(), probe, limits)
    return RunningListener("nabat sim smtp", process, ProcessGauge(process.pid), target)


# --- nabat up, its web console ------------------------------------------------

# The battery's `[console]` keys (docs/system.md, docs/console.md): short deadlines, and a
# per-address cap below the total so that the probe (from 127.0.0.1) finds room while the
# attackers (from another loopback address) fill theirs.
CONSOLE_CONFIG = {
    "max_connections": 100,
    "max_per_address": 80,
    "request_timeout": 1.0,
    "write_timeout": 1.0,
}


def start_console_listener(directory: Path, children: ChildProcesses) -> RunningListener:
    """`nabat up` with every port free and the battery's console keys; the console's URL
    (with its token) is in the ready file."""
    from nabat.simulators.console import TOKEN_HEADER
    from nabat.simulators.system.config import load_config, to_toml, with_free_ports

    config = with_free_ports(load_config(None)).replace_section("console", **CONSOLE_CONFIG)
    config = config.replace_section("gsm", timing="instant")
    config_file = directory / "up.toml"
    config_file.write_text(to_toml(config), encoding="utf-8")
    process, info = _launch(
        children, directory,
        ["up", "--config", str(config_file), "--workdir", str(directory / "work")],
    )  # fmt: skip
    url = urlsplit(str(info["console"]))
    token = url.query.removeprefix("token=")
    base = f"{url.scheme}://{url.netloc}"

    async def probe() -> None:
        """The console's page as a browser polls it: the state API with the token."""
        async with httpx.AsyncClient(timeout=10.0, headers={TOKEN_HEADER: token}) as client:
            answer = await client.get(base + "/api/state")
            assert answer.status_code == 200, f"/api/state: {answer.status_code}"
            assert "seq" in answer.json()

    limits_in_force = config.console.limits()
    live_views = limits_in_force.max_streams * limits_in_force.stream_buffer_bytes
    # the guard aborts a connection whose unsent output stays past high_water for
    # write_timeout, a live view past stream_buffer_bytes; the stack's own work besides
    limits = _http_limits(limits_in_force, extra_memory=live_views)
    greedy = http_wire(f"/?token={token}")  # the page: the largest reply of the console
    target = Target(Endpoint(*_http_address(base)), greedy, probe, limits)
    return RunningListener("nabat up (web console)", process, ProcessGauge(process.pid), target)


LISTENERS: tuple[Listener, ...] = (
    Listener("nabat serve", (("serve",),), WireKind.TLS_LINES, start_server),
    Listener("nabat sim ats", (("sim", "ats"),), WireKind.HTTP, start_ats),
    Listener("nabat sim gsm", (("sim", "gsm"),), WireKind.HTTP, start_gsm),
    Listener("nabat sim mfms", (("sim", "mfms"),), WireKind.HTTP, start_mfms),
    Listener("nabat sim ftp", (("sim", "ftp"),), WireKind.HTTP, start_ftp),
    Listener("nabat sim oktell", (("sim", "oktell"),), WireKind.HTTP, start_oktell),
    Listener("nabat sim ftp (FTP port)", (("sim", "ftp"),), WireKind.FTP, start_ftp_port),
    Listener("nabat sim smtp", (("sim", "smtp"),), WireKind.SMTP, start_smtp),
    Listener("nabat up (web console)", (("up",),), WireKind.HTTP, start_console_listener),
)


# Commands that listen through the listeners above, run in one process with the same
# code and default limits: `nabat up` (simulators/system/stack.py, docs/system.md) starts
# `serve` and every `sim` listener; the battery covers each of them alone. A composed
# command may listen on its own too: `nabat up`'s web console is a `Listener` above.
COMPOSED: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {
    ("up",): (("serve",), ("sim", "ats"), ("sim", "gsm"), ("sim", "mfms"), ("sim", "ftp"),
              ("sim", "oktell"), ("sim", "smtp")),
}  # fmt: skip


def listener_named(name: str) -> Listener:
    return next(listener for listener in LISTENERS if listener.name == name)
