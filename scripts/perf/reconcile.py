"""The reconciliation stage's cost next to the hub's, in one run on the same broker.

N shipments, each a BrightLite JSON ship notice (a pallet of two cartons) and two RF scans
(received, put away), go to raw topics. `crossdock run` normalises them (3 N input records, 3 N
canonical events); then `crossdock correlate` reconciles the canonical events (N reconciliations,
N scorecard updates, and its own repartition and changelog records). Prints each process's cpu
seconds per input (start-up included) and the ratio; docs/performance.md quotes it.
  python reconcile.py --brokers HOST:PORT --crossdock BIN --masterdata DIR [--shipments N] [--rounds R] [--json FILE]
Each round runs the hub (its own group and canonical topics) and then the stage on what it wrote,
so that every round's two figures are of the same minutes; the round of the median ratio is
reported (the VM's speed drifts by a fifth within minutes).
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid

from confluent_kafka import Consumer, Producer, TopicPartition

import e2e

PARTITIONS = 4


def sscc(serial):
    body = "00614141" + f"{serial:09d}"
    total, weight = 0, 3
    for digit in reversed(body):
        total += int(digit) * weight
        weight = 4 - weight
    return body + str((10 - total % 10) % 10)


def inputs(shipments):
    """(topic kind, value) of every input: a notice then its two scans, per shipment."""
    for n in range(shipments):
        pallet, first, second = sscc(1_000_000 + 3 * n), sscc(1_000_001 + 3 * n), sscc(1_000_002 + 3 * n)
        notice = {
            "asnNumber": f"P-{n}", "supplier": "BRIGHTLITE", "shipTo": "0614141000012",
            "shippedAt": "2026-11-23T16:00:00-05:00", "expectedArrivalAt": "2026-11-24T12:00:00-05:00",
            "handlingUnits": [
                {"sscc": pallet, "packaging": "PLT"},
                {"sscc": first, "packaging": "CTN", "parent": pallet,
                 "lines": [{"item": {"gtin": "00614141000029"}, "quantity": 2, "uom": "case", "poNumber": "PO-1", "poLine": "1"}]},
                {"sscc": second, "packaging": "CTN", "parent": pallet,
                 "lines": [{"item": {"gtin": "00614141000012"}, "quantity": 1, "uom": "case", "poNumber": "PO-1", "poLine": "2"}]},
            ],
        }
        minute = n % 600
        received = f"2026-11-24T{8 + minute // 60:02d}:{minute % 60:02d}:00-05:00"
        stocked = f"2026-11-24T{8 + minute // 60:02d}:{minute % 60:02d}:40-05:00"
        yield "asn", json.dumps(notice)
        for action, at, where in (("RCV", received, "DOCK3"), ("PUT", stocked, "DC-ATL/STO/A01/01/A")):
            yield "scans", json.dumps({
                "gateway": "dc-atl-rf", "device": "rf-1", "site": "DC-ATL", "scannedAt": at, "action": action,
                "location": where, "barcode": "]C100" + pallet})


def peak_rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def count_records(brokers, topics):
    """The records the topics hold, read from the start (the local broker's high watermarks can
    lag behind what it stored, so they are counted)."""
    consumer = Consumer({"bootstrap.servers": brokers, "group.id": "perf-count"})
    consumer.assign([TopicPartition(t, p, -2) for t in topics for p in range(PARTITIONS)])
    count = 0
    try:
        # Until nothing more comes for a second (end-of-partition events are not reliable on an
        # empty partition of the local broker).
        while True:
            messages = [m for m in consumer.consume(10000, timeout=1) if not m.error()]
            if not messages:
                return count
            count += len(messages)
    finally:
        consumer.close()


def run_until(command, brokers, topics, expected, timeout):
    """Starts a crossdock process and waits until `topics` hold `expected` records; returns its
    cpu seconds, wall seconds and peak RSS at that moment, then stops it."""
    started = time.time()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            if process.poll() is not None:
                raise SystemExit(f"{command[1]} ended early with status {process.returncode}")
            # The cpu it has used by the time its outputs are all there (an idle process uses next
            # to none while they are counted).
            if e2e.high_watermarks(brokers, topics) >= expected or count_records(brokers, topics) >= expected:
                return e2e.process_cpu(process.pid), time.time() - started, peak_rss_mb(process.pid)
            if time.time() - started > timeout:
                raise SystemExit(f"{command[1]}: fewer than {expected} records on {topics} after {timeout} s")
            time.sleep(0.5)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)


def round_config(options, prefix, raw, suffix):
    """A configuration whose hub and stage write to topics and groups of their own (`suffix`),
    reading the same raw topics."""
    topics = {name: f"{prefix}.{name}{suffix}" for name in (
        "notices", "inventory", "status", "rejected", "acks", "acks-in", "reconciliations", "scorecards")}
    e2e.create_topics(options.brokers, list(topics.values()), PARTITIONS)
    config = tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False)
    config.write(f"""brokers: {options.brokers}
group: {prefix}-hub{suffix}
http: 127.0.0.1:0
masterdata: {options.masterdata}
topics:
  raw: {{{raw['asn']}: asn, {raw['scans']}: scan}}
  shipmentNotices: {topics['notices']}
  inventoryEvents: {topics['inventory']}
  carrierStatus: {topics['status']}
  rejected: {topics['rejected']}
  acknowledgments: {topics['acks']}
  acknowledgmentsReceived: {topics['acks-in']}
  receiptReconciliations: {topics['reconciliations']}
  supplierScorecards: {topics['scorecards']}
reconciliation: {{group: {prefix}-reconcile{suffix}}}
""")
    config.close()
    return config.name, topics


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--brokers", required=True)
    parser.add_argument("--crossdock", required=True)
    parser.add_argument("--masterdata", required=True)
    parser.add_argument("--shipments", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=3,
                        help="hub-then-stage rounds on the same inputs (the VM's speed drifts); the median is reported")
    parser.add_argument("--json")
    options = parser.parse_args()
    prefix = f"perf-rec-{uuid.uuid4().hex[:8]}"
    raw = {name: f"{prefix}.{name}" for name in ("asn", "scans")}
    e2e.create_topics(options.brokers, list(raw.values()), PARTITIONS)

    producer = Producer({"bootstrap.servers": options.brokers, "linger.ms": 20, "batch.num.messages": 10000})
    count = 0
    for kind, value in inputs(options.shipments):
        while True:
            try:
                producer.produce(raw[kind], value=value.encode())
                break
            except BufferError:
                producer.poll(0.05)
        producer.poll(0)
        count += 1
    producer.flush()
    print(f"{count} inputs produced", file=sys.stderr)

    events = 3 * options.shipments
    rounds = []
    for number in range(options.rounds):
        config, topics = round_config(options, prefix, raw, f"-r{number}")
        print(f"round {number + 1}: the hub", file=sys.stderr)
        hub_cpu, hub_wall, hub_rss = run_until(
            [options.crossdock, "run", "--config", config, "--log-level", "error"], options.brokers,
            [topics["notices"], topics["inventory"]], events, 600)
        if count_records(options.brokers, [topics["rejected"]]) > 0:
            raise SystemExit("the hub rejected some of the inputs; the comparison needs them all canonical")
        print(f"round {number + 1}: the reconciliation stage", file=sys.stderr)
        stage_cpu, stage_wall, stage_rss = run_until(
            [options.crossdock, "correlate", "--config", config, "--log-level", "error"], options.brokers,
            [topics["reconciliations"]], options.shipments, 900)
        os.unlink(config)
        hub_us, stage_us = hub_cpu / count * 1e6, stage_cpu / events * 1e6
        rounds.append({
            "hub": {"cpu_s": hub_cpu, "wall_s": round(hub_wall, 2), "cpu_us_per_input": round(hub_us, 1), "peak_rss_mb": round(hub_rss, 1)},
            "stage": {"cpu_s": stage_cpu, "wall_s": round(stage_wall, 2), "cpu_us_per_event": round(stage_us, 1), "peak_rss_mb": round(stage_rss, 1)},
            "stage_over_hub": round(stage_us / hub_us, 2),
        })

    # The round of the median ratio, so that its figures are one round's, side by side.
    median = sorted(rounds, key=lambda r: r["stage_over_hub"])[len(rounds) // 2]
    result = {"shipments": options.shipments, "inputs": count, "canonical_events": events,
              "hub": median["hub"], "stage": median["stage"], "stage_over_hub": median["stage_over_hub"],
              "rounds": rounds}
    print(f"{'':24}{'cpu s':>8}{'wall s':>8}{'µs/msg':>9}{'peak RSS MB':>13}")
    for number, r in enumerate(rounds):
        hub, stage = r["hub"], r["stage"]
        print(f"round {number + 1}")
        print(f"{'  crossdock run':24}{hub['cpu_s']:8.2f}{hub['wall_s']:8.1f}{hub['cpu_us_per_input']:9.1f}{hub['peak_rss_mb']:13.1f}   per input record")
        print(f"{'  crossdock correlate':24}{stage['cpu_s']:8.2f}{stage['wall_s']:8.1f}{stage['cpu_us_per_event']:9.1f}{stage['peak_rss_mb']:13.1f}   per canonical event")
        print(f"  stage / hub: {r['stage_over_hub']}")
    print(f"stage / hub, cpu per message, median of {len(rounds)} rounds: {result['stage_over_hub']} "
          f"({median['stage']['cpu_us_per_event']} against {median['hub']['cpu_us_per_input']} µs; goal of issue 34: <= 1.0)")
    if options.json:
        with open(options.json, "w") as f:
            json.dump(result, f, indent=2)


if __name__ == "__main__":
    main()
