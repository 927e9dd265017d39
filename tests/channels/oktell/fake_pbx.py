"""A scripted Oktell PBX behind ``httpx.MockTransport`` for the line's unit tests.

``FakePbx`` answers the commands the line sends: ``wp_getabonentinfo`` (the
line's state, settable), ``upload`` (saved), ``execsvcscript`` (the next
return value from ``results``, or an HTTP status / exception to raise) and
``wp_autocallstop``; every request is kept in ``requests``.
"""

from __future__ import annotations

import asyncio
import io
import wave
from dataclasses import dataclass, field

import httpx
from nabat.system.channels.oktell import OktellLine, OktellLineSettings, OktellPbx
from nabat.system.wire.oktell import (
    AbonentInfo,
    AbonentInfoReply,
    ScriptReply,
    UploadedFile,
    UploadResult,
    dump_json,
    write_script_reply,
    write_upload_result,
)

URL = "http://127.0.0.1:4055"


def wav(seconds: float = 1.0, rate: int = 8000) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(b"\x01\x00" * int(seconds * rate))
    return out.getvalue()


def ringing_info(caller: str, commutation: str = "c-1") -> AbonentInfoReply:
    info = AbonentInfo(
        cansendfiles=False, isconference=False, callerlineid="", callercomment="",
        isuser=False, callername=caller, canswitchtoconf=False, callerusername="",
        commutationid=commutation, calleruserlogin="", callerdescription="",
        callerlinenum="", isivr=False, callerid=caller, callersimple=caller,
        calleruserid="", canfax=False, canvideo=False, chainid="ch-1", isextline=True,
    )  # fmt: skip
    return AbonentInfoReply(info, "lsRinging", 8)


@dataclass
class FakePbx:
    password: str | None = None
    results: list[object] = field(default_factory=list)  # str | None | int | Exception
    line_info: AbonentInfoReply = field(default_factory=lambda: AbonentInfoReply(None, "lsFree", 1))
    requests: list[httpx.Request] = field(default_factory=list)
    script_started: asyncio.Event | None = None
    hold_script: asyncio.Event | None = None
    info_status: int = 200

    def commands(self) -> list[str]:
        return [r.url.path.strip("/") for r in self.requests]

    async def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        await request.aread()
        if self.password is not None and request.url.params.get("password") != self.password:
            return httpx.Response(403, text="Forbidden")
        command = request.url.path.strip("/")
        if command == "wp_getabonentinfo":
            if self.info_status != 200:
                return httpx.Response(self.info_status, text="trouble")
            return httpx.Response(200, content=dump_json(self.line_info))
        if command == "upload":
            name = _upload_name(request.content)
            result = UploadResult((UploadedFile(name, True, 10, f"C:\\UploadData\\{name}"),))
            return httpx.Response(200, content=write_upload_result(result))
        if command in ("wp_autocallstop", "wp_declinecall"):
            return httpx.Response(200)
        if command == "execsvcscript":
            if request.url.params.get("async") == "1":
                return httpx.Response(200, content=write_script_reply(ScriptReply(True, 0, None)))
            if self.script_started is not None:
                self.script_started.set()
            if self.hold_script is not None:
                await self.hold_script.wait()
            result = self.results.pop(0) if self.results else "nokey"
            if isinstance(result, Exception):
                raise result
            if isinstance(result, int):
                return httpx.Response(result, text="script trouble")
            assert result is None or isinstance(result, str)
            reply = ScriptReply(True, 0, result)
            return httpx.Response(200, content=write_script_reply(reply))
        return httpx.Response(404, text=f"Unknown command: {command}")


def _upload_name(body: bytes) -> str:
    marker = b'filename="'
    start = body.index(marker) + len(marker)
    return body[start : body.index(b'"', start)].decode()


def make_line(fake: FakePbx, **options: object) -> OktellLine:
    settings = OktellLineSettings.from_mapping({"url": URL, "line": "16038", **options})
    pbx = OktellPbx(settings, transport=httpx.MockTransport(fake.handle))
    return OktellLine(settings, pbx)
