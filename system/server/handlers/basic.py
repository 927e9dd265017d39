"""Session commands: LOGIN, PING, QUIT, USER, CHECKPASSW, MONITORING.

LOGIN and CHECKPASSW verify the password (scrypt) in a worker thread and go
through the login throttle: failures are answered after a growing delay,
and a (peer, login) pair with too many failures is refused for a while
without checking the password. Nothing here logs a password.
"""

from __future__ import annotations

import asyncio
import logging

from nabat.system.protocol import ErrorCode, User, login_reply, ok_line
from nabat.system.server.context import Call, Handler, blocking, in_pool
from nabat.system.server.errors import CommandFailed

log = logging.getLogger("nabat.server.login")


async def _verify(call: Call, error: ErrorCode) -> User:
    """The account for the call's login and password, or ``CommandFailed(error)``."""
    login: str = call.args["login"]
    password: str = call.args["password"]
    throttle = call.context.throttle
    key = (call.session.peer_host, login)
    if throttle.locked(key):
        log.warning("%s from %s for %r refused: locked out", call.word, call.session.peer, login)
        await asyncio.sleep(throttle.policy.max_delay)
        raise CommandFailed(error)
    users = call.store.users
    user = await in_pool(call.context.verifier, lambda: users.authenticate(login, password))
    if user is None:
        delay = throttle.failure(key)
        log.warning("%s from %s for %r: wrong login or password", call.word, call.session.peer,
                    login)  # fmt: skip
        if call.word == "LOGIN":
            call.session.log_out()  # a failed LOGIN logs the session out (project)
        await asyncio.sleep(delay)
        raise CommandFailed(error)
    throttle.success(key)
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
