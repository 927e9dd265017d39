"""``nabat conformance ftp --inventory`` lists every statement of the spec and the
rulings with its state; none is left without a reason; the archive helpers build
what they claim (encrypted flags, a bomb that is small packed and large unpacked)."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from nabat.conformance.framework.inventory import inventory
from nabat.conformance.ftp_platform.archives import (
    bomb,
    csv_text,
    encrypted,
    template_archive,
    template_rows,
)
from nabat.conformance.ftp_platform.cases import SUITE
from nabat.conformance.ftp_platform.clauses import FTP

NABAT = Path(sys.executable).with_name("nabat")


def test_inventory_lists_every_statement() -> None:
    done = subprocess.run(
        [str(NABAT), "conformance", "ftp", "--inventory"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    for clause in FTP:
        assert f"{clause.id} [{clause.level.value}" in done.stdout
    found = inventory(SUITE)
    assert found.unaccounted == ()
    assert f"{len(found.checked)} of {len(FTP)} statements checked" in done.stdout
    assert len(found.checked) >= 60


def test_encrypted_marks_every_entry() -> None:
    data = encrypted(template_archive([["phone"], ["70000000000"]], template_rows("x", "S")))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert all(info.flag_bits & 0x1 for info in archive.infolist())


def test_a_bomb_is_small_packed_and_large_unpacked() -> None:
    data = bomb(template_rows("x", "S"), megabytes=2)
    assert len(data) < 64 * 1024
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.getinfo("sms/contacts.csv").file_size > 2 << 20


@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(st.text(max_size=12), min_size=1, max_size=4), min_size=1, max_size=5))
def test_csv_text_round_trips(rows: list[list[str]]) -> None:
    import csv

    text = csv_text(rows)
    back = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert back == rows
