import ArgumentParser
import Foundation
import FrontMatter
import RISKit
import RISStore

extension RIS {
    /// `ris audit`: the access-audit trail.
    struct Audit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The access-audit trail of records that require it (.ris/audit.sqlite).",
            subcommands: [Log.self, Verify.self]
        )

        struct Log: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "List audit events, oldest first.",
                discussion: "JSON keys: seq, at, actor, action, path, id, contentSha256, note, previousHash, hash."
            )
            @Option(help: ArgumentHelp("Only events on or after this day.", valueName: "YYYY-MM-DD"))
            var since: String?
            @Option(help: ArgumentHelp("Only events of this record (an ID, a path, or a unique prefix).", valueName: "ref"))
            var document: String?
            @OptionGroup var output: FormatOptions
            @OptionGroup var knowledgeBase: KnowledgeBaseOptions

            func validate() throws {
                if let since, Day.parse(since) == nil { throw ValidationError("--since takes a date like 2026-01-31, not '\(since)'") }
            }

            func run() throws {
                let base = try knowledgeBase.knowledgeBase()
                var path: String?
                if let document { path = try resolveReference(document, in: try openIndex(base, refresh: true)).path }
                let events: [AuditTrail.Event]
                do {
                    events = try AuditTrail(risFolder: base.risFolder).events(since: since, path: path)
                } catch {
                    throw CLIFailure(message: "\(error)", code: 1)
                }
                switch output.format {
                case .json: try printJSON(events)
                case .text:
                    for event in events { Terminal.write("\(event.seq)  \(event.at)  \(event.actor)  \(event.action)  \(event.id)  \(event.path)") }
                }
            }
        }

        struct Verify: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Recompute the audit chain; exit 1 naming the first broken event."
            )
            @OptionGroup var knowledgeBase: KnowledgeBaseOptions

            func run() throws {
                let base = try knowledgeBase.knowledgeBase()
                let trail: AuditTrail
                do { trail = try AuditTrail(risFolder: base.risFolder) } catch { throw CLIFailure(message: "\(error)", code: 1) }
                if let broken = try trail.verify() { throw CLIFailure(message: "the audit trail is broken: \(broken)", code: 1) }
                Terminal.write("the audit trail holds: \(try trail.events().count) events, chain intact")
            }
        }
    }
}
