"""Session commands: LOGIN, PING, QUIT, USER, CHECKPASSW, MONITORING.

LOGIN and CHECKPASSW verify the password (scrypt) through the login
throttle and the password-check queue (``throttle.py``, ``verifier.py``):
a slot is reserved before the check (attempts in flight count against the
limits, so parallel attempts cannot get past a lockout); a locked (peer,
login) pair or peer address is refused after ``login_max_delay`` without a
check; a failure is answered after a growing delay; an attempt that gets
no slot or worker within ``login_queue_timeout`` (or finds the queue full)
is refused ``ERR_BADLOGIN`` with the reason "server busy", checking
nothing. Nothing here logs a password.
"""

from __future__ import annotations

import asyncio
import logging

from nabat.system.protocol import ErrorCode, User, login_reply, ok_line
from nabat.system.server.context import Call, Handler, blocking
from nabat.system.server.errors import CommandFailed
from nabat.system.server.throttle import Refusal
from nabat.system.server.verifier import VerifierBusy

log = logging.getLogger("nabat.server.login")
BUSY_TEXT = "сервер занят проверкой паролей, повторите вход позже (server busy)"


async def _verify(call: Call, error: ErrorCode) -> User:
    """The account for the call's login and password, or ``CommandFailed(error)``."""
    login: str = call.args["login"]
    password: str = call.args["password"]
    context, peer = call.context, call.session.peer_host
    throttle, policy = context.throttle, context.throttle.policy
    attempt = await throttle.reserve((peer, login), policy.queue_timeout)
    if attempt is Refusal.LOCKED:
        log.warning("%s from %s for %r refused: locked out", call.word, call.session.peer, login)
        await asyncio.sleep(policy.max_delay)
        raise CommandFailed(error)
    if attempt is Refusal.FULL:
        log.warning("%s from %s for %r refused: too many attempts in flight", call.word,
                    call.session.peer, login)  # fmt: skip
        raise CommandFailed(error, BUSY_TEXT)
    users = call.store.users
    try:
        user = await context.verifier.check(peer, lambda: users.authenticate(login, password))
    except VerifierBusy as exc:
        attempt.abandoned()
        log.warning("%s from %s for %r refused: %s", call.word, call.session.peer, login, exc)
        raise CommandFailed(error, BUSY_TEXT) from None
    except BaseException:
        attempt.abandoned()
        raise
    if user is None:
        delay = attempt.failed()
        log.warning("%s from %s for %r: wrong login or password", call.word, call.session.peer,
                    login)  # fmt: skip
        if call.word == "LOGIN":
            call.session.log_out()  # a failed LOGIN logs the session out (project)
        await asyncio.sleep(delay)
        raise CommandFailed(error)
    attempt.succeeded()
    return user


async def login(call: Call) -> None:
    user = await _verify(call, ErrorCode.BADLOGIN)
    call.session.user = user
    log.info("LOGIN from %s: %r (%s)", call.session.peer, user.login, user.rights.name)
    context = call.context
    await call.reply(login_reply(context.settings.welcome, context.licence.hasp_info()))


async def check_password(call: Call) -> None:
    user = await _verify(call, ErrorCode.CHECKPASSW)
    await call.reply([ok_line(call.word, (user.login,))])


async def ping(call: Call) -> None:
    await call.reply([ok_line(call.word)])


async def quit_session(call: Call) -> None:
    await call.reply([ok_line(call.word)])
    call.session.closing = True


async def whoami(call: Call) -> None:
    assert call.user is not None
    user = await blocking(call.store.users.find, call.user.login) or call.user
    await call.reply([ok_line(call.word, user.to_params())])


async def monitoring(call: Call) -> None:
    enable = call.args["enable"] is not False  # absent (None) means on
    hub = call.context.hub
    if enable:
        hub.subscribe(call.session)
    else:
        hub.unsubscribe(call.session)
    call.session.monitoring = enable
    await call.reply([ok_line(call.word, ("1" if enable else "0",))])


HANDLERS: dict[str, Handler] = {
    "LOGIN": login,
    "PING": ping,
    "QUIT": quit_session,
    "USER": whoami,
    "CHECKPASSW": check_password,
    "MONITORING": monitoring,
}
