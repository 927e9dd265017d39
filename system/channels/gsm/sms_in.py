"""SMS in and status reports: read, reassemble, hand over, and only then delete.

How it works. In the default ``stored`` mode (AT+CNMI=2,1,0,1,0) every
received part is stored by the modem and announced with ``+CMTI: "SM",<i>``;
the ``Inbox`` queues the location and its worker reads it (``AT+CMGR``),
decodes the PDU (``sms_pdu.decode_any``) and feeds concatenated parts to the
wire's ``Reassembler``, remembering where each part is stored. When a
message is whole, an ``IncomingSms`` event is published and awaited; only
when every handler returned normally are its parts deleted (``AT+CMGD``).
A part read but not yet handed over stays on the SIM, so after a
reconnection ``sweep`` (``AT+CMGL=4``, run by the initialisation) reads it
again: nothing is lost. A message handed over whose deletion was cut short
is recognised on the re-read by its key (sender, SMSC time stamp,
concatenation reference, text digest) among the last ``remember`` messages
delivered (or joins the hand-over still in progress: the handler runs
shielded from the driver's reconnections), and only deleted: nothing is handed over twice while the
process lives; the key is in the event for the engine's durable dedup
across restarts. With no subscriber or a failing handler, messages stay
stored and ``leftovers`` asks the supervisor for another sweep later.

``direct`` mode (+CMT) hands over parts as they come, nothing is stored, so
a handler failure loses the message (logged); ``stored`` is the default.

Status reports: ``+CDS`` (PDU on the second line) becomes a
``DeliveryReport`` at once; ``+CDSI: "SR",<i>`` is read from the SR memory
and deleted after hand-over. A PDU that does not decode is logged with its
hex and deleted, since it can never be delivered.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import logging
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from nabat.system.channels.base import DeliveryReport, DeliveryStatus, IncomingSms
from nabat.system.channels.gsm.core import ModemCore
from nabat.system.channels.gsm.errors import CommandRejected, LinkError
from nabat.system.wire.at import Urc, split_arguments
from nabat.system.wire.sms_concat import Message, Reassembler
from nabat.system.wire.sms_pdu import (
    PduError,
    SmsDeliver,
    SmsStatusReport,
    StatusCategory,
    decode_any,
    has_smsc_prefix,
)

log = logging.getLogger("nabat.channels.gsm.sms")

STATUS_OF = {
    StatusCategory.COMPLETED: DeliveryStatus.DELIVERED,
    StatusCategory.TEMPORARY_RETRYING: DeliveryStatus.PENDING,
    StatusCategory.PERMANENT: DeliveryStatus.FAILED,
    StatusCategory.TEMPORARY_STOPPED: DeliveryStatus.FAILED,
    StatusCategory.RESERVED: DeliveryStatus.FAILED,
}
LIST_ALL = 4  # AT+CMGL=4: every stored message


@dataclass(frozen=True, slots=True)
class Stored:
    memory: str
    index: int


Group = tuple[str, int, int]


def decode_stored(pdu_hex: str, length: int | None) -> SmsDeliver | SmsStatusReport | None:
    """A PDU as +CMGR/+CMGL/+CMT/+CDS show it; None for an SMS-SUBMIT (one of ours)."""
    text = pdu_hex.strip()
    with_smsc = True if length is None else has_smsc_prefix(text, length)
    pdu = decode_any(text, with_smsc=with_smsc)
    return None if not isinstance(pdu, SmsDeliver | SmsStatusReport) else pdu


def message_key(message: Message, stamp: datetime | None) -> str:
    digest = hashlib.sha256((message.text or message.data.hex()).encode("utf-8", "surrogatepass"))
    moment = stamp.isoformat() if stamp is not None else "-"
    parts = (message.address, moment, str(message.reference), str(message.total))
    return "|".join((*parts, digest.hexdigest()[:16]))


def _header_numbers(value: str) -> list[int | None]:
    try:
        args = split_arguments(value)[0]
    except ValueError:
        return []
    return [int(arg) if arg.strip().isascii() and arg.strip().isdigit() else None for arg in args]


class Inbox:
    def __init__(self, core: ModemCore, *, max_groups: int = 256, remember: int = 1024) -> None:
        self.core = core
        self.memory = core.settings.storage  # <mem1> as the initialisation set it
        self._selected: str | None = None
        self._queue: asyncio.Queue[Stored] = asyncio.Queue()
        self._lock = asyncio.Lock()
        self._reassembler = Reassembler(max_groups)
        self._max_groups = max_groups
        self._locations: dict[Group, dict[int, Stored]] = {}
        self._stamps: dict[Group, datetime] = {}
        self._delivered: OrderedDict[str, None] = OrderedDict()
        self._in_flight: dict[str, asyncio.Task[bool]] = {}
        self._direct_tasks: set[asyncio.Task[None]] = set()
        self._remember = remember
        self.leftovers = False
        self.received = 0
        self.reports = 0

    def reset(self) -> None:
        """A new connection: forget queued locations (the sweep reads them again).

        Where the parts of unfinished messages are stored stays known: the
        driver never deletes such a part, so the locations are still right."""
        self._queue = asyncio.Queue()
        self._selected = None

    def selected(self, memory: str) -> None:
        """The initialisation chose ``memory`` as <mem1>."""
        self._selected = memory

    # --- URCs -------------------------------------------------------------------------
    def on_urc(self, urc: Urc) -> bool:
        if urc.name in ("+CMTI", "+CDSI"):
            try:
                args = urc.arguments()
            except ValueError:
                args = ()
            if len(args) >= 2 and args[1].strip().isascii() and args[1].strip().isdigit():
                self._queue.put_nowait(Stored(args[0].upper() or self.memory, int(args[1])))
            else:
                log.warning("%s: unusable %r", self.core.name, urc.line)
            return True
        if urc.name == "+CMT":
            self._direct(urc)
            return True
        if urc.name == "+CDS":
            self._report_urc(urc)
            return True
        return False

    def _direct(self, urc: Urc) -> None:
        numbers = _header_numbers(urc.value)
        length = numbers[-1] if numbers else None
        try:
            pdu = decode_stored(urc.payload or "", length)
        except PduError as error:
            log.warning("%s: +CMT PDU %r dropped: %s", self.core.name, urc.payload, error)
            return
        if isinstance(pdu, SmsDeliver):
            task = asyncio.get_running_loop().create_task(self._locked_part(pdu, None))
            self._direct_tasks.add(task)
            task.add_done_callback(self._direct_tasks.discard)

    def _report_urc(self, urc: Urc) -> None:
        numbers = _header_numbers(urc.value)
        length = numbers[0] if numbers else None
        try:
            pdu = decode_stored(urc.payload or "", length)
        except PduError as error:
            log.warning("%s: +CDS PDU %r dropped: %s", self.core.name, urc.payload, error)
            return
        if isinstance(pdu, SmsStatusReport) and self.core.hub.has_subscribers:
            self.core.hub.publish(self._report(pdu))

    def _report(self, pdu: SmsStatusReport) -> DeliveryReport:
        self.reports += 1
        return DeliveryReport(
            self.core.name,
            str(pdu.recipient),
            pdu.message_reference,
            STATUS_OF[pdu.category],
            pdu.status,
            pdu.discharge_time,
        )

    # --- the worker ---------------------------------------------------------------------
    async def run(self) -> None:
        """Read what +CMTI/+CDSI announced, one location at a time (until cancelled)."""
        while True:
            where = await self._queue.get()
            async with self._lock:
                await self._read(where)

    async def _command(self, line: str, timeout: float | None = None) -> list[str] | None:
        """The information lines of ``line``; None if the modem refused it."""
        core = self.core
        try:
            response = await core.commander.run(
                line, timeout=timeout or core.settings.command_timeout
            )
        except CommandRejected as error:
            log.info("%s: %s", core.name, error)
            return None
        except LinkError as error:
            core.link_failed(error)
            raise
        return list(response.lines)

    async def _select(self, memory: str) -> bool:
        if self._selected == memory:
            return True
        if await self._command(f'AT+CPMS="{memory}"') is None:
            return False
        self._selected = memory
        return True

    async def _read(self, where: Stored) -> None:
        if not await self._select(where.memory):
            return
        lines = await self._command(f"AT+CMGR={where.index}")
        if not lines or len(lines) < 2:
            return  # empty slot: already read and deleted
        numbers = _header_numbers(lines[0].split(":", 1)[-1])
        await self._stored_pdu(lines[1], numbers[-1] if numbers else None, where)

    async def sweep(self) -> None:
        """Read every message stored in our memory (after a (re)connection)."""
        async with self._lock:
            self.leftovers = False
            if not await self._select(self.memory):
                return
            lines = await self._command(f"AT+CMGL={LIST_ALL}", self.core.settings.sms_timeout)
            for position, line in enumerate(lines or []):
                if not line.upper().startswith("+CMGL:") or position + 1 >= len(lines or []):
                    continue
                numbers = _header_numbers(line.split(":", 1)[1])
                if not numbers or numbers[0] is None:
                    continue
                pdu_line = (lines or [])[position + 1]
                where = Stored(self.memory, numbers[0])
                await self._stored_pdu(pdu_line, numbers[-1], where)

    async def _stored_pdu(self, pdu_hex: str, length: int | None, where: Stored) -> None:
        try:
            pdu = decode_stored(pdu_hex, length)
        except PduError as error:
            log.warning("%s: %s %d holds an undecodable PDU %r (%s): deleted",
                        self.core.name, where.memory, where.index, pdu_hex, error)  # fmt: skip
            await self._delete([where])
            return
        if isinstance(pdu, SmsStatusReport):
            if await self.core.hub.publish(self._report(pdu)):
                await self._delete([where])
        elif isinstance(pdu, SmsDeliver):
            await self._part(pdu, where)

    # --- parts and messages --------------------------------------------------------------
    async def _locked_part(self, pdu: SmsDeliver, where: Stored | None) -> None:
        async with self._lock:
            await self._part(pdu, where)

    async def _part(self, pdu: SmsDeliver, where: Stored | None) -> None:
        sender = str(pdu.originator)
        concat = pdu.concatenation
        now = self.core.clock.now()
        if concat is None or concat.total <= 1:
            message = self._reassembler.add(sender, pdu, now)
            if message is not None:
                await self._hand_over(message, pdu.timestamp, [where] if where else [])
            return
        group = (sender, concat.reference, concat.total)
        if where is not None:
            self._locations.setdefault(group, {})[concat.sequence] = where
        if concat.sequence == 1:
            self._stamps[group] = pdu.timestamp
        message = self._reassembler.add(sender, pdu, now)
        if message is None:
            self._prune()
            return
        places = list(self._locations.pop(group, {}).values())
        stamp = self._stamps.pop(group, pdu.timestamp)
        await self._hand_over(message, stamp, places)

    def _prune(self) -> None:
        """Forget locations of groups the reassembler dropped (it holds at most max_groups)."""
        if len(self._locations) <= 2 * self._max_groups:
            return
        pending = {(p.address, p.reference, p.total) for p in self._reassembler.pending()}
        for group in [group for group in self._locations if group not in pending]:
            del self._locations[group]
            self._stamps.pop(group, None)

    async def _hand_over(self, message: Message, stamp: datetime, places: list[Stored]) -> None:
        key = message_key(message, stamp)
        if key in self._delivered:
            log.info("%s: message %s was handed over already: deleting", self.core.name, key)
            await self._delete(places)
            return
        hub = self.core.hub
        task = self._in_flight.get(key)
        if task is None:
            if not hub.has_subscribers:
                self.leftovers = bool(places)
                return
            text = message.text if message.text or not message.data else message.data.hex()
            event = IncomingSms(self.core.name, message.address, text, stamp, message.total, key)
            task = hub.publish(event)
            self._in_flight[key] = task
            task.add_done_callback(functools.partial(self._settled, key))
        # Shielded: a lost link cancels this worker, never the engine's handler; the
        # outcome is recorded by _settled whoever waits for it.
        taken = await asyncio.shield(task)
        if not taken:
            self.leftovers = bool(places)
            if not places:
                log.error("%s: an SMS from %s was not taken and is lost", self.core.name,
                          message.address)  # fmt: skip
            return
        await self._delete(places)

    def _settled(self, key: str, task: asyncio.Task[bool]) -> None:
        self._in_flight.pop(key, None)
        if task.cancelled() or task.exception() is not None or not task.result():
            return
        self.received += 1
        self._delivered[key] = None
        while len(self._delivered) > self._remember:
            self._delivered.popitem(last=False)

    async def _delete(self, places: list[Stored]) -> None:
        for where in sorted(places, key=lambda stored: (stored.memory, stored.index)):
            if await self._select(where.memory):
                await self._command(f"AT+CMGD={where.index}")
