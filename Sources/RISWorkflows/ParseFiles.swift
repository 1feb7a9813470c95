import Foundation
import FrontMatter
import RISKit
import RISStore

/// `ris parse`: what ris understands of files anywhere, knowledge base or not.
/// What `ParseFiles.read` read: the documents, and the paths that could not be read.
public struct ParsedFiles: Sendable {
    public var documents: [RISDocument]
    public var problems: [PathDiagnostic]
}

public enum ParseFiles {
    /// Reads every file of `arguments` (folders recursively: *.md, *.markdown, *.yaml, *.yml;
    /// .git, .ris, .build and node_modules skipped). A file inside a knowledge base is read
    /// with its configuration (`field-aliases`), and since printing an audited record is a
    /// read of it, those reads are logged in that knowledge base's trail first (the outermost
    /// one, found by the file's real path). A path that cannot be read is a problem, not a
    /// document: nothing is invented for a file that is not there.
    public static func read(_ arguments: [String], actor: ActingUser? = nil) throws -> ParsedFiles {
        var documents: [RISDocument] = []
        var problems: [PathDiagnostic] = []
        var baseByFolder: [String: KnowledgeBase?] = [:]
        func knowledgeBase(forRealPath real: String) -> KnowledgeBase? {
            // By the file's real path (a link from outside to a record, or to its folder, still
            // reads it as the knowledge base's), and the outermost knowledge base (a nested
            // `.ris` is not used).
            let folder = real.lastIndex(of: "/").map { String(real[..<$0]) } ?? "."
            if let known = baseByFolder[folder] { return known }
            var found = KnowledgeBase.find(from: URL(fileURLWithPath: folder.isEmpty ? "/" : folder))
            while let inner = found, let outer = KnowledgeBase.enclosing(inner) { found = outer }
            let base = found.map { KnowledgeBase(root: $0) }
            baseByFolder[folder] = .some(base)
            return base
        }
        var reads: [String: (gate: AccessGate, reads: [RecordRead])] = [:]
        for entry in FileCollector.expand(arguments) {
            switch entry {
            case .file(let path):
                let real = realPath(path)
                let base = knowledgeBase(forRealPath: real ?? path)
                switch DocumentParser.readFile(atPath: path) {
                case .success(let data):
                    let document = DocumentParser.parse(
                        data: data, path: path, options: base?.config.parseOptions ?? .default)
                    documents.append(document)
                    if let base, AccessPolicy.requiresAudit(document) {
                        let absolute = real ?? URL(fileURLWithPath: path).standardizedFileURL.path
                        let relative =
                            absolute.hasPrefix(base.root.path + "/")
                            ? String(absolute.dropFirst(base.root.path.count + 1)) : absolute
                        reads[base.root.path, default: (AccessGate(base: base, actor: { actor ?? .current() }), [])]
                            .reads
                            .append(RecordRead(path: relative, document: document, data: data))
                    }
                case .failure(let error):
                    problems.append(
                        PathDiagnostic(
                            path: path,
                            diagnostic: .error(
                                .fileUnreadable, error.description, at: SourcePosition(line: 1, column: 1))))
                }
            case .problem(let path, let message):
                problems.append(PathDiagnostic(path: path, diagnostic: .pathNotRead(message)))
            }
        }
        for (_, read) in reads.sorted(by: { $0.key < $1.key }) {
            try read.gate.append(.parse, read.reads)
        }
        return ParsedFiles(documents: documents, problems: problems)
    }

    private static func realPath(_ path: String) -> String? {
        realpath(path, nil).map { pointer in
            defer { free(pointer) }
            return String(cString: pointer)
        }
    }
}
