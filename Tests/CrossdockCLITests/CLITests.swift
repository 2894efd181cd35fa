import CrossdockCLI
import Hub
import Kafka
import Testing

@Suite("Command line")
struct CLITests {
    @Test("--version names crossdock and the librdkafka actually loaded")
    func version() {
        #expect(
            CrossdockVersion.description
                == "crossdock \(CrossdockVersion.crossdock) (librdkafka \(Librdkafka.versionString))")
    }
}
