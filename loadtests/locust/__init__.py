"""Locust load suite of the ATS call-verification path (`nabat load ats`).

How it fits together — each module does one job:

- ``numbers``: number ranges and each Locust user's private share of them;
- ``mix``: the task mix (which kinds of call, in what proportion);
- ``expectations``: pure validators of an answer's status and X-Error-Bits;
- ``malformed``: the catalogue of malformed requests and the 400 bits each must get;
- ``settings``: the suite's settings, read from Locust's parsed options;
- ``arguments``: the Locust custom command-line arguments (env var defaults);
- ``binding``: geventhttpclient pools whose sockets bind a source address
  (the hub tells operators apart by client IP);
- ``slots``: per-process allocation of user slots;
- ``pacing``: think time / per-user rate from the settings;
- ``transport``: one form POST over a session's geventhttpclient client;
- ``api_user``: ``AtsApiUser``, FastHttpUser driving the HTTP API directly;
- ``bridge``: an asyncio loop in a native thread, awaited from greenlets;
- ``system_user``: ``SystemVerificationUser``, driving the system's own
  ``VerificationClient`` through the bridge;
- ``locustfile``: the file given to ``locust -f``; ``baseline_locustfile``: a
  minimal FastHttpUser for the capacity figure;
- ``command``, ``process``, ``stats_csv``: the ``nabat load ats`` runner;
- ``capacity``: ``measure_locust_capacity``.

Only the modules that a Locust process loads import ``locust`` (which
monkey-patches the interpreter with gevent); the runner-side modules never do.
"""
