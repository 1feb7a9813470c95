import ArgumentParser
import Foundation
import RISWorkflows

extension RIS {
    /// `ris audit`: the access-audit trail.
    struct Audit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "audit",
            abstract: "The access-audit trail of records that require it (.ris/audit.sqlite).",
            discussion:
                "RIS_AUDIT_KEY_FILE names a key file outside the knowledge base: events are then keyed "
                + "(HMAC-SHA256), and verify checks them. See docs/compliance.md.",
            subcommands: [Log.self, Verify.self, Anchor.self, Restart.self]
        )

        struct Log: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "log",
                abstract: "List audit events, oldest first.",
                discussion:
                    "JSON keys: seq, at, actor, uid, action, path, id, contentSha256, note, previousHash, hash, "
                    + "format, keyId."
            )
            @Option(
                help: ArgumentHelp("Only events on or after this day.", valueName: "YYYY-MM-DD"),
                transform: CalendarDay.argument)
            var since: CalendarDay?
            @Option(
                help: ArgumentHelp("Only events of this record (an ID, a path, or a unique prefix).", valueName: "ref"))
            var document: String?
            @OptionGroup var output: FormatOptions
            @OptionGroup var knowledgeBase: KnowledgeBaseOptions
            @OptionGroup var pager: PagerOptions

            func run() throws {
                pager.start(for: output.format == .text)
                let events = try knowledgeBase.session().auditEvents(since: since, of: document)
                switch output.format {
                case .json: try printJSON(events)
                case .text:
                    for event in events {
                        let uid = event.uid.map { "uid \($0)" } ?? "uid ?"
                        // Each field on one line: a newline in an actor or a path cannot forge an event line.
                        let fields = [event.at, event.actor, event.action, event.id, event.path].map {
                            Terminal.escaped($0, .inline)
                        }
                        Terminal.write(
                            "\(event.seq)  \(fields[0])  \(fields[1]) (\(uid))  \(fields[2])  \(fields[3])  "
                                + "\(fields[4])"
                        )
                    }
                }
            }
        }

        struct Verify: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "verify",
                abstract: "Check the audit trail: its chain, its head, its keyed events and the heads anchored in git.",
                discussion: """
                    Exit 1 naming each problem. What was checked and what could not be (no key, no anchor) is printed \
                    too: \
                    docs/compliance.md says what each can detect. JSON keys: holds, events, problems, checked, \
                    unchecked.
                    """
            )
            @OptionGroup var output: FormatOptions
            @OptionGroup var knowledgeBase: KnowledgeBaseOptions

            func run() throws {
                let session = try knowledgeBase.session()
                let verification = try session.verifyAuditTrail()
                let report = verification.report
                switch output.format {
                case .json: try printJSON(VerificationJSON(report))
                case .text:
                    if report.holds { Terminal.write("the audit trail holds: \(report.events) events, chain intact") }
                    // One line each: a note or a key ID from the trail cannot forge a line.
                    for line in report.checked { Terminal.write("  checked: " + Terminal.escaped(line, .inline)) }
                    for line in report.unchecked { Terminal.write("  not checked: " + Terminal.escaped(line, .inline)) }
                }
                let problems = verification.problems
                guard problems.isEmpty else {
                    for problem in problems.dropFirst() {
                        Terminal.writeError(
                            "\(relativePath(session.base.risFolder.appendingPathComponent("audit.sqlite").path)): "
                                + "error: "
                                + Terminal.escaped(problem, .inline))
                    }
                    throw WorkflowError.failure("the audit trail is broken: " + Terminal.escaped(problems[0], .inline))
                }
            }
        }

        struct Anchor: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "anchor",
                abstract: "Commit .ris/audit.head on the current git branch, so that verify can detect a rollback.",
                discussion: """
                    The trail is verified first; a trail that does not hold is not anchored. Only .ris/audit.head is \
                    committed, whatever else is staged. Exit 2 outside a git repository. JSON keys: commit, events, \
                    hash, new.
                    """
            )
            @OptionGroup var output: FormatOptions
            @OptionGroup var knowledgeBase: KnowledgeBaseOptions

            func run() throws {
                let anchored = try knowledgeBase.session().anchorAuditTrail()
                let (result, head) = ((commit: anchored.commit, isNew: anchored.isNew), anchored.head)
                switch output.format {
                case .json:
                    try printJSON(
                        AnchorJSON(commit: result.commit, events: head.count, hash: head.hash, new: result.isNew))
                case .text:
                    Terminal.write(
                        result.isNew
                            ? "anchored the audit head (\(head.count) events) in commit \(result.commit.prefix(12))"
                            : "the audit head (\(head.count) events) is already anchored in commit "
                                + "\(result.commit.prefix(12))"
                    )
                }
            }
        }

        struct Restart: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "restart",
                abstract: "Start a new audit trail in place of one that is lost for good, saying why.",
                discussion: """
                    Only when .ris/audit.sqlite and .ris/audit.head are both gone and git's history holds them: \
                    restore them \
                    instead when a backup or a committed copy exists. Event 1 of the new trail records the restart, \
                    the \
                    reason and the newest commit holding the lost trail; verify reports it, and fails until `ris \
                    audit anchor` \
                    anchors it. JSON keys: those of `audit log`.
                    """
            )
            @Option(
                help: ArgumentHelp(
                    "Why the trail is lost and who decided to restart it; kept in event 1.", valueName: "text"))
            var reason: String
            @OptionGroup var output: FormatOptions
            @OptionGroup var knowledgeBase: KnowledgeBaseOptions

            func validate() throws {
                if reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    throw ValidationError("--reason must say why the trail is restarted")
                }
            }

            func run() throws {
                let event = try knowledgeBase.session().restartAuditTrail(reason: reason)
                switch output.format {
                case .json: try printJSON(event)
                case .text:
                    Terminal.write(
                        "started a new audit trail in place of the one lost after commit \(event.id.prefix(12)); "
                            + "event 1 records it"
                    )
                    Terminal.write(
                        "anchor it (`ris audit anchor`) and merge that commit: verify fails until a head anchored "
                            + "after the restart vouches for it"
                    )
                }
            }
        }
    }
}

private struct VerificationJSON: Encodable {
    var holds: Bool
    var events: Int
    var problems: [String]
    var checked: [String]
    var unchecked: [String]

    init(_ report: AuditTrail.Verification) {
        (holds, events, checked, unchecked) = (report.holds, report.events, report.checked, report.unchecked)
        problems = report.problems + (report.unanchoredRestart.map { [$0] } ?? [])
    }
}

private struct AnchorJSON: Encodable {
    var commit: String
    var events: Int64
    var hash: String
    var new: Bool
}
