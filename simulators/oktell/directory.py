"""The PBX's directory: users, internal and external lines, workplaces, groups.

Objects are mutable records owned by the ``Directory`` (their states change
through the state tables in states.py, driven by calls.py and rules.py).
``resolve(value)`` implements the spec's rule for ``line=`` / ``user=`` /
``wp=``: the value may be a guid (any case), a name, a login, a line or user
number "and so on", and must determine exactly one internal line; every
parameter searches every kind of object. No match -> ``LookupFailed``
(answered 404), several lines -> ``Ambiguous`` (answered 409).

``default_directory()`` is the spec's cast: the users and lines of its
examples (their guids too) plus a group 120 and ``external_lines`` trunk lines
for calls out (trunk N numbered 900N, showing caller id 7900000009N: the
default world plan's operator 1). ``directory_from_mapping`` reads the ``[[users]]``,
``[[lines]]``, ``[[workplaces]]``, ``[[groups]]`` tables of a config file.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from nabat.simulators.oktell.states import LineState, UserState

INTERNAL = "internal"
EXTERNAL = "external"
MAX_OBJECTS = 10_000
MAX_TEXT = 200


class DirectoryError(ValueError):
    """A directory entry is missing a field or contradicts another one."""


class LookupFailed(LookupError):
    """No object answers to the value."""


class Ambiguous(LookupError):
    """The value names more than one internal line."""


@dataclass(slots=True)
class Line:
    id: str
    number: str
    name: str
    kind: str = INTERNAL
    state: LineState = LineState.FREE
    call_id: str | None = None  # the call the line takes part in
    caller_id: str = ""  # an external line's number as the called party sees it

    @property
    def shown_number(self) -> str:
        """The caller id a call out through this line shows."""
        return self.caller_id or self.number

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "number": self.number,
            "name": self.name,
            "kind": self.kind,
            "state": self.state.code,
            "statestr": self.state.label,
            "call": self.call_id,
            "caller_id": self.shown_number,
        }


@dataclass(slots=True)
class User:
    id: str
    login: str
    name: str
    number: str
    line_id: str
    department: str = ""
    state: UserState = UserState.READY
    callcentre: bool = True
    redirect: bool = False
    lunch: bool = False
    lunch_reason_id: int | None = None
    lunch_reason_msg: str = ""

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "login": self.login,
            "name": self.name,
            "number": self.number,
            "line": self.line_id,
            "department": self.department,
            "state": self.state.code,
            "statestr": self.state.label,
            "callcentre": self.callcentre,
            "redirect": self.redirect,
            "lunch": self.lunch,
            "lunchreasonid": self.lunch_reason_id,
            "lunchreasonmsg": self.lunch_reason_msg,
        }


@dataclass(frozen=True, slots=True)
class Workplace:
    id: str
    name: str
    line_id: str

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "line": self.line_id}


@dataclass(frozen=True, slots=True)
class Group:
    number: str
    name: str
    members: tuple[str, ...]  # user ids

    def to_json(self) -> dict[str, object]:
        return {"number": self.number, "name": self.name, "members": list(self.members)}


@dataclass(slots=True)
class Directory:
    lines: dict[str, Line] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    workplaces: dict[str, Workplace] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)

    # --- building -------------------------------------------------------------
    def add_line(self, line: Line) -> Line:
        _check_new(line.id, self._ids(), "line")
        if line.kind not in (INTERNAL, EXTERNAL):
            raise DirectoryError(f"line {line.number}: kind must be internal or external")
        if any(other.number == line.number for other in self.lines.values()):
            raise DirectoryError(f"line number {line.number} is taken")
        self.lines[line.id] = line
        return line

    def add_user(self, user: User) -> User:
        _check_new(user.id, self._ids(), "user")
        line = self.lines.get(user.line_id)
        if line is None or line.kind != INTERNAL:
            raise DirectoryError(f"user {user.login}: line {user.line_id} is not an internal line")
        if any(other.line_id == user.line_id for other in self.users.values()):
            raise DirectoryError(f"user {user.login}: line {line.number} already has a user")
        if any(other.login.lower() == user.login.lower() for other in self.users.values()):
            raise DirectoryError(f"user login {user.login} is taken")
        self.users[user.id] = user
        return user

    def add_workplace(self, workplace: Workplace) -> Workplace:
        _check_new(workplace.id, self._ids(), "workplace")
        line = self.lines.get(workplace.line_id)
        if line is None or line.kind != INTERNAL:
            raise DirectoryError(
                f"workplace {workplace.name}: no internal line {workplace.line_id}"
            )
        self.workplaces[workplace.id] = workplace
        return workplace

    def add_group(self, group: Group) -> Group:
        for member in group.members:
            if member not in self.users:
                raise DirectoryError(f"group {group.number}: no user {member}")
        self.groups[group.number] = group
        return group

    def _ids(self) -> set[str]:
        return {*self.lines, *self.users, *self.workplaces}

    # --- lookups --------------------------------------------------------------
    def internal_lines(self) -> list[Line]:
        return [line for line in self.lines.values() if line.kind == INTERNAL]

    def external_lines(self) -> list[Line]:
        return [line for line in self.lines.values() if line.kind == EXTERNAL]

    def user_on(self, line_id: str) -> User | None:
        for user in self.users.values():
            if user.line_id == line_id:
                return user
        return None

    def line_by_number(self, number: str) -> Line | None:
        for line in self.lines.values():
            if line.number == number:
                return line
        return None

    def user_by_number(self, number: str) -> User | None:
        for user in self.users.values():
            if user.number == number:
                return user
        return None

    def is_internal_number(self, number: str) -> bool:
        """The auto-detection of wp_autocallstart: a line, user or group number."""
        line = self.line_by_number(number)
        return (
            (line is not None and line.kind == INTERNAL)
            or self.user_by_number(number) is not None
            or number in self.groups
        )

    def resolve(self, value: str) -> Line:
        """The one internal line ``value`` determines (guid, name, login, number...)."""
        wanted = value.strip().lower()
        if not wanted:
            raise LookupFailed("an empty value names no line")
        found: dict[str, Line] = {}
        for line in self.internal_lines():
            if wanted in (line.id.lower(), line.number.lower(), line.name.lower()):
                found[line.id] = line
        for user in self.users.values():
            keys = (user.id.lower(), user.login.lower(), user.name.lower(), user.number.lower())
            if wanted in keys:
                found[user.line_id] = self.lines[user.line_id]
        for workplace in self.workplaces.values():
            if wanted in (workplace.id.lower(), workplace.name.lower()):
                found[workplace.line_id] = self.lines[workplace.line_id]
        if not found:
            raise LookupFailed(f"no line, user or workplace answers to {value!r}")
        if len(found) > 1:
            numbers = ", ".join(sorted(line.number for line in found.values()))
            raise Ambiguous(f"{value!r} names several lines ({numbers})")
        return next(iter(found.values()))

    def to_json(self) -> dict[str, object]:
        return {
            "lines": [line.to_json() for line in self.lines.values()],
            "users": [user.to_json() for user in self.users.values()],
            "workplaces": [place.to_json() for place in self.workplaces.values()],
            "groups": [group.to_json() for group in self.groups.values()],
        }


def _check_new(object_id: str, taken: set[str], what: str) -> None:
    try:
        uuid.UUID(object_id)
    except ValueError:
        raise DirectoryError(f"{what} id {object_id!r} is not a guid") from None
    if object_id in taken:
        raise DirectoryError(f"{what} id {object_id} is taken")


def new_id() -> str:
    return str(uuid.uuid4())


def _line_id(number: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"nabat-oktell-line:{number}"))


def _user_id(login: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"nabat-oktell-user:{login.lower()}"))


# (login, name, number, line number, line id, user id, department): the spec's examples first.
_DEFAULT_USERS: Sequence[tuple[str, str, str, str, str | None, str | None, str]] = (
    (
        "ivan",
        "Иван Смирнов",
        "101",
        "16038",
        None,
        "da803f01-ea77-40fa-bc9d-e2efb36fd5a8",
        "Дежурная смена",
    ),
    (
        "VIKTIRICH",
        "Виктор Викторыч",
        "183",
        "17001",
        "070aafb0-f47c-4df5-a01f-7bb08ceee269",
        "7cf84c23-2736-4fc8-9bf7-bfbb4778fb01",
        "Программисты",
    ),
    (
        "Dima",
        "Дмитрий Евгеньевич",
        "184",
        "17002",
        "e76c86ea-a28a-4519-b4ff-8879a92c62b7",
        "2a594b51-bb89-4da6-a69f-f48761baf0d9",
        "Программисты",
    ),
    ("ivanov", "Пётр Иванов", "538", "17003", None, None, "Дежурная смена"),
    ("olga", "Ольга Сергеевна", "223", "17004", None, None, "Операторы"),
    ("anna", "Анна Кузнецова", "227", "17005", None, None, "Операторы"),
)
DEFAULT_EXTERNAL_LINES = 4
TRUNK_CALLER_ID_BASE = 79000000090  # trunk N shows 7900000009N (operator 1 of the default plan)
_CALLER_ID = re.compile(r"[0-9]{1,32}")


def default_directory(
    external_lines: int = DEFAULT_EXTERNAL_LINES, trunk_caller_id: str | None = None
) -> Directory:
    """The spec's cast: users ivan, ivanov, Dima, VIKTIRICH, olga, anna; group 120;
    workplace OPERATOR1; ``external_lines`` trunk lines numbered 9001, 9002, ...
    (``trunk_caller_id``: the one number every trunk presents; else trunk N shows
    7900000009N)."""
    directory = Directory()
    for login, name, number, line_number, line_id, user_id, department in _DEFAULT_USERS:
        line = directory.add_line(
            Line(line_id or _line_id(line_number), line_number, f"Линия {line_number}")
        )
        directory.add_user(
            User(user_id or _user_id(login), login, name, number, line.id, department)
        )
    directory.add_line(Line(_line_id("17006"), "17006", "Линия 17006"))
    operator_line = directory.line_by_number("17004")
    assert operator_line is not None
    directory.add_workplace(Workplace(_line_id("wp:OPERATOR1"), "OPERATOR1", operator_line.id))
    members = tuple(
        user.id
        for user in directory.users.values()
        if user.number in ("223", "227", "183", "184", "538")
    )
    directory.add_group(Group("120", "Дежурная группа", members))
    add_trunks(directory, external_lines, trunk_caller_id)
    return directory


def add_trunks(directory: Directory, count: int, shared_caller_id: str | None = None) -> None:
    """``count`` trunks; each presents ``shared_caller_id`` (a PBX whose calls out all show
    the site's number) or, without it, its own 7900000009N."""
    if not 0 <= count <= 1000:
        raise DirectoryError("external_lines must be within [0, 1000]")
    for index in range(1, count + 1):
        number = str(9000 + index)
        caller_id = shared_caller_id or str(TRUNK_CALLER_ID_BASE + index)
        directory.add_line(
            Line(
                _line_id(f"trunk:{number}"),
                number,
                f"Городская линия {index}",
                EXTERNAL,
                caller_id=caller_id,
            )
        )


# --- configuration ------------------------------------------------------------
def _text(spec: Mapping[str, object], name: str, where: str, default: str | None = None) -> str:
    value = spec.get(name, default)
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT:
        raise DirectoryError(
            f"{where}: {name} must be non-empty text of at most {MAX_TEXT} characters"
        )
    return value.strip()


def _tables(spec: Mapping[str, object], name: str) -> list[Mapping[str, object]]:
    value = spec.get(name, [])
    if not isinstance(value, list) or len(value) > MAX_OBJECTS:
        raise DirectoryError(f"{name} must be a list of at most {MAX_OBJECTS} tables")
    tables: list[Mapping[str, object]] = []
    for index, item in enumerate(value):
        if not isinstance(item, Mapping):
            raise DirectoryError(f"{name}[{index}] must be a table")
        tables.append(item)
    return tables


def directory_from_mapping(spec: Mapping[str, object]) -> Directory:
    """Lines, users, workplaces, groups and trunks of a configuration file.

    Without ``[[users]]`` and ``[[lines]]`` the default cast is used (with
    ``external_lines`` trunks). A user's ``line`` is a line number; a line
    named by a user but not listed is created."""
    external = spec.get("external_lines", DEFAULT_EXTERNAL_LINES)
    if isinstance(external, bool) or not isinstance(external, int):
        raise DirectoryError("external_lines must be a whole number")
    shared = spec.get("trunk_caller_id")
    if shared is not None and not (isinstance(shared, str) and _CALLER_ID.fullmatch(shared)):
        raise DirectoryError("trunk_caller_id must be 1-32 digits (E.164 without +)")
    users, lines = _tables(spec, "users"), _tables(spec, "lines")
    if not users and not lines:
        directory = default_directory(external, shared)
        for index, group_spec in enumerate(_tables(spec, "groups")):
            directory.add_group(_group(directory, group_spec, f"groups[{index}]"))
        return directory
    directory = Directory()
    for index, line_spec in enumerate(lines):
        where = f"lines[{index}]"
        number = _text(line_spec, "number", where)
        kind = _text(line_spec, "kind", where, INTERNAL)
        directory.add_line(
            Line(
                _text(line_spec, "id", where, _line_id(number)).lower(),
                number,
                _text(line_spec, "name", where, f"Линия {number}"),
                kind,
            )
        )
    for index, user_spec in enumerate(users):
        where = f"users[{index}]"
        login = _text(user_spec, "login", where)
        line_number = _text(user_spec, "line", where)
        line = directory.line_by_number(line_number) or directory.add_line(
            Line(_line_id(line_number), line_number, f"Линия {line_number}")
        )
        directory.add_user(
            User(
                _text(user_spec, "id", where, _user_id(login)).lower(),
                login,
                _text(user_spec, "name", where, login),
                _text(user_spec, "number", where, line_number),
                line.id,
                str(user_spec.get("department", "")),
            )
        )
    for index, place_spec in enumerate(_tables(spec, "workplaces")):
        where = f"workplaces[{index}]"
        name = _text(place_spec, "name", where)
        place_line = directory.line_by_number(_text(place_spec, "line", where))
        if place_line is None:
            raise DirectoryError(f"{where}: no line {place_spec.get('line')}")
        place_id = _text(place_spec, "id", where, _line_id(f"wp:{name}")).lower()
        directory.add_workplace(Workplace(place_id, name, place_line.id))
    for index, group_spec in enumerate(_tables(spec, "groups")):
        directory.add_group(_group(directory, group_spec, f"groups[{index}]"))
    add_trunks(directory, external, shared)
    return directory


def _group(directory: Directory, spec: Mapping[str, object], where: str) -> Group:
    members = spec.get("members", [])
    if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
        raise DirectoryError(f"{where}: members must be a list of user numbers or logins")
    ids: list[str] = []
    for member in members:
        user = directory.user_by_number(member) or _user_by_login(directory.users.values(), member)
        if user is None:
            raise DirectoryError(f"{where}: no user {member}")
        ids.append(user.id)
    number = _text(spec, "number", where)
    return Group(number, _text(spec, "name", where, number), tuple(ids))


def _user_by_login(users: Iterable[User], login: str) -> User | None:
    for user in users:
        if user.login.lower() == login.lower():
            return user
    return None
