"""The system's e-mail route over SMTP (docs/email-route.md)."""

from nabat.system.channels.smtp.route import SmtpRoute
from nabat.system.channels.smtp.settings import SmtpSettings, StartTls

__all__ = ["SmtpRoute", "SmtpSettings", "StartTls"]
