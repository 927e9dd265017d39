"""The demo's people and words: who is notified, of what, and how (``nabat demo``).

Two groups of employees with Cyrillic names, each with a mobile number drawn
from the world's numbering plan (one region after another, so the report shows
subscribers of every operator and time zone) and an e-mail address; a
dispatcher outside both groups who starts a task remotely. Numbers are taken
in plan order, skipping those whose SMS the world would leave to the SMSC's
validity period (a day of simulated time: the demo must end in a minute);
everything else the world decides stays as it is, failures included.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from nabat.simulators.world import World

DUTY_SHIFT: Final = (
    ("Иванов Иван Петрович", "ivanov"),
    ("Смирнова Анна Сергеевна", "smirnova"),
    ("Кузнецов Дмитрий Олегович", "kuznetsov"),
    ("Попова Елена Викторовна", "popova"),
    ("Васильев Андрей Николаевич", "vasiliev"),
)
MANAGEMENT: Final = (
    ("Петров Сергей Александрович", "petrov"),
    ("Соколова Мария Игоревна", "sokolova"),
    ("Михайлов Алексей Юрьевич", "mikhailov"),
)
MAIL_DOMAIN: Final = "demo.nabat.example"
SMS_ROUNDS: Final = 2  # the SMS tasks' attempts: the numbers are checked that far
SPACING: Final = 1_000  # between two numbers taken from one region


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    phone: str  # E.164 digits
    email: str
    region: str


@dataclass(frozen=True, slots=True)
class Cast:
    duty_shift: tuple[Person, ...]
    management: tuple[Person, ...]
    dispatcher: Person  # calls a modem to start the management's task

    @property
    def everyone(self) -> tuple[Person, ...]:
        return self.duty_shift + self.management


def _numbers(world: World) -> Iterator[tuple[str, str]]:
    """(number, region name) in turn from every region of the plan, forever."""
    regions = world.plan.regions
    if not regions:
        raise ValueError("the world's numbering plan has no regions to take numbers from")
    step = 1
    while True:
        for region in regions:
            number = region.first + step * SPACING
            if number <= region.last:
                yield str(number), region.name
        step += 1


def _finishes(world: World, number: str) -> bool:
    """Every SMS round to ``number`` ends in a report within minutes, not a day."""
    return all(
        world.decide_sms(number, attempt).outcome.value != "expired"
        for attempt in range(1, SMS_ROUNDS + 1)
    )


def make_cast(world: World) -> Cast:
    """The demo's people, numbered from ``world``'s plan (see the module comment)."""
    people: list[Person] = []
    named = [*DUTY_SHIFT, *MANAGEMENT, ("Дежурный диспетчер", "dispatcher")]
    numbers = _numbers(world)
    for name, login in named:
        number, region = next((n, r) for n, r in numbers if _finishes(world, n))
        people.append(Person(name, number, f"{login}@{MAIL_DOMAIN}", region))
    shift = len(DUTY_SHIFT)
    return Cast(tuple(people[:shift]), tuple(people[shift:-1]), people[-1])
