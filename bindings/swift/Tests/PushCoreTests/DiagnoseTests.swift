// Compile-ready XCTest suite for diagnostics, written against the generated
// Swift API (`cargo xtask bindings`). It cannot run on the project's Linux
// build machine (no Swift toolchain); run it on a Mac with
// `cargo xtask bindings && cd bindings/swift && swift test`.
// TestSupport is defined in FoundationTests.swift.
import Foundation
import XCTest
@testable import PushCore

final class DiagnoseTests: XCTestCase {
    private func iphone(_ environment: ApnsEnvironment?) -> DeviceInfo {
        DeviceInfo(
            os: .ios, brand: "apple", manufacturer: "apple", model: "iPhone15,2",
            sdkInt: 0, osVersion: "17.4", romProperties: [:],
            playServicesAvailable: false, hmsAvailable: false,
            notificationsEnabled: true, apnsEnvironment: environment
        )
    }

    private func oppo(sdkInt: UInt32) -> DeviceInfo {
        DeviceInfo(
            os: .android, brand: "OPPO", manufacturer: "OPPO", model: "CPH1803",
            sdkInt: sdkInt, osVersion: "8.0", romProperties: ["ro.build.version.opporom": "V5.0"],
            playServicesAvailable: true, hmsAvailable: false,
            notificationsEnabled: true
        )
    }

    private func registered(_ channel: PushChannel, businessId: UInt64) -> RegistrationState {
        RegistrationState(
            phase: .registered, userId: "alice", channel: channel, businessId: businessId,
            session: 1, attempt: 0, lastError: nil, noChannelReason: nil,
            notificationsEnabled: true, clearing: false
        )
    }

    private func codes(_ report: DiagnosisReport) -> [String] {
        report.findings.map { $0.code }
    }

    func testARegisteredIPhoneGetsNoErrors() throws {
        let config = try TestSupport.exampleConfig()
        let report = diagnose(
            device: iphone(.production), config: config,
            state: registered(.apns, businessId: 30002)
        )
        XCTAssertEqual(report.channel, .apns)
        XCTAssertEqual(report.businessId, 30002)
        XCTAssertTrue(report.stateChecked)
        XCTAssertEqual(codes(report), ["redirect_config_advice", "badge_method_advice"])
        XCTAssertTrue(report.findings.allSatisfy { $0.severity == .advice })
    }

    func testADevelopmentBuildReportedWithTheProductionIdIsAMismatch() throws {
        let config = try TestSupport.exampleConfig()
        let report = diagnose(
            device: iphone(.development), config: config,
            state: registered(.apns, businessId: 30002)
        )
        let mismatch = report.findings.filter { $0.code == "apns_environment_mismatch" }
        XCTAssertEqual(mismatch.count, 1)
        XCTAssertEqual(mismatch.first?.severity, .error)
        XCTAssertEqual(report.findings.first?.code, "apns_environment_mismatch", "errors come first")
        XCTAssertFalse(mismatch.first?.fix.isEmpty ?? true)
    }

    func testAnIPhoneWithoutApnsIdsAndALoggedOutState() throws {
        var config = try TestSupport.exampleConfig()
        config.apns = ApnsConfig()
        let loggedOut = RegistrationState(
            phase: .loggedOut, userId: nil, channel: nil, businessId: nil,
            session: 2, attempt: 0, lastError: nil, noChannelReason: nil,
            notificationsEnabled: nil, clearing: false
        )
        let report = diagnose(device: iphone(.development), config: config, state: loggedOut)
        XCTAssertNil(report.channel)
        for code in ["no_channel_available", "missing_business_id", "not_logged_in"] {
            XCTAssertTrue(codes(report).contains(code), "\(code) in \(codes(report))")
        }
    }

    func testAnOppoOnAndroid8WithoutChannelIdAndTheText() throws {
        var config = try TestSupport.exampleConfig()
        config.channels.oppo?.channelId = nil
        let report = diagnose(device: oppo(sdkInt: 26), config: config, state: nil)
        XCTAssertFalse(report.stateChecked)
        XCTAssertEqual(report.findings.first?.code, "oppo_channel_id_required")
        XCTAssertEqual(report.findings.first?.severity, .error)
        let older = diagnose(device: oppo(sdkInt: 25), config: config, state: nil)
        XCTAssertFalse(codes(older).contains("oppo_channel_id_required"))
        let text = diagnosisReportText(report: report)
        XCTAssertTrue(text.hasPrefix("channel: oppo (business id 10004)"), text)
        XCTAssertTrue(text.contains("[error] oppo_channel_id_required"), text)
    }

    func testTheCoreDiagnosesWithItsOwnConfigAndState() throws {
        let core = try PushCore(config: try TestSupport.exampleConfig(), storageDir: TestSupport.tempDir())
        let report = core.diagnose(device: oppo(sdkInt: 34))
        XCTAssertTrue(report.stateChecked)
        XCTAssertEqual(report.channel, .oppo)
        // Registration was not started: the live state is "logged out".
        XCTAssertEqual(report.findings.filter { $0.severity == .error }.map { $0.code }, ["not_logged_in"])
    }
}
