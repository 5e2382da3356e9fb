import Dispatch
import Foundation
import Memory
import Testing

@Suite struct ThreadStackTests {
    /// 4 KiB of stack frame.
    private struct Page {
        var parts = (
            SIMD64<UInt64>(), SIMD64<UInt64>(), SIMD64<UInt64>(), SIMD64<UInt64>(),
            SIMD64<UInt64>(), SIMD64<UInt64>(), SIMD64<UInt64>(), SIMD64<UInt64>()
        )
    }

    /// Touches about `depth` × 4 KiB of the calling thread's stack.
    @inline(never)
    private static func descend(_ depth: Int) -> Int {
        var page = Page()
        withUnsafeMutableBytes(of: &page) { bytes in
            for index in stride(from: 0, to: bytes.count, by: 64) {
                bytes[index] = UInt8(truncatingIfNeeded: depth)
            }
        }
        let mark = withUnsafeBytes(of: &page) { Int($0[64]) }
        guard depth > 0 else { return mark }
        return descend(depth - 1) + mark
    }

    /// Runs `body` on a thread of its own with a 64 MiB stack.
    private static func onThread(_ body: @escaping @Sendable () -> (Int, Int)) -> (Int, Int) {
        final class Result: @unchecked Sendable { var value = (0, 0) }
        let result = Result()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            result.value = body()
            done.signal()
        }
        thread.stackSize = 64 << 20
        thread.start()
        done.wait()
        return result.value
    }

    /// The stack a deep call touched stays resident after it returns, until released.
    @Test func theStackBelowTheCurrentFrameIsReleased() {
        let (before, after) = ThreadStackTests.onThread {
            _ = ThreadStackTests.descend(4_000)
            let before = ThreadStack.residentUnusedBytes()
            ThreadStack.releaseUnusedPages()
            return (before, ThreadStack.residentUnusedBytes())
        }
        #expect(before >= 8 << 20, "a 4,000-deep call left \(before) bytes resident")
        #expect(after < 1 << 20, "\(after) bytes stayed resident after the release")
    }

    /// Releasing does not disturb the frames still in use: a thread keeps computing after it.
    @Test func theThreadRunsOnAfterARelease() {
        let (first, second) = ThreadStackTests.onThread {
            let first = ThreadStackTests.descend(2_000)
            ThreadStack.releaseUnusedPages()
            return (first, ThreadStackTests.descend(2_000))
        }
        #expect(first == second)
    }
}
