import Foundation
import FrontMatter
import XCTest

@testable import RISKit

/// The canonical record of ../shared/examples/seed, as committed in examples/kb.
final class SeedTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let seedPath = root.appendingPathComponent(
        "examples/kb/docs/06-ris/resolutions/RIS-RESOLUTION-045-lambda-manifest-type-docker-macos.md"
    ).path

    var seed: RISDocument { DocumentParser.parse(fileAt: Self.seedPath) }

    func testHeader() {
        let document = seed
        XCTAssertEqual(document.id, "RIS-045")
        XCTAssertEqual(document.title, "Lambda Deployment Failures Due to OCI Manifest Type on macOS")
        XCTAssertEqual(document.kind, .ris)
        XCTAssertEqual(document.shape, .closed)
        XCTAssertEqual(document.date, "2025-12-28")
        XCTAssertEqual(document.severity, "CRITICAL")
        XCTAssertEqual(document.status, "RESOLVED")
        XCTAssertEqual(document.resolutionMinutes, 90)
        XCTAssertEqual(document.project, "credentialmate")
        XCTAssertEqual(document.field("Status"), "✅ RESOLVED")
        XCTAssertEqual(
            document.fields.filter { $0.placement == .footer }.map(\.name),
            ["Created By", "Reviewed By", "Sign-Off", "Impact Assessment", "Recurrence Risk"])
        XCTAssertFalse(document.hasErrors)
    }

    func testTimeline() {
        let timeline = seed.timeline
        XCTAssertEqual(timeline.count, 16)
        XCTAssertEqual(timeline.first?.time, "0:00")
        XCTAssertEqual(timeline.first?.event, "User reports login failure with CORS errors")
        XCTAssertEqual(timeline.last?.time, "1:30")
        XCTAssertEqual(timeline.first?.line, 144)
    }

    func testHotPattern() {
        let patterns = seed.hotPatterns
        XCTAssertEqual(patterns.count, 1)
        let pattern = patterns[0]
        XCTAssertEqual(pattern.title, #"Lambda Deployment: "manifest media type not supported""#)
        XCTAssertEqual(
            pattern.keywords,
            ["lambda", "manifest", "media type", "OCI", "docker v2", "InvalidParameterValueException"])
        XCTAssertEqual(pattern.hitCount, 1)
        XCTAssertEqual(pattern.lastUsed, "2025-12-28")
        XCTAssertEqual(pattern.line, 352)
        XCTAssertEqual(pattern.hitCountLine, 381)
        XCTAssertEqual(pattern.lastUsedLine, 382)
        XCTAssertEqual(pattern.related, ["RIS-045", "kb-lambda-docker-builds.md"])
        XCTAssertTrue(pattern.symptom.contains("InvalidParameterValueException"))
        XCTAssertTrue(pattern.rootCause.hasPrefix("Docker Desktop on macOS creates OCI manifest"))
        XCTAssertTrue(pattern.solution.contains("--oci-mediatypes=false"))
        // The nested fences are repaired: the sections after the entry are still sections.
        XCTAssertEqual(seed.sections.last?.heading, "References")
    }

    func testComplianceExactlyAsWritten() {
        let compliance = seed.compliance
        XCTAssertEqual(compliance.frameworks.map(\.name), ["hipaa", "iso27001", "soc2"])
        let hipaa = compliance.framework("hipaa")!
        XCTAssertEqual(hipaa.controls.map(\.value), ["164.308(a)(1)(ii)(D)", "164.312(a)(1)"])
        XCTAssertEqual(hipaa.retentionPeriod?.value, RetentionPeriod(amount: 7, unit: .years))
        XCTAssertEqual(hipaa.reviewFrequency?.value, .quarterly)
        XCTAssertEqual(hipaa.phiContains?.value, "credential-data")
        XCTAssertEqual(hipaa.encryptionRequired?.value, true)
        XCTAssertEqual(hipaa.accessAuditRequired?.value, true)
        XCTAssertEqual(hipaa.retentionPeriod?.position, SourcePosition(line: 10, column: 23))
        let iso = compliance.framework("iso27001")!
        XCTAssertEqual(iso.controls.map(\.value), ["A.12.1.1", "A.18.1.3"])
        XCTAssertEqual(iso.classification?.value, "internal")
        XCTAssertEqual(iso.reviewFrequency?.value, .quarterly)
        let soc2 = compliance.framework("soc2")!
        XCTAssertEqual(soc2.controls.map(\.value), ["CC7.3", "CC8.1"])
        XCTAssertEqual(soc2.evidenceType?.value, "documentation")
        XCTAssertEqual(soc2.retentionPeriod?.value, RetentionPeriod(amount: 7, unit: .years))
        XCTAssertEqual(compliance.created?.value, "2026-01-10")
        XCTAssertEqual(compliance.version?.value, "1.0")
    }

    func testSectionsLinksAndCode() {
        let document = seed
        XCTAssertEqual(
            document.sections.first,
            Section(
                level: 1, heading: "RIS-045: Lambda Deployment Failures Due to OCI Manifest Type on macOS", line: 30))
        XCTAssertTrue(document.sections.contains(Section(level: 2, heading: "Hot Pattern Entry", line: 347)))
        XCTAssertTrue(
            document.links.contains {
                $0.target == "docs/05-kb/infrastructure/kb-lambda-docker-builds.md" && !$0.external
            })
        XCTAssertTrue(
            document.links.contains {
                $0.target == "https://docs.aws.amazon.com/lambda/latest/dg/images-create.html" && $0.external
            })
        XCTAssertTrue(document.codeBlocks.contains { $0.language == "bash" })
        XCTAssertTrue(document.codeBlocks.contains { $0.language == "markdown" && $0.line == 351 })
        XCTAssertTrue(document.symptomText.contains("UpdateFunctionCode"))
        XCTAssertTrue(document.rootCauseText.contains("BuildKit creates OCI manifests"))
    }
}
