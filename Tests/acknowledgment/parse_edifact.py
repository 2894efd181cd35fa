"""Parses EDIFACT interchanges with an independent tokenizer (pydifact): separators from UNA,
release characters, components. Prints one JSON object per file: {"file", "success", "errors",
"header": [sender, recipient, reference], "messages": [{"type", "segments": [[tag, elements]]}]}.

Usage: python parse_edifact.py FILE...
"""
import json
import sys
import warnings

from pydifact.segmentcollection import Interchange

warnings.simplefilter("ignore")


def main():
    for path in sys.argv[1:]:
        with open(path, "rb") as f:
            data = f.read()
        try:
            text = data.decode("utf-8")
            interchange = Interchange.from_str(text)
            messages = [
                {"type": m.type, "segments": [[s.tag, s.elements] for s in m.segments]} for m in interchange.get_messages()
            ]
            print(json.dumps({
                "file": path, "success": True, "errors": [],
                "header": [interchange.sender, interchange.recipient, interchange.control_reference], "messages": messages,
            }))
        except Exception as error:  # any failure to read is the finding
            print(json.dumps({"file": path, "success": False, "errors": [str(error)], "messages": []}))


if __name__ == "__main__":
    main()
