"""``OktellPbx``: the HTTP client of one Oktell PBX, shared by the lines configured on it.

How it works: one ``httpx.AsyncClient`` (its transport injectable for tests,
architecture principle 5) sends the spec's commands as GET requests to
``<url>/<command>?...``. The password of the server HTTP interface goes as
``password=`` (the spec), as HTTP Basic (what Oktell servers accept too), or
both (``auth``); it is never logged, and errors quote commands without
their parameters. httpx errors and HTTP statuses are translated at this
boundary into one exception tree (architecture principle 6):

* ``PbxRefused`` — 403: the password is wrong (the line becomes FAILED);
* ``PbxNotFound`` — 404: no such line, user or script (FAILED: the settings
  are wrong);
* ``PbxConflict`` — 409: the line is in the wrong state (nothing to stop);
* ``PbxUnreachable`` — no connection, a timeout, a 5xx, a reply that does
  not parse: the PBX is in trouble (the line RECOVERING with backoff).

``upload`` sends one file as multipart/form-data (the spec: the original
name in the part's Content-Disposition) and checks the XML result says it
was saved. ``AudioUploads`` keeps the digest -> uploaded name map so each
distinct message is uploaded once per PBX, even when many lines ask at once.
"""

from __future__ import annotations

import asyncio
import hashlib
import ssl

import httpx
from httpx._client import USE_CLIENT_DEFAULT, UseClientDefault
from nabat.system.channels.base import ChannelError
from nabat.system.channels.oktell.settings import OktellLineSettings
from nabat.system.wire.oktell import (
    AbonentInfoReply,
    OktellFormatError,
    ScriptReply,
    read_abonent_info,
    read_script_reply,
    read_upload_result,
)


class PbxError(ChannelError):
    """Root of the Oktell client's errors; ``status`` the HTTP status (0: none)."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


class PbxRefused(PbxError):
    """403: the PBX refused the password."""


class PbxNotFound(PbxError):
    """404: the PBX knows no such command, line, user or script."""


class PbxConflict(PbxError):
    """409: the line is not in a state for this command."""


class PbxBadRequest(PbxError):
    """Another 4xx: our request is wrong (a bug or a bad setting)."""


class PbxUnreachable(PbxError):
    """No connection, a timeout, a 5xx or an unreadable reply."""


def http_client(
    settings: OktellLineSettings, transport: httpx.AsyncBaseTransport | None
) -> httpx.AsyncClient:
    verify: ssl.SSLContext | bool = settings.verify
    if settings.verify and settings.ca_file:
        verify = ssl.create_default_context(cafile=settings.ca_file)
    auth = None
    if settings.password is not None and settings.auth in ("basic", "both"):
        auth = httpx.BasicAuth("nabat", settings.password)
    timeout = httpx.Timeout(
        settings.timeout, connect=settings.connect_timeout, pool=settings.connect_timeout
    )
    return httpx.AsyncClient(
        transport=transport, verify=verify, timeout=timeout, auth=auth, trust_env=False
    )


class OktellPbx:
    def __init__(
        self, settings: OktellLineSettings, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.settings = settings
        self._client = http_client(settings, transport)
        self.uploads = AudioUploads(self)

    async def aclose(self) -> None:
        await self._client.aclose()

    def _params(self, params: dict[str, str]) -> dict[str, str]:
        password = self.settings.password
        if password is not None and self.settings.auth in ("param", "both"):
            return {**params, "password": password}
        return params

    async def request(
        self,
        command: str,
        params: dict[str, str],
        *,
        timeout: float | None = None,
        files: dict[str, tuple[str, bytes, str, dict[str, str]]] | None = None,
    ) -> httpx.Response:
        """The 2xx reply of ``command``; other replies and failures raise ``PbxError``s."""
        url = f"{self.settings.base_url}/{command}"
        limit: httpx.Timeout | UseClientDefault = (
            USE_CLIENT_DEFAULT if timeout is None else httpx.Timeout(timeout, connect=None)
        )
        try:
            if files is None:
                response = await self._client.get(url, params=self._params(params), timeout=limit)
            else:
                response = await self._client.post(
                    url, data=self._params(params), files=files, timeout=limit
                )
        except httpx.TimeoutException as error:
            raise PbxUnreachable(f"{command}: no answer in time ({type(error).__name__})") from None
        except httpx.HTTPError as error:
            raise PbxUnreachable(f"{command}: {type(error).__name__}") from None
        status = response.status_code
        if 200 <= status < 300:
            return response
        reason = response.text[:200].strip() if status != 403 else "Forbidden"
        if status == 403:
            raise PbxRefused(f"{command}: 403, the PBX refused the password", status)
        if status == 404:
            raise PbxNotFound(f"{command}: 404 {reason}", status)
        if status == 409:
            raise PbxConflict(f"{command}: 409 {reason}", status)
        if status >= 500:
            raise PbxUnreachable(f"{command}: HTTP {status} {reason}", status)
        raise PbxBadRequest(f"{command}: HTTP {status} {reason}", status)

    async def abonent_info(self, line: str) -> AbonentInfoReply:
        response = await self.request("wp_getabonentinfo", {"line": line})
        try:
            return read_abonent_info(response.content)
        except OktellFormatError as error:
            raise PbxUnreachable(f"wp_getabonentinfo: unreadable reply: {error}") from None

    async def run_script(self, name: str, params: list[str], timeout: float) -> ScriptReply:
        """execsvcscript synchronously: waits up to ``timeout`` s for the return value."""
        query = {"name": name, "async": "0", "timeout": f"{timeout:g}"}
        query.update({f"startparam{i}": value for i, value in enumerate(params, start=1)})
        response = await self.request("execsvcscript", query, timeout=timeout + 10.0)
        try:
            return read_script_reply(response.content)
        except OktellFormatError as error:
            raise PbxUnreachable(f"execsvcscript: unreadable reply: {error}") from None

    async def start_script(self, name: str, params: list[str]) -> None:
        query = {"name": name, "async": "1"}
        query.update({f"startparam{i}": value for i, value in enumerate(params, start=1)})
        await self.request("execsvcscript", query)

    async def stop_call(self, line: str) -> bool:
        """wp_autocallstop; False when the line had nothing to stop (409)."""
        try:
            await self.request("wp_autocallstop", {"line": line})
        except PbxConflict:
            return False
        return True

    async def decline(self, line: str) -> None:
        await self.request("wp_declinecall", {"line": line})

    async def upload(self, filename: str, data: bytes) -> None:
        response = await self.request(
            "upload",
            {},
            files={"file": (filename, data, "audio/wav", {"Content-Transfer-Encoding": "binary"})},
            timeout=60.0,
        )
        try:
            result = read_upload_result(response.content)
        except OktellFormatError as error:
            raise PbxUnreachable(f"upload: unreadable reply: {error}") from None
        if not any(f.name == filename and f.saved for f in result.files):
            raise PbxBadRequest(f"upload: the PBX did not save {filename}")


class AudioUploads:
    """Digest -> uploaded file name: each distinct audio goes to the PBX once."""

    def __init__(self, pbx: OktellPbx) -> None:
        self._pbx = pbx
        self._done: dict[str, str] = {}
        self._pending: dict[str, asyncio.Future[str]] = {}

    def known(self, data: bytes) -> str | None:
        return self._done.get(_digest(data))

    def forget(self) -> None:
        """After the PBX lost its files (restart, clean-up): upload again on next use."""
        self._done.clear()

    async def ensure(self, data: bytes) -> str:
        """The file name under which ``data`` is on the PBX (uploading it if needed)."""
        digest = _digest(data)
        name = self._done.get(digest)
        if name is not None:
            return name
        pending = self._pending.get(digest)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._pending[digest] = future
        name = f"nabat-{digest[:32]}.wav"
        try:
            await self._pbx.upload(name, data)
        except BaseException as error:
            future.set_exception(error if isinstance(error, Exception) else PbxError("cancelled"))
            future.exception()  # retrieved: no "never retrieved" warning when nobody waits
            raise
        finally:
            self._pending.pop(digest, None)
        self._done[digest] = name
        future.set_result(name)
        return name


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
