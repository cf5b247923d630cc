extension NUMATopology {
    /// Named machines for the model: SLIT distances as such machines report them.
    public static let presetNames = ["1-node", "2-socket", "4-socket", "2-socket-snc"]

    /// - "1-node": one node of 64 GiB, 16 CPUs (a NUMA-less machine).
    /// - "2-socket": two sockets of 16 CPUs and 64 GiB, distance 10/21 (a two-socket Xeon's SLIT).
    /// - "4-socket": four sockets of 16 CPUs and 64 GiB, fully connected, distance 10/21.
    /// - "2-socket-snc": two sockets with sub-NUMA clustering, four nodes of 8 CPUs and 32 GiB:
    ///   11 to the other cluster of the same socket, 21 to the other socket.
    public static func preset(_ name: String) throws(PageError) -> NUMATopology {
        let gib = 1 << 30
        switch name {
        case "1-node":
            return try NUMATopology(count: 1, memory: [64 * gib], cpusPerNode: 16)
        case "2-socket":
            return try NUMATopology(count: 2, memory: [64 * gib], cpusPerNode: 16)
        case "4-socket":
            return try NUMATopology(count: 4, memory: [64 * gib], cpusPerNode: 16)
        case "2-socket-snc":
            return try NUMATopology(count: 4, memory: [32 * gib], cpusPerNode: 8, distances: [
                [10, 11, 21, 21], [11, 10, 21, 21], [21, 21, 10, 11], [21, 21, 11, 10],
            ])
        default:
            throw .invalid("numa", "unknown topology preset '\(name)' (presets: \(presetNames.joined(separator: ", ")))")
        }
    }
}
