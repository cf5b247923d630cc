// Raw syscalls and ioctls Glibc does not wrap, or that Swift cannot call (variadic ioctl/syscall).

#define _GNU_SOURCE
#include "CPageSys.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <linux/membarrier.h>
#include <linux/perf_event.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define CPS_PAGEMAP_SCAN _IOWR('f', 16, struct cps_pm_scan_arg)

_Static_assert(sizeof(struct cps_pm_scan_arg) == 12 * sizeof(uint64_t), "struct pm_scan_arg");
_Static_assert(sizeof(struct cps_page_region) == 3 * sizeof(uint64_t), "struct page_region");
#ifdef PAGEMAP_SCAN
_Static_assert(PAGEMAP_SCAN == CPS_PAGEMAP_SCAN, "PAGEMAP_SCAN differs from <linux/fs.h>");
_Static_assert(PAGE_IS_PFNZERO == CPS_PAGE_IS_PFNZERO && PAGE_IS_HUGE == CPS_PAGE_IS_HUGE,
               "PAGE_IS_* differ from <linux/fs.h>");
#endif

long cps_pagemap_scan(int pagemap_fd, struct cps_pm_scan_arg *arg) {
    return ioctl(pagemap_fd, CPS_PAGEMAP_SCAN, arg);
}

long cps_move_pages_query(unsigned long count, void **pages, int *status) {
    return syscall(SYS_move_pages, 0, count, pages, NULL, status, 0);
}

long cps_mbind(void *address, unsigned long length, int mode, uint64_t nodemask, unsigned flags) {
    unsigned long mask = nodemask;
    return syscall(SYS_mbind, address, length, mode, nodemask ? &mask : NULL, nodemask ? 65 : 0, flags);
}

long cps_set_mempolicy(int mode, uint64_t nodemask) {
    unsigned long mask = nodemask;
    return syscall(SYS_set_mempolicy, mode, nodemask ? &mask : NULL, nodemask ? 65 : 0);
}

long cps_get_mempolicy(int *mode, uint64_t *nodemask) {
    unsigned long mask[2] = {0, 0};
    long result = syscall(SYS_get_mempolicy, mode, mask, 8 * sizeof mask, NULL, 0);
    *nodemask = mask[0];
    return result;
}

long cps_move_pages(unsigned long count, void **pages, const int *nodes, int *status) {
    return syscall(SYS_move_pages, 0, count, pages, nodes, status, 2 /* MPOL_MF_MOVE */);
}

int cps_get_affinity(uint64_t *mask, size_t words) {
    long result = syscall(SYS_sched_getaffinity, 0, words * sizeof *mask, mask);
    return result < 0 ? -1 : 0;
}

int cps_set_affinity(const uint64_t *mask, size_t words) {
    return (int)syscall(SYS_sched_setaffinity, 0, words * sizeof *mask, mask);
}

int cps_membarrier_query(void) {
    return (int)syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
}

int cps_userfaultfd_open(void) {
    return (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
}

int cps_perf_hardware_instructions_open(void) {
    struct perf_event_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.size = sizeof attr;
    attr.type = PERF_TYPE_HARDWARE;
    attr.config = PERF_COUNT_HW_INSTRUCTIONS;
    attr.disabled = 1;
    attr.exclude_kernel = 1;
    attr.exclude_hv = 1;
    return (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
}

int cps_memfd_create(const char *name) {
    return memfd_create(name, MFD_CLOEXEC);
}

int cps_fallocate(int fd, bool punch_hole, int64_t offset, int64_t length) {
    return fallocate(fd, punch_hole ? FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE : 0, offset, length);
}
