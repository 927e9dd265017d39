"""Conformance suite of MFMS HPG, the HTTP-GET protocol of the MFMS SMS platform.

``nabat.conformance.mfms.suite.SUITE`` is the suite; importing
``nabat.conformance.mfms.cases`` registers every case. Run it with
``nabat conformance mfms --target http://HOST:9876/CLIENT/connectorX --login L
--password W --address NUMBER``. A real platform charges for every SMS and
delivers to real phones: the suite sends only to the numbers it is given and
as few messages as it can (three accepted SMS without the simulator's control
API). This package never imports system/ or simulators/: it reads HPG with its
own small reader (wire.py), an implementation independent of the ones it checks.
"""
