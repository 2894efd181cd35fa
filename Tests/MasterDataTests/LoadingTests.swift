import Foundation
import MasterData
import Model
import Testing

@Suite("Master data loading")
struct LoadingTests {
    @Test("the reference network loads clean")
    func referenceNetwork() throws {
        let snapshot = NetworkFixture.snapshot
        #expect(snapshot.diagnostics == [], "\(snapshot.diagnostics)")
        #expect(snapshot.locations.values.filter { $0.type == .site }.count == 6)
        #expect(snapshot.items.count == 10)
        #expect(snapshot.partners.count == 9)
    }

    struct Variant: Sendable, CustomTestStringConvertible {
        var name: String
        var file: String
        var edit: @Sendable (String) -> String
        var code: DiagnosticCode
        var testDescription: String { name }
    }

    static let variants: [Variant] = [
        Variant(
            name: "a key given twice in one mapping", file: "items.yaml",
            edit: { $0.replacingOccurrences(of: "units: {CS: 12, PF: 720}", with: "units: {CS: 12, PF: 720, CS: 1}") }, code: .yamlSyntax),
        Variant(
            name: "duplicate location id", file: "locations.yaml",
            edit: { NetworkFixture.addingLocations(#"  - {id: "DC-ATL/RCV", type: "zone", parent: "DC-ATL"}"#)($0) },
            code: .locationDuplicate),
        Variant(
            name: "unknown parent", file: "locations.yaml",
            edit: { NetworkFixture.addingLocations(#"  - {id: "DC-ATL/NEW", type: "zone", parent: "DC-NOPE"}"#)($0) },
            code: .locationParentUnknown),
        Variant(
            name: "cycle", file: "locations.yaml",
            edit: {
                NetworkFixture.addingLocations(
                    """
                      - {id: "LOOP-A", type: "bin", parent: "LOOP-B"}
                      - {id: "LOOP-B", type: "bay", parent: "LOOP-A"}
                    """)($0)
            }, code: .locationCycle),
        Variant(
            name: "child of an earlier type than its parent", file: "locations.yaml",
            edit: {
                NetworkFixture.addingLocations(
                    #"  - {id: "DC-ATL/STO/A01/01/A/X", type: "aisle", parent: "DC-ATL/STO/A01/01/A"}"#)($0)
            }, code: .locationTypeOrder),
        Variant(
            name: "dock outside a zone", file: "locations.yaml",
            edit: {
                NetworkFixture.addingLocations(#"  - {id: "DC-ATL/STO/A01/D9", type: "dock", parent: "DC-ATL/STO/A01"}"#)($0)
            }, code: .locationTypeOrder),
        Variant(
            name: "GLN with a bad check digit", file: "locations.yaml",
            edit: {
                NetworkFixture.addingLocations(#"  - {id: "DC-NEW", type: "site", gln: "0614141000990", region: "EAST"}"#)($0)
            }, code: .checkDigit),
        Variant(
            name: "GLN used twice", file: "locations.yaml",
            edit: {
                NetworkFixture.addingLocations(#"  - {id: "DC-NEW", type: "site", gln: "0614141000012", region: "EAST"}"#)($0)
            }, code: .glnDuplicate),
        Variant(
            name: "alias to an unknown location", file: "locations.yaml",
            edit: NetworkFixture.appending(#"  - {site: "DC-ATL", code: "DOCK9", location: "DC-ATL/RCV/D09"}"#),
            code: .aliasLocationUnknown),
        Variant(
            name: "alias across sites", file: "locations.yaml",
            edit: NetworkFixture.appending(#"  - {site: "DC-ATL", code: "DEN1", location: "DC-DEN/RCV/D01"}"#),
            code: .aliasWrongSite),
        Variant(
            name: "alias defined twice", file: "locations.yaml",
            edit: NetworkFixture.appending(#"  - {site: "DC-ATL", code: "DOCK1", location: "DC-ATL/RCV/D02"}"#),
            code: .aliasDuplicate),
        Variant(
            name: "unknown location type", file: "locations.yaml",
            edit: { NetworkFixture.addingLocations(#"  - {id: "DC-ATL/RCV/T1", type: "tent", parent: "DC-ATL/RCV"}"#)($0) },
            code: .fieldInvalid),
        Variant(
            name: "YAML syntax error", file: "locations.yaml", edit: { $0 + "  - {id: \"BROKEN\", type: [\n" },
            code: .yamlSyntax),
        Variant(
            name: "duplicate sku", file: "items.yaml",
            edit: NetworkFixture.appending("  - sku: WID-100\n    baseUnit: EA"), code: .itemDuplicate),
        Variant(
            name: "GTIN with a bad check digit", file: "items.yaml",
            edit: NetworkFixture.appending("  - sku: NEW-1\n    gtin: \"00614141000015\"\n    baseUnit: EA"),
            code: .checkDigit),
        Variant(
            name: "GTIN used twice", file: "items.yaml",
            edit: NetworkFixture.appending("  - sku: NEW-1\n    gtin: \"614141000012\"\n    baseUnit: EA"),
            code: .gtinDuplicate),
        Variant(
            name: "unknown base unit", file: "items.yaml",
            edit: NetworkFixture.appending("  - sku: NEW-1\n    baseUnit: XYZ"), code: .uomUnknown),
        Variant(
            name: "non-positive pack size", file: "items.yaml",
            edit: NetworkFixture.appending("  - sku: NEW-1\n    baseUnit: EA\n    units: {CS: 0}"),
            code: .quantityInvalid),
        Variant(
            name: "identifier of two partners", file: "partners/zz-copy.yaml",
            edit: { _ in "partner: ACME-COPY\nkind: supplier\nidentifiers:\n  x12: [\"ACMEIND\"]\n" },
            code: .partnerIdentifierDuplicate),
        Variant(
            name: "partner defined twice", file: "partners/zz-copy.yaml",
            edit: { _ in "partner: ODFL\nkind: carrier\n" }, code: .partnerDuplicate),
        Variant(
            name: "gateway for an unknown site", file: "partners/zz-gw.yaml",
            edit: { _ in "partner: GW-X\nkind: scanner-gateway\nsite: DC-NOPE\n" }, code: .partnerSiteUnknown),
        Variant(
            name: "code mapped to an unknown step", file: "partners/zz-gw.yaml",
            edit: { _ in "partner: GW-X\nkind: scanner-gateway\nsite: DC-ATL\ncodes:\n  step: {TELE: teleported}\n" },
            code: .codeTargetUnknown),
        Variant(
            name: "unknown partner kind", file: "partners/zz-x.yaml",
            edit: { _ in "partner: X\nkind: wholesaler\n" }, code: .fieldInvalid),
    ]

    @Test("each broken variant is reported with its code and a file location", arguments: variants)
    func broken(_ variant: Variant) throws {
        let folder = try NetworkFixture.variant(variant.file, variant.edit)
        defer { try? FileManager.default.removeItem(at: folder) }
        let snapshot = try MasterDataLoader.load(directory: folder.path)
        let matching = snapshot.diagnostics.filter { $0.code == variant.code && $0.severity == .error }
        #expect(!matching.isEmpty, "expected \(variant.code), got \(snapshot.diagnostics)")
        #expect(matching.allSatisfy { $0.location?.hasPrefix(variant.file) == true }, "\(matching)")
        // Nothing else in the network breaks because of it (only the expected problem is reported),
        // except for a cycle, which is also a type-order violation, and an unreadable locations.yaml,
        // without which the gateways' sites are unknown.
        if variant.code != .locationCycle && variant.code != .yamlSyntax {
            #expect(Set(snapshot.diagnostics.filter { $0.severity == .error }.map(\.code)) == [variant.code])
        }
    }

    @Test("problems point at the line of the offending entry")
    func lineNumbers() throws {
        let folder = try NetworkFixture.variant(
            "locations.yaml", NetworkFixture.addingLocations(#"  - {id: "DC-ATL/NEW", type: "zone", parent: "DC-NOPE"}"#))
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = try String(contentsOf: folder.appendingPathComponent("locations.yaml"), encoding: .utf8)
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("DC-NOPE") }! + 1
        let snapshot = try MasterDataLoader.load(directory: folder.path)
        #expect(snapshot.diagnostics.map(\.location) == ["locations.yaml:\(line)"])
    }

    @Test("every problem is listed at once, not only the first")
    func allAtOnce() throws {
        let folder = try NetworkFixture.variant(
            "locations.yaml",
            NetworkFixture.addingLocations(
                """
                  - {id: "DC-ATL/RCV", type: "zone", parent: "DC-ATL"}
                  - {id: "DC-ATL/NEW", type: "zone", parent: "DC-NOPE"}
                  - {id: "DC-NEW", type: "site", gln: "0614141000012"}
                """))
        defer { try? FileManager.default.removeItem(at: folder) }
        let codes = Set(try MasterDataLoader.load(directory: folder.path).diagnostics.map(\.code))
        #expect(codes == [.locationDuplicate, .locationParentUnknown, .glnDuplicate])
    }

    @Test("an unknown field is an error with file:line and a did-you-mean, never silently ignored")
    func unknownField() throws {
        let folder = try NetworkFixture.variant(
            "locations.yaml", NetworkFixture.addingLocations(#"  - {id: "DC-ATL/NEW", type: "zone", parnet: "DC-ATL"}"#))
        defer { try? FileManager.default.removeItem(at: folder) }
        let diagnostics = try MasterDataLoader.load(directory: folder.path).diagnostics
        let unknown = try #require(diagnostics.first { $0.message.contains("parnet") }, "\(diagnostics)")
        #expect(unknown.severity == .error && unknown.code == .fieldInvalid)
        #expect(unknown.message.contains("did you mean 'parent'?"), "\(unknown.message)")
        #expect(unknown.location?.hasPrefix("locations.yaml:") == true)
        #expect(diagnostics.contains { $0.code == .locationParentUnknown })
    }

    @Test(
        "misspelled profile keys and values are errors with a did-you-mean",
        arguments: [
            ("identifers: {x12: [\"X\"]}", "unknown field 'identifers' (did you mean 'identifiers'?)"),
            ("identifiers: {x21: [\"X\"]}", "unknown format 'x21' (did you mean 'x12'?)"),
            ("formats: [x12-865]", "unknown format 'x12-865' (did you mean 'x12-856'?)"),
            ("severity: {X12_ENVELOP: warning}", "unknown code 'X12_ENVELOP' (did you mean 'X12_ENVELOPE'?)"),
            ("severity: {X12_ENVELOPE: warn}", "must be info, warning or error"),
            ("options: {shipto: DC-ATL}", "unknown option 'shipto' (did you mean 'shipTo'?)"),
            ("options: {shipTo: DC-NOWHERE}", "options.shipTo 'DC-NOWHERE' is not a location"),
            ("options: {permitUnknownAIs: yes}", "option permitUnknownAIs must be false or true"),
            ("timeZone: Europe/Berlim", "timeZone 'Europe/Berlim' is not an IANA time zone"),
            ("acknowledgments: {x21: \"997\"}", "unknown acknowledgments setting 'x21' (did you mean 'x12'?)"),
            ("acknowledgments: {x12: \"999\"}", "acknowledgments.x12 must be 997, none, is '999'"),
            ("acknowledgments: {ta1: sometimes}", "acknowledgments.ta1 must be on-error, always, never, is 'sometimes'"),
            ("acknowledgments: {detail: segment}", "acknowledgments.detail must be element, set, group, is 'segment'"),
        ])
    func misspelledProfile(line: String, message: String) throws {
        let profile = "partner: TYPO\nkind: supplier\n" + line + "\n"
        let folder = try NetworkFixture.variant("partners/typo.yaml") { _ in profile }
        defer { try? FileManager.default.removeItem(at: folder) }
        let diagnostics = try MasterDataLoader.load(directory: folder.path).diagnostics
        #expect(diagnostics.contains { $0.severity == .error && $0.message.contains(message) }, "\(diagnostics)")
    }

    @Test("acknowledgments: what a profile gives, else the defaults (997 with element detail, TA1 on error, CONTRL when asked)")
    func acknowledgmentSettings() throws {
        let profile = "partner: ACK\nkind: supplier\nacknowledgments: {ta1: always, detail: set}\n"
        let folder = try NetworkFixture.variant("partners/ack.yaml") { _ in profile }
        defer { try? FileManager.default.removeItem(at: folder) }
        let snapshot = try MasterDataLoader.load(directory: folder.path)
        #expect(!snapshot.hasErrors, "\(snapshot.diagnostics)")
        let ack = try #require(snapshot.partner(id: "ACK"))
        #expect([ack.acknowledgment("x12"), ack.acknowledgment("ta1"), ack.acknowledgment("detail"), ack.acknowledgment("edifact")]
            == ["997", "always", "set", "contrl"])
    }

    @Test("a misspelled item flag is an error, not an item that is silently not lot-controlled")
    func misspelledItem() throws {
        let folder = try NetworkFixture.variant(
            "items.yaml", NetworkFixture.appending("  - {sku: TYPO-1, baseUnit: EA, lotControled: true}"))
        defer { try? FileManager.default.removeItem(at: folder) }
        let diagnostics = try MasterDataLoader.load(directory: folder.path).diagnostics
        #expect(diagnostics.contains { $0.severity == .error && $0.message.contains("did you mean 'lotControlled'?") }, "\(diagnostics)")
    }

    @Test("a folder that does not exist is not master data")
    func missingFolder() {
        #expect(throws: MasterDataLoader.FolderError.self) { _ = try MasterDataLoader.load(directory: "/nonexistent-crossdock") }
    }

    /// A chain of `count` zones below DC-ATL/STO, each the parent of the next.
    static func chain(_ count: Int, cycle: Bool = false) -> String {
        (0..<count).map { index in
            let parent = cycle ? "CY/\((index + 1) % count)" : index == 0 ? "DC-ATL/STO" : "DC-ATL/STO/Z\(index - 1)"
            let id = cycle ? "CY/\(index)" : "DC-ATL/STO/Z\(index)"
            return #"  - {id: "\#(id)", type: "zone", parent: "\#(parent)"}"#
        }.joined(separator: "\n")
    }

    @Test("hostile nesting and chains are errors with file:line, never a crash", arguments: [
        ("YAML mappings 5,000 deep", "{a: " + String(repeating: "{a: ", count: 5_000) + "x" + String(repeating: "}", count: 5_001), DiagnosticCode.yamlSyntax),
        ("YAML sequences 5,000 deep", String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000), .yamlSyntax),
        ("block sequences 5,000 deep", String(repeating: "- ", count: 5_000) + "x", .yamlSyntax),
    ])
    func hostileNesting(name: String, entry: String, code: DiagnosticCode) throws {
        let folder = try NetworkFixture.variant("locations.yaml", NetworkFixture.addingLocations("  - " + entry))
        defer { try? FileManager.default.removeItem(at: folder) }
        let errors = try MasterDataLoader.load(directory: folder.path).diagnostics.filter { $0.code == code }
        #expect(errors.first?.location?.hasPrefix("locations.yaml:") == true, "\(name): \(errors)")
    }

    @Test("a 10,000-deep parent chain is LOCATION_TOO_DEEP, a 10,000-long cycle LOCATION_CYCLE, briefly")
    func longChains() throws {
        for (lines, code) in [(Self.chain(10_000), DiagnosticCode.locationTooDeep), (Self.chain(10_000, cycle: true), .locationCycle)] {
            let folder = try NetworkFixture.variant("locations.yaml", NetworkFixture.addingLocations(lines))
            defer { try? FileManager.default.removeItem(at: folder) }
            let snapshot = try MasterDataLoader.load(directory: folder.path)
            let errors = snapshot.diagnostics.filter { $0.code == code }
            #expect(errors.count == 1, "\(code): \(errors.count)")
            #expect(errors.allSatisfy { $0.message.utf8.count < 400 && $0.location?.hasPrefix("locations.yaml:") == true })
            // The rest of the network still resolves.
            #expect(snapshot.location(id: "DC-ATL/STO/A01/01/A") != nil)
        }
        // 15 levels below a site are allowed (with type-order errors), 16 are not.
        let snapshot = try MasterDataLoader.load(
            directory: try NetworkFixture.variant("locations.yaml", NetworkFixture.addingLocations(Self.chain(15))).path)
        #expect(snapshot.location(id: "DC-ATL/STO/Z13")?.path.count == 16)
        #expect(snapshot.location(id: "DC-ATL/STO/Z14") == nil)
    }

    @Test("what looks like nesting but is not, and nesting dressed up as something else", arguments: [
        // Not nesting: brackets in plain and quoted scalars, block scalars (with a comment on their
        // header), comments, quotes inside plain scalars.
        ("description: Bolt [M8 x 60\n" + String(repeating: "x: Bolt [M8\n", count: 100), false),
        ("a: |  # note\n" + String(repeating: "  [[[[[[[[[[\n", count: 20), false),
        ("a: \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"\n", false),
        ("a: 'it''s [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[['\n", false),
        ("# [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\na: 1\n", false),
        ("name: it's fine [ok\n", false),
        // Nesting: a quote inside a plain scalar opens nothing; CR line breaks are line breaks.
        ("name: [it's, " + String(repeating: "[", count: 100) + String(repeating: "]", count: 101) + "\n", true),
        ("items: [5\", " + String(repeating: "[", count: 100) + "]\n", true),
        ("# x\ritems: " + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "\r", true),
        ("a:\r\n" + (1...70).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\r\n") + "\r\n", true),
        ("a: &x " + String(repeating: "[", count: 100) + "\n", true),
    ])
    func nestingScanner(text: String, tooDeep: Bool) {
        #expect((YAMLNesting.firstTooDeep(text) != nil) == tooDeep, "\(text.prefix(60))")
    }

    @Test("the nesting check finds nothing in the project's own YAML files")
    func ordinaryYAML() throws {
        let root = NetworkFixture.directory.deletingLastPathComponent().deletingLastPathComponent()
        let files = FileManager.default.enumerator(atPath: root.path)!.compactMap { $0 as? String }
            .filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) && !$0.hasPrefix(".build") }
        #expect(files.count > 10)
        for file in files {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            #expect(YAMLNesting.firstTooDeep(text, limit: 12) == nil, "\(file)")
        }
    }
}
