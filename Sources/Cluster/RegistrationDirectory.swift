import Files
import Foundation

/// Registration through files, for ranks started outside the kernel (`mpirun` or `srun` run by
/// the user or a batch script): each rank writes its `RankRegistration` (with a key of its own)
/// to `rank-K.json` in a directory both sides see, readable by its owner only;
/// `%cluster attach DIR` reads them (protocol/cluster.md, "Attaching").
///
/// ```sh
/// mpirun -np 4 trainbook-worker --registration-dir ~/run/ranks
/// ```
/// ```swift
/// %cluster attach ~/run/ranks
/// ```
public enum RegistrationDirectory {
    /// The file rank `rank` writes.
    static func fileName(rank: Int) -> String { "rank-\(rank).json" }

    /// Writes `registration` to its file in `directory` (made if missing), atomically, mode 0600.
    ///
    /// - Throws: `ClusterError.transport` when the directory or file cannot be written.
    public static func write(_ registration: RankRegistration, into directory: String)
        throws(ClusterError)
    {
        do throws(FileWriteError) {
            try AtomicFile.makeDirectory(directory, mode: 0o700)
            try AtomicFile.write(
                registration.json.jsonBytes(),
                to: directory + "/" + fileName(rank: registration.rank), mode: 0o600)
        } catch {
            throw .transport("cannot write the rank's registration: \(error)")
        }
    }

    /// The registrations in `directory` (files that are not registrations are skipped).
    static func read(_ directory: String) -> [RankRegistration] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasPrefix("rank-") && $0.hasSuffix(".json") }.compactMap {
            name in
            guard let data = FileManager.default.contents(atPath: directory + "/" + name) else {
                return nil
            }
            return try? RankRegistration(bytes: Array(data))
        }
    }
}
