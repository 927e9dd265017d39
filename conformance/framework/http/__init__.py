"""HTTP adapter of the conformance framework: a recording client, the exchange
record it produces, and curl rendering. Nothing in the core imports this."""

from conformance.framework.http.client import ClientPool, HttpClient, TransportFactory
from conformance.framework.http.curl import render_curl
from conformance.framework.http.exchange import HttpExchange

__all__ = ["ClientPool", "HttpClient", "HttpExchange", "TransportFactory", "render_curl"]
