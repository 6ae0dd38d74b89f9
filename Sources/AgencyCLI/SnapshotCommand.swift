import ArgumentParser
import Foundation

struct SnapshotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Immutable copies of a sandbox, to make client accounts from.",
        subcommands: [CreateSnapshot.self, ListSnapshots.self, ShowSnapshot.self, DeleteSnapshot.self, VerifySnapshot.self]
    )
}

struct CreateSnapshot: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Take a snapshot of a sandbox's assets (and, if asked, its contacts and deals).",
        discussion: """
            Images are never copied: each one is replaced by a placeholder and listed, so the client
            account's owner knows what to upload.

            Example:
              $ agency snapshot create 7 --name "Gym starter v1" --include contacts,deals
            """
    )

    @Argument(help: "The sandbox's account id.") var sandboxID: Int
    @Option(help: "A name for the snapshot.") var name: String
    @Option(help: "Data to include besides configuration: contacts, deals (comma-separated).") var include: String?
    @OptionGroup var service: ServiceOptions

    func run(in context: CLIContext) async throws {
        var body: [String: Any] = ["sandbox_id": sandboxID, "name": name]
        if let include { body["include"] = include.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        let reply = try await service.client(context).send("POST", "/v1/snapshots", body: body)
        if service.json { return context.write(reply.prettyJSON) }
        context.write("Created " + SnapshotOutput.summary(reply.object))
        SnapshotOutput.details(reply.object).forEach(context.write)
    }
}

struct ListSnapshots: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the agency's snapshots, newest first.",
        discussion: "Example:\n  $ agency snapshot list --sandbox 7"
    )

    @Option(help: "Only snapshots whose name contains this.") var name: String?
    @Option(help: "Only snapshots of this sandbox.") var sandbox: Int?
    @Option(help: "How many to show (1...100).") var limit = 20
    @Option(help: "How many to skip.") var offset = 0
    @OptionGroup var service: ServiceOptions

    func run(in context: CLIContext) async throws {
        var query = "?limit=\(limit)&offset=\(offset)"
        if let name { query += "&name=" + (name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") }
        if let sandbox { query += "&sandbox_id=\(sandbox)" }
        let reply = try await service.client(context).send("GET", "/v1/snapshots" + query)
        if service.json { return context.write(reply.prettyJSON) }
        let snapshots = reply.object["snapshots"] as? [[String: Any]] ?? []
        let total = (reply.object["meta"] as? [String: Any])?["total"] as? Int ?? snapshots.count
        snapshots.map(SnapshotOutput.summary).forEach(context.write)
        context.write("\(snapshots.count) of \(total) snapshots shown.")
    }
}

struct ShowSnapshot: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a snapshot: what it holds and the images it left out.",
        discussion: "Example:\n  $ agency snapshot show 3"
    )

    @Argument(help: "The snapshot id.") var id: Int
    @OptionGroup var service: ServiceOptions

    func run(in context: CLIContext) async throws {
        let reply = try await service.client(context).send("GET", "/v1/snapshots/\(id)")
        if service.json { return context.write(reply.prettyJSON) }
        context.write(SnapshotOutput.summary(reply.object))
        SnapshotOutput.details(reply.object).forEach(context.write)
    }
}

struct DeleteSnapshot: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a snapshot for good. Accounts made from it are not affected.",
        discussion: "Example:\n  $ agency snapshot delete 3"
    )

    @Argument(help: "The snapshot id.") var id: Int
    @OptionGroup var service: ServiceOptions

    func run(in context: CLIContext) async throws {
        _ = try await service.client(context).send("DELETE", "/v1/snapshots/\(id)")
        context.write(service.json ? #"{"deleted": \#(id)}"# : "Deleted snapshot \(id).")
    }
}

struct VerifySnapshot: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute a snapshot's digest from what is stored; exits non-zero if it differs.",
        discussion: "Example:\n  $ agency snapshot verify 3"
    )

    @Argument(help: "The snapshot id.") var id: Int
    @OptionGroup var service: ServiceOptions

    func run(in context: CLIContext) async throws {
        let reply = try await service.client(context).send("POST", "/v1/snapshots/\(id)/verify")
        let ok = reply.object["ok"] as? Bool == true
        if service.json {
            context.write(reply.prettyJSON)
        } else {
            context.write(ok ? "Snapshot \(id) is intact: \(reply.object["digest"] as? String ?? "")." : "Snapshot \(id) does not match its digest:")
            (reply.object["problems"] as? [String] ?? []).forEach { context.write("  " + $0) }
        }
        if !ok { throw CLIError("Snapshot \(id) did not verify.") }
    }
}

/// Human-readable lines for snapshots as the agency API returns them.
enum SnapshotOutput {
    static func summary(_ snapshot: [String: Any]) -> String {
        let id = snapshot["id"].map { "\($0)" } ?? "?"
        let name = snapshot["name"] as? String ?? ""
        let source = snapshot["source_account_id"].map { "\($0)" } ?? "?"
        return "snapshot \(id) \"\(name)\" of sandbox \(source), \(snapshot["created_at"] as? String ?? "")"
    }

    static func details(_ snapshot: [String: Any]) -> [String] {
        let contents = (snapshot["contents"] as? [String: Int] ?? [:]).filter { $0.value > 0 }
        var lines = [
            "  digest:   \(snapshot["digest"] as? String ?? "")",
            "  contents: " + contents.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "),
        ]
        let omitted = snapshot["omitted"] as? [[String: Any]] ?? []
        if !omitted.isEmpty {
            lines.append("  left out (\(omitted.count) images, replaced by placeholders):")
            lines += omitted.map { "    \($0["asset_kind"] as? String ?? "") \($0["asset_id"] as? String ?? "") \($0["location"] as? String ?? ""): \($0["source"] as? String ?? "")" }
        }
        return lines
    }
}
