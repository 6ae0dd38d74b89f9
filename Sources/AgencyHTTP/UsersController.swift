import AgencyDomain
import AgencyStorage
import Hummingbird

/// v3's `users/me`: the account's one user, for clients that read it at start-up. Names, email and
/// phone are not kept for an account's user, so they are empty, as v3 shows a user who left them blank.
struct UsersController {
    let database: AppDatabase

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("users/me", use: me)
    }

    @Sendable func me(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await database.accountUser(accountID: try context.requireAccount())
        return try JSONReply.make(JSONValue.object([
            "user": .object([
                "id": .string(String(user.id)), "username": .string(user.username), "firstName": .string(""), "lastName": .string(""),
                "email": .string(""), "phone": .string(""), "signature": .null, "lang": .string("english"), "localZoneid": .string("UTC"),
                "cdate": .string(user.createdAt), "udate": .string(user.createdAt),
            ]),
        ]))
    }
}
