"""Codecs of the outside systems' wire formats: pure functions and small state machines.

The rule of this package:

* **Sans-I/O.** No sockets, no asyncio, no threads, no clocks read here: a
  codec turns bytes, headers or lines into typed values and back. The
  system's drivers, the simulators and the Locust users wrap the same codec
  with their own I/O, so all three speak one format by construction.
* **One module per outside protocol.** ``ats.py`` is the ATS verification
  API's error and warning headers; the GSM modems' AT commands and SMS PDUs,
  MFMS HPG result lines, FTP platform archives and Oktell's XML/JSON each get
  their own module beside it.
* **Only what the outside system defines.** A simulator's own extensions
  (extra error bits, fault knobs, their messages) stay in the simulator and
  are passed in where a codec needs them (e.g. message tables), so the
  product never learns a simulator's private details. Decoders name values
  they do not know generically (``BIT_n``) instead of failing.

Nothing here imports the rest of the product or the harness.
"""
