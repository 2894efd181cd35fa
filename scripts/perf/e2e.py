"""End-to-end comparison on one broker, in one run: `crossdock run` against a raw librdkafka
passthrough (kcat consuming into kcat producing, the practical limit) and a Python normaliser on
confluent-kafka (the usual alternative).

Every system reads the same pre-loaded scans and writes one record per scan:
- throughput: messages per second between the first and the last output record (their producer
  timestamps, read back after the run), input MB/s, CPU per message (user + system time of the
  processes over the whole run, start-up included) and peak RSS (VmHWM of the processes);
- latency at half of the hub's saturation rate, the same offered load for all three: input produce
  time to output produce time (both Kafka CreateTime, milliseconds), p50 and p99, and the peak RSS
  of that run (RSS MB: the process under a steady load, as against the peak while draining the
  backlog of the throughput run).
Every run also checks that every input came out (events + rejections = inputs).
With --baseline-crossdock, a second crossdock executable (the build before a change) is measured
in the same run, and the change is reported as ratios against it.
"""

import argparse
import datetime
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid

from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

import scans

HERE = os.path.dirname(os.path.abspath(__file__))
PARTITIONS = 2
# fetch.wait.max.ms of every consumer while latency is measured (--latency-fetch-wait-ms). The local
# broker answers a fetch that has to wait for data late (about a quarter of the wait on average,
# where Kafka answers as soon as data arrives), so all three systems use the same short wait there,
# on fresh small topics. Elsewhere they keep librdkafka's 500 ms: on a long topic the local broker
# needs more than 10 ms to serve a fetch at a high offset, and a 10 ms wait starves the consumer.
LIBRDKAFKA_FETCH_WAIT_MS = 500
LATENCY_FETCH_WAIT_MS = 10
# linger.ms of the producer that offers the paced load (--input-linger-ms): librdkafka's own default,
# as a scanner gateway built on it would have. The local broker's fetch costs time in proportion to
# the number of record batches the partition holds (scripts/perf/brokerfetch.py), and at 1 ms a
# 20,000 msg/s load makes five times the batches of 5 ms: within ten seconds every consumer, the
# passthrough too, waits tens of milliseconds for each fetch, whatever it does with the records.
INPUT_LINGER_MS = 5
# The hub's producer settings (KafkaConfiguration.producerDefaults), for the librdkafka floor.
HUB_PRODUCER = {"enable.idempotence": "true", "acks": "all", "linger.ms": "5", "compression.type": "lz4"}


def create_topics(brokers, names, partitions=None):
    admin = AdminClient({"bootstrap.servers": brokers})
    for future in admin.create_topics([NewTopic(n, partitions or PARTITIONS, 1) for n in names]).values():
        future.result()


def produce(producer, topic, value, wait):
    """Produces one record; while the local queue is full, serves deliveries for `wait` seconds."""
    while True:
        try:
            producer.produce(topic, value=value)
            return
        except BufferError:
            producer.poll(wait)


def load(brokers, topic, records):
    producer = Producer({"bootstrap.servers": brokers, "linger.ms": 20, "batch.num.messages": 10000})
    for value in records:
        produce(producer, topic, value, 0.05)
        producer.poll(0)
    producer.flush()


def high_watermarks(brokers, topics):
    """The sum of the topics' high watermarks (the local broker reports them a batch late at most)."""
    consumer = Consumer({"bootstrap.servers": brokers, "group.id": "perf-watermarks"})
    try:
        metadata = consumer.list_topics(timeout=5).topics
        return sum(
            consumer.get_watermark_offsets(TopicPartition(t, p), timeout=5, cached=False)[1]
            for t in topics for p in (metadata[t].partitions if t in metadata else range(PARTITIONS)))
    finally:
        consumer.close()


def read_back(brokers, topics, fields="%T"):
    """Every record of the topics as kcat prints it (one line each), from the beginning."""
    lines = []
    for topic in topics:
        out = subprocess.run(
            ["kcat", "-C", "-b", brokers, "-t", topic, "-o", "beginning", "-e", "-q", "-f", fields + "\n"],
            check=True, capture_output=True).stdout
        lines += out.splitlines()
    return lines


def wait_settled(brokers, topics, expected, timeout):
    """Waits until the output topics hold `expected` records: until their high watermarks stop
    growing (the local broker reports them a batch late), then counts the records themselves."""
    deadline = time.time() + timeout
    last, since = -1, time.time()
    while time.time() < deadline:
        now = high_watermarks(brokers, topics)
        if expected and now >= expected:
            # The local broker reports watermarks late, never early: every output is there. The
            # systems are stopped now, not after idling through the count below.
            broker_mark_end()
            return
        if now != last:
            last, since = now, time.time()
        elif now > 0 and time.time() - since > 1.5:
            broker_mark_end()
            counted = len(read_back(brokers, topics))
            if counted >= expected:
                return
            last, since = counted, time.time()
        time.sleep(0.2)
    raise SystemExit(f"outputs did not settle: {last} of {expected} after {timeout} s")


def process_cpu(pid):
    """The cpu seconds a running process (all its threads) has used so far; None without a pid."""
    if not pid:
        return None
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# The broker's cpu time when a system's last output was stored, before the harness reads the
# outputs back to count them (which costs the broker too, more for larger records).
BROKER = {"pid": None, "at_end": None}


def broker_mark_end():
    BROKER["at_end"] = process_cpu(BROKER["pid"])


def rusage_of(process):
    """Waits for the process and returns its cpu seconds."""
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_utime + usage.ru_stime


class HighWater:
    """The peak resident memory of processes, in kB: their VmHWM, read every 50 ms while they run.
    Not getrusage: a child's ru_maxrss keeps the resident size of the Python it was forked from
    (measured: every system showed the harness's 144 MB after the throughput run, and up to 527 MB
    after the latency run, whose harness holds the generated records)."""

    def __init__(self, *processes):
        self.kb = {process.pid: 0 for process in processes}
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.done.is_set():
            for pid in self.kb:
                try:
                    with open(f"/proc/{pid}/status") as status:
                        for line in status:
                            if line.startswith("VmHWM:"):
                                self.kb[pid] = max(self.kb[pid], int(line.split()[1]))
                except OSError:
                    pass
            self.done.wait(0.05)

    def stop(self):
        self.done.set()
        self.thread.join()
        return sum(self.kb.values())


# The three systems: start(source, count, follow) reads `count` records from `source` into their
# output topics, either draining what is there (follow=False) or following a live stream
# (follow=True); stop(expected) ends them and returns (cpu seconds, max rss kB).

class Passthrough:
    name = "passthrough (kcat → kcat)"
    others = []  # topics it needs besides its outputs

    def __init__(self, brokers, prefix):
        self.brokers, self.outputs = brokers, [f"{prefix}.pass.out"]

    def start(self, source, count, follow, fetch_wait_ms=LIBRDKAFKA_FETCH_WAIT_MS):
        args = ["kcat", "-C", "-b", self.brokers, "-t", source, "-o", "beginning", "-q", "-f", "%s\n",
                "-X", f"fetch.wait.max.ms={fetch_wait_ms}"]
        self.follow = follow
        # Draining, it exits at the end of the input; following, its output must not sit in a
        # stdio buffer (-u).
        self.consumer = subprocess.Popen(args + (["-u"] if follow else ["-e"]), stdout=subprocess.PIPE)
        self.producer = subprocess.Popen(
            ["kcat", "-P", "-b", self.brokers, "-t", self.outputs[0], "-X", "linger.ms=5"], stdin=self.consumer.stdout)
        self.consumer.stdout.close()
        self.memory = HighWater(self.consumer, self.producer)

    def stop(self, expected):
        if self.follow:
            # kcat -P holds back the last lines it read until more come or its input ends: wait
            # until the output stops growing, end the consumer, then count.
            wait_settled(self.brokers, self.outputs, 0, 120)
            self.consumer.send_signal(signal.SIGTERM)
        cpu = rusage_of(self.consumer) + rusage_of(self.producer)
        broker_mark_end()
        rss = self.memory.stop()
        counted = len(read_back(self.brokers, self.outputs))
        if counted < expected:
            raise SystemExit(f"{self.name}: {counted} outputs for {expected} inputs")
        return cpu, rss


class PythonBaseline:
    name = "Python + confluent-kafka"
    others = []

    def __init__(self, brokers, prefix, masterdata):
        self.brokers, self.masterdata, self.outputs = brokers, masterdata, [f"{prefix}.py.out"]

    def start(self, source, count, follow, fetch_wait_ms=LIBRDKAFKA_FETCH_WAIT_MS):
        self.process = subprocess.Popen(
            [sys.executable, os.path.join(HERE, "baseline.py"), self.brokers, self.masterdata, source, self.outputs[0], str(count),
             str(fetch_wait_ms)],
            stdout=subprocess.PIPE)
        self.memory = HighWater(self.process)

    def stop(self, expected):
        cpu = rusage_of(self.process)
        broker_mark_end()
        rss = self.memory.stop()
        if self.process.returncode != 0:
            raise SystemExit("the Python baseline failed")
        return cpu, rss


class Hub:
    """`kind`: what the raw topic carries (scan, or asn: then its outputs are the notices, the
    rejections and the acknowledgments)."""

    def __init__(self, brokers, prefix, masterdata, executable, log, name="crossdock run", infix="hub", kind="scan"):
        self.brokers, self.masterdata, self.executable, self.log, self.name = brokers, masterdata, executable, log, name
        self.kind = kind
        self.prefix = f"{prefix}.{infix}" if infix != "hub" else prefix
        names = ("inventory", "rejected", "notices", "status", "md.locations", "md.items", "acks")
        topics = {n: f"{prefix}.{infix}.{n}" for n in names}
        produced = ("inventory", "rejected") if kind == "scan" else ("notices", "rejected", "acks")
        self.outputs = [topics[n] for n in produced]
        self.others = [topics[n] for n in names if n not in produced]
        self.topics = topics

    def start(self, source, count, follow, fetch_wait_ms=LIBRDKAFKA_FETCH_WAIT_MS, librdkafka=None, http="127.0.0.1:0"):
        """`source` is a topic or a `^pattern` over topic names; `librdkafka` adds client properties."""
        tag = "follow" if follow else "throughput"
        properties = {"fetch.wait.max.ms": fetch_wait_ms, **(librdkafka or {})}
        # One file per process: members of one group differ in their HTTP port.
        config = os.path.join(tempfile.gettempdir(), f"{self.prefix}-{tag}-{uuid.uuid4().hex[:6]}.yaml")
        with open(config, "w") as f:
            f.write(f"""brokers: {self.brokers}
{os.environ.get("CROSSDOCK_PERF_EXTRA", "")}
group: {self.prefix}.{tag}
librdkafka: {{{", ".join(f"{k}: '{v}'" for k, v in properties.items())}}}
http: {http}
masterdata: {self.masterdata}
topics:
  raw: {{'{source}': {self.kind}}}
  shipmentNotices: {self.topics["notices"]}
  inventoryEvents: {self.topics["inventory"]}
  carrierStatus: {self.topics["status"]}
  rejected: {self.topics["rejected"]}
  acknowledgments: {self.topics["acks"]}
  masterDataLocations: {self.topics["md.locations"]}
  masterDataItems: {self.topics["md.items"]}
""")
        self.process = subprocess.Popen(
            [self.executable, "run", "--config", config, "--log-level", os.environ.get("CROSSDOCK_PERF_HUB_LOG", "warning")], stdout=self.log, stderr=self.log)
        self.memory = HighWater(self.process)

    def stop(self, expected):
        cpu, _, rss = stop_hubs([self], expected)
        return cpu, rss


def throughput(system, brokers, source, count, input_bytes):
    start = time.time()
    broker_before = process_cpu(BROKER["pid"])
    system.start(source, count, follow=False)
    cpu, rss = system.stop(count)
    # The broker's share: serving the system's fetches and storing its outputs (and the harness's
    # polls of the high watermarks, which are few), until the last output was stored.
    broker_cpu = None if broker_before is None else BROKER["at_end"] - broker_before
    stamps = sorted(int(t) for t in read_back(brokers, system.outputs))
    if len(stamps) < count:
        raise SystemExit(f"{system.name}: {len(stamps)} outputs for {count} inputs: records were lost")
    seconds = max(1e-3, (stamps[-1] - stamps[0]) / 1000)
    rate = (len(stamps) - 1) / seconds
    return {
        "outputs": len(stamps), "msgs_per_s": rate, "mb_per_s": rate * input_bytes / count / 1e6,
        "cpu_us_per_msg": cpu / count * 1e6, "peak_rss_mb": rss / 1024, "wall_s": time.time() - start,
        "broker_cpu_us_per_msg": None if broker_cpu is None else broker_cpu / count * 1e6,
    }


def librdkafka_floor(brokers, source, hub, count):
    """What librdkafka alone spends per message on the hub's I/O, after the hub's throughput run:
    kcat consuming the `count` inputs, and kcat producing the hub's outputs (their values, one per
    line; no headers) into a new topic with the hub's producer settings. kcat's own reading and
    writing of lines is in it, the hub's four headers per output are not."""
    values = read_back(brokers, hub.outputs, "%s")
    target = f"{hub.prefix}.floor"
    create_topics(brokers, [target])
    with tempfile.NamedTemporaryFile(suffix=".jsonl") as lines:
        lines.write(b"\n".join(values) + b"\n")
        lines.flush()
        consumer = subprocess.Popen(
            ["kcat", "-C", "-b", brokers, "-t", source, "-o", "beginning", "-e", "-q", "-f", "%s\n"], stdout=subprocess.DEVNULL)
        consume = rusage_of(consumer)
        settings = [arg for key, value in HUB_PRODUCER.items() for arg in ("-X", f"{key}={value}")]
        producer = subprocess.Popen(["kcat", "-P", "-b", brokers, "-t", target, "-l", lines.name] + settings)
        produce = rusage_of(producer)
    if consumer.returncode != 0 or producer.returncode != 0:
        raise SystemExit("kcat failed while measuring librdkafka's floor")
    consume, produce = consume / count * 1e6, produce / len(values) * 1e6
    return {
        "consume_us_per_msg": consume, "produce_us_per_msg": produce, "us_per_msg": consume + produce,
        "output_bytes": sum(map(len, values)) / len(values),
    }


def stop_hubs(hubs, expected):
    """Waits until the hubs' shared outputs hold `expected` records, then stops them: their total
    cpu seconds, their cpu seconds when the last output was there (an idle hub's shutdown left
    out), and their peak RSS in kB, summed."""
    try:
        wait_settled(hubs[0].brokers, hubs[0].outputs, expected, 300)
    except SystemExit:
        for hub in hubs:
            hub.process.kill()  # not left running behind a failed run
        raise
    at_end = sum(process_cpu(hub.process.pid) for hub in hubs)
    cpu, rss = 0.0, 0
    for hub in hubs:
        hub.process.send_signal(signal.SIGTERM)
        cpu += rusage_of(hub.process)
        rss += hub.memory.stop()
        if hub.process.returncode != 0:
            raise SystemExit(f"{hub.name} exited with {hub.process.returncode}")
    return cpu, at_end, rss


def start_ready(hubs, source, partitions):
    """Starts `hubs` following `source` and waits until they own its partitions between them,
    each some; their cpu seconds then (start-up and joining the group, left out of a figure)."""
    ports = [free_port() for _ in hubs]
    for hub, port in zip(hubs, ports):
        hub.start(source, 0, follow=True, http=f"127.0.0.1:{port}")
    deadline = time.time() + 90
    while True:
        owned = [assigned_partitions(port) for port in ports]
        if sum(owned) == partitions and all(owned):
            return sum(process_cpu(hub.process.pid) for hub in hubs)
        if time.time() > deadline:
            for hub in hubs:
                hub.process.kill()
            raise SystemExit(f"{len(hubs)} hub(s) did not own the {partitions} partitions within 90 s: {owned}")
        time.sleep(0.2)


SCALE_PARTITIONS = 8


def free_port():
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def assigned_partitions(port):
    """The partitions a hub says it owns (its /readyz), 0 while it does not answer."""
    import urllib.error
    import urllib.request
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as response:
            body = response.read()
    except urllib.error.HTTPError as error:  # 503 until ready: the body says why
        body = error.read()
    except OSError:
        return 0
    try:
        return json.loads(body).get("partitionsAssigned", 0)
    except ValueError:
        return 0


def scale_out(brokers, prefix, masterdata, executable, log, records, rounds):
    """One hub, then two hubs in one group, each time on the same scans in an 8-partition topic
    into fresh 8-partition outputs. The hubs start on the empty topic and the scans are loaded once
    every member owns partitions; the cpu counted is the hubs' from then until the last output
    (the group's steady cost, not start-up or a rebalance's re-reading), and the rate.

    `rounds` pairs, alternating which runs first: single runs' ratios spread as wide as the goal
    (0.84 to 1.33 in four runs of one day), so each round's two runs are compared with each
    other and the round with the median ratio is the one reported, with every round's ratio."""
    rounds_run = []
    for number in range(rounds):
        results = {}
        for members in ((1, 2) if number % 2 == 0 else (2, 1)):
            infix = f"scale{members}r{number}"
            source = f"{prefix}.{infix}.in"
            hubs = [Hub(brokers, prefix, masterdata, executable, log, f"crossdock run ({members} of {members})", infix)
                    for _ in range(members)]
            create_topics(brokers, [source] + hubs[0].outputs + hubs[0].others, SCALE_PARTITIONS)
            ready = start_ready(hubs, source, SCALE_PARTITIONS)
            load(brokers, source, records)
            _, at_end, _ = stop_hubs(hubs, len(records))
            stamps = sorted(int(t) for t in read_back(brokers, hubs[0].outputs))
            if len(stamps) < len(records):
                raise SystemExit(f"{members} hubs: {len(stamps)} outputs for {len(records)} inputs: records were lost")
            results[members] = {
                "cpu_us_per_msg": (at_end - ready) / len(records) * 1e6, "outputs": len(stamps),
                "msgs_per_s": (len(stamps) - 1) / max(1e-3, (stamps[-1] - stamps[0]) / 1000),
            }
        results["ratio"] = results[2]["cpu_us_per_msg"] / results[1]["cpu_us_per_msg"]
        print(f"scale-out round {number + 1}: two hubs / one {results['ratio']:.2f}", file=sys.stderr)
        rounds_run.append(results)
    median = sorted(rounds_run, key=lambda r: r["ratio"])[len(rounds_run) // 2]
    return {1: median[1], 2: median[2], "ratios": [r["ratio"] for r in rounds_run]}


def ship_notices(count, items):
    """`count` X12 interchanges from ACME, each one 856 of `items` item lines (big856's sets)."""
    import big856
    notices = []
    for number in range(1, count + 1):
        control = f"{number:09d}"
        notices.append((
            f"ISA*00*          *00*          *ZZ*ACMEIND        *ZZ*CROSSDOCK      *261120*0915*U*00401*{control}*0*P*>~\n"
            f"GS*SH*ACMEIND*CROSSDOCK*20261120*0915*{number}*X*004010~\n"
            + big856.ship_notice(number, items) + f"GE*1*{number}~\nIEA*1*{control}~\n").encode())
    return notices


def acknowledgment_cost(brokers, prefix, masterdata, executable, log, count, items, rounds):
    """The hub's cpu per X12 856 input with ACME's profile asking for a 997 (its default) and
    asking for none, in rounds of one run of each, which goes first alternating: what the
    acknowledgment path adds to an EDI input's cost, as the round of the median ratio has it."""
    import shutil
    notices = ship_notices(count, items)
    silent = os.path.join(tempfile.mkdtemp(prefix="perf-masterdata-"), "network")
    shutil.copytree(masterdata, silent)
    with open(os.path.join(silent, "partners", "acme-industrial.yaml"), "a") as profile:
        profile.write("acknowledgments: {x12: none, ta1: never}\n")
    # The difference is a few percent of runs that spread by a fifth as the VM's speed drifts:
    # each round's two runs are minutes apart at most, and the ratio is taken within a round.
    # The cpu counted is the hub's from when it owns the input's partitions to its last output.
    runs = {"with 997": [], "without": []}
    kinds = [("with 997", masterdata, 2 * count), ("without", silent, count)]
    for round in range(rounds):
        for name, data, expected in (kinds if round % 2 == 0 else kinds[::-1]):
            infix = f"acks{'997' if expected > count else 'none'}{round}"
            hub = Hub(brokers, prefix, data, executable, log, f"crossdock run, 856 {name}", infix, kind="asn")
            source = f"{prefix}.{infix}.in"
            create_topics(brokers, [source] + hub.outputs + hub.others)
            ready = start_ready([hub], source, PARTITIONS)
            load(brokers, source, notices)
            _, at_end, _ = stop_hubs([hub], expected)
            outputs = len(read_back(brokers, hub.outputs))
            if outputs != expected:
                raise SystemExit(f"{hub.name}: {outputs} outputs, {expected} expected")
            runs[name].append((at_end - ready) / count * 1e6)
    ratios = [with_997 / without for with_997, without in zip(runs["with 997"], runs["without"])]
    median = sorted(range(rounds), key=lambda r: ratios[r])[rounds // 2]
    shutil.rmtree(os.path.dirname(silent))
    return {"bytes_per_input": sum(map(len, notices)) / count, "items": items,
            "us_per_input_with_997": runs["with 997"][median], "us_per_input_without": runs["without"][median],
            "added": ratios[median] - 1, "ratios": ratios, "runs": runs}


def paced(brokers, topic, records, rate):
    """Produces the records at `rate` per second; returns what it achieved. Every record due is
    produced, then the producer sleeps up to a millisecond serving deliveries: a pacer that spins
    between records would take a core from the system it measures on a 2-core machine."""
    producer = Producer({"bootstrap.servers": brokers, "linger.ms": INPUT_LINGER_MS})
    start = time.perf_counter()
    index = 0
    while index < len(records):
        due = min(len(records), int((time.perf_counter() - start) * rate) + 1)
        while index < due:
            produce(producer, topic, records[index], 0.001)
            index += 1
        producer.poll(0.001)
    producer.flush()
    return len(records) / (time.perf_counter() - start)


def percentile(values, fraction):
    values = sorted(values)
    return values[min(len(values) - 1, int(fraction * len(values)))]


def epoch_ms(text):
    return int(datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000 + 0.5)


def latency(system, brokers, prefix, masterdata, rate, seconds):
    tag = uuid.uuid4().hex[:6]
    source = f"{prefix}.lat.{tag}.in"
    system.outputs = [o.replace(prefix, f"{prefix}.lat.{tag}", 1) for o in system.outputs]
    system.others = [o.replace(prefix, f"{prefix}.lat.{tag}", 1) for o in system.others]
    if hasattr(system, "topics"):
        system.topics = {k: v.replace(prefix, f"{prefix}.lat.{tag}", 1) for k, v in system.topics.items()}
    create_topics(brokers, [source] + system.outputs + system.others)
    count = max(1000, int(rate * seconds))
    warmup = scans.generate(masterdata, 200, seed=7)
    records = scans.generate(masterdata, count, seed=11)
    system.start(source, count + len(warmup), follow=True, fetch_wait_ms=LATENCY_FETCH_WAIT_MS)
    # Wait until it is consuming (group joined) before the measured stream starts.
    load(brokers, source, warmup)
    deadline = time.time() + 60
    while high_watermarks(brokers, system.outputs) == 0:
        if time.time() > deadline:
            raise SystemExit(f"{system.name} produced nothing within 60 s")
        time.sleep(0.1)
    time.sleep(1)
    achieved = paced(brokers, source, records, rate)
    _, steady_rss = system.stop(count + len(warmup))
    sent = {}
    for line in read_back(brokers, [source], "%T %s"):
        stamp, value = line.split(b" ", 1)
        sent[value] = int(stamp)
    measured = set(records)
    stamps = [sent[r] for r in records if r in sent]
    if not stamps:
        raise SystemExit(f"{system.name}: none of the paced records was read back from {source}")
    first_sent, last_sent = min(stamps), max(stamps)
    timed = []  # (input produce time, delay)
    for topic in system.outputs:
        for line in read_back(brokers, [topic], "%T %s"):
            stamp, value = line.split(b" ", 1)
            if value in sent:  # passthrough, or a rejection carrying the input bytes
                if value in measured:
                    timed.append((sent[value], int(stamp) - sent[value]))
                continue
            event = json.loads(value)
            recorded = event.get("recordedtime")
            if recorded is None:
                continue
            recorded = recorded if isinstance(recorded, int) else epoch_ms(recorded)
            if recorded >= first_sent:  # not the warm-up's
                timed.append((recorded, int(stamp) - recorded))
    delays = [delay for _, delay in timed]
    # The delays by second of the paced run: the local broker slows as a topic grows, for every
    # system alike, so the first and the last second tell the broker's part from the system's.
    seconds_seen = {}
    for sent_at, delay in timed:
        seconds_seen.setdefault((sent_at - first_sent) // 1000, []).append(delay)
    whole = (last_sent - first_sent) // 1000  # seconds of the paced run that ended before its last record
    full = [seconds_seen[s] for s in sorted(seconds_seen) if s < whole]
    return {
        "rate": achieved, "p50_ms": percentile(delays, 0.5), "p99_ms": percentile(delays, 0.99), "samples": len(delays),
        "steady_rss_mb": steady_rss / 1024,
        "p99_first_second_ms": percentile(full[0], 0.99) if full else None,
        "p99_last_second_ms": percentile(full[-1], 0.99) if full else None,
    }


def main():
    global LATENCY_FETCH_WAIT_MS, INPUT_LINGER_MS
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--brokers", required=True)
    parser.add_argument("--crossdock", required=True, help="the crossdock executable (a release build)")
    parser.add_argument("--masterdata", required=True)
    parser.add_argument("--count", type=int, default=300_000)
    parser.add_argument("--latency-seconds", type=float, default=10)
    parser.add_argument("--json", help="also write the results here")
    parser.add_argument("--baseline-crossdock", help="another crossdock executable (the build before a change) measured in the same run")
    parser.add_argument("--broker-pid", type=int, help="the broker's process, to count its CPU time per message too")
    parser.add_argument("--latency-fetch-wait-ms", type=int, default=LATENCY_FETCH_WAIT_MS,
                        help="fetch.wait.max.ms of every consumer while latency is measured")
    parser.add_argument("--input-linger-ms", type=float, default=INPUT_LINGER_MS,
                        help="linger.ms of the producer that offers the paced load while latency is measured")
    parser.add_argument("--scale-count", type=int, help="scans for the scale-out runs (default: --count)")
    parser.add_argument("--ack-rounds", type=int, default=5, help="rounds of the acknowledgment path's pair of runs")
    parser.add_argument("--scale-rounds", type=int, default=3,
                        help="rounds of one hub and two, alternating which runs first; the median round is reported")
    parser.add_argument("--ack-count", type=int, default=2000, help="X12 856 inputs for the acknowledgment path's cost")
    parser.add_argument("--ack-items", type=int, default=100, help="item lines of each of those 856s")
    args = parser.parse_args()

    prefix = f"perf-{uuid.uuid4().hex[:8]}"
    source = f"{prefix}.in"
    LATENCY_FETCH_WAIT_MS = args.latency_fetch_wait_ms
    INPUT_LINGER_MS = args.input_linger_ms
    BROKER["pid"] = args.broker_pid
    records = scans.generate(args.masterdata, args.count)
    input_bytes = sum(len(r) for r in records)
    with open(os.path.join(tempfile.gettempdir(), f"{prefix}-hub.log"), "w") as log:
        systems = [
            Passthrough(args.brokers, prefix),
            Hub(args.brokers, prefix, args.masterdata, args.crossdock, log),
            PythonBaseline(args.brokers, prefix, args.masterdata),
        ]
        if args.baseline_crossdock:
            systems.append(Hub(args.brokers, prefix, args.masterdata, args.baseline_crossdock, log, "crossdock run, baseline", "base"))
        create_topics(args.brokers, [source] + [t for s in systems for t in s.outputs + s.others])
        print(f"loading {args.count} scans ({input_bytes / args.count:.0f} bytes on average) into {source}", file=sys.stderr)
        load(args.brokers, source, records)
        results = {}
        for system in systems:
            print(f"throughput: {system.name}", file=sys.stderr)
            results[system.name] = throughput(system, args.brokers, source, args.count, input_bytes)
        print("librdkafka alone on the hub's inputs and outputs (kcat)", file=sys.stderr)
        floor = librdkafka_floor(args.brokers, source, systems[1], args.count)
        # Latency under the same offered load for all three: half of the hub's saturation rate.
        rate = results[systems[1].name]["msgs_per_s"] / 2
        for system in systems:
            print(f"latency at {rate:.0f} msg/s: {system.name}", file=sys.stderr)
            results[system.name].update(latency(system, args.brokers, prefix, args.masterdata, rate, args.latency_seconds))
            results[system.name]["latency_rate"] = results[system.name].pop("rate")
        print(f"scale-out: one hub, then two in one group, on {SCALE_PARTITIONS} partitions", file=sys.stderr)
        scale = scale_out(args.brokers, prefix, args.masterdata, args.crossdock, log, records[:args.scale_count or args.count],
                          args.scale_rounds)
        print(f"acknowledgment path: {args.ack_count} X12 856s of {args.ack_items} lines, with a 997 and without", file=sys.stderr)
        acks = acknowledgment_cost(args.brokers, prefix, args.masterdata, args.crossdock, log, args.ack_count, args.ack_items,
                                   args.ack_rounds)

    passthrough, hub, python = (results[s.name] for s in systems[:3])
    print(f"\n{args.count} single-scan JSON messages, {input_bytes / args.count:.0f} bytes on average, {os.cpu_count()} cores; "
          f"latency load produced with linger.ms={INPUT_LINGER_MS:g}\n")
    header = (
        f"{'':28} {'msgs/s':>9} {'MB/s':>7} {'CPU µs/msg':>11} {'p50 ms':>7} {'p99 ms':>7} {'at msg/s':>9} {'RSS MB':>7} "
        f"{'peak RSS MB':>12} {'broker µs/msg':>14}")
    print(header)
    print("-" * len(header))
    for system in systems:
        r = results[system.name]
        broker = r["broker_cpu_us_per_msg"]
        print(
            f"{system.name:28} {r['msgs_per_s']:9.0f} {r['mb_per_s']:7.1f} {r['cpu_us_per_msg']:11.1f} "
            f"{r['p50_ms']:7.0f} {r['p99_ms']:7.0f} {r['latency_rate']:9.0f} {r['steady_rss_mb']:7.1f} {r['peak_rss_mb']:12.1f} "
            f"{'-' if broker is None else f'{broker:.1f}':>14}")
    ratios = {
        "throughput_vs_passthrough": hub["msgs_per_s"] / passthrough["msgs_per_s"],
        "cpu_vs_python": hub["cpu_us_per_msg"] / python["cpu_us_per_msg"],
        "cpu_vs_librdkafka_floor": hub["cpu_us_per_msg"] / floor["us_per_msg"],
        "hub_p99_ms": hub["p99_ms"],
        "p99_over_passthrough_ms": hub["p99_ms"] - passthrough["p99_ms"],
        "hub_steady_rss_mb": hub["steady_rss_mb"],
        "hub_peak_rss_mb": hub["peak_rss_mb"],
        "scale_out_cpu_two_vs_one": scale[2]["cpu_us_per_msg"] / scale[1]["cpu_us_per_msg"],
        "acknowledgment_added": acks["added"],
    }
    # Issue 34's goals, against what librdkafka alone and the passthrough do in this run.
    goals = [
        ("1. hub CPU per msg / librdkafka alone", ratios["cpu_vs_librdkafka_floor"], "<= 2.0", ratios["cpu_vs_librdkafka_floor"] <= 2.0),
        ("2. hub p99 - passthrough p99, ms", ratios["p99_over_passthrough_ms"], "<= 5", ratios["p99_over_passthrough_ms"] <= 5),
        ("3. hub RSS under steady load, MB", ratios["hub_steady_rss_mb"], "<= 100", ratios["hub_steady_rss_mb"] <= 100),
        ("4. 997 path added to an 856's CPU", ratios["acknowledgment_added"], "<= 0.10", ratios["acknowledgment_added"] <= 0.10),
        ("5. two hubs / one, CPU per msg", ratios["scale_out_cpu_two_vs_one"], "<= 1.10", ratios["scale_out_cpu_two_vs_one"] <= 1.10),
    ]
    print()
    for name, value, goal, met in goals:
        print(f"{name:40} {value:8.2f}   goal {goal:8}  {'met' if met else 'NOT met'}")
    print(f"{'hub peak RSS draining, MB':40} {ratios['hub_peak_rss_mb']:8.2f}   (the whole backlog at full speed; not a steady state)")
    print(f"{'hub CPU per msg / Python':40} {ratios['cpu_vs_python']:8.2f}   (Python: no GS1 validation, no state machine, no offsets discipline)")
    print(f"{'hub throughput / passthrough':40} {ratios['throughput_vs_passthrough']:8.2f}")
    print()
    for members in (1, 2):
        r = scale[members]
        print(f"{f'scale-out: {members} hub(s) on {SCALE_PARTITIONS} partitions':52} {r['cpu_us_per_msg']:6.1f} µs/msg  {r['msgs_per_s']:8.0f} msg/s")
    print(f"{'scale-out: two / one in each round (median reported)':52} {', '.join(f'{r:.2f}' for r in scale['ratios'])}")
    label = f"acknowledgment path: {args.ack_count} 856s of {args.ack_items} lines ({acks['bytes_per_input']:.0f} B)"
    print(f"{label:52} "
          f"{acks['us_per_input_with_997']:6.1f} µs/input with the 997, {acks['us_per_input_without']:.1f} without")
    print(f"{'acknowledgment path: with / without in each round':52} {', '.join(f'{r:.2f}' for r in acks['ratios'])}")
    print()
    for system in systems:
        r = results[system.name]
        if r.get("p99_first_second_ms") is not None:
            print(f"{system.name + ' p99 ms, first / last second':52} {r['p99_first_second_ms']:5.0f} / {r['p99_last_second_ms']:5.0f}")
    if passthrough["broker_cpu_us_per_msg"] is not None:
        # Every system shares the machine's cores with the broker: what a message costs both, and the
        # rate that cost allows on all cores (an upper bound; the harness and kernel take some too).
        print()
        for system in systems:
            r = results[system.name]
            both = r["cpu_us_per_msg"] + r["broker_cpu_us_per_msg"]
            print(f"{system.name + ' + broker, µs/msg':40} {both:6.1f}   at most {os.cpu_count() * 1e6 / both:9.0f} msg/s on {os.cpu_count()} cores")
    # The CPU goal against what librdkafka alone spends on the same inputs and outputs.
    print()
    print(f"{'librdkafka alone on the hub inputs and outputs, µs/msg':58} {floor['us_per_msg']:6.1f}   "
          f"(kcat: consuming {floor['consume_us_per_msg']:.1f}, producing the {floor['output_bytes']:.0f}-byte outputs "
          f"{floor['produce_us_per_msg']:.1f})")
    print(f"{'goal 1 for the whole hub: twice librdkafka alone, µs/msg':58} {2 * floor['us_per_msg']:6.1f}")
    if args.baseline_crossdock:
        # The change against the build before it, both measured in this run on the same broker.
        base = results[systems[3].name]
        ratios["cpu_vs_baseline"] = hub["cpu_us_per_msg"] / base["cpu_us_per_msg"]
        ratios["throughput_vs_baseline"] = hub["msgs_per_s"] / base["msgs_per_s"]
        print()
        print(f"{'crossdock run / baseline: CPU µs per message':58} {ratios['cpu_vs_baseline']:6.2f}")
        print(f"{'crossdock run / baseline: throughput':58} {ratios['throughput_vs_baseline']:6.2f}")
        print(f"{'crossdock run / baseline: p99 at the same rate, ms':58} {hub['p99_ms']:6.0f} / {base['p99_ms']:.0f}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({
                "count": args.count, "bytes_per_msg": input_bytes / args.count, "input_linger_ms": INPUT_LINGER_MS,
                "results": results, "ratios": ratios, "librdkafka_floor": floor, "scale_out": scale, "acknowledgments": acks,
            }, f, indent=2)


if __name__ == "__main__":
    main()
