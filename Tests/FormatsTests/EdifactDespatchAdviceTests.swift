@testable import Formats
import Model
import Testing

@Suite("EDIFACT DESADV lines")
struct EdifactDespatchAdviceTests {
    /// Every line feature the reader knows, each in a form it must handle: a LIN without an id or
    /// without a qualifier, PIAs of several ids (one without a qualifier, one empty), a QTY+12
    /// without a unit, a decimal comma, RFF+ON with a line, a GIN+BX whose first number is
    /// empty, serials over two GIN+BNs, a release character in a description, a bad expiry, a CPS of
    /// two packages (no SSCC for its lines), qualifiers not known or in lower case.
    static let message = """
        UNA:+,? '
        UNB+UNOC:3+4012345000009:14+0614141000012:14+261121:0815+NW000482'
        UNH+7+DESADV:D:96A:UN:EAN005'
        BGM+351+DA-FEAT-1+9'
        RFF+ON:PO-4500099'
        CPS+1'
        PAC+2++201'
        GIN+BJ+006141410000110018+006141410000110025'
        CPS+2+1'
        PAC+1++CT'
        GIN+BJ+006141410000000005'
        LIN+++00614141000012:SRV'
        PIA+1+NW-0:SA+B-77:BP+X-1:ZZZZ+:SA+Q9'
        IMD+F++:::Hex bolt M8? 25mm'
        QTY+12:2'
        RFF+ON:PO-78:4'
        RFF+AAS:BM-1'
        DTM+361:20271231:102'
        GIN+BX++L1'
        GIN+BX+L1'
        GIN+BN+S1+S2'
        GIN+BN++S3'
        LIN+2++00614141000029'
        PIA+5+NW-1'
        QTY+12'
        DTM+36:2027:102'
        LIN+3++00614141000036:EN+foo'
        QTY+11:4:PCE'
        CPS+3+1'
        PAC+1++CT'
        GIN+BJ+006141410000000012+006141410000000029'
        LIN+4++00614141000043:LONGQ'
        PIA+1+NW-3:sa'
        QTY+12:4,5:CS'
        GIN+BN+S9'
        CNT+2:4'
        UNT+35+7'
        UNZ+1+NW000482'
        """

    static func document() throws -> ASNDocument {
        let (messages, _) = EdifactReader.readAll(Array(message.utf8))
        return EdifactDespatchAdvice.read(try #require(messages.first))
    }

    @Test("each field from its segment: ids, quantity and unit, order, lot, serials, expiry, description, SSCC")
    func fields() throws {
        let document = try Self.document()
        let lines = document.lines
        #expect(lines.map(\.lineId) == ["1", "2", "3", "4"], "a LIN without an id is numbered by its position")
        #expect(lines.map(\.quantity) == ["2", nil, nil, "4.5"])
        #expect(lines.map(\.unit) == ["PCE", "PCE", nil, "CS"])
        #expect(lines.map(\.quantityLocation.description) == [
            "UNH 7 / segment 13 QTY / element 01", "UNH 7 / segment 23 QTY / element 01", "UNH 7 / segment 25 LIN",
            "UNH 7 / segment 32 QTY / element 01",
        ])
        #expect(lines.map(\.unitLocation) == lines.map(\.quantityLocation))
        #expect(lines.map(\.poNumber) == ["PO-78", nil, nil, nil] && lines.map(\.poLine) == ["4", nil, nil, nil])
        #expect(lines.map(\.lot) == ["L1", nil, nil, nil])
        #expect(lines.map(\.serials) == [["S1", "S2", "S3"], [], [], ["S9"]])
        #expect(lines.map { $0.expiry?.date(referenceYear: 2026) } == [CalendarDate(year: 2027, month: 12, day: 31), nil, nil, nil])
        #expect(lines.map(\.description) == ["Hex bolt M8 25mm", nil, nil, nil])
        #expect(lines.map(\.handlingUnit) == ["006141410000000005", "006141410000000005", "006141410000000005", nil])
        #expect(lines.map(\.location.description) == ["UNH 7 / segment 10 LIN", "UNH 7 / segment 21 LIN", "UNH 7 / segment 25 LIN", "UNH 7 / segment 30 LIN"])
        let ids = lines.map { $0.productIDs.map { "\($0.qualifier) \($0.kind) \($0.value) \($0.location)" } }
        #expect(ids[0] == [
            "SRV gtin 00614141000012 UNH 7 / segment 10 LIN / element 03", "SA supplierItem NW-0 UNH 7 / segment 11 PIA / element 02",
            "BP buyerItem B-77 UNH 7 / segment 11 PIA / element 03", "ZZZZ other X-1 UNH 7 / segment 11 PIA / element 04",
            "SA supplierItem Q9 UNH 7 / segment 11 PIA / element 06",
        ])
        #expect(ids[1] == ["SRV gtin 00614141000029 UNH 7 / segment 21 LIN / element 03", "SA supplierItem NW-1 UNH 7 / segment 22 PIA / element 02"])
        #expect(ids[2] == ["EN gtin 00614141000036 UNH 7 / segment 25 LIN / element 03"])
        #expect(ids[3] == ["LONGQ other 00614141000043 UNH 7 / segment 30 LIN / element 03", "sa other NW-3 UNH 7 / segment 31 PIA / element 02"])
    }

    @Test("what the lines do to the document: references outside an order, packages, findings")
    func document() throws {
        let document = try Self.document()
        #expect(document.orders == ["PO-4500099"])
        #expect(document.references == [Reference(qualifier: "BM", value: "BM-1")], "an RFF other than ON in a line is the document's")
        #expect(document.handlingUnits.map(\.sscc) == [
            "006141410000110018", "006141410000110025", "006141410000000005", "006141410000000012", "006141410000000029",
        ])
        #expect(document.diagnostics.map { "\($0.code) \($0.location ?? "")" } == [
            "VALUE_DEFAULTED UNH 7 / segment 13 QTY / element 01", "VALUE_DEFAULTED UNH 7 / segment 11 PIA / element 06",
            "EDIFACT_SYNTAX UNH 7 / segment 24 DTM / element 01", "VALUE_DEFAULTED UNH 7 / segment 21 LIN / element 03",
            "VALUE_DEFAULTED UNH 7 / segment 22 PIA / element 02", "QUANTITY_INVALID UNH 7 / segment 21 LIN",
            "QUANTITY_INVALID UNH 7 / segment 25 LIN",
        ], "a QTY without a unit and item numbers without a type are read as EANCOM says, with a warning")
    }
}
