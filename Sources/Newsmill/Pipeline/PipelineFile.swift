import Yams

/// Reads a pipeline file (YAML or JSON; JSON is YAML) into located ``ConfigNode``s.
enum PipelineFile {
    /// Parses `text` (the contents of `path`) into a node tree.
    static func parse(_ text: String, path: String) throws(ConfigError) -> ConfigNode {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw syntaxError(error, path: path)
        } catch {
            throw .syntax(SourceLocation(path: path, line: 1, column: 1), detail: "\(error)")
        }
        guard let node else {
            throw .invalid(SourceLocation(path: path, line: 1, column: 1), detail: "the pipeline file is empty")
        }
        return try convert(node, path: path)
    }

    private static func location(_ mark: Mark?, path: String) -> SourceLocation {
        SourceLocation(path: path, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    private static func convert(_ node: Node, path: String) throws(ConfigError) -> ConfigNode {
        let loc = location(node.mark, path: path)
        switch node {
        case .scalar(let scalar):
            return .scalar(scalar.string, loc)
        case .sequence(let sequence):
            var items: [ConfigNode] = []
            for item in sequence { items.append(try convert(item, path: path)) }
            return .sequence(items, loc)
        case .mapping(let mapping):
            var entries: [ConfigEntry] = []
            for (key, value) in mapping {
                let keyLoc = location(key.mark, path: path)
                guard case .scalar(let keyScalar) = key else {
                    throw .invalid(keyLoc, detail: "mapping keys must be plain words")
                }
                if entries.contains(where: { $0.key == keyScalar.string }) {
                    throw .invalid(keyLoc, detail: "duplicate key '\(keyScalar.string)'")
                }
                entries.append(
                    ConfigEntry(
                        key: keyScalar.string, keyLocation: keyLoc,
                        value: try convert(value, path: path)))
            }
            return .mapping(entries, loc)
        case .alias:
            throw .invalid(loc, detail: "YAML aliases are not supported in pipeline files")
        }
    }

    private static func syntaxError(_ error: YamlError, path: String) -> ConfigError {
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            var detail = problem
            if let context { detail += " (\(context.text) at line \(context.mark.line))" }
            return .syntax(SourceLocation(path: path, line: mark.line, column: mark.column), detail: detail)
        case .reader(let problem, _, _, _):
            return .syntax(SourceLocation(path: path, line: 1, column: 1), detail: problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return .syntax(
                SourceLocation(path: path, line: context.mark.line, column: context.mark.column),
                detail: "duplicate keys: \(duplicates.joined(separator: ", "))")
        default:
            return .syntax(SourceLocation(path: path, line: 1, column: 1), detail: "\(error)")
        }
    }
}
