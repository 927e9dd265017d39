"""``NabatClient``: one typed method per command of the protocol's table.

Each method is a thin wrapper over ``ClientCore``: parameters are encoded by
the command table's codecs (``call``) or by a record's ``to_params(form)``,
and the reply is decoded by the record the table names for it (``_record``,
``_records``, ``_file``). Errors come back as ``ServerError``; see
docs/client.md for the whole list and an example.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from datetime import date
from typing import TypeVar

from nabat.system.client.core import ClientCore
from nabat.system.client.errors import ProtocolViolation, ServerError
from nabat.system.protocol import (
    Abonent,
    Channel,
    ConfigEntry,
    DistributionList,
    ErrorCode,
    Form,
    Group,
    HaspInfo,
    Message,
    Reply,
    Task,
    TaskProgress,
    TaskSummary,
    User,
    Voice,
    WireRecord,
    abonent_request,
    file_upload,
)

R = TypeVar("R", bound=WireRecord)


def _ids(ids: Iterable[int]) -> tuple[int, ...]:
    return tuple(ids)


class NabatClient(ClientCore):
    """An asyncio client of the Nabat server; see the module comment."""

    # --- helpers ------------------------------------------------------------

    async def _record(self, record: type[R], word: str, *values: object) -> R:
        return (await self.call(word, *values)).head_record(record)

    async def _records(
        self, record: type[R], word: str, *values: object, form: Form = Form.FULL
    ) -> list[R]:
        return (await self.call(word, *values)).records(record, form)

    async def _send(self, record: type[R], word: str, value: WireRecord, form: Form) -> R:
        return (await self.request(word, *value.to_params(form))).head_record(record)

    @staticmethod
    def _abonent(reply: Reply) -> Abonent:
        if len(reply.abonents) != 1:
            raise ProtocolViolation(f"{reply.word}: expected one abonent in the reply")
        return reply.abonents[0]

    # --- session ------------------------------------------------------------

    async def login(self, login: str, password: str) -> tuple[str, HaspInfo]:
        """LOGIN: the welcome text and what the licence allows (the HASP line)."""
        reply = await self.call("LOGIN", login, password)
        if reply.hasp is None:
            raise ProtocolViolation("LOGIN OK without its HASP line")
        return reply.head[0], reply.hasp

    async def ping(self) -> None:
        await self.call("PING")

    async def quit(self) -> None:
        """QUIT: the server answers and closes; so does the client."""
        try:
            await self.call("QUIT")
        finally:
            await self.close()

    async def monitoring(self, enable: bool = True) -> bool:
        """MONITORING: switch notifications on or off; the state now in force."""
        reply = await self.call("MONITORING", enable)
        return reply.head[0] == "1"

    # --- tasks --------------------------------------------------------------

    async def get_tasks(self) -> list[TaskSummary]:
        return await self._records(TaskSummary, "GETTASKS")

    async def get_task(self, task_id: int) -> Task:
        return await self._record(Task, "GETTASK", task_id)

    async def add_task(self, task: Task) -> TaskSummary:
        return await self._send(TaskSummary, "ADDTASK", task, Form.NEW)

    async def update_task(self, task: Task) -> TaskSummary:
        return await self._send(TaskSummary, "UPDATETASK", task, Form.UPDATE)

    async def delete_task(self, task_id: int) -> None:
        await self.call("DELTASK", task_id)

    async def start_task(self, task_id: int, restart: bool = False) -> TaskSummary:
        return await self._record(TaskSummary, "STARTTASK", task_id, restart)

    async def stop_task(self, task_id: int) -> TaskSummary:
        return await self._record(TaskSummary, "STOPTASK", task_id)

    async def get_task_info(self, task_id: int) -> TaskProgress:
        return await self._record(TaskProgress, "GETTASKINFO", task_id)

    async def get_report(self, task_id: int) -> tuple[str, bytes]:
        """GETREPORT: the report's format (``HTML``) and its bytes."""
        reply = await self.call("GETREPORT", task_id)
        return reply.head[0], reply.data()

    # --- groups -------------------------------------------------------------

    async def get_groups(self, lid: int | None = None) -> list[Group]:
        return await self._records(Group, "GETGROUPS", lid)

    async def add_group(self, name: str, description: str = "") -> Group:
        return await self._record(Group, "ADDGROUP", name, description)

    async def update_group(self, group_id: int, name: str, description: str = "") -> Group:
        return await self._record(Group, "UPDATEGROUP", group_id, name, description)

    async def delete_group(self, group_id: int) -> None:
        await self.call("DELGROUP", group_id)

    async def group_add_abonents(self, gid: int, abonent_ids: Iterable[int]) -> None:
        await self.call("GROUPADDABONENTS", gid, _ids(abonent_ids))

    # --- distribution lists -------------------------------------------------

    async def get_lists(self) -> list[DistributionList]:
        return await self._records(DistributionList, "GETLISTS")

    async def add_list(self, name: str, description: str = "") -> DistributionList:
        return await self._record(DistributionList, "ADDLIST", name, description)

    async def update_list(
        self, list_id: int, name: str, description: str = "", *, word: str = "UPDATELIST"
    ) -> DistributionList:
        """UPDATELIST (or the section's spelling ``word="UPDATLIST"``)."""
        return await self._record(DistributionList, word, list_id, name, description)

    async def delete_list(self, list_id: int) -> None:
        await self.call("DELLIST", list_id)

    async def list_clear(self, list_id: int) -> None:
        await self.call("LISTCLEAR", list_id)

    async def list_add_abonents(self, list_id: int, abonent_ids: Iterable[int]) -> None:
        await self.call("LISTADDABONENTS", list_id, _ids(abonent_ids))

    async def list_del_abonents(self, list_id: int, abonent_ids: Iterable[int]) -> None:
        await self.call("LISTDELABONENTS", list_id, _ids(abonent_ids))

    async def list_add_groups(self, list_id: int, group_ids: Iterable[int]) -> None:
        await self.call("LISTADDGROUPS", list_id, _ids(group_ids))

    async def list_del_groups(self, list_id: int, group_ids: Iterable[int]) -> None:
        await self.call("LISTDELGROUPS", list_id, _ids(group_ids))

    # --- abonents -----------------------------------------------------------

    async def get_abonents(
        self, gid: int | None = None, lid: int | None = None
    ) -> AsyncIterator[Abonent]:
        """GETABONENTS, streamed: each abonent (with its phones and e-mails)
        as soon as it has arrived. Filter by group and/or list."""
        async for item in self.stream("GETABONENTS", gid, lid):
            assert isinstance(item, Abonent)
            yield item

    async def list_abonents(self, gid: int | None = None, lid: int | None = None) -> list[Abonent]:
        """GETABONENTS collected into a list (for small listings)."""
        return [abonent async for abonent in self.get_abonents(gid, lid)]

    async def get_abonent(self, abonent_id: int) -> Abonent:
        return self._abonent(await self.call("GETABONENT", abonent_id))

    async def add_abonent(self, abonent: Abonent) -> Abonent:
        """ADDABONENT with the abonent's phones and e-mails; the stored abonent."""
        return self._abonent(await self.request_lines(abonent_request(abonent)))

    async def update_abonent(self, abonent: Abonent) -> Abonent:
        """UPDATEABONENT of ``abonent.id``: replaces its data, phones and e-mails."""
        return self._abonent(await self.request_lines(abonent_request(abonent, update=True)))

    async def delete_abonents(self, abonent_ids: Iterable[int]) -> None:
        await self.call("DELABONENTS", _ids(abonent_ids))

    # --- messages -----------------------------------------------------------

    async def get_messages(self) -> list[Message]:
        return await self._records(Message, "MESSAGES")

    async def add_message(self, message: Message) -> Message:
        return await self._send(Message, "ADDMESSAGE", message, Form.NEW)

    async def update_message(self, message: Message) -> Message:
        return await self._send(Message, "UPDATEMESSAGE", message, Form.UPDATE)

    async def delete_message(self, message_id: int) -> None:
        await self.call("DELMESSAGE", message_id)

    # --- users --------------------------------------------------------------

    async def user(self) -> User:
        """USER: the session's own account."""
        return await self._record(User, "USER")

    async def users(self) -> list[User]:
        return await self._records(User, "USERS")

    async def user_add(self, user: User) -> User:
        """USERADD (``user.password`` is required)."""
        return await self._send(User, "USERADD", user, Form.NEW)

    async def user_chg(self, user: User) -> User:
        """USERCHG (an empty or ``None`` password keeps the old one)."""
        if user.password is None:
            user = User(
                login=user.login,
                rights=user.rights,
                name=user.name,
                description=user.description,
                password="",
            )
        return await self._send(User, "USERCHG", user, Form.UPDATE)

    async def user_del(self, login: str) -> None:
        await self.call("USERDEL", login)

    async def check_password(self, login: str, password: str) -> bool:
        """CHECKPASSW: whether the pair is valid (the session is unchanged)."""
        try:
            await self.call("CHECKPASSW", login, password)
        except ServerError as exc:
            if exc.means(ErrorCode.CHECKPASSW):
                return False
            raise
        return True

    # --- channels, configuration, log ---------------------------------------

    async def get_channels(self) -> list[Channel]:
        """GETCHANNELS: every channel without its settings (SUMMARY form)."""
        return await self._records(Channel, "GETCHANNELS", form=Form.SUMMARY)

    async def get_chan_info(self, num: int) -> Channel:
        return await self._record(Channel, "GETCHANINFO", num)

    async def set_chan_info(self, channel: Channel) -> Channel:
        """SETCHANINFO: ``num``, ``name``, ``enabled`` and ``settings``."""
        return await self._send(Channel, "SETCHANINFO", channel, Form.UPDATE)

    async def get_config(self) -> list[ConfigEntry]:
        return await self._records(ConfigEntry, "GETCONFIG")

    async def set_config(self, key: str, value: str) -> ConfigEntry:
        return await self._record(ConfigEntry, "SETCONFIG", key, value)

    async def get_log(self, day: date) -> AsyncIterator[str]:
        """GETLOG, streamed: the server log of one day, line by line."""
        async for item in self.stream("GETLOG", day):
            assert isinstance(item, tuple)
            yield item[0]

    # --- speech and files ---------------------------------------------------

    async def tts(self, voice: str, text: str) -> bytes:
        """TTS: ``text`` spoken by ``voice`` (WAV bytes)."""
        return (await self.call("TTS", voice, text)).data()

    async def get_tts(self) -> list[Voice]:
        return await self._records(Voice, "GETTTS")

    async def send_raw_file(self, filename: str, data: bytes) -> int:
        """SENDRAWFILE: upload ``data``; the size the server stored."""
        reply = await self.request_lines(file_upload(filename, data))
        return int(reply.head[1])

    async def get_raw_file(self, filename: str) -> bytes:
        return (await self.call("GETRAWFILE", filename)).data()
