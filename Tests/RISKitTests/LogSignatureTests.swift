import RISKit
import XCTest

/// What a pasted log keeps and masks (docs/search.md, "Matching a log").
final class LogSignatureTests: XCTestCase {
    func words(_ text: String) -> [String] { LogSignature.keptWords(of: text) }

    func testWhatVariesBetweenRunsIsMasked() {
        // Timestamps, account IDs, image references and digests, ARNs, UUIDs, IPs and ports, hosts.
        XCTAssertEqual(
            words(
                "2026-03-04T16:22:09.514Z pushed 741852963012.dkr.ecr.us-east-1.amazonaws.com/api:build-5821 "
                    + "sha256:5b1e0c9d8a7f6e5d4c3b2a1908f7e6d5c4b3a2918f7e6d5c4b3a29181f7e6d5c"),
            ["pushed", "sha256"])
        XCTAssertEqual(words("arn:aws:lambda:us-east-1:741852963012:function:api updated"), ["updated"])
        XCTAssertEqual(words("request 8c1e2f3a-4b5c-4d6e-8f70-91a2b3c4d5e6 took 512ms"), ["request", "took"])
        XCTAssertEqual(words("connecting to 10.0.12.7:6379 and [fe80::1ff:fe23:4567:890a]"), ["connecting"])
        XCTAssertEqual(
            words("Error 111 connecting to redis-primary.internal:6379. Connection refused."),
            ["111", "connecting", "connection", "refused"], "an errno after Error is a code")
        XCTAssertEqual(words("GET https://api.example.com/v1/users?id=42 failed"), ["get", "failed"])
        // A one-word host keeps its name, not its port; key=value keeps the key.
        XCTAssertEqual(words("localhost:5432 pid=48213 user=app"), ["localhost", "pid", "user", "app"])
        // A user's home folder goes, the last two parts of a path stay.
        XCTAssertEqual(
            words("File \"/home/alice/src/app/worker.py\", line 707, in connect"),
            ["app", "worker", "py", "in", "connect"].filter { $0 != "in" })
        XCTAssertEqual(
            words("/Users/bob/code/app/worker.py"), words("/home/alice/projects/x/app/worker.py"), "same tail")
        // Hex digests and addresses, numbers with units, long numbered identifiers.
        XCTAssertEqual(
            words("revision a1b2c3d4e5f6 at 0x7ffd3a2b heap 3GiB build-20260302"), ["revision", "heap", "build"])
    }

    func testWhatIdentifiesTheFailureIsKept() {
        let signature = LogSignature(
            """
            An error occurred (InvalidParameterValueException) when calling the UpdateFunctionCode operation
            redis.exceptions.ConnectionError: Error 111
            Error: error:0308010C:digital envelope routines::unsupported ERR_OSSL_EVP_UNSUPPORTED
            HTTP/1.1 503 Service Unavailable
            error TS2307: Cannot find module '@aws-sdk/client-s3'
            No module named 'pydantic_core._pydantic_core'
            """)
        let kept = Dictionary(signature.words.map { ($0.text, $0) }, uniquingKeysWith: { first, _ in first })
        for distinctive in [
            "invalidparametervalueexception", "updatefunctioncode", "connectionerror", "ossl", "evp", "unsupported",
            "503", "ts2307",
        ] {
            XCTAssertEqual(kept[distinctive]?.isDistinctive, true, distinctive)
        }
        XCTAssertEqual(kept["invalidparametervalueexception"]?.display, "InvalidParameterValueException")
        XCTAssertEqual(kept["invalidparametervalueexception"]?.lines, [1])
        XCTAssertEqual(kept["503"]?.lines, [4], "an HTTP status on a line about HTTP")
        XCTAssertEqual(kept["111"]?.isDistinctive, true, "an errno after Error is a code")
        for word in ["redis", "exceptions", "aws", "sdk", "client", "s3", "pydantic", "core"] {
            XCTAssertNotNil(kept[word], word)
        }
        XCTAssertEqual(kept["calling"]?.isDistinctive, false)
        XCTAssertEqual(kept["calling"]?.onErrorLine, true, "line 1 says an error occurred")
        XCTAssertNil(kept["the"], "stop words go")
    }

    func testCodesAndNamesThatLookLikeNumbersHostsOrImages() {
        // Numbers that are codes by the word before them, or by their shape.
        XCTAssertEqual(words("exit code 137"), ["exit", "code", "137"])
        XCTAssertEqual(words("ERROR 1045 (28000): Access denied"), ["1045", "access", "denied"])
        XCTAssertEqual(
            words("ORA-00942: table or view does not exist"), ["ora", "00942", "table", "view", "does", "not", "exist"])
        XCTAssertEqual(
            words("An error occurred (403) when calling the HeadObject operation"),
            ["occurred", "403", "calling", "headobject", "operation"])
        XCTAssertEqual(
            words("GET /health HTTP/1.1 took 450 ms on port 443"), ["get", "health", "http", "took", "port"])
        // Files and frames are not hosts or images.
        XCTAssertEqual(words("./build.sh: Permission denied"), ["build", "sh", "permission", "denied"])
        XCTAssertEqual(words("Dockerfile.dev socket.io"), ["dockerfile", "dev", "socket", "io"])
        XCTAssertEqual(words("./src/components/Button.tsx:12:5"), ["components", "button", "tsx"])
        XCTAssertEqual(
            words("at java.base/java.lang.Thread.run(Thread.java:833)"),
            ["java", "base", "java", "lang", "thread", "thread", "java"])
        // What one run makes up: UUIDs whatever their first digit, pod suffixes, temporary
        // folders, access keys, kubectl's counts, e-mail addresses, image tags.
        XCTAssertEqual(words("request 550e8400-e29b-41d4-a716-446655440000 ok"), ["request"])
        XCTAssertEqual(words("pod api-7d9f8b6c5-x2k4p (x15 over 10m)"), ["pod", "api", "over"])
        XCTAssertEqual(words("/tmp/tmpk2j5x9yq/out AKIAIOSFODNN7EXAMPLE"), ["out"])
        XCTAssertEqual(words("sent by alice@corp.example.com"), ["sent"])
        XCTAssertEqual(words("pulling myorg/api:v2.3.1-rc4"), ["pulling", "myorg", "api"])
        // Pasted from a chat: smart quotes and no-break spaces are not parts of words.
        XCTAssertEqual(
            words("No module named \u{2018}pydantic_core\u{2019}\u{00A0}here"),
            ["no", "module", "named", "pydantic", "core", "here"])
    }

    func testDistinctiveSpellings() {
        let signature = LogSignature("OOMKilled IOError SSLError OSError CRITICAL BUILD FAILURE Killed")
        let distinctive = Dictionary(
            signature.words.map { ($0.text, $0.isDistinctive) }, uniquingKeysWith: { a, _ in a })
        for word in ["oomkilled", "ioerror", "sslerror", "oserror"] { XCTAssertEqual(distinctive[word], true, word) }
        for word in ["critical", "build", "failure", "killed"] { XCTAssertEqual(distinctive[word], false, word) }
    }

    func testTwoRunsOfOneFailureHaveOneSignature() {
        let first = """
            [2026-03-11 02:14:40,902: ERROR/MainProcess] Process 'ForkPoolWorker-3' pid:48213 exited with 'signal 9 (SIGKILL)'
            denied: Your authorization token has expired. Reauthenticate and try again.
            The push refers to repository [209384756102.dkr.ecr.eu-west-1.amazonaws.com/portal-web]
            """
        let second = """
            [2025-12-01 23:01:02,111: ERROR/MainProcess] Process 'ForkPoolWorker-12' pid:7 exited with 'signal 9 (SIGKILL)'
            denied: Your authorization token has expired. Reauthenticate and try again.
            The push refers to repository [998877665544.dkr.ecr.us-west-2.amazonaws.com/portal-web]
            """
        XCTAssertEqual(LogSignature(first).words.map(\.text), LogSignature(second).words.map(\.text))
    }

    func testAHugeInputIsCutAtALineEnd() {
        let line = "ENOTFOUND getaddrinfo failed for the service host\n"
        let text = String(repeating: line, count: LogSignature.maxInputBytes / line.utf8.count + 100)
        let signature = LogSignature(text)
        XCTAssertTrue(signature.truncated)
        XCTAssertEqual(signature.lineCount, LogSignature.maxInputBytes / line.utf8.count)
        XCTAssertEqual(signature.words.first?.text, "enotfound")
        XCTAssertEqual(signature.words.first?.lines.count, LogSignature.maxLinesPerWord)
        XCTAssertFalse(LogSignature("short\n").truncated)
        XCTAssertTrue(LogSignature("").words.isEmpty)
        XCTAssertTrue(LogSignature("\n\n 12:00 \n").words.isEmpty)
    }

    func testAPhraseIsShownAsWritten() throws {
        let signature = LogSignature("  denied: Your authorization token has expired. Reauthenticate\n")
        let line = try XCTUnwrap(signature.lines.first)
        XCTAssertEqual(line.words, ["denied", "authorization", "token", "expired", "reauthenticate"])
        XCTAssertEqual(
            line.span(of: ["authorization", "token", "expired"]).map(String.init), "authorization token has expired")
        XCTAssertNil(line.span(of: ["expired", "authorization"]), "not in that order")
    }

    func testNormalForms() {
        XCTAssertEqual(LogSignature.normalForm("connections"), "connection")
        XCTAssertEqual(LogSignature.normalForm("connecting"), "connect")
        XCTAssertEqual(LogSignature.normalForm("retries"), "retry")
        XCTAssertEqual(LogSignature.normalForm("status"), "status")
        XCTAssertEqual(LogSignature.normalForm("process"), "process")
        XCTAssertEqual(LogSignature.normalForm("ecr"), "ecr")
    }
}
