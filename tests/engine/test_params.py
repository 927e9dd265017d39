"""The inner grammar of a task's text parameters (``nabat.system.engine.params``) and
its use by ADDTASK / UPDATETASK."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nabat.simulators.server_fixture import NabatServerHandle
from nabat.system.engine.params import (
    DAY_NAMES,
    AddInfo,
    ChannelMask,
    ConfirmSpec,
    RemoteSpec,
    Schedule,
    TaskParamError,
    TaskPlan,
    Window,
    parse_addinfo,
    parse_confirm,
)
from nabat.system.protocol import Task, TaskType

from tests.server.wire import WireClient

MONDAY = datetime(2024, 6, 3)  # a Monday, midnight


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """Day 0 = Monday of the test week."""
    return MONDAY + timedelta(days=day, hours=hour, minutes=minute, seconds=second)


def refused(field: str, call: object, *args: str) -> TaskParamError:
    with pytest.raises(TaskParamError) as caught:
        call(*args)  # type: ignore[operator]
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}: ")
    return caught.value


# -- channels -------------------------------------------------------------------------------


def test_empty_mask_allows_every_channel() -> None:
    mask = ChannelMask.parse("")
    assert all(mask.allows(number) for number in (1, 2, 60, 1000))


def test_mask_allows_its_ones_and_nothing_past_its_end() -> None:
    mask = ChannelMask.parse("1010")
    assert [mask.allows(number) for number in range(1, 7)] == [
        True,
        False,
        True,
        False,
        False,
        False,
    ]
    with pytest.raises(ValueError, match="start at 1"):
        mask.allows(0)


def test_mask_refuses_other_characters() -> None:
    assert "'10x2'" in str(refused("channels", ChannelMask.parse, "10x2"))


# -- schedule --------------------------------------------------------------------------------


def test_empty_schedule_is_always_open() -> None:
    schedule = Schedule.parse("")
    assert schedule.always and schedule.is_open(at(2, 3)) and schedule.next_change(at(2, 3)) is None
    assert Schedule.parse("  ").windows == ()


def test_working_days_and_a_saturday_window() -> None:
    schedule = Schedule.parse("mon-fri@08:00-20:00;sat@10:00-14:00")
    assert not schedule.is_open(at(0, 7, 59, 59))
    assert schedule.is_open(at(0, 8)) and schedule.is_open(at(4, 19, 59))
    assert not schedule.is_open(at(4, 20))
    assert schedule.is_open(at(5, 12)) and not schedule.is_open(at(6, 12))
    assert schedule.next_change(at(0, 7, 30)) == at(0, 8)
    assert schedule.next_change(at(0, 8)) == at(0, 20)  # a change instant belongs to the new state
    assert schedule.next_change(at(5, 15)) == at(7, 8)  # next Monday


def test_a_window_past_midnight_belongs_to_its_start_day() -> None:
    schedule = Schedule.parse("fri@22:00-02:00")
    assert schedule.is_open(at(4, 23)) and schedule.is_open(at(5, 1, 59))
    assert not schedule.is_open(at(5, 2)) and not schedule.is_open(at(3, 1))  # not Thursday night
    assert schedule.next_change(at(4, 23)) == at(5, 2)


def test_sunday_night_wraps_into_next_monday() -> None:
    schedule = Schedule.parse("sun@23:00-01:00")
    assert schedule.is_open(at(0, 0, 30))  # Monday 00:30 is Sunday's window
    assert schedule.next_change(at(6, 12)) == at(6, 23)
    assert schedule.next_change(at(6, 23, 30)) == at(7, 1)


def test_days_numbers_ranges_and_spaces() -> None:
    schedule = Schedule.parse(" 6-1 @ 9:00 - 10:00 ; Wed,5 @ 00:00-24:00 ")
    assert schedule.windows[0].days == frozenset({5, 6, 0})  # sat-mon wraps
    assert schedule.windows[1] == Window(frozenset({2, 4}), 0, 1440)
    assert Schedule.parse("SAT-MON@09:00-10:00").windows[0].days == frozenset({5, 6, 0})


def test_whole_week_never_changes() -> None:
    schedule = Schedule.parse("mon-sun@00:00-24:00")
    assert schedule.always and schedule.next_change(at(3, 3)) is None


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("08:00-08:00", "empty window"),
        ("8-20", "time must be HH:MM"),
        ("24:00-10:00", "from 00:00 to 23:59"),
        ("10:00-24:01", "from 00:00 to 24:00"),
        ("10:60-11:00", "time must be"),
        ("fun@10:00-11:00", "day must be mon-sun or 1-7"),
        ("8@10:00-11:00", "day must be"),
        ("mon,,tue@10:00-11:00", "empty day"),
        ("@10:00-11:00", "empty day"),
        ("mon-fri 08:00-20:00", "time must be"),
        ("10:00", "a window is [DAYS@]HH:MM-HH:MM"),
        (";", "no window"),
        ("10:00-11:00;" * 65, "at most 64 windows, got 65"),
        ("10:00-11:00;١٠:00-11:00", "time must be"),  # Arabic-Indic digits are not digits here
    ],
)
def test_bad_schedules_name_the_field(text: str, says: str) -> None:
    assert says in str(refused("schedule", Schedule.parse, text))


def test_a_long_bad_value_is_quoted_short() -> None:
    error = refused("schedule", Schedule.parse, "x" * 10_000)
    assert len(str(error)) < 200


days = st.frozensets(st.integers(0, 6), min_size=1)
minutes = st.integers(0, 1439)
windows = st.builds(
    lambda d, s, length: Window(d, s, (s + length) % 1440 or 1440),
    days,
    minutes,
    st.integers(1, 1439),
)
schedules = st.lists(windows, min_size=1, max_size=4).map(lambda w: Schedule(tuple(w)))
instants = st.integers(0, 14 * 86400 * 1000).map(lambda ms: MONDAY + timedelta(milliseconds=ms))


@settings(max_examples=150, deadline=None)
@given(schedules, instants)
def test_next_change_is_where_the_state_flips(schedule: Schedule, when: datetime) -> None:
    change = schedule.next_change(when)
    if change is None:
        assert schedule.is_open(when) and schedule.is_open(when + timedelta(days=3))
        return
    assert when < change <= when + timedelta(days=7)
    just_before = change - timedelta(microseconds=1)
    assert schedule.is_open(just_before) == schedule.is_open(when)
    assert schedule.is_open(change) != schedule.is_open(when)


@settings(max_examples=100, deadline=None)
@given(schedules, instants)
def test_open_is_what_the_windows_say(schedule: Schedule, when: datetime) -> None:
    """An independent reading: open when some window began on ``when``'s day (or the day
    before, past midnight) and has not ended yet."""
    minute = when.hour * 60 + when.minute
    today, yesterday = when.weekday(), (when.weekday() - 1) % 7
    expected = any(
        (today in w.days and w.start <= minute < (w.end if w.end > w.start else 1440))
        or (yesterday in w.days and w.end < w.start and minute < w.end)
        for w in schedule.windows
    )
    assert schedule.is_open(when) == expected


@settings(max_examples=100, deadline=None)
@given(schedules)
def test_schedule_text_round_trips(schedule: Schedule) -> None:
    again = Schedule.parse(schedule.to_text())
    assert again == schedule and again.to_text() == schedule.to_text()


def test_schedule_text_uses_ranges() -> None:
    text = "mon-fri@08:00-20:00;sat,sun@10:00-14:00;mon,wed,fri-sun@22:00-01:00;00:00-24:00"
    assert Schedule.parse(text).to_text() == text
    assert Schedule.parse("1,2,3,4,5@8:00-20:00").to_text() == "mon-fri@08:00-20:00"


@given(st.text(max_size=40))
@settings(max_examples=200, deadline=None)
def test_any_schedule_text_parses_or_names_the_field(text: str) -> None:
    try:
        Schedule.parse(text)
    except TaskParamError as error:
        assert error.field == "schedule"


# -- confirm ---------------------------------------------------------------------------------


def test_no_confirmation() -> None:
    assert parse_confirm("") is None


def test_bare_keys_and_pairs() -> None:
    assert parse_confirm("1") == ConfirmSpec("1", repeat=2, wait=10)
    assert parse_confirm("12#") == ConfirmSpec("12#")
    assert parse_confirm("key=1;repeat=3;wait=15") == ConfirmSpec("1", 3, 15)
    assert parse_confirm(" Key = *A ; WAIT=300 ;") == ConfirmSpec("*A", 2, 300)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("x", "key must be 1-32 of 0-9 * # A-D, got 'x'"),
        ("1" * 33, "key must be 1-32"),
        ("repeat=3", "key must be 1-32 of 0-9 * # A-D, got ''"),
        ("key=1;repeat=0", "repeat must be 1-10, got 0"),
        ("key=1;repeat=11", "repeat must be 1-10"),
        ("key=1;wait=301", "wait must be 1-300"),
        ("key=1;wait=soon", "wait: 'soon' is not a number"),
        ("key=1;tone=yes", "tone: not one of key, repeat, wait"),
        ("1;repeat=2", "'1' is not key=value"),
    ],
)
def test_bad_confirm_names_the_field(text: str, says: str) -> None:
    assert says in str(refused("confirm", parse_confirm, text))


# -- addinfo ---------------------------------------------------------------------------------


def test_addinfo_defaults_and_values() -> None:
    assert parse_addinfo("") == AddInfo(3, 300, 45, None, 600, None)
    info = parse_addinfo("attempts=5;interval=120;report=xls")
    assert info == AddInfo(attempts=5, interval=120, report="XLS")
    info = parse_addinfo("ring=30;sms_wait=0;email_from=alerts@example.org;report=XLSX")
    assert (info.ring, info.sms_wait, info.email_from, info.report) == (
        30,
        0,
        "alerts@example.org",
        "XLSX",
    )


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("attempts=0", "attempts must be 1-100, got 0"),
        ("attempts=101", "attempts must be 1-100"),
        ("interval=-1", "interval must be 0-86400"),
        ("ring=4", "ring must be 5-300"),
        ("sms_wait=604801", "sms_wait must be 0-604800"),
        ("report=PDF", "report must be HTML, XLS or XLSX, got 'PDF'"),
        ("email_from=nobody", "email_from must be local@domain"),
        ("colour=red", "colour: not one of attempts, interval, ring, report, sms_wait, email_from"),
        ("доп. информация", "is not key=value"),
    ],
)
def test_bad_addinfo_names_the_field(text: str, says: str) -> None:
    assert says in str(refused("addinfo", parse_addinfo, text))


@settings(max_examples=100, deadline=None)
@given(
    st.integers(1, 100),
    st.integers(0, 86400),
    st.integers(5, 300),
    st.sampled_from([None, "HTML", "XLS", "XLSX"]),
    st.integers(0, 604800),
)
def test_addinfo_round_trips(
    attempts: int, interval: int, ring: int, report: str | None, sms_wait: int
) -> None:
    text = f"attempts={attempts};interval={interval};ring={ring};sms_wait={sms_wait}"
    if report is not None:
        text += f";report={report.lower()}"
    assert parse_addinfo(text) == AddInfo(attempts, interval, ring, report, sms_wait)


# -- remote start ----------------------------------------------------------------------------


def test_remote_start_off() -> None:
    remote = RemoteSpec.parse("", "", "")
    assert not remote.by_call and not remote.by_sms
    assert not remote.matches_keys("") and not remote.matches_sms(" ")
    assert RemoteSpec.parse("", "1234", "") == RemoteSpec("", "1234", "")  # a PIN alone is fine


def test_remote_start_by_keys() -> None:
    remote = RemoteSpec.parse("5#", "1234", "")
    assert remote.matches_keys("5#1234") and remote.matches_keys("5#1234#")
    assert not remote.matches_keys("5#12345") and not remote.matches_keys("5#123")
    assert not remote.matches_keys("1234") and not remote.matches_keys("5#1234##")
    assert not remote.matches_keys("5#١٢٣٤") and not remote.matches_sms("x 1234")


def test_remote_start_by_sms() -> None:
    remote = RemoteSpec.parse("", "1234", "Старт")
    assert remote.matches_sms("СТАРТ 1234") and remote.matches_sms("  старт\t1234\n")
    assert not remote.matches_sms("старт 12345") and not remote.matches_sms("старт")
    assert not remote.matches_sms("старт 1234 please") and not remote.matches_sms("стоп 1234")
    assert not remote.matches_keys("1234")


@pytest.mark.parametrize(
    ("rkey", "rpin", "rsms", "field", "says"),
    [
        ("5x", "1", "", "rkey", "0-16 of 0-9 * #"),
        ("1" * 17, "1", "", "rkey", "0-16"),
        ("5", "12a", "", "rpin", "0-16 digits"),
        ("5", "1" * 17, "", "rpin", "0-16 digits"),
        ("", "1", "старт-1", "rsms", "letters (Latin or Cyrillic) and digits"),
        ("", "1", "two words", "rsms", "letters"),
        ("5", "", "", "rpin", "needs a PIN"),
        ("", "", "START", "rpin", "needs a PIN"),
    ],
)
def test_bad_remote_start_names_the_field(
    rkey: str, rpin: str, rsms: str, field: str, says: str
) -> None:
    assert says in str(refused(field, RemoteSpec.parse, rkey, rpin, rsms))


# -- the whole plan --------------------------------------------------------------------------


def task(**fields: str) -> Task:
    return Task(ttype=TaskType.CALL, name="t", listid=1, messageid=1, priority=4, **fields)


def test_plan_of_a_task() -> None:
    plan = TaskPlan.from_task(
        task(
            channels="011",
            schedule="mon-fri@08:00-20:00",
            rkey="5#",
            rpin="1234",
            rsms="START",
            confirm="key=1;repeat=3",
            addinfo="attempts=5;interval=120;report=XLS",
        )
    )
    assert (plan.ttype, plan.priority) == (TaskType.CALL, 4)
    assert plan.mask.allows(2) and not plan.mask.allows(1)
    assert plan.schedule.is_open(at(0, 9)) and plan.confirm == ConfirmSpec("1", 3, 10)
    assert (plan.attempts, plan.interval, plan.ring, plan.report) == (5, 120, 45, "XLS")
    assert (plan.sms_wait, plan.email_from) == (600, None)
    assert plan.remote == RemoteSpec("5#", "1234", "START")


def test_plan_of_an_all_empty_task_is_the_defaults() -> None:
    plan = TaskPlan.from_task(task())
    assert plan.schedule.always and plan.confirm is None and plan.mask.allows(99)
    assert (plan.attempts, plan.interval, plan.report) == (3, 300, None)
    assert not plan.remote.by_call and not plan.remote.by_sms


def test_plan_names_the_first_bad_field() -> None:
    with pytest.raises(TaskParamError) as caught:
        TaskPlan.from_task(task(schedule="always", confirm="x", addinfo="bad"))
    assert caught.value.field == "schedule"
    with pytest.raises(TaskParamError) as caught:
        TaskPlan.from_task(task(confirm="x", addinfo="bad"))
    assert caught.value.field == "confirm"


def test_day_names_are_monday_first() -> None:
    assert DAY_NAMES[MONDAY.weekday()] == "mon"


# -- ADDTASK / UPDATETASK ----------------------------------------------------------------------


async def test_server_refuses_bad_parameters(nabat_server: NabatServerHandle) -> None:
    client = await WireClient.connect(nabat_server.host, nabat_server.port, nabat_server.cafile)
    try:
        assert (await client.login(nabat_server.admin_login, nabat_server.admin_password)).ok
        lid = (await client.request("ADDLIST", "l", "")).head[0]
        mid = (await client.request("ADDMESSAGE", "1", "m", "текст", "", "")).head[0]
        head = ("0", "0", "t", lid, mid, "0", "")
        bad = await client.request("ADDTASK", *head, "", "", "", "", "x", "")
        assert bad.error is not None and bad.error.code == "ERR_ADDTASK"
        assert "confirm: key must be 1-32" in bad.error.text
        good = ("mon-fri@08:00-20:00", "5#", "1234", "START", "1", "attempts=5")
        added = await client.request("ADDTASK", *head, *good)
        assert added.ok, added
        tid = added.head[0]
        update = (tid, "0", "0", "t", lid, mid, "0", "", *good[:-1], "attempts=0")
        bad = await client.request("UPDATETASK", *update)
        assert bad.error is not None and bad.error.code == "ERR_UPDATETASK"
        assert "addinfo: attempts must be 1-100" in bad.error.text
        stored = await client.request("GETTASK", tid)
        assert stored.head[-1] == "attempts=5"  # the refused update changed nothing
    finally:
        await asyncio.wait_for(client.close(), 5)
