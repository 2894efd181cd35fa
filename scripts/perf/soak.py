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


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


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
        hub.start(source, total, follow=True)
        pool = scans.generate(args.masterdata, 50_000, seed=23)
        samples = []
        done = threading.Event()

        def sample():
            start = time.time()
            while not done.is_set():
                samples.append((time.time() - start, rss_mb(hub.process.pid)))
                done.wait(args.every)

        sampler = threading.Thread(target=sample)
        sampler.start()
        # The pool again and again, each copy made unique by its device name.
        records = (pool[i % len(pool)].replace(b'"device":"', f'"device":"{i // len(pool)}-'.encode(), 1) for i in range(total))
        achieved = e2e.paced(args.brokers, source, list(records), args.rate)
        done.set()
        sampler.join()
        cpu, peak = hub.stop(total)

    print(f"\nsoak: {total} scans at {achieved:.0f} msg/s for {args.seconds:.0f} s; every input came out")
    print("RSS MB over time:")
    for at, mb in samples:
        print(f"  {at:6.0f} s  {mb:6.1f}  {'#' * int(mb / 2)}")
    third = max(1, len(samples) // 3)
    first = sum(mb for _, mb in samples[:third]) / third
    last = sum(mb for _, mb in samples[-third:]) / third
    print(f"first third {first:.1f} MB, last third {last:.1f} MB, drift {last - first:+.1f} MB; peak RSS {peak / 1024:.1f} MB")


if __name__ == "__main__":
    main()
