"""Conformance suite for the notification server's client-server line protocol."""
