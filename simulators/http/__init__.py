"""HTTP building blocks shared by the HTTP-speaking simulators (ATS, MFMS, Oktell)."""
