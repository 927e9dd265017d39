"""A voice task over the stack's GSM modems, added and started as an operator would."""

from __future__ import annotations

from nabat.simulators.system.demo import mask
from nabat.simulators.system.stack import SystemStack, admin_client
from nabat.system.protocol import Abonent, Message, MessageType, Phone, Task, TaskStatus, TaskType


async def start_voice_task(stack: SystemStack, abonents: int) -> int:
    """Add ``abonents`` abonents, a list, a message and a call task; start it; its id."""
    client = await admin_client(stack)
    try:
        group = await client.add_group("Смена", "")
        assert group.id is not None
        for index in range(abonents):
            phone = Phone(phone=f"79160000{index:03d}")
            await client.add_abonent(Abonent(gid=group.id, name=f"Сотр. {index}", phones=(phone,)))
        made = await client.add_list("Учения", "")
        assert made.id is not None
        await client.list_add_groups(made.id, [group.id])
        message = await client.add_message(Message(mtype=MessageType.TTS, name="Тревога",
                                                   text="Внимание, учения"))  # fmt: skip
        assert message.id is not None
        summary = await client.add_task(Task(
            ttype=TaskType.CALL, status=TaskStatus.STOPPED, name="Учения", listid=made.id,
            messageid=message.id, channels=mask(stack.channel_numbers()["gsm"]),
            addinfo="attempts=1;interval=60",
        ))  # fmt: skip
        await client.start_task(summary.id)
        return int(summary.id)
    finally:
        await client.close()
