"""`nabat bench`: benchmarks that print figures (not timed tests).

How it works: each benchmark starts the servers it compares
one at a time, pinned to one CPU, drives each with the same load generator
pinned to another CPU, and prints a table of requests/s, latency percentiles
and ratios. The modules each do one job:

- ``reference_responder``: the bare uvloop + httptools baseline server;
- ``cpus``: choosing CPUs, pinning (and optionally renicing) children;
- ``processes``: starting servers as supervised children
  (``nabat.simulators.processes``) and waiting for their ready file;
- ``wrk``: the wrk Lua script, the wrk runner and the wrk output parser;
- ``loadgen``: the built-in Python load generator used when wrk is absent;
- ``load``: one interface over both generators;
- ``memory``: resident memory of a process from /proc;
- ``report``: targets, the printed table and the JSON figures;
- ``cpuwatch``: the server's CPU per answer and other processes' CPU use;
- ``environment``: machine, versions and git commit recorded with figures;
- ``figures``: what one load run yields, whichever generator ran;
- ``ats``: the ``nabat bench ats`` run itself (the simulator's control API
  through ``nabat.simulators.ats.control_client``).

``verification_loops`` and ``verification_failover`` belong to the
``nabat bench verification`` benchmark; ``server`` (the run),
``server_data`` (the store filled before the start), ``server_load`` (the
TLS load loops, a separate pinned process) and ``server_memory`` (RSS
sampling) to ``nabat bench server``; ``listing_steps`` and ``store_bench``
(the store alone, ``python -m nabat.loadtests.bench.store_bench``) time
the listing's steps and the store's inserts in one process.
"""
