import Formats
import Model
import Testing

/// The barcode cache answers exactly what reading answers, keeps only successes and stays bounded.
@Suite("GS1 read cache")
struct GS1ReadCacheTests {
    static let barcodes = [
        "]C10100614141000029", "]C1010061414100002917270101\u{1D}10LOT7", "https://id.example.com/01/00614141000029/10/ABC",
        "(01)00614141000029(10)ABC", "00614141000029", "]C1019521234543213", "not a barcode", "]C101006141410000291",
    ]

    @Test("a cached read equals an uncached one, for every options value, the first time and again")
    func sameAnswers() {
        let cache = GS1ReadCache()
        for options in [GS1Options(), GS1Options(permitUnknownAIs: true)] {
            for _ in 0..<2 {
                for barcode in Self.barcodes {
                    let cached = cache.read(barcode, options: options, at: "/barcode")
                    let direct = GS1Barcode.read(barcode, options: options, at: "/barcode")
                    #expect("\(cached)" == "\(direct)", "\(barcode)")
                }
            }
        }
    }

    @Test("failures are not kept, so each names its own record's place")
    func failuresNotKept() throws {
        let cache = GS1ReadCache()
        _ = cache.read("]C10100614141000029", options: GS1Options())
        for place in ["/scans/0/barcode", "/scans/7/barcode"] {
            guard case .failure(let diagnostic) = cache.read("]C101006141410000291", options: GS1Options(), at: place) else {
                Issue.record("a wrong check digit read well")
                return
            }
            #expect(diagnostic.location == place)
        }
        #expect(cache.count == 1)
    }

    @Test("at capacity it starts again empty")
    func bounded() {
        let cache = GS1ReadCache(capacity: 3)
        for gtin in ["00614141000029", "09521234543213", "00012345678905", "04012345123456"] {
            _ = cache.read(gtin, options: GS1Options())
        }
        #expect(cache.count == 1)
    }
}
