/// Every way a request can fail that the caller can do something about.
/// Mapped to HTTP in exactly one place (AgencyHTTP's ErrorMiddleware) and to a CLI line in one place.
public enum DomainError: Error, Equatable, Sendable {
    /// A field of the input is missing or wrong. `field` is a JSON path such as `contact.email`.
    case invalid(field: String, message: String)
    /// A value that must be unique already exists.
    case duplicate(field: String, message: String)
    /// The thing does not exist, or belongs to someone else (never told apart).
    case notFound(what: String)
    /// Missing or wrong credentials or token. `hint` says what to send instead, when that can be told
    /// without revealing whether an account or agency exists.
    case unauthorized(hint: String? = nil)
    /// A capped account has no room left for this write; nothing was written.
    case limitReached(LimitKind, limit: Int)
    /// The change would turn a client account into a sandbox or upgrade a sandbox in place.
    case kindConversion(from: AccountKind, to: AccountKind)
    /// The request conflicts with the current state.
    case conflict(code: String, message: String)
    /// The request is well-formed but cannot be carried out as asked (e.g. a reused idempotency key).
    case unprocessable(code: String, message: String)
    /// The request body is not JSON at all.
    case malformed(message: String)
    /// The thing exists but never takes this kind of request (e.g. editing a snapshot). `allowed` lists
    /// what it does take.
    case notAllowed(code: String, message: String, allowed: [String])
    /// Too many failed sign-ins for this username or from this address: refused at once, before any
    /// password is checked, until `retryAfter` seconds have passed.
    case tooManyAttempts(retryAfter: Int)
    /// The service has as much password work queued as it takes; try again after `retryAfter` seconds.
    case busy(retryAfter: Int)

    /// A stable, machine-readable code.
    public var code: String {
        switch self {
        case .invalid: "invalid"
        case .duplicate: "duplicate"
        case .notFound: "not_found"
        case .unauthorized: "unauthorized"
        case .limitReached(let kind, _): kind.errorCode
        case .kindConversion: "account_kind_conversion"
        case .conflict(let code, _), .unprocessable(let code, _), .notAllowed(let code, _, _): code
        case .malformed: "malformed_json"
        case .tooManyAttempts: "too_many_attempts"
        case .busy: "busy"
        }
    }

    /// One line for a person.
    public var message: String {
        switch self {
        case .invalid(_, let message), .duplicate(_, let message), .conflict(_, let message), .unprocessable(_, let message),
             .malformed(let message), .notAllowed(_, let message, _):
            message
        case .tooManyAttempts(let seconds):
            "Too many failed sign-ins for this username or from this address; try again in \(seconds) s."
        case .busy(let seconds):
            "The service is checking too many passwords at once; try again in \(seconds) s."
        case .notFound(let what):
            "\(what) not found."
        case .unauthorized(let hint):
            hint ?? "Missing or invalid credentials."
        case .limitReached(.contacts, let limit):
            "A sandbox holds at most \(limit) contacts; nothing was written. Sandboxes are workshops, not places for real customer data."
        case .limitReached(.sends, let limit):
            "A sandbox sends at most \(limit) emails in all; this send would pass that, so nothing was sent."
        case .kindConversion(let from, let to):
            if from == .sandbox {
                "A sandbox cannot be turned into a \(to.rawValue) account. Take a snapshot of it and create a \(to.rawValue) account from that snapshot instead."
            } else {
                "A \(from.rawValue) account can never become a sandbox. Create a new sandbox instead."
            }
        }
    }
}

/// The capped resources of an account.
public enum LimitKind: String, Sendable {
    case contacts
    case sends

    public var errorCode: String {
        switch self {
        case .contacts: "sandbox_contact_limit"
        case .sends: "sandbox_send_limit"
        }
    }
}
