"""From archive bytes to the platform's messages: read, plan, place in time, accept.

How it works: ``plan_archive`` opens the zip safely (archive.py) and applies
the variant's rules (batch.py), all or nothing. ``accept_batch`` hands each
planned message to the shared delivery model (``SmsDelivery.accept``, platform
``ftp``, the login as account): a send date is the client's local time (the
account's UTC offset), or with ``localtime=1`` the subscriber's, whose time
zone comes from the number's region in the world's numbering plan; a date
already past means at once. The validity is in minutes in the files and in
seconds in the delivery model.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from nabat.simulators.ftp_platform.accounts import Account
from nabat.simulators.ftp_platform.archive import ZipLimits, read_archive
from nabat.simulators.ftp_platform.batch import Batch, plan_plain, plan_template
from nabat.simulators.sms_platform.delivery import SmsDelivery, Submission
from nabat.simulators.world.numbering import WorldPlan


def plan_archive(data: bytes, account: Account, limits: ZipLimits | None = None) -> Batch:
    files = read_archive(data, limits)
    if files.contacts is not None and files.template is not None:
        return plan_template(files.contacts, files.template, account)
    assert files.data is not None and files.data_name is not None
    return plan_plain(files.data, files.data_name, account)


def accept_batch(
    batch: Batch, account: Account, delivery: SmsDelivery, plan: WorldPlan
) -> list[str]:
    """Accept every message of ``batch``; returns their provider ids in order."""
    client_zone = timezone(timedelta(minutes=account.utc_offset))
    now = delivery.clock.now()
    instants: dict[tuple[datetime, timezone], float] = {}
    ids: list[str] = []
    append = ids.append
    accept = delivery.accept
    login = account.login
    for message in batch.messages:
        send_at: float | None = None
        if message.send_local is not None:
            zone = plan.timezone(message.address) if message.subscriber_time else client_zone
            key = (message.send_local, zone)
            instant = instants.get(key)
            if instant is None:
                instant = instants[key] = delivery.instant_of(
                    message.send_local.replace(tzinfo=zone)
                )
            send_at = instant if instant > now else None
        append(
            accept(
                Submission(
                    platform="ftp",
                    account=login,
                    address=message.address,
                    text=message.text,
                    sender=message.sender,
                    send_at=send_at,
                    validity=message.validity_minutes * 60.0,
                )
            )
        )
    return ids
