"""What a fetch costs the local broker, against the number of record batches in the partition.

The same scans are stored in one-partition topics twice over: once a record per batch (as a
producer with a short linger.ms writes a slow stream), once in large batches. The last `--tail`
records of each are then read by kcat in small fetches (4 KB each), and the broker's CPU time for
that reading is printed. On Kafka a fetch finds its offset through an index; on the local broker
(Tansu, memory engine) its cost grows with the batches the partition holds, whatever the offset.

Usage: brokerfetch.py --brokers HOST:PORT --broker-pid PID --masterdata DIR [--records N] [--tail N]
"""

import argparse
import subprocess
import uuid

from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, NewTopic

import e2e
import scans


def store(brokers, topic, records, one_per_batch):
    admin = AdminClient({"bootstrap.servers": brokers})
    admin.create_topics([NewTopic(topic, 1, 1)])[topic].result()
    settings = {"batch.num.messages": 1, "linger.ms": 0} if one_per_batch else {"batch.num.messages": 10000, "linger.ms": 50}
    producer = Producer({"bootstrap.servers": brokers, **settings})
    for value in records:  # a produce request holds one batch per partition: a record each
        e2e.produce(producer, topic, value, 0.01)
        producer.poll(0)
    producer.flush()


def read_tail(brokers, topic, tail):
    """The broker's CPU seconds while kcat reads the last `tail` records in 4 KB fetches."""
    before = e2e.process_cpu(e2e.BROKER["pid"])
    small = ["-X", "max.partition.fetch.bytes=4096", "-X", "fetch.max.bytes=4096", "-X", "message.max.bytes=4096"]
    out = subprocess.run(
        ["kcat", "-C", "-b", brokers, "-t", topic, "-p", "0", "-o", f"-{tail}", "-e", "-q", "-f", "%o\n"] + small,
        check=True, capture_output=True).stdout
    read = len(out.splitlines())
    if read < tail:
        raise SystemExit(f"{topic}: read {read} of the last {tail} records")
    return e2e.process_cpu(e2e.BROKER["pid"]) - before


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--brokers", required=True)
    parser.add_argument("--broker-pid", type=int, required=True)
    parser.add_argument("--masterdata", required=True)
    parser.add_argument("--records", type=int, default=20_000, help="records in the largest topic")
    parser.add_argument("--tail", type=int, default=2_000, help="records read at the end of each topic")
    args = parser.parse_args()
    e2e.BROKER["pid"] = args.broker_pid
    records = scans.generate(args.masterdata, args.records, seed=5)
    prefix = f"brokerfetch-{uuid.uuid4().hex[:6]}"
    print(f"the broker's CPU time to read the last {args.tail} records in 4 KB fetches\n")
    print(f"{'records in the partition':>25} {'stored as':>22} {'broker CPU ms':>14}")
    for count in (args.records // 4, args.records // 2, args.records):
        for one_per_batch in (True, False):
            topic = f"{prefix}.{count}.{'single' if one_per_batch else 'large'}"
            store(args.brokers, topic, records[:count], one_per_batch)
            seconds = read_tail(args.brokers, topic, args.tail)
            shape = f"{count} batches" if one_per_batch else "large batches"
            print(f"{count:25} {shape:>22} {seconds * 1000:14.0f}")


if __name__ == "__main__":
    main()
