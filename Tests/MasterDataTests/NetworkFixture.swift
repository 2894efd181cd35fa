import Foundation
import MasterData
import Model

/// The reference network (examples/network) and broken variants of it in temporary folders.
enum NetworkFixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples/network")

    static let snapshot: MasterDataSnapshot = try! MasterDataLoader.load(directory: directory.path)

    /// A copy of the network with `edit` applied to one file's text; returns the folder.
    static func variant(_ file: String, _ edit: @Sendable (String) -> String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crossdock-md-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: directory, to: folder)
        let url = folder.appendingPathComponent(file)
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        try edit(text).write(to: url, atomically: false, encoding: .utf8)
        return folder
    }

    /// Adds location entries just before the `aliases:` section.
    static func addingLocations(_ lines: String) -> @Sendable (String) -> String {
        { $0.replacingOccurrences(of: "\naliases:\n", with: "\n" + lines + "\naliases:\n") }
    }

    /// Adds entries at the end of the file (the last list: aliases, items).
    static func appending(_ lines: String) -> @Sendable (String) -> String { { $0 + lines + "\n" } }
}
