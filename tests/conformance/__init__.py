"""Self-tests of the conformance framework and the ATS conformance suite."""
