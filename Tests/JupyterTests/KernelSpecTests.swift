import Foundation
import KernelInterface
import Testing

@testable import Jupyter

@Suite struct KernelSpecTests {
    static func temporaryDirectory() throws -> String {
        let path =
            FileManager.default.temporaryDirectory.path + "/trainbook-spec-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func installWritesKernelJSONAndLogos() throws {
        let prefix = try KernelSpecTests.temporaryDirectory()
        let spec = KernelSpecInstaller.trainbookSpec(
            name: "trainbook-text", executable: "/opt/bin/trainbook",
            environment: ["TRAINBOOK_PROGRESS": "text"],
            interruptMode: .message)
        let directory = try KernelSpecInstaller.install(spec, into: .prefix(prefix))
        #expect(directory == prefix + "/share/jupyter/kernels/trainbook-text")
        let read = try KernelSpec(directory: directory)
        #expect(read.argv == ["/opt/bin/trainbook", "kernel", "-f", "{connection_file}"])
        #expect(read.language == "swift")
        #expect(read.interruptMode == .message)
        #expect(read.environment == ["TRAINBOOK_PROGRESS": "text"])
        #expect(read.displayName == "Trainbook (Swift)")
        for size in [32, 64] {
            let png = try #require(
                FileManager.default.contents(atPath: directory + "/logo-\(size)x\(size).png"))
            #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
            // IHDR holds the width and height, big-endian, at bytes 16..<24.
            #expect(Array(png[16..<24]) == [0, 0, 0, UInt8(size), 0, 0, 0, UInt8(size)])
        }
        let found = try KernelSpec.find(named: "TRAINBOOK-TEXT", in: [prefix + "/share/jupyter"])
        #expect(found.name == "trainbook-text")
        #expect(throws: JupyterError.self) {
            try KernelSpec.find(named: "absent", in: [prefix + "/share/jupyter"])
        }
    }

    @Test func logoIsOrangeWithAWhiteNetworkAndTransparentCorners() {
        let size = 64
        let pixels = KernelLogo.pixels(size: size)
        func pixel(_ x: Int, _ y: Int) -> [UInt8] {
            Array(pixels[((y * size + x) * 4)..<((y * size + x) * 4 + 4)])
        }
        #expect(pixel(0, 0)[3] == 0)
        #expect(pixel(4, 32) == [240, 81, 56, 255])
        #expect(pixel(32, 32) == [255, 255, 255, 255])  // the centre node
    }

    @Test func dataDirectoriesFollowJupyterCore() {
        let environment = [
            "HOME": "/home/ada", "JUPYTER_PATH": "/a:/b", "VIRTUAL_ENV": "/venv",
            "XDG_RUNTIME_DIR": "/run/user/1",
        ]
        #expect(
            JupyterPaths.dataDirectories(environment: environment) == [
                "/a", "/b", "/home/ada/.local/share/jupyter", "/venv/share/jupyter",
                "/usr/local/share/jupyter",
                "/usr/share/jupyter",
            ])
        #expect(JupyterPaths.runtimeDirectory(environment: environment) == "/run/user/1/jupyter")
        #expect(JupyterPaths.userDataDirectory(environment: ["JUPYTER_DATA_DIR": "/d"]) == "/d")
        #expect(
            JupyterPaths.userDataDirectory(environment: ["XDG_DATA_HOME": "/x"]) == "/x/jupyter")
    }

    @Test func connectionFilesRoundTripAndAreOwnerOnly() throws {
        let path = try KernelSpecTests.temporaryDirectory() + "/kernel-1.json"
        let info = ConnectionInfo(
            key: "k", kernelName: "trainbook",
            ports: [.shell: 1001, .iopub: 1002, .stdin: 1003, .control: 1004, .heartbeat: 1005])
        try info.write(to: path)
        #expect(try ConnectionInfo(contentsOf: path) == info)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(info.endpoint(for: .heartbeat) == "tcp://127.0.0.1:1005")
        var ipc = info
        ipc.transport = .ipc
        ipc.ip = "/tmp/k"
        #expect(ipc.endpoint(for: .shell) == "ipc:///tmp/k-1001")
    }

    @Test func badConnectionFilesAreExplained() {
        #expect(
            throws: JupyterError.connectionFile(
                path: "p", reason: "\"shell_port\" must be a port number")
        ) {
            try ConnectionInfo(json: ["shell_port": "x"], path: "p")
        }
        #expect(throws: JupyterError.unsupportedSignatureScheme("hmac-md5")) {
            try ConnectionInfo(json: ["key": "k", "signature_scheme": "hmac-md5"], path: "p")
        }
        #expect(
            throws: JupyterError.connectionFile(
                path: "p", reason: "\"transport\" must be \"tcp\" or \"ipc\"")
        ) {
            try ConnectionInfo(json: ["transport": "udp"], path: "p")
        }
        #expect(throws: JupyterError.self) {
            try ConnectionInfo(contentsOf: "/nonexistent/kernel.json")
        }
    }
}
