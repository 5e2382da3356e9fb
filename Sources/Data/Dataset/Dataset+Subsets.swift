import Tensor

// Views of a data set: prefixes, index subsets, shuffles, splits and class filters. Each shares
// the stored examples and keeps the normalisation.

extension Dataset {
    /// The first `n` examples (all of them if there are fewer).
    ///
    /// ```swift
    /// let small = data.train.prefix(2_000)
    /// ```
    public func prefix(_ n: Int) -> Dataset {
        view(rows: Array(rows.prefix(max(0, n))), name: "\(name) [:\(max(0, n))]")
    }

    /// Shard `index` of `count` for data-parallel training: the examples at `index`,
    /// `index + count`, `index + 2 × count`, … (strided, as PyTorch's `DistributedSampler`), cut
    /// so that every shard has the same number of examples, `self.count / count` (the last
    /// `self.count % count` examples are left out). Deterministic: no randomness.
    ///
    /// Strided shards keep batches aligned: batch b of every shard together holds the examples
    /// of batch b of the whole set with a `count` times larger batch size.
    ///
    /// ```swift
    /// let mine = data.train.shard(rank, of: worldSize)
    /// ```
    /// - Throws: `invalidArgument` unless `0 <= index < count`.
    public func shard(_ index: Int, of count: Int) throws(DataError) -> Dataset {
        guard count >= 1, index >= 0, index < count else {
            throw .invalidArgument(
                operation: "shard",
                message: "shard \(index) of \(count) does not exist (shards 0..<\(max(count, 0)))")
        }
        let size = rows.count / count
        let selected = (0..<size).map { rows[$0 * count + index] }
        return view(rows: selected, name: "\(name) shard \(index)/\(count)")
    }

    /// The examples at `indices` (positions in this data set), in that order; an index may
    /// repeat.
    ///
    /// - Throws: `invalidArgument` naming the first index outside `0..<count`.
    public func subset(_ indices: [Int]) throws(DataError) -> Dataset {
        var selected: [Int] = []
        selected.reserveCapacity(indices.count)
        for index in indices {
            guard rows.indices.contains(index) else {
                throw .invalidArgument(
                    operation: "subset",
                    message: "index \(index) is out of range for \(count) examples")
            }
            selected.append(rows[index])
        }
        return view(rows: selected, name: "\(name) subset")
    }

    /// The same examples in a random order drawn from `generator`.
    public func shuffled(using generator: inout RandomGenerator) -> Dataset {
        view(rows: rows.shuffled(using: &generator), name: name)
    }

    /// The same examples in a random order from the default generator (see `seed`).
    public func shuffled() -> Dataset {
        RandomGenerator.withDefault { shuffled(using: &$0) }
    }

    /// Splits off a random `validationFraction` of the examples, as Keras's
    /// `validation_split` but shuffled.
    ///
    /// With `stratified` (the default for classification), each class is split in the same
    /// proportion, so both parts keep the class balance.
    ///
    /// ```swift
    /// var rng = RandomGenerator(seed: 42)
    /// let (train, validation) = try data.train.split(validationFraction: 0.1, using: &rng)
    /// ```
    /// - Throws: `invalidArgument` unless the fraction lies strictly between 0 and 1.
    public func split(
        validationFraction: Double, stratified: Bool? = nil, using generator: inout RandomGenerator
    ) throws(DataError) -> (train: Dataset, validation: Dataset) {
        guard validationFraction > 0, validationFraction < 1 else {
            throw .invalidArgument(
                operation: "split",
                message: "validationFraction must lie strictly between 0 and 1, got "
                    + "\(validationFraction)")
        }
        let groups: [[Int]]
        if stratified ?? isClassification, case .classes(let all) = targets.values {
            var byClass = [[Int]](repeating: [], count: classCount)
            for row in rows where byClass.indices.contains(Int(all[row])) {
                byClass[Int(all[row])].append(row)
            }
            groups = byClass
        } else {
            groups = [rows]
        }
        var train: [Int] = []
        var validation: [Int] = []
        for group in groups {
            let shuffled = group.shuffled(using: &generator)
            let cut = Int((Double(shuffled.count) * validationFraction).rounded())
            validation += shuffled.prefix(cut)
            train += shuffled.dropFirst(cut)
        }
        // Interleave the classes again, so neither part is sorted by class.
        train.shuffle(using: &generator)
        validation.shuffle(using: &generator)
        return (
            view(rows: train, name: "\(name) (train part)"),
            view(rows: validation, name: "\(name) (validation part)")
        )
    }

    /// `split(validationFraction:stratified:using:)` with the default generator.
    public func split(validationFraction: Double, stratified: Bool? = nil) throws(DataError)
        -> (train: Dataset, validation: Dataset)
    {
        var generator = RandomGenerator.withDefault { $0.split() }
        return try split(
            validationFraction: validationFraction, stratified: stratified, using: &generator)
    }

    /// The examples of the given classes only, in their order.
    ///
    /// With `relabel`, the kept classes are renumbered 0, 1, … in the order given, and the
    /// class names follow, so a two-class problem can be cut out of ten:
    ///
    /// ```swift
    /// let shirts = try data.train.filtered(classes: [0, 6], relabel: true)  // T-shirt vs Shirt
    /// ```
    /// - Throws: `invalidArgument` for a class that does not exist or a regression set.
    public func filtered(classes: [Int], relabel: Bool = false) throws(DataError) -> Dataset {
        guard case .classes(let all) = targets.values else {
            throw .invalidArgument(
                operation: "filtered", message: "a regression data set has no classes")
        }
        var newIndex = [Int32](repeating: -1, count: classCount)
        for (position, label) in classes.enumerated() {
            guard newIndex.indices.contains(label) else {
                throw .invalidArgument(
                    operation: "filtered",
                    message: "class \(label) does not exist (classes are 0..<\(classCount))")
            }
            guard newIndex[label] < 0 else {
                throw .invalidArgument(
                    operation: "filtered", message: "class \(label) is listed twice")
            }
            newIndex[label] = Int32(position)
        }
        let kept = rows.filter { newIndex[Int(all[$0])] >= 0 }
        let keptName = "\(name) (classes \(classes.map(String.init).joined(separator: ", ")))"
        guard relabel else { return view(rows: kept, name: keptName) }
        let relabelled = TargetStore(
            values: .classes(
                all.map { newIndex.indices.contains(Int($0)) ? newIndex[Int($0)] : -1 }),
            classNames: classes.map { targets.classNames[$0] })
        return Dataset(
            features: features, targets: relabelled, rows: kept, name: keptName,
            normalization: normalization)
    }
}
