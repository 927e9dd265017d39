"""The GSM suite's pre-flight: each setup mistake ends at once with exit code 3
(could not test) and one line naming the cause, before any case; a PIN is entered
at most once and never when the SIM does not ask for it (three wrong PINs would
lock the SIM: harm done to the target); a PUK is never entered."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
import serial
from nabat.conformance.framework import RunConfig
from nabat.conformance.framework.setup import SetupError
from nabat.conformance.gsm_modem.binding import GsmBinding
from nabat.conformance.gsm_modem.options import settings_from
from nabat.conformance.gsm_modem.port import open_cause

from tests.conformance_gsm.sim import PIN, simulator

ROOT = Path(__file__).resolve().parents[2]
NABAT = Path(sys.executable).with_name("nabat")
NOT_TESTED, USAGE = 3, 2
FAST = 20.0  # seconds, generous on a loaded machine


def preflight_error(device: str, **options: str) -> str:
    """The one line the pre-flight stops with."""
    binding = GsmBinding(RunConfig(target=device, timeout=1.0, suite_options=options))
    with pytest.raises(SetupError) as caught:
        binding.preflight()
    binding.close()
    line = str(caught.value)
    assert "\n" not in line
    return line


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    started = time.monotonic()
    done = subprocess.run([str(NABAT), "conformance", "gsm", *args], capture_output=True,
                          text=True, timeout=90, cwd=ROOT)
    assert time.monotonic() - started < FAST, done.stdout[-2000:]
    return done


def assert_not_tested(done: subprocess.CompletedProcess[str], cause: str) -> None:
    output = done.stdout + done.stderr
    assert done.returncode == NOT_TESTED, output[-3000:]
    assert "Traceback" not in output, output[-3000:]
    lines = [line for line in output.splitlines() if "could not test:" in line]
    assert lines and cause in lines[0], output[-3000:]
    assert " PASSED" not in output and " FAILED" not in output  # no case ran


@contextmanager
def bare_pty(answer: bytes | None = None) -> Iterator[str]:
    """A pseudo-terminal nobody answers on (or that answers ``answer`` to any input)."""
    master, slave = os.openpty()
    path = os.ttyname(slave)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                data = os.read(master, 1024)
            except OSError:
                return
            if data and answer is not None:
                os.write(master, answer)

    thread = threading.Thread(target=serve, daemon=True)
    if answer is not None:
        thread.start()
    try:
        yield path
    finally:
        stop.set()
        for fd in (slave, master):
            with suppress(OSError):
                os.close(fd)


def test_no_such_device_is_one_line_and_exit_3() -> None:
    assert_not_tested(cli("--port", "/dev/nabat-no-such-modem"), "no such device")


def test_a_silent_line_is_not_tested_within_seconds() -> None:
    with bare_pty() as path:
        assert_not_tested(cli("--port", path, "--target-timeout", "1"), "no answer to AT")


def test_garbage_on_the_line_names_the_baud_rate() -> None:
    with bare_pty(b"\xff\xfe\x00\x13") as path:
        line = preflight_error(path)
    assert "never OK" in line and "--baud" in line


def test_a_port_held_by_another_program_is_busy() -> None:
    with bare_pty() as path:
        holder = serial.Serial(path, exclusive=True)
        try:
            line = preflight_error(path)
        finally:
            holder.close()
    assert "busy" in line


@pytest.mark.parametrize(("code", "words"), [
    (errno.ENOENT, "no such device"), (errno.EACCES, "permission denied"),
    (errno.EBUSY, "busy"), (errno.EAGAIN, "busy")])
def test_open_failures_are_named(code: int, words: str) -> None:
    failure = serial.SerialException(code, f"could not open port /dev/ttyX: [Errno {code}]")
    assert words in open_cause("/dev/ttyX", failure)


def test_a_sim_asking_for_its_pin_without_pin_given_is_not_tested() -> None:
    with simulator(pin_required=True) as sim:
        line = preflight_error(sim.url)
        typed = sim.journal_text()
    assert "give --pin" in line and "AT+CPIN=" not in typed


def test_a_wrong_pin_is_entered_once_and_never_again() -> None:
    with simulator(pin_required=True) as sim:
        line = preflight_error(sim.url, pin="9999")
        typed = sim.journal_text()
        state = sim.running.call(lambda: sim.bank.modem(0).sim.state.name)
        left = sim.running.call(lambda: sim.bank.modem(0).sim.pin_left)
    assert "refused --pin" in line and "will not try again" in line and "9999" not in line
    assert typed.count("AT+CPIN=") == 1
    assert (state, left) == ("PIN", 2)  # one attempt used, far from a PUK lock


def test_a_pin_is_never_entered_when_the_sim_is_ready() -> None:
    with simulator() as sim:
        binding = GsmBinding(RunConfig(target=sim.url, timeout=1.0,
                                       suite_options={"pin": PIN}))
        binding.preflight()
        binding.close()
        typed = sim.journal_text()
    assert "AT+CPIN=" not in typed


def test_a_puk_locked_sim_is_not_touched() -> None:
    with simulator(pin_required=True) as sim:
        def lock() -> None:
            card = sim.bank.modem(0).sim
            for _ in range(3):
                with suppress(Exception):
                    card.enter_pin("1111")

        sim.running.call(lock)
        line = preflight_error(sim.url, pin=PIN)
        typed = sim.journal_text()
    assert "PUK" in line and "AT+CPIN=" not in typed


def test_no_sim_card() -> None:
    with simulator() as sim:
        sim.running.call(sim.bank.modem(0).remove_sim)
        line = preflight_error(sim.url)
    assert "no SIM card" in line


def test_no_port_is_a_usage_error() -> None:
    done = cli()
    assert done.returncode == USAGE, done.stdout[-2000:] + done.stderr[-2000:]
    assert "--port DEVICE is required" in done.stderr


@pytest.mark.parametrize(("options", "words"), [
    ({"pin": "12"}, "--pin must be 4 to 8 digits"),
    ({"sms_to": "nobody"}, "--sms-to must be a phone number"),
    ({"call_to": "+7 900 abc"}, "--call-to must be a phone number"),
    ({"baud": "fast"}, "--baud must be a whole number"),
    ({"call_wait": "0"}, "--call-wait must be above 0"),
])
def test_bad_option_values_are_usage_errors(options: dict[str, str], words: str) -> None:
    with pytest.raises(ValueError, match=words):
        settings_from("/dev/ttyX", options)
