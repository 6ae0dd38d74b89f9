import AgencyCLI
import AgencyDomain
import AgencyStorage
import ArgumentParser
import Foundation
import Testing

@Suite("agency CLI")
struct CLITests {
    /// `sandbox create` prints the credentials once; `--json` gives the service's reply for scripts.
    @Test func sandboxCreatePrintsCredentials() async throws {
        let harness = try await CLIHarness()
        try await harness.session { run in
            let human = try await run(["sandbox", "create", "Fitness Studio"], [:])
            #expect(human.contains("Created sandbox account 1 \"Fitness Studio\""))
            #expect(human.contains("login url: https://cli.test/login"))
            #expect(human.contains("username:  fitness-studio-"))
            #expect(human.contains("password:"))

            let json = try await run(["sandbox", "create", "Yoga", "--json"], [:])
            let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
            #expect(object?["id"] as? Int == 2)
            #expect((object?["credentials"] as? [String: Any])?["password"] != nil)
        }
    }

    /// A newcomer's flow through the CLI: create, list, show, token, login with the printed credentials, delete.
    @Test func accountCommandsAndLogin() async throws {
        let harness = try await CLIHarness()
        try await harness.session { run in
            let created = try await run(["account", "create", "Acme Gym", "--kind", "paid", "--json"], [:])
            let account = try #require(try JSONSerialization.jsonObject(with: Data(created.utf8)) as? [String: Any])
            let credentials = try #require(account["credentials"] as? [String: String])

            let list = try await run(["account", "list"], [:])
            #expect(list.contains("paid account 1 \"Acme Gym\""))
            #expect(list.contains("1 of 1 accounts shown."))

            let shown = try await run(["account", "show", "1"], [:])
            #expect(shown.contains("contacts: 0 of unlimited"))

            let token = try await run(["account", "token", "1"], [:])
            #expect(token.contains("acct_"))

            let login = try await run(["login", "--username", credentials["username"]!], ["AGENCY_PASSWORD": credentials["password"]!])
            #expect(login.contains("Logged in to account 1."))

            let deleted = try await run(["account", "delete", "1", "--yes"], [:])
            #expect(deleted == "Deleted account 1.")
        }
    }

    /// Errors come back as one line carrying the service's message and code.
    @Test func errorsAreOneClearLine() async throws {
        let harness = try await CLIHarness()
        try await harness.session { run in
            _ = try await run(["sandbox", "create", "Workshop"], [:])
            let conversion = await #expect(throws: CLIError.self) { _ = try await run(["account", "show", "99"], [:]) }
            #expect(conversion?.description == "Account 99 not found. (not_found, HTTP 404)")

            let badLogin = await #expect(throws: CLIError.self) {
                _ = try await run(["login", "--username", "nobody", "--password", "wrong"], [:])
            }
            #expect(badLogin?.description.contains("HTTP 401") == true)
            #expect(badLogin?.description.contains("\n") == false)
        }
    }

    /// Without a token the command refuses before calling the service, saying how to get one.
    @Test func missingTokenIsExplained() async throws {
        let harness = try await CLIHarness()
        try await harness.session { run in
            let error = await #expect(throws: CLIError.self) { _ = try await run(["account", "list"], ["AGENCY_TOKEN": ""]) }
            #expect(error?.description.contains("AGENCY_TOKEN") == true)
        }
    }

    /// `agencies create` writes to the database directly and prints a token that opens the agency API.
    @Test func agenciesCreatePrintsAWorkingToken() async throws {
        let harness = try await CLIHarness()
        let printed = try await harness.session { run in
            try await run(["agencies", "create", "Second Agency", "--database", harness.databasePath, "--json"], [:])
        }
        let token = try #require((try JSONSerialization.jsonObject(with: Data(printed.utf8)) as? [String: Any])?["token"] as? String)
        let agencyID = try await AppDatabase.open(path: harness.databasePath).agencyID(forTokenDigest: Secrets.digest(ofToken: token))
        #expect(agencyID == 2)
        try await harness.session { run in
            let list = try await run(["account", "list", "--token", token], [:])
            #expect(list.contains("0 of 0 accounts shown."))
        }
    }

    /// Usage mistakes are rejected by the parser, before anything runs.
    @Test func usageErrorsAreRejected() async throws {
        let harness = try await CLIHarness()
        try await harness.session { run in
            await #expect(throws: (any Error).self) { _ = try await run(["account", "show", "not-a-number"], [:]) }
            await #expect(throws: (any Error).self) { _ = try await run(["serve", "--bcrypt-cost", "4"], [:]) }
        }
    }
}
