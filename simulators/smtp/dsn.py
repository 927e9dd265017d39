"""Delivery status notifications (RFC 3464) for bounced recipients.

``build_dsn`` returns the bytes of a ``multipart/report;
report-type=delivery-status`` message from ``MAILER-DAEMON`` to the original
envelope sender: a human-readable part, the ``message/delivery-status`` part
(per-message fields: Reporting-MTA, Arrival-Date; per-recipient fields:
Final-Recipient, Action failed, Status — the enhanced code of the reason —
and Diagnostic-Code) and the original message's headers
(``text/rfc822-headers``). The sink journals it; it sends nothing anywhere.
"""

from __future__ import annotations

import re
from datetime import datetime
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, make_msgid

ENHANCED = re.compile(r"\b([245]\.[0-9]{1,3}\.[0-9]{1,3})\b")
MAX_ORIGINAL_HEADERS = 16 * 1024


def enhanced_status(reason: str) -> str:
    """The enhanced status code in ``reason`` (RFC 3463), 5.0.0 when it names none."""
    found = ENHANCED.search(reason)
    return found.group(1) if found else "5.0.0"


def build_dsn(
    *,
    reporting_mta: str,
    sender: str,
    recipient: str,
    reason: str,
    arrival: datetime,
    now: datetime,
    original_headers: bytes,
) -> bytes:
    report = MIMEMultipart("report", report_type="delivery-status")
    report["From"] = f"MAILER-DAEMON@{reporting_mta}"
    report["To"] = sender
    report["Subject"] = "Undelivered Mail Returned to Sender"
    report["Date"] = format_datetime(now)
    report["Message-ID"] = make_msgid(domain=reporting_mta)
    report["Auto-Submitted"] = "auto-replied"
    human = (
        f"Your message could not be delivered to {recipient}.\n\nThe remote server said: {reason}\n"
    )
    report.attach(MIMEText(human, "plain", "us-ascii" if human.isascii() else "utf-8"))
    per_message = Message()  # the delivery-status body is blocks of header fields
    per_message["Reporting-MTA"] = f"dns; {reporting_mta}"
    per_message["Arrival-Date"] = format_datetime(arrival)
    per_recipient = Message()
    per_recipient["Final-Recipient"] = f"rfc822; {recipient}"
    per_recipient["Action"] = "failed"
    per_recipient["Status"] = enhanced_status(reason)
    per_recipient["Diagnostic-Code"] = f"smtp; {reason}"
    status = Message()
    status["Content-Type"] = "message/delivery-status"
    status.set_payload([per_message, per_recipient])
    report.attach(status)
    text = original_headers[:MAX_ORIGINAL_HEADERS].decode("utf-8", "replace")
    report.attach(MIMEText(text, "rfc822-headers", "us-ascii" if text.isascii() else "utf-8"))
    return report.as_bytes()
