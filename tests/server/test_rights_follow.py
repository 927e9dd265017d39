"""Rights follow account changes (issue 9): a user demoted or deleted while
logged in gets the new rights on its next command; a deleted user's session
is answered ``ERR_NOACCESS`` (user deleted) and closed."""

from __future__ import annotations

from nabat.system.protocol import Rights

from tests.server.conftest import Running


async def test_a_demoted_user_loses_its_rights_on_the_next_command(running: Running) -> None:
    oper = await running.client("oper")
    assert (await oper.request("ADDGROUP", "before", "")).ok
    admin = await running.client("admin")
    reply = await admin.request("USERCHG", "oper", "", str(int(Rights.READ_ONLY)), "Oper", "")
    assert reply.ok, reply
    refused = await oper.request("ADDGROUP", "after", "")
    assert refused.error is not None and refused.error.code == "ERR_NOACCESS", refused
    assert (await oper.request("GETGROUPS")).ok  # still logged in, as read-only
    reply = await admin.request("USERCHG", "oper", "", str(int(Rights.OPERATOR)), "Oper", "")
    assert reply.ok, reply
    assert (await oper.request("ADDGROUP", "promoted", "")).ok  # promotion applies too
    await oper.close()
    await admin.close()


async def test_a_deleted_user_is_told_and_its_session_ends(running: Running) -> None:
    oper = await running.client("oper")
    admin = await running.client("admin")
    assert (await admin.request("USERDEL", "oper")).ok
    reply = await oper.request("GETGROUPS")
    assert reply.error is not None and reply.error.code == "ERR_NOACCESS", reply
    assert "user deleted" in reply.error.text
    assert await oper.line() is None  # the server closed the session
    assert (await admin.request("GETGROUPS")).ok  # other sessions go on
    await oper.close()
    await admin.close()
