import Model
import Testing

@Suite("Exact decimals")
struct ExactDecimalTests {
    @Test(
        "parses JSON numbers exactly and writes them canonically",
        arguments: [
            ("12.5", "12.5"), ("12.50", "12.5"), ("-0.001", "-0.001"), ("1e3", "1000"), ("2.5E-2", "0.025"),
            ("0", "0"), ("-0", "0"), ("100", "100"), ("0.1", "0.1"), ("0.45359237", "0.45359237"),
            ("999999999999999999", "999999999999999999"), ("1.000000000000000000000", "1"),
        ])
    func parseAndFormat(text: String, expected: String) throws {
        let value = try #require(ExactDecimal(text))
        #expect(value.description == expected)
    }

    @Test("rejects what is not a number or does not fit", arguments: ["", "-", "1.", ".5", "1e", "abc", "1.2.3", "99999999999999999999", "1e99", "0.0000000000000000001"])
    func rejects(text: String) {
        #expect(ExactDecimal(text) == nil)
    }

    @Test("arithmetic is exact where binary floating point is not")
    func arithmetic() throws {
        let a = try #require(ExactDecimal("0.1"))
        let b = try #require(ExactDecimal("0.2"))
        #expect(a.adding(b)?.description == "0.3")
        #expect(try #require(ExactDecimal("12.5")).multiplied(by: ExactDecimal(12))?.description == "150")
        // 1 LBR = 0.45359237 KGM by definition.
        let pounds = try #require(ExactDecimal("2.5"))
        #expect(pounds.multiplied(by: try #require(ExactDecimal("0.45359237")))?.description == "1.133980925")
        #expect(try #require(ExactDecimal("5")).subtracting(try #require(ExactDecimal("7.25")))?.description == "-2.25")
        #expect(ExactDecimal(Int(Int64.max)).adding(.one) == nil)
    }

    @Test("division is exact when it terminates, else rounded half to even")
    func division() throws {
        let ten = ExactDecimal(10)
        let four = ExactDecimal(4)
        let exact = try #require(ten.divided(by: four))
        #expect(exact.value.description == "2.5" && exact.exact)
        let third = try #require(ExactDecimal(1).divided(by: ExactDecimal(3), scale: 4))
        #expect(third.value.description == "0.3333" && !third.exact)
        #expect(ExactDecimal(2).divided(by: ExactDecimal(3), scale: 2)?.value.description == "0.67")
        // Half to even: 0.125 -> 0.12, 0.135 -> 0.14
        #expect(try #require(ExactDecimal("0.125")).divided(by: .one, scale: 2)?.value.description == "0.12")
        #expect(try #require(ExactDecimal("0.135")).divided(by: .one, scale: 2)?.value.description == "0.14")
        #expect(ExactDecimal(-2).divided(by: ExactDecimal(3), scale: 2)?.value.description == "-0.67")
        #expect(ten.divided(by: .zero) == nil)
    }

    @Test("equal values compare and hash equal whatever their written scale")
    func equality() throws {
        #expect(ExactDecimal("1.50") == ExactDecimal("1.5"))
        #expect(try #require(ExactDecimal("1.5")) < ExactDecimal(2))
        #expect(try #require(ExactDecimal("-1")) < .zero)
        #expect(ExactDecimal("3.0")?.isWhole == true)
        #expect(ExactDecimal("3.01")?.isWhole == false)
    }
}
