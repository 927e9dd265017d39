"""The SMTP sink with Python's smtplib as an outside client: extensions,
STARTTLS and AUTH, Unicode, limits, world outcomes and bounces, faults."""

from __future__ import annotations

import base64
import email
import smtplib
import time
from email import policy
from email.message import EmailMessage
from typing import Any

import pytest

from tests.simulators.smtp.conftest import ALL_ACCEPTED, connect

SUBJECT = "Оповещение: учебная тревога №7"
BODY = "Уважаемые жители!\nПроводится проверка системы оповещения. Ёлки — «зелёные».\n"


def russian_message(to: str = "ivan@example.org") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "nabat@example.net"
    message["To"] = to
    message["Subject"] = SUBJECT
    message.set_content(BODY, charset="utf-8")
    return message


def plain_auth(login: str, password: str) -> str:
    return base64.b64encode(f"\0{login}\0{password}".encode()).decode()


def test_ehlo_offers_starttls_then_auth_after_tls(sink: Any) -> None:
    with connect(sink, tls=False) as client:
        features = client.esmtp_features
        assert {"starttls", "size", "8bitmime", "smtputf8"} <= set(features)
        assert int(features["size"]) == 10 * 1024 * 1024
        assert "auth" not in features  # AUTH needs STARTTLS first by default
        code, text = client.docmd("AUTH", "PLAIN " + plain_auth("nabat", "nabat"))
        assert code == 538, text
        client.starttls(context=__import__("ssl").create_default_context(cafile=str(sink.ca_file)))
        client.ehlo("client.example.org")
        assert {"PLAIN", "LOGIN"} <= set(client.esmtp_features["auth"].split())
        assert "starttls" not in client.esmtp_features


@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
def test_auth_mechanisms_and_the_login_in_the_journal(sink: Any, mechanism: str) -> None:
    with connect(sink) as client:
        client.user, client.password = "nabat", "nabat"
        method = client.auth_plain if mechanism == "PLAIN" else client.auth_login
        code, _ = client.auth(mechanism, method)
        assert code == 235
        client.sendmail("a@example.net", ["b@example.org"], b"Subject: hi\r\n\r\nhello\r\n")
    [stored] = sink.control.messages()
    assert stored["session"]["login"] == "nabat"
    assert stored["session"]["tls"] is True
    assert stored["session"]["ehlo"] == "client.example.org"


def test_failed_logins_end_in_421(sink: Any) -> None:
    with connect(sink) as client:
        for _ in range(3):
            code, _ = client.docmd("AUTH", "PLAIN " + plain_auth("nabat", "wrong"))
            assert code == 535
        code, text = client.getreply()
        assert code == 421, text
        with pytest.raises(smtplib.SMTPServerDisconnected):
            client.noop()
    assert [e["status"] for e in sink.control.journal() if e["path"] == "AUTH"] == [535] * 3


@pytest.mark.parametrize("smtputf8", [True, False])
def test_russian_subject_and_body_arrive_decoded(smtp_sink_factory: Any, smtputf8: bool) -> None:
    sink = smtp_sink_factory(smtputf8=smtputf8)
    sink.control.add_override(**ALL_ACCEPTED)
    with connect(sink) as client:
        assert client.has_extn("smtputf8") is smtputf8
        client.send_message(russian_message())
    [stored] = sink.control.messages()
    assert stored["subject"] == SUBJECT
    assert stored["parts"][0]["text"] == BODY
    assert ("SMTPUTF8" in stored["mail_options"]) is False  # ASCII addresses: not needed
    assert sink.control.message(stored["id"])["id"] == stored["id"]


def test_utf8_address_needs_smtputf8(smtp_sink_factory: Any) -> None:
    sink = smtp_sink_factory()
    sink.control.add_override(domain="пример.рф", email={"outcomes": {"accepted": 1}})
    with connect(sink) as client:
        client.send_message(russian_message("иван@пример.рф"))
    [stored] = sink.control.messages()
    assert "SMTPUTF8" in stored["mail_options"]
    assert stored["recipients"][0]["address"] == "иван@пример.рф"
    assert stored["subject"] == SUBJECT


def test_message_over_size_is_552_and_not_stored(smtp_sink_factory: Any) -> None:
    sink = smtp_sink_factory(max_message_bytes=2000)
    with connect(sink) as client:
        with pytest.raises(smtplib.SMTPSenderRefused) as refused:  # SIZE= announced
            client.sendmail("a@example.net", ["b@example.org"], b"x" * 3000)
        assert refused.value.smtp_code == 552
        client.rset()
        assert client.mail("a@example.net")[0] == 250  # no SIZE: found out at the dot
        assert client.rcpt("b@example.org")[0] in (250, 550)
        client.rcpt("c@example.org")
        code, _ = client.data(b"Subject: big\r\n\r\n" + (b"y" * 998 + b"\r\n") * 3)
        assert code == 552
    assert sink.control.messages() == []


def test_recipients_beyond_the_limit_get_452(smtp_sink_factory: Any) -> None:
    sink = smtp_sink_factory(max_recipients=2)
    sink.control.add_override(**ALL_ACCEPTED)
    with connect(sink) as client:
        refused = client.sendmail(
            "a@example.net", ["a@example.org", "b@example.org", "c@example.org"], b"\r\nhi\r\n"
        )
    assert refused == {"c@example.org": (452, b"4.5.3 Too many recipients")}
    [stored] = sink.control.messages()
    assert [r["address"] for r in stored["recipients"]] == ["a@example.org", "b@example.org"]


def test_a_malformed_address_gets_553(sink: Any) -> None:
    with connect(sink) as client:
        assert client.mail("a@example.net")[0] == 250
        code, text = client.rcpt("no-at-sign")
        assert code == 553, text
        assert client.rcpt("b@example.org")[0] == 250  # the transaction goes on


def test_world_rejection_is_per_recipient_at_rcpt(sink: Any) -> None:
    sink.control.add_override(address="gone@example.org", email={"outcomes": {"rejected": 1}})
    with connect(sink) as client:
        refused = client.sendmail(
            "a@example.net", ["gone@example.org", "here@example.org"], b"Subject: s\r\n\r\nb\r\n"
        )
    assert list(refused) == ["gone@example.org"]
    assert refused["gone@example.org"][0] == 550
    [stored] = sink.control.messages()
    outcomes = {r["address"]: r["outcome"] for r in stored["recipients"]}
    assert outcomes == {"gone@example.org": "rejected", "here@example.org": "accepted"}


def test_a_bounce_is_a_dsn_after_the_world_delay(sink: Any) -> None:
    sink.control.add_override(
        address="full@example.org",
        email={"outcomes": {"bounced": 1}, "bounce_after": [60, 60]},
    )
    with connect(sink) as client:
        client.send_message(russian_message("full@example.org"))
    assert sink.control.bounces() == []
    assert sink.control.state()["bounces_pending"] == 1
    sink.control.set_clock(advance=59)
    assert sink.control.bounces() == []
    assert sink.control.set_clock(advance=1)["callbacks"] == 1
    [bounce] = sink.control.bounces()
    assert bounce["recipient"] == "full@example.org"
    assert bounce["to"] == "nabat@example.net"
    assert bounce["status"] == "5.2.2"
    dsn = email.message_from_string(bounce["dsn"], policy=policy.default)
    assert dsn.get_content_type() == "multipart/report"
    assert dsn.get_param("report-type") == "delivery-status"
    _human, status, headers = dsn.iter_parts()
    assert status.get_content_type() == "message/delivery-status"
    fields = status.as_string()
    assert "Final-Recipient: rfc822; full@example.org" in fields
    assert "Action: failed" in fields and "Status: 5.2.2" in fields
    assert headers.get_content_type() == "text/rfc822-headers"
    [stored] = sink.control.messages()
    assert stored["recipients"][0]["outcome"] == "bounced"


@pytest.mark.parametrize(
    ("stage", "code"),
    [("ehlo", 421), ("mail", 451), ("rcpt", 550), ("data", 452), ("end_of_data", 554)],
)
def test_a_status_fault_answers_instead_at_its_stage(sink: Any, stage: str, code: int) -> None:
    """The fault (count 1) answers its stage once; the command repeated goes through."""
    sink.control.add_fault("status", [stage], status=code, count=1)
    answers: dict[str, list[int]] = {}
    client = smtplib.SMTP(sink.host, sink.port, timeout=10)

    def end_of_data() -> tuple[int, bytes]:
        client.send(b"Subject: s\r\n\r\nbody\r\n.\r\n")
        return client.getreply()

    def step(name: str, command: Any) -> None:
        answers[name] = [command()[0]]
        if name == stage:
            if name == "end_of_data":  # the transaction is over: a new one
                client.mail("a@example.net")
                client.rcpt("b@example.org")
                client.docmd("DATA")
            answers[name].append(command()[0])

    try:
        step("ehlo", lambda: client.ehlo("c"))
        step("mail", lambda: client.mail("a@example.net"))
        step("rcpt", lambda: client.rcpt("b@example.org"))
        step("data", lambda: client.docmd("DATA"))
        step("end_of_data", end_of_data)
    finally:
        client.close()
    expected = {"ehlo": 250, "mail": 250, "rcpt": 250, "data": 354, "end_of_data": 250}
    assert answers[stage] == [code, expected[stage]], answers
    assert {name: got[-1] for name, got in answers.items()} == expected
    assert len(sink.control.messages()) == 1
    assert [e["status"] for e in sink.control.journal() if e["params"].get("fault")] == [code]


def test_a_greeting_fault_refuses_the_connection(sink: Any) -> None:
    sink.control.add_fault("status", ["connect"], status=421, count=1)
    with pytest.raises(smtplib.SMTPConnectError) as refused:
        smtplib.SMTP(sink.host, sink.port, timeout=10)
    assert refused.value.smtp_code == 421
    with connect(sink) as client:  # the next one is served
        assert client.noop()[0] == 250


def test_a_reset_mid_data_loses_the_message(sink: Any) -> None:
    sink.control.add_fault("reset", ["data"], count=1)
    with connect(sink) as client, pytest.raises(smtplib.SMTPServerDisconnected):
        client.sendmail("a@example.net", ["b@example.org"], b"Subject: s\r\n\r\n" + b"x\r\n" * 9)
    assert sink.control.messages() == []
    assert [e["params"].get("fault") for e in sink.control.journal() if e["path"] == "DATA"] == [
        "reset"
    ]


def test_a_reset_after_the_dot_keeps_the_message_but_loses_the_reply(sink: Any) -> None:
    sink.control.add_fault("reset", ["end_of_data"], count=1)
    with connect(sink) as client, pytest.raises(smtplib.SMTPServerDisconnected):
        client.sendmail("a@example.net", ["b@example.org"], b"Subject: s\r\n\r\nbody\r\n")
    [stored] = sink.control.messages()
    assert stored["reply"] == "(connection dropped before the reply)"


def test_a_hang_fault_delays_the_answer(sink: Any) -> None:
    sink.control.add_fault("hang", ["mail"], seconds=0.3, count=1)
    with connect(sink) as client:
        started = time.monotonic()
        assert client.mail("a@example.net")[0] == 250
        assert time.monotonic() - started >= 0.3
        started = time.monotonic()
        client.rset()
        assert client.mail("a@example.net")[0] == 250
        assert time.monotonic() - started < 0.3


def test_messages_filter_by_recipient_and_reset_forgets(sink: Any) -> None:
    with connect(sink) as client:
        client.sendmail("a@example.net", ["x@example.org"], b"\r\none\r\n")
        client.sendmail("a@example.net", ["y@example.org"], b"\r\ntwo\r\n")
    assert [m["recipients"][0]["address"] for m in sink.control.messages(rcpt="y@example.org")] == [
        "y@example.org"
    ]
    sessions = {m["session"]["connection"] for m in sink.control.messages()}
    assert len(sessions) == 1  # both in one connection
    sink.control.reset()
    assert sink.control.messages() == []
