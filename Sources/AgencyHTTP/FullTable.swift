extension Dictionary {
    /// Makes room in an in-memory table that reached its bound: drops the oldest tenth of it (at
    /// least one entry) by `age`. A flood that keeps the table full then costs one sort per tenth of
    /// its capacity, not a scan of the whole table on every insert under its lock.
    mutating func dropOldestTenth(by age: (Value) -> some Comparable) {
        let victims = sorted { age($0.value) < age($1.value) }.prefix(Swift.max(1, count / 10)).map(\.key)
        for key in victims { removeValue(forKey: key) }
    }
}
