"""Cases for dbg: X-Error-Messages only with dbg set (1, or any non-empty value
but 0), in the ``[0x00000001] text; [0x00000002] text`` format, listing exactly
the set bits, with the Appendix-1 texts; warning messages follow dbg too."""

from __future__ import annotations

import httpx
from nabat.conformance.ats.binding import AtsEnv
from nabat.conformance.ats.steps import check, register
from nabat.conformance.ats.suite import SUITE
from nabat.conformance.ats.wire import (
    BIT_TEXTS,
    describe_bits,
    number_hash,
    parse_messages,
    parse_modern_bits,
    read_error_headers,
)
from nabat.conformance.framework.context import CaseContext

MESSAGES = "X-Error-Messages"


def _messages(
    ctx: CaseContext, response: httpx.Response, what: str
) -> list[tuple[int, str]]:
    """Check the X-Error-Messages of a dbg=1 error answer; return its items."""
    raw = response.headers.get(MESSAGES)
    ctx.check("ATS-DBG-MESSAGES", raw is not None, f"{what}: {MESSAGES} missing with dbg=1")
    assert raw is not None
    items = parse_messages(raw)
    ctx.check("ATS-DBG-MESSAGES", items is not None,
              f"{what}: {MESSAGES} {raw!r} is not '[0x%08x] text; [0x%08x] text'")
    assert items is not None
    bits = read_error_headers(response.headers).bits or 0
    listed = 0
    for bit, _ in items:
        listed |= bit
    ctx.check("ATS-DBG-MESSAGES-MATCH-BITS", listed == bits and len(items) == bin(bits).count("1"),
              f"{what}: messages list {describe_bits(listed)} ({len(items)} items), "
              f"error bits are {describe_bits(bits)}")
    return items


@SUITE.case("ATS-DBG-MESSAGES", "ATS-DBG-MESSAGES-MATCH-BITS", "ATS-DBG-ORDER", "ATS-DBG-TEXTS",
            needs={"dbg"})
def dbg_lists_every_bit(ctx: CaseContext, env: AtsEnv) -> None:
    """dbg=1 on a RegisterCall without a and b lists both bits with their texts."""
    response = env.a.register([("dbg", "1")])
    items = _messages(ctx, response, "RegisterCall without a and b, dbg=1")
    order = [bit for bit, _ in items]
    ctx.check("ATS-DBG-ORDER", order == sorted(order),
              f"messages should be in ascending bit order, got {[hex(b) for b in order]}")
    for bit, text in items:
        if bit in BIT_TEXTS:
            ctx.check("ATS-DBG-TEXTS", text == BIT_TEXTS[bit],
                      f"text of 0x{bit:08x} should be {BIT_TEXTS[bit]!r}, got {text!r}")


@SUITE.case("ATS-DBG-MESSAGES", "ATS-DBG-MESSAGES-MATCH-BITS", "ATS-DBG-TEXTS", needs={"dbg"})
def dbg_texts_of_each_condition(ctx: CaseContext, env: AtsEnv) -> None:
    """Each Appendix-1 condition that can be provoked has the appendix's text."""
    a, b = env.number_a(), env.number_b()
    probes = [
        (env.a, "/RegisterCall", [("a", "7x"), ("b", b)], "a not a number"),
        (env.a, "/RegisterCall", [("a", a), ("b", "7x")], "b not a number"),
        (env.a, "/RegisterCall", [("a", a), ("bh", "xyz")], "bad bh"),
        (env.b, "/CheckCall", [("a", a), ("b", b), ("c", "7x"), ("call_id", env.call_id())],
         "c not a number"),
        (env.b, "/CheckCall", [("a", a), ("b", b), ("ch", number_hash(a).upper()),
                               ("call_id", env.call_id())], "bad ch"),
        (env.b, "/CheckCall", [("a", a), ("b", b), ("d", "7x"), ("call_id", env.call_id())],
         "d not a number"),
        (env.stranger, "/RegisterCall", [("a", a), ("b", b)], "unknown client"),
        (env.b, "/RegisterCall", [("a", a), ("b", b)], "not the owner of a"),
        (env.a, "/RegisterCall", [("a", env.numbers.foreign()), ("b", b)], "a not Russian"),
        (env.a, "/RegisterCall", [("a", env.settings.unknown_number), ("b", b)], "a in no range"),
    ]
    for client, path, params, what in probes:
        response = client.post(path, [*params, ("dbg", "1")])
        for bit, text in _messages(ctx, response, f"{path} ({what}), dbg=1"):
            if bit in BIT_TEXTS:
                ctx.check("ATS-DBG-TEXTS", text == BIT_TEXTS[bit],
                          f"{what}: text of 0x{bit:08x} should be {BIT_TEXTS[bit]!r}, got {text!r}")


@SUITE.case("ATS-DBG-OFF")
def no_messages_without_dbg(ctx: CaseContext, env: AtsEnv) -> None:
    """Without dbg, with dbg=0 and with dbg empty no X-Error-Messages is sent."""
    for extra, what in (([], "no dbg"), ([("dbg", "0")], "dbg=0"), ([("dbg", "")], "dbg=")):
        response = env.a.register(extra)
        raw = response.headers.get(MESSAGES)
        ctx.check("ATS-DBG-OFF", raw is None,
                  f"RegisterCall without a and b, {what}: {MESSAGES} must be absent, got {raw!r}")
        ctx.check("ATS-DBG-OFF", response.headers.get("X-Error-Message") is None,
                  f"RegisterCall without a and b, {what}: X-Error-Message must be absent")


@SUITE.case("ATS-DBG-ANY-VALUE", needs={"dbg"})
def dbg_any_non_empty_value(ctx: CaseContext, env: AtsEnv) -> None:
    """dbg=2 and dbg=true turn the messages on like dbg=1 (intro item 4: any non-empty
    value, preferably 1)."""
    for value in ("2", "true"):
        response = env.a.register([("dbg", value)])
        raw = response.headers.get(MESSAGES)
        ctx.check("ATS-DBG-ANY-VALUE", raw is not None and parse_messages(raw) is not None,
                  f"RegisterCall without a and b, dbg={value}: {MESSAGES} expected, got {raw!r}")


@SUITE.case("ATS-REGISTER-201", "ATS-CHECK-200-REGISTERED", "ATS-WARN-MESSAGES", needs={"dbg"})
def warning_messages_follow_dbg(ctx: CaseContext, env: AtsEnv) -> None:
    """A call_id reused by the same operator may draw a warning. If it does, the warning
    messages come only with dbg=1 and list exactly the warning bits."""
    a, b = env.number_a(), env.number_b()
    register(ctx, env, a, b)
    call_id = env.call_id()
    check(ctx, env, a, b, 200, clause="ATS-CHECK-200-REGISTERED", call_id=call_id)
    for dbg in ("", "1"):
        extra = (("dbg", dbg),) if dbg else ()
        response = check(ctx, env, a, b, 200, clause="ATS-CHECK-200-REGISTERED",
                         call_id=call_id, extra=extra)
        raw_bits = response.headers.get("X-Warning-Bits")
        raw = response.headers.get("X-Warning-Messages")
        what = f"CheckCall reusing call_id {call_id}, dbg={dbg or 'absent'}"
        if raw_bits is None:
            ctx.note(f"{what}: no warning sent")
            continue
        if not dbg:
            ctx.check("ATS-WARN-MESSAGES", raw is None,
                      f"{what}: X-Warning-Messages must be absent without dbg, got {raw!r}")
            continue
        bits = parse_modern_bits(raw_bits) or 0
        items = parse_messages(raw or "")
        listed = 0
        for bit, _ in items or []:
            listed |= bit
        ctx.check("ATS-WARN-MESSAGES", items is not None and listed == bits,
                  f"{what}: X-Warning-Messages should list {describe_bits(bits)} as "
                  f"'[0x%08x] text', got {raw!r}")
