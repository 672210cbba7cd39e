"""The paired protocol (benchmarks/paired.py, report.Row): what a reader of BENCHMARKS.md relies on."""

from __future__ import annotations

from paired import Spread, at_least, at_most, interleave
from report import Row


def test_it_alternates_which_side_goes_first():
    order: list[str] = []
    got = interleave(3, {"ours": lambda: order.append("ours") or 1.0, "peer": lambda: order.append("peer") or 2.0})
    assert order == ["ours", "peer", "peer", "ours", "ours", "peer"]
    assert got == {"ours": [1.0, 1.0, 1.0], "peer": [2.0, 2.0, 2.0]}


def test_it_lets_the_storage_settle_before_every_sample():
    order: list[str] = []
    interleave(2, {"a": lambda: order.append("a"), "b": lambda: order.append("b")},
               before_each=lambda: order.append("settle"))
    assert order == ["settle", "a", "settle", "b", "settle", "b", "settle", "a"]


def test_it_judges_a_row_on_the_median_of_its_paired_ratios_not_on_the_ratio_of_its_medians():
    # The second pair ran while the machine was busy: both sides slowed, their ratio did not.
    row = Row("P9", "upload ÷ peer", "MiB/s", [100, 20, 110], at_least(1.0), [95, 21, 100])
    assert [round(r, 3) for r in row.judged_values] == [1.053, 0.952, 1.1]
    assert row.judged.median == row.judged_values[0]
    assert row.met is True
    cells = dict(zip(["id", "measure", "result", "spread", "subject", "baseline"], row.cells(), strict=False))
    assert cells["result"] == "1.05"
    assert cells["spread"] == "0.952–1.10"
    assert (cells["subject"], cells["baseline"]) == ("100 MiB/s", "95.0 MiB/s")  # the absolute medians beside it


def test_it_gives_the_interquartile_range_from_five_pairs_on():
    assert Spread.of([1.0, 1.1, 0.9, 1.2]).quartiles is None
    assert Spread.of([1.0, 1.1, 0.9, 1.2, 0.8]).quartiles == (0.9, 1.1)
    row = Row("P9", "x", "ms", [1.0, 1.1, 0.9, 1.2, 0.8], at_most(2.0))
    assert "(IQR 0.900–1.10)" in row.cells()[3]


def test_it_flags_a_row_whose_pairs_disagree_by_more_than_twice_and_still_shows_them():
    noisy = Row("P5", "signing ÷ ping", "req/s", [400, 900], at_least(0.7), [1000, 900])  # ratios 0.4 and 1.0
    assert noisy.judged.noisy
    assert "**noisy**" in noisy.cells()[7]
    assert noisy.cells()[3] == "0.400–1.00"
    steady = Row("P5", "signing ÷ ping", "req/s", [800, 700], at_least(0.7), [1000, 900])
    assert not steady.judged.noisy and "noisy" not in steady.cells()[7]


def test_a_goal_on_every_sample_is_missed_when_one_sample_misses_it():
    rss = Row("P3", "peak RSS growth", "MiB", [10, 12, 70], at_most(64, "≤ 64 MiB", every=True))
    assert rss.judged.median == 12
    assert rss.met is False
    assert rss.cells()[7].startswith("**no**")


def test_from_five_pairs_on_one_stray_pair_does_not_make_a_row_noisy_but_a_wide_middle_does():
    assert not Spread.of([1.0, 1.05, 0.95, 1.1, 0.2]).noisy  # one sample caught by a burst elsewhere
    assert Spread.of([0.4, 0.5, 1.0, 1.1, 1.2, 0.45]).noisy  # half the pairs say 0.45, half say 1.1
