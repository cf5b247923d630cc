import CPageSys
import Glibc

/// An `errno` value from a failed call.
struct Errno: Error {
    let code: Int32

    /// The calling thread's `errno`, read right after the failed call.
    static var current: Errno { Errno(code: errno) }

    /// `strerror(3)`.
    var text: String { String(cString: strerror(code)) }
}

/// Every raw system call PageCore makes, in the manner of swift-system: thin typed wrappers,
/// addresses as `UInt`, lengths as `Int`, failures thrown as the `Errno`. Nothing else in PageCore
/// calls the C library for memory, files or time.
enum Kernel {
    // MARK: Memory mappings

    /// `mmap(2)` of private anonymous memory (`MAP_PRIVATE | MAP_ANONYMOUS | flags`); `address` 0
    /// lets the kernel choose. Returns the address of the mapping.
    static func mapAnonymous(at address: UInt, length: Int, protection: Int32, flags: Int32) throws(Errno) -> UInt {
        let result = mmap(UnsafeMutableRawPointer(bitPattern: address), length, protection,
                          MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0)
        guard let result, result != UnsafeMutableRawPointer(bitPattern: -1) else { throw .current }
        return UInt(bitPattern: result)
    }

    /// `mmap(2)` of `length` bytes of the file `fd` from `offset`, shared (`MAP_SHARED |
    /// MAP_FIXED`), at exactly `address`: how ZGC maps its heap memory into each view.
    static func mapShared(at address: UInt, length: Int, protection: Int32, fd: Int32, offset: Int) throws(Errno) {
        let result = mmap(UnsafeMutableRawPointer(bitPattern: address), length, protection, MAP_SHARED | MAP_FIXED, fd, off_t(offset))
        guard result != UnsafeMutableRawPointer(bitPattern: -1) else { throw .current }
    }

    /// `munmap(2)`.
    static func unmap(_ address: UInt, length: Int) throws(Errno) {
        guard munmap(UnsafeMutableRawPointer(bitPattern: address), length) == 0 else { throw .current }
    }

    /// `mprotect(2)`.
    static func protect(_ address: UInt, length: Int, _ protection: Int32) throws(Errno) {
        guard mprotect(UnsafeMutableRawPointer(bitPattern: address), length, protection) == 0 else { throw .current }
    }

    /// `madvise(2)`.
    static func advise(_ address: UInt, length: Int, _ advice: Int32) throws(Errno) {
        guard madvise(UnsafeMutableRawPointer(bitPattern: address), length, advice) == 0 else { throw .current }
    }

    /// `mlock(2)`: locks and populates the range.
    static func lock(_ address: UInt, length: Int) throws(Errno) {
        guard mlock(UnsafeRawPointer(bitPattern: address), length) == 0 else { throw .current }
    }

    /// `munlock(2)`.
    static func unlock(_ address: UInt, length: Int) throws(Errno) {
        guard munlock(UnsafeRawPointer(bitPattern: address), length) == 0 else { throw .current }
    }

    /// `move_pages(0, count, pages, NULL, status, 0)`: the node of each page, or a negative errno.
    static func queryNodes(of pages: UnsafeMutablePointer<UnsafeMutableRawPointer?>, count: Int,
                           into status: UnsafeMutablePointer<Int32>) throws(Errno) {
        guard cps_move_pages_query(UInt(count), pages, status) == 0 else { throw .current }
    }

    /// `mbind(2)` with a 64-bit node mask.
    static func bind(_ address: UInt, length: Int, mode: Int32, nodes: UInt64, move: Bool) throws(Errno) {
        guard cps_mbind(UnsafeMutableRawPointer(bitPattern: address), UInt(length), mode, nodes, move ? 2 : 0) == 0 else { throw .current }
    }

    /// `set_mempolicy(2)` of the calling thread.
    static func setThreadPolicy(mode: Int32, nodes: UInt64) throws(Errno) {
        guard cps_set_mempolicy(mode, nodes) == 0 else { throw .current }
    }

    /// `get_mempolicy(2)` of the calling thread: its mode and node mask.
    static func threadPolicy() throws(Errno) -> (mode: Int32, nodes: UInt64) {
        var mode: Int32 = 0
        var nodes: UInt64 = 0
        guard cps_get_mempolicy(&mode, &nodes) == 0 else { throw .current }
        return (mode, nodes)
    }

    /// `move_pages(2)` with target nodes; `status` gets each page's node or a negative errno.
    static func movePages(_ pages: UnsafeMutablePointer<UnsafeMutableRawPointer?>, count: Int, to nodes: UnsafePointer<Int32>,
                          status: UnsafeMutablePointer<Int32>) throws(Errno) {
        guard cps_move_pages(UInt(count), pages, nodes, status) >= 0 else { throw .current }
    }

    /// The calling thread's CPU affinity, 1024 CPUs wide.
    static func affinity() throws(Errno) -> [UInt64] {
        var mask = [UInt64](repeating: 0, count: 16)
        guard cps_get_affinity(&mask, mask.count) == 0 else { throw .current }
        return mask
    }

    static func setAffinity(_ mask: [UInt64]) throws(Errno) {
        guard cps_set_affinity(mask, mask.count) == 0 else { throw .current }
    }

    /// `ioctl(fd, PAGEMAP_SCAN, arg)`: the number of regions written to `arg.vec`.
    static func pagemapScan(_ fd: Int32, _ arg: inout cps_pm_scan_arg) throws(Errno) -> Int {
        let count = cps_pagemap_scan(fd, &arg)
        guard count >= 0 else { throw .current }
        return count
    }

    // MARK: Files

    /// `open(path, O_RDONLY | O_CLOEXEC)`.
    static func openReadOnly(_ path: String) throws(Errno) -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .current }
        return fd
    }

    /// `close(2)`; its errors carry no information for read-only descriptors.
    static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    /// `memfd_create(name, MFD_CLOEXEC)`: an anonymous shared memory file of size 0.
    static func createMemoryFile(_ name: String) throws(Errno) -> Int32 {
        let fd = cps_memfd_create(name)
        guard fd >= 0 else { throw .current }
        return fd
    }

    /// `ftruncate(2)`: sets the file's size without allocating anything.
    static func truncate(_ fd: Int32, size: Int) throws(Errno) {
        guard ftruncate(fd, off_t(size)) == 0 else { throw .current }
    }

    /// `fallocate(fd, 0, offset, length)`: allocates the file's pages (in the page cache, for a
    /// memory file), mapped by no page table yet.
    static func allocate(_ fd: Int32, offset: Int, length: Int) throws(Errno) {
        guard cps_fallocate(fd, false, Int64(offset), Int64(length)) == 0 else { throw .current }
    }

    /// `fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, length)`: frees the
    /// file's pages there, unmapping them from every mapping first.
    static func punchHole(_ fd: Int32, offset: Int, length: Int) throws(Errno) {
        guard cps_fallocate(fd, true, Int64(offset), Int64(length)) == 0 else { throw .current }
    }

    /// `fstat(2)`'s `st_blocks * 512`: the bytes the file has allocated.
    static func allocatedBytes(_ fd: Int32) throws(Errno) -> Int {
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw .current }
        return Int(status.st_blocks) * 512
    }

    /// `pread(2)` until `buffer` is full or the file ends; returns the bytes read.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(Errno) -> Int {
        var done = 0
        while done < buffer.count {
            let count = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            guard count >= 0 else { throw .current }
            if count == 0 { break }
            done += count
        }
        return done
    }

    /// The whole text of a small file, such as one under /proc or /sys (whose reported size is 0,
    /// hence reading until end of file).
    static func readText(_ path: String) throws(Errno) -> String {
        let fd = try openReadOnly(path)
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            guard count >= 0 else { throw .current }
            if count == 0 { break }
            bytes += chunk[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The names in a directory (`opendir(3)`/`readdir(3)`), without "." and "..".
    static func directoryEntries(_ path: String) throws(Errno) -> [String] {
        guard let directory = opendir(path) else { throw .current }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    // MARK: Clocks, counters, host

    /// `clock_gettime(CLOCK_MONOTONIC)` in nanoseconds.
    static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    /// Minor and major page faults of the whole process so far (`getrusage(RUSAGE_SELF)`).
    static func pageFaults() -> (minor: Int, major: Int) {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return (usage.ru_minflt, usage.ru_majflt)
    }

    /// `sysconf(_SC_PAGESIZE)`.
    static func pageSize() -> Int { sysconf(Int32(_SC_PAGESIZE)) }

    /// `sysconf(_SC_NPROCESSORS_ONLN)`.
    static func onlineProcessors() -> Int { sysconf(Int32(_SC_NPROCESSORS_ONLN)) }

    /// The kernel release from `uname(2)`, e.g. "6.18.44".
    static func kernelRelease() -> String {
        var names = utsname()
        uname(&names)
        return withUnsafeBytes(of: names.release) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
    }
}
