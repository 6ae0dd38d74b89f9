import AgencyDomain
import AgencyOutbound

extension OutboundRefused {
    /// The 422 a refused address gets, naming the field the URL came from.
    public func domainError(field: String) -> DomainError {
        .unprocessable(code: "outbound_refused", message: "'\(field)': \(message)")
    }
}

extension OutboundClient {
    /// Checks a URL a user typed before it is saved: an address the policy refuses is a 422
    /// `outbound_refused` naming the rule. A name that does not resolve now is saved: it may later,
    /// and each delivery is checked again at the socket.
    public func checkBeforeSaving(_ url: String, field: String) async throws {
        do {
            try await check(url: url)
        } catch let refused as OutboundRefused where refused.unresolved {
            return
        } catch let refused as OutboundRefused {
            throw refused.domainError(field: field)
        }
    }
}
