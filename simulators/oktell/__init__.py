"""Oktell PBX simulator: the server HTTP interface (port 4055), users, lines and calls."""
