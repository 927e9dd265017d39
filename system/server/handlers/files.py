"""Files: SENDRAWFILE (multi-line upload), GETRAWFILE (streamed download).

SENDRAWFILE is streamed to disk as it arrives: the session's assembler
writes each DATA chunk to the file store's temporary file (``Upload``) and
checks the size (at most ``max_upload_size``, refused at BEGIN); at END this
handler commits it (fsync, atomic rename, in a worker thread), so a dropped
connection or a bad line leaves nothing behind and an open upload holds
64 KiB of memory, whatever its size. GETRAWFILE streams the file from disk
as hex DATA lines. Missing file: ``ERR_NOFILE``; a file that cannot be
stored (a bad name, a disk error): ``ERR_SENDRAWFILE`` with the reason.
"""

from __future__ import annotations

import logging

from nabat.system.protocol import ErrorCode, FileUpload, ok_line
from nabat.system.server.context import Call, Handler, blocking
from nabat.system.server.errors import CommandFailed
from nabat.system.server.filestore import Upload, size_of
from nabat.system.server.handlers.filedata import stream_file

log = logging.getLogger("nabat.server.files")


async def send_raw_file(call: Call) -> None:
    upload = call.request
    assert isinstance(upload, FileUpload)
    try:
        if upload.sink is None:
            await blocking(call.context.files.save, upload.filename, upload.data)
        else:
            assert isinstance(upload.sink, Upload)
            await blocking(upload.sink.commit)  # runs to its end even if this call is cancelled
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        log.warning("SENDRAWFILE %r: not stored: %s", upload.filename, reason)
        raise CommandFailed(ErrorCode.SENDRAWFILE,
                            f"{ErrorCode.SENDRAWFILE.text} ({reason})") from None  # fmt: skip
    log.info("SENDRAWFILE %r: %d bytes stored", upload.filename, upload.length)
    await call.reply([ok_line(call.word, (upload.filename, str(upload.length)))])


async def get_raw_file(call: Call) -> None:
    name: str = call.args["filename"]
    stream = await blocking(call.context.files.open, name)
    if stream is None:
        raise CommandFailed(ErrorCode.NOFILE, f"{ErrorCode.NOFILE.text} ({name})")
    try:
        size = size_of(stream)  # fstat of an open file: no I/O wait
    except OSError:
        stream.close()
        raise
    await stream_file(call, stream, (name, str(size)))


HANDLERS: dict[str, Handler] = {
    "SENDRAWFILE": send_raw_file,
    "GETRAWFILE": get_raw_file,
}
