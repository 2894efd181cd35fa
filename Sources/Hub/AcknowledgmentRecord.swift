/// The records of ``Topics/acknowledgments``: key = the partner id, value = the acknowledgment
/// interchange as the partner receives it, and these headers beside `crossdock-partner`,
/// `content-type` (`application/edi-x12`, `application/edifact`) and `traceparent`.
public enum AcknowledgmentRecord {
    /// The control number of the interchange acknowledged (ISA13, UNB 0020).
    public static let acknowledges = "crossdock.acknowledges"
    /// `accepted`, `partial` or `rejected`.
    public static let status = "crossdock.ack.status"
    /// On ``Topics/acknowledgmentsReceived``: `x12-997`, `x12-999`, `x12-ta1` or `edifact-contrl`.
    public static let format = "crossdock.ack.format"
}
