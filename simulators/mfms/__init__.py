"""MFMS HPG SMS platform simulator (docs/mfms-simulator.md)."""
