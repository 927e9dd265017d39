"""The system's side of the ATS call-verification API."""
