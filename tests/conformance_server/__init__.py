"""Tests of the server conformance suite against the real Nabat server."""
