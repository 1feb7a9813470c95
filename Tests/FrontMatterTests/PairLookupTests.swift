import XCTest

@testable import FrontMatter

/// `YAMLNode.pair(for:)` looks keys up in one pass over their normalised names; it must find what
/// the rule says: the key written exactly as asked, else the first with the same normalised name.
final class PairLookupTests: XCTestCase {
    private static let at = SourcePosition(line: 1, column: 1)

    private static func mapping(_ keys: [(String, YAMLNode.ScalarKind)]) -> YAMLNode {
        YAMLNode(
            .mapping(
                keys.enumerated().map { offset, key in
                    YAMLPair(
                        key: YAMLNode(.scalar(key.0, key.1), at: at),
                        value: YAMLNode(.scalar("\(offset)", .integer), at: at))
                }), at: at)
    }

    /// The rule, written plainly: exact text first, then the normalised name.
    private static func reference(_ node: YAMLNode, _ key: String) -> String? {
        let pairs = node.pairs ?? []
        if let exact = pairs.first(where: { $0.key.scalarText == key }) { return exact.value.scalarText }
        let wanted = YAMLNode.normalizedKey(key)
        return pairs.first(where: { $0.normalizedKey == wanted })?.value.scalarText
    }

    func testTheExactKeyWinsThenTheFirstOfTheSameName() {
        let node = PairLookupTests.mapping([
            ("retention_period", .string), ("retention-period", .string), ("retentionPeriod", .string), ("~", .null),
        ])
        XCTAssertEqual(node["retention-period"]?.scalarText, "1")
        XCTAssertEqual(node["retentionPeriod"]?.scalarText, "2")
        XCTAssertEqual(node["Retention Period"]?.scalarText, "0")
        XCTAssertNil(node["review-frequency"])
        XCTAssertNil(node["~"], "a null key is no key")
    }

    func testLookupsFollowTheRuleOnRandomMappings() {
        let names = [
            "title", "Title", "retention-period", "retention_period", "retentionPeriod", "Retention Period", "phi",
            "PHI", "review-frequency", "reviewFrequency", "~", "", "tags",
        ]
        var generator = SystemRandomNumberGenerator()
        var found = 0
        for round in 0..<5_000 {
            let keys = (0..<Int.random(in: 0...6, using: &generator)).map { _ -> (String, YAMLNode.ScalarKind) in
                let name = names.randomElement(using: &generator)!
                return (name, name == "~" ? .null : .string)
            }
            let node = PairLookupTests.mapping(keys)
            for key in names where key != "~" {
                let expected = PairLookupTests.reference(node, key)
                XCTAssertEqual(node[key]?.scalarText, expected, "round \(round): \(keys) [\(key)]")
                if expected != nil { found += 1 }
            }
        }
        XCTAssertGreaterThan(found, 10_000)
    }
}
