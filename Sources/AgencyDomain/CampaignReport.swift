/// A campaign's counters, by v3's names: kept from the sends the service records and from the
/// open, click, bounce and unsubscribe events posted to it.
public struct CampaignReport: Equatable, Sendable {
    public static let counterNames = ["send_amt", "opens", "uniqueopens", "linkclicks", "uniquelinkclicks", "unsubscribes", "hardbounces", "softbounces"]

    /// Every counter by name; a campaign with no report reads 0 for each.
    public var counters: [String: Int]

    public init(counters: [String: Int] = [:]) {
        self.counters = Dictionary(uniqueKeysWithValues: Self.counterNames.map { ($0, counters[$0] ?? 0) })
    }
}

/// What happened to a campaign's email, as an email tool reports it.
public enum CampaignEventType: String, Sendable, CaseIterable {
    case open, click, unsubscribe
    case hardBounce = "hard_bounce"
    case softBounce = "soft_bounce"

    /// The counter every event of this type adds one to, and the one its contact's first adds to.
    var counters: (all: String, unique: String?) {
        switch self {
        case .open: ("opens", "uniqueopens")
        case .click: ("linkclicks", "uniquelinkclicks")
        case .unsubscribe: ("unsubscribes", nil)
        case .hardBounce: ("hardbounces", nil)
        case .softBounce: ("softbounces", nil)
        }
    }

    public var counter: String { counters.all }
    public var uniqueCounter: String? { counters.unique }
}

/// A contact's run through an automation (v3's contactAutomation).
public struct ContactAutomation: Equatable, Sendable {
    public var id: Int64
    public var contactID: Int64
    public var automationID: Int64
    /// 1 active, 2 exited.
    public var status: Int
    public var addedAt: String
    public var removedAt: String?

    public init(id: Int64, contactID: Int64, automationID: Int64, status: Int, addedAt: String, removedAt: String?) {
        self.id = id
        self.contactID = contactID
        self.automationID = automationID
        self.status = status
        self.addedAt = addedAt
        self.removedAt = removedAt
    }
}
