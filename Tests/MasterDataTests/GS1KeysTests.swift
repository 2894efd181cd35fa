import MasterData
import Model
import Testing

@Suite("GS1 keys")
struct GS1KeysTests {
    @Test(
        "GTIN-8, -12, -13 and -14 normalise to 14 digits",
        arguments: [
            ("96385074", "00000096385074"), ("036000291452", "00036000291452"), ("4006381333931", "04006381333931"),
            ("00614141000012", "00614141000012"), (" 10614141000019 ", "10614141000019"), ("\t96385074\u{00A0}", "00000096385074"),
        ])
    func gtin(input: String, expected: String) throws {
        #expect(try GS1Keys.gtin14(input).get() == expected)
    }

    @Test("a wrong check digit names the key and the digit it should be")
    func wrongDigit() {
        guard case .failure(let diagnostic) = GS1Keys.gtin14("00614141000013", what: "LIN03", at: "segment 12") else {
            Issue.record("accepted")
            return
        }
        #expect(diagnostic.code == .checkDigit)
        #expect(diagnostic.message == "LIN03 00614141000013: the GTIN check digit is 3, expected 2")
        #expect(diagnostic.location == "segment 12")
    }

    @Test("SSCC: 18 digits, or 20 with the leading 00 of its application identifier")
    func sscc() throws {
        #expect(try GS1Keys.sscc("006141410000000012").get() == "006141410000000012")
        #expect(try GS1Keys.sscc("00006141410000000012").get() == "006141410000000012")
        #expect(throws: Diagnostic.self) { try GS1Keys.sscc("006141410000000013").get() }
        #expect(throws: Diagnostic.self) { try GS1Keys.sscc("0061414100000000").get() }
        #expect(throws: Diagnostic.self) { try GS1Keys.sscc("00614141000000001A").get() }
    }

    @Test("GLN: 13 digits with a check digit")
    func gln() throws {
        #expect(try GS1Keys.gln("0614141000012").get() == "0614141000012")
        #expect(throws: Diagnostic.self) { try GS1Keys.gln("0614141000013").get() }
        #expect(throws: Diagnostic.self) { try GS1Keys.gln("614141000012").get() }
        #expect(GS1CheckDigit.compute(for: Array("061414100001".utf8)) == 2)
    }
}
