"""What every simulator shares: the simulated clock, fault injection, latency, journal."""
