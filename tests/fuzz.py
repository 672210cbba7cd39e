"""The fuzzing budget: small in the everyday test run, large when FUZZ_EXAMPLES asks for it."""

import os

from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "1000"))

_COMMON = dict(deadline=None, derandomize=os.environ.get("CI") == "true",
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
fuzz = settings(max_examples=EXAMPLES, **_COMMON)
# Requests through Django cost more than a function call: a quarter of the budget by default.
fuzz_requests = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "250")), **_COMMON)
