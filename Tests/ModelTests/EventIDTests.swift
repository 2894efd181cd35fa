import Model
import Testing

@Suite("Deterministic ids")
struct EventIDTests {
    @Test("UUIDv5 matches the RFC 9562 algorithm (known vector)")
    func knownVector() {
        // uuid5(NAMESPACE_DNS, "python.org") from Python's uuid module.
        let dns: [UInt8] = [
            0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8,
        ]
        let uuid = EventID.format(EventID.uuidV5(namespace: dns, name: Array("python.org".utf8)))
        #expect(uuid == "886313e1-3b8a-5372-9b90-0c9aee199e5d")
    }

    @Test("the same source, document and position always give the same id; any change gives another")
    func determinism() {
        let a = EventID.make(source: "urn:crossdock:partner:ACME", document: "000000001/0001", position: "0")
        let b = EventID.make(source: "urn:crossdock:partner:ACME", document: "000000001/0001", position: "0")
        #expect(a == b)
        #expect(a != EventID.make(source: "urn:crossdock:partner:ACME", document: "000000001/0001", position: "1"))
        #expect(a != EventID.make(source: "urn:crossdock:partner:ACME", document: "000000001/0002", position: "0"))
        // Field boundaries matter: ("a|b", "c") is not ("a", "b|c").
        #expect(
            EventID.make(source: "s", document: "a|b", position: "c")
                != EventID.make(source: "s", document: "a", position: "b|c"))
        #expect(a.count == 36 && a[a.index(a.startIndex, offsetBy: 14)] == "5")
    }
}
