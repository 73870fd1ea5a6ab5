// Compile-ready XCTest suite for the foundation API. It cannot run on the
// project's Linux build machine (no Swift toolchain); run it on a Mac with
// `cargo xtask bindings && cd bindings/swift && swift test`.
import Foundation
import XCTest
@testable import PushCore

final class RecordingLogger: LogForwarder, @unchecked Sendable {
    private let lock = NSLock()
    private var records: [LogRecord] = []

    func log(record: LogRecord) {
        lock.lock(); defer { lock.unlock() }
        records.append(record)
    }

    var all: [LogRecord] {
        lock.lock(); defer { lock.unlock() }
        return records
    }
}

enum TestSupport {
    /// The repository's documented example configuration.
    static func exampleConfigJson() throws -> String {
        let repo = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent() // PushCoreTests
            .deletingLastPathComponent() // Tests
            .deletingLastPathComponent() // swift
            .deletingLastPathComponent() // bindings
            .deletingLastPathComponent() // repository root
        return try String(contentsOf: repo.appendingPathComponent("docs/example-config.json"), encoding: .utf8)
    }

    static func exampleConfig() throws -> PushConfig {
        try pushConfigFromJson(json: exampleConfigJson())
    }

    static func tempDir() -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pushcore-\(UUID().uuidString)")
        return dir.path
    }
}

final class FoundationTests: XCTestCase {
    func testVersionIsNotEmpty() {
        XCTAssertFalse(coreVersion().isEmpty)
    }

    func testConstructorBuildsACoreFromTheExampleConfig() throws {
        let dir = TestSupport.tempDir()
        let core = try PushCore(config: TestSupport.exampleConfig(), storageDir: dir)
        XCTAssertEqual(core.version(), coreVersion())
        XCTAssertEqual(core.config().channels.oppo?.businessId, 10004)
        var isDir: ObjCBool = false
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) && isDir.boolValue)
    }

    func testInvalidConfigThrowsATypedErrorWithEveryProblem() throws {
        var config = try TestSupport.exampleConfig()
        config.channels.oppo?.appSecret = nil
        config.retry.jitter = 3.0
        XCTAssertThrowsError(try PushCore(config: config, storageDir: TestSupport.tempDir())) { error in
            guard case let PushError.InvalidConfig(problems) = error else {
                return XCTFail("expected InvalidConfig, got \(error)")
            }
            XCTAssertEqual(problems, [
                "channels.oppo.app_secret is missing",
                "retry.jitter must be between 0.0 and 1.0",
            ])
            XCTAssertEqual((error as? PushError)?.code, "invalid_config")
        }
    }

    func testBadJsonIsATypedError() {
        XCTAssertThrowsError(try pushConfigFromJson(json: "{\"chanels\": {}}")) { error in
            guard case PushError.InvalidInput = error else {
                return XCTFail("expected InvalidInput, got \(error)")
            }
        }
    }

    func testInstalledLoggerReceivesRecords() throws {
        let logger = RecordingLogger()
        setLogForwarder(forwarder: logger, level: .info)
        defer { setLogForwarder(forwarder: nil, level: .error) }
        _ = try PushCore(config: TestSupport.exampleConfig(), storageDir: TestSupport.tempDir())
        let ready = logger.all.filter { $0.message.contains("ready") }
        XCTAssertEqual(ready.count, 1)
        XCTAssertEqual(ready.first?.level, .info)
    }
}
