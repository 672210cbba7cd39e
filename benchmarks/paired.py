"""How every row of `make bench` is measured: subject and baseline in turn, judged by their paired ratios.

On a shared machine a sample may run while something else holds the cores. Its baseline, taken
just before or just after, shares most of that luck, so the ratio of one pair is steadier than
either number alone. The order alternates (A B, then B A) so that neither always runs first, on a
storage that is fresh or one that is still busy. A row reports the median of its pairs' ratios,
their spread (min-max, and the IQR from 5 pairs on), and is flagged noisy when its pairs disagree
by more than NOISY_SPREAD (its IQR, from 5 pairs on): such a row is shown as it is, never averaged
into a verdict.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")
NOISY_SPREAD = 2.0  # the largest ratio (or sample) of a row over its smallest
MIN_PAIRS_FOR_IQR = 5


def interleave(rounds: int, samplers: dict[str, Callable[[], T]],
               before_each: Callable[[], object] | None = None) -> dict[str, list[T]]:
    """Each sampler once per round: in the given order on even rounds, reversed on odd ones (A B, B A, ...).

    `before_each` runs before every sample (letting the storage settle, say)."""
    names = list(samplers)
    got: dict[str, list[T]] = {name: [] for name in names}
    for n in range(rounds):
        for name in names if n % 2 == 0 else reversed(names):
            if before_each is not None:
                before_each()
            got[name].append(samplers[name]())
    return got


@dataclass(frozen=True)
class Spread:
    """The median of some values, their min and max, and their quartiles when there are enough of them."""

    median: float
    low: float
    high: float
    quartiles: tuple[float, float] | None

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        if not values:
            raise ValueError("no samples")
        quartiles = None
        if len(values) >= MIN_PAIRS_FOR_IQR:
            q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
            quartiles = (q1, q3)
        return cls(statistics.median(values), min(values), max(values), quartiles)

    @property
    def noisy(self) -> bool:
        """The values disagree by more than NOISY_SPREAD: the middle half of them from 5 on (one sample of 20
        caught by a burst elsewhere does not make a row noisy), all of them below that. A zero beside anything
        else counts as noisy too."""
        low, high = self.quartiles or (self.low, self.high)
        if low == high:
            return False
        return low <= 0 or high / low > NOISY_SPREAD


@dataclass(frozen=True)
class Goal:
    """What a row must show, in words, and the test of it: on the median, or on every sample (`every`)."""

    text: str
    test: Callable[[float], bool]
    every: bool = False

    def met(self, values: Sequence[float], judged: Spread) -> bool:
        return all(self.test(v) for v in values) if self.every else self.test(judged.median)


def at_least(limit: float, text: str = "", *, every: bool = False) -> Goal:
    return Goal(text or f"≥ {limit}", lambda v: v >= limit, every)


def at_most(limit: float, text: str = "", *, every: bool = False) -> Goal:
    return Goal(text or f"≤ {limit}", lambda v: v <= limit, every)


def ratios(subject: Sequence[float], baseline: Sequence[float]) -> list[float]:
    """subject / baseline, pair by pair (both lists come from `interleave`: the same rounds, in order)."""
    return [s / b for s, b in zip(subject, baseline, strict=True)]
