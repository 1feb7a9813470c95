import XCTest

@testable import FrontMatter

final class ComplianceTests: XCTestCase {
    func read(_ yaml: String) -> (ComplianceMetadata, [Diagnostic]) {
        ComplianceMetadata.read(from: SafeYAML.parse(yaml, firstLine: 2).root)
    }

    func testTypedValuesWithPositions() {
        let (metadata, diagnostics) = read(
            """
            compliance:
              hipaa:
                access-audit-required: true
                controls: [164.308(a)(1)(ii)(D), 164.312(a)(1)]
                retention-period: 7-years
                review-frequency: Quarterly
              soc2:
                controls: CC7.3, CC8.1
                retention_period: 84 months
              pci-dss:
                controls: ["10.2"]
                scope: cardholder
            created: '2026-01-10'
            version: '1.0'
            """)
        XCTAssertEqual(diagnostics, [])
        let hipaa = metadata.framework("hipaa")
        XCTAssertEqual(hipaa?.controls.map(\.value), ["164.308(a)(1)(ii)(D)", "164.312(a)(1)"])
        XCTAssertEqual(hipaa?.retentionPeriod?.value, RetentionPeriod(amount: 7, unit: .years))
        XCTAssertEqual(hipaa?.retentionPeriod?.position, SourcePosition(line: 6, column: 23))
        XCTAssertEqual(hipaa?.reviewFrequency?.value, .quarterly)
        XCTAssertEqual(hipaa?.accessAuditRequired?.value, true)
        XCTAssertEqual(metadata.framework("SOC2")?.controls.map(\.value), ["CC7.3", "CC8.1"])
        XCTAssertEqual(metadata.framework("soc2")?.retentionPeriod?.value, RetentionPeriod(amount: 84, unit: .months))
        XCTAssertEqual(metadata.framework("pci-dss")?.otherKeys.first?.key.scalarText, "scope")
        XCTAssertEqual(metadata.created?.value, "2026-01-10")
        XCTAssertEqual(metadata.version?.value, "1.0")
    }

    func testWrongTypesAreDiagnosticsAtTheirPosition() {
        let (metadata, diagnostics) = read(
            """
            compliance:
              hipaa:
                encryption-required: sometimes
                retention-period: forever
                review-frequency: [quarterly]
                controls: {a: b}
              soc2: yes
            """)
        XCTAssertEqual(diagnostics.count, 4, "\(diagnostics)")
        XCTAssertEqual(diagnostics.map(\.line), [4, 5, 6, 7], "`soc2: yes` says the framework applies: no error")
        XCTAssertTrue(diagnostics[0].message.contains("true or false"))
        XCTAssertTrue(diagnostics[1].message.contains("N-years"))
        XCTAssertEqual(metadata.frameworks.count, 2, "the rest is still read")
    }

    func testSpellings() {
        XCTAssertEqual(ReviewFrequency(parsing: "semi_annually"), .semiAnnual)
        XCTAssertEqual(ReviewFrequency(parsing: "Bi-Annual"), .semiAnnual)
        XCTAssertEqual(ReviewFrequency(parsing: "yearly"), .annual)
        XCTAssertEqual(ReviewFrequency(parsing: "every 3 months"), .quarterly)
        XCTAssertNil(ReviewFrequency(parsing: "sometimes"))
        XCTAssertEqual(RetentionPeriod(parsing: "1-year"), RetentionPeriod(amount: 1, unit: .years))
        XCTAssertEqual(RetentionPeriod(parsing: "30d"), RetentionPeriod(amount: 30, unit: .days))
        XCTAssertNil(RetentionPeriod(parsing: "0-years"))
        // At most 1000 years, in any unit: no calendar date ends a longer one.
        XCTAssertEqual(RetentionPeriod(parsing: "1000-years"), RetentionPeriod(amount: 1000, unit: .years))
        XCTAssertEqual(RetentionPeriod(parsing: "12000-months"), RetentionPeriod(amount: 12000, unit: .months))
        XCTAssertEqual(RetentionPeriod(parsing: "366000-days"), RetentionPeriod(amount: 366000, unit: .days))
        for text in [
            "1001-years", "12001-months", "366001-days", "4611686018427387904-years", "9223372036854775807-days",
        ] {
            XCTAssertNil(RetentionPeriod(parsing: text), text)
        }
        XCTAssertNil(RetentionPeriod(parsing: "years"))
    }
}
