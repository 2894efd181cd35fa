import Foundation
import Testing

@Suite("crossdock masterdata check")
struct MasterDataCommandTests {
    static let network = CLIProcess.root.appendingPathComponent("examples/network")

    @Test("the reference network: exit 0, nothing listed")
    func clean() throws {
        let result = try CLIProcess.run(["masterdata", "check", Self.network.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("6 sites") && result.stderr.contains("0 errors"))
    }

    @Test("a broken network: exit 1, every problem with severity, code and file:line")
    func broken() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crossdock-cli-md-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Self.network, to: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("locations.yaml")
        var text = try String(contentsOf: file, encoding: .utf8)
        text = text.replacingOccurrences(
            of: "\naliases:\n",
            with: "\n  - {id: \"DC-ATL/RCV\", type: \"zone\", parent: \"DC-ATL\"}\n  - {id: \"X\", type: \"zone\", parent: \"NOPE\"}\naliases:\n")
        try text.write(to: file, atomically: false, encoding: .utf8)
        let result = try CLIProcess.run(["masterdata", "check", folder.path])
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        #expect(lines.count == 2, "\(result.stdout)")
        #expect(lines.map { $0[1] }.sorted() == ["LOCATION_DUPLICATE", "LOCATION_PARENT_UNKNOWN"])
        #expect(lines.allSatisfy { $0[0] == "error" && $0[2].hasPrefix("locations.yaml:") })
    }

    @Test("a folder that does not exist: exit 2")
    func missing() throws {
        let result = try CLIProcess.run(["masterdata", "check", "/nonexistent-crossdock-folder"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("does not exist"))
    }
}
