import Foundation

// Batches read the rows of a data set in shuffled order, so with 4 KiB pages nearly every row
// of a large store costs a TLB miss, and under a hypervisor each miss is a nested page walk
// (measured: about a microsecond per 784-byte Fashion-MNIST row, a tenth of an MLP epoch).
// Backing the store with 2 MiB transparent huge pages makes the whole 47 MB set a few dozen
// TLB entries. NumPy does the same for its large arrays (madvise(MADV_HUGEPAGE) from 4 MiB).

/// Asks Linux to back the 2 MiB-aligned interior of a large, already filled buffer with
/// transparent huge pages: `MADV_HUGEPAGE` for later faults and `MADV_COLLAPSE` (Linux 6.1) to
/// collapse the pages now. Only a hint: the contents are unchanged, and when the kernel
/// declines (an older kernel, huge pages disabled) nothing happens.
///
/// - Parameter buffer: Memory the caller owns for as long as the advice matters.
func adviseHugePages(_ buffer: UnsafeRawBufferPointer) {
    #if os(Linux)
        let hugePage = 2 << 20
        guard buffer.count >= 2 * hugePage, let base = buffer.baseAddress else { return }
        let address = UInt(bitPattern: base)
        let start = (address + UInt(hugePage - 1)) & ~UInt(hugePage - 1)
        let end = (address + UInt(buffer.count)) & ~UInt(hugePage - 1)
        guard end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) else {
            return
        }
        let length = Int(end - start)
        _ = madvise(aligned, length, MADV_HUGEPAGE)
        _ = madvise(aligned, length, collapseAdvice)
    #endif
}

/// Linux's `MADV_COLLAPSE` (not in older C headers).
private let collapseAdvice: Int32 = 25
