import Foundation
import Jupyter
import Testing

@testable import Cluster

/// Registration through files, for ranks started outside the kernel (`%cluster attach`).
@Suite struct RegistrationDirectoryTests {
    @Test func ranksWriteOwnerOnlyFilesTheKernelReadsBack() throws {
        let directory =
            NSTemporaryDirectory() + "registration-\(UUID().uuidString)/ranks"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let registrations = (0..<2).map { rank in
            RankRegistration(
                rank: rank, size: 2, host: "node\(rank)", pid: 100 + rank,
                connection: ConnectionInfo(
                    key: "key-\(rank)", kernelName: "trainbook-rank-\(rank)",
                    ports: [
                        .shell: 1001, .iopub: 1002, .stdin: 1003, .control: 1004,
                        .heartbeat: 1005 + rank,
                    ]))
        }
        for registration in registrations {
            try RegistrationDirectory.write(registration, into: directory)
        }
        // Not a registration: skipped.
        try Array("{}".utf8).write(to: directory + "/rank-9.json")
        let read = RegistrationDirectory.read(directory).sorted { $0.rank < $1.rank }
        #expect(read == registrations)
        let attributes = try FileManager.default.attributesOfItem(
            atPath: directory + "/rank-1.json")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let folder = try FileManager.default.attributesOfItem(atPath: directory)
        #expect((folder[.posixPermissions] as? Int) == 0o700)
    }

    @Test func aMissingDirectoryHoldsNoRegistrations() {
        #expect(RegistrationDirectory.read("/nonexistent/\(UUID().uuidString)").isEmpty)
    }
}

extension [UInt8] {
    fileprivate func write(to path: String) throws {
        try Data(self).write(to: URL(fileURLWithPath: path))
    }
}
