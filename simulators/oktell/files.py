"""Oktell downloads: download/rec/ID, download/fax/ID, download/byscript, downloadrecordbylink.

Every file served comes from inside the simulator's working directory
(``pbx.files_dir``): ``resolve_inside`` resolves a candidate path with every
symlink followed and refuses it unless the real path is a regular file under
the real ``files_dir``. So ``..``, an absolute path elsewhere or a symlink
pointing out is refused (404 for an id, 403 for a script's path), never read.

* ``download/rec/ID`` and ``download/fax/ID``: a recording the simulated calls
  made (``pbx.recordings``, record id -> file; rec only), else the file
  ``files_dir/rec/ID`` (``fax/ID``), else the one file there whose name
  without extension is ``ID``. An ID holding a path separator, NUL or ``..``,
  or matching nothing, is 404.
* ``download/byscript``: runs the service script with execsvcscript's
  parameters (``name``, ``startparam1..5``, ``timeout``; always synchronously:
  the path is the script's returned value, else its output). A script that
  fails is 500, one that passes its timeout 504, no path 404, a path outside
  ``files_dir`` 403. A relative path is relative to ``files_dir``.
* ``downloadrecordbylink?recordlink=LINK``: ``pbx.recordings[LINK]``; no
  ``recordlink`` is 400, an unknown one 404.

Answers: 200 with the bytes, the Content-Type guessed from the extension
(``audio/wav`` for .wav, else application/octet-stream) and
``Content-Disposition: attachment`` with the file's name (RFC 6266
``filename*`` for non-ASCII names). Files over ``MAX_DOWNLOAD_BYTES`` are 500:
the simulator answers from memory.
"""

from __future__ import annotations

import mimetypes
import os
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from nabat.simulators.http.messages import Response

# The upload command lives beside the downloads: importing files.py registers it too.
from nabat.simulators.oktell import uploads as _uploads  # noqa: F401
from nabat.simulators.oktell.command_table import OktellError, OktellRequest, command

if TYPE_CHECKING:
    from nabat.simulators.oktell.pbx import OktellPbx

MAX_DOWNLOAD_BYTES = 256 * 1024 * 1024
STORE_FOLDERS = {"rec": "rec", "fax": "fax"}


def resolve_inside(base: Path, candidate: str | Path) -> Path | None:
    """The real path of ``candidate`` (relative to ``base``) if it is a regular file in ``base``."""
    text = os.fspath(candidate)
    if not text or "\x00" in text:
        return None
    real_base = os.path.realpath(base)
    real = os.path.realpath(os.path.join(real_base, text))
    try:
        if os.path.commonpath([real_base, real]) != real_base or real == real_base:
            return None
    except ValueError:  # different drives (Windows)
        return None
    return Path(real) if os.path.isfile(real) else None


def _is_plain_id(identifier: str) -> bool:
    return (
        bool(identifier) and not any(c in identifier for c in "/\\\x00") and ".." not in identifier
    )


def find_stored(pbx: OktellPbx, kind: str, identifier: str) -> Path | None:
    """The rec/ or fax/ file for ``identifier`` (module doc), or None."""
    if not _is_plain_id(identifier):
        return None
    if kind == "rec":
        recorded = pbx.recordings.get(identifier)
        if recorded is not None:
            return resolve_inside(pbx.files_dir, recorded)
    folder = pbx.files_dir / STORE_FOLDERS[kind]
    exact = resolve_inside(folder, identifier)
    if exact is not None:
        return exact
    if not folder.is_dir():
        return None
    for entry in sorted(folder.iterdir()):
        if entry.stem == identifier:
            found = resolve_inside(folder, entry.name)
            if found is not None:
                return found
    return None


def file_response(path: Path) -> Response:
    """200 with the file's bytes, type and name."""
    size = path.stat().st_size
    if size > MAX_DOWNLOAD_BYTES:
        raise OktellError(500, f"file of {size} bytes is over the simulator's download limit")
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if path.suffix.lower() == ".wav":
        content_type = "audio/wav"
    return Response(
        200,
        [("Content-Type", content_type), ("Content-Disposition", content_disposition(path.name))],
        path.read_bytes(),
    )


def content_disposition(name: str) -> str:
    """``attachment`` with ``filename`` (ASCII) and, for other names, ``filename*``."""
    if name.isascii() and name.isprintable() and '"' not in name and "\\" not in name:
        return f'attachment; filename="{name}"'
    fallback = "".join(c if (c.isascii() and c.isalnum()) or c in "._-" else "_" for c in name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


@command("download")
async def download(request: OktellRequest, pbx: OktellPbx) -> Response:
    kind, _, identifier = request.rest.strip("/").partition("/")
    kind = kind.lower()
    if kind in STORE_FOLDERS:
        found = find_stored(pbx, kind, identifier)
        if found is None:
            raise OktellError(404, f"no {kind} file {identifier!r}")
        return file_response(found)
    if kind == "byscript" and not identifier:
        return await _download_by_script(request, pbx)
    raise OktellError(404, f"unknown download {request.rest!r}: expected rec/ID, fax/ID, byscript")


async def _download_by_script(request: OktellRequest, pbx: OktellPbx) -> Response:
    name = request.param("name")
    if not name:
        raise OktellError(400, "missing parameter name (the service script)")
    timeout = _timeout(request.param("timeout"))
    startparams = [request.param(f"startparam{i}") for i in range(1, 6)]
    result = await pbx.run_script(name, startparams, timeout)
    if result.timed_out:
        raise OktellError(504, f"script {name!r} did not finish within {timeout} s")
    if result.error is not None:
        raise OktellError(500, f"script {name!r} failed: {result.error}")
    path = (result.return_value or result.output or "").strip()
    if not path:
        raise OktellError(404, f"script {name!r} returned no file path")
    found = resolve_inside(pbx.files_dir, path)
    if found is None:
        candidate = Path(path) if os.path.isabs(path) else pbx.files_dir / path
        if candidate.is_file() or "\x00" in path:
            raise OktellError(403, "the script's path is outside the simulator's directory")
        raise OktellError(404, f"no file at the script's path {path!r}")
    return file_response(found)


def _timeout(text: str) -> float | None:
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise OktellError(400, f"timeout must be a number of seconds, got {text!r}") from None
    if not 0 <= value <= 86400:
        raise OktellError(400, f"timeout must be 0..86400 seconds, got {text!r}")
    return value


@command("downloadrecordbylink")
def download_record_by_link(request: OktellRequest, pbx: OktellPbx) -> Response:
    link = request.param("recordlink")
    if not link:
        raise OktellError(400, "missing parameter recordlink")
    recorded = pbx.recordings.get(link)
    found = None if recorded is None else resolve_inside(pbx.files_dir, recorded)
    if found is None:
        raise OktellError(404, f"no recording for link {link!r}")
    return file_response(found)
