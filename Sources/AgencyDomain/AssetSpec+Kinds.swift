/// The catalogue of asset kinds, with ActiveCampaign API v3's field names where v3 has the resource.
extension AssetSpec {
    static func of(_ kind: AssetKind) -> AssetSpec {
        switch kind {
        case .tag:
            AssetSpec(kind: kind, path: "tags", envelope: "tag", nameField: "tag", uniqueField: "tag", fields: [
                Field("tag", .text, required: true),
                Field("tagType", .oneOf(["contact", "template"]), default: .string("contact")),
                Field("description", .text, default: .string("")),
            ])
        case .list:
            AssetSpec(kind: kind, path: "lists", envelope: "list", nameField: "name", uniqueField: "stringid", fields: [
                Field("name", .text, required: true),
                Field("stringid", .text, slugOf: "name"),
                Field("sender_url", .text, default: .string("")),
                Field("sender_reminder", .text, default: .string("")),
                Field("send_last_broadcast", .integer, default: .number(0)),
                Field("subscription_notify", .text, default: .string("")),
                Field("unsubscription_notify", .text, default: .string("")),
            ])
        case .field:
            AssetSpec(kind: kind, path: "fields", envelope: "field", nameField: "title", uniqueField: "perstag", fields: [
                Field("title", .text, required: true),
                Field("type", .oneOf(["text", "textarea", "date", "datetime", "dropdown", "multiselect", "radio", "checkbox", "hidden", "listbox"]), default: .string("text")),
                Field("descript", .text, default: .string("")),
                Field("perstag", .text, slugOf: "title"),
                Field("defval", .text, default: .string("")),
                Field("visible", .integer, default: .number(1)),
                Field("isrequired", .integer, default: .number(0)),
                Field("ordernum", .integer, default: .number(0)),
                Field("options", .tree(.options), default: .array([])),
            ])
        case .dealGroup:
            AssetSpec(kind: kind, path: "dealGroups", envelope: "dealGroup", nameField: "title", uniqueField: nil, fields: [
                Field("title", .text, required: true),
                Field("currency", .text, default: .string("usd")),
                Field("allgroups", .integer, default: .number(1)),
                Field("allusers", .integer, default: .number(1)),
                Field("autoassign", .integer, default: .number(0)),
            ])
        case .dealStage:
            AssetSpec(kind: kind, path: "dealStages", envelope: "dealStage", nameField: "title", uniqueField: nil, fields: [
                Field("title", .text, required: true),
                Field("group", .reference(.dealGroup), required: true),
                Field("order", .integer, default: .number(0)),
                Field("color", .text, default: .string("")),
            ])
        case .template:
            AssetSpec(kind: kind, path: "templates", envelope: "template", nameField: "name", uniqueField: nil, fields: [
                Field("name", .text, required: true),
                Field("subject", .text, default: .string("")),
                Field("html", .text, default: .string("")),
                Field("tags", .references(.tag), default: .array([])),
            ])
        case .message:
            AssetSpec(kind: kind, path: "messages", envelope: "message", nameField: "subject", uniqueField: nil, fields: [
                Field("subject", .text, required: true),
                Field("fromname", .text, default: .string("")),
                Field("fromemail", .text, default: .string("")),
                Field("reply2", .text, default: .string("")),
                Field("preheader_text", .text, default: .string("")),
                Field("html", .text, default: .string("")),
                Field("text", .text, default: .string("")),
                Field("template", .reference(.template)),
            ])
        case .campaign:
            AssetSpec(kind: kind, path: "campaigns", envelope: "campaign", nameField: "name", uniqueField: nil, fields: [
                Field("name", .text, required: true),
                Field("type", .oneOf(["single", "recurring", "split", "responder", "reminder", "special", "activerss", "text"]), default: .string("single")),
                Field("status", .oneOf(["draft", "scheduled", "sent"]), default: .string("draft")),
                Field("lists", .references(.list), default: .array([])),
                Field("segment", .reference(.segment)),
                Field("message", .reference(.message)),
                Field("template", .reference(.template)),
                Field("sdate", .text),
            ])
        case .automation:
            AssetSpec(kind: kind, path: "automations", envelope: "automation", nameField: "name", uniqueField: nil, fields: [
                Field("name", .text, required: true),
                Field("status", .oneOf(["active", "inactive"]), default: .string("inactive")),
                Field("trigger", .tree(.trigger), required: true),
                Field("steps", .tree(.steps), default: .array([])),
            ])
        case .form:
            AssetSpec(kind: kind, path: "forms", envelope: "form", nameField: "name", uniqueField: nil, fields: [
                Field("name", .text, required: true),
                Field("fields", .references(.field), default: .array([])),
                Field("lists", .references(.list), default: .array([])),
                Field("tags", .references(.tag), default: .array([])),
                Field("thankYou", .text, default: .string("Thank you!")),
            ])
        case .segment:
            AssetSpec(kind: kind, path: "segments", envelope: "segment", nameField: "name", uniqueField: nil, fields: [
                Field("name", .text, required: true),
                Field("conditions", .tree(.conditions), required: true),
            ])
        case .score:
            AssetSpec(kind: kind, path: "scores", envelope: "score", nameField: "name", uniqueField: nil, fields: [
                Field("name", .text, required: true),
                Field("type", .oneOf(["contact", "deal"]), default: .string("contact")),
                Field("rules", .tree(.rules), default: .array([])),
            ])
        case .group:
            AssetSpec(kind: kind, path: "groups", envelope: "group", nameField: "title", uniqueField: nil, fields: [
                Field("title", .text, required: true),
                Field("descript", .text, default: .string("")),
            ])
        case .listGroup:
            AssetSpec(kind: kind, path: "listGroups", envelope: "listGroup", nameField: "listid", uniqueField: nil, fields: [
                Field("listid", .reference(.list), required: true),
                Field("groupid", .reference(.group), required: true),
            ])
        case .fieldRel:
            AssetSpec(kind: kind, path: "fieldRels", envelope: "fieldRel", nameField: "relid", uniqueField: nil, fields: [
                Field("field", .reference(.field), required: true),
                Field("relid", .referenceOrAll(.list), required: true),
            ])
        }
    }

    /// Finds the kind served at a route segment such as `tags`.
    public static func kind(atPath path: String) -> AssetKind? {
        AssetKind.allCases.first { $0.spec.path == path }
    }
}
