"""Oktell ``upload``: files saved under ``files_dir/UploadData`` with their own names.

Two request shapes (the spec): ``multipart/form-data`` with one part per
file (the name from the part's Content-Disposition ``filename``; parts
without a filename are form fields, not files), and
``application/octet-stream`` whose body is one file named by the request's
Content-Disposition ``filename``. A part's (or the request's)
Content-Transfer-Encoding ``base64`` or ``quoted-printable`` is decoded;
``binary``, ``8bit``, ``7bit`` or none take the bytes as they are.

Decisions (docs/oktell-files.md):

* A request body over ``limits.max_upload_request_bytes`` is 413 and nothing
  is saved (the app's HTTP limit answers 413 from Content-Length before the
  body is read). A file over ``max_upload_file_bytes``, a file past the
  ``max_upload_files``-th, a file without a name and a file with an unsafe
  name get ``saved="0"``; the request's other files are saved.
* Unsafe names (``safe_upload_name``): empty, ``.``/``..``, any ``/`` or
  ``\\``, a drive letter or any ``:``, NUL or another control character,
  ``<>"|?*``, a trailing dot or space, a reserved Windows device name (CON,
  PRN, AUX, NUL, COM1-9, LPT1-9, with any extension), over 255 UTF-8 bytes.
  Nothing is ever written outside UploadData.
* The same name again overwrites (Oktell keeps the names "non-random" so the
  caller knows the path): the latest file wins, in one request too. Each file
  is written to a temporary name and renamed, so a reader never sees half a file
  and a symlink planted at the name is replaced, not followed.
* ``path`` in the answer is the real absolute path of the saved file on the
  simulator's host (not the ``C:\\Oktell\\Temp\\UploadData`` form of the spec's
  example): a client hands it back to a script or to download/byscript as it is.
* A malformed multipart body (no boundary, no closing boundary, a part without
  a header/body separator) or another Content-Type is 400; nothing is saved.
* Every saved WAV's format (channels, sample rate, sample width, frames) is
  measured and reported in the simulator's events (``pbx.note("upload", ...)``,
  ``format="wav 8000 Hz 16-bit mono N frames"``); the system's
  Oktell channel uploads its messages as WAV 8 kHz 16-bit mono.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import email.parser
import email.policy
import io
import os
import quopri
import re
import tempfile
import wave
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import TYPE_CHECKING

from nabat.simulators.http.messages import Response
from nabat.simulators.oktell.command_table import OktellError, OktellRequest, command
from nabat.system.wire.oktell import UploadedFile, UploadResult, write_upload_result

if TYPE_CHECKING:
    from nabat.simulators.oktell.pbx import OktellPbx

UPLOAD_FOLDER = "UploadData"
_BOUNDARY = re.compile(r'boundary=(?:"([^"]+)"|([^";\s]+))', re.IGNORECASE)
_RESERVED = re.compile(r"(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?", re.IGNORECASE)
_FORBIDDEN_CHARACTERS = set('/\\:<>"|?*') | {chr(c) for c in range(32)} | {"\x7f"}


@dataclass(frozen=True, slots=True)
class FilePart:
    """One file of an upload: its name as sent (None without one) and its bytes."""

    name: str | None
    data: bytes


@dataclass(frozen=True, slots=True)
class WavFormat:
    channels: int
    sample_rate: int
    sample_width_bits: int
    frames: int

    def describe(self) -> str:
        return (
            f"wav {self.sample_rate} Hz {self.sample_width_bits}-bit"
            f" {'mono' if self.channels == 1 else f'{self.channels} channels'}"
            f" {self.frames} frames"
        )


def safe_upload_name(name: str | None) -> str | None:
    """``name`` if it is safe to save as it is (module doc), else None."""
    if not name or name in (".", ".."):
        return None
    if any(c in _FORBIDDEN_CHARACTERS for c in name) or name[-1] in ". ":
        return None
    if _RESERVED.fullmatch(name) or len(name.encode("utf-8", "surrogatepass")) > 255:
        return None
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: bytes that were not UTF-8
        return None
    return name


def describe_wav(data: bytes) -> WavFormat | None:
    """The WAV header's format, or None when ``data`` is not a readable WAV."""
    if not (data.startswith(b"RIFF") and data[8:12] == b"WAVE"):
        return None
    try:
        with wave.open(io.BytesIO(data)) as reader:
            return WavFormat(
                reader.getnchannels(),
                reader.getframerate(),
                reader.getsampwidth() * 8,
                reader.getnframes(),
            )
    except (wave.Error, EOFError, ValueError):
        return None


def _decode_transfer(data: bytes, encoding: str | None) -> bytes | None:
    """The part's bytes after its Content-Transfer-Encoding; None when they do not decode."""
    kind = (encoding or "binary").strip().lower()
    if kind in ("binary", "8bit", "7bit"):
        return data
    if kind == "base64":
        try:
            return base64.b64decode(b"".join(data.split()), validate=True)
        except binascii.Error:
            return None
    if kind == "quoted-printable":
        return quopri.decodestring(data)
    return None


def _headers(raw: bytes) -> Message:
    """Part headers; raw UTF-8 names (what curl and browsers send) read as UTF-8, else Latin-1."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return email.parser.HeaderParser(policy=email.policy.compat32).parsestr(text + "\r\n\r\n")


def _filename(headers: Message) -> str | None:
    name = headers.get_filename()
    return None if name is None else str(name)


def multipart_files(content_type_header: str, body: bytes) -> Iterator[FilePart]:
    """The file parts of a multipart/form-data body, in order (OktellError 400 if malformed)."""
    match = _BOUNDARY.search(content_type_header)
    if match is None:
        raise OktellError(400, "multipart/form-data without a boundary")
    delimiter = b"--" + (match.group(1) or match.group(2)).encode("latin-1")
    start = body.find(delimiter)
    if start < 0:
        raise OktellError(400, "multipart body does not contain its boundary")
    position = start + len(delimiter)
    parts: list[tuple[bytes, bytes]] = []
    while not body.startswith(b"--", position):
        line_end = body.find(b"\r\n", position)
        following = body.find(b"\r\n" + delimiter, position)
        if line_end < 0 or following < 0:
            raise OktellError(400, "multipart body is not terminated by its closing boundary")
        section = body[line_end + 2 : following]
        if section.startswith(b"\r\n"):
            head, content = b"", section[2:]
        else:
            head, separator, content = section.partition(b"\r\n\r\n")
            if not separator:
                raise OktellError(400, "multipart part without a header/body separator")
        parts.append((head, content))
        position = following + 2 + len(delimiter)
    for head, content in parts:
        headers = _headers(head)
        if headers.get_param("filename", header="content-disposition") is None and not (
            headers.get_param("filename*", header="content-disposition")
        ):
            continue  # a form field (password=..., name=...), not a file
        decoded = _decode_transfer(content, headers.get("content-transfer-encoding"))
        yield FilePart(_filename(headers), decoded if decoded is not None else b"")


def _request_files(request: OktellRequest) -> list[FilePart]:
    if request.content_type == "multipart/form-data":
        return list(multipart_files(request.headers.get("content-type", ""), request.body))
    if request.content_type == "application/octet-stream":
        disposition = request.headers.get("content-disposition", "")
        headers = _headers(f"Content-Disposition: {disposition}".encode("latin-1", "replace"))
        data = _decode_transfer(request.body, request.headers.get("content-transfer-encoding"))
        return [FilePart(_filename(headers), data if data is not None else b"")]
    raise OktellError(
        400,
        f"upload needs multipart/form-data or application/octet-stream,"
        f" not {request.content_type or 'no Content-Type'}",
    )


def save_upload(folder: Path, name: str, data: bytes) -> Path:
    """Write ``data`` as ``folder/name`` through a temporary file and a rename."""
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as output:
            output.write(data)
        target = folder / name
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return target.resolve()


@command("upload")
def upload(request: OktellRequest, pbx: OktellPbx) -> Response:
    limits = pbx.limits
    if len(request.body) > limits.max_upload_request_bytes:
        raise OktellError(
            413, f"upload of {len(request.body)} bytes is over {limits.max_upload_request_bytes}"
        )
    files = _request_files(request)
    folder = pbx.files_dir / UPLOAD_FOLDER
    answers: list[UploadedFile] = []
    for index, part in enumerate(files):
        safe = safe_upload_name(part.name)
        shown = part.name or ""
        refused = (
            safe is None
            or index >= limits.max_upload_files
            or len(part.data) > limits.max_upload_file_bytes
        )
        if refused or safe is None:
            answers.append(UploadedFile(shown, False))
            _note(pbx, {"name": shown, "saved": "0"})
            continue
        try:
            path = save_upload(folder, safe, part.data)
        except OSError as error:
            answers.append(UploadedFile(shown, False))
            _note(pbx, {"name": shown, "saved": "0", "error": error.strerror or str(error)})
            continue
        answers.append(UploadedFile(safe, True, len(part.data), str(path)))
        fields = {"name": safe, "saved": "1", "size": str(len(part.data)), "path": str(path)}
        wav = describe_wav(part.data)
        if wav is not None:
            fields["format"] = wav.describe()
        _note(pbx, fields)
    body = write_upload_result(UploadResult(tuple(answers)))
    return Response(200, [("Content-Type", "text/xml; charset=utf-16")], body)


def _note(pbx: OktellPbx, fields: dict[str, str]) -> None:
    pbx.note("upload", **fields)
