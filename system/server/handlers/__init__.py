"""Command handlers, one module per entity; each exports ``HANDLERS`` (word -> handler)."""
