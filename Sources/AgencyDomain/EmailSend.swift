/// One email sent to a set of contacts. Each recipient counts against a sandbox's send limit.
public struct EmailSend: Equatable, Sendable {
    public var id: Int64
    public var subject: String
    public var recipients: Int
    public var createdAt: String

    public init(id: Int64, subject: String, recipients: Int, createdAt: String) {
        self.id = id
        self.subject = subject
        self.recipients = recipients
        self.createdAt = createdAt
    }
}
