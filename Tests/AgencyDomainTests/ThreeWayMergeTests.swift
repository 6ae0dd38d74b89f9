import AgencyDomain
import Testing

@Suite("Three-way merge of asset bodies")
struct ThreeWayMergeTests {
    let base: JSONValue = .object([
        "name": .string("Onboarding"),
        "steps": .array([.object(["type": .string("add_tag"), "tag": .string("1")]), .object(["type": .string("wait"), "days": .number(2)])]),
    ])

    func with(_ pointerPath: [String], _ value: JSONValue, in body: JSONValue) -> JSONValue {
        JSONPointer.replacing("/" + pointerPath.joined(separator: "/"), in: body, with: value)
    }

    @Test func changesInDifferentItemsOfAListBothArrive() {
        let ours = with(["steps", "0", "tag"], .string("7"), in: base)
        let theirs = with(["steps", "1", "days"], .number(3), in: base)
        let merge = ThreeWayMerge(base: base, ours: ours, theirs: theirs, policy: .keepClient)
        #expect(merge.merged == with(["steps", "1", "days"], .number(3), in: ours))
        #expect(merge.applied == ["/steps/1/days"] && merge.kept == ["/steps/0/tag"] && merge.conflicts.isEmpty)
    }

    @Test func aListThatChangedLengthIsOneField() {
        guard case .object(var theirsObject) = base, case .array(var steps)? = theirsObject["steps"] else { Issue.record("fixture"); return }
        steps.append(.object(["type": .string("goal")]))
        theirsObject["steps"] = .array(steps)
        let ours = with(["steps", "0", "tag"], .string("7"), in: base)
        let keep = ThreeWayMerge(base: base, ours: ours, theirs: .object(theirsObject), policy: .keepClient)
        #expect(keep.conflicts.map(\.pointer) == ["/steps"])
        #expect(keep.merged == ours)
        let take = ThreeWayMerge(base: base, ours: ours, theirs: .object(theirsObject), policy: .takeSnapshot)
        #expect(take.merged == .object(theirsObject))
    }

    @Test func addedAndRemovedKeysMergeLikeValues() {
        let ours = with(["name"], .string("Mine"), in: base)
        guard case .object(var theirs) = base else { return }
        theirs["description"] = .string("new")
        let merge = ThreeWayMerge(base: base, ours: ours, theirs: .object(theirs), policy: .keepClient)
        #expect(merge.merged?.objectValue?["description"] == .string("new"))
        #expect(merge.merged?.objectValue?["name"] == .string("Mine"))
        #expect(merge.applied == ["/description"])
    }

    @Test func pointersEscapeSlashesAndTildes() {
        let changes = FieldChange.between(.object(["a/b": .number(1), "c~d": .number(1)]), .object(["a/b": .number(2), "c~d": .number(2)]))
        #expect(changes.map(\.pointer) == ["/a~1b", "/c~0d"])
        #expect(JSONPointer.replacing("/a~1b", in: .object(["a/b": .number(1)]), with: .number(5)) == .object(["a/b": .number(5)]))
    }
}
