import AgencyDomain
import AgencyStorage
import ArgumentParser
import Foundation

struct RotateAgencyToken: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Give an agency a new API token (shown once) and end its old one.",
        discussion: """
            The old token stops working at once, or with --grace (e.g. 90s, 30m, 1h, 2d; at most 30d) when that time is up: until then both work. The agency's dashboard sessions end now.

            Example:
              $ agency agencies token rotate 1 --database ./agency.sqlite
            """
    )

    @Argument(help: "The agency's id (as `agencies create` printed it).") var id: Int64
    @Option(name: .customLong("grace"), help: "How long the old token keeps working beside the new one (default: it ends now).")
    var grace: String?
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func run(in context: CLIContext) async throws {
        let seconds = try grace.map(GraceDuration.seconds) ?? 0
        let token = Secrets.newToken(prefix: "agency")
        let opened = try OpenedDatabase(database.resolvedPath(context), mustExist: true)
        let end = try await opened.database.rotateAgencyToken(agencyID: id, newDigest: Secrets.digest(ofToken: token), grace: seconds)
        if output.json {
            var object: [String: Any] = ["agency_id": id, "token": token, "database": opened.path]
            object["previous_token_expires_at"] = end ?? NSNull()
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            context.write(String(decoding: data, as: UTF8.self))
        } else {
            context.write("New API token for agency \(id) (shown once, store it now): \(token)")
            context.write(end.map { "The old token keeps working until \($0), then stops." } ?? "The old token no longer works.")
            context.write("The agency's dashboard sessions have ended; sign in again with the new token.")
        }
    }
}
