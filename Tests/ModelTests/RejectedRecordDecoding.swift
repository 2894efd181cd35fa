public import Model

// Rejections are written by Crossdock and read by people and by replay (from the dead letter's
// headers and value), never decoded back into the model; these decoders let the round-trip test
// check that a rejection's JSON says everything it holds.

extension SourcePosition: JSONDecodable {
    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let r = try JSONObjectReader(json, at: pointer)
        self.init(
            topic: try r.optionalString("topic"), partition: try r.optionalInt("partition"),
            offset: try r.optionalInt("offset"), file: try r.optionalString("file"))
    }
}

extension EmbeddedBytes: JSONDecodable {
    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let r = try JSONObjectReader(json, at: pointer)
        self.init([])
        encoding = try r.code("encoding")
        value = try r.string("value")
    }
}

extension RejectedDocument: JSONDecodable {
    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let r = try JSONObjectReader(json, at: pointer)
        self.init(
            document: try r.string("document"), position: try r.string("position"), code: DiagnosticCode(try r.string("code")),
            stage: try r.code("stage"), message: try r.string("message"), partner: try r.optionalString("partner"),
            firstDiagnostic: try r.int("firstDiagnostic"), diagnosticCount: try r.int("diagnosticCount"))
    }
}

extension RejectedRecord: JSONDecodable {
    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let r = try JSONObjectReader(json, at: pointer)
        let documents: [RejectedDocument] = try r.array("documents")
        self.init(
            code: DiagnosticCode(try r.string("code")), stage: try r.code("stage"), message: try r.string("message"),
            diagnostics: try r.array("diagnostics"), partner: try r.optionalString("partner"), source: try r.decode("source"),
            documents: documents.isEmpty ? nil : documents, original: [])
        documentsOmitted = try r.optionalInt("documentsOmitted")
        key = try r.optional("key")
        original = try r.decode("original")
        originalLength = try r.int("originalLength")
        originalSha256 = try r.string("originalSha256")
        originalTruncated = try r.bool("originalTruncated")
    }
}
