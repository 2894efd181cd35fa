import Formats
import Foundation
import MasterData
import Model
import Normalize
import TestSupport
import Testing

@Suite("Carrier status")
struct CarrierTests {
    /// A 214 from ODFL with one LX/AT7 per status.
    static func x12(_ statuses: [(code: String, extra: [String])], b10: String = "B10*PRO1*ASN-X*ODFL") -> [UInt8] {
        var body = [b10, "L11*BOL-77*BM"]
        for (index, status) in statuses.enumerated() {
            body += ["LX*\(index + 1)", "AT7*\(status.code)*NS***20260715*1430*ET"] + status.extra
        }
        var text = "ISA*00*          *00*          *ZZ*ODFL           *ZZ*CROSSDOCK      *261120*0915*U*00401*000000031*0*P*>~\n"
        text += "GS*QM*ODFL*CROSSDOCK*20261122*1010*31*X*004010~\nST*214*0001~\n"
        for segment in body { text += segment + "~\n" }
        text += "SE*\(body.count + 2)*0001~\nGE*1*31~\nIEA*1*000000031~\n"
        return Array(text.utf8)
    }

    static func statuses(_ outcomes: [Outcome]) -> [CarrierStatus] {
        outcomes.compactMap { if case .event(.carrierStatus(let event)) = $0 { event.data } else { nil } }
    }

    @Test("every X12 AT7 code of the table maps to its canonical status", arguments: CarrierStatusTable.x12.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    func x12Table(code: String, status: CarrierStatusCode) throws {
        let outcomes = TestNetwork.normalize(Self.x12([(code, [])]), source: .carrier)
        let events = Self.statuses(outcomes)
        try #require(events.count == 1, "\(outcomes)")
        #expect(events[0].status == status && events[0].statusCode == code && events[0].reasonCode == "NS")
        let announcesEstimate = CarrierStatusTable.estimateCodes.contains(code)
        #expect((events[0].estimatedDeliveryAt != nil) == announcesEstimate)
        // An estimate status's date is the estimate, not when the status happened.
        #expect((outcomes.first?.eventTime == TestNetwork.recorded) == announcesEstimate)
    }

    @Test("the table covers every code the contract names")
    func coverage() {
        // B6 (estimated to arrive at the carrier's terminal) is left to profiles: no canonical
        // status says it, and its date is an estimate of no delivery.
        let required = ["AF", "AG", "AJ", "AM", "AP", "AV", "A3", "A7", "A9", "CA", "CD", "D1", "I1", "J1", "K1", "L1", "OA", "OO", "P1", "R1", "S1", "SD", "X1", "X2", "X3", "X4", "X5", "X6", "X8", "XB"]
        #expect(required.filter { CarrierStatusTable.x12[$0] == nil } == [])
    }

    @Test("an unknown status code rejects the message with CODE_UNMAPPED and its position")
    func unknownCode() throws {
        let outcomes = TestNetwork.normalize(Self.x12([("AF", []), ("ZZ", [])]), source: .carrier)
        try #require(outcomes.count == 1)
        #expect(outcomes[0].rejection?.code == .codeUnmapped)
        #expect(outcomes[0].rejection?.diagnostics.first?.location == "ST 0001 / segment 7 AT7")
    }

    @Test("statuses stay in order; time codes become offsets; MS1 coordinates and MS2 equipment are kept")
    func details() throws {
        let events = Self.statuses(TestNetwork.normalize(Self.x12([
            ("AF", ["MS1*CHATTANOOGA*TN*US", "MS2*ODFL*TRL5512"]), ("X6", ["MS1***US*0842311*0334524*W*N"]),
        ]), source: .carrier))
        try #require(events.count == 2)
        #expect(events.map(\.status) == [.pickedUp, .inTransit])
        #expect(events[0].location == StatusLocation(city: "CHATTANOOGA", region: "TN", country: "US"))
        #expect(events[0].equipment == "ODFL TRL5512")
        #expect(events[1].location?.longitude == ExactDecimal("-84.386389") && events[1].location?.latitude == ExactDecimal("33.756667"))
        #expect(events.allSatisfy { $0.trackingNumber == "PRO1" && $0.references == [Reference(qualifier: "BM", value: "BOL-77")] })
    }

    @Test("a status is keyed by its carrier and number, whatever ship notices came before")
    func stateless() throws {
        let normalizer = Normalizer(snapshot: TestNetwork.reference)
        let statusBytes = try TestSupport.bytes("examples/samples/odfl-214.x12")
        let status = InputRecord(value: statusBytes, source: .file("214"), recordedAt: TestNetwork.recorded)
        let alone = normalizer.normalize(status, source: .carrier).map { $0.jsonBytes() }
        // The ASN this status shares references with (PRO, BOL) changes nothing about it.
        let asn = InputRecord(value: try TestSupport.bytes("examples/samples/acme-856.x12"), source: .file("asn"), recordedAt: TestNetwork.recorded)
        _ = normalizer.normalize(asn, source: .asn)
        let after = normalizer.normalize(status, source: .carrier)
        #expect(after.map { $0.jsonBytes() } == alone)
        let events = after.compactMap { if case .event(.carrierStatus(let event)) = $0 { event } else { nil } }
        try #require(events.count == 2)
        #expect(events.allSatisfy { $0.subject == "ODFL:PRO88419931" && $0.data.shipmentId == nil })
    }

    @Test("tracking JSON with the partner's status codes; estimated delivery becomes eta_updated")
    func trackingJSON() throws {
        let json = """
            {"carrier": "PCPT", "trackingNumber": "1Z999AA10123456784", "shipmentReference": "BL-20261121-0042",
             "events": [
               {"status": "PICKED_UP", "occurredAt": "2026-11-21T15:10:00-05:00", "location": {"city": "Newark", "region": "NJ", "country": "US", "latitude": 40.7357, "longitude": -74.1724}},
               {"status": "IN_TRANSIT", "occurredAt": "2026-11-22T02:00:00-05:00", "estimatedDeliveryAt": "2026-11-24T12:00:00-05:00"},
               {"status": "DELIVERED", "occurredAt": "2026-11-24T10:31:00-05:00"}
             ]}
            """
        let events = Self.statuses(TestNetwork.normalize(Array(json.utf8), source: .carrier))
        #expect(events.map(\.status) == [.pickedUp, .inTransit, .delivered])
        #expect(events[0].location?.latitude == ExactDecimal("40.7357"))
        #expect(events[1].estimatedDeliveryAt?.description == "2026-11-24T12:00:00-05:00")
        let unknown = json.replacingOccurrences(of: "DELIVERED", with: "TELEPORTED")
        let rejected = TestNetwork.normalize(Array(unknown.utf8), source: .carrier)
        #expect(rejected.first?.rejection?.code == .codeUnmapped)
        #expect(rejected.first?.rejection?.diagnostics.first?.location == "/events/2")
    }

    @Test("carrier events and rejections validate against the schemas")
    func schemas() throws {
        var lines = TestNetwork.normalize(try TestSupport.bytes("examples/samples/odfl-214.x12"), source: .carrier).map { $0.jsonBytes() }
        lines += TestNetwork.normalize(Self.x12([("ZZ", [])]), source: .carrier).map { $0.jsonBytes() }
        let result = try TestSupport.validateEvents(lines)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("events: 3 valid"), "\(result.output)")
    }
}

@Suite("EDIFACT IFTSTA")
struct IFTSTATests {
    @Test("each STS is one event with its DTM+334 time and LOC place")
    func statuses() throws {
        let outcomes = TestNetwork.normalize(try TestSupport.bytes("examples/samples/dhl-iftsta.edi"), source: .carrier)
        let events = CarrierTests.statuses(outcomes)
        #expect(events.map(\.status) == [.inTransit, .delivered], "\(outcomes)")
        #expect(events.map(\.statusCode) == ["31", "21"], "Rec 24: 31 en route, 21 delivery completed")
        #expect(events.first?.location == StatusLocation(city: "Hamburg", country: "DE", code: "DEHAM"), "the country of a UN/LOCODE")
        #expect(events.last?.location == StatusLocation(city: "Denver", country: "US", code: "USDEN"))
        let times = outcomes.compactMap { $0.eventTime?.description }
        #expect(times == ["2026-11-22T06:15:00+01:00", "2026-11-26T10:40:00-07:00"], "format 205 keeps its offset")
        #expect(events.last?.description == "Delivered to DC-DEN")
        #expect(events.allSatisfy { $0.trackingNumber == "DHL-7734210" })
    }

    @Test("keyed by the carrier's consignment number, not linked in the hub")
    func keyed() throws {
        let outcomes = TestNetwork.normalize(try TestSupport.bytes("examples/samples/dhl-iftsta.edi"), source: .carrier)
        let subjects = outcomes.compactMap { if case .event(.carrierStatus(let event)) = $0 { event.subject } else { nil } }
        #expect(subjects.count == 2 && Set(subjects).count == 1 && subjects[0].hasSuffix(":DHL-7734210"), "\(subjects)")
        #expect(CarrierTests.statuses(outcomes).allSatisfy { $0.shipmentId == nil })
    }
}

extension IFTSTATests {
    @Test("every EDIFACT status code of the table maps to its canonical status", arguments: CarrierStatusTable.edifact.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    func edifactTable(code: String, status: CarrierStatusCode) throws {
        let text = "UNB+UNOC:3+DHLF:ZZZ+X:14+261122:1030+1'UNH+1+IFTSTA:D:01B:UN'CNI+1+T-1'STS+1+\(code)'DTM+334:202611220615:203'UNT+5+1'UNZ+1+1'"
        let events = CarrierTests.statuses(TestNetwork.normalize(Array(text.utf8), source: .carrier))
        #expect(events.map(\.status) == [status])
        #expect(events.first?.occurredAtLocal == "2026-11-22T06:15:00", "format 203 has no zone and DHL-FREIGHT none")
        #expect(events.first?.warnings.map(\.code) == [.timeZoneUnknown])
    }
}

extension CarrierTests {
    @Test(
        "carrier rejections: unknown carrier, no status, no date, no reference, bad JSON",
        arguments: [
            ("unknown carrier", String(decoding: CarrierTests.x12([("AF", [])]), as: UTF8.self).replacingOccurrences(of: "ODFL ", with: "NOPE ").replacingOccurrences(of: "*ODFL*", with: "*NOPE*"), DiagnosticCode.partnerUnknown),
            ("no AT7", String(decoding: CarrierTests.x12([]), as: UTF8.self), .x12Syntax),
            ("no reference", String(decoding: CarrierTests.x12([("AF", [])], b10: "B10***ODFL"), as: UTF8.self), .codeUnmapped),
            ("tracking JSON without events", #"{"carrier": "PCPT", "trackingNumber": "1Z"}"#, .jsonInvalid),
            ("tracking JSON with a bad time", #"{"carrier": "PCPT", "trackingNumber": "1Z", "events": [{"status": "DELIVERED", "occurredAt": "yesterday"}]}"#, .jsonInvalid),
        ])
    func rejections(name: String, input: String, code: DiagnosticCode) throws {
        let outcomes = TestNetwork.normalize(Array(input.utf8), source: .carrier)
        try #require(outcomes.count == 1, "\(outcomes)")
        #expect(outcomes[0].rejection?.code == code, "\(outcomes[0].rejection?.diagnostics ?? [])")
    }
}
