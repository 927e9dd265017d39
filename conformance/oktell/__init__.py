"""Conformance suite of Oktell's server HTTP interface (oktell-http-api.ru.txt).

``nabat.conformance.oktell.suite.SUITE`` is the suite; importing
``nabat.conformance.oktell.cases`` registers every case. Run it with
``nabat conformance oktell --target http://HOST:4055 [--password PW]``; the cases that
change state on the PBX (calls, user states, uploads) run only with
``--allow-state-changes`` and touch only ``--user``, ``--line`` and ``--number``. This
package never imports system/ or simulators/: it reads the replies with its own small
reader (wire.py), an implementation independent of the ones it checks.
"""
