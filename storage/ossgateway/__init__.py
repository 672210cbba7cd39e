"""The commercial edition: a client of an OSS Gateway Manager, which answers with signed requests."""
