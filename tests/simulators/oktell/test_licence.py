"""Licence commands: getlicensefulltext, getlicensefullxml, getlicenseinfo, configuration."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from nabat.simulators.oktell.licence import LicenceInfo
from nabat.system.wire.oktell import read_mapper

from tests.simulators.oktell.oktell_files_support import call, make_pbx, make_request


async def test_getlicenseinfo_answers_each_detail_in_the_spec_formats(tmp_path: Path) -> None:
    pbx = make_pbx(tmp_path)
    answers = {}
    for detail in ("regserial", "confirmdate", "updatelimitdate"):
        response = await call(make_request("getlicenseinfo", params={"detail": detail}), pbx)
        assert response.status == 200
        assert ("Content-Type", "text/plain; charset=utf-8") in response.headers
        answers[detail] = response.body.decode()
    assert answers == {
        "regserial": "2012345",
        "confirmdate": "31.12.2030",
        "updatelimitdate": "31.12.2035",
    }


@pytest.mark.parametrize("params", [{}, {"detail": "owner"}, {"detail": ""}])
async def test_getlicenseinfo_without_a_known_detail_is_400(
    tmp_path: Path, params: dict[str, str]
) -> None:
    response = await call(make_request("getlicenseinfo", params=params), make_pbx(tmp_path))
    assert response.status == 400
    assert b"regserial, confirmdate, updatelimitdate" in response.body


async def test_getlicensefullxml_is_the_certificate_and_with_detail_the_value(
    tmp_path: Path,
) -> None:
    pbx = make_pbx(tmp_path)
    response = await call(make_request("getlicensefullxml"), pbx)
    assert response.status == 200 and response.body.startswith(b"\xff\xfe")
    certificate = read_mapper(response.body).only("license")
    assert certificate.id == "2012345"
    assert certificate.require("confirmdate").value == "31.12.2030"
    assert certificate.require("regserial").name == "Регистрационный номер"
    typo = await call(make_request("getlicensefullxml", params={"detail": "regserial"}), pbx)
    assert typo.status == 200 and typo.body == b"2012345"


async def test_full_text_is_russian_and_follows_the_configuration(tmp_path: Path) -> None:
    pbx = make_pbx(tmp_path)
    pbx.licence = LicenceInfo.from_config(
        {"regserial": 42, "confirmdate": "01.02.2027", "updatelimitdate": date(2028, 3, 4)}
    )
    text = (await call(make_request("getlicensefulltext"), pbx)).body.decode("utf-8")
    assert "Регистрационный номер: 0000042" in text
    assert "Дата следующего подтверждения сертификата: 01.02.2027" in text
    assert "Конечная дата поддерживаемых версий: 04.03.2028" in text
    assert "Call-центр" in text


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"regserial": "123456"}, "7 digits"),
        ({"regserial": 10**7}, "7 digits"),
        ({"confirmdate": "2027-02-01"}, "dd.MM.yyyy"),
        ({"lines": -1}, "lines"),
        ({"modules": "ivr"}, "modules"),
        ({"colour": "red"}, "unknown licence settings: colour"),
    ],
)
def test_bad_configuration_names_the_setting(table: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        LicenceInfo.from_config(table)
