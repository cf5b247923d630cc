"""Runs a real HotSpot JVM with the logging that shows its native-memory layout, and distills the
output into the JSON that `pagelab jvm --format json` emits, so the two can be compared key by key.

One parser for everything: the fixtures under Tests/PageJVMTests/Fixtures were distilled by this
module (through `scripts/jvm-compare --record`), and `scripts/jvm-compare` distills live runs with it.
Standard library only: it must run on a fresh Debian with nothing but python3.
"""

import glob
import json
import os
import re
import shutil
import subprocess
import tempfile

# The logging the JVM runs with; the flag set under test goes between these and -version.
JVM_LOG_ARGS = [
    "-XX:NativeMemoryTracking=summary",
    "-XX:+UnlockDiagnosticVMOptions",
    "-XX:+PrintNMTStatistics",
    "-Xlog:gc+init,gc+heap+coops=debug,pagesize,gc+metaspace,os+thread=info",
    "-XX:+PrintFlagsFinal",
]

# The PrintFlagsFinal values kept in fixtures and in `final_flags`: the ones the layout depends on.
FINAL_FLAGS = [
    "MaxHeapSize", "InitialHeapSize", "MinHeapSize", "SoftMaxHeapSize", "G1HeapRegionSize",
    "NewSize", "MaxNewSize", "OldSize", "NewRatio", "SurvivorRatio",
    "MaxRAM", "MaxRAMPercentage", "InitialRAMPercentage", "MinRAMPercentage",
    "UseG1GC", "UseParallelGC", "UseSerialGC", "UseZGC", "ZGenerational",
    "UseCompressedOops", "UseCompressedClassPointers", "UseCompactObjectHeaders",
    "ObjectAlignmentInBytes", "HeapBaseMinAddress", "CompressedClassSpaceSize",
    "MetaspaceSize", "MaxMetaspaceSize", "MetaspaceReclaimPolicy",
    "UseSharedSpaces", "ArchiveRelocationMode", "SharedBaseAddress",
    "ReservedCodeCacheSize", "InitialCodeCacheSize", "CodeCacheExpansionSize",
    "NonNMethodCodeHeapSize", "ProfiledCodeHeapSize", "NonProfiledCodeHeapSize",
    "SegmentedCodeCache", "TieredCompilation", "CICompilerCount", "CICompilerCountPerCPU",
    "ParallelGCThreads", "ConcGCThreads", "G1ConcRefinementThreads", "ActiveProcessorCount",
    "MarkStackSize", "MarkStackSizeMax", "GCCardSizeInBytes",
    "ThreadStackSize", "VMThreadStackSize", "CompilerThreadStackSize",
    "StackRedPages", "StackYellowPages", "StackReservedPages", "StackShadowPages",
    "UseLargePages", "UseTransparentHugePages", "LargePageSizeInBytes",
    "AlwaysPreTouch", "PreTouchParallelChunkSize", "UseNUMA", "UseNUMAInterleaving",
]

# The NMT categories whose mmap part the model must reproduce byte for byte.
STRICT_NMT = ["Java Heap", "Class", "Code", "GC"]
HEAP_FIELDS = ["base", "reserved", "committed", "region_size", "coops_mode", "coops_shift"]

_UNITS = {"": 1, "B": 1, "KB": 1 << 10, "MB": 1 << 20, "GB": 1 << 30}
_AMOUNT = r"(\d+)\s*(KB|MB|GB|B)?"
# A -Xlog line written by another thread into the middle of a line of the NMT report: the
# decorations, the message and its newline. Removing it restores the interrupted line.
_INTRUDING_LOG = re.compile(r"(?<=[^\n])\[\d+\.\d+s\]\[[a-z]+ *\]\[[a-z0-9_,+ ]+\][^\n]*\n")
_LOG_LINE = re.compile(r"^\[\d+\.\d+s\]\[([a-z]+) *\]\[([a-z0-9_,+]+) *\] ?(.*)$")
_FLAG_LINE = re.compile(r"^\s*(\w+)\s+(\w+)\s+:?=\s*(\S*)\s+\{([^}]*)\}(?:\s+\{([^}]*)\})?\s*$")
_COOPS_LINE = re.compile(
    r"Heap address: (0x[0-9a-f]+), size: \d+ MB, Compressed Oops mode: ([^,:\n]+)(?::[^,]*)?"
    r"(?:, Oop shift amount: (\d+))?")
_PAGESIZE_HEAP = re.compile(r"^Heap:\s+min=\S+ max=\S+ base=(0x[0-9a-f]+)")
_NMT_CATEGORY = re.compile(r"^-\s+(.+?) \(reserved=")
_NMT_MMAP = re.compile(r"\((?:mmap|stack): reserved=" + _AMOUNT + r", committed=" + _AMOUNT)


def amount(number, unit):
    """Bytes of an NMT figure such as `1234` or `1234KB` (NMT prints bytes unless given a scale)."""
    return int(number) * _UNITS[unit or ""]


def repair(text):
    """The output with log lines that interrupted other lines taken out (see `_INTRUDING_LOG`)."""
    return _INTRUDING_LOG.sub("", text)


def is_log_line(line):
    return bool(_LOG_LINE.match(line))


def log_messages(text, tag):
    """Messages of the -Xlog lines whose tag set is exactly `tag`, without their decorations."""
    messages = []
    for line in text.splitlines():
        match = _LOG_LINE.match(line)
        if match and match.group(2) == tag:
            messages.append(match.group(3))
    return messages


def final_flags(text):
    """The PrintFlagsFinal values named in FINAL_FLAGS: ints, booleans, or strings (ccstr, double)."""
    flags = {}
    for line in text.splitlines():
        match = _FLAG_LINE.match(line)
        if not match or match.group(2) not in FINAL_FLAGS:
            continue
        kind, name, value = match.group(1), match.group(2), match.group(3)
        if kind == "bool":
            flags[name] = value == "true"
        elif re.fullmatch(r"-?\d+", value):
            flags[name] = int(value)
        elif re.fullmatch(r"-?\d+\.\d+", value):
            flags[name] = float(value)
        else:
            flags[name] = value
    return flags


def trim_flags_table(text):
    """The output with the PrintFlagsFinal table cut down to the FINAL_FLAGS lines, everything else
    byte for byte: fixtures stay small and the parser reads them exactly like a live run."""
    kept = []
    for line in text.splitlines(keepends=True):
        match = _FLAG_LINE.match(line.rstrip("\n"))
        if match and match.group(2) not in FINAL_FLAGS:
            continue
        kept.append(line)
    return "".join(kept)


def nmt_mmap(text):
    """Category name as NMT prints it -> {reserved, committed} of its mmap part, in bytes.

    A category without an mmap line is left out. Thread stacks are NMT's mmap part of "Thread"
    (printed as `stack:`, counted in the Total's mmap line), so they are reported as "Thread"."""
    start = text.find("Native Memory Tracking:")
    if start < 0:
        return {}
    categories = {}
    current = None
    for line in text[start:].splitlines():
        category = _NMT_CATEGORY.match(line)
        if category:
            current = category.group(1).strip()
            continue
        mmap = _NMT_MMAP.search(line)
        if current and mmap and current not in categories:
            categories[current] = {
                "reserved": amount(mmap.group(1), mmap.group(2)),
                "committed": amount(mmap.group(3), mmap.group(4)),
            }
    return categories


def heap_facts(text, nmt, flags):
    """Heap base, size, region size and compressed-oops mode as the JVM reported them.

    `base` is the first byte of the Java heap proper (after a disjoint-base no-access prefix), from
    the gc+heap+coops line or else the pagesize `Heap:` line; None when the JVM does not print it
    (ZGC). `reserved`/`committed` are NMT's Java Heap mmap figures (which include the prefix)."""
    base, mode, shift = None, "Disabled", 0
    coops = _COOPS_LINE.search(text)
    if coops:
        base = int(coops.group(1), 16)
        mode = coops.group(2).strip()
        shift = int(coops.group(3) or 0)
    else:
        for message in log_messages(text, "pagesize"):
            heap = _PAGESIZE_HEAP.match(message)
            if heap:
                base = int(heap.group(1), 16)
                break
    java_heap = nmt.get("Java Heap", {"reserved": 0, "committed": 0})
    return {
        "base": base,
        "reserved": java_heap["reserved"],
        "committed": java_heap["committed"],
        "region_size": flags.get("G1HeapRegionSize", 0) if flags.get("UseG1GC") else 0,
        "coops_mode": mode,
        "coops_shift": shift,
    }


def distill(text, jdk, flags):
    """The JSON document for one run's complete output (stdout and stderr as they interleaved)."""
    text = repair(text)
    nmt = nmt_mmap(text)
    final = final_flags(text)
    return {
        "jdk": jdk,
        "flags": list(flags),
        "heap": heap_facts(text, nmt, final),
        "nmt": nmt,
        "final_flags": final,
        "pagesize_log": log_messages(text, "pagesize"),
    }


def deterministic(first, second):
    """Which heap and NMT figures two distilled runs of the same flags agree on."""
    return {
        "heap": {field: first["heap"][field] == second["heap"][field] for field in HEAP_FIELDS},
        "nmt": {
            name: {
                part: name in second["nmt"] and figures[part] == second["nmt"][name][part]
                for part in ("reserved", "committed")
            }
            for name, figures in first["nmt"].items()
        },
    }


_MAP_RESERVED = re.compile(
    r"^\[(0x[0-9a-f]+) - (0x[0-9a-f]+)\] (reserved(?: and committed)?) (\d+)(?: for (.+?))?(?: from)?\s*$")
_MAP_COMMITTED = re.compile(r"^\s+\[(0x[0-9a-f]+) - (0x[0-9a-f]+)\] committed (\d+)(?: from)?\s*$")
_MAP_FRAME = re.compile(r"^\s+\[0x[0-9a-f]+\]\s*(.*?)(?:\+0x[0-9a-f]+)?(?: in \S+)?$")
# Reservation plumbing every mapping goes through; the callers above it say what the mapping is.
_MAP_PLUMBING = ("MemoryReserver::", "ReservedSpace::", "os::", "VirtualSpace::", "G1PageBasedVirtualSpace::")


def reservation_map(text, frames=2):
    """NMT detail's virtual memory map (-XX:NativeMemoryTracking=detail) cut to one line per
    reservation and per committed range, each with the innermost `frames` callers, arguments
    elided: which structure each mapping is, at a glance."""
    start = text.find("Virtual memory map:")
    lines = []
    shown = frames
    for line in text[start:].splitlines()[1:] if start >= 0 else []:
        reserved = _MAP_RESERVED.match(line)
        committed = _MAP_COMMITTED.match(line)
        frame = _MAP_FRAME.match(line)
        if reserved:
            low, high, kind, size, category = reserved.groups()
            lines.append(f"{low}-{high} {kind} {int(size)} {category or ''}".rstrip())
            shown = 0
        elif committed:
            low, high, size = committed.groups()
            lines.append(f"    {low}-{high} committed {int(size)}")
            shown = 0
        elif frame and shown < frames and lines and not frame.group(1).startswith(_MAP_PLUMBING):
            caller = re.sub(r"\(.*\)", "()", frame.group(1))
            lines[-1] += ("  <- " if shown == 0 else " <- ") + caller
            shown += 1
    return lines


class Run:
    """One JVM run: its exit code, its combined output (as a terminal shows it), and stderr alone."""

    def __init__(self, code, output, stdout, stderr):
        self.code, self.output, self.stdout, self.stderr = code, output, stdout, stderr


def run_java(java, flags, timeout=120, tracking="summary"):
    """Runs `java LOG_ARGS FLAGS -version` in a scratch directory (a failed commit leaves an
    hs_err file there). `tracking="detail"` asks NMT for its virtual memory map. A successful run is captured combined, so NMT and log lines keep their
    order; a failed one is run again with stdout and stderr apart, so stderr is known exactly."""
    logging = [arg.replace("=summary", "=" + tracking) for arg in JVM_LOG_ARGS]
    command = [java] + logging + list(flags) + ["-version"]
    with tempfile.TemporaryDirectory(prefix="jvm-compare-") as scratch:
        combined = subprocess.run(command, cwd=scratch, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, timeout=timeout)
        output = combined.stdout.decode("utf-8", "replace")
        if combined.returncode == 0:
            return Run(0, output, None, None)
        apart = subprocess.run(command, cwd=scratch, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=timeout)
        return Run(apart.returncode, output, apart.stdout.decode("utf-8", "replace"),
                   apart.stderr.decode("utf-8", "replace"))


def failure(run, jdk, flags):
    """The JSON document of a run that failed: exit code and its two streams."""
    return {"jdk": jdk, "flags": list(flags), "exit_code": run.code,
            "stdout": run.stdout, "stderr": run.stderr}


def java_major(java):
    """The feature version (17, 25, ...) of a java binary, from `java -version`; None if it fails."""
    try:
        banner = subprocess.run([java, "-version"], stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, timeout=60).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', banner)
    if not match:
        return None
    major = int(match.group(1))
    return int(match.group(2)) if major == 1 else major


def find_java(jdk):
    """A java binary of the given feature version: `java` on PATH or one under /usr/lib/jvm."""
    candidates = [shutil.which("java")] + sorted(glob.glob("/usr/lib/jvm/*/bin/java"))
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK) and java_major(candidate) == jdk:
            return candidate
    return None


def read_flagsets(path):
    """(slug, [flags]) pairs of a flagsets.txt: `slug<TAB>flags separated by spaces`; # comments."""
    sets = []
    with open(path) as handle:
        for line in handle:
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            slug, _, flags = line.partition("\t")
            sets.append((slug.strip(), flags.split()))
    return sets


def write_json(path, document):
    with open(path, "w") as handle:
        json.dump(document, handle, indent=2)
        handle.write("\n")
