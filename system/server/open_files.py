"""The open-files limit (RLIMIT_NOFILE) the configured sessions need.

Each session holds its socket and at times one more file (a GETRAWFILE
download, a store reader), each connection in the TLS handshake a socket,
and the server itself a few dozen (database, WAL, log files, listener).
``needed`` adds that up; ``ensure`` raises the soft limit towards the hard
one as far as needed (never lowers it) and returns a ``Limit`` that says
whether the configured ``max_sessions`` now fits. The server calls it at
start and whenever ``max_sessions`` changes; ``warning`` is the text logged
(and printed by ``nabat serve``) when it does not fit.
"""

from __future__ import annotations

import logging
import resource
from dataclasses import dataclass

log = logging.getLogger("nabat.server")

FILES_PER_SESSION = 2  # the socket, and at times a download or a store reader
RESERVE = 64  # database, WAL, shared memory, log files, listener, worker threads


def needed(max_sessions: int, max_tls_handshakes: int) -> int:
    return max_sessions * FILES_PER_SESSION + max_tls_handshakes + RESERVE


@dataclass(frozen=True, slots=True)
class Limit:
    soft: int  # after any raise
    hard: int
    needed: int
    max_sessions: int
    max_tls_handshakes: int

    @property
    def fits(self) -> bool:
        return self.soft >= self.needed

    @property
    def sessions_that_fit(self) -> int:
        return max(0, (self.soft - RESERVE - self.max_tls_handshakes) // FILES_PER_SESSION)

    @property
    def warning(self) -> str:
        return (
            f"max_sessions = {self.max_sessions} needs about {self.needed} open files, but the "
            f"open-files limit is {self.soft} (hard limit {self.hard}): beyond about "
            f"{self.sessions_that_fit} sessions new connections may fail; raise the hard limit "
            f"(ulimit -Hn, LimitNOFILE= in systemd) or lower max_sessions"
        )


def _unlimited(value: int) -> bool:
    return value == resource.RLIM_INFINITY


def ensure(max_sessions: int, max_tls_handshakes: int) -> Limit:
    """Raise the soft RLIMIT_NOFILE as far as ``max_sessions`` needs (up to the hard limit)."""
    want = needed(max_sessions, max_tls_handshakes)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if not _unlimited(soft) and soft < want:
        target = want if _unlimited(hard) else min(want, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError) as exc:
            log.warning("could not raise the open-files limit to %d: %s", target, exc)
        else:
            log.info("open-files limit raised from %d to %d", soft, target)
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    effective_soft = want if _unlimited(soft) else soft
    effective_hard = want if _unlimited(hard) else hard
    return Limit(effective_soft, effective_hard, want, max_sessions, max_tls_handshakes)


def check(max_sessions: int, max_tls_handshakes: int) -> Limit:
    """``ensure``, logging the warning when the limit still does not fit."""
    limit = ensure(max_sessions, max_tls_handshakes)
    if not limit.fits:
        log.warning("%s", limit.warning)
    return limit
