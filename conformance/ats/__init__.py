"""Conformance suite of the ATS call-verification API.

``nabat.conformance.ats.suite.SUITE`` is the suite; importing ``nabat.conformance.ats.cases``
registers every case. Run it with ``nabat conformance ats --target URL`` or
``pytest conformance/ats --target URL``. This package never imports system/
or simulators/: it speaks the wire with its own client.
"""
