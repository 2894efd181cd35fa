#!/usr/bin/env python3
"""Validates Crossdock's machine-readable contract and records against it.

Usage:
  validate.py check SCHEMAS_DIR
      Every *.json in SCHEMAS_DIR is a valid JSON Schema (draft 2020-12) whose $id is
      https://crossdock.dev/schemas/v1/<file name>, every $ref in every schema resolves (offline,
      against the schema files only), and SCHEMAS_DIR/asyncapi.yaml is an AsyncAPI 3.0.0 document
      with a channel for every Crossdock topic whose $refs all resolve.
  validate.py events SCHEMAS_DIR FILE...
      Every canonical record in each FILE (one JSON document, or JSON lines: one record per line)
      validates against cloudevent.json, formats included.
  validate.py input asn|scan|tracking SCHEMAS_DIR FILE...
      Each FILE (one JSON document) validates against the partner input schema of that kind.

Failures are printed as FILE:LINE: <JSON pointer>: <message>, then a summary line. The exit
status is 0 when everything is valid, 1 when anything is invalid (or when there was nothing to
validate: a run that checked nothing must not pass), 2 on a usage error.

Needs jsonschema (4.26) and PyYAML; never touches the network.
"""

import datetime
import decimal
import json
import re
import sys
from pathlib import Path
from urllib.parse import urldefrag, urljoin

import yaml
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import best_match
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource, PointerToNowhere, Unresolvable, Unretrievable
from referencing.jsonschema import DRAFT202012

BASE = "https://crossdock.dev/schemas/v1/"
DRAFT = "https://json-schema.org/draft/2020-12/schema"

# The schema files the contract consists of (docs/canonical-model.md, docs/inputs.md, docs/master-data.md).
REQUIRED_SCHEMAS = [
    "common.json",
    "cloudevent.json",
    "shipment-notice.json",
    "inventory-event.json",
    "carrier-status.json",
    "rejected.json",
    "receipt-reconciliation.json",
    "supplier-scorecard.json",
    "asn-input.json",
    "scan-input.json",
    "tracking-input.json",
    "masterdata-location.json",
    "masterdata-item.json",
]

# Every topic Crossdock reads or writes (defaults of Sources/Hub/Topics.swift).
TOPICS = [
    "suppliers.asn.raw",
    "scanners.events.raw",
    "carriers.status.raw",
    "canonical.shipment-notices.v1",
    "canonical.inventory-events.v1",
    "canonical.carrier-status.v1",
    "crossdock.rejected.v1",
    "canonical.receipt-reconciliations.v1",
    "canonical.supplier-scorecards.v1",
    "masterdata.locations.v1",
    "masterdata.items.v1",
    "masterdata.partners.v1",
]

INPUT_SCHEMAS = {"asn": "asn-input.json", "scan": "scan-input.json", "tracking": "tracking-input.json"}

# Keywords whose values are data, not subschemas: a "$ref" inside them is not a reference.
DATA_KEYWORDS = {"const", "enum", "default", "examples", "example"}
# Members whose values map arbitrary names to schemas (or AsyncAPI objects): a name there is never
# a keyword, even when it is spelled like one.
NAME_MAPS = {
    "properties", "patternProperties", "dependentSchemas", "$defs", "definitions",
    "channels", "operations", "messages", "schemas", "servers", "components",
}


# ----------------------------------------------------------------------------------------------
# Formats. jsonschema checks "date-time" and "uri"/"uri-reference" only with optional packages;
# these checks make format validation real with the standard library alone.

RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$", re.ASCII
)
URI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
URI_CHARS = re.compile(r"^(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$")


def is_date_time(value):
    if not isinstance(value, str):
        return True
    match = RFC3339.match(value)
    if not match:
        raise ValueError(f"{value!r} is not an RFC 3339 date-time with an explicit offset")
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    datetime.date(year, month, day)  # raises ValueError for impossible dates
    if hour > 23 or minute > 59 or second > 60:
        raise ValueError(f"{value!r} has an impossible time of day")
    if match.group(8) and (int(match.group(9)) > 23 or int(match.group(10)) > 59):
        raise ValueError(f"{value!r} has an impossible UTC offset")
    return True


def is_uri_reference(value):
    if not isinstance(value, str):
        return True
    return bool(URI_CHARS.match(value))


def is_uri(value):
    if not isinstance(value, str):
        return True
    return bool(URI_SCHEME.match(value)) and is_uri_reference(value)


def format_checker():
    checker = FormatChecker()
    checker.checks("date-time", raises=ValueError)(is_date_time)
    if "uri" not in checker.checkers:
        checker.checks("uri")(is_uri)
    if "uri-reference" not in checker.checkers:
        checker.checks("uri-reference")(is_uri_reference)
    return checker


# ----------------------------------------------------------------------------------------------
# Loading


def pointer(path):
    """A JSON pointer for a jsonschema error path; "/" for the document itself."""
    tokens = [str(token).replace("~", "~0").replace("/", "~1") for token in path]
    return "/" + "/".join(tokens) if tokens else "/"


def meta_errors(schema):
    """What Draft202012Validator.check_schema would reject (regex syntax included), all of it."""
    meta = Draft202012Validator(Draft202012Validator.META_SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return sorted(meta.iter_errors(schema), key=lambda e: (list(map(str, e.absolute_path)), e.message))


def load_schemas(directory, problems):
    """Parses every *.json in the directory; returns {file name: schema}."""
    schemas = {}
    for path in sorted(Path(directory).glob("*.json")):
        try:
            schemas[path.name] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            problems.append(f"{path}: not readable JSON: {error}")
    return schemas


def build_registry(schemas):
    """A registry holding only the schema files, under their $id (or base + file name)."""
    resources = []
    for name, schema in schemas.items():
        resource = Resource.from_contents(schema, default_specification=DRAFT202012)
        resources.append((BASE + name, resource))
        if isinstance(schema, dict) and isinstance(schema.get("$id"), str) and schema["$id"] != BASE + name:
            resources.append((schema["$id"], resource))  # a wrong $id is reported by `check` on its own
    # No retrieve function: a reference outside these files is unresolvable, never fetched.
    return Registry().with_resources(resources).crawl()


def load_for_validation(directory):
    """Loads the schemas for validating records; exits 1 when they cannot be used."""
    problems = []
    schemas = load_schemas(directory, problems)
    if problems or not schemas:
        for problem in problems:
            print(problem)
        if not schemas:
            print(f"{directory}: no schema files")
        sys.exit(1)
    return schemas, build_registry(schemas)


def validator_for(schemas, registry, name, directory):
    if name not in schemas:
        print(f"{directory}: {name} is missing")
        sys.exit(1)
    return Draft202012Validator(schemas[name], registry=registry, format_checker=format_checker())


# ----------------------------------------------------------------------------------------------
# check


def escape(token):
    return str(token).replace("~", "~0").replace("/", "~1")


def walk_refs(node, base, found, at="", names=False):
    """Collects (base URI, $ref, location) for every reference in a schema, minding nested $id.
    `names`: node maps names to schemas (properties, $defs, ...), so its keys are not keywords."""
    if isinstance(node, dict):
        if not names:
            if isinstance(node.get("$id"), str):
                base = urljoin(base, node["$id"])
            for keyword in ("$ref", "$dynamicRef"):
                if isinstance(node.get(keyword), str):
                    found.append((base, node[keyword], at or "/"))
        for key, value in node.items():
            if not names and key in DATA_KEYWORDS:
                continue
            walk_refs(value, base, found, f"{at}/{escape(key)}", names=not names and key in NAME_MAPS)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            walk_refs(value, base, found, f"{at}/{index}")


def check_schemas(directory, schemas, problems):
    for name in REQUIRED_SCHEMAS:
        if name not in schemas:
            problems.append(f"{directory}/{name}: missing")
    valid = 0
    for name, schema in schemas.items():
        before = len(problems)
        if not isinstance(schema, dict):
            problems.append(f"{name}: a schema file must hold a JSON object")
            continue
        for error in meta_errors(schema):
            problems.append(f"{name}: {pointer(error.absolute_path)}: not a valid draft 2020-12 schema: {error.message}")
        if schema.get("$schema") != DRAFT:
            problems.append(f"{name}: $schema is {schema.get('$schema')!r}, expected {DRAFT!r}")
        if schema.get("$id") != BASE + name:
            problems.append(f"{name}: $id is {schema.get('$id')!r}, expected {BASE + name!r}")
        if len(problems) == before:
            valid += 1
    registry = build_registry({n: s for n, s in schemas.items() if isinstance(s, dict)})
    for name, schema in schemas.items():
        if not isinstance(schema, dict):
            continue
        refs = []
        walk_refs(schema, schema.get("$id", BASE + name), refs)
        for base, ref, at in refs:
            try:
                registry.resolver(base_uri=base).lookup(ref)
            except Unresolvable as error:
                problems.append(f"{name}: {at}: $ref {ref!r} does not resolve ({unresolvable(error)})")
    return valid


def unresolvable(error):
    if isinstance(error, PointerToNowhere):
        return f"no {error.ref!r} in that schema"
    if isinstance(error, (NoSuchResource, Unretrievable)) or type(error) is Unresolvable:
        return "no schema file with that $id in the directory"
    return f"{type(error).__name__}: {short(str(error))}"


def resolve_pointer(document, fragment):
    node = document
    if fragment in ("", "/"):
        return node
    if not fragment.startswith("/"):
        raise KeyError(f"not a JSON pointer: {fragment!r}")
    for raw in fragment[1:].split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list):
            node = node[int(token)]
        elif isinstance(node, dict):
            node = node[token]
        else:
            raise KeyError(token)
    return node


def check_asyncapi(directory, problems):
    path = Path(directory) / "asyncapi.yaml"
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        problems.append(f"{path}: not readable YAML: {error}")
        return 0
    if not isinstance(document, dict):
        problems.append(f"{path}: not a YAML mapping")
        return 0
    if str(document.get("asyncapi")) != "3.0.0":
        problems.append(f"{path}: asyncapi is {document.get('asyncapi')!r}, expected '3.0.0'")
    for key in ("info", "channels", "operations"):
        if not isinstance(document.get(key), dict):
            problems.append(f"{path}: no {key}")
    channels = document.get("channels") if isinstance(document.get("channels"), dict) else {}
    addresses = {}
    for channel_id, channel in channels.items():
        if not isinstance(channel, dict) or not isinstance(channel.get("address"), str):
            problems.append(f"{path}: channel {channel_id} has no address")
            continue
        addresses.setdefault(channel["address"], []).append(channel_id)
        if not channel.get("messages"):
            problems.append(f"{path}: channel {channel_id} ({channel['address']}) has no messages")
    for topic in TOPICS:
        if topic not in addresses:
            problems.append(f"{path}: no channel for topic {topic}")
    for address, ids in addresses.items():
        if len(ids) > 1:
            problems.append(f"{path}: topic {address} has several channels: {', '.join(ids)}")

    refs = []
    collect_yaml_refs(document, refs)
    loaded = {}
    for ref, at in refs:
        target, fragment = urldefrag(ref)
        if not target:
            try:
                resolve_pointer(document, fragment)
            except (KeyError, IndexError, ValueError, TypeError):
                problems.append(f"{path}: {at}: $ref {ref!r} does not resolve in the document")
            continue
        if re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", target):
            problems.append(f"{path}: {at}: $ref {ref!r} points outside the schema directory")
            continue
        file = (Path(directory) / target).resolve()
        if not file.is_file():
            problems.append(f"{path}: {at}: $ref {ref!r}: {target} does not exist in {directory}")
            continue
        if fragment:
            try:
                if file not in loaded:
                    text = file.read_text(encoding="utf-8")
                    loaded[file] = json.loads(text) if file.suffix == ".json" else yaml.safe_load(text)
                resolve_pointer(loaded[file], fragment)
            except (KeyError, IndexError, ValueError, TypeError, OSError, yaml.YAMLError):
                problems.append(f"{path}: {at}: $ref {ref!r}: #{fragment} does not exist in {target}")
    check_asyncapi_schemas(document, directory, path, problems)
    return len(channels)


def asyncapi_schema(node, document, seen=()):
    """An AsyncAPI schema as a standalone JSON Schema: references into the document inlined,
    references to schema files made absolute ($id base), so it can be checked and applied."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            target, fragment = urldefrag(ref)
            if not target:
                if ref in seen:
                    raise ValueError(f"$ref {ref!r} is circular")
                return asyncapi_schema(resolve_pointer(document, fragment), document, seen + (ref,))
            absolute = urljoin(BASE, target.removeprefix("./")) + (f"#{fragment}" if fragment else "")
            return {**{k: asyncapi_schema(v, document, seen) for k, v in node.items() if k != "$ref"}, "$ref": absolute}
        return {k: v if k in DATA_KEYWORDS else asyncapi_schema(v, document, seen) for k, v in node.items()}
    if isinstance(node, list):
        return [asyncapi_schema(v, document, seen) for v in node]
    return node


def check_asyncapi_schemas(document, directory, path, problems):
    """The schemas inside the AsyncAPI document (headers, payloads, Kafka keys) are valid JSON
    Schemas, and every message example matches its message's headers and payload schemas."""
    schemas = load_schemas(directory, [])
    registry = build_registry({n: s for n, s in schemas.items() if isinstance(s, dict)})
    components = document.get("components") if isinstance(document.get("components"), dict) else {}
    messages = dict(components.get("messages") or {})
    for channel_id, channel in (document.get("channels") or {}).items():
        for message_id, message in ((channel or {}).get("messages") or {}).items() if isinstance(channel, dict) else []:
            if isinstance(message, dict) and "$ref" not in message:
                messages[f"{channel_id}/{message_id}"] = message
    for message_id, message in messages.items():
        if not isinstance(message, dict):
            continue
        kafka = ((message.get("bindings") or {}).get("kafka") or {}) if isinstance(message.get("bindings"), dict) else {}
        parts = {"headers": message.get("headers"), "payload": message.get("payload"), "key": kafka.get("key")}
        validators = {}
        for part, node in parts.items():
            if node is None:
                continue
            where = f"message {message_id} {part}"
            try:
                schema = asyncapi_schema(node, document)
            except (KeyError, IndexError, ValueError, TypeError) as error:
                problems.append(f"{path}: {where}: cannot be resolved: {error}")
                continue
            if isinstance(schema, dict) and "schemaFormat" in schema:
                continue  # a multi-format schema object: not JSON Schema
            for error in meta_errors(schema):
                problems.append(f"{path}: {where}: {pointer(error.absolute_path)}: not a valid JSON Schema: {error.message}")
            validators[part] = Draft202012Validator(schema, registry=registry, format_checker=format_checker())
        for index, example in enumerate(message.get("examples") or []):
            for part in ("headers", "payload"):
                if not isinstance(example, dict) or part not in example or part not in validators:
                    continue
                try:
                    errors = list(validators[part].iter_errors(example[part]))
                except Unresolvable as error:
                    problems.append(f"{path}: message {message_id} {part}: a $ref does not resolve ({unresolvable(error)})")
                    continue
                for error in errors:
                    problems.append(
                        f"{path}: message {message_id} example {example.get('name', index)} {part}: "
                        f"{pointer(error.absolute_path)}: {describe(error)}"
                    )


def collect_yaml_refs(node, found, at="", names=False):
    """Collects ($ref, location) for every reference in the AsyncAPI document (examples excluded)."""
    if isinstance(node, dict):
        if not names and isinstance(node.get("$ref"), str):
            found.append((node["$ref"], at or "/"))
        for key, value in node.items():
            if not names and key in DATA_KEYWORDS:
                continue
            collect_yaml_refs(value, found, f"{at}/{escape(key)}", names=not names and key in NAME_MAPS)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            collect_yaml_refs(value, found, f"{at}/{index}")


def command_check(directory):
    if not Path(directory).is_dir():
        print(f"{directory}: not a directory")
        return 2
    problems = []
    schemas = load_schemas(directory, problems)
    valid = check_schemas(directory, schemas, problems)
    channels = check_asyncapi(directory, problems)
    for problem in problems:
        print(problem)
    print(f"schemas: {valid} valid, asyncapi: {channels} channels" + (f", {len(problems)} problems" if problems else ""))
    return 1 if problems or valid == 0 else 0


# ----------------------------------------------------------------------------------------------
# events / input


class JSONError(ValueError):
    pass


def reject_constant(name):
    raise JSONError(f"{name} is not JSON")


def unique_members(pairs):
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise JSONError(f"duplicate member {key!r}")
        obj[key] = value
    return obj


class Number(decimal.Decimal):
    """A JSON number kept exact, shown as written in messages."""

    def __repr__(self):
        return str(self)


def parse_json(text):
    """Strict JSON: no NaN/Infinity, no duplicate member names; numbers stay exact (Decimal)."""
    return json.loads(
        text, parse_float=Number, parse_constant=reject_constant, object_pairs_hook=unique_members
    )


def parse_error(error):
    if isinstance(error, json.JSONDecodeError):
        return f"invalid JSON: {error.msg} (column {error.colno})"
    return f"invalid JSON: {error}"


def read_records(file, json_lines):
    """Yields (line number, record, None) or (line number, None, error) for each record of a file:
    one JSON document, or (when json_lines) one JSON document per line."""
    try:
        text = Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        yield 1, None, f"cannot read: {error}"
        return
    # JSON lines are separated by line feeds only (str.splitlines also splits at U+2028, U+0085, ...).
    lines = [line.rstrip("\r") for line in text.split("\n")]
    first = next((number for number, line in enumerate(lines, start=1) if line.strip()), None)
    if first is None:
        return  # nothing to validate; the caller fails a run that validated nothing
    if json_lines:
        try:
            parse_json(lines[first - 1])
            one_per_line = True
        except (json.JSONDecodeError, JSONError):
            one_per_line = False
        if one_per_line:
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                try:
                    yield number, parse_json(line), None
                except (json.JSONDecodeError, JSONError) as error:
                    yield number, None, parse_error(error)
            return
    try:
        yield first, parse_json(text), None
    except json.JSONDecodeError as error:
        yield error.lineno, None, parse_error(error)
    except JSONError as error:
        yield first, None, parse_error(error)


def short(value, limit=100):
    text = json.dumps(value, default=str, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def describe(error):
    """A readable message: long instances abbreviated; for anyOf/oneOf, why each alternative failed."""
    if error.validator in ("anyOf", "oneOf") and error.context:
        branches = {}
        for inner in error.context:
            branches.setdefault(inner.schema_path[0] if inner.schema_path else 0, []).append(inner)
        reasons = []
        for index in sorted(branches):
            inner = best_match(branches[index])
            where = pointer(inner.path) if inner.path else ""
            reasons.append(f"({index + 1}) {where + ': ' if where else ''}{describe(inner)}")
        return "matches none of the alternatives: " + "; ".join(reasons)
    if error.validator == "oneOf":
        return "matches more than one alternative of a oneOf"
    if error.validator == "not":
        return f"must not match {short(error.validator_value)}"
    if error.validator == "additionalProperties" and error.validator_value is False and isinstance(error.instance, dict):
        known = set(error.schema.get("properties", {}))
        patterns = list(error.schema.get("patternProperties", {}))
        extra = [
            name for name in error.instance
            if name not in known and not any(re.search(pattern, name) for pattern in patterns)
        ]
        if extra:
            names = ", ".join(repr(name) for name in extra)
            hint = f" (besides the listed members, only names matching {', '.join(patterns)} are allowed)" if patterns else ""
            return f"unknown member{'s' if len(extra) > 1 else ''} {names}{hint}"
    message = error.message
    text = repr(error.instance)
    if len(text) > 100:
        message = message.replace(text, short(error.instance))
    return message


def validate_files(validator, files, json_lines):
    valid = invalid = 0
    for file in files:
        for line, record, problem in read_records(file, json_lines):
            if problem is not None:
                print(f"{file}:{line}: /: {problem}")
                invalid += 1
                continue
            errors = sorted(validator.iter_errors(record), key=lambda e: (list(map(str, e.absolute_path)), e.message))
            if errors:
                invalid += 1
                for error in errors:
                    print(f"{file}:{line}: {pointer(error.absolute_path)}: {describe(error)}")
            else:
                valid += 1
    return valid, invalid


def command_events(directory, files):
    schemas, registry = load_for_validation(directory)
    validator = validator_for(schemas, registry, "cloudevent.json", directory)
    valid, invalid = validate_files(validator, files, json_lines=True)
    if valid + invalid == 0:
        print("no records found: a validation that checked nothing fails")
    print(f"events: {valid} valid, {invalid} invalid")
    return 1 if invalid or valid == 0 else 0


def command_input(kind, directory, files):
    schemas, registry = load_for_validation(directory)
    validator = validator_for(schemas, registry, INPUT_SCHEMAS[kind], directory)
    valid, invalid = validate_files(validator, files, json_lines=False)
    if valid + invalid == 0:
        print("no documents found: a validation that checked nothing fails")
    print(f"input {kind}: {valid} valid, {invalid} invalid")
    return 1 if invalid or valid == 0 else 0


def usage():
    print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
    return 2


def main(argv):
    if len(argv) == 2 and argv[0] == "check":
        return command_check(argv[1])
    if len(argv) >= 3 and argv[0] == "events":
        return command_events(argv[1], argv[2:])
    if len(argv) >= 4 and argv[0] == "input" and argv[1] in INPUT_SCHEMAS:
        return command_input(argv[1], argv[2], argv[3:])
    return usage()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
