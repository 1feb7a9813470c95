import Foundation
import FrontMatter
import RISKit
import RISStore

/// A review written into a record's front matter.
public struct RecordedReview: Sendable {
    public var id: String
    public var path: String
    public var day: String
    public var reviewer: String
    /// The body's sign-off fields completed by the review (`Reviewed By`, `Sign-Off`), as named
    /// in the record.
    public var signOffFields: [String] = []

    /// The day the record was created: its front matter's `created`, else the incident's date.
    static func creationDay(of document: RISDocument) -> CalendarDay? {
        [document.compliance.created?.value, document.date].lazy.compactMap { $0 }
            .compactMap { FieldValue.day(in: $0).flatMap(CalendarDay.init) }.first
    }
}

/// What `check` is asked.
public struct CheckRequest: Sendable {
    /// Files and folders to check (relative to the current folder); empty: the knowledge base.
    public var paths: [String] = []
    /// The day dates are judged on.
    public var asOf: CalendarDay
    /// Only these rules (empty: all).
    public var rules: Set<String> = []
    /// Not these rules.
    public var ignoring: Set<String> = []
    /// A baseline file (`ris check --baseline FILE`) whose findings are accepted.
    public var baseline: String?

    public init(
        paths: [String] = [], asOf: CalendarDay, rules: Set<String> = [], ignoring: Set<String> = [],
        baseline: String? = nil
    ) {
        self.paths = paths
        self.asOf = asOf
        self.rules = rules
        self.ignoring = ignoring
        self.baseline = baseline
    }
}

/// What `check` found.
public struct CheckReport: Sendable {
    /// The findings to act on: those of the rules asked, less those the baseline accepts.
    public var findings: [Finding]
    public var filesChecked: Int
    /// Files that could not be checked at all (a broken link, an unreadable folder).
    public var problems: [PathDiagnostic]
    /// Findings the baseline accepted (not in `findings`).
    public var accepted: Int = 0
    /// Baseline entries no finding matches any more: fixed since, the baseline can shrink.
    public var staleBaselineEntries: Int = 0

    /// One line per rule of `findings`, errors first: what a person reads first.
    public var summary: [RuleSummary] { RuleSummary.of(findings) }
    /// `findings` with the same rule and message grouped: one action, said once.
    public var groups: [FindingGroup] { FindingGroup.of(findings) }
}

extension KnowledgeBaseSession {
    /// Records a review of the record `reference` names: only `last-reviewed` and
    /// `reviewed-by` of its front matter change (atomically, under `.ris/review.lock`), and the
    /// review is always appended to the audit trail with its note, audited record or not.
    public func recordReview(of reference: String, by reviewer: String, on reviewDay: CalendarDay, note: String = "")
        throws -> RecordedReview
    {
        let entry = try resolve(reference)
        let reviewer = reviewer.trimmed()
        let day = reviewDay.text
        guard !SignOff.isPending(reviewer) else {
            throw WorkflowError.usage("the reviewer is a name, not '\(reviewer)': it would leave the record pending")
        }
        // A review is recorded on the day it happened: not after tomorrow (UTC; tomorrow is
        // already today east of it), which would make the record "not due" for years.
        let latest = CalendarDay(Day.adding(RetentionPeriod(amount: 1, unit: .days), to: CalendarDay.today().date))
        guard reviewDay <= latest else {
            throw WorkflowError.usage(
                "the review date \(day) is in the future (today is \(CalendarDay.today().text), UTC); a review is "
                    + "recorded on or after the day it happened")
        }
        let pathExtension = (entry.path as NSString).pathExtension
        var signOffFields: [String] = []
        do {
            try WorkflowError.mapping {
                _ = try base.edit(entry.path, lock: "review.lock") { data in
                    let before = DocumentParser.parse(data: data, path: entry.path, options: base.config.parseOptions)
                    if let created = RecordedReview.creationDay(of: before), reviewDay < created {
                        throw WorkflowError.usage(
                            "the review date \(day) is before the record was created (\(created.text)): no review "
                                + "can precede the record")
                    }
                    // Reviews are recorded in order: an older one would move the schedule back and
                    // make the body contradict a sign-off given since.
                    if let last = before.frontMatter?["last-reviewed"]?.scalarText
                        .flatMap({ FieldValue.day(in: $0) }).flatMap(CalendarDay.init), reviewDay < last
                    {
                        throw WorkflowError.usage(
                            "the record was last reviewed on \(last.text), after \(day): reviews are recorded in "
                                + "order, the latest last")
                    }
                    var edited = try FrontMatterEditor.setting(
                        ["last-reviewed"], to: .string(day), in: data, pathExtension: pathExtension)
                    edited = try FrontMatterEditor.setting(
                        ["reviewed-by"], to: .string(reviewer), in: edited, pathExtension: pathExtension)
                    // A YAML record keeps its sign-off as a key: a pending one is completed there.
                    var yamlSignOff: [String] = []
                    for pair in before.frontMatter?.pairs ?? []
                    where ["sign-off", "signoff"].contains(pair.normalizedKey ?? "")
                        && pair.value.scalarText.map(SignOff.isPending) == true
                    {
                        guard let key = pair.key.scalarText else { continue }
                        edited = try FrontMatterEditor.setting(
                            [key], to: .string("\(reviewer), \(day)"), in: edited, pathExtension: pathExtension)
                        yamlSignOff.append(key)
                    }
                    // The body's sign-off lines (`**Reviewed By:** Pending`) say the same, so that
                    // the record reads as reviewed and `check` stops reporting it pending.
                    var document = DocumentParser.parse(
                        data: edited, path: entry.path, options: base.config.parseOptions)
                    let completed = SignOff.completing(in: edited, document: document, reviewer: reviewer, day: day)
                    signOffFields = yamlSignOff + completed.changed
                    if !completed.changed.isEmpty {
                        edited = completed.data
                        document = DocumentParser.parse(
                            data: edited, path: entry.path, options: base.config.parseOptions)
                    }
                    // The event is appended only for a change the write will make (a read-only
                    // or foreign record is refused first); under the lock, so that events follow
                    // the edits in order.
                    try base.files.checkReplaceable(entry.path)
                    try access.append(
                        .recordReview, [RecordRead(path: entry.path, document: document, data: edited)],
                        note: "reviewed by \(reviewer) on \(day)" + (note.isEmpty ? "" : ": \(note)"))
                    return edited
                }
            }
        } catch let error as FrontMatterEditError {
            throw WorkflowError.failure("\(entry.path): \(error)")
        }
        refreshAfterWrite()
        return RecordedReview(
            id: entry.id, path: entry.path, day: day, reviewer: reviewer, signOffFields: signOffFields)
    }

    /// The quarterly review of every record of the knowledge base, judged as of `asOf`
    /// (default: the quarter's last day, so the same files give the same bytes). Every
    /// audited record's read is logged, with the digest of the very bytes reviewed.
    public func exportReview(quarter: Quarter, asOf: CalendarDay? = nil) throws -> QuarterlyReview {
        let day = asOf?.date ?? quarter.bounds.last
        let (files, _) = FileScanner.scan(root: base.root, config: base.config)
        // Each file read once: the digest logged (and shown) is of the very bytes reviewed.
        let records = files.filter { base.config.isRecordPath($0.path) }.map { base.record(at: $0.path) }
        let documents = records.map(\.document)
        let policy = CompliancePolicy(base.config.compliance)
        let findings = ComplianceCheck.check(documents, policy: policy, asOf: day)
        var digests: [String: String] = [:]
        for record in records {
            if let data = record.data { digests[record.document.path] = ContentDigest.sha256(data) }
        }
        let git = GitState.of(base.root, reviewed: Set(records.map(\.document.path)))
        let provenance = QuarterlyReview.Provenance(
            knowledgeBase: base.root.standardizedFileURL.path, gitCommit: git?.commit, gitDirty: git?.dirty,
            generatedBy: actor.name, generatedAt: Timestamp.generationTime())
        let review = try QuarterlyReview(
            quarter: quarter.description, asOf: day, documents: documents, findings: findings, digests: digests,
            provenance: provenance, frameworks: policy.reviewFrameworks, isoEdition: policy.isoEdition)
        let audited = records.filter { access.isAudited($0.document) }.map {
            RecordRead(path: $0.document.path, document: $0.document, data: $0.data ?? Data())
        }
        try access.append(.exportReview, audited)
        return review
    }

    /// The compliance rules (docs/compliance.md) over the whole knowledge base, or over the
    /// files and folders of the request, as it asks: the rules chosen, a baseline's findings
    /// accepted. A configuration that did not read is a finding too: the policy checked is not
    /// the one written. Paths are matched with the baseline relative to the knowledge base, and
    /// shown through `displayPath`. A baseline that does not read is a usage error.
    public func check(_ request: CheckRequest, displayPath: (String) -> String = { $0 }) throws -> CheckReport {
        let baseline = try request.baseline.map { path -> CheckBaseline in
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: path))
            } catch {
                throw WorkflowError.usage("cannot read the baseline \(path): \(error.localizedDescription)")
            }
            do {
                return try CheckBaseline(data: data)
            } catch {
                throw WorkflowError.usage("\(path): \(error)")
            }
        }
        var (findings, checked, problems, givenPaths) = allFindings(request.paths, asOf: request.asOf)
        func selected(_ rule: String) -> Bool {
            (request.rules.isEmpty || request.rules.contains(rule)) && !request.ignoring.contains(rule)
        }
        findings = findings.filter { selected($0.rule) }
        var report = CheckReport(findings: findings, filesChecked: checked.count, problems: problems)
        if let baseline {
            let applied = baseline.apply(to: findings)
            report.findings = applied.new
            report.accepted = applied.accepted.count
            // Fixed since: only entries this run could have seen (a file checked, a rule asked).
            report.staleBaselineEntries =
                applied.stale.filter {
                    selected($0.rule) && (checked.contains($0.path) || $0.path == ".ris/config.yaml")
                }.count
        }
        // Files named on the command line are shown as they were named; the rest through `displayPath`.
        if request.paths.isEmpty {
            for index in report.findings.indices {
                report.findings[index].path = displayPath(report.findings[index].path)
            }
            for index in report.problems.indices {
                report.problems[index].path = displayPath(report.problems[index].path)
            }
        } else {
            for index in report.findings.indices {
                report.findings[index].path =
                    givenPaths[report.findings[index].path]
                    ?? displayPath(
                        report.findings[index].path)
            }
        }
        return report
    }

    /// Writes a baseline accepting every finding `request` gives now (its own baseline
    /// ignored), atomically; returns how many it holds.
    public func writeCheckBaseline(_ request: CheckRequest, to path: String) throws -> Int {
        // A baseline of part of the knowledge base would make the rest fail the next full run.
        guard request.paths.isEmpty, request.rules.isEmpty, request.ignoring.isEmpty else {
            throw WorkflowError.usage(
                "a baseline is written from the whole knowledge base and every rule: no paths, --rule or --ignore")
        }
        var request = request
        request.baseline = nil
        let report = try check(request)
        do {
            try AtomicFile.write(CheckBaseline(findings: report.findings).encoded(), to: URL(fileURLWithPath: path))
        } catch {
            throw WorkflowError.failure("cannot write the baseline \(path): \(error)")
        }
        return report.findings.count
    }

    /// Every finding, paths relative to the knowledge base (or as given, outside it).
    private func allFindings(_ paths: [String], asOf day: CalendarDay) -> (
        findings: [Finding], checked: Set<String>, problems: [PathDiagnostic], givenPaths: [String: String]
    ) {
        var documents: [RISDocument] = []
        var problems: [PathDiagnostic] = []
        var givenPaths: [String: String] = [:]
        if paths.isEmpty {
            let (files, scanProblems) = FileScanner.scan(root: base.root, config: base.config)
            problems = scanProblems.map { PathDiagnostic(path: $0.path, diagnostic: .pathNotRead($0.message)) }
            // `records:` in the configuration says which files are records (task logs can be left out).
            documents = files.filter { base.config.isRecordPath($0.path) }.map { base.record(at: $0.path).document }
        } else {
            // Through links (`/tmp` is `/private/tmp` on macOS): paths compare as the files they are.
            let root = base.root.resolvingSymlinksInPath().path
            let named = Set(paths)
            for entry in FileCollector.expand(paths) {
                switch entry {
                case .file(let path):
                    // Relative to the knowledge base, as the baseline and the index name files.
                    let absolute = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
                    let inside = absolute.hasPrefix(root + "/")
                    let relative = inside ? String(absolute.dropFirst(root.count + 1)) : path
                    // A file found in a folder given is a record only if `records:` says so; one
                    // named on the command line is checked whatever it says.
                    if inside, !named.contains(path), !base.config.isRecordPath(relative) { continue }
                    var document = DocumentParser.parse(fileAt: path, options: base.config.parseOptions)
                    document.path = relative
                    givenPaths[document.path] = path
                    documents.append(document)
                case .problem(let path, let message):
                    problems.append(PathDiagnostic(path: path, diagnostic: .pathNotRead(message)))
                }
            }
        }
        let findings =
            base.configDiagnostics.map { diagnostic in
                Finding(
                    path: ".ris/config.yaml", line: diagnostic.line, column: diagnostic.column,
                    severity: FindingSeverity(diagnostic.severity), rule: "config", message: diagnostic.message)
            } + ComplianceCheck.check(documents, policy: CompliancePolicy(base.config.compliance), asOf: day.date)
        return (findings, Set(documents.map(\.path)), problems, givenPaths)
    }
}
