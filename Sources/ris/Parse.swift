import ArgumentParser
import Foundation
import FrontMatter
import RISKit

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
            var optionsByFolder: [String: ParseOptions] = [:]
            func options(for path: String) -> ParseOptions {
                let folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
                if let known = optionsByFolder[folder] { return known }
                let url = URL(fileURLWithPath: folder.isEmpty ? "/" : folder)
                let options = KnowledgeBase.find(from: url).map { KnowledgeBase(root: $0).config.parseOptions } ?? .default
                optionsByFolder[folder] = options
                return options
            }
            for entry in paths {
                switch entry {
                case .file(let path):
                    documents.append(DocumentParser.parse(fileAt: path, options: options(for: path)))
                case .problem(let path, let message):
                    var document = DocumentParser.parse(data: Data(), path: path)
                    document.diagnostics = [.error(message, at: SourcePosition(line: 1, column: 1))]
                    documents.append(document)
                }
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
