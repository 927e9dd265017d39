"""The Oktell simulator's licence certificate and its three commands.

``LicenceInfo`` is the certificate: the 7-digit registration number, the
owner, the issue date, the date of the next confirmation, the last date of the
versions the update licence covers, the licensed lines and operators and the
licensed modules. ``LicenceInfo.default()`` is a valid licence for any test
run; the simulator's configuration overrides it field by field
(``LicenceInfo.from_config(table)``, the ``[licence]`` TOML table).

Commands (docs/oktell-files.md):

* ``getlicensefulltext``: the licence as the administration screen shows it,
  in the server's language (Russian), ``text/plain; charset=utf-8``.
* ``getlicensefullxml``: the certificate as an ``oktellxmlmapper`` document
  (UTF-16 with BOM, like the other mapper documents): one ``data
  name="license"`` holding ``property_set name="certificate" id=REGSERIAL``,
  one ``property_simple`` per field: ``key`` the field, ``value`` its value
  (dates ``dd.MM.yyyy``), ``name`` its Russian caption. The spec gives no
  example of this document; the shape is this project's. With a ``detail``
  parameter it answers as getlicenseinfo: the spec's own example URL for
  getlicenseinfo is ``getlicensefullxml?detail=regserial``, and a client that
  pastes it gets the value the spec means.
* ``getlicenseinfo?detail=regserial|confirmdate|updatelimitdate``: the value
  as plain text (7 digits, or ``dd.MM.yyyy``). A missing or unknown ``detail``
  is HTTP 400 naming the accepted values.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Self

from nabat.simulators.http.messages import Response
from nabat.simulators.oktell.command_table import OktellError, OktellRequest, command
from nabat.system.wire.oktell import (
    MapperData,
    OktellXmlMapper,
    PropertySet,
    PropertySimple,
    format_date,
    parse_date,
    write_mapper,
)

if TYPE_CHECKING:
    from nabat.simulators.oktell.pbx import OktellPbx

_REGSERIAL = re.compile(r"[0-9]{7}")

MODULE_CAPTIONS: Mapping[str, str] = {
    "callcenter": "Call-центр",
    "ivr": "Голосовое меню (IVR)",
    "recording": "Запись разговоров",
    "autodial": "Автодозвон",
    "tts": "Синтез речи (TTS)",
    "fax": "Факсимильные сообщения",
}
"""Russian names of the licensed modules; an unknown module shows as its key."""

DETAILS = ("regserial", "confirmdate", "updatelimitdate")
"""The values getlicenseinfo answers."""

_CAPTIONS = {
    "regserial": "Регистрационный номер",
    "owner": "Владелец лицензии",
    "issuedate": "Дата выдачи",
    "confirmdate": "Дата следующего подтверждения сертификата",
    "updatelimitdate": "Конечная дата поддерживаемых версий",
    "lines": "Количество линий",
    "operators": "Количество операторов",
    "modules": "Модули",
}


@dataclass(frozen=True, slots=True)
class LicenceInfo:
    """The licence certificate the simulator reports."""

    regserial: str
    owner: str
    issuedate: date
    confirmdate: date
    updatelimitdate: date
    lines: int
    operators: int
    modules: tuple[str, ...]

    def __post_init__(self) -> None:
        if not _REGSERIAL.fullmatch(self.regserial):
            raise ValueError(f"licence regserial must be 7 digits, got {self.regserial!r}")
        if self.lines < 0 or self.operators < 0:
            raise ValueError("licence lines and operators must not be negative")

    @classmethod
    def default(cls) -> Self:
        return cls(
            regserial="2012345",
            owner="ООО «Набат», испытательный стенд",
            issuedate=date(2024, 2, 1),
            confirmdate=date(2030, 12, 31),
            updatelimitdate=date(2035, 12, 31),
            lines=30,
            operators=10,
            modules=("callcenter", "ivr", "recording", "autodial", "tts"),
        )

    @classmethod
    def from_config(cls, table: Mapping[str, Any], base: LicenceInfo | None = None) -> LicenceInfo:
        """``base`` (the default) with the fields the TOML ``[licence]`` table sets.

        Dates are TOML dates or ``dd.MM.yyyy`` strings; ``regserial`` a 7-digit string
        (an integer is zero-padded). An unknown key or a bad value raises ValueError
        naming it."""
        licence = base if base is not None else cls.default()
        unknown = sorted(set(table) - set(_CAPTIONS))
        if unknown:
            raise ValueError(f"unknown licence settings: {', '.join(unknown)}")
        changes: dict[str, Any] = {}
        for key, value in table.items():
            changes[key] = _config_value(key, value)
        return replace(licence, **changes)

    def detail(self, name: str) -> str:
        """getlicenseinfo's answer for ``name`` (one of DETAILS)."""
        if name == "regserial":
            return self.regserial
        if name == "confirmdate":
            return format_date(self.confirmdate)
        if name == "updatelimitdate":
            return format_date(self.updatelimitdate)
        raise KeyError(name)

    def _values(self) -> list[tuple[str, str]]:
        return [
            ("regserial", self.regserial),
            ("owner", self.owner),
            ("issuedate", format_date(self.issuedate)),
            ("confirmdate", format_date(self.confirmdate)),
            ("updatelimitdate", format_date(self.updatelimitdate)),
            ("lines", str(self.lines)),
            ("operators", str(self.operators)),
            ("modules", ",".join(self.modules)),
        ]

    def full_text(self) -> str:
        """The licence as the administration screen shows it, in Russian."""
        lines = ["Информация о лицензии", ""]
        for key, value in self._values():
            if key == "modules":
                value = ", ".join(MODULE_CAPTIONS.get(m, m) for m in self.modules) or "нет"
            lines.append(f"{_CAPTIONS[key]}: {value}")
        return "\r\n".join(lines) + "\r\n"

    def certificate(self) -> OktellXmlMapper:
        properties = tuple(PropertySimple(k, v, _CAPTIONS[k]) for k, v in self._values())
        certificate = PropertySet("certificate", properties, self.regserial)
        return OktellXmlMapper((MapperData("license", (certificate,)),))


def _config_value(key: str, value: Any) -> Any:
    if key == "regserial":
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**7:
            return f"{value:07d}"
        if isinstance(value, str) and _REGSERIAL.fullmatch(value):
            return value
        raise ValueError(f"licence regserial must be 7 digits, got {value!r}")
    if key in ("issuedate", "confirmdate", "updatelimitdate"):
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str):
            try:
                return parse_date(value)
            except ValueError as error:
                raise ValueError(f"licence {key}: {error}") from error
        raise ValueError(f"licence {key} must be a date or dd.MM.yyyy, got {value!r}")
    if key in ("lines", "operators"):
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        raise ValueError(f"licence {key} must be a whole number >= 0, got {value!r}")
    if key == "modules":
        if isinstance(value, list) and all(isinstance(m, str) and m for m in value):
            return tuple(value)
        raise ValueError(f"licence modules must be a list of names, got {value!r}")
    if isinstance(value, str) and value.strip():
        return value
    raise ValueError(f"licence {key} must be a non-empty string, got {value!r}")


def _licence(pbx: OktellPbx) -> LicenceInfo:
    licence = pbx.licence
    if not isinstance(licence, LicenceInfo):
        raise OktellError(500, "the simulator has no licence configured")
    return licence


def _plain(text: str) -> Response:
    return Response(200, [("Content-Type", "text/plain; charset=utf-8")], text.encode("utf-8"))


def _detail_answer(request: OktellRequest, licence: LicenceInfo) -> Response:
    name = request.param("detail").strip().lower()
    if name not in DETAILS:
        shown = f"unknown detail {name!r}" if name else "missing parameter detail"
        raise OktellError(400, f"{shown}: expected one of {', '.join(DETAILS)}")
    return _plain(licence.detail(name))


@command("getlicensefulltext")
def get_licence_full_text(request: OktellRequest, pbx: OktellPbx) -> Response:
    return _plain(_licence(pbx).full_text())


@command("getlicensefullxml")
def get_licence_full_xml(request: OktellRequest, pbx: OktellPbx) -> Response:
    licence = _licence(pbx)
    if "detail" in request.params:
        return _detail_answer(request, licence)
    body = write_mapper(licence.certificate(), "utf-16")
    return Response(200, [("Content-Type", "text/xml; charset=utf-16")], body)


@command("getlicenseinfo")
def get_licence_info(request: OktellRequest, pbx: OktellPbx) -> Response:
    return _detail_answer(request, _licence(pbx))
