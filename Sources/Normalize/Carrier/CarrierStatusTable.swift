public import Model

/// The status codes carriers send, mapped to the canonical statuses. One table, in data.
public enum CarrierStatusTable {
    /// X12 214 AT701 (shipment status code, element 1650).
    public static let x12: [String: CarrierStatusCode] = [
        "XB": .tendered,  // shipment acknowledged
        "X3": .tendered,  // arrived at pick-up location
        "X8": .tendered,  // arrived at pick-up location loading dock
        "AF": .pickedUp,  // carrier departed pick-up location with shipment
        "CP": .pickedUp,  // completed loading at pick-up location
        "P1": .departed,  // departed terminal location
        "OA": .departed,  // out-gate
        "I1": .inTransit,  // in-gate
        "J1": .inTransit,  // delivered to connecting line
        "K1": .inTransit,  // arrived at customs
        "L1": .inTransit,  // loading
        "AM": .inTransit,  // loaded on truck
        "R1": .inTransit,  // received from prior carrier
        "X4": .inTransit,  // arrived at terminal location
        "X6": .inTransit,  // en route to delivery location
        "AJ": .outForDelivery,  // tendered for delivery
        "AV": .outForDelivery,  // available for delivery
        "X1": .arrived,  // arrived at delivery location
        "X5": .arrived,  // arrived at delivery location loading dock
        "S1": .arrived,  // trailer spotted at consignee's location
        "D1": .delivered,  // completed unloading at delivery location
        "CD": .delivered,  // carrier departed delivery location
        "SD": .delayed,  // shipment delayed
        "AP": .delayed,  // delivery not completed
        "A3": .exception,  // shipment returned to shipper
        "A7": .exception,  // refused by consignee
        "A9": .exception,  // shipment damaged
        "CA": .exception,  // shipment cancelled
        "OO": .exception,  // paperwork received, did not receive shipment or equipment
        "AG": .etaUpdated,  // estimated delivery
        "X2": .etaUpdated,  // estimated date and/or time of arrival at consignee's location
    ]

    /// EDIFACT IFTSTA STS status codes: UN/ECE Recommendation 24 (trade and transport status
    /// codes), which UN/EDIFACT element 4405 (C555, "for transport status, use UN/ECE
    /// Recommendation 24") and the earlier 9011 (D.96A, EANCOM 1997 IFTSTA) carry. Source: UN/CEFACT
    /// code list TransportStatusCode (Rec 24 after its 2009 revision, codes 1-379); the names are
    /// Rec 24's, so each row can be checked against the published list
    /// (Tests/Fixtures/codelists/rec24-status-codes.tsv). Codes not listed here (port, vessel and
    /// equipment operations, documents) say nothing a receiving site tracks: they are
    /// `CODE_UNMAPPED` unless a partner profile maps them.
    public static let rec24: [(code: String, name: String, status: CarrierStatusCode)] = [
        ("1", "Arrival, completed", .arrived),
        ("3", "Arrival, in defective condition", .exception),
        ("6", "Booking, completed", .tendered),
        ("7", "Booking, cancelled", .exception),
        ("12", "Cleared, by customs", .inTransit),
        ("13", "Collection/pick-up, completed", .pickedUp),
        ("16", "Crossed border", .inTransit),
        ("17", "Customs clearance, refused", .exception),
        ("18", "Damaged in the course of transportation", .exception),
        ("20", "Delayed, in the course of transportation", .delayed),
        ("21", "Delivery, completed", .delivered),
        ("22", "Delivery, completed as per instruction", .delivered),
        ("23", "Delivery, not completed", .exception),
        ("24", "Departure, completed", .departed),
        ("25", "Departure, delayed", .delayed),
        ("27", "Despatch, completed", .departed),
        ("29", "Unloaded", .inTransit),
        ("31", "En route", .inTransit),
        ("35", "Forwarded to destination", .inTransit),
        ("40", "Arrival, at port", .inTransit),
        ("45", "Arrival, consignee informed", .arrived),
        ("48", "Loading, completed onto a means of transport", .inTransit),
        ("49", "Lost", .exception),
        ("53", "Collection/pick-up, not completed", .exception),
        ("56", "Not delivered", .exception),
        ("64", "Collection/pick-up, awaited", .tendered),
        ("66", "Plundered", .exception),
        ("71", "Ready for transportation", .tendered),
        ("77", "Refused, action", .exception),
        ("80", "Returned as instructed", .exception),
        ("82", "Returned", .exception),
        ("90", "Movement stopped", .exception),
        ("98", "Transferred in", .inTransit),
        ("99", "Transferred out", .inTransit),
        ("100", "Transshipment", .inTransit),
        ("101", "Delayed in transit", .delayed),
        ("104", "Delivery refused, to be re-arranged", .exception),
        ("105", "Delivery, postponed", .delayed),
        ("106", "Delivery refused", .exception),
        ("109", "Delivery, impossible, delivery notice left", .exception),
        ("110", "Delivery, impossible, no delivery notice left", .exception),
        ("111", "Transport terminated", .exception),
        ("113", "Delivery, in progress", .outForDelivery),
        ("117", "Missing", .exception),
        ("119", "Unable to be located", .exception),
        ("127", "Departed, completed on a means of transport", .departed),
        ("130", "Consignment received from shipper", .pickedUp),
        ("209", "Delivery, scheduled", .etaUpdated),
        ("210", "Delivery, unsuccessful attempt", .exception),
        ("218", "Damaged", .exception),
        ("266", "Delivery delayed, adverse weather conditions", .delayed),
        ("269", "Delivery, consignee absent", .exception),
        ("273", "Delayed operation", .delayed),
        ("307", "Damaged but deliverable", .exception),
        ("313", "Returned by recipient", .exception),
        ("314", "Delayed, at origin", .delayed),
        ("323", "Return in progress", .exception),
        ("325", "Delivery refused, by recipient", .exception),
        ("346", "Unloading, completed from a means of transport", .inTransit),
        ("348", "Not deliverable", .exception),
        ("355", "En route, via local route", .inTransit),
        ("356", "En route, via national route", .inTransit),
        ("357", "En route, via international route", .inTransit),
        ("361", "Delivery, expected", .etaUpdated),
        ("364", "Arrival, at yard", .inTransit),
        ("365", "Departure, from yard", .departed),
    ]

    /// ``rec24`` by code.
    public static let edifact: [String: CarrierStatusCode] = Dictionary(uniqueKeysWithValues: rec24.map { ($0.code, $0.status) })

    /// X12 214 AT703 (shipment appointment status code, element 1652) for an AT7 that reports an
    /// appointment rather than a status: a pick-up appointment set, a delivery appointment set
    /// (whose date is the expected delivery).
    public static let x12Appointments: [String: CarrierStatusCode] = [
        "AA": .tendered,  // pick-up appointment date and/or time
        "AB": .etaUpdated,  // delivery appointment date and/or time
    ]

    /// Appointment codes whose date is when the shipment is expected at the consignee.
    public static let deliveryAppointments: Set<String> = ["AB"]

    /// X12 codes that announce an estimated delivery: their date is `estimatedDeliveryAt`, not when
    /// anything happened. (B6, estimated to arrive at the carrier's terminal, is no delivery
    /// estimate and has no canonical status: a carrier's profile can map it.)
    public static let estimateCodes: Set<String> = ["AG", "X2"]
}
