"""The FTP/FTPS bulk-SMS platform as an SMS route (issue 12, section 3).

Public API::

    from nabat.system.channels.ftp_platform import FtpPlatformRoute, FtpPlatformSettings

    settings = FtpPlatformSettings(host="127.0.0.1", port=2121, login="guest",
                                   password="guest", tls=True, ca_file="ca.pem",
                                   sender="TESTSMS")
    async with FtpPlatformRoute(settings) as route:
        results = await route.send_batch([OutgoingSms("79031234567", "Привет")])
        await route.send_sms("79031234567", "Привет")   # grouped into one archive
        route.subscribe(handler)                         # DeliveryReport "picked-up"

Modules: settings (configuration), archive (zip and CSV building, names),
transfer (ftplib uploads and listings, the error tree), route (the route).
See docs/sms-routes.md.
"""

from nabat.system.channels.ftp_platform.archive import (
    Archive,
    ArchiveNamer,
    Contact,
    Template,
    plain_archive,
    route_template_archive,
    template_archive,
)
from nabat.system.channels.ftp_platform.route import FtpPlatformRoute, RouteFailed
from nabat.system.channels.ftp_platform.settings import FtpPlatformSettings
from nabat.system.channels.ftp_platform.transfer import (
    FtpLoginRefused,
    FtpNotDelivered,
    FtpRouteError,
    FtpUncertain,
)

__all__ = [
    "Archive",
    "ArchiveNamer",
    "Contact",
    "FtpLoginRefused",
    "FtpNotDelivered",
    "FtpPlatformRoute",
    "FtpPlatformSettings",
    "FtpRouteError",
    "FtpUncertain",
    "RouteFailed",
    "Template",
    "plain_archive",
    "route_template_archive",
    "template_archive",
]
