"""The Russian words a report shows for the engine's and the protocol's codes.

How it works: one table per code (task type, task status, abonent state,
attempt kind and state, outcome, verification, remote-start way); ``label``
looks a code up and falls back to the code itself, so a value the engine adds
later still shows, in its own words, instead of breaking the report.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from nabat.system.engine.records import AttemptKind, AttemptState, TargetState
from nabat.system.protocol.values import TaskStatus, TaskType

TASK_TYPES: Mapping[int, str] = {
    TaskType.CALL: "Обзвон (голосовое оповещение)",
    TaskType.LOUDSPEAKER: "ГГС (громкоговорящая связь)",
    TaskType.SMS: "SMS-оповещение",
    TaskType.EMAIL: "Оповещение по электронной почте",
}

TASK_STATUSES: Mapping[int, str] = {
    TaskStatus.STOPPED: "Остановлено",
    TaskStatus.RUNNING: "Выполняется",
    TaskStatus.WAITING: "Ожидает запуска",
    TaskStatus.FINISHED: "Завершено",
    TaskStatus.FAILED: "Завершено с ошибкой",
}

TARGET_STATES: Mapping[TargetState, str] = {
    TargetState.PENDING: "Ожидает",
    TargetState.ACTIVE: "Оповещается",
    TargetState.RETRY: "Ждёт повтора",
    TargetState.SENT: "Отправлено, ждёт отчёта",
    TargetState.CONFIRMED: "Подтвердил",
    TargetState.NOTIFIED: "Оповещён",
    TargetState.EXHAUSTED: "Не оповещён (попытки исчерпаны)",
    TargetState.FAILED: "Не оповещён (нет адреса)",
    TargetState.UNKNOWN: "Неизвестно (прервано остановкой сервера)",
}

ATTEMPT_KINDS: Mapping[AttemptKind, str] = {
    AttemptKind.VOICE: "Звонок",
    AttemptKind.SMS: "SMS",
    AttemptKind.EMAIL: "E-mail",
}

ATTEMPT_STATES: Mapping[AttemptState, str] = {
    AttemptState.IN_FLIGHT: "Выполняется",
    AttemptState.DONE: "Завершена",
    AttemptState.INTERRUPTED: "Прервана",
}

OUTCOMES: Mapping[str, str] = {
    "answered": "Ответил",
    "busy": "Занято",
    "no_answer": "Не отвечает",
    "failed": "Ошибка",
    "unreachable": "Недоступен",
    "blocked": "Заблокирован оператором",
    "delivered": "Доставлено",
    "undelivered": "Не доставлено",
    "expired": "Срок доставки истёк",
    "sent": "Отправлено",
    "accepted": "Принято",
    "rejected": "Отклонено",
    "bounced": "Возвращено",
    "cancelled": "Отменено",
    "interrupted": "Прервано",
}

VERIFICATION: Mapping[str, str] = {
    "registered": "Зарегистрирован",
    "rejected": "Отклонён проверкой",
    "unavailable (allowed)": "Проверка недоступна (разрешён)",
}

K = TypeVar("K")

REMOTE_VIA: Mapping[str, str] = {"call": "Звонок", "sms": "SMS"}

YES = "Да"
NO = "Нет"


def label(table: Mapping[K, str], code: K) -> str:
    """The word for ``code``, or the code itself (as text) when the table lacks it."""
    word = table.get(code)
    if word is not None:
        return word
    if isinstance(code, TargetState | AttemptKind | AttemptState):
        return str(code.value)
    return str(code)


def yes_no(flag: bool) -> str:
    return YES if flag else NO
