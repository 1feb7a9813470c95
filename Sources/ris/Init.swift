import ArgumentParser
import Foundation
import RISWorkflows

extension RIS {
    /// `ris init [DIR]`: make a folder a knowledge base.
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Make a folder a knowledge base: write .ris/config.yaml and .ris/.gitignore.",
            discussion: """
                Existing files are kept. A folder inside another knowledge base is refused (exit 2) unless \
                --nested. See docs/configuration.md for the keys.
                """
        )

        @Argument(help: "The folder (default: the current one).", completion: .directory)
        var directory: String = "."
        @Flag(help: "Make a knowledge base inside another one (refused otherwise).")
        var nested = false

        func run() throws {
            let root = URL(fileURLWithPath: directory).standardizedFileURL
            let written = try KnowledgeBaseSession.initialize(at: root, shown: directory, nested: nested)
            if written.isEmpty {
                Terminal.write("\(relativePath(root.path)) is already a knowledge base; nothing written")
            } else {
                for file in written { Terminal.write("wrote \(relativePath(file.path))") }
            }
        }
    }
}
