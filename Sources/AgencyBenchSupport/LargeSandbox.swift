import AgencyDomain
import AgencyStorage

/// The size of the benchmark's sandbox (issue 5): a large agency setup, every kind wired to others.
public struct LargeSandboxShape: Sendable {
    public var tags = 1_000
    public var lists = 50
    public var fields = 200
    public var templates = 300
    public var templateBytes = 20_000
    public var imagesPerTemplate = 5
    public var campaigns = 100
    public var automations = 200
    public var stepsPerAutomation = 25
    public var forms = 100
    public var segments = 100
    public var scores = 50
    public var pipelines = 20
    public var stagesPerPipeline = 8
    public var contacts = 100

    public init() {}

    /// Every asset the sandbox holds.
    public var assetCount: Int {
        tags + lists + fields + templates + campaigns + automations + forms + segments + scores + pipelines * (1 + stagesPerPipeline)
    }
}

/// Builds the benchmark's sandbox: a bundle document (checked and applied like any bundle) plus
/// contacts with tags, list subscriptions and field values.
public enum LargeSandbox {
    public static func build(in database: AppDatabase, agencyID: Int64, shape: LargeSandboxShape = LargeSandboxShape()) async throws -> Int64 {
        let (sandbox, _) = try await database.createAccount(
            agencyID: agencyID, name: "Large sandbox", kind: .sandbox, passwordHash: "-", makeUsername: { Username.make(fromAccountName: "large") }
        )
        _ = try await database.applyBundle(accountID: sandbox.id, try AssetBundle.parse(document(shape)))
        for index in 1...shape.contacts {
            let contact = try await database.createContact(
                accountID: sandbox.id,
                try ContactDraft(email: "member\(index)@example.com", firstName: "Member", lastName: "\(index)", phone: nil)
            )
            _ = try await database.link(.tag, accountID: sandbox.id, contactID: contact.id, assetID: Int64(1 + index % shape.tags), value: nil)
            _ = try await database.link(.list, accountID: sandbox.id, contactID: contact.id, assetID: Int64(1 + index % shape.lists), value: "1")  // subscribed
            _ = try await database.link(.field, accountID: sandbox.id, contactID: contact.id, assetID: Int64(1 + index % shape.fields), value: "value \(index)")
        }
        return sandbox.id
    }

    /// The assets as a bundle document. Ids are 1...n per kind; references cycle through the kinds they name.
    public static func document(_ shape: LargeSandboxShape) -> JSONValue {
        func id(_ n: Int, of count: Int) -> JSONValue { .string(String(1 + n % count)) }
        func items(_ count: Int, _ make: (Int) -> [String: JSONValue]) -> JSONValue {
            .array((0..<count).map { n in .object(make(n).merging(["id": .string(String(n + 1))]) { $1 }) })
        }
        let stageCount = shape.pipelines * shape.stagesPerPipeline
        let assets: [String: JSONValue] = [
            "tags": items(shape.tags) { ["tag": .string("Tag \($0 + 1)"), "description": .string("Benchmark tag number \($0 + 1)")] },
            "lists": items(shape.lists) { ["name": .string("List \($0 + 1)"), "sender_url": .string("https://agency.example.com")] },
            "fields": items(shape.fields) { n in
                n % 4 == 0
                    ? ["title": .string("Field \(n + 1)"), "type": .string("dropdown"),
                       "options": .array((1...4).map { .object(["label": .string("Option \($0)"), "value": .string("o\($0)")]) })]
                    : ["title": .string("Field \(n + 1)"), "type": .string("text")]
            },
            "dealGroups": items(shape.pipelines) { ["title": .string("Pipeline \($0 + 1)")] },
            "dealStages": items(stageCount) { n in
                ["title": .string("Stage \(n % shape.stagesPerPipeline + 1)"), "group": .string(String(n / shape.stagesPerPipeline + 1)),
                 "order": .number(Double(n % shape.stagesPerPipeline))]
            },
            "templates": items(shape.templates) { n in
                ["name": .string("Template \(n + 1)"), "subject": .string("News \(n + 1)"), "html": .string(html(template: n + 1, shape: shape)),
                 "tags": .array([id(n, of: shape.tags)])]
            },
            "segments": items(shape.segments) { n in
                ["name": .string("Segment \(n + 1)"), "conditions": .object(["match": .string("all"), "conditions": .array([
                    .object(["field": id(n, of: shape.fields), "op": .string("eq"), "value": .string("o1")]),
                    .object(["match": .string("any"), "conditions": .array([
                        .object(["tag": id(n * 3, of: shape.tags), "op": .string("has")]),
                        .object(["list": id(n, of: shape.lists), "op": .string("subscribed")]),
                    ])]),
                ])])]
            },
            "forms": items(shape.forms) { n in
                ["name": .string("Form \(n + 1)"), "fields": .array([id(n, of: shape.fields), id(n + 1, of: shape.fields)]),
                 "lists": .array([id(n, of: shape.lists)]), "tags": .array([id(n * 7, of: shape.tags)])]
            },
            "automations": items(shape.automations) { n in
                ["name": .string("Automation \(n + 1)"), "status": .string(n % 2 == 0 ? "active" : "inactive"),
                 "trigger": .object(["type": .string("tag_added"), "tag": id(n, of: shape.tags)]),
                 "steps": .array((0..<shape.stepsPerAutomation).map { step(n * shape.stepsPerAutomation + $0, automation: n, shape: shape) })]
            },
            "campaigns": items(shape.campaigns) { n in
                ["name": .string("Campaign \(n + 1)"), "status": .string(n % 3 == 0 ? "scheduled" : "draft"),
                 "lists": .array([id(n, of: shape.lists)]), "segment": id(n, of: shape.segments), "template": id(n, of: shape.templates)]
            },
            "scores": items(shape.scores) { n in
                ["name": .string("Score \(n + 1)"), "rules": .array([
                    .object(["tag": id(n, of: shape.tags), "points": .number(10)]),
                    .object(["list": id(n, of: shape.lists), "points": .number(5)]),
                    .object(["field": id(n, of: shape.fields), "value": .string("o2"), "points": .number(2)]),
                ])]
            },
        ]
        return .object(["format": .string(AssetBundle.format), "assets": .object(assets)])
    }

    /// One automation step; the kinds cycle so that every step type and reference kind appears.
    static func step(_ n: Int, automation: Int, shape: LargeSandboxShape) -> JSONValue {
        let stages = shape.pipelines * shape.stagesPerPipeline
        func id(_ value: Int, of count: Int) -> JSONValue { .string(String(1 + value % count)) }
        switch n % 9 {
        case 0: return .object(["type": .string("send_email"), "template": id(n, of: shape.templates)])
        case 1: return .object(["type": .string("add_tag"), "tag": id(n, of: shape.tags)])
        case 2: return .object(["type": .string("wait"), "days": .number(Double(1 + n % 7))])
        case 3: return .object(["type": .string("subscribe_list"), "list": id(n, of: shape.lists)])
        case 4: return .object(["type": .string("update_field"), "field": id(n, of: shape.fields), "value": .string("o3")])
        case 5: return .object(["type": .string("create_deal"), "stage": id(n, of: stages), "title": .string("Deal for %EMAIL%")])
        case 6: return .object(["type": .string("if_else"), "segment": id(n, of: shape.segments),
                                "yes": .array([.object(["type": .string("add_tag"), "tag": id(n + 1, of: shape.tags)])]),
                                "no": .array([.object(["type": .string("remove_tag"), "tag": id(n + 2, of: shape.tags)])])])
        case 7: return .object(["type": .string("move_deal"), "stage": id(n + 1, of: stages)])
        default:
            // Start an earlier automation, so the references between automations form no cycle.
            return automation == 0
                ? .object(["type": .string("goal"), "name": .string("Converted")])
                : .object(["type": .string("start_automation"), "automation": id(n, of: automation)])
        }
    }

    /// About `templateBytes` of email HTML with `imagesPerTemplate` images, different for every template.
    public static func html(template: Int, shape: LargeSandboxShape) -> String {
        var html = "<html><head><style>.hero{background:#f4f4f4}</style></head><body style=\"margin:0\">"
        html += "<table width=\"600\" background=\"https://cdn.example.com/t\(template)/bg.jpg\"><tr><td>"
        for image in 1..<shape.imagesPerTemplate {
            html += "<img src=\"https://cdn.example.com/t\(template)/img\(image).png\" alt=\"Image \(image)\" width=\"600\">"
        }
        var paragraph = 0
        while html.utf8.count < shape.templateBytes - 40 {
            paragraph += 1
            html += "<p class=\"body\">Template \(template), paragraph \(paragraph): our studio offers classes every day of the week, "
                + "with trainers who know your name and plans that fit your goals. Book a trial class today.</p>"
        }
        return html + "</td></tr></table></body></html>"
    }
}
