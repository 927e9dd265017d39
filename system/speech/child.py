"""One run of a synthesiser's child process: ``run`` starts it as an asyncio
subprocess, feeds its stdin, collects stdout up to a cap, and kills it when
the timeout or the cap is exceeded; a non-zero exit is an error quoting the
first line of its stderr."""

from __future__ import annotations

import asyncio
from contextlib import suppress

from nabat.system.speech.synthesiser import SynthesisError


async def run(args: list[str], stdin: bytes, timeout: float, limit: int) -> bytes:
    """stdout of ``args`` fed ``stdin``; ``SynthesisError`` on a timeout, more
    than ``limit`` bytes of output, or a non-zero exit."""
    try:
        process = await asyncio.create_subprocess_exec(
            *args,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
    except OSError as exc:
        raise SynthesisError(f"cannot run {args[0]}: {exc.strerror or exc}") from exc
    assert process.stdin is not None and process.stdout is not None
    assert process.stderr is not None
    stdin_pipe, stdout_pipe, stderr_pipe = process.stdin, process.stdout, process.stderr

    async def feed() -> None:
        with suppress(ConnectionError, BrokenPipeError):
            stdin_pipe.write(stdin)
            await stdin_pipe.drain()
            stdin_pipe.close()

    async def collect() -> bytes:
        out = bytearray()
        while chunk := await stdout_pipe.read(65536):
            out += chunk
            if len(out) > limit:
                raise SynthesisError(f"the synthesiser produced more than {limit} bytes")
        return bytes(out)

    async def whole() -> tuple[bytes, bytes, int]:
        _, out, err = await asyncio.gather(feed(), collect(), stderr_pipe.read(4096))
        return out, err, await process.wait()

    try:
        out, err, code = await asyncio.wait_for(whole(), timeout)
    except TimeoutError:
        raise SynthesisError(f"the synthesiser took longer than {timeout:g} s") from None
    finally:
        if process.returncode is None:
            with suppress(ProcessLookupError):
                process.kill()
            await process.wait()
    if code != 0:
        detail = err.decode("utf-8", "replace").strip().splitlines()
        raise SynthesisError(
            f"the synthesiser failed (exit {code}){': ' + detail[0][:200] if detail else ''}"
        )
    return out
