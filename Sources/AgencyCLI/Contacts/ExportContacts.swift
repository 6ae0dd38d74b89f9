import ArgumentParser
import Foundation

struct ExportContacts: AgencyRunnable {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write an account's contacts as CSV: email, names, phone, tags, lists, and one column per custom field.",
        discussion: "Example:\n  $ agency contacts export 12 --output contacts.csv"
    )

    @Argument(help: "The account id.") var id: Int64
    @Option(name: .customLong("output"), help: "The file to write (default: print it).") var output: String?
    @OptionGroup var service: ServiceOptions

    func run(in context: CLIContext) async throws {
        let reply = try await service.client(context).send("GET", "/v1/accounts/\(id)/contacts/export", headers: ["Accept": "text/csv"])
        guard let output else { return context.write(String(decoding: reply.body, as: UTF8.self)) }
        do {
            try reply.body.write(to: URL(fileURLWithPath: output))
        } catch {
            throw CLIError("Cannot write '\(output)': \(error.localizedDescription)")
        }
        let rows = reply.body.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) } - 1
        context.write("Wrote \(output): account \(id)'s contacts (\(max(rows, 0)) lines after the header).")
    }
}
