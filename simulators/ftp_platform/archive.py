"""Opening an uploaded archive safely: its name, its entries, their bytes.

How it works: ``parse_archive_name`` checks ``<login>_<YYYYMMDDhhmmss>.zip``
against the account that uploaded it. ``read_archive`` opens the zip bytes
with ``zipfile`` and, before extracting anything, refuses: more than
``max_entries`` entries, unsafe names (absolute, ``..``, backslashes, drive
letters, NUL), symlink entries (Unix mode in ``external_attr``), encrypted
entries (flag bit 0: a password-protected zip). It then reads only the
entries the platform needs, in chunks, counting the bytes that really come
out — never trusting the header's sizes — and stops an entry past
``max_entry_bytes``, past its declared size, past ``max_ratio`` times its
compressed size (a zip bomb by ratio; small entries below ``ratio_floor``
are exempt) and the archive past ``max_total_bytes`` (a bomb by total size).
Nothing is written to disk. Every refusal is an ``ArchiveError`` naming the
entry.

Layout (ftp-sms-platform.ru.txt): the template variant has
``sms/contacts.csv`` and ``sms/template.csv``; the variant without template
has exactly one ``.csv`` or ``.txt`` file under ``sms/`` (not at the root).
Directory entries are ignored; any other file is an error.
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
from dataclasses import dataclass
from datetime import datetime

from nabat.simulators.ftp_platform.errors import ArchiveError

TEMPLATE_CONTACTS = "sms/contacts.csv"
TEMPLATE_TEMPLATE = "sms/template.csv"
DATA_FOLDER = "sms/"
DATA_SUFFIXES = (".csv", ".txt")
CHUNK = 64 * 1024

_NAME = re.compile(r"(?P<login>.+)_(?P<stamp>[0-9]{14})\.zip", re.ASCII)
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True, slots=True)
class ZipLimits:
    max_entries: int = 16
    max_entry_bytes: int = 256 << 20
    max_total_bytes: int = 512 << 20
    max_ratio: float = 100.0
    ratio_floor: int = 1 << 20  # entries that unpack to less than this are not ratio-checked


@dataclass(frozen=True, slots=True)
class ArchiveName:
    login: str
    stamp: datetime  # the client's timestamp in the name (its local time)


@dataclass(frozen=True, slots=True)
class ArchiveFiles:
    """The data files of an archive: template variant (both set) or one data file."""

    contacts: bytes | None = None
    template: bytes | None = None
    data_name: str | None = None
    data: bytes | None = None

    @property
    def with_template(self) -> bool:
        return self.contacts is not None


def parse_archive_name(name: str, login: str) -> ArchiveName:
    """``name`` as ``<login>_<YYYYMMDDhhmmss>.zip`` for ``login``, or ArchiveError."""
    match = _NAME.fullmatch(name)
    if match is None:
        raise ArchiveError(
            f"archive name {name[:120]!r} is not <login>_<YYYYMMDDhhmmss>.zip", file=name
        )
    if match["login"] != login:
        raise ArchiveError(
            f"archive name {name[:120]!r} names login {match['login'][:60]!r}, "
            f"but it was uploaded to the folder of {login!r}",
            file=name,
        )
    try:
        stamp = datetime.strptime(match["stamp"], "%Y%m%d%H%M%S")
    except ValueError:
        raise ArchiveError(
            f"archive name {name[:120]!r}: {match['stamp']} is not a valid date and time",
            file=name,
        ) from None
    return ArchiveName(match["login"], stamp)


def is_archive_name(name: str, login: str) -> bool:
    try:
        parse_archive_name(name, login)
    except ArchiveError:
        return False
    return True


def _check_entry(info: zipfile.ZipInfo) -> None:
    name = info.filename
    shown = name[:120]
    if "\x00" in name or "\\" in name or name.startswith("/") or _DRIVE.match(name):
        raise ArchiveError(f"unsafe entry name {shown!r} (absolute or not a plain path)")
    if any(part in ("..", ".") for part in name.rstrip("/").split("/")) or "//" in name:
        raise ArchiveError(f"unsafe entry name {shown!r} (a path that leaves the folder)")
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise ArchiveError(f"entry {shown!r} is a symbolic link", file=name)
    if info.flag_bits & 0x1:
        raise ArchiveError(
            "the archive is password-protected (encrypted entries are not accepted)", file=name
        )


class _Budget:
    """Bytes unpacked so far across the archive, against ``max_total_bytes``."""

    def __init__(self, limits: ZipLimits) -> None:
        self.limits = limits
        self.total = 0


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget) -> bytes:
    limits = budget.limits
    name = info.filename
    ratio_cap = max(limits.ratio_floor, int(limits.max_ratio * max(1, info.compress_size)))
    parts: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as stream:
            while True:
                chunk = stream.read(CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                budget.total += len(chunk)
                if size > info.file_size:
                    raise ArchiveError(
                        f"entry unpacks to more than the {info.file_size} bytes "
                        "its header declares",
                        file=name,
                    )
                if size > limits.max_entry_bytes:
                    raise ArchiveError(
                        f"entry unpacks to more than {limits.max_entry_bytes} bytes", file=name
                    )
                if size > ratio_cap:
                    raise ArchiveError(
                        f"zip bomb: entry unpacks to more than {limits.max_ratio:g} times its "
                        f"compressed size of {info.compress_size} bytes",
                        file=name,
                    )
                if budget.total > limits.max_total_bytes:
                    raise ArchiveError(
                        "zip bomb: the archive unpacks to more than "
                        f"{limits.max_total_bytes} bytes",
                        file=name,
                    )
                parts.append(chunk)
    except ArchiveError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        raise ArchiveError(f"entry cannot be unpacked: {str(error)[:200]}", file=name) from None
    except NotImplementedError as error:  # an unsupported compression method
        raise ArchiveError(f"entry cannot be unpacked: {str(error)[:200]}", file=name) from None
    return b"".join(parts)


def _files_of(infos: list[zipfile.ZipInfo]) -> dict[str, zipfile.ZipInfo]:
    files: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        _check_entry(info)
        if info.is_dir():
            continue
        if info.filename in files:
            raise ArchiveError(f"entry {info.filename[:120]!r} appears twice", file=info.filename)
        files[info.filename] = info
    return files


def _choose(files: dict[str, zipfile.ZipInfo]) -> list[str]:
    """The entries to read, by variant; anything else in the archive is an error."""
    if TEMPLATE_CONTACTS in files or TEMPLATE_TEMPLATE in files:
        for needed in (TEMPLATE_CONTACTS, TEMPLATE_TEMPLATE):
            if needed not in files:
                raise ArchiveError(f"the template variant needs {needed}, which is missing")
        chosen = [TEMPLATE_CONTACTS, TEMPLATE_TEMPLATE]
    else:
        chosen = [
            name
            for name in files
            if name.startswith(DATA_FOLDER)
            and "/" not in name[len(DATA_FOLDER) :]
            and name.lower().endswith(DATA_SUFFIXES)
        ]
        if not chosen:
            raise ArchiveError(
                "no data file: expected sms/contacts.csv with sms/template.csv, "
                "or one .csv or .txt file in sms/"
            )
        if len(chosen) > 1:
            shown = ", ".join(sorted(chosen)[:5])
            raise ArchiveError(f"more than one data file in sms/ ({shown}): expected one")
    extra = sorted(set(files) - set(chosen))
    if extra:
        raise ArchiveError(f"unexpected entry {extra[0][:120]!r} in the archive", file=extra[0])
    return chosen


def read_archive(data: bytes, limits: ZipLimits | None = None) -> ArchiveFiles:
    """The data files of a zip archive's bytes, checked as the module says."""
    limits = limits or ZipLimits()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        raise ArchiveError(f"not a readable zip archive: {str(error)[:200]}") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_entries:
            raise ArchiveError(
                f"too many entries: {len(infos)} (at most {limits.max_entries} are accepted)"
            )
        files = _files_of(infos)
        chosen = _choose(files)
        budget = _Budget(limits)
        unpacked = {name: _read_entry(archive, files[name], budget) for name in chosen}
    if TEMPLATE_CONTACTS in unpacked:
        return ArchiveFiles(
            contacts=unpacked[TEMPLATE_CONTACTS], template=unpacked[TEMPLATE_TEMPLATE]
        )
    (name,) = chosen
    return ArchiveFiles(data_name=name, data=unpacked[name])
