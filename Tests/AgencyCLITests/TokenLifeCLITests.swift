import AgencyCLI
import AgencyDomain
import AgencyStorage
import ArgumentParser
import Foundation
import Testing

@Suite("agency: token life cycle")
struct TokenLifeCLITests {
    /// `account tokens` lists ids without secrets; `account token revoke` ends one, and the service
    /// refuses it at once while the other keeps working.
    @Test func listAndRevokeAccountTokens() async throws {
        let harness = try await CLIHarness()
        let (listed, json, revoked, firstToken, secondToken) = try await harness.session { run in
            _ = try await run(["sandbox", "create", "Workshop"], [:])
            let first = try await run(["account", "token", "1", "--json"], [:])
            let second = try await run(["account", "token", "1"], [:])
            let listed = try await run(["account", "tokens", "1"], [:])
            let json = try await run(["account", "tokens", "1", "--json"], [:])
            let revoked = try await run(["account", "token", "revoke", "1", "2"], [:])
            return (listed, json, revoked, first, second)
        }
        let first = try #require((try JSONSerialization.jsonObject(with: Data(firstToken.utf8)) as? [String: Any])?["token"] as? String)
        let second = try #require(secondToken.split(separator: " ").last.map(String.init))
        #expect(secondToken.contains("API token 2 for account 1"))
        #expect(listed.contains("1  ") && listed.contains("2  ") && listed.contains("not yet"))
        for text in [listed, json] { #expect(!text.contains(first) && !text.contains(second)) }
        let tokens = (try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])?["tokens"] as? [[String: Any]]
        #expect(tokens?.compactMap { $0["id"] as? Int } == [1, 2])
        #expect(revoked == "Revoked token 2 of account 1; it no longer opens the account.")
        #expect(try await harness.database.accountID(forTokenDigest: Secrets.digest(ofToken: second)) == nil)
        #expect(try await harness.database.accountID(forTokenDigest: Secrets.digest(ofToken: first)) == 1)
    }

    /// Revoking a token that does not exist is one clear error line.
    @Test func revokingAnUnknownTokenFails() async throws {
        let harness = try await CLIHarness()
        let error = try await harness.session { run in
            _ = try await run(["sandbox", "create", "Workshop"], [:])
            do {
                _ = try await run(["account", "token", "revoke", "1", "99"], [:])
                return nil as String?
            } catch {
                return CLIError.line(for: error)
            }
        }
        #expect(error?.contains("Token 99") == true)
    }

    /// `agencies token rotate` on the database: a new token that works, the old one refused at once.
    @Test func rotateEndsTheOldTokenAtOnce() async throws {
        let harness = try await CLIHarness()
        let printed = try await harness.session { run in
            _ = try await run(["account", "list"], [:])   // the old token is in the cache now
            return try await run(["agencies", "token", "rotate", "1", "--database", harness.databasePath, "--json"], [:])
        }
        let reply = try #require(try JSONSerialization.jsonObject(with: Data(printed.utf8)) as? [String: Any])
        let token = try #require(reply["token"] as? String)
        #expect(reply["previous_token_expires_at"] is NSNull)
        // The service opened its own connection to the file: it sees the new token and not the old.
        let service = try AppDatabase.open(path: harness.databasePath)
        #expect(try await service.agencyID(forTokenDigest: Secrets.digest(ofToken: token)) == 1)
        #expect(try await service.agencyID(forTokenDigest: Secrets.digest(ofToken: harness.agencyToken)) == nil)
    }

    /// With `--grace 1h` both tokens work until the hour is up.
    @Test func rotateWithGraceKeepsBothForAWhile() async throws {
        let harness = try await CLIHarness()
        let printed = try await harness.session { run in
            try await run(["agencies", "token", "rotate", "1", "--grace", "1h", "--database", harness.databasePath], [:])
        }
        #expect(printed.contains("The old token keeps working until"))
        let token = try #require(printed.split(separator: "\n").first?.split(separator: " ").last.map(String.init))
        let database = try AppDatabase.open(path: harness.databasePath)
        let old = Secrets.digest(ofToken: harness.agencyToken)
        #expect(try await database.agencyID(forTokenDigest: old, now: Date().addingTimeInterval(3500)) == 1)
        #expect(try await database.agencyID(forTokenDigest: Secrets.digest(ofToken: token), now: Date().addingTimeInterval(3500)) == 1)
        let later = try AppDatabase.open(path: harness.databasePath)
        #expect(try await later.agencyID(forTokenDigest: old, now: Date().addingTimeInterval(3601)) == nil)
    }

    /// A grace period that is not a duration, or an agency that does not exist, is one error line.
    @Test func wrongArgumentsAreOneLine() async throws {
        let harness = try await CLIHarness()
        let errors = try await harness.session { run in
            var errors: [String] = []
            for arguments in [["--grace", "soon"], ["--grace", "31d"]] {
                do { _ = try await run(["agencies", "token", "rotate", "1", "--database", harness.databasePath] + arguments, [:]) } catch {
                    errors.append(CLIError.line(for: error) ?? "")
                }
            }
            do { _ = try await run(["agencies", "token", "rotate", "7", "--database", harness.databasePath], [:]) } catch {
                errors.append(CLIError.line(for: error) ?? "")
            }
            return errors
        }
        #expect(errors.count == 3)
        #expect(errors[0].contains("--grace 'soon'"))
        #expect(errors[1].contains("30 days"))
        #expect(errors[2].contains("Agency 7"))
        #expect(errors.allSatisfy { !$0.contains("\n") })
        // Nothing changed: the original token still opens the agency.
        #expect(try await AppDatabase.open(path: harness.databasePath).agencyID(forTokenDigest: Secrets.digest(ofToken: harness.agencyToken)) == 1)
    }

    /// `serve --help` shows the idle timeout of dashboard sessions and its default; a value out of
    /// range is refused before anything starts.
    @Test func serveShowsAndChecksTheSessionIdleTimeout() throws {
        let serve = try #require(HelpTests.commandType(["serve"]))
        let help = AgencyCommand.helpMessage(for: serve)
        #expect(help.contains("--session-idle-timeout") && help.contains("1800"))
        #expect(throws: (any Error).self) { _ = try AgencyCommand.parseAsRoot(["serve", "--session-idle-timeout", "5"]) }
        _ = try AgencyCommand.parseAsRoot(["serve", "--session-idle-timeout", "600"])
    }
}
