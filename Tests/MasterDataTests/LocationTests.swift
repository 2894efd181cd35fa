import MasterData
import Model
import Testing

@Suite("Locations")
struct LocationTests {
    static var snapshot: MasterDataSnapshot { NetworkFixture.snapshot }

    @Test("ids and site aliases resolve to enterprise locations with path, site and inherited role")
    func resolve() throws {
        let dock = try #require(Self.snapshot.location(code: "DOCK3", site: "DC-ATL"))
        #expect(dock.id == "DC-ATL/RCV/D03")
        #expect(dock.path == ["DC-ATL", "DC-ATL/RCV", "DC-ATL/RCV/D03"])
        #expect(dock.site == "DC-ATL" && dock.type == .dock && dock.role == .receiving)
        #expect(Self.snapshot.location(code: "DOCK3", site: "DC-DEN") == nil, "aliases resolve only within their site")
        #expect(Self.snapshot.location(code: "DC-DEN/RCV/D01", site: "DC-ATL")?.site == "DC-DEN")
        #expect(Self.snapshot.site(gln: "0614141000012")?.id == "DC-ATL")
        #expect(Self.snapshot.site(gln: "0614141000067")?.id == "3PL-RNO")
        #expect(Self.snapshot.site(gln: "0614141000999") == nil)
    }

    @Test("a location without its own role inherits its parent's")
    func roleInheritance() throws {
        let snapshot = MasterDataSnapshot.build(
            locations: [
                LocationRecord(id: "S", type: .site),
                LocationRecord(id: "S/Z", type: .zone, parent: "S", role: .quarantine),
                LocationRecord(id: "S/Z/B", type: .bin, parent: "S/Z"),
            ], aliases: [], items: [], partners: [])
        #expect(snapshot.diagnostics.isEmpty)
        #expect(snapshot.location(id: "S/Z/B")?.role == .quarantine)
        #expect(snapshot.location(id: "S")?.role == nil)
        #expect(!snapshot.isLeaf("S/Z") && snapshot.isLeaf("S/Z/B"))
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var step: InventoryStep
        var code: String
        var site = "DC-ATL"
        var expected: DiagnosticCode?
        var testDescription: String { "\(step.rawValue) at \(code)" }
    }

    static let cases: [Case] = [
        Case(step: .received, code: "DOCK3"),
        Case(step: .received, code: "DC-ATL/RCV/D01"),
        Case(step: .received, code: "DC-ATL/STO/A01/01/A", expected: .locationWrongType),
        Case(step: .received, code: "DC-ATL/RCV", expected: .locationNotLeaf),
        Case(step: .received, code: "DOCK99", expected: .locationUnknown),
        Case(step: .received, code: "R-01", expected: .locationUnknown),
        Case(step: .received, code: "DC-DEN/RCV/D01", expected: .locationWrongSite),
        Case(step: .putaway, code: "DC-ATL/STO/A01/01/A"),
        Case(step: .putaway, code: "DOCK3", expected: .locationWrongType),
        Case(step: .putaway, code: "DC-ATL/STO", expected: .locationWrongType),
        Case(step: .putaway, code: "DC-ATL/QA/Q01", expected: .locationWrongType),
        Case(step: .moved, code: "DC-ATL/STO/A01", expected: .locationNotLeaf),
        Case(step: .moved, code: "DC-ATL/QA/Q01"),
        Case(step: .shipped, code: "DC-ATL/SHP/S01"),
        Case(step: .shipped, code: "DOCK1", expected: .locationWrongType),
        Case(step: .held, code: "HOLD"),
        Case(step: .counted, code: "DC-ATL/STO/A02/03/B"),
        Case(step: .counted, code: "DC-ATL/STO/A02/03", expected: .locationWrongType),
        Case(step: .received, code: "IN1", site: "3PL-RNO"),
    ]

    @Test("a step's location rule is checked against the hierarchy", arguments: cases)
    func stepLocation(_ c: Case) {
        let rule = InventoryStateMachine.rows[c.step]!.location
        let result = Self.snapshot.checkLocation(c.code, site: c.site, rule: rule, at: "/location")
        switch (result, c.expected) {
        case (.success, nil): break
        case (.failure(let diagnostic), let expected?):
            #expect(diagnostic.code == expected, "\(diagnostic.message)")
            #expect(diagnostic.location == "/location")
            #expect(diagnostic.message.contains(c.code) || diagnostic.message.contains("DC-ATL/"))
        case (.success(let location), let expected?):
            Issue.record("\(c.code) accepted as \(location.id), expected \(expected)")
        case (.failure(let diagnostic), nil):
            Issue.record("\(c.code) rejected: \(diagnostic.code) \(diagnostic.message)")
        }
    }
}
