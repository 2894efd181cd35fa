"""Synthetic scanner-gateway traffic for the performance runs.

A deterministic, realistic mix over the reference network: the three gateways (DC-ATL, DC-DEN and
the Reno 3PL), each with its own action codes; receiving at docks (site-local aliases or enterprise
ids), putaway to storage bins, moves, picks, holds, counts and shipping; every item of the item
master, with lots, expiry dates, serials and weights where the item needs them, as GS1 element
strings and Digital Links; about one scan in a hundred names a bin that does not exist (a
rejection). Messages are single-line JSON of about 200-300 bytes.
"""

import datetime
import json
import os
import random

import yaml

# The steps of the mix and their weights (a receiving-heavy distribution centre).
STEPS = [
    ("received", 24), ("putaway", 22), ("reserved", 18), ("moved", 9), ("shipped", 10),
    ("counted", 9), ("held", 3), ("released", 2), ("damaged", 2),
]

GATEWAYS = {
    "DC-ATL": "dc-atl-rf",
    "DC-DEN": "dc-den-rf",
    "3PL-RNO": "highdesert-wms",
}


class Network:
    """What the generator (and the Python baseline) needs from the master-data folder."""

    def __init__(self, folder):
        with open(os.path.join(folder, "locations.yaml")) as f:
            doc = yaml.safe_load(f)
        self.locations = {loc["id"]: loc for loc in doc["locations"]}
        parents = {loc.get("parent") for loc in doc["locations"]}
        self.leaves = [loc for loc in doc["locations"] if loc["id"] not in parents]
        self.aliases = {(a["site"], a["code"]): a["location"] for a in doc.get("aliases", [])}
        with open(os.path.join(folder, "items.yaml")) as f:
            self.items = yaml.safe_load(f)["items"]
        self.partners = []
        partners = os.path.join(folder, "partners")
        for name in sorted(os.listdir(partners)):
            with open(os.path.join(partners, name)) as f:
                self.partners.append(yaml.safe_load(f))

    def site_of(self, location_id):
        while self.locations[location_id].get("parent"):
            location_id = self.locations[location_id]["parent"]
        return location_id

    def role_of(self, location_id):
        while location_id:
            role = self.locations[location_id].get("role")
            if role:
                return role
            location_id = self.locations[location_id].get("parent")
        return None

    def leaves_of(self, site, role):
        return [loc["id"] for loc in self.leaves if self.site_of(loc["id"]) == site and self.role_of(loc["id"]) == role]


def _barcode(rng, item, when):
    gtin = item["gtin"]
    lot = f"L{rng.randint(1000, 9999)}" if item.get("lotControlled") else None
    expiry = (when + datetime.timedelta(days=rng.randint(60, 700))).strftime("%y%m%d") if item.get("expiryControlled") else None
    serial = f"SN{rng.randint(100000, 999999)}" if item.get("serialized") else None
    if rng.random() < 0.15 and serial is None and not item.get("weighed"):
        link = f"https://id.example.com/01/{gtin}"
        if lot:
            link += f"/10/{lot}"
        if expiry:
            link += f"?17={expiry}"
        return link
    # Fixed-length elements first, variable-length ones last, separated by GS.
    fixed = "01" + gtin + (("17" + expiry) if expiry else "")
    if item.get("weighed"):
        fixed += "3103" + f"{rng.randint(1000, 25000):06d}"
    variable = [v for v in (("10" + lot) if lot else None, ("21" + serial) if serial else None) if v]
    return "]C1" + fixed + "\u001d".join(variable)


def generate(folder, count, seed=42, now=None):
    """`count` scans as bytes, deterministic for a seed (times relative to `now`)."""
    rng = random.Random(seed)
    network = Network(folder)
    now = now or datetime.datetime.now(datetime.timezone.utc)
    codes = {}
    for profile in network.partners:
        if profile.get("kind") == "scanner-gateway":
            inverse = {}
            for action, step in profile["codes"]["step"].items():
                inverse.setdefault(step, action)
            codes[profile["site"]] = (inverse, {v: k for k, v in profile["codes"].get("uom", {}).items()})
    aliases = {}
    for (site, code), location in network.aliases.items():
        aliases.setdefault(location, []).append(code)
    places = {
        site: {role: network.leaves_of(site, role) for role in ("receiving", "storage", "quarantine", "damage", "shipping")}
        for site in GATEWAYS
    }
    steps = [s for s, _ in STEPS]
    weights = [w for _, w in STEPS]
    sites = list(GATEWAYS)
    offsets = {"DC-ATL": -5, "DC-DEN": -7, "3PL-RNO": -8}
    out = []
    for index in range(count):
        site = sites[rng.choice((0, 0, 1, 1, 2))]
        step = rng.choices(steps, weights)[0]
        actions, uoms = codes[site]
        role = {"received": "receiving", "shipped": "shipping", "held": "quarantine", "damaged": "damage"}.get(step, "storage")
        location = rng.choice(places[site][role])
        if location in aliases and rng.random() < 0.7:
            location = rng.choice(aliases[location])
        if rng.random() < 0.01:
            location = f"{site}/STO/A09/09/Z"  # no such bin
        item = rng.choice(network.items)
        when = now - datetime.timedelta(seconds=rng.randint(1, 120))
        local = when.astimezone(datetime.timezone(datetime.timedelta(hours=offsets[site])))
        scan = {
            "gateway": GATEWAYS[site],
            "site": site,
            "device": f"rf-{rng.randint(1, 60)}",
            "operator": f"op-{rng.randint(1, 40)}",
            "scannedAt": local.isoformat(timespec="seconds"),
            "action": actions[step],
            "location": location,
            "barcode": _barcode(rng, item, when),
        }
        if step == "moved":
            scan["toLocation"] = rng.choice(places[site]["storage"])
        base = item["baseUnit"]
        if item.get("weighed"):
            pass  # the weight is in the barcode (AI 3103)
        elif base in ("MTR", "KGM"):
            scan["quantity"] = rng.randint(5, 200)
            scan["uom"] = base
        elif rng.random() < 0.4 and item.get("units"):
            unit = rng.choice(list(item["units"]))
            scan["quantity"] = rng.randint(1, 12)
            scan["uom"] = uoms.get(unit, unit)
        out.append(json.dumps(scan, separators=(",", ":")).encode())
    return out


if __name__ == "__main__":
    import sys

    for line in generate(sys.argv[1], int(sys.argv[2])):
        sys.stdout.buffer.write(line + b"\n")
