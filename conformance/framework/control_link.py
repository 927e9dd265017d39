"""A suite's link to the simulator's control API named by ``--sim-control URL``.

How it works: ``ControlLink`` holds the URL (None: the target is not the
simulator) and, once asked for ``problem()``, builds its own httpx client
(no retries, no redirects, no proxies from the environment) and probes the
API with the suite's ``probe`` once; the answer is kept for the run.
``http(record)`` gives a recording ``HttpClient`` (label ``control``) onto
that client for one case, or None when the API is not usable; ``close``
closes the client.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx
from nabat.conformance.framework.http.client import HttpClient
from nabat.conformance.framework.http.exchange import HttpExchange

NO_URL = "no --sim-control URL (the target is not the simulator)"

Probe = Callable[[httpx.Client, str], "str | None"]


class ControlLink:
    def __init__(self, url: str | None, timeout: float, probe: Probe) -> None:
        self.url = url
        self._timeout = timeout
        self._probe = probe
        self._client: httpx.Client | None = None
        self._problem: str | None = None
        self._probed = False

    def problem(self) -> str | None:
        """Why the control API is not usable (None: it is); probed on the first call."""
        if not self._probed:
            self._probed = True
            if self.url is None:
                self._problem = NO_URL
            else:
                self._client = httpx.Client(
                    transport=httpx.HTTPTransport(retries=0),
                    timeout=self._timeout,
                    follow_redirects=False,
                    trust_env=False,
                )
                self._problem = self._probe(self._client, self.url)
        return self._problem

    def http(self, record: Callable[[HttpExchange], None]) -> HttpClient | None:
        """A recording client of the control API for one case (None: not usable)."""
        if self.url is None or self.problem() is not None or self._client is None:
            return None
        return HttpClient(self._client, self.url, record, label="control", default_source=None)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
