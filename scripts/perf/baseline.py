"""The usual alternative: a straightforward scan normaliser in Python on confluent-kafka.

Written the way an integration engineer would write one: json.loads, dict lookups for the gateway,
the action code, the location (alias or enterprise id) and the unit, json.dumps, produce. It does
not implement every rule of Crossdock (no GS1 validation beyond the GTIN, no state machine, no
quantity conversion, no exactly-once bookkeeping); it is the cheapest honest baseline.

Usage: baseline.py BROKERS MASTERDATA INPUT_TOPIC OUTPUT_TOPIC COUNT
Stops after COUNT records and prints a JSON line with what it measured of itself.
"""

import json
import re
import resource
import sys
import time
import uuid

from confluent_kafka import Consumer, Producer

from scans import Network

DIGITAL_LINK = re.compile(r"/01/(\d{14})(?:/10/([^/?]+))?")


def main():
    brokers, folder, source, target, count = sys.argv[1:6]
    fetch_wait_ms = int(sys.argv[6]) if len(sys.argv) > 6 else 500
    count = int(count)
    network = Network(folder)
    gateways = {}
    for profile in network.partners:
        if profile.get("kind") == "scanner-gateway":
            for identifier in profile["identifiers"]["json"]:
                gateways[identifier] = profile
    items = {item["gtin"]: item for item in network.items}

    consumer = Consumer({
        "bootstrap.servers": brokers, "group.id": f"python-baseline-{uuid.uuid4()}",
        "auto.offset.reset": "earliest", "enable.auto.commit": True, "fetch.wait.max.ms": fetch_wait_ms,
    })
    producer = Producer({"bootstrap.servers": brokers, "linger.ms": 5})
    consumer.subscribe([source])
    seen = 0
    while seen < count:
        for message in consumer.consume(500, 0.1):
            if message.error():
                continue
            seen += 1
            scan = json.loads(message.value())
            profile = gateways.get(scan.get("gateway"))
            out = {"specversion": "1.0", "id": str(uuid.uuid4()), "source": f"urn:crossdock:gateway:{scan.get('gateway')}"}
            problem = None
            if profile is None:
                problem = "PARTNER_UNKNOWN"
            else:
                site = profile["site"]
                step = profile["codes"]["step"].get(scan.get("action"))
                code = scan.get("location")
                location = network.aliases.get((site, code), code)
                if step is None:
                    problem = "CODE_UNMAPPED"
                elif location not in network.locations:
                    problem = "LOCATION_UNKNOWN"
            if problem:
                out.update(type="crossdock.rejected.v1", data={"code": problem, "record": message.value().decode()})
            else:
                barcode = scan.get("barcode", "")
                match = DIGITAL_LINK.search(barcode)
                gtin = match.group(1) if match else barcode[5:19] if barcode.startswith("]C101") else None
                item = items.get(gtin, {})
                unit = scan.get("uom")
                unit = profile["codes"].get("uom", {}).get(unit, unit) or item.get("baseUnit")
                out.update(
                    type="crossdock.inventory.event.v1", subject=f"{site}:{item.get('sku')}", time=scan.get("scannedAt"),
                    data={
                        "step": step, "site": site, "location": {"id": location}, "item": {"gtin": gtin, "sku": item.get("sku")},
                        "quantity": {"value": str(scan.get("quantity", 1)), "unit": unit},
                        "device": scan.get("device"), "operator": scan.get("operator"),
                    })
            out["recordedtime"] = message.timestamp()[1]
            while True:
                try:
                    producer.produce(target, key=out.get("subject", "").encode(), value=json.dumps(out).encode())
                    break
                except BufferError:  # the local queue is full: let deliveries drain
                    producer.poll(0.05)
            producer.poll(0)
    producer.flush()
    consumer.close()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"records": seen, "cpu": usage.ru_utime + usage.ru_stime, "maxrss_kb": usage.ru_maxrss, "end": time.time()}))


if __name__ == "__main__":
    main()
