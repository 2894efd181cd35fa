import Foundation
public import Model
import Yams

/// Loads master data from a folder: `locations.yaml`, `items.yaml` and `partners/*.yaml`.
public enum MasterDataLoader {
    /// Why a folder could not be read at all (as opposed to problems in its contents).
    public struct FolderError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Reads and validates every file, reporting every problem at once in the snapshot's
    /// diagnostics. Throws only when `directory` is not a readable folder.
    public static func load(directory: String) throws(FolderError) -> MasterDataSnapshot {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw FolderError(description: "master-data folder '\(directory)' does not exist or is not a folder")
        }
        let sink = DiagnosticSink()
        let base = URL(fileURLWithPath: directory)

        var locations: [LocationRecord] = []
        var aliases: [AliasRecord] = []
        if let root = document(base.appendingPathComponent("locations.yaml"), name: "locations.yaml", sink: sink) {
            (locations, aliases) = readLocations(root, file: "locations.yaml", sink: sink)
        }
        var items: [ItemRecord] = []
        if let root = document(base.appendingPathComponent("items.yaml"), name: "items.yaml", sink: sink) {
            items = readItems(root, file: "items.yaml", sink: sink)
        }
        var partners: [PartnerProfile] = []
        let partnerFolder = base.appendingPathComponent("partners")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: partnerFolder.path)) ?? []
        for name in files.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            let file = "partners/" + name
            if let root = document(partnerFolder.appendingPathComponent(name), name: file, sink: sink),
                let profile = readPartner(root, file: file, sink: sink)
            {
                partners.append(profile)
            }
        }
        let snapshot = MasterDataSnapshot.build(locations: locations, aliases: aliases, items: items, partners: partners)
        return snapshot.adding(diagnostics: sink.diagnostics)
    }

    /// One partner profile from the text of a `partners/*.yaml` file (as `masterdata.partners.v1`
    /// carries it), with the problems found in it; nil when it cannot be read as a profile.
    public static func partner(yaml text: String, name: String) -> (profile: PartnerProfile?, diagnostics: [Diagnostic]) {
        let sink = DiagnosticSink()
        guard let root = document(text: text, name: name, sink: sink) else { return (nil, sink.diagnostics) }
        return (readPartner(root, file: name, sink: sink), sink.diagnostics)
    }

    static func document(_ url: URL, name: String, sink: DiagnosticSink) -> Node? {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            sink.add(.error(.fieldInvalid, "\(name) is missing", at: name))
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            sink.add(.error(.yamlSyntax, "\(name) is not UTF-8 text", at: name))
            return nil
        }
        return document(text: text, name: name, sink: sink)
    }

    static func document(text: String, name: String, sink: DiagnosticSink) -> Node? {
        if let line = YAMLNesting.firstTooDeep(text) {
            sink.add(.error(.yamlSyntax, "\(name) nests more than \(YAMLNesting.limit) levels deep", at: "\(name):\(line)"))
            return nil
        }
        do {
            guard let node = try Yams.compose(yaml: text) else {
                sink.add(.error(.yamlSyntax, "\(name) is empty", at: name))
                return nil
            }
            reportDuplicateKeys(node, name: name, sink: sink)
            return node
        } catch let error as YamlError {
            sink.add(.error(.yamlSyntax, "\(name): \(error)", at: name + yamlLine(error)))
            return nil
        } catch {
            sink.add(.error(.yamlSyntax, "\(name): \(error)", at: name))
            return nil
        }
    }

    /// A key given twice in one mapping (`units: {CS: 24, CS: 1}`): the YAML library keeps one of
    /// them silently; it is an error, where the second one is. The tree is walked without recursion.
    static func reportDuplicateKeys(_ root: Node, name: String, sink: DiagnosticSink) {
        var pending = [root]
        while let node = pending.popLast() {
            switch node {
            case .mapping(let mapping):
                var seen = Set<String>()
                for (key, value) in mapping {
                    if let text = key.scalar?.string, !seen.insert(text).inserted {
                        sink.add(
                            .error(
                                .yamlSyntax, "\(name): key '\(text)' is given twice in one mapping; one of them would be ignored",
                                at: "\(name):\(key.mark?.line ?? 0)"))
                    }
                    pending.append(value)
                }
            case .sequence(let sequence):
                pending.append(contentsOf: sequence)
            default:
                break
            }
        }
    }

    static func yamlLine(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return ":\(mark.line)"
        default:
            return ""
        }
    }

    static func list(_ root: Node, key: String, file: String, sink: DiagnosticSink) -> [Node] {
        guard let mapping = root.mapping else {
            sink.add(.error(.fieldInvalid, "\(file) must be a mapping with '\(key):'", at: file))
            return []
        }
        guard let value = mapping[key] else { return [] }
        guard let sequence = value.sequence else {
            sink.add(.error(.fieldInvalid, "'\(key)' must be a list", at: "\(file):\(value.mark?.line ?? 0)"))
            return []
        }
        return Array(sequence)
    }

    // MARK: locations.yaml

    static func readLocations(_ root: Node, file: String, sink: DiagnosticSink) -> ([LocationRecord], [AliasRecord]) {
        var locations: [LocationRecord] = []
        for node in list(root, key: "locations", file: file, sink: sink) {
            var f = YAMLFields(node, file: file, diagnostics: sink)
            let id = f.string("id", required: true, context: "location")
            let context = "location '\(id ?? "?")'"
            let type: LocationType? = f.code("type", required: true, context: context)
            let record = (id: id, type: type, parent: f.string("parent", context: context),
                role: f.code("role", context: context) as LocationRole?, gln: f.string("gln", context: context),
                name: f.string("name", context: context), region: f.string("region", context: context),
                operator: f.string("operator", context: context), timeZone: f.string("timeZone", context: context))
            f.reportUnknownFields(context: context)
            guard let id = record.id, let type = record.type else { continue }
            locations.append(
                LocationRecord(
                    id: id, type: type, parent: record.parent, role: record.role, gln: record.gln, name: record.name,
                    region: record.region, operator: record.operator, timeZone: record.timeZone, source: f.source))
        }
        var aliases: [AliasRecord] = []
        for node in list(root, key: "aliases", file: file, sink: sink) {
            var f = YAMLFields(node, file: file, diagnostics: sink)
            let site = f.string("site", required: true, context: "alias")
            let code = f.string("code", required: true, context: "alias")
            let location = f.string("location", required: true, context: "alias")
            f.reportUnknownFields(context: "alias '\(code ?? "?")'")
            guard let site, let code, let location else { continue }
            aliases.append(AliasRecord(site: site, code: code, location: location, source: f.source))
        }
        if let mapping = root.mapping {
            for (key, _) in mapping where !["locations", "aliases"].contains(key.scalar?.string ?? "") {
                let name = key.scalar?.string ?? "?"
                sink.add(
                    .error(
                        .fieldInvalid, "unknown section '\(name)'" + didYouMean(name, among: ["locations", "aliases"]),
                        at: "\(file):\(key.mark?.line ?? 0)"))
            }
        }
        return (locations, aliases)
    }

    // MARK: items.yaml

    static func readItems(_ root: Node, file: String, sink: DiagnosticSink) -> [ItemRecord] {
        var items: [ItemRecord] = []
        for node in list(root, key: "items", file: file, sink: sink) {
            var f = YAMLFields(node, file: file, diagnostics: sink)
            let sku = f.string("sku", required: true, context: "item")
            let context = "item '\(sku ?? "?")'"
            let gtin = f.string("gtin", context: context)
            let description = f.string("description", context: context)
            let baseUnit = f.string("baseUnit", required: true, context: context)
            var units: [String: ExactDecimal] = [:]
            for (unit, text) in f.stringMap("units", context: context) {
                guard let amount = ExactDecimal(text) else {
                    f.invalid("\(context): units.\(unit) must be a number, is '\(text)'", node.mapping?["units"])
                    continue
                }
                units[unit] = amount
            }
            let lot = f.bool("lotControlled", context: context)
            let expiry = f.bool("expiryControlled", context: context)
            let serialized = f.bool("serialized", context: context)
            let weighed = f.bool("weighed", context: context)
            var hazmat: String? = nil
            if let value = f.raw("hazmat")?.scalar?.string, !["false", "no"].contains(value.lowercased()) {
                hazmat = value
            }
            f.reportUnknownFields(context: context)
            guard let sku, let baseUnit else { continue }
            items.append(
                ItemRecord(
                    sku: sku, gtin: gtin, description: description, baseUnit: baseUnit, units: units,
                    lotControlled: lot, expiryControlled: expiry, serialized: serialized, weighed: weighed,
                    hazmat: hazmat, source: f.source))
        }
        return items
    }

    // MARK: partners/*.yaml

    static func readPartner(_ root: Node, file: String, sink: DiagnosticSink) -> PartnerProfile? {
        var f = YAMLFields(root, file: file, diagnostics: sink)
        let id = f.string("partner", required: true, context: file)
        let context = "partner '\(id ?? "?")'"
        let kind: PartnerKind? = f.code("kind", required: true, context: context)
        let name = f.string("name", context: context)
        let gln = f.string("gln", context: context)
        let scac = f.string("scac", context: context)
        let site = f.string("site", context: context)
        var identifiers: [String: [String]] = [:]
        if let node = f.raw("identifiers") {
            if let mapping = node.mapping {
                var inner = YAMLFields(node, file: file, diagnostics: sink)
                for (key, _) in mapping {
                    guard let format = key.scalar?.string else { continue }
                    guard PartnerProfile.identifierFormats.contains(format) else {
                        f.invalid(
                            "\(context): identifiers has unknown format '\(format)'"
                                + didYouMean(format, among: PartnerProfile.identifierFormats) + " (known: x12, edifact, json)", key)
                        continue
                    }
                    identifiers[format] = inner.stringList(format, context: "\(context) identifiers")
                }
            } else {
                f.invalid("\(context): 'identifiers' must map formats to lists", node)
            }
        }
        let formats = f.stringList("formats", context: context)
        for format in formats where !PartnerProfile.formatNames.contains(format) {
            f.invalid(
                "\(context): unknown format '\(format)'" + didYouMean(format, among: PartnerProfile.formatNames)
                    + " (known: \(PartnerProfile.formatNames.sorted().joined(separator: ", ")))", root.mapping?["formats"])
        }
        var codes: [CodeListName: [String: String]] = [:]
        if let node = f.raw("codes") {
            var inner = YAMLFields(node, file: file, diagnostics: sink)
            for (key, _) in node.mapping ?? [:] {
                guard let listName = key.scalar?.string else { continue }
                guard let list = CodeListName(rawValue: listName) else {
                    f.invalid("\(context): unknown code list '\(listName)' (known: uom, item, step, status, location)", key)
                    continue
                }
                codes[list] = inner.stringMap(listName, context: "\(context) codes")
            }
        }
        var severity: [String: Severity] = [:]
        for (code, level) in f.stringMap("severity", context: context) {
            guard DiagnosticCode.known.contains(DiagnosticCode(code)) else {
                f.invalid(
                    "\(context): severity names unknown code '\(code)'" + didYouMean(code, among: DiagnosticCode.known.map(\.rawValue)),
                    root.mapping?["severity"])
                continue
            }
            guard let value = Severity(rawValue: level) else {
                f.invalid("\(context): severity of \(code) must be info, warning or error", root.mapping?["severity"])
                continue
            }
            severity[code] = value
        }
        let options = f.stringMap("options", context: context)
        for (option, value) in options {
            guard let allowed = PartnerProfile.options[option] else {
                f.invalid(
                    "\(context): unknown option '\(option)'" + didYouMean(option, among: PartnerProfile.options.keys)
                        + " (known: \(PartnerProfile.options.keys.sorted().joined(separator: ", ")))", root.mapping?["options"])
                continue
            }
            if let allowed, !allowed.contains(value) {
                f.invalid(
                    "\(context): option \(option) must be \(allowed.sorted().joined(separator: " or ")), is '\(value)'", root.mapping?["options"])
            }
        }
        let timeZone = f.string("timeZone", context: context)
        let acknowledgments = f.stringMap("acknowledgments", context: context)
        for (setting, value) in acknowledgments {
            guard let allowed = PartnerProfile.acknowledgmentSettings[setting] else {
                f.invalid(
                    "\(context): unknown acknowledgments setting '\(setting)'"
                        + didYouMean(setting, among: PartnerProfile.acknowledgmentSettings.keys)
                        + " (known: \(PartnerProfile.acknowledgmentSettings.keys.sorted().joined(separator: ", ")))",
                    root.mapping?["acknowledgments"])
                continue
            }
            if !allowed.contains(value) {
                f.invalid(
                    "\(context): acknowledgments.\(setting) must be \(allowed.joined(separator: ", ")), is '\(value)'",
                    root.mapping?["acknowledgments"])
            }
        }
        var tolerances = ReceivingTolerances()
        for (setting, value) in f.stringMap("receiving", context: context) {
            guard PartnerProfile.receivingSettings.contains(setting) else {
                f.invalid(
                    "\(context): unknown receiving setting '\(setting)'" + didYouMean(setting, among: PartnerProfile.receivingSettings)
                        + " (known: \(PartnerProfile.receivingSettings.joined(separator: ", ")))", root.mapping?["receiving"])
                continue
            }
            guard let percent = ExactDecimal(value), !percent.isNegative, !(ExactDecimal(100) < percent) else {
                f.invalid("\(context): receiving.\(setting) must be a percentage from 0 to 100, is '\(value)'", root.mapping?["receiving"])
                continue
            }
            if setting == "overTolerancePercent" { tolerances.overPercent = percent } else { tolerances.underPercent = percent }
        }
        f.reportUnknownFields(context: context)
        guard let id, let kind else { return nil }
        var profile = PartnerProfile(
            partner: id, kind: kind, name: name, gln: gln, scac: scac, site: site, identifiers: identifiers,
            formats: formats, codes: codes, severity: severity, options: options, timeZone: timeZone, source: f.source)
        profile.acknowledgments = acknowledgments
        profile.tolerances = tolerances
        return profile
    }
}

extension MasterDataSnapshot {
    /// The same snapshot with loading diagnostics in front of the validation ones.
    func adding(diagnostics extra: [Diagnostic]) -> MasterDataSnapshot {
        guard !extra.isEmpty else { return self }
        var copy = self
        copy.diagnostics = extra + diagnostics
        return copy
    }
}
