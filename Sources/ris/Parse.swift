import ArgumentParser
import Foundation
import RISWorkflows

extension RIS {
    /// `ris parse FILE...`: what ris understood of each file.
    struct Parse: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "parse",
            abstract: "Show what ris understands of RIS files.",
            discussion: """
                Each FILE is read as a record (markdown with front matter, or a YAML record), with the
                field-aliases of the knowledge base it is in, if any; a folder is read recursively (*.md, *.markdown, \
                *.yaml, *.yml; .git, .ris, .build and
                node_modules are skipped). Problems are printed to stderr as path:line:col: error|warning|note: message.
                A path that cannot be read is an error on stderr, with nothing printed for it. Exit 0 when no file \
                has an error, 1 when one has (or cannot be read), 2 for bad usage.
                """
        )

        @Argument(help: "Files or folders to read.", completion: .file())
        var files: [String]

        @OptionGroup var output: FormatOptions

        func run() throws {
            let parsed = try ParseFiles.read(files)
            let documents = parsed.documents
            // A path that cannot be read is said, and nothing is printed for it.
            for problem in parsed.problems { Terminal.report(problem.diagnostic, path: problem.path) }
            for document in documents {
                for diagnostic in document.diagnostics { Terminal.report(diagnostic, path: document.path) }
            }
            switch output.format {
            case .json:
                Terminal.writeOutput(try RISDocument.jsonData(documents))
                Terminal.writeOutput(Data(utf8Of: "\n"))
            case .text:
                if !documents.isEmpty {
                    Terminal.writeStyled(documents.map(DocumentText.render).joined(separator: "\n"))
                }
            }
            if !parsed.problems.isEmpty || documents.contains(where: \.hasErrors) { throw ExitCode(1) }
        }
    }
}
