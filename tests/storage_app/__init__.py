"""A model with files kept in a connection's Django storage; installed by tests/settings.py only."""
