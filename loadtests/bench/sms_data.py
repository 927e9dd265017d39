"""Messages for `nabat bench sms`: distinct numbers of the world's plan, realistic texts.

How it works: ``numbers(count)`` walks the regions of the default world's
numbering plan (``nabat.simulators.world.default_world().plan``) in turn
and takes every ``STRIDE``-th number of each, so the ``count`` numbers are
distinct, valid international numbers spread over every region and time
zone. ``texts(count)`` fills the kind of texts a notification server sends,
Latin and Cyrillic mixed (about half Cyrillic, which percent-encodes to
six bytes a letter and so packs fewer messages per HPG request), most of
them personal (a code, an amount, a name) so that almost every text is
different, as in real traffic. Both are deterministic.
"""

from __future__ import annotations

from nabat.simulators.world import default_world
from nabat.system.channels.base import OutgoingSms

STRIDE = 997  # numbers apart within one region (a prime: no pattern in the digits)
NAMES = ("Anna", "Ivan", "Мария", "Пётр", "Olga", "Сергей", "Dmitry", "Елена")
TEMPLATES = (
    "Ваш код подтверждения {code}. Никому его не сообщайте.",
    "Your verification code is {code}. Do not share it.",
    "{name}, заказ №{order} доставлен в пункт выдачи до {day}.04.",
    "Order #{order} is on its way, {name}: courier arrives {day}.04 after 14:00.",
    "Платёж {amount} руб. зачислен. Баланс: {balance} руб.",
    "Оповещение: учебная тревога в {hour}:00. Объект {order}, просьба подтвердить (1).",
    "Reminder: your appointment on {day}.04 at {hour}:30, room {room}.",
    "Vnimanie! Planovye raboty {day}.04 s {hour}:00 do {end}:00, dom {room}.",
)


def numbers(count: int) -> list[str]:
    """``count`` distinct numbers (digits, E.164 without +), every region of the plan in turn."""
    regions = default_world().plan.regions
    per_region = -(-count // len(regions))
    for region in regions:
        if region.first + per_region * STRIDE > region.last:
            raise ValueError(f"{count} numbers do not fit the region {region.name}")
    return [
        str(regions[index % len(regions)].first + (index // len(regions)) * STRIDE)
        for index in range(count)
    ]


def texts(count: int) -> list[str]:
    """``count`` texts, Latin and Cyrillic mixed, nearly all different."""
    out: list[str] = []
    for index in range(count):
        template = TEMPLATES[index % len(TEMPLATES)]
        out.append(
            template.format(
                code=f"{(index * 7919) % 1_000_000:06d}",
                name=NAMES[index % len(NAMES)],
                order=100_000 + index,
                day=1 + index % 28,
                hour=8 + index % 12,
                end=10 + index % 12,
                amount=f"{(index * 37) % 50_000 + 100},00",
                balance=f"{(index * 53) % 90_000 + 500},{index % 100:02d}",
                room=1 + index % 300,
            )
        )
    return out


def messages(count: int) -> list[OutgoingSms]:
    """``count`` messages: distinct numbers, realistic texts, key = position."""
    return [
        OutgoingSms(number, text, str(index))
        for index, (number, text) in enumerate(zip(numbers(count), texts(count), strict=True))
    ]
