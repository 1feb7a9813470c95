import Foundation
import RISKit
import RISStore

/// What `ris audit verify` found: the trail's own report and the anchors it was checked against.
public struct AuditVerification: Sendable {
    public var report: AuditTrail.Verification
    public var anchors: AuditAnchors.History

    /// Every problem, the unanchored restart included.
    public var problems: [String] { report.problems + (report.unanchoredRestart.map { [$0] } ?? []) }
}

/// An anchored head.
public struct AnchoredHead: Sendable {
    public var commit: String
    public var head: AuditTrail.Head
    /// False when that head was already committed (nothing committed now).
    public var isNew: Bool
}

extension KnowledgeBaseSession {
    /// The audit events, oldest first, since a day and of one record. Reading never creates
    /// or changes the trail.
    public func auditEvents(since day: CalendarDay? = nil, of reference: String? = nil) throws -> [AuditTrail.Event] {
        let path = try reference.map { try resolve($0).path }
        do {
            return try AuditTrail.existing(in: base.risFolder)?.events(since: day?.text, path: path) ?? []
        } catch {
            throw WorkflowError.failure("\(error)")
        }
    }

    /// The trail checked: its chain (keyed events with the key of `RIS_AUDIT_KEY_FILE`), its
    /// head, and every head anchored in git's history. A knowledge base without a trail holds,
    /// unless git shows it had one. Writes nothing.
    public func verifyAuditTrail() throws -> AuditVerification {
        try auditing {
            let key = try AuditKey.fromEnvironment(knowledgeBaseRoot: base.root)
            let anchors = AuditAnchors.history(knowledgeBaseRoot: base.root)
            guard let trail = try AuditTrail.existing(in: base.risFolder) else {
                var report = AuditTrail.Verification(events: 0)
                if case .heads(let heads, _) = anchors, let newest = heads.max(by: { $0.head.count < $1.head.count }),
                    newest.head.count > 0
                {
                    report.problems.append(
                        "there is no audit trail, but commit \(newest.commit.prefix(12)) anchored one of "
                            + "\(newest.head.count) events: it was deleted; restore .ris/audit.sqlite and "
                            + ".ris/audit.head from a backup (or, lost for good, `ris audit restart --reason TEXT`)"
                    )
                } else {
                    report.unchecked.append(
                        "this knowledge base has no audit trail yet (none is in git's history either)")
                }
                return AuditVerification(report: report, anchors: anchors)
            }
            return AuditVerification(report: try trail.verify(key: key, anchors: anchors), anchors: anchors)
        }
    }

    /// Verifies the trail, completes a head left by an interrupted append, and commits
    /// `.ris/audit.head` alone on the current branch. A trail that does not hold is not
    /// anchored; outside a git repository there is nowhere to anchor (a usage error).
    public func anchorAuditTrail() throws -> AnchoredHead {
        let verification = try verifyAuditTrail()
        if case .notARepository = verification.anchors {
            throw WorkflowError.usage(
                "\(base.root.path) is not in a git repository: there is nowhere to anchor the audit head (`git "
                    + "init`, then commit the knowledge base)"
            )
        }
        // A restart is vouched for by being anchored: that alone does not stop the anchor.
        guard verification.report.problems.isEmpty else {
            throw WorkflowError.failure(
                "the audit trail is broken, so it is not anchored: \(verification.report.problems[0])")
        }
        return try auditing {
            guard let trail = try AuditTrail.existing(in: base.risFolder) else {
                throw WorkflowError.failure("this knowledge base has no audit trail yet: nothing to anchor")
            }
            let head = try trail.settleHead()
            let result = try AuditAnchors.anchor(trail, head: head)
            return AnchoredHead(commit: result.commit, head: head, isNew: result.isNew)
        }
    }

    /// Starts a new trail in place of one lost for good (both files gone, git's history
    /// holding them); event 1 records the restart, the actor and `reason`.
    public func restartAuditTrail(reason: String) throws -> AuditTrail.Event {
        try auditing { try AuditTrail.restart(risFolder: base.risFolder, reason: reason, actor: actor.name) }
    }

    /// `WorkflowError.mapping`, and any other failure of the trail's files or of git a failure.
    private func auditing<T>(_ body: () throws -> T) throws -> T {
        do {
            return try WorkflowError.mapping(body)
        } catch let error as WorkflowError {
            throw error
        } catch {
            throw WorkflowError.failure("\(error)")
        }
    }

}
