// CPageSys: what PageCore must not do in Swift (DESIGN §1).
//
// - Signal handlers (fault trap, SIGINT): they must be async-signal-safe, and the fault trap
//   `siglongjmp`s, which must never cross a Swift frame.
// - The touch loop: one memory access per page, as tight as HotSpot's pretouch.
// - Raw syscalls and ioctls that Glibc does not wrap or Swift cannot call (variadic `ioctl`,
//   `syscall`), and constants Debian 12's headers (Linux 6.1 UAPI, glibc 2.36) lack.
//
// Conventions: functions return 0 (or a count / descriptor) on success and -1 with `errno` set on
// failure, like the system calls they wrap, unless documented otherwise.

#ifndef CPAGESYS_H
#define CPAGESYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>

// MARK: - Constants the system headers may lack

// madvise(2) advice values (include/uapi/asm-generic/mman-common.h); glibc 2.36 lacks MADV_COLLAPSE.
#ifndef MADV_COLD
#define MADV_COLD 20
// MARK: - Safepoint engine

#include "cps_safepoint.h"

#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
// MARK: - Safepoint engine

#include "cps_safepoint.h"

#endif
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
// MARK: - Safepoint engine

#include "cps_safepoint.h"

#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
// MARK: - Safepoint engine

#include "cps_safepoint.h"

#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
// MARK: - Safepoint engine

#include "cps_safepoint.h"

#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
// MARK: - Safepoint engine

#include "cps_safepoint.h"

#endif

// MARK: - PAGEMAP_SCAN (Linux 6.7+, include/uapi/linux/fs.h)
//
// Defined under our own names so that they never clash with a newer <linux/fs.h>; syscalls.c checks
// the ioctl number against the system header when it has one.

/// Page categories reported in `cps_page_region.categories` and used as scan masks (`PAGE_IS_*`).
enum {
    CPS_PAGE_IS_WPALLOWED = 1 << 0,
    CPS_PAGE_IS_WRITTEN = 1 << 1,
    CPS_PAGE_IS_FILE = 1 << 2,
    CPS_PAGE_IS_PRESENT = 1 << 3,
    CPS_PAGE_IS_SWAPPED = 1 << 4,
    CPS_PAGE_IS_PFNZERO = 1 << 5,
    CPS_PAGE_IS_HUGE = 1 << 6,
    CPS_PAGE_IS_SOFT_DIRTY = 1 << 7,
    CPS_PAGE_IS_GUARD = 1 << 8,
};

/// One run of pages with identical categories (`struct page_region`).
struct cps_page_region {
    uint64_t start;
    uint64_t end;
    uint64_t categories;
};

/// The argument of the PAGEMAP_SCAN ioctl (`struct pm_scan_arg`).
struct cps_pm_scan_arg {
    uint64_t size;                ///< sizeof(struct cps_pm_scan_arg)
    uint64_t flags;               ///< PM_SCAN_* (0: report only)
    uint64_t start;               ///< first address to scan
    uint64_t end;                 ///< end of the scan (exclusive)
    uint64_t walk_end;            ///< written by the kernel: where the scan stopped
    uint64_t vec;                 ///< address of a `struct cps_page_region` array
    uint64_t vec_len;             ///< its capacity
    uint64_t max_pages;           ///< 0: no limit
    uint64_t category_inverted;   ///< categories that match when 0
    uint64_t category_mask;       ///< skip pages for which any of these does not match
    uint64_t category_anyof_mask; ///< skip pages for which none of these matches
    uint64_t return_mask;         ///< categories reported in the regions
};

/// `ioctl(pagemap_fd, PAGEMAP_SCAN, arg)`: the number of regions filled, or -1 with errno
/// (ENOTTY before Linux 6.7).
long cps_pagemap_scan(int pagemap_fd, struct cps_pm_scan_arg *arg);

// MARK: - Other raw syscalls

/// `move_pages(0, count, pages, NULL, status, 0)`: queries the NUMA node of each page of this
/// process into `status` (a node number, or a negative errno such as -ENOENT for a page that is
/// not present and -EFAULT for the zero page).
long cps_move_pages_query(unsigned long count, void **pages, int *status);

// NUMA: node masks are 64-bit (nodes 0-63), passed with maxnode 65 as the kernel expects.

/// `mbind(address, length, mode, &nodemask, 65, flags)`: the NUMA policy of a range (MPOL_* mode,
/// MPOL_MF_* flags).
long cps_mbind(void *address, unsigned long length, int mode, uint64_t nodemask, unsigned flags);

/// `set_mempolicy(mode, &nodemask, 65)`: the calling thread's NUMA policy.
long cps_set_mempolicy(int mode, uint64_t nodemask);

/// `get_mempolicy(mode, nodemask, 65, NULL, 0)`: the calling thread's NUMA policy.
long cps_get_mempolicy(int *mode, uint64_t *nodemask);

/// `move_pages(0, count, pages, nodes, status, MPOL_MF_MOVE)`: moves pages of this process to the
/// given nodes; `status` receives each page's node or a negative errno.
long cps_move_pages(unsigned long count, void **pages, const int *nodes, int *status);

/// `memfd_create(name, MFD_CLOEXEC)`: an anonymous memory file, or -1 with errno.
int cps_memfd_create(const char *name);

/// `fallocate(fd, mode, offset, length)`: mode 0 allocates, `punch_hole` frees
/// (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE). 0, or -1 with errno.
int cps_fallocate(int fd, bool punch_hole, int64_t offset, int64_t length);

/// `sched_getaffinity(0, ...)` / `sched_setaffinity(0, ...)` of the calling thread with a mask of
/// `words` 64-bit words (CPU n is bit n % 64 of word n / 64). Threads it creates afterwards inherit
/// the mask.
int cps_get_affinity(uint64_t *mask, size_t words);
int cps_set_affinity(const uint64_t *mask, size_t words);

/// `membarrier(MEMBARRIER_CMD_QUERY, 0, 0)`: the bit mask of supported commands, or -1 with errno.
int cps_membarrier_query(void);

/// `userfaultfd(O_CLOEXEC | O_NONBLOCK)`: a descriptor the caller must close, or -1 with errno.
int cps_userfaultfd_open(void);

/// `perf_event_open` of PERF_TYPE_HARDWARE / PERF_COUNT_HW_INSTRUCTIONS for this thread (user
/// space only, disabled): a descriptor the caller must close, or -1 with errno (ENOENT when the
/// CPU exposes no PMU, as in most VMs).
int cps_perf_hardware_instructions_open(void);

// MARK: - Prefetch

/// Asks the CPU to bring the cache line holding `address` in for writing; never faults. The model
/// backend uses it to overlap the cache misses of scattered page-table lookups.
static inline void cps_prefetch(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

// MARK: - Fault trap

/// Installs the process-wide SIGSEGV and SIGBUS handler that turns faults inside a guarded
/// PageLab operation into errors (see `cps_touch`). Idempotent and thread-safe; the handlers
/// installed before (for example the Swift runtime's backtracer) are kept and restored for any
/// fault outside a guarded window, so such faults still crash loudly.
/// Returns 0, or an errno from sigaction(2).
int cps_fault_trap_install(void);

// MARK: - Interrupt (SIGINT)

/// Installs a SIGINT handler that marks an interrupt as pending and then calls `callback` (which
/// must be async-signal-safe; NULL for none). A second SIGINT while one is still pending restores
/// the default action and re-raises it, so a second Ctrl-C kills the process, as in lua.c.
/// Calling it again replaces the callback. Returns 0, or an errno from sigaction(2).
int cps_install_sigint(void (*callback)(void));

/// Whether a SIGINT arrived since the last `cps_interrupt_clear` (or `cps_interrupt_request`).
bool cps_interrupt_pending(void);

/// Forgets a pending interrupt, so the next SIGINT interrupts again instead of killing.
void cps_interrupt_clear(void);

/// Marks an interrupt as pending without a signal (what the SIGINT handler does, minus the
/// callback), for drivers that cancel an operation programmatically.
void cps_interrupt_request(void);

// MARK: - Touch

/// The largest `threads` value `cps_touch` accepts.
enum { CPS_TOUCH_MAX_THREADS = 256 };

/// How a touch ended.
typedef enum {
    CPS_TOUCH_DONE = 0,        ///< every page was accessed
    CPS_TOUCH_FAULT = 1,       ///< a SIGSEGV/SIGBUS inside the range stopped all workers
    CPS_TOUCH_INTERRUPTED = 2, ///< an interrupt was pending at a chunk boundary
    CPS_TOUCH_ERROR = 3,       ///< a worker thread or the fault trap could not be set up
} cps_touch_status;

typedef struct {
    cps_touch_status status;
    uintptr_t fault_address; ///< CPS_TOUCH_FAULT: the faulting address (si_addr)
    int fault_signal;        ///< CPS_TOUCH_FAULT: SIGSEGV or SIGBUS
    int error;               ///< CPS_TOUCH_ERROR: the errno
} cps_touch_result;

/// Accesses one byte every `stride` bytes of [base, base + length), as HotSpot's pretouch does:
/// a write is an atomic add of 0 to the enclosing aligned int (`os::pretouch_memory` since JDK 18,
/// which faults the page in writable without changing its contents), a read is a volatile load.
///
/// `threads` workers (the calling thread is worker 0, threads - 1 pthreads are spawned) claim
/// pieces of `chunk` bytes (rounded up to a multiple of `stride`) with an atomic counter, as
/// HotSpot's PretouchTask does with PreTouchParallelChunkSize. Every worker runs under the fault
/// trap, so a fault inside the range stops all workers and is reported instead of killing the
/// process; each worker checks `cps_interrupt_pending` before every chunk.
///
/// Requires base != NULL, length > 0, stride > 0, 1 <= threads <= CPS_TOUCH_MAX_THREADS, chunk > 0.
void cps_touch(void *base, size_t length, size_t stride, bool write, int threads, size_t chunk,
               cps_touch_result *result);

// MARK: - Safepoint engine

#include "cps_safepoint.h"

#endif
