"""The FTP platform end to end: ftplib over FTP and FTPS, the poller, the journal."""

from __future__ import annotations

import ftplib
import io
from pathlib import Path

import pytest
from nabat.simulators.ats.control_client import ControlApiError
from nabat.simulators.ftp_platform.runner import BackgroundFtpPlatform

from tests.simulators.ftp_platform.archives import (
    bomb_zip,
    encrypted_zip,
    plain_zip,
    template_zip,
    zip_of,
)
from tests.simulators.ftp_platform.conftest import connect, upload


def home(platform: BackgroundFtpPlatform, login: str = "guest") -> Path:
    return Path(str(platform.endpoints["root"])) / login


@pytest.mark.parametrize("tls", [False, True], ids=["ftp", "ftps"])
def test_a_template_archive_becomes_messages_with_statuses(
    platform: BackgroundFtpPlatform, tls: bool
) -> None:
    upload(platform, "guest_20260101120000.zip",
           template_zip(["79031234567;;Ivan;Petrov", "79031234568;;Anna;B"]), tls=tls)  # fmt: skip
    control = platform.control
    assert control.archives() == []  # nothing before the poll is due
    control.advance_clock(10)
    (record,) = control.archives()
    assert record["outcome"] == "accepted" and record["messages"] == 2
    assert not (home(platform) / "guest_20260101120000.zip").exists()  # deleted after processing
    messages = control.messages()
    assert [m["text"] for m in messages] == ["Hello Ivan Petrov!", "Hello Anna B!"]
    assert {m["account"] for m in messages} == {"guest"}
    assert messages[0]["status"] == "enqueued" and messages[0]["decision"] is not None
    control.advance_clock(3600)
    statuses = {m["status"] for m in control.messages()}
    assert statuses <= {"delivered", "undelivered"}
    first = control.status(messages[0]["provider_id"])
    assert first["status"] in ("delivered", "undelivered")


def test_a_plain_archive_uses_the_default_sender(platform: BackgroundFtpPlatform) -> None:
    upload(platform, "guest_20260101120000.zip", plain_zip(["79031234567;one", "79031234568;two"]))
    platform.control.advance_clock(10)
    messages = platform.control.messages()
    assert [(m["address"], m["text"], m["sender"]) for m in messages] == [
        ("79031234567", "one", "TESTSMS"),
        ("79031234568", "two", "TESTSMS"),
    ]


def test_a_send_date_in_the_future_is_delayed(platform: BackgroundFtpPlatform) -> None:
    later = template_zip(["79031234567;;A;B"], template_line="hi;TESTSMS;;2099-01-01T00:00:00;")
    upload(platform, "guest_20260101120000.zip", later)
    platform.control.advance_clock(10)
    assert platform.control.messages()[0]["status"] == "delayed"


def test_zip_slip_is_moved_aside_and_the_next_good_archive_is_processed(
    platform: BackgroundFtpPlatform,
) -> None:
    evil = zip_of([("sms/../../../etc/evil.csv", b"TELRN_LONG;TEXT\n79031234567;x\n")])
    upload(platform, "guest_20260101120000.zip", evil)
    upload(platform, "guest_20260101120001.zip", plain_zip(["79031234567;good"]))
    platform.control.advance_clock(10)
    first, second = platform.control.archives()
    assert first["name"] == "guest_20260101120000.zip" and first["outcome"] == "rejected"
    assert "unsafe entry name" in first["problem"]
    assert second["outcome"] == "accepted" and second["messages"] == 1
    rejected = home(platform) / "rejected"
    assert (rejected / "guest_20260101120000.zip").exists()
    report = (rejected / "guest_20260101120000.zip.error.txt").read_text(encoding="utf-8")
    assert "unsafe entry name" in report and "nothing from this archive was sent" in report
    assert not (Path(str(platform.endpoints["root"])).parent / "etc").exists()
    assert [m["text"] for m in platform.control.messages()] == ["good"]


@pytest.mark.parametrize(
    ("data", "problem", "line"),
    [
        (bomb_zip(), "zip bomb", None),
        (zip_of([(f"sms/{i}.bin", b"") for i in range(40)]), "too many entries", None),
        (template_zip(["79031234567;;Иван;B"], encoding="cp1251"), "not valid utf-8", 2),
        (plain_zip(["79031234567;hi"], header="PHONE;TEXT"), "no TELRN_LONG column", 1),
        (encrypted_zip(), "password-protected", None),
    ],
    ids=["bomb", "entries", "encoding", "columns", "encrypted"],
)
def test_hostile_archives_are_moved_aside_with_a_report(
    platform: BackgroundFtpPlatform, data: bytes, problem: str, line: int | None
) -> None:
    upload(platform, "guest_20260101120000.zip", data)
    platform.control.advance_clock(10)
    (record,) = platform.control.archives()
    assert record["outcome"] == "rejected" and problem in record["problem"]
    assert record["line"] == line
    report = home(platform) / "rejected" / "guest_20260101120000.zip.error.txt"
    assert problem in report.read_text(encoding="utf-8")
    assert platform.control.messages() == []


def test_oldest_archive_first_by_the_time_in_the_name(platform: BackgroundFtpPlatform) -> None:
    upload(platform, "guest_20260101120005.zip", plain_zip(["79031234567;later"]))
    upload(platform, "guest_20260101120001.zip", plain_zip(["79031234567;earlier"]))
    platform.control.advance_clock(10)
    assert [m["text"] for m in platform.control.messages()] == ["earlier", "later"]


def test_a_wrong_login_name_is_never_processed(platform: BackgroundFtpPlatform) -> None:
    upload(platform, "acme_20260101120000.zip", plain_zip(["79031234567;x"]))
    platform.control.advance_clock(10)
    (record,) = platform.control.archives()
    assert (
        record["outcome"] == "rejected" and "uploaded to the folder of 'guest'" in record["problem"]
    )
    assert platform.control.messages() == []


def test_a_half_uploaded_archive_is_not_processed(platform: BackgroundFtpPlatform) -> None:
    platform.control.set_faults(drop_after_bytes=100)
    data = plain_zip([f"7903123{index:04d};message {index}" for index in range(2000)])
    with pytest.raises(ftplib.error_temp):
        upload(platform, "guest_20260101120000.zip", data)
    assert (home(platform) / "guest_20260101120000.zip").exists()
    platform.control.advance_clock(30)  # three polls: the cut file is never taken
    assert platform.control.archives() == []
    platform.control.clear_faults()
    upload(platform, "guest_20260101120000.zip", data)  # a complete upload replaces it
    platform.control.advance_clock(10)
    assert platform.control.archives()[0]["messages"] == 2000


def test_a_temporary_name_is_left_alone_and_a_rename_is_taken(
    platform: BackgroundFtpPlatform,
) -> None:
    upload(platform, "guest_20260101120000.zip.part", plain_zip(["79031234567;x"]))
    platform.control.advance_clock(20)
    assert platform.control.archives() == []
    client = connect(platform)
    client.rename("guest_20260101120000.zip.part", "guest_20260101120000.zip")
    client.quit()
    platform.control.advance_clock(10)
    assert platform.control.archives()[0]["outcome"] == "accepted"


def test_a_file_copied_into_the_folder_waits_for_two_polls(platform: BackgroundFtpPlatform) -> None:
    (home(platform) / "guest_20260101120000.zip").write_bytes(plain_zip(["79031234567;x"]))
    platform.control.advance_clock(10)
    assert platform.control.archives() == []  # seen once: not yet known to be stable
    platform.control.advance_clock(10)
    assert platform.control.archives()[0]["outcome"] == "accepted"


def test_faults_refuse_logins_and_a_full_disk(platform: BackgroundFtpPlatform) -> None:
    platform.control.set_faults(refuse_logins=True)
    with pytest.raises(ftplib.error_perm, match="530"):
        connect(platform)
    platform.control.set_faults(refuse_logins=False, disk_full=True)
    with pytest.raises(ftplib.error_temp, match="452"):
        upload(platform, "guest_20260101120000.zip", plain_zip(["79031234567;x"]))
    platform.control.clear_faults()
    upload(platform, "guest_20260101120000.zip", plain_zip(["79031234567;x"]))


def test_wrong_password_is_530(platform: BackgroundFtpPlatform) -> None:
    with pytest.raises(ftplib.error_perm, match="530"):
        connect(platform, password="nope")


def test_a_new_account_from_the_control_api(platform: BackgroundFtpPlatform) -> None:
    platform.control.add_account("acme", "pw", senders=["ACME"], encoding="cp1251")
    text = "TELRN_LONG;TEXT\n79031234567;привет\n".encode("cp1251")
    upload(platform, "acme_20260101120000.zip", zip_of([("sms/a.txt", text)]), login="acme",
           password="pw")  # fmt: skip
    platform.control.advance_clock(10)
    (message,) = platform.control.messages(login="acme")
    assert (message["text"], message["sender"]) == ("привет", "ACME")
    with pytest.raises(ControlApiError) as refused:
        platform.control.add_account("bad_login", "pw")
    assert refused.value.status == 400


def test_a_client_sees_only_its_own_folder(platform: BackgroundFtpPlatform) -> None:
    client = connect(platform)
    client.cwd("/")
    client.cwd("..")  # already at the root of the jail: it stays there
    assert client.pwd() == "/"
    assert ".tls" not in client.nlst()
    buffer = io.BytesIO()
    with pytest.raises(ftplib.error_perm):
        client.retrbinary("RETR ../.tls/ftps-server.pem", buffer.write)
    client.quit()


def test_control_api_refuses_bad_input(platform: BackgroundFtpPlatform) -> None:
    with pytest.raises(ControlApiError) as refused:
        platform.control.set_faults(drop_after_bytes=-1)
    assert refused.value.status == 400
    with pytest.raises(ControlApiError):
        platform.control.set_faults(nonsense=True)
    with pytest.raises(ControlApiError) as missing:
        platform.control.status("123")
    assert missing.value.status == 404


def test_after_auth_tls_data_must_be_protected(platform: BackgroundFtpPlatform) -> None:
    import ssl

    context = ssl.create_default_context(cafile=str(platform.endpoints["ca_file"]))
    client = ftplib.FTP_TLS(context=context, timeout=10)
    client.connect(platform.host, platform.port)
    client.login("guest", "guest")  # AUTH TLS, then USER/PASS; no PROT P yet
    with pytest.raises(ftplib.error_perm, match="521"):
        client.nlst()
    with pytest.raises(ftplib.error_perm, match="534"):
        client.prot_c()
    client.prot_p()
    client.storbinary("STOR note.txt", io.BytesIO(b"kept"))
    assert client.nlst() == ["note.txt"]
    client.quit()
