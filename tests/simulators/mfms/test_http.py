"""The MFMS simulator over loopback: HTTP and HTTPS with httpx and curl, the control
API, faults, error profiles and hostile requests."""

from __future__ import annotations

import contextlib
import shutil
import socket
import ssl
import subprocess
from typing import Any

import httpx
import pytest
from nabat.simulators.mfms.control_client import ControlApiError
from nabat.system.wire import hpg
from nabat.system.wire.hpg import Credentials, DeliveryStatus, ResponseCode, SendRecord

CONNECTOR = "/CLIENT/connectorX"
AUTH = "login=CLIENT&password=P@ssw0rd"
SPEC_SEND = (
    "send?login=CLIENT&password={password}&subject[0]=SUBJECT&address[0]=79031111111"
    "&text[0]=Hello&subject[1]=SUBJECT&address[1]=79032222222&text[1]=Hey,%20you"
)
CURL = shutil.which("curl")


def trusting(ca_file: Any) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(ca_file))


def get(base: str, tail: str, **options: Any) -> httpx.Response:
    return httpx.get(f"{base}{CONNECTOR}/{tail}", timeout=10.0, **options)


def test_the_specs_examples_over_http_and_https(mfms_simulator: Any) -> None:
    for base, verify in (
        (mfms_simulator.url, True),
        (mfms_simulator.tls_url, trusting(mfms_simulator.ca_file)),
    ):
        answer = get(base, SPEC_SEND.format(password="P@ssw0rd"), verify=verify)
        assert answer.status_code == 200
        assert answer.headers["content-type"] == "text/plain; charset=utf-8"
        results = [hpg.parse_send_line(line) for line in hpg.body_lines(answer.text)]
        assert [(r.code, r.client_id) for r in results] == [
            (ResponseCode.OK, "0"),
            (ResponseCode.OK, "1"),
        ]
        ids = "&".join(f"providerId[{i}]={r.provider_id}" for i, r in enumerate(results))
        status = get(base, f"status?{AUTH}&{ids}", verify=verify)
        lines = [hpg.parse_status_line(line) for line in hpg.body_lines(status.text)]
        assert [line.status for line in lines] == [DeliveryStatus.ENQUEUED] * 2
    texts = [m["text"] for m in mfms_simulator.control.messages()]
    assert texts == ["Hello", "Hey, you"] * 2


def test_the_send_examples_password_is_refused(mfms_simulator: Any) -> None:
    answer = get(mfms_simulator.url, SPEC_SEND.format(password="Password"))
    assert answer.status_code == 500 and answer.text.startswith("error-auth")


def test_https_without_trusting_the_ca_fails(mfms_simulator: Any) -> None:
    with pytest.raises(httpx.ConnectError):
        get(mfms_simulator.tls_url, f"status?{AUTH}&providerId[0]=1")


def test_post_form_and_methods_and_paths(mfms_simulator: Any) -> None:
    base = mfms_simulator.url + CONNECTOR
    form = {
        "login": "CLIENT",
        "password": "P@ssw0rd",
        "subject[0]": "SUBJECT",
        "address[0]": "79031111111",
        "text[0]": "Привет",
    }
    answer = httpx.post(f"{base}/send", data=form)
    assert hpg.parse_send_line(answer.text.strip()).code is ResponseCode.OK
    assert mfms_simulator.control.messages()[-1]["text"] == "Привет"
    put = httpx.put(f"{base}/send", content=b"")
    assert put.status_code == 405 and put.headers["allow"] == "GET, POST"
    assert httpx.get(mfms_simulator.url + "/CLIENT/send").status_code == 404
    assert httpx.get(mfms_simulator.url + "/CLIENT/connectorX/sendx").status_code == 404


def test_full_lifecycle_through_the_control_api(mfms_simulator: Any) -> None:
    control = mfms_simulator.control
    control.set_clock(freeze=True)
    control.add_override(
        number="79031111111", sms={"outcomes": {"undelivered": 1}, "failure_after": 5}
    )
    control.platform_errors(failed=1)
    query = hpg.build_send_query(
        Credentials("CLIENT", "P@ssw0rd"),
        [
            SendRecord("SUBJECT", "79031111111", "a", "x"),
            SendRecord("SUBJECT", "79031111111", "b", "y"),
            SendRecord("SUBJECT", "79032222222", "c", "z"),
        ],
    )
    failed, undelivered, cancelled = [
        hpg.parse_send_line(line)
        for line in hpg.body_lines(get(mfms_simulator.url, f"send?{query}").text)
    ]
    assert control.cancel(cancelled.provider_id) == "cancelled"
    with pytest.raises(ControlApiError) as refused:
        control.cancel(cancelled.provider_id)
    assert refused.value.status == 409
    control.set_clock(advance=60)
    ids = "&".join(
        f"providerId[{i}]={r.provider_id}" for i, r in enumerate((failed, undelivered, cancelled))
    )
    lines = [
        hpg.parse_status_line(line)
        for line in hpg.body_lines(get(mfms_simulator.url, f"status?{AUTH}&{ids}").text)
    ]
    assert [(line.status, line.reason) for line in lines] == [
        (DeliveryStatus.FAILED, "platform-error"),
        (DeliveryStatus.UNDELIVERED, lines[1].reason),
        (DeliveryStatus.CANCELLED, ""),
    ]
    assert lines[1].reason
    journal = control.messages()
    assert [m["status"] for m in journal] == ["failed", "undelivered", "cancelled"]
    assert journal[1]["decision"]["outcome"] == "undelivered"


def test_error_profile_and_system_errors(mfms_simulator: Any) -> None:
    control = mfms_simulator.control
    control.set_config(error_profile="http200")
    control.platform_errors(system=1)
    answer = get(
        mfms_simulator.url, f"send?{AUTH}&subject[0]=SUBJECT&address[0]=79031111111&text[0]=x"
    )
    assert (answer.status_code, answer.text) == (200, "error-system\n")
    answer = get(mfms_simulator.url, f"send?{AUTH}&subject[1]=SUBJECT")
    assert (answer.status_code, answer.text) == (200, "error-syntax\n")


def test_connectors_through_the_control_api(mfms_simulator: Any) -> None:
    control = mfms_simulator.control
    control.add_connector(
        client="SHOP",
        connector="c1",
        password_param="pass",
        login="shop",
        password="s3cret",
        subjects=["SHOP"],
    )
    answer = httpx.get(
        mfms_simulator.url
        + "/SHOP/c1/send?login=shop&pass=s3cret&subject[0]=SHOP&address[0]=79031111111&text[0]=x"
    )
    assert answer.text.startswith("ok;0;")
    assert control.messages(account="SHOP/c1")[0]["sender"] == "SHOP"
    control.remove_connector("SHOP/c1")
    with pytest.raises(ControlApiError):
        control.add_connector(client="A B")


@pytest.mark.parametrize(("status", "retry_after"), [(429, "1"), (503, "1"), (500, None)])
def test_faults(mfms_simulator: Any, status: int, retry_after: str | None) -> None:
    mfms_simulator.control.add_fault("status", status=status, count=1, paths=["send"])
    answer = get(mfms_simulator.url, f"send?{AUTH}")
    assert answer.status_code == status
    assert answer.headers.get("retry-after") == retry_after
    assert get(mfms_simulator.url, f"send?{AUTH}").status_code == 500  # error-syntax: no message
    mfms_simulator.control.add_fault("reset", count=1)
    with pytest.raises(httpx.TransportError):
        get(mfms_simulator.url, f"status?{AUTH}&providerId[0]=1")


def test_a_url_past_the_limit_gets_414_and_the_server_goes_on(mfms_simulator_factory: Any) -> None:
    simulator = mfms_simulator_factory(max_url_bytes=4096)
    answer = get(simulator.url, f"send?{AUTH}&text[0]=" + "x" * 5000)
    assert answer.status_code == 414
    host, port = simulator.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as raw:
        raw.sendall(f"GET {CONNECTOR}/send?text[0]=".encode())
        with contextlib.suppress(OSError):  # the server may close before all is sent
            raw.sendall(b"x" * 2_000_000)
        assert raw.recv(100).startswith(b"HTTP/1.1 414 ")
    assert get(simulator.url, f"status?{AUTH}&providerId[0]=1").status_code == 200


def test_bad_utf8_and_bad_escapes_are_error_syntax(mfms_simulator: Any) -> None:
    for tail in ("text[0]=%ff%fe", "text[0]=%zz", "text[0]=%D0"):
        answer = get(
            mfms_simulator.url, f"send?{AUTH}&subject[0]=SUBJECT&address[0]=79031111111&{tail}"
        )
        assert answer.status_code == 500 and answer.text.startswith("error-syntax"), tail
    assert mfms_simulator.control.messages() == []


def test_a_flood_of_indexes_is_refused_quickly(mfms_simulator: Any) -> None:
    ids = "&".join(f"providerId[{i}]=1" for i in range(1, 3000))
    answer = get(mfms_simulator.url, f"status?{AUTH}&{ids}")
    assert answer.status_code == 500 and answer.text.startswith("error-syntax")
    many = "&".join(f"providerId[{i}]={i}" for i in range(2500))
    lines = hpg.body_lines(get(mfms_simulator.url, f"status?{AUTH}&{many}").text)
    assert len(lines) == 2500


def test_a_client_that_never_reads_does_not_stop_others(mfms_simulator: Any) -> None:
    host, port = mfms_simulator.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as hog:
        request = (
            f"GET {CONNECTOR}/status?{AUTH}&providerId[0]=1 HTTP/1.1\r\nHost: x\r\n\r\n".encode()
        )
        hog.sendall(request * 200)
        assert get(mfms_simulator.url, f"status?{AUTH}&providerId[0]=1").status_code == 200


@pytest.mark.skipif(CURL is None, reason="curl is not installed")
@pytest.mark.parametrize("tls", [False, True])
def test_curl_reproduces_the_specs_examples(mfms_simulator: Any, tls: bool) -> None:
    assert CURL is not None
    base = (mfms_simulator.tls_url if tls else mfms_simulator.url) + CONNECTOR
    trust = ["--cacert", str(mfms_simulator.ca_file)] if tls else []

    def curl(url: str) -> str:
        done = subprocess.run(
            [CURL, "-sS", "-g", *trust, url], capture_output=True, text=True, timeout=20, check=True
        )
        return done.stdout

    sent = hpg.body_lines(curl(f"{base}/{SPEC_SEND.format(password='P@ssw0rd')}"))
    assert [line.split(";")[:2] for line in sent] == [["ok", "0"], ["ok", "1"]]
    first, second = (line.split(";")[2] for line in sent)
    status = hpg.body_lines(
        curl(
            f"{base}/status?login=CLIENT&password=P@ssw0rd&providerId[0]={first}&providerId[1]={second}"
        )
    )
    assert [line.split(";")[:3] for line in status] == [
        ["ok", first, "enqueued"],
        ["ok", second, "enqueued"],
    ]
    hpg.parse_status_line(status[0])  # the dateTime is the spec's format
    assert curl(f"{base}/{SPEC_SEND.format(password='Password')}").startswith("error-auth")
