"""HTTP adapter of the conformance framework: a recording client, the exchange
record it produces, and curl rendering. Nothing in the core imports this."""

from nabat.conformance.framework.http.client import ClientPool, HttpClient, TransportFactory
from nabat.conformance.framework.http.curl import render_curl
from nabat.conformance.framework.http.exchange import HttpExchange

__all__ = ["ClientPool", "HttpClient", "HttpExchange", "TransportFactory", "render_curl"]
