import CMPI
import NN

/// An in-place `MPI_Iallreduce` under way (`MPICommunicator.startAllReduce`): `progress()`
/// tests it (Open MPI moves a non-blocking collective on only inside MPI calls), `wait` polls
/// it to the end; a mean's scaling is applied once, when it has finished.
final class MPIPendingReduction: PendingCollective {
    private let communicator: MPICommunicator
    private var request: MPI_Request?
    private let values: UnsafeMutableBufferPointer<Float>
    private let owner: AnyObject
    private let scale: Float?
    private var isDone = false

    init(
        communicator: MPICommunicator, request: MPI_Request?,
        values: UnsafeMutableBufferPointer<Float>, owner: AnyObject, scale: Float?
    ) {
        self.communicator = communicator
        self.request = request
        self.values = values
        self.owner = owner
        self.scale = scale
    }

    func progress() throws(CommunicationError) -> Bool {
        guard !isDone else { return true }
        var finished: Int32 = 0
        try communicator.check(
            MPI_Test(&request, &finished, tb_mpi_status_ignore()), "allReduce")
        if finished != 0 { complete() }
        return isDone
    }

    func wait(interrupted: () -> Bool) throws(CommunicationError) {
        guard !isDone else { return }
        do {
            try communicator.wait(&request, "allReduce", interrupted: interrupted)
        } catch {
            // MPI may still write into the memory: it lives on.
            if case .interrupted = error { _ = Unmanaged.passRetained(owner) }
            throw error
        }
        complete()
    }

    private func complete() {
        isDone = true
        guard let scale else { return }
        for index in values.indices { values[index] *= scale }
    }
}
