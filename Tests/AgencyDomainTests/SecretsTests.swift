import AgencyDomain
import Testing

@Suite("Secrets")
struct SecretsTests {
    /// Tokens carry their prefix and ~256 bits of base62; two are never equal.
    @Test func tokensAreLongAndRandom() {
        let first = Secrets.newToken(prefix: "agency")
        let second = Secrets.newToken(prefix: "agency")
        #expect(first.hasPrefix("agency_"))
        #expect(first.count == "agency_".count + 43)
        #expect(first != second)
        #expect(first.dropFirst(7).allSatisfy { $0.isLetter || $0.isNumber })
    }

    /// Passwords are at least 20 characters and differ every time.
    @Test func passwordsAreLongAndRandom() {
        let passwords = (0..<50).map { _ in Secrets.newPassword() }
        #expect(passwords.allSatisfy { $0.count >= 20 })
        #expect(Set(passwords).count == 50)
    }

    /// The digest is SHA-256: 32 bytes, the same for the same token, different for another.
    @Test func digestIsStableSHA256() {
        // SHA-256("abc"), from FIPS 180-2.
        let expected: [UInt8] = [
            0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
            0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
        ]
        #expect(Secrets.digest(ofToken: "abc") == expected)
        #expect(Secrets.digest(ofToken: "abd") != expected)
    }

    @Test func constantTimeEqualsComparesContentAndLength() {
        #expect(Secrets.constantTimeEquals([1, 2, 3], [1, 2, 3]))
        #expect(!Secrets.constantTimeEquals([1, 2, 3], [1, 2, 4]))
        #expect(!Secrets.constantTimeEquals([1, 2, 3], [1, 2]))
    }
}

@Suite("Usernames")
struct UsernameTests {
    /// A readable stem from the name, then a random suffix.
    @Test func stemFromNameWithRandomSuffix() {
        let name = Username.make(fromAccountName: "Fitness Studio Zürich!")
        #expect(name.hasPrefix("fitness-studio-z-rich-"))
        #expect(name.count == "fitness-studio-z-rich-".count + 6)
        #expect(Username.make(fromAccountName: "Fitness Studio Zürich!") != name)
    }

    @Test func emptyStemFallsBackToAccount() {
        #expect(Username.make(fromAccountName: "***").hasPrefix("account-"))
    }
}

@Suite("Rules")
struct RulesTests {
    @Test(arguments: ["a@example.com", "first.last+tag@sub.example.co.uk"])
    func validEmails(_ email: String) {
        #expect(EmailAddress.isValid(email))
    }

    @Test(arguments: ["", "plain", "a@b", "@example.com", "a@@example.com", "a b@example.com", "a@.example.com", "a@example-.com"])
    func invalidEmails(_ email: String) {
        #expect(!EmailAddress.isValid(email))
    }

    /// Only trial and paid convert into each other; a sandbox stays a sandbox.
    @Test func kindConversions() {
        #expect(AccountKind.trial.canChange(to: .paid))
        #expect(AccountKind.paid.canChange(to: .trial))
        #expect(!AccountKind.trial.canChange(to: .sandbox))
        #expect(!AccountKind.paid.canChange(to: .sandbox))
        #expect(!AccountKind.sandbox.canChange(to: .paid))
        #expect(AccountLimits.forKind(.sandbox) == AccountLimits(contacts: 100, sends: 100))
        #expect(AccountLimits.forKind(.paid) == .unlimited)
    }

    /// Page sizes are clamped to 1...100, offsets to >= 0.
    @Test func pagesAreClamped() {
        #expect(Page(limit: nil, offset: nil) == Page(limit: 20, offset: 0))
        #expect(Page(limit: 1000, offset: -5) == Page(limit: 100, offset: 0))
        #expect(Page(limit: 0).limit == 1)
    }
}
