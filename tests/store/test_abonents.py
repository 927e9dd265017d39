"""Abonents: atomic writes, timestamps, streaming, filters and a hypothesis round trip."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nabat.system.protocol.records import Abonent, Phone
from nabat.system.protocol.values import PhoneType, RemoteStart
from nabat.system.store import ConstraintViolated, Store
from nabat.system.store import abonents as abonents_module

from tests.store.conftest import FAST_HASH, FakeClock, make_group, make_list


def _sample(gid: int, n: int = 1) -> Abonent:
    return Abonent(
        gid=gid,
        remote=RemoteStart.SMS,
        name=f"Петров {n}",
        priority=3,
        experiodbegin=datetime(2026, 1, 1, 8, 0, 0),
        experiodend=datetime(2026, 1, 2, 8, 0, 0),
        pin="1234",
        organization="МЧС",
        phones=(Phone(phone=f"+7900{n:07d}"), Phone(enabled=False, phone="495",
                                                     ptype=PhoneType.LANDLINE)),
        emails=(f"p{n}@example.ru", "second@example.ru"),
    )  # fmt: skip


def _counts(store: Store) -> tuple[int, int, int]:
    with store.db.locked() as conn:
        return tuple(
            conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("abonents", "phones", "emails")
        )


def test_add_get_and_server_set_fields(store: Store, clock: FakeClock) -> None:
    gid = make_group(store)
    added = store.abonents.add(_sample(gid))
    assert added.id is not None
    assert added.createtime == added.edittime == clock.now
    assert added == store.abonents.get(added.id)
    expected = _sample(gid)
    assert added.phones == expected.phones and added.emails == expected.emails
    assert added.to_params() == Abonent.from_params(added.to_params()).to_params()


def test_update_replaces_children_and_keeps_createtime(store: Store, clock: FakeClock) -> None:
    gid = make_group(store)
    created = clock.now
    added = store.abonents.add(_sample(gid))
    assert added.id is not None
    clock.advance(90)
    changed = store.abonents.update(
        added.id, Abonent(gid=gid, name="Новое имя", phones=(Phone(phone="7"),))
    )
    assert changed.createtime == created and changed.edittime == clock.now
    assert changed.name == "Новое имя" and changed.phones == (Phone(phone="7"),)
    assert changed.emails == () and changed.experiodbegin is None
    assert _counts(store) == (1, 1, 0)


def test_failure_mid_add_stores_nothing(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    gid = make_group(store)

    def explode(*args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(abonents_module, "_insert_emails", explode)
    with pytest.raises(RuntimeError):
        store.abonents.add(_sample(gid))
    assert _counts(store) == (0, 0, 0)


def test_failure_mid_update_changes_nothing(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    gid = make_group(store)
    before = store.abonents.add(_sample(gid))
    assert before.id is not None

    def explode(*args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(abonents_module, "_insert_emails", explode)
    with pytest.raises(RuntimeError):
        store.abonents.update(before.id, Abonent(gid=gid, name="x", phones=(Phone(phone="1"),)))
    assert store.abonents.get(before.id) == before


def test_constraint_failure_mid_add_is_a_store_error(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    gid = make_group(store)
    # Two phones at the same position violate the (abonent_id, position) key.
    monkeypatch.setattr(
        abonents_module, "phone_rows",
        lambda abonent_id, phones: [(abonent_id, 0, 1, p.phone, 0) for p in phones],
    )  # fmt: skip
    with pytest.raises(ConstraintViolated) as info:
        store.abonents.add(_sample(gid))
    assert info.value.entity == "abonent" and "phones" not in info.value.message  # no SQL
    assert _counts(store) == (0, 0, 0)


def test_stream_yields_everything_in_id_order(store: Store) -> None:
    gid = make_group(store)
    added = [store.abonents.add(_sample(gid, n)) for n in range(23)]
    store.abonents.delete((added[5].id or 0,))
    expected = [a for i, a in enumerate(added) if i != 5]
    streamed = list(store.abonents.iter(page_size=4))
    assert streamed == expected
    assert [a.id for a in streamed] == sorted(a.id or 0 for a in expected)
    assert all(len(a.phones) == 2 and len(a.emails) == 2 for a in streamed)


def test_stream_is_lazy_and_holds_no_read_transaction(store: Store) -> None:
    """A half-read listing (a slow client) must not pin the WAL: each page is
    its own short read, so a write meanwhile can be checkpointed whole."""
    gid = make_group(store)
    for n in range(10):
        store.abonents.add(_sample(gid, n))
    stream = store.abonents.iter(page_size=3)
    first = next(stream)
    store.abonents.add(_sample(gid, 99))  # a write while the stream is open
    with store.db.locked() as conn:
        busy, frames, checkpointed = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    assert busy == 0 and frames == checkpointed  # no reader holds an old snapshot
    rest = list(stream)
    assert first.id == 1 and [a.id for a in rest] == list(range(2, 12))  # each once, in order
    assert store.abonents.count() == 11


def test_filters_by_group_and_list(store: Store) -> None:
    g1, g2 = make_group(store, "g1"), make_group(store, "g2")
    a = [store.abonents.add(Abonent(gid=g, name=f"a{i}")).id for i, g in
         enumerate((g1, g1, g2, g2))]  # fmt: skip
    lid = make_list(store)
    store.lists.add_abonents(lid, (a[0] or 0,))
    store.lists.add_groups(lid, (g2,))

    def ids(gid: int | None = None, lid: int | None = None) -> list[int | None]:
        return [x.id for x in store.abonents.iter(gid, lid)]

    assert ids(g1) == a[:2]
    assert ids(lid=lid) == [a[0], a[2], a[3]]
    assert ids(g1, lid) == [a[0]]
    assert ids(lid=999) == []
    assert store.abonents.count(lid=lid) == 3
    store.lists.remove_groups(lid, (g2,))
    assert ids(lid=lid) == [a[0]]
    store.lists.clear(lid)
    assert ids(lid=lid) == []
    store.groups.move_abonents(g2, (a[0] or 0, a[1] or 0))
    assert ids(g1) == [] and len(ids(g2)) == 4


_names = st.text(
    alphabet=st.sampled_from(list("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВЁЯ %%20%zZ09-")),
    min_size=1,
    max_size=30,
)
_texts = st.text(alphabet=st.sampled_from(list("Ёё Жж%%41;\t,xyz")), max_size=20)
_stamps = st.none() | st.datetimes(datetime(1900, 1, 1), datetime(2100, 1, 1)).map(
    lambda d: d.replace(microsecond=0)
)
_abonents = st.builds(
    Abonent,
    gid=st.just(1),
    remote=st.sampled_from(list(RemoteStart)),
    name=_names,
    priority=st.integers(0, 2**31 - 1),
    experiodbegin=_stamps,
    experiodend=_stamps,
    pin=st.from_regex(r"[0-9]{0,16}", fullmatch=True),
    ipaddress=_texts,
    organization=_names,
    department=_texts,
    rank=_texts,
    position=_texts,
    description=_names,
    phones=st.lists(
        st.builds(Phone, enabled=st.booleans(),
                  phone=st.from_regex(r"\+?[0-9]{1,32}", fullmatch=True),
                  ptype=st.sampled_from(list(PhoneType))),
        max_size=4,
    ).map(tuple),
    emails=st.lists(st.from_regex(r"[a-zа-я%.]{1,8}@[a-z.]{1,8}", fullmatch=True),
                    max_size=3).map(tuple),
)  # fmt: skip


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(abonent=_abonents)
def test_round_trip_through_the_store(tmp_path_factory: pytest.TempPathFactory,
                                      abonent: Abonent) -> None:  # fmt: skip
    data_dir: Path = tmp_path_factory.mktemp("rt")
    clock = FakeClock()
    with Store.open(data_dir, clock=clock, password_params=FAST_HASH) as store:
        make_group(store)
        added = store.abonents.add(abonent)
        assert added.id is not None
        got = store.abonents.get(added.id)
        assert got == added == next(store.abonents.iter())
        expected = replace(abonent, id=added.id, createtime=clock.now, edittime=clock.now)
        assert got == expected


def test_abandoned_stream_releases_its_connection(store: Store) -> None:
    gid = make_group(store)
    for n in range(5):
        store.abonents.add(_sample(gid, n))
    stream = store.abonents.iter(page_size=2)
    next(stream)
    stream.close()
    store.abonents.delete((1, 2, 3, 4, 5))
    assert store.abonents.count() == 0
