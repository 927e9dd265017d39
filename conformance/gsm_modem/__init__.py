"""Conformance suite of a GSM modem's AT interface (V.250, 3GPP TS 27.007 and 27.005).

``nabat.conformance.gsm_modem.suite.SUITE`` is the suite; importing
``nabat.conformance.gsm_modem.cases`` registers every case. Run it with
``nabat conformance gsm --port DEVICE`` (a serial device or a pyserial URL) or
``pytest -p nabat.conformance.plugin --pyargs nabat.conformance.gsm_modem --target
DEVICE``. The package never imports system/ or simulators/: it reads and writes
the AT line with its own small codec (lines.py, client.py) and builds and reads
SMS PDUs with its own (gsm7.py, pdu.py).
"""
