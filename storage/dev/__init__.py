"""Development storage: the embedded SeaweedFS runner and the bucket it needs (make run, the tests, the benchmarks)."""
