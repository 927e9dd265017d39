"""Simulator of the ATS call-verification hub (primary and reserve servers)."""
