import AgencyAPI
import AgencyDomain
import AgencyStorage
import Hummingbird

/// `/v1/accounts/:id/bundle`: an account's whole configuration as one JSON document, to keep in git
/// and to write back (`PUT`) in one transaction.
struct BundlesController {
    let database: AppDatabase
    /// Bundles of large setups (hundreds of 20 KB templates) are far above the default body limit.
    static let bodyLimit = 64 << 20

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("accounts/:id/bundle", use: export)
        group.put("accounts/:id/bundle", use: apply)
    }

    @Sendable func export(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try await database.account(id: try pathID(context, what: "Account"), agencyID: try context.requireAgency())
        return try JSONReply.make(try await database.exportBundle(accountID: account.id))
    }

    @Sendable func apply(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try await database.account(id: try pathID(context, what: "Account"), agencyID: try context.requireAgency())
        let bundle = try AssetBundle.parse(try await request.decodeJSON(JSONValue.self, limit: Self.bodyLimit))
        let applied = try await database.applyBundle(accountID: account.id, bundle)
        return try JSONReply.make(BundleAppliedBody(created: applied.created, updated: applied.updated, deleted: applied.deleted))
    }
}
