import Foundation
import Model
import Testing

@Suite("Diagnostics")
struct DiagnosticTests {
    @Test("codes encode as their stable spelling and severities order info < warning < error")
    func codes() throws {
        let diagnostic = Diagnostic.error(.uomUnknown, "unit 'ZZ' is not known", at: "/scans/0/uom")
        let json = try JSONEncoder().encode(diagnostic)
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: String])
        #expect(object["code"] == "UOM_UNKNOWN")
        #expect(object["severity"] == "error")
        #expect(try JSONDecoder().decode(Diagnostic.self, from: json) == diagnostic)
        #expect(Severity.info < .warning && Severity.warning < .error)
    }
}
