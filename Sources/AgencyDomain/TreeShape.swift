/// The nested structures inside assets (automation triggers and steps, segment conditions, scoring
/// rules, field options). Their references follow one naming rule, whatever the depth: a key named
/// after a kind (`tag`, `list`, `field`, `template`, `message`, `stage`, `pipeline`, `segment`, `form`,
/// `automation`) holds an id of that kind, its plural (`tags`, `lists`, `fields`) a list of ids.
public enum TreeShape: Sendable {
    case trigger
    case steps
    case conditions
    case rules
    case options

    static let referenceKeys: [String: AssetKind] = [
        "tag": .tag, "list": .list, "field": .field, "template": .template, "message": .message,
        "stage": .dealStage, "pipeline": .dealGroup, "segment": .segment, "form": .form, "automation": .automation,
    ]
    static let pluralReferenceKeys: [String: AssetKind] = ["tags": .tag, "lists": .list, "fields": .field]

    /// Trigger types and the reference each one needs.
    public static let triggerTypes: [String: [String]] = [
        "tag_added": ["tag"], "tag_removed": ["tag"], "list_subscribed": ["list"], "list_unsubscribed": ["list"],
        "form_submitted": ["form"], "field_changed": ["field"], "deal_stage_entered": ["stage"], "contact_added": [],
    ]

    /// Step types and the keys each one needs; `|` means one of several.
    public static let stepTypes: [String: [String]] = [
        "add_tag": ["tag"], "remove_tag": ["tag"], "subscribe_list": ["list"], "unsubscribe_list": ["list"],
        "send_email": ["template|message"], "wait": [], "update_field": ["field"], "create_deal": ["stage"],
        "move_deal": ["stage"], "if_else": ["segment|tag|list"], "goal": [], "start_automation": ["automation"],
    ]

    func check(_ value: JSONValue, path: String, pointer: String, into references: inout [AssetReference]) throws -> JSONValue {
        switch self {
        case .trigger:
            try Self.requireTyped(value, among: Self.triggerTypes, path: path)
        case .steps:
            try Self.checkSteps(value, path: path)
        case .conditions:
            try Self.checkConditionGroup(value, path: path)
        case .rules:
            guard let rules = value.arrayValue else { throw DomainError.invalid(field: path, message: "'\(path)' must be a list of rules.") }
            for (index, rule) in rules.enumerated() {
                let rulePath = "\(path)[\(index)]"
                guard let object = rule.objectValue, case .number = object["points"] ?? .null else {
                    throw DomainError.invalid(field: rulePath, message: "'\(rulePath)' needs 'points' (a number).")
                }
                guard ["tag", "list", "field", "segment"].contains(where: { object[$0] != nil }) else {
                    throw DomainError.invalid(field: rulePath, message: "'\(rulePath)' needs a condition: tag, list, field or segment.")
                }
            }
        case .options:
            guard let options = value.arrayValue, options.allSatisfy({ $0.objectValue?["label"]?.stringValue != nil }) else {
                throw DomainError.invalid(field: path, message: "'\(path)' must be a list of {label, value} options.")
            }
        }
        return try Self.collectReferences(value, path: path, pointer: pointer, into: &references)
    }

    static func checkSteps(_ value: JSONValue, path: String) throws {
        guard let steps = value.arrayValue else { throw DomainError.invalid(field: path, message: "'\(path)' must be a list of steps.") }
        for (index, step) in steps.enumerated() {
            let stepPath = "\(path)[\(index)]"
            try requireTyped(step, among: Self.stepTypes, path: stepPath)
            for branch in ["yes", "no"] {
                if let children = step.objectValue?[branch] { try checkSteps(children, path: "\(stepPath).\(branch)") }
            }
        }
    }

    /// `{"match": "all"|"any", "conditions": [leaf or group, …]}`; a leaf names what it tests and how.
    static func checkConditionGroup(_ value: JSONValue, path: String) throws {
        guard let group = value.objectValue, let match = group["match"]?.stringValue, ["all", "any"].contains(match),
              let conditions = group["conditions"]?.arrayValue, !conditions.isEmpty
        else { throw DomainError.invalid(field: path, message: "'\(path)' must be {\"match\": \"all\"|\"any\", \"conditions\": [...]} with at least one condition.") }
        for (index, condition) in conditions.enumerated() {
            let conditionPath = "\(path).conditions[\(index)]"
            guard let object = condition.objectValue else { throw DomainError.invalid(field: conditionPath, message: "'\(conditionPath)' must be an object.") }
            if object["conditions"] != nil {
                try checkConditionGroup(condition, path: conditionPath)
            } else if !["tag", "list", "field", "stage"].contains(where: { object[$0] != nil }) || object["op"]?.stringValue == nil {
                throw DomainError.invalid(field: conditionPath, message: "'\(conditionPath)' needs one of tag, list, field or stage, and an 'op'.")
            }
        }
    }

    static func requireTyped(_ value: JSONValue, among types: [String: [String]], path: String) throws {
        guard let object = value.objectValue, let type = object["type"]?.stringValue, let needs = types[type] else {
            throw DomainError.invalid(field: "\(path).type", message: "'\(path).type' must be one of: \(types.keys.sorted().joined(separator: ", ")).")
        }
        for need in needs where !need.split(separator: "|").contains(where: { object[String($0)] != nil }) {
            throw DomainError.invalid(field: "\(path).\(need.split(separator: "|")[0])", message: "A '\(type)' needs \(need.split(separator: "|").joined(separator: " or ")).")
        }
    }

    /// Walks the tree, normalising every id under a reference key to a string and recording it.
    static func collectReferences(_ value: JSONValue, path: String, pointer: String, into references: inout [AssetReference]) throws -> JSONValue {
        switch value {
        case .array(let items):
            return .array(try items.enumerated().map { index, item in
                try collectReferences(item, path: "\(path)[\(index)]", pointer: "\(pointer)/\(index)", into: &references)
            })
        case .object(let object):
            var result: [String: JSONValue] = [:]
            for (key, child) in object {
                let childPath = "\(path).\(key)"
                let childPointer = "\(pointer)/\(key)"
                if let kind = referenceKeys[key], child != .null {
                    result[key] = try AssetSpec.check(child, as: .reference(kind), path: childPath, pointer: childPointer, into: &references)
                } else if let kind = pluralReferenceKeys[key], child != .null {
                    result[key] = try AssetSpec.check(child, as: .references(kind), path: childPath, pointer: childPointer, into: &references)
                } else {
                    result[key] = try collectReferences(child, path: childPath, pointer: childPointer, into: &references)
                }
            }
            return .object(result)
        default:
            return value
        }
    }
}
