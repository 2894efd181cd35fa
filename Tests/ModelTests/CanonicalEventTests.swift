import Foundation
import Model
import Testing

@Suite("Canonical events")
struct CanonicalEventTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static let samples: [(String, [UInt8])] = [
        ("shipment-notice", SampleEvents.shipmentNotice.jsonBytes()),
        ("inventory-event", SampleEvents.inventoryEvent.jsonBytes()),
        ("carrier-status", SampleEvents.carrierStatus.jsonBytes()),
        ("rejected", SampleEvents.rejected.jsonBytes()),
    ]

    @Test("each event type encodes to its golden file, byte for byte", arguments: samples.map(\.0))
    func golden(name: String) throws {
        let bytes = try #require(Self.samples.first { $0.0 == name }?.1)
        let file = Self.golden.appendingPathComponent("\(name).json")
        if ProcessInfo.processInfo.environment["CROSSDOCK_UPDATE_GOLDEN"] == "1" {
            try Data(bytes + [0x0A]).write(to: file)
        }
        let expected = try Data(contentsOf: file)
        #expect(Array(expected) == bytes + [0x0A], "regenerate with CROSSDOCK_UPDATE_GOLDEN=1 after a deliberate change")
    }

    @Test("sourceref: topic/partition/offset of a Kafka record, the file name of a file")
    func sourceReference() {
        #expect(SourcePosition.kafka(topic: "scanners.events.raw", partition: 0, offset: 0).reference == "scanners.events.raw/0/0")
        #expect(SourcePosition.kafka(topic: "t", partition: 11, offset: 9_007_199_254_740_993).reference == "t/11/9007199254740993")
        #expect(SourcePosition.kafka(topic: "é.raw", partition: 3, offset: -1).reference == "é.raw/3/-1")
        #expect(SourcePosition.kafka(topic: "a", partition: Int(Int32.max), offset: Int.min).reference == "a/2147483647/\(Int.min)")
        #expect(SourcePosition.file("in/acme.x12").reference == "in/acme.x12")
        #expect(SourcePosition(topic: "only-topic").reference == "only-topic")
    }

    @Test("encode, decode, encode is byte-identical and decodes to an equal value")
    func roundTrip() throws {
        func check<P: EventPayload & JSONDecodable>(_ event: CloudEvent<P>) throws {
            let bytes = event.jsonBytes()
            let decoded = try CloudEvent<P>(jsonBytes: bytes)
            #expect(decoded == event)
            #expect(decoded.jsonBytes() == bytes)
        }
        try check(SampleEvents.shipmentNotice)
        try check(SampleEvents.inventoryEvent)
        try check(SampleEvents.carrierStatus)
        try check(SampleEvents.rejected)
        let any = try CanonicalEvent(jsonBytes: SampleEvents.inventoryEvent.jsonBytes())
        #expect(any == .inventoryEvent(SampleEvents.inventoryEvent))
        #expect(any.subject == "006141410000000012")
    }

    @Test("decimals are JSON numbers without binary floating-point artefacts")
    func decimalsAsNumbers() throws {
        let text = String(decoding: SampleEvents.shipmentNotice.jsonBytes(), as: UTF8.self)
        #expect(text.contains(#""quantity":{"value":12.5,"uom":"KGM"}"#))
        #expect(text.contains(#""grossWeight":{"value":412.5,"uom":"LBR"}"#))
        #expect(!text.contains("12.499") && !text.contains("e-"))
        let status = String(decoding: SampleEvents.carrierStatus.jsonBytes(), as: UTF8.self)
        #expect(status.contains(#""latitude":33.749,"longitude":-84.388"#))
    }

    @Test("the envelope carries the CloudEvents attributes and the extensions in a fixed order")
    func envelope() throws {
        let value = try JSONParser.parse(SampleEvents.inventoryEvent.jsonBytes())
        let object = try #require(value.objectValue)
        #expect(
            object.keys == [
                "specversion", "id", "source", "type", "subject", "time", "datacontenttype", "dataschema", "partner",
                "site", "recordedtime", "sourceref", "data",
            ])
        #expect(object["type"] == .string("crossdock.inventory.event.v1"))
        #expect(object["dataschema"] == .string("https://crossdock.dev/schemas/v1/inventory-event.json"))
        #expect(object["time"] == .string("2026-11-19T10:02:44-05:00"))
    }

    @Test("a decoder rejects an event of another type or a wrong schema, with a pointer")
    func decodeErrors() throws {
        let bytes = SampleEvents.carrierStatus.jsonBytes()
        #expect(throws: JSONShapeError.self) { _ = try CloudEvent<ShipmentNotice>(jsonBytes: bytes) }
        var text = String(decoding: bytes, as: UTF8.self)
        text = text.replacingOccurrences(of: #""status":"arrived""#, with: #""status":"teleported""#)
        do {
            _ = try CloudEvent<CarrierStatus>(jsonBytes: Array(text.utf8))
            Issue.record("an unknown status was accepted")
        } catch let error as JSONShapeError {
            #expect(error.pointer.description == "/data/status")
        }
    }

    @Test("binary originals travel as base64 and come back unchanged")
    func binaryOriginal() throws {
        let bytes: [UInt8] = [0x49, 0x53, 0x41, 0xFF, 0x00, 0x1D, 0x85]
        let embedded = EmbeddedBytes(bytes)
        #expect(embedded.encoding == .base64)
        #expect(embedded.bytes == bytes)
        #expect(Base64.encode(Array("Man".utf8)) == "TWFu" && Base64.encode(Array("Ma".utf8)) == "TWE=")
        #expect(Base64.decode("TWE=") == Array("Ma".utf8))
        #expect(EmbeddedBytes(Array("ISA*00".utf8)).encoding == .utf8)
    }
}

@Suite("Locations")
struct LocationValueTests {
    @Test("a location is a value: changing a copy leaves the original and the events holding it as they were")
    func valueSemantics() throws {
        let dock = Location(id: "DC-ATL/RCV/D04", site: "DC-ATL", path: ["DC-ATL", "DC-ATL/RCV", "DC-ATL/RCV/D04"], type: .dock, role: .receiving)
        var moved = dock
        #expect(moved == dock)
        moved.id = "DC-ATL/RCV/D05"
        moved.path[2] = "DC-ATL/RCV/D05"
        moved.gln = "0614141000005"
        #expect(dock.id == "DC-ATL/RCV/D04" && dock.path.last == "DC-ATL/RCV/D04" && dock.gln == nil)
        #expect(moved.id == "DC-ATL/RCV/D05" && moved.path.last == "DC-ATL/RCV/D05")
        #expect(moved != dock)
        let twin = Location(id: "DC-ATL/RCV/D04", site: "DC-ATL", path: ["DC-ATL", "DC-ATL/RCV", "DC-ATL/RCV/D04"], type: .dock, role: .receiving)
        #expect(twin == dock && Set([twin, dock]).count == 1)
        // Written and read back, field for field.
        var writer = JSONWriter()
        moved.write(to: &writer)
        let read = try Location(json: JSONParser.parse(writer.bytes), at: .root)
        #expect(read == moved)
        // The JSON is encoded when a location is made or changed: each follows its own fields.
        #expect(
            String(decoding: writer.bytes, as: UTF8.self)
                == #"{"id":"DC-ATL/RCV/D05","site":"DC-ATL","path":["DC-ATL","DC-ATL/RCV","DC-ATL/RCV/D05"],"type":"dock","role":"receiving","gln":"0614141000005"}"#)
        #expect(
            String(decoding: dock.jsonBytes(), as: UTF8.self)
                == #"{"id":"DC-ATL/RCV/D04","site":"DC-ATL","path":["DC-ATL","DC-ATL/RCV","DC-ATL/RCV/D04"],"type":"dock","role":"receiving"}"#)
        moved.name = "Dock \"5\""
        moved.role = nil
        #expect(String(decoding: moved.jsonBytes(), as: UTF8.self).hasSuffix(#""type":"dock","gln":"0614141000005","name":"Dock \"5\""}"#))
    }
}

@Suite("Locations printed")
struct LocationPrintTests {
    @Test("a location prints as its fields")
    func printed() {
        let bin = Location(id: "DC-ATL/STO/A01", site: "DC-ATL", path: ["DC-ATL", "DC-ATL/STO/A01"], type: .bin)
        #expect(
            "\(bin)"
                == #"Location(id: "DC-ATL/STO/A01", site: "DC-ATL", path: ["DC-ATL", "DC-ATL/STO/A01"], type: Model.LocationType.bin, role: nil, gln: nil, name: nil)"#)
    }
}
