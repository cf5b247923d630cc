import Foundation

/// Counts the colours of a PNG screenshot with a small decoder run by python3 (zlib and struct
/// from its standard library; no imaging package), so that the test needs nothing beyond what
/// Debian ships with chromium.
enum PNGColours {
    struct Summary: Decodable {
        let width: Int
        let height: Int
        /// How many distinct RGB colours the image has.
        let distinct: Int
        /// Pixels of each colour asked for, by its hex RGB.
        let counts: [String: Int]
    }

    static func summary(of file: String, counting colours: [String]) throws -> Summary {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", decoder, file] + colours
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw DecodeError(message: String(decoding: errors, as: UTF8.self))
        }
        return try JSONDecoder().decode(Summary.self, from: output)
    }

    struct DecodeError: Error {
        let message: String
    }

    /// PNG: chunks, IDAT inflated, each row unfiltered (none, sub, up, average, Paeth), 8-bit RGB
    /// or RGBA, not interlaced (what Chromium writes).
    static let decoder = #"""
    import sys, zlib, struct, json
    data = open(sys.argv[1], 'rb').read()
    assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG file'
    pos, idat, header = 8, b'', None
    while pos < len(data):
        length, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b'IHDR': header = struct.unpack('>IIBBBBB', body)
        elif kind == b'IDAT': idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, 'unsupported PNG %r' % (header,)
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    counts, previous, offset = {}, bytearray(stride), 0
    for _ in range(height):
        kind = raw[offset]
        line = bytearray(raw[offset + 1:offset + 1 + stride])
        offset += 1 + stride
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = previous[i]
            c = previous[i - channels] if i >= channels else 0
            if kind == 1: line[i] = (line[i] + a) & 255
            elif kind == 2: line[i] = (line[i] + b) & 255
            elif kind == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        for i in range(0, stride, channels):
            key = bytes(line[i:i + 3]).hex()
            counts[key] = counts.get(key, 0) + 1
        previous = line
    print(json.dumps({'width': width, 'height': height, 'distinct': len(counts),
                      'counts': {c: counts.get(c, 0) for c in sys.argv[2:]}}))
    """#
}
