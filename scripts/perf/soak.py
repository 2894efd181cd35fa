"""Soak: `crossdock run` under a steady load for a long time, sampling its memory.

Offers `--rate` scans per second (default: half of the hub's saturation as docs/performance.md
gives it) for `--seconds`, samples the hub's RSS every `--every` seconds, and at the end checks
that every input came out. Prints the RSS curve and its drift (last third against first third).

With `--rotate S` the input goes to a new topic every S seconds, which the hub takes through its
raw-topic pattern, so that no input topic grows long (the local broker keeps every record in memory
and applies no retention). Topics are not deleted: deleting a topic the hub is subscribed to makes
librdkafka (2.8.0 and 2.14.2) crash on this broker's metadata answers, see docs/reliability.md.
"""

import argparse
import os
import signal
import sys
import tempfile
import threading
import time
import urllib.request
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


def broker_pid(brokers):
    """The pid of the local broker listening on `brokers`, if it runs on this machine."""
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    words = f.read().split(b"\0")
            except OSError:
                continue
            if words and words[0].endswith(b"tansu") and any(brokers.encode() in w for w in words):
                return int(entry)
    return None


def hub_metrics(port, names):
    """The hub's gauges `names` from its /metrics, in MB (NaN when it does not answer)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as response:
            text = response.read().decode()
    except OSError:
        return [float("nan")] * len(names)
    values = {}
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        name, _, value = line.partition(" ")
        values[name] = float(value) if value else float("nan")
    return [values.get(n, float("nan")) / 1e6 for n in names]


def slope_per_minute(points):
    """Least-squares slope of (seconds, MB) points, in MB per minute."""
    n = len(points)
    if n < 2:
        return 0.0
    mx = sum(t for t, _ in points) / n
    my = sum(v for _, v in points) / n
    var = sum((t - mx) ** 2 for t, _ in points)
    return 0.0 if var == 0 else sum((t - mx) * (v - my) for t, v in points) / var * 60


class Rotation:
    """Input topics `<prefix>.in.<n>`, one per period; the hub reads them by pattern."""

    def __init__(self, brokers, prefix):
        self.brokers, self.prefix = brokers, prefix
        self.pattern = "^" + f"{prefix}.in.".replace(".", "\\.")
        self.created = 1

    def topic(self, n):
        return f"{self.prefix}.in.{n}"

    def paced(self, records, rate, period):
        """Produces at `rate`, to the next topic every `period` seconds; returns the rate achieved."""
        start, per_topic = time.perf_counter(), max(1, int(rate * period))
        for n, at in enumerate(range(0, len(records), per_topic)):
            if n > 0:
                e2e.create_topics(self.brokers, [self.topic(n)])
                self.created += 1
            e2e.paced(self.brokers, self.topic(n), records[at:at + per_topic], rate)
        return len(records) / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--brokers", required=True)
    parser.add_argument("--crossdock", required=True)
    parser.add_argument("--masterdata", required=True)
    parser.add_argument("--rate", type=float, default=8000)
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--every", type=float, default=10)
    parser.add_argument("--rotate", type=float, default=60, help="a new input topic every ROTATE seconds (0: one topic)")
    args = parser.parse_args()

    prefix = f"soak-{uuid.uuid4().hex[:8]}"
    source = f"{prefix}.in"
    with open(os.path.join(tempfile.gettempdir(), f"{prefix}-hub.log"), "w") as log:
        hub = e2e.Hub(args.brokers, prefix, args.masterdata, args.crossdock, log)
        total = int(args.rate * args.seconds)
        rotation = Rotation(args.brokers, prefix) if args.rotate else None
        e2e.create_topics(args.brokers, ([rotation.topic(0)] if rotation else [source]) + hub.outputs + hub.others)
        # Started before the records are made: a child forked from a Python holding millions of
        # records would count them in its peak RSS.
        port = e2e.free_port()
        if rotation:
            hub.start(rotation.pattern, total, follow=True, librdkafka={"topic.metadata.refresh.interval.ms": 1000},
                      http=f"127.0.0.1:{port}")
        else:
            hub.start(source, total, follow=True, http=f"127.0.0.1:{port}")
        pool = scans.generate(args.masterdata, 50_000, seed=23)
        # The pool again and again, each copy made unique by its device name.
        records = [pool[i % len(pool)].replace(b'"device":"', f'"device":"{i // len(pool)}-'.encode(), 1) for i in range(total)]
        samples = []
        done = threading.Event()

        broker = broker_pid(args.brokers)

        def sample():
            start = last = time.time()
            pids = [hub.process.pid] + ([broker] if broker else [])
            used = [e2e.process_cpu(pid) for pid in pids]
            while not done.is_set():
                now = time.time()
                cpu = [e2e.process_cpu(pid) for pid in pids]
                busy = [(c - u) / max(now - last, 1e-3) * 100 for c, u in zip(cpu, used)] + [float("nan")]
                heap = hub_metrics(port, ["crossdock_heap_in_use_bytes", "crossdock_heap_free_bytes"])
                samples.append((now - start, *rss_mb(hub.process.pid), *heap, busy[0], busy[1]))
                last, used = now, cpu
                done.wait(args.every)

        sampler = threading.Thread(target=sample)
        sampler.start()
        if rotation:
            achieved = rotation.paced(records, args.rate, args.rotate)
        else:
            achieved = e2e.paced(args.brokers, source, records, args.rate)
        done.set()
        sampler.join()
        cpu, peak = hub.stop(total)

    print(f"\nsoak: {total} scans at {achieved:.0f} msg/s for {args.seconds:.0f} s; every input came out")
    if rotation:
        print(f"input topics: {rotation.created} of {args.rotate:.0f} s each, read by the hub through its raw-topic pattern")
    print("RSS MB over time (anonymous: heap, queues, stacks; file: code and data of the executable and libraries):")
    print("(heap: what the C allocator has handed out, and what it keeps free, as the hub's metrics say, every 10 s;")
    print(" CPU: share of one core since the sample before, of the hub and of the broker)")
    for at, mb, anon, file, heap, free, hub_cpu, broker_cpu in samples:
        print(f"  {at:6.0f} s  {mb:6.1f}  anon {anon:5.1f}  file {file:5.1f}  heap {heap:5.1f} free {free:5.1f}  "
              f"CPU hub {hub_cpu:3.0f} % broker {broker_cpu:3.0f} %  {'#' * int(mb / 2)}")
    steady = [s for s in samples if s[0] >= WARMUP_S] or samples
    half = max(1, len(steady) // 2)
    first = sum(s[1] for s in steady[:half]) / half
    last = sum(s[1] for s in steady[-half:]) / half
    slope = slope_per_minute([(s[0], s[1]) for s in steady])
    print(f"after the first {WARMUP_S} s: first half {first:.1f} MB, second half {last:.1f} MB, drift {last - first:+.1f} MB, "
          f"trend {slope:+.2f} MB/min, max {max(s[1] for s in steady):.1f} MB; peak RSS {peak / 1024:.1f} MB")
    later = steady[half:]
    print(f"second half ({later[0][0]:.0f}–{later[-1][0]:.0f} s): RSS {min(s[1] for s in later):.1f}–{max(s[1] for s in later):.1f} MB, "
          f"trend {slope_per_minute([(s[0], s[1]) for s in later]):+.2f} MB/min")
    heap = [(s[0], s[4]) for s in steady if s[4] == s[4]]
    if heap:
        print(f"heap in use after the first {WARMUP_S} s: {min(v for _, v in heap):.1f}–{max(v for _, v in heap):.1f} MB, "
              f"trend {slope_per_minute(heap):+.2f} MB/min")

if __name__ == "__main__":
    main()
