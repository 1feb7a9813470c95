import ArgumentParser
import Foundation
import FrontMatter
import RISKit
import RISStore

extension RIS {
    /// `ris parse FILE...`: what ris understood of each file.
    struct Parse: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what ris understands of RIS files.",
            discussion: """
                Each FILE is read as a record (markdown with front matter, or a YAML record), with the
                field-aliases of the knowledge base it is in, if any; a folder is read recursively (*.md, *.markdown, *.yaml, *.yml; .git, .ris, .build and
                node_modules are skipped). Problems are printed to stderr as path:line:col: error|warning|note: message.
                Exit 0 when no file has an error, 1 when one has, 2 for bad usage.
                """
        )

        @Argument(help: "Files or folders to read.", completion: .file())
        var files: [String]

        @OptionGroup var output: FormatOptions

        func run() throws {
            let paths = FileCollector.expand(files)
            var documents: [RISDocument] = []
            // A file inside a knowledge base is read with its configuration (`field-aliases`).
            // A file inside a knowledge base is read with its configuration (`field-aliases`), and
            // printing an audited record is a read of it, logged in that knowledge base's trail.
            var baseByFolder: [String: KnowledgeBase?] = [:]
            func knowledgeBase(for path: String) -> KnowledgeBase? {
                let folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
                if let known = baseByFolder[folder] { return known }
                // By the real path (a link from outside into a knowledge base still reads its
                // records), and the outermost knowledge base (a nested `.ris` is not used).
                let real = realpath(folder.isEmpty ? "/" : folder, nil).map { pointer -> String in
                    defer { free(pointer) }
                    return String(cString: pointer)
                } ?? folder
                var found = KnowledgeBase.find(from: URL(fileURLWithPath: real))
                while let inner = found, let outer = KnowledgeBase.enclosing(inner) { found = outer }
                let base = found.map { KnowledgeBase(root: $0) }
                baseByFolder[folder] = .some(base)
                return base
            }
            var reads: [String: (base: KnowledgeBase, documents: [(path: String, id: String, sha256: String)])] = [:]
            for entry in paths {
                switch entry {
                case .file(let path):
                    let base = knowledgeBase(for: path)
                    let options = base?.config.parseOptions ?? .default
                    switch DocumentParser.readFile(atPath: path) {
                    case .success(let data):
                        let document = DocumentParser.parse(data: data, path: path, options: options)
                        documents.append(document)
                        if let base, requiresAudit(document) {
                            let absolute = realpath(path, nil).map { pointer -> String in
                                defer { free(pointer) }
                                return String(cString: pointer)
                            } ?? URL(fileURLWithPath: path).standardizedFileURL.path
                            let relative = absolute.hasPrefix(base.root.path + "/") ? String(absolute.dropFirst(base.root.path.count + 1)) : absolute
                            reads[base.root.path, default: (base, [])].documents.append((relative, document.id, ContentDigest.sha256(data)))
                        }
                    case .failure(let error):
                        documents.append(DocumentParser.unreadable(path: path, error))
                    }
                case .problem(let path, let message):
                    var document = DocumentParser.parse(data: Data(), path: path)
                    document.diagnostics = [.error(message, at: SourcePosition(line: 1, column: 1))]
                    documents.append(document)
                }
            }
            for (_, read) in reads.sorted(by: { $0.key < $1.key }) {
                try recordAccess(read.base, action: "read:parse", documents: read.documents)
            }
            for document in documents {
                for diagnostic in document.diagnostics { Terminal.report(diagnostic, path: document.path) }
            }
            switch output.format {
            case .json:
                FileHandle.standardOutput.write(try RISDocument.jsonData(documents))
                FileHandle.standardOutput.write(Data("\n".utf8))
            case .text:
                Terminal.writeStyled(documents.map(DocumentText.render).joined(separator: "\n"))
            }
            if documents.contains(where: \.hasErrors) { throw ExitCode(1) }
        }
    }
}
