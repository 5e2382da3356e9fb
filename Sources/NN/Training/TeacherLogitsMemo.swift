import Data
import Synchronization
import Tensor

/// The teacher's logits on a training set, kept from one distilling fit to the next, so that
/// students distilled one after another from the same teacher on the same data (a seed or a
/// grid of settings each: notebook 05 trains 39) run the teacher over the set once rather
/// than once per fit — for Hinton's 2.4-million-parameter teacher on 50,000 images, a forward
/// pass costing as much as the student's whole training many times over.
///
/// Design note. The memo holds one entry per teacher, the last logits computed, with what they
/// depend on: the teacher and the data set by identity (held weakly, so the memo keeps neither
/// alive; an entry goes when either does), the
/// prediction batch size, the teacher's architecture and its state — every parameter and buffer
/// value (tensors are copy-on-write, so holding them copies nothing while the teacher is left
/// alone). A fit takes the entry only when all of them are the same, the state compared value
/// by value, so a teacher trained, loaded, pruned or edited in any way since runs again. A
/// teacher that cannot describe its architecture (a custom layer, whose behaviour may depend on
/// more than its parameters) is never memoized.
struct TeacherLogitsMemo: @unchecked Sendable {
    // @unchecked: the layer and data set are only compared by identity, and the tensors are
    // values; entries are read and replaced under `entries`' lock.
    private weak var teacher: (any Layer)?
    private weak var data: Dataset?
    private let batchSize: Int
    private let architecture: LayerArchitecture
    private let state: [(name: String, value: Tensor)]
    private let logits: Tensor

    /// Each live teacher's entry, from the last distilling fit that computed its logits.
    private static let entries = Mutex<[ObjectIdentifier: TeacherLogitsMemo]>([:])

    /// The teacher's logits on `data` predicted in batches of `batchSize`: the memo's when it
    /// holds them for this teacher in its current state, else `compute()`'s, then kept.
    static func logits(
        of teacher: any Layer, on data: Dataset, batchSize: Int,
        compute: () throws -> Tensor
    ) throws -> Tensor {
        guard let architecture = try? teacher.architecture() else { return try compute() }
        let state = stateValues(of: teacher)
        let key = ObjectIdentifier(teacher)
        let kept = entries.withLock { entries in
            entries = entries.filter { $0.value.teacher != nil && $0.value.data != nil }
            return entries[key]
        }
        if let kept, kept.teacher === teacher, kept.data === data, kept.batchSize == batchSize,
            kept.architecture == architecture, sameValues(kept.state, state)
        {
            return kept.logits
        }
        let logits = try compute()
        let entry = TeacherLogitsMemo(
            teacher: teacher, data: data, batchSize: batchSize, architecture: architecture,
            state: state, logits: logits)
        entries.withLock { $0[key] = entry }
        return logits
    }

    private init(
        teacher: any Layer, data: Dataset, batchSize: Int, architecture: LayerArchitecture,
        state: [(name: String, value: Tensor)], logits: Tensor
    ) {
        self.teacher = teacher
        self.data = data
        self.batchSize = batchSize
        self.architecture = architecture
        self.state = state
        self.logits = logits
    }

    /// Every parameter and buffer value of `layer` by name, in traversal order.
    private static func stateValues(of layer: any Layer) -> [(name: String, value: Tensor)] {
        layer.namedParameters().map { ($0.name, $0.parameter.value) }
            + layer.namedBuffers().map { ($0.name, $0.buffer.value) }
    }

    /// Whether two states have the same names, dtypes, shapes and values.
    private static func sameValues(
        _ a: [(name: String, value: Tensor)], _ b: [(name: String, value: Tensor)]
    ) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).allSatisfy { $0.name == $1.name && sameValues($0.value, $1.value) }
    }

    /// Whether two tensors have the same dtype, shape and elements (int32 compared as integers,
    /// the other dtypes exactly as floats).
    private static func sameValues(_ x: Tensor, _ y: Tensor) -> Bool {
        guard x.dtype == y.dtype, x.shape == y.shape else { return false }
        guard x.dtype == .int32 else { return x.scalars == y.scalars }
        guard let xs = try? x.scalars(as: Int32.self), let ys = try? y.scalars(as: Int32.self)
        else { return false }
        return xs == ys
    }
}
