import AgencyDomain
import AgencyStorage

/// An account's username and password, checked: the one path that both `POST /v1/login` and the
/// client's sign-in page take, so both cost the same bcrypt work and fail the same way.
struct AccountLogin: Sendable {
    let database: AppDatabase
    let hasher: PasswordHasher

    /// The account the credentials open. A wrong username and a wrong password get the same
    /// `unauthorized` after the same bcrypt work (a decoy hash stands in for a missing user).
    /// On an agency's custom domain (`onDomainOf`), another agency's client gets that same answer
    /// after that same work: the password is checked first, the agency after.
    func authenticate(username: String, password: String, onDomainOf domainAgencyID: Int64? = nil) async throws -> Int64 {
        let user = try await database.user(named: username)
        let stored = if let user { user.passwordHash } else { try await hasher.decoyHash() }
        let matches = try await hasher.verify(password, against: stored)
        guard let user, matches else { throw DomainError.unauthorized() }
        if let domainAgencyID, try await database.agencyID(ofAccount: user.accountID) != domainAgencyID { throw DomainError.unauthorized() }
        if hasher.needsRehash(user.passwordHash) {
            try await database.replacePasswordHash(username: username, with: try await hasher.hash(password))
        }
        return user.accountID
    }
}
