/// RFC 6901 pointers into asset bodies (`/steps/2/tag`): how diffs, merges and references name a field.
public enum JSONPointer {
    public static func appending(_ key: String, to pointer: String) -> String {
        // Nearly no key holds either character; checking first spares the replacing.
        guard key.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return pointer + "/" + key }
        return pointer + "/" + key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    public static func appending(_ index: Int, to pointer: String) -> String {
        pointer + "/" + String(index)
    }

    static func tokens(_ pointer: String) -> [String] {
        pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
            .map { $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~") }
    }

    /// The value at `pointer`, nil when it leads nowhere.
    public static func value(at pointer: String, in root: JSONValue) -> JSONValue? {
        var node = root
        for token in tokens(pointer) {
            switch node {
            case .object(let object):
                guard let child = object[token] else { return nil }
                node = child
            case .array(let array):
                guard let index = Int(token), array.indices.contains(index) else { return nil }
                node = array[index]
            default:
                return nil
            }
        }
        return node
    }

    /// `root` with the value at `pointer` replaced by `value`; unchanged when the pointer leads nowhere.
    public static func replacing(_ pointer: String, in root: JSONValue, with value: JSONValue) -> JSONValue {
        replacing(tokens(pointer)[...], in: root, with: value)
    }

    private static func replacing(_ tokens: ArraySlice<String>, in node: JSONValue, with value: JSONValue) -> JSONValue {
        guard let token = tokens.first else { return value }
        switch node {
        case .object(var object):
            guard let child = object[token] else { return node }
            object[token] = replacing(tokens.dropFirst(), in: child, with: value)
            return .object(object)
        case .array(var array):
            guard let index = Int(token), array.indices.contains(index) else { return node }
            array[index] = replacing(tokens.dropFirst(), in: array[index], with: value)
            return .array(array)
        default:
            return node
        }
    }
}
