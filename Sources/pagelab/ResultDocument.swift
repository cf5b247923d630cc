import ArgumentParser
import Foundation

/// A result file `pagelab diff` compares: what `pagelab run --json` or `pagelab jvm --format json`
/// wrote, read back with JSONSerialization.
enum ResultDocument {
    case run([String: Any])
    case jvm([String: Any])

    static let expected = "a `pagelab run --json` or `pagelab jvm --format json` document"

    var kind: String {
        switch self {
        case .run: "pagelab run --json"
        case .jvm: "pagelab jvm --format json"
        }
    }

    /// Reads and recognises `path`; a file that is missing, not JSON or of neither kind is a usage
    /// error that names it.
    static func load(_ path: String) throws -> ResultDocument {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot read it" : "no such file"
            throw usageError("\(path): \(reason)")
        }
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: data)
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            throw usageError("\(path): not valid JSON (\(detail)); expected \(expected)")
        }
        guard let object = value as? [String: Any] else { throw usageError("\(path): not \(expected)") }
        if let manifest = object["manifest"] as? [String: Any], manifest["scenario"] != nil, object["regions"] is [Any] {
            return .run(object)
        }
        if object["nmt"] is [String: Any], object["jdk"] != nil {
            return .jvm(object)
        }
        throw usageError("\(path): a JSON document, but not \(expected)")
    }
}

extension Dictionary where Key == String, Value == Any {
    /// An integer field; JSONSerialization gives numbers as NSNumber.
    func integer(_ key: String) -> Int { (self[key] as? NSNumber)?.intValue ?? 0 }
}
