/// A memory file of this process (memfd_create), as ZGC makes its heap's: fallocate allocates
/// its pages in the page cache (Shmem in /proc/meminfo), every view maps them, and fstat counts
/// what it holds.
final class HostMemoryFile: MemoryFile {
    let name: String
    /// The descriptor; -1 once closed.
    private(set) var fd: Int32

    init(name: String, size: Int) throws(PageError) {
        self.name = name
        do throws(Errno) {
            fd = try Kernel.createMemoryFile(name)
        } catch {
            throw .system(error, "cannot create shared memory '\(name)': memfd_create")
        }
        do throws(Errno) {
            try Kernel.truncate(fd, size: size)
        } catch {
            Kernel.close(fd)
            throw .system(error, "cannot size shared memory '\(name)' to \(ByteSize.format(size)): ftruncate")
        }
    }

    deinit { close() }

    func allocate(_ span: Range<Int>) throws(PageError) {
        do throws(Errno) {
            try Kernel.allocate(fd, offset: span.lowerBound, length: span.count)
        } catch {
            throw .system(error, "cannot commit shared memory '\(name)' range \(hex(span.lowerBound))+\(hex(span.count)): fallocate")
        }
    }

    /// The kernel unmaps the pages from the views itself (unmap_mapping_range).
    func punchHole(_ span: Range<Int>, views: [(region: Region, span: Range<Int>)]) throws(PageError) {
        do throws(Errno) {
            try Kernel.punchHole(fd, offset: span.lowerBound, length: span.count)
        } catch {
            throw .system(error, "cannot uncommit shared memory '\(name)' range \(hex(span.lowerBound))+\(hex(span.count)): fallocate(PUNCH_HOLE)")
        }
    }

    func allocatedBytes() throws(PageError) -> Int {
        do throws(Errno) {
            return try Kernel.allocatedBytes(fd)
        } catch {
            throw .system(error, "cannot read the size of shared memory '\(name)': fstat")
        }
    }

    func close() {
        guard fd >= 0 else { return }
        Kernel.close(fd)
        fd = -1
    }

    /// The kernel frees the pages when the last mapping goes after the descriptor.
    func release() {}
}
