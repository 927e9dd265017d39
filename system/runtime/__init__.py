"""Process plumbing shared by every Nabat process: ready files and the event loop.

``ready`` writes and reads the JSON file a process publishes once it listens
(``--ready-file``); ``loop`` runs asyncio on uvloop when it is installed;
``tasks.cancel_and_wait`` stops a task without swallowing the caller's own
cancellation.
The harness (simulators, load tests) imports these; the product never
imports the harness.
"""
