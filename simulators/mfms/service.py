"""The MFMS HPG platform's logic, without sockets: SEND and STATUS on decoded pairs.

``MfmsService.send`` / ``status`` take a connector key (``CLIENT/connectorX``)
and the request's decoded ``(name, value)`` pairs and return an ``HpgAnswer``
(HTTP status and text). Order of checks: the connector exists and the login
and password parameters (named per connector) match -> error-auth; the
indexed parameters are well formed (system/wire/hpg.py) -> error-syntax; a
pending ``system_errors`` count -> error-system. Those are request-level and
answered in the error profile (``http500``: HTTP 500, text starting with the
code; ``http200``: HTTP 200, the code alone). Then per message, in order:
address not 10-15 digits -> error-address-format; address starting with a
blocked prefix -> error-address-unknown; subject not a sender name ->
error-subject-format; subject not allowed for the connector ->
error-subject-unknown; a ``startTime`` that is not a Datetime ->
error-syntax; else accepted into the shared delivery model
(simulators/sms_platform/delivery.py) -> ``ok;clientId;providerId``, or with
a pending ``failed_messages`` count accepted as failed.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from nabat.simulators.mfms.config import ERROR_PROFILES, Connector
from nabat.simulators.sms_platform.delivery import SmsDelivery, Submission
from nabat.system.wire.hpg import (
    HpgSyntaxError,
    ResponseCode,
    format_datetime,
    format_request_error,
    is_address,
    is_safe_field,
    is_subject,
    parse_datetime,
    parse_send_records,
    parse_status_records,
)

CONTENT_TYPE = "text/plain; charset=utf-8"
_OK = ResponseCode.OK.value
_ADDRESS_FORMAT = ResponseCode.ERROR_ADDRESS_FORMAT.value
_ADDRESS_UNKNOWN = ResponseCode.ERROR_ADDRESS_UNKNOWN.value
_SUBJECT_FORMAT = ResponseCode.ERROR_SUBJECT_FORMAT.value
_SUBJECT_UNKNOWN = ResponseCode.ERROR_SUBJECT_UNKNOWN.value
_SYNTAX = ResponseCode.ERROR_SYNTAX.value
_UNKNOWN_ID = ResponseCode.ERROR_PROVIDER_ID_UNKNOWN.value


@dataclass(frozen=True, slots=True)
class HpgAnswer:
    status: int
    text: str
    code: ResponseCode = ResponseCode.OK  # the request-level code (ok: per-message lines)
    accepted: int = 0


class MfmsService:
    def __init__(
        self,
        delivery: SmsDelivery,
        connectors: Iterable[Connector],
        *,
        blocked: Iterable[str] = (),
        error_profile: str = "http500",
    ) -> None:
        self.delivery = delivery
        self.connectors: dict[str, Connector] = {c.key: c for c in connectors}
        self.blocked: tuple[str, ...] = tuple(blocked)
        self.error_profile = error_profile
        self.system_errors = 0  # the next N requests answer error-system
        self.failed_messages = 0  # the next N accepted messages fail on the platform

    def set_error_profile(self, profile: str) -> None:
        if profile not in ERROR_PROFILES:
            raise ValueError(f"error profile must be one of {', '.join(ERROR_PROFILES)}")
        self.error_profile = profile

    def request_error(self, code: ResponseCode) -> HpgAnswer:
        status, text = format_request_error(code, http500=self.error_profile == "http500")
        return HpgAnswer(status, text, code)

    def _authorize(
        self, key: str, pairs: list[tuple[str, str]]
    ) -> tuple[Connector | None, HpgAnswer | None]:
        connector = self.connectors.get(key)
        if connector is None:
            return None, self.request_error(ResponseCode.ERROR_AUTH)
        login = password = None
        for name, value in pairs:
            if name == connector.login_param and login is None:
                login = value
            elif name == connector.password_param and password is None:
                password = value
            if login is not None and password is not None:
                break  # the first of each counts: no need to read a thousand messages
        if login is None or password is None:
            return None, self.request_error(ResponseCode.ERROR_AUTH)
        good = hmac.compare_digest(login.encode(), connector.login.encode())
        good &= hmac.compare_digest(password.encode(), connector.password.encode())
        if not good:
            return None, self.request_error(ResponseCode.ERROR_AUTH)
        return connector, None

    def _system_error(self) -> HpgAnswer | None:
        if self.system_errors > 0:
            self.system_errors -= 1
            return self.request_error(ResponseCode.ERROR_SYSTEM)
        return None

    def send(self, key: str, pairs: list[tuple[str, str]]) -> HpgAnswer:
        connector, refused = self._authorize(key, pairs)
        if refused is not None:
            return refused
        assert connector is not None
        try:
            records, _ = parse_send_records(pairs)
        except HpgSyntaxError:
            return self.request_error(ResponseCode.ERROR_SYNTAX)
        failure = self._system_error()
        if failure is not None:
            return failure
        delivery = self.delivery
        accept = delivery.accept
        blocked = self.blocked
        subjects = connector.subjects
        account = connector.key
        lines: list[str] = []
        accepted = 0
        for record in records:
            address, subject, client_id = record.address, record.subject, record.client_id
            if not is_address(address):
                lines.append(f"{_ADDRESS_FORMAT};{client_id};")
            elif blocked and address.startswith(blocked):
                lines.append(f"{_ADDRESS_UNKNOWN};{client_id};")
            elif subject not in subjects and not is_subject(subject):
                lines.append(f"{_SUBJECT_FORMAT};{client_id};")
            elif subject not in subjects:
                lines.append(f"{_SUBJECT_UNKNOWN};{client_id};")
            else:
                send_at = None
                if record.start_time:
                    try:
                        send_at = delivery.instant_of(parse_datetime(record.start_time))
                    except HpgSyntaxError:
                        lines.append(f"{_SYNTAX};{client_id};")
                        continue
                fail = self.failed_messages > 0
                if fail:
                    self.failed_messages -= 1
                submission = Submission(
                    "mfms", account, address, record.text, subject, client_id, send_at
                )
                lines.append(f"{_OK};{client_id};{accept(submission, fail=fail)}")
                accepted += 1
        lines.append("")
        return HpgAnswer(200, "\n".join(lines), accepted=accepted)

    def status(self, key: str, pairs: list[tuple[str, str]]) -> HpgAnswer:
        connector, refused = self._authorize(key, pairs)
        if refused is not None:
            return refused
        assert connector is not None
        try:
            records, _ = parse_status_records(pairs)
        except HpgSyntaxError:
            return self.request_error(ResponseCode.ERROR_SYNTAX)
        failure = self._system_error()
        if failure is not None:
            return failure
        delivery = self.delivery
        account = connector.key
        lines: list[str] = []
        for record in records:
            provider_id = record.provider_id
            view = delivery.status(provider_id, account)
            if view is None:
                shown = provider_id if is_safe_field(provider_id) else ""
                lines.append(f"{_UNKNOWN_ID};{shown};;;")
                continue
            moment = format_datetime(delivery.wall_time(view.at))
            lines.append(f"{_OK};{provider_id};{view.status.value};{moment};{view.reason or ''}")
        lines.append("")
        return HpgAnswer(200, "\n".join(lines))

    def state_json(self) -> Mapping[str, object]:
        return {
            "error_profile": self.error_profile,
            "blocked": list(self.blocked),
            "system_errors": self.system_errors,
            "failed_messages": self.failed_messages,
            "connectors": [connector.to_json() for connector in self.connectors.values()],
        }
