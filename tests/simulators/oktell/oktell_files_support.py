"""Shared helpers of the licence/files tests: a PBX in a temporary folder, requests, calls."""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from pathlib import Path

from nabat.simulators.control.clock import SimClock
from nabat.simulators.http.messages import Response
from nabat.simulators.oktell import files as _files  # noqa: F401 (registers its commands)
from nabat.simulators.oktell.command_table import COMMANDS, OktellError, OktellRequest
from nabat.simulators.oktell.licence import LicenceInfo
from nabat.simulators.oktell.pbx import OktellLimits, OktellPbx


def make_pbx(folder: Path, limits: OktellLimits | None = None) -> OktellPbx:
    return OktellPbx(
        clock=SimClock(), files_dir=folder, licence=LicenceInfo.default(), limits=limits
    )


def make_request(
    command: str,
    rest: str = "",
    params: Mapping[str, str] | None = None,
    *,
    content_type: str = "",
    headers: Mapping[str, str] | None = None,
    body: bytes = b"",
) -> OktellRequest:
    all_headers = dict(headers or {})
    return OktellRequest(
        command=command,
        rest=rest,
        params=dict(params or {}),
        method="POST" if body else "GET",
        content_type=content_type.split(";", 1)[0].strip().lower(),
        headers=all_headers,
        body=body,
    )


async def call(request: OktellRequest, pbx: OktellPbx) -> Response:
    """The handler's answer; an OktellError becomes the response the app would give."""
    try:
        result = COMMANDS[request.command](request, pbx)
        if inspect.isawaitable(result):
            result = await result
    except OktellError as error:
        return Response(error.status, [], error.text.encode())
    assert isinstance(result, Response)
    return result
