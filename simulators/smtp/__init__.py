"""The SMTP sink simulator (aiosmtpd): STARTTLS, AUTH, world outcomes, a control API."""
