"""The MFMS HPG SMS platform as an SMS route (issue 12, section 3).

Public API::

    from nabat.system.channels import OutgoingSms
    from nabat.system.channels.mfms import MfmsRoute, MfmsSettings

    settings = MfmsSettings(base_url="http://127.0.0.1:9876/CLIENT/connectorX",
                            login="CLIENT", password="P@ssw0rd", subject="SUBJECT")
    async with MfmsRoute(settings) as route:           # or start() / stop()
        results = await route.send_batch([OutgoingSms("79031111111", "Hello")])
        results[0].outcome, results[0].provider_id      # SUBMITTED, "1001"
        await route.send_sms("79032222222", "Hey, you")  # grouped with concurrent sends
        route.subscribe(handler)                         # DeliveryReport until final

Modules: settings (configuration), requests (packing messages into URLs of
bounded length), answers (what an answer means: lines, retry, unknown,
fatal), route (sending, retries), poller (status polling), fast_url and
lean_http (per-request costs of httpx left out). The wire format
is ``nabat.system.wire.hpg``. See docs/sms-routes.md.
"""

from nabat.system.channels.mfms.answers import Verdict, read_send_answer, request_verdict
from nabat.system.channels.mfms.poller import STATUS_MAP, StatusPoller
from nabat.system.channels.mfms.requests import PackedRequest, Packing, QueryPacker
from nabat.system.channels.mfms.route import (
    SAFE_TO_RETRY,
    MfmsRoute,
    PlatformUnavailable,
    RouteFailed,
)
from nabat.system.channels.mfms.settings import MfmsSettings

__all__ = [
    "SAFE_TO_RETRY",
    "STATUS_MAP",
    "MfmsRoute",
    "MfmsSettings",
    "PackedRequest",
    "Packing",
    "PlatformUnavailable",
    "QueryPacker",
    "RouteFailed",
    "StatusPoller",
    "Verdict",
    "read_send_answer",
    "request_verdict",
]
