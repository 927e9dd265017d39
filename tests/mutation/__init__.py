"""The mutation campaign: the conformance suites tested against deliberately
deviating copies of our own implementations (see campaign.py)."""
