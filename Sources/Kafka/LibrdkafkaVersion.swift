internal import CRdKafka

/// The librdkafka that is actually loaded at run time (not the one compiled against).
public enum Librdkafka {
    /// The oldest librdkafka Crossdock works with. Older releases mis-read the tagged fields of
    /// ApiVersions v3 responses from current brokers ("Protocol read buffer underflow").
    public static let minimumVersion = (major: 2, minor: 3, patch: 0)

    /// librdkafka's version string, for example `2.8.0`.
    public static var versionString: String { String(cString: rd_kafka_version_str()) }

    /// The loaded version as (major, minor, patch).
    public static var version: (major: Int, minor: Int, patch: Int) {
        let hex = Int(rd_kafka_version())
        return ((hex >> 24) & 0xff, (hex >> 16) & 0xff, (hex >> 8) & 0xff)
    }

    /// Whether the loaded librdkafka is new enough.
    public static var isSupported: Bool {
        let v = version
        let m = minimumVersion
        return (v.major, v.minor, v.patch) >= (m.major, m.minor, m.patch)
    }

    /// Throws ``KafkaError/Code/unsupportedLibrary`` with what to do when the loaded librdkafka is
    /// too old. Every client calls this before it connects.
    public static func requireSupported() throws(KafkaError) {
        guard isSupported else {
            let m = minimumVersion
            throw KafkaError(
                code: .unsupportedLibrary,
                message: """
                    librdkafka \(versionString) is loaded, but Crossdock needs \(m.major).\(m.minor).\(m.patch) or newer \
                    (older releases cannot talk to current brokers). Run scripts/setup, which installs a newer \
                    librdkafka into /usr/local, or install librdkafka-dev >= \(m.major).\(m.minor) from your \
                    distribution, then check that `crossdock --version` reports it.
                    """
            )
        }
    }
}
