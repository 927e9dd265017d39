"""Message storage of a modem (27.005 +CPMS memories, +CMGR/+CMGL/+CMGD/+CMGW).

Three memories: ``SM`` (the SIM), ``ME`` (the modem) and ``SR`` (status
reports). Each holds up to ``capacity`` messages at indexes starting at
``first_index`` (1 on SIM800 and Huawei, 0 on EC25). A message is stored as a
PDU in hex, SMSC address first, exactly as +CMGR shows it in PDU mode, with
its 27.005 status: REC UNREAD (0), REC READ (1), STO UNSENT (2), STO SENT (3).
``Storage`` holds the memories and the three +CPMS selections: <mem1> for
reading and deleting, <mem2> for writing and sending from storage, <mem3>
where received messages go.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class SmsStatus(enum.IntEnum):
    REC_UNREAD = 0
    REC_READ = 1
    STO_UNSENT = 2
    STO_SENT = 3

    @property
    def text(self) -> str:
        return self.name.replace("_", " ")


ALL_STATUS = 4
TEXT_STATUS = {status.text: int(status) for status in SmsStatus} | {"ALL": ALL_STATUS}
STATUS_TEXT = {value: text for text, value in TEXT_STATUS.items()}

# +CMGD <delflag>: which statuses each flag deletes (besides the index itself for 0).
DELETE_FLAGS: dict[int, frozenset[SmsStatus]] = {
    1: frozenset({SmsStatus.REC_READ}),
    2: frozenset({SmsStatus.REC_READ, SmsStatus.STO_SENT}),
    3: frozenset({SmsStatus.REC_READ, SmsStatus.STO_SENT, SmsStatus.STO_UNSENT}),
    4: frozenset(SmsStatus),
}

MEMORY_NAMES = ("SM", "ME", "SR")
READ_MEMORIES = ("SM", "ME", "SR")  # <mem1>
WRITE_MEMORIES = ("SM", "ME")  # <mem2>
RECEIVE_MEMORIES = ("SM", "ME")  # <mem3>


@dataclass(slots=True)
class StoredMessage:
    index: int
    status: SmsStatus
    pdu: str  # hex: SMSC address, then the TPDU
    length: int  # TPDU octets (the <length> of +CMGR/+CMGL)
    stored_at: float  # simulated time


class Memory:
    __slots__ = ("capacity", "first_index", "messages", "name")

    def __init__(self, name: str, capacity: int, first_index: int) -> None:
        self.name = name
        self.capacity = capacity
        self.first_index = first_index
        self.messages: dict[int, StoredMessage] = {}

    @property
    def used(self) -> int:
        return len(self.messages)

    @property
    def full(self) -> bool:
        return len(self.messages) >= self.capacity

    def valid_index(self, index: int) -> bool:
        return self.first_index <= index < self.first_index + self.capacity

    def store(self, status: SmsStatus, pdu: str, length: int, now: float) -> int | None:
        """The index the message went to, or None when the memory is full."""
        for index in range(self.first_index, self.first_index + self.capacity):
            if index not in self.messages:
                self.messages[index] = StoredMessage(index, status, pdu, length, now)
                return index
        return None

    def get(self, index: int) -> StoredMessage | None:
        return self.messages.get(index)

    def delete(self, index: int) -> None:
        self.messages.pop(index, None)

    def delete_with(self, statuses: frozenset[SmsStatus]) -> None:
        for index in [i for i, m in self.messages.items() if m.status in statuses]:
            del self.messages[index]

    def listing(self, status: int) -> list[StoredMessage]:
        """Messages with ``status`` (``ALL_STATUS``: all), by index."""
        return [
            self.messages[index]
            for index in sorted(self.messages)
            if status == ALL_STATUS or self.messages[index].status == status
        ]


class Storage:
    __slots__ = ("memories", "read", "receive", "write")

    def __init__(self, first_index: int = 1, sim_capacity: int = 30, me_capacity: int = 100):
        self.memories = {
            "SM": Memory("SM", sim_capacity, first_index),
            "ME": Memory("ME", me_capacity, first_index),
            "SR": Memory("SR", sim_capacity, first_index),
        }
        self.read = "SM"
        self.write = "SM"
        self.receive = "SM"

    def reset_selection(self) -> None:
        self.read = self.write = self.receive = "SM"

    @property
    def read_memory(self) -> Memory:
        return self.memories[self.read]

    @property
    def write_memory(self) -> Memory:
        return self.memories[self.write]

    @property
    def receive_memory(self) -> Memory:
        return self.memories[self.receive]

    def usage(self, *names: str) -> list[int]:
        """used, total for each memory name (the numbers of +CPMS replies)."""
        figures: list[int] = []
        for name in names:
            memory = self.memories[name]
            figures += [memory.used, memory.capacity]
        return figures
