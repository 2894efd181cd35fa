"""Soak: `crossdock run` under a steady load for a long time, sampling its memory.

Offers `--rate` scans per second (default: half of the hub's saturation as docs/performance.md
gives it) for `--seconds`, samples the hub's RSS every `--every` seconds, and at the end checks
that every input came out. Prints the RSS curve and its drift (last third against first third).
"""

import argparse
import os
import signal
import sys
import tempfile
import threading
import time
import uuid

import e2e
import scans


WARMUP_S = 60


def rss_mb(pid):
    """(resident, anonymous, file-backed) MB of the process."""
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "RssAnon", "RssFile"):
                fields[name] = int(value.split()[0]) / 1024
    return fields.get("VmRSS", 0.0), fields.get("RssAnon", 0.0), fields.get("RssFile", 0.0)


def slope_per_minute(points):
    """Least-squares slope of (seconds, MB) points, in MB per minute."""
    n = len(points)
    if n < 2:
        return 0.0
    mx = sum(t for t, _ in points) / n
    my = sum(v for _, v in points) / n
    var = sum((t - mx) ** 2 for t, _ in points)
    return 0.0 if var == 0 else sum((t - mx) * (v - my) for t, v in points) / var * 60


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--brokers", required=True)
    parser.add_argument("--crossdock", required=True)
    parser.add_argument("--masterdata", required=True)
    parser.add_argument("--rate", type=float, default=8000)
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--every", type=float, default=10)
    args = parser.parse_args()

    prefix = f"soak-{uuid.uuid4().hex[:8]}"
    source = f"{prefix}.in"
    with open(os.path.join(tempfile.gettempdir(), f"{prefix}-hub.log"), "w") as log:
        hub = e2e.Hub(args.brokers, prefix, args.masterdata, args.crossdock, log)
        e2e.create_topics(args.brokers, [source] + hub.outputs + hub.others)
        total = int(args.rate * args.seconds)
        # Started before the records are made: a child forked from a Python holding millions of
        # records would count them in its peak RSS.
        hub.start(source, total, follow=True)
        pool = scans.generate(args.masterdata, 50_000, seed=23)
        # The pool again and again, each copy made unique by its device name.
        records = [pool[i % len(pool)].replace(b'"device":"', f'"device":"{i // len(pool)}-'.encode(), 1) for i in range(total)]
        samples = []
        done = threading.Event()

        def sample():
            start = time.time()
            while not done.is_set():
                samples.append((time.time() - start, *rss_mb(hub.process.pid)))
                done.wait(args.every)

        sampler = threading.Thread(target=sample)
        sampler.start()
        achieved = e2e.paced(args.brokers, source, records, args.rate)
        done.set()
        sampler.join()
        cpu, peak = hub.stop(total)

    print(f"\nsoak: {total} scans at {achieved:.0f} msg/s for {args.seconds:.0f} s; every input came out")
    print("RSS MB over time (anonymous: heap, queues, stacks; file: code and data of the executable and libraries):")
    for at, mb, anon, file in samples:
        print(f"  {at:6.0f} s  {mb:6.1f}  anon {anon:5.1f}  file {file:5.1f}  {'#' * int(mb / 2)}")
    steady = [s for s in samples if s[0] >= WARMUP_S] or samples
    half = max(1, len(steady) // 2)
    first = sum(s[1] for s in steady[:half]) / half
    last = sum(s[1] for s in steady[-half:]) / half
    slope = slope_per_minute([(s[0], s[1]) for s in steady])
    print(f"after the first {WARMUP_S} s: first half {first:.1f} MB, second half {last:.1f} MB, drift {last - first:+.1f} MB, "
          f"trend {slope:+.2f} MB/min, max {max(s[1] for s in steady):.1f} MB; peak RSS {peak / 1024:.1f} MB")

if __name__ == "__main__":
    main()
