"""The whole system in one piece: the notification server and every simulator, wired.

``config.py`` (``SystemConfig``: what runs where, from embedded defaults and an
optional TOML file), ``stack.py`` (``SystemStack``: starts and stops it all in
this process), ``cli.py`` (``nabat up``); docs/system.md.
"""
