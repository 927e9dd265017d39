"""What the control API shows of a modem: its state and its byte journal, as JSON.

How it works: ``modem_view`` reads a ``Modem`` (never changes it) into one
JSON object: identity, power, SIM (state, PIN lock, attempts left, busy),
registration and signal, calls in progress, SMS storage (used/capacity per
memory and the +CPMS selection), the line (executing or idle), faults and
the size of its journal. ``journal_view`` gives the journal entries after a
sequence number, of the chosen kinds, oldest first and at most ``limit``,
each with its simulated time since ``origin`` (the world's time 0, as in
the decisions journal and scripted events) and its wall-clock time:
bytes (``rx``: from the DTE, ``tx``: one write of the modem) both as escaped
text — printable ASCII as is, ``\\r``, ``\\n``, ``\\t``, ``\\\\`` and ``\\xNN``
for every other byte, so one line shows exactly what went over the wire —
and as hex; decisions and events with their details. A reader polls with
``since`` = the last ``seq`` it saw.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from nabat.simulators.gsm_modem.engine import Modem
from nabat.simulators.gsm_modem.journal import JournalEntry

JOURNAL_KINDS = frozenset({"rx", "tx", "decision", "event"})
_NAMED = {0x0D: "\\r", 0x0A: "\\n", 0x09: "\\t", 0x5C: "\\\\"}
_ESCAPED = [
    _NAMED.get(byte, chr(byte) if 0x20 <= byte < 0x7F else f"\\x{byte:02x}") for byte in range(256)
]


def escape_bytes(data: bytes) -> str:
    """``b'AT\\r'`` -> ``'AT\\\\r'``: printable ASCII only, one line, reversible."""
    return "".join(_ESCAPED[byte] for byte in data)


def unescape_bytes(text: str) -> bytes:
    """The inverse of ``escape_bytes`` (ValueError for text it cannot have made)."""
    out = bytearray()
    position = 0
    simple = {"r": 0x0D, "n": 0x0A, "t": 0x09, "\\": 0x5C}
    while position < len(text):
        char = text[position]
        if char != "\\":
            if not 0x20 <= ord(char) < 0x7F:
                raise ValueError(f"unexpected character {char!r} at {position}")
            out.append(ord(char))
            position += 1
            continue
        code = text[position + 1 : position + 2]
        if code in simple:
            out.append(simple[code])
            position += 2
        elif code == "x" and len(text) >= position + 4:
            out.append(int(text[position + 2 : position + 4], 16))
            position += 4
        else:
            raise ValueError(f"bad escape at {position}")
    return bytes(out)


def entry_view(
    entry: JournalEntry, origin: float, to_wall: Callable[[float], float]
) -> dict[str, object]:
    view: dict[str, object] = {
        "seq": entry.seq,
        "time": round(entry.time - origin, 6),
        "wall": round(to_wall(entry.time), 6),
        "kind": entry.kind,
    }
    if entry.kind in ("rx", "tx"):
        data = entry.text.encode("latin-1")
        view["text"] = escape_bytes(data)
        view["hex"] = data.hex()
        view["bytes"] = len(data)
    else:
        view["what"] = entry.text
        view["detail"] = {name: _plain(value) for name, value in entry.detail.items()}
    return view


def _plain(value: object) -> object:
    """A JSON-able form of a journal detail value (text for anything unusual)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return str(value)


def journal_view(
    modem: Modem, since: int, kinds: frozenset[str] | None, limit: int, origin: float
) -> dict[str, object]:
    journal = modem.journal
    entries = journal.entries(since, kinds)
    shown = entries[:limit]
    wall = modem.clock.wall_of
    return {
        "modem": modem.index,
        "entries": [entry_view(entry, origin, wall) for entry in shown],
        "more": len(entries) > len(shown),
        "last_seq": journal.last_seq,
        "kept": len(journal),
        "dropped": journal.dropped,
    }


def modem_view(
    modem: Modem, path: str | None, link: str | None, url: str | None
) -> dict[str, object]:
    sim, network, storage = modem.sim, modem.network, modem.storage
    rssi, ber = network.signal()
    now = modem.now()
    return {
        "index": modem.index,
        "name": modem.name,
        "profile": modem.profile.name,
        "path": path,
        "link": link,
        "url": url,
        "number": modem.own_number,
        "imsi": sim.card.imsi,
        "iccid": sim.card.iccid,
        "imei": modem.device.imei,
        "smsc": sim.card.smsc,
        "powered": modem.powered,
        "booted": modem.booted,
        "functionality": modem.functionality,
        "sim": {
            "state": sim.state.value if sim.inserted else "ABSENT",
            "inserted": sim.inserted,
            "pin_enabled": sim.pin_enabled,
            "pin_left": sim.pin_left,
            "puk_left": sim.puk_left,
            "busy": sim.busy,
        },
        "registration": {
            "stat": int(network.state),
            "state": network.state.name.lower(),
            "outcome": network.outcome.name.lower(),
            "operator": network.operator.long_name,
        },
        "signal": {"rssi": rssi, "ber": ber},
        "calls": [
            {
                "index": call.index,
                "direction": "incoming" if call.direction else "outgoing",
                "number": call.number,
                "state": call.state.name.lower(),
                "seconds": round(now - call.started, 3),
            }
            for call in modem.calls.listing()
        ],
        "sms": {
            "mode": "text" if modem.settings.cmgf == 1 else "pdu",
            "memories": {
                name: {"used": memory.used, "capacity": memory.capacity}
                for name, memory in storage.memories.items()
            },
            "selection": {
                "read": storage.read,
                "write": storage.write,
                "receive": storage.receive,
            },
        },
        "executing": modem.executing,
        "faults": modem.faults_json(),
        "journal": {
            "last_seq": modem.journal.last_seq,
            "kept": len(modem.journal),
            "dropped": modem.journal.dropped,
        },
    }
