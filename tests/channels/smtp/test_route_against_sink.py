"""The e-mail route end to end against the SMTP sink fixture: Unicode, STARTTLS
modes, retries on 4xx only, batching per connection, UNKNOWN on a lost reply
to the final dot, AUTH failure. Backoff sleeps are recorded, never slept."""

from __future__ import annotations

from typing import Any

from nabat.system.channels.base import Activity, EmailOutcome, EmailRoute, OutgoingEmail
from nabat.system.channels.smtp import SmtpRoute, SmtpSettings, StartTls

SUBJECT = "Оповещение: проверка связи «Набат» №3"
BODY = "Внимание!\nЭто проверка системы оповещения — ответа не требуется.\nЁжик ёлка.\n"
ALL_ACCEPTED = {"domain": "example.org", "email": {"outcomes": {"accepted": 1}}}


class Sleeps:
    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


def route_for(sink: Any, sleeps: Sleeps | None = None, **changes: Any) -> SmtpRoute:
    values: dict[str, Any] = {
        "host": sink.host,
        "port": sink.port,
        "ca_file": str(sink.ca_file) if sink.ca_file else None,
        "login": "nabat",
        "password": "nabat",
        "from_address": "nabat@example.net",
        "timeout": 5.0,
        "retries": 2,
        **changes,
    }
    return SmtpRoute(SmtpSettings(**values), sleep=sleeps or Sleeps())


def prepared(sink: Any) -> Any:
    sink.control.set_clock(freeze=True)
    sink.control.add_override(**ALL_ACCEPTED)
    return sink


def journal(sink: Any, command: str) -> list[dict[str, Any]]:
    return [e for e in sink.control.journal(limit=1000) if e["path"] == command]


async def test_the_route_is_an_email_route(smtp_sink: Any) -> None:
    route = route_for(smtp_sink)
    assert isinstance(route, EmailRoute)
    assert route.status().activity is Activity.IDLE


async def test_russian_text_arrives_identical_with_smtputf8(smtp_sink: Any) -> None:
    sink = prepared(smtp_sink)
    [result] = await route_for(sink).send_email(["ivan@example.org"], SUBJECT, BODY)
    assert result.outcome is EmailOutcome.SENT, result
    assert result.reply.startswith("250")
    [stored] = sink.control.messages()
    assert stored["subject"] == SUBJECT
    assert stored["parts"][0]["text"] == BODY
    assert stored["parts"][0]["transfer_encoding"] == "8bit"
    assert {"SMTPUTF8", "BODY=8BITMIME"} <= set(stored["mail_options"])
    assert stored["session"]["tls"] is True and stored["session"]["login"] == "nabat"


async def test_russian_text_arrives_identical_without_smtputf8(smtp_sink_factory: Any) -> None:
    sink = prepared(smtp_sink_factory(smtputf8=False))
    [result] = await route_for(sink).send_email(["ivan@example.org"], SUBJECT, BODY)
    assert result.outcome is EmailOutcome.SENT, result
    [stored] = sink.control.messages()
    assert stored["subject"] == SUBJECT  # RFC 2047 encoded-words, decoded by the sink
    assert stored["parts"][0]["text"] == BODY
    assert "SMTPUTF8" not in stored["mail_options"]
    subject_header = dict(stored["headers"])["Subject"]
    assert subject_header == SUBJECT


async def test_a_utf8_address_without_smtputf8_is_rejected_by_the_route(
    smtp_sink_factory: Any,
) -> None:
    sink = prepared(smtp_sink_factory(smtputf8=False))
    [result] = await route_for(sink).send_email(["иван@пример.рф"], SUBJECT, BODY)
    assert result.outcome is EmailOutcome.REJECTED
    assert "SMTPUTF8" in result.reply
    assert sink.control.messages() == []


async def test_starttls_required_but_not_offered_fails_the_route(smtp_sink_factory: Any) -> None:
    sink = prepared(smtp_sink_factory(tls=False))
    route = route_for(sink, login="", starttls=StartTls.REQUIRED)
    [result] = await route.send_email(["a@example.org"], "s", "b")
    assert result.outcome is EmailOutcome.DEFERRED
    assert "STARTTLS" in result.reply
    assert route.status().activity is Activity.FAILED
    assert sink.control.messages() == []
    assert route.connections == 1  # no rounds of retrying a wrong setting


async def test_starttls_opportunistic_sends_in_clear_when_not_offered(
    smtp_sink_factory: Any,
) -> None:
    sink = prepared(smtp_sink_factory(tls=False, auth_require_tls=False))
    route = route_for(sink, starttls=StartTls.OPPORTUNISTIC)
    [result] = await route.send_email(["a@example.org"], "s", "b")
    assert result.outcome is EmailOutcome.SENT
    [stored] = sink.control.messages()
    assert stored["session"]["tls"] is False and stored["session"]["login"] == "nabat"


async def test_starttls_opportunistic_uses_tls_when_offered(smtp_sink: Any) -> None:
    sink = prepared(smtp_sink)
    route = route_for(sink, starttls=StartTls.OPPORTUNISTIC)
    [result] = await route.send_email(["a@example.org"], "s", "b")
    assert result.outcome is EmailOutcome.SENT
    assert sink.control.messages()[0]["session"]["tls"] is True


async def test_starttls_off_never_upgrades(smtp_sink: Any) -> None:
    sink = prepared(smtp_sink)
    route = route_for(sink, login="", starttls=StartTls.OFF)
    [result] = await route.send_email(["a@example.org"], "s", "b")
    assert result.outcome is EmailOutcome.SENT
    assert sink.control.messages()[0]["session"]["tls"] is False


async def test_a_4xx_is_retried_and_counted(smtp_sink: Any) -> None:
    sink = prepared(smtp_sink)
    sink.control.add_fault("status", ["rcpt"], status=451, count=1)
    sleeps = Sleeps()
    [result] = await route_for(sink, sleeps).send_email(["a@example.org"], "s", "b")
    assert result.outcome is EmailOutcome.SENT
    assert result.attempts == 2
    assert [e["status"] for e in journal(sink, "RCPT")] == [451, 250]
    assert len(sleeps.delays) == 1
    assert len(sink.control.messages()) == 1


async def test_4xx_every_time_ends_deferred_after_the_retries(smtp_sink: Any) -> None:
    sink = prepared(smtp_sink)
    sink.control.add_fault("status", ["mail"], status=421)
    sleeps = Sleeps()
    route = route_for(sink, sleeps, retries=2)
    [result] = await route.send_email(["a@example.org"], "s", "b")
    assert result.outcome is EmailOutcome.DEFERRED
    assert result.attempts == 3 and result.reply.startswith("421")
    assert len(journal(sink, "MAIL")) == 3
    assert len(sleeps.delays) == 2 and sleeps.delays[1] >= sleeps.delays[0] / 2


async def test_a_5xx_is_final_at_once(smtp_sink: Any) -> None:
    sink = prepared(smtp_sink)
    sink.control.add_fault("status", ["end_of_data"], status=554)
    sleeps = Sleeps()
    [result] = await route_for(sink, sleeps).send_email(["a@example.org"], "s", "b")
    assert result.outcome is EmailOutcome.REJECTED
    assert result.attempts == 1 and result.reply.startswith("554")
    assert sleeps.delays == []
    assert len(journal(sink, "END-OF-DATA")) == 1


async def test_the_world_rejects_one_recipient_of_a_message(smtp_sink: Any) -> None:
    sink = prepared(smtp_sink)
    sink.control.add_override(address="gone@example.org", email={"outcomes": {"rejected": 1}})
    results = await route_for(sink).send_email(["gone@example.org", "here@example.org"], "s", "b")
    assert [(r.recipient, r.outcome) for r in results] == [
        ("gone@example.org", EmailOutcome.REJECTED),
        ("here@example.org", EmailOutcome.SENT),
    ]
    assert results[0].reply.startswith("550")


async def test_a_batch_uses_one_connection(smtp_sink: Any) -> None:
    sink = prepared(smtp_sink)
    route = route_for(sink)
    messages = [
        OutgoingEmail((f"u{i}@example.org",), f"Тема {i}", f"Текст {i}\n", key=f"k{i}")
        for i in range(6)
    ]
    results = await route.send_emails(messages)
    assert [r.key for r in results] == [f"k{i}" for i in range(6)]
    assert all(r.outcome is EmailOutcome.SENT for r in results)
    stored = sink.control.messages()
    assert sorted(m["subject"] for m in stored) == sorted(f"Тема {i}" for i in range(6))
    assert len({m["session"]["connection"] for m in stored}) == 1
    assert route.connections == 1


async def test_batches_split_by_messages_per_connection_and_recipients(smtp_sink: Any) -> None:
    sink = prepared(smtp_sink)
    route = route_for(sink, max_messages_per_connection=2, max_recipients=2)
    message = OutgoingEmail(tuple(f"u{i}@example.org" for i in range(5)), "s", "b")
    results = await route.send_emails([message])
    assert len(results) == 5 and all(r.outcome is EmailOutcome.SENT for r in results)
    stored = sink.control.messages()
    assert [len(m["recipients"]) for m in sorted(stored, key=lambda m: m["id"])] == [2, 2, 1]
    assert len({m["session"]["connection"] for m in stored}) == 2
    assert route.connections == 2


async def test_a_lost_reply_to_the_dot_is_unknown_and_not_resent(smtp_sink: Any) -> None:
    sink = prepared(smtp_sink)
    sink.control.add_fault("reset", ["end_of_data"], count=1)
    sleeps = Sleeps()
    route = route_for(sink, sleeps)
    results = await route.send_emails(
        [OutgoingEmail(("a@example.org",), "s", "b"), OutgoingEmail(("b@example.org",), "t", "c")]
    )
    assert [r.outcome for r in results] == [EmailOutcome.UNKNOWN, EmailOutcome.SENT]
    assert results[0].attempts == 1
    stored = sink.control.messages()
    assert [m["recipients"][0]["address"] for m in stored].count("a@example.org") == 1
    assert len(stored) == 2  # the sink did take it: resending would duplicate it


async def test_a_disconnect_before_the_data_is_retried(smtp_sink: Any) -> None:
    sink = prepared(smtp_sink)
    sink.control.add_fault("reset", ["rcpt"], count=1)
    [result] = await route_for(sink).send_email(["a@example.org"], "s", "b")
    assert result.outcome is EmailOutcome.SENT and result.attempts == 2
    assert len(sink.control.messages()) == 1


async def test_a_disconnect_mid_data_after_the_dot_was_written_is_unknown(smtp_sink: Any) -> None:
    """The sink drops the connection after the first line of the message; the
    route had written it all, dot included, so it cannot know: UNKNOWN."""
    sink = prepared(smtp_sink)
    sink.control.add_fault("reset", ["data"], count=1)
    [result] = await route_for(sink).send_email(["a@example.org"], "s", "b")
    assert result.outcome is EmailOutcome.UNKNOWN and result.attempts == 1
    assert sink.control.messages() == []


async def test_auth_failure_fails_the_route_then_recovers(smtp_sink: Any) -> None:
    sink = prepared(smtp_sink)
    sleeps = Sleeps()
    route = route_for(sink, sleeps, password="wrong")
    results = await route.send_email(["a@example.org", "b@example.org"], "s", "b")
    assert {r.outcome for r in results} == {EmailOutcome.DEFERRED}
    assert "AUTH refused: 535" in results[0].reply
    assert route.status().activity is Activity.FAILED
    assert sleeps.delays == [] and route.connections == 1
    assert sink.control.messages() == []
    route.settings = SmtpSettings(**{**_fields(route.settings), "password": "nabat"})
    [result] = await route.send_email(["a@example.org"], "s", "b")
    assert result.outcome is EmailOutcome.SENT
    assert route.status().activity is Activity.IDLE


def _fields(settings: SmtpSettings) -> dict[str, Any]:
    return {name: getattr(settings, name) for name in settings.__dataclass_fields__}
