"""`nabat demo`: the whole system runs its job, leaves the reports, agrees with the world.

The first test runs the command as a user would (a subprocess, ``--out``) and
checks the exit code, the report files (HTML naming the task, XLS an OLE2
compound file), the summary line and that nothing is left in the temporary
directory. The others pin the comparison (``demo_check``) with doctored
journals: a mismatch planted in the world's journal or in the engine's rows
must be caught, and a faithful pair must pass.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from nabat.simulators.system.demo import DemoTask, _reports, mask
from nabat.simulators.system.demo_cast import make_cast
from nabat.simulators.system.demo_check import (
    check_remote_starts,
    check_sms,
    check_voice,
    summary_line,
)
from nabat.simulators.world import default_world
from nabat.system.client.errors import ServerError
from nabat.system.engine.records import (
    AttemptKind,
    AttemptRecord,
    AttemptState,
    RemoteStartRecord,
    TargetRecord,
    TargetState,
)
from nabat.system.protocol import ErrorCode

NABAT = [sys.executable, "-m", "nabat.system.cli.main"]
OLE2 = bytes.fromhex("d0cf11e0a1b11ae1")  # the compound file signature of an XLS workbook
NOW = datetime(2025, 1, 1, tzinfo=UTC)


def test_demo_runs_reports_and_agrees_with_the_world(tmp_path: Path) -> None:
    env = {**os.environ, "TMPDIR": str(tmp_path), "COLUMNS": "160"}
    out = tmp_path / "out"
    result = subprocess.run(
        [*NABAT, "demo", "--out", str(out)],
        capture_output=True, text=True, timeout=180, env=env, cwd=tmp_path,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    found = re.search(r"agrees with the world's journal: (\d+) of (\d+) abonents", output)
    assert found and found[1] == found[2] == "16", output[-4000:]
    names = {1: "Учебная тревога", 2: "Сбор по SMS", 3: "Сбор руководства"}
    for task, slug in ((1, "alarm"), (2, "sms"), (3, "remote")):
        html = (out / f"nabat-demo-{task}-{slug}.html").read_text(encoding="utf-8")
        assert names[task] in html
        xls = (out / f"nabat-demo-{task}-{slug}.xls").read_bytes()
        assert xls.startswith(OLE2)
        assert f"nabat-demo-{task}-{slug}.html" in output
    remote = (out / "nabat-demo-3-remote.html").read_text(encoding="utf-8")
    assert "not verified" in remote  # the spoofed call, refused, is in the report
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("nabat-demo")] == []


# --- the comparison, with doctored journals ----------------------------------


def _attempt(number: int, outcome: str, *, confirmed: bool = False, reference: str = "",
             kind: AttemptKind = AttemptKind.VOICE) -> AttemptRecord:  # fmt: skip
    return AttemptRecord(
        id=number, abonent_id=1, round=number, kind=kind, address="+79000001000",
        channel="gsm1", state=AttemptState.DONE, outcome=outcome, started=NOW, ended=NOW,
        confirmed=confirmed, verification="registered" if kind is AttemptKind.VOICE else "",
        reference=reference,
    )  # fmt: skip


def _target(state: TargetState, *attempts: AttemptRecord) -> TargetRecord:
    return TargetRecord(abonent_id=1, name="Иванов Иван", priority=0, state=state,
                        rounds=len(attempts), confirm_key="", addresses=("+79000001000",),
                        attempts=attempts)  # fmt: skip


def _voice(outcome: str, dtmf: str = "none") -> dict[str, Any]:
    return {"kind": "voice", "address": "79000001000", "outcome": outcome, "dtmf": dtmf}


BUSY_THEN_CONFIRMED = _target(
    TargetState.CONFIRMED, _attempt(1, "busy"), _attempt(2, "answered", confirmed=True)
)


def test_voice_check_passes_a_faithful_report() -> None:
    journal = [_voice("busy"), {"kind": "antifraud", "address": "79000001000"},
               _voice("answered", "confirm")]  # fmt: skip
    (check,) = check_voice("Учения", [BUSY_THEN_CONFIRMED], journal)
    assert check.agrees and check.world == "busy, answered/confirm"
    assert summary_line([check]) == "agrees with the world's journal: 1 of 1 abonents"


def test_voice_check_catches_a_confirmation_the_world_never_gave() -> None:
    (check,) = check_voice("Учения", [BUSY_THEN_CONFIRMED],
                           [_voice("busy"), _voice("answered", "wrong")])  # fmt: skip
    assert not check.agrees
    assert any("call 2: the engine says confirmed" in p for p in check.problems)
    assert any("never confirmed" in p for p in check.problems)
    assert summary_line([check]) == "agrees with the world's journal: 0 of 1 abonents"


def test_voice_check_catches_a_call_the_world_did_not_see() -> None:
    (check,) = check_voice("Учения", [BUSY_THEN_CONFIRMED], [_voice("answered", "confirm")])
    assert check.problems[0] == "the engine placed 2 call(s), the world saw 1"


def test_voice_check_catches_an_unregistered_call_and_a_wrong_outcome() -> None:
    unregistered = TargetRecord(
        abonent_id=1, name="Иванов Иван", priority=0, state=TargetState.EXHAUSTED, rounds=1,
        confirm_key="", addresses=("+79000001000",),
        attempts=(AttemptRecord(id=1, abonent_id=1, round=1, kind=AttemptKind.VOICE,
                                address="+79000001000", channel="gsm1",
                                state=AttemptState.DONE, outcome="no_answer", started=NOW,
                                ended=NOW, verification="rejected"),),
    )  # fmt: skip
    (check,) = check_voice("Учения", [unregistered], [_voice("answered", "none")])
    assert any("not registered" in p for p in check.problems)
    assert any("the engine says no_answer, the world decided answered" in p
               for p in check.problems)  # fmt: skip


def _message(provider_id: str, status: str, outcome: str,
             address: str = "79000001000") -> dict[str, Any]:  # fmt: skip
    return {"provider_id": provider_id, "address": address, "status": status,
            "decision": {"outcome": outcome}}  # fmt: skip


SMS_RETRIED = _target(
    TargetState.NOTIFIED,
    _attempt(1, "undelivered", reference="p1", kind=AttemptKind.SMS),
    _attempt(2, "delivered", reference="p2", kind=AttemptKind.SMS),
)


def test_sms_check_passes_a_faithful_report() -> None:
    messages = [_message("p1", "undelivered", "undelivered"),
                _message("p2", "delivered", "delivered")]  # fmt: skip
    (check,) = check_sms("SMS", [SMS_RETRIED], messages)
    assert check.agrees and check.world == "undelivered, delivered"


def test_sms_check_catches_a_delivery_the_world_refused() -> None:
    messages = [_message("p1", "undelivered", "undelivered"),
                _message("p2", "undelivered", "undelivered")]  # fmt: skip
    (check,) = check_sms("SMS", [SMS_RETRIED], messages)
    assert not check.agrees
    assert any("SMS 2: the engine says delivered" in p for p in check.problems)
    assert any("did not deliver the last SMS" in p for p in check.problems)


def test_sms_check_catches_a_lost_message_and_a_wrong_address() -> None:
    (check,) = check_sms("SMS", [SMS_RETRIED], [
        _message("p2", "delivered", "delivered", address="79999999999")
    ])  # fmt: skip
    assert any("no message 'p1'" in p for p in check.problems)
    assert any("sent it to 79999999999" in p for p in check.problems)


def _start(accepted: bool, reason: str, task_id: int | None) -> RemoteStartRecord:
    return RemoteStartRecord(time=NOW, via="call", channel="gsm1", caller="79000003000",
                             task_id=task_id, accepted=accepted, reason=reason)  # fmt: skip


def test_remote_start_check() -> None:
    refused = _start(False, "caller not verified: not_found (HTTP 404)", None)
    assert check_remote_starts([refused, _start(True, "started", 3)], "79000003000", 3) == []
    spoofed_accepted = check_remote_starts(
        [_start(True, "started", 3), _start(True, "started", 3)], "79000003000", 3
    )
    assert spoofed_accepted and "spoofed call was not refused" in spoofed_accepted[0]
    assert check_remote_starts([refused], "79000003000", 3) == [
        "2 remote starts by call from 79000003000 expected, the log has 1"
    ]


def test_the_cast_comes_from_the_plan_and_masks_name_their_channels() -> None:
    world = default_world()
    cast = make_cast(world)
    people = [*cast.everyone, cast.dispatcher]
    assert len({p.phone for p in people}) == len(people) == 9
    for person in people:
        assert world.plan.region(person.phone) is not None
        assert world.decide_sms(person.phone, 1).outcome.value != "expired"
    assert mask([1, 2, 3, 4]) == "1111" and mask([7]) == "0000001"


class _RefusingClient:
    """Answers GETREPORT as the server does for a task that never ran."""

    def __init__(self, error: ServerError) -> None:
        self.error = error

    async def call(self, word: str, *values: object) -> object:
        raise self.error


async def test_a_task_that_never_ran_has_no_reports_and_other_errors_surface(
    tmp_path: Path,
) -> None:
    # A failed remote start leaves its task WAITING; the demo lists the problem and must
    # not die on GETREPORT's ERR_TASKNOTRUNNING (it once ended in a traceback).
    task = DemoTask(3, "Сбор руководства", "voice", "remote")
    never_ran = ServerError("GETREPORT", ErrorCode.TASKNOTRUNNING, "задание еще не выполнялось")
    assert await _reports(_RefusingClient(never_ran), task, tmp_path) == ()  # type: ignore[arg-type]
    other = ServerError("GETREPORT", ErrorCode.GETREPORT, "сбой")
    with pytest.raises(ServerError):
        await _reports(_RefusingClient(other), task, tmp_path)  # type: ignore[arg-type]
