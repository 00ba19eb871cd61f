@testable import DWHCore
import TestSupport
import XCTest

final class MigrationPlanTests: XCTestCase {
    func file(_ version: Int64, _ up: String = "SELECT 1;", down: String? = "SELECT 0;") throws -> MigrationFile {
        let name = String(format: "%04d_v%d.sql", version, version)
        var text = "-- migrate:up\n\(up)\n"
        if let down { text += "-- migrate:down\n\(down)\n" }
        return try MigrationFile(fileName: name, displayPath: "m/" + name, contents: text)
    }

    func set(_ versions: Int64...) throws -> MigrationSet {
        try MigrationSet(folder: "m", files: versions.map { try file($0) })
    }

    func applied(_ file: MigrationFile, dialect: Dialect = .postgres) -> AppliedMigration {
        AppliedMigration(version: file.version, description: file.description, script: file.fileName,
                         checksum: file.checksum(for: dialect), dialect: dialect.rawValue, appliedAt: "2026-11-24 16:00:00")
    }

    func testPendingVersionsApplyInOrderUpToTarget() throws {
        let files = try set(3, 1, 2, 10)
        let plan = try MigrationPlan.up(files, applied: [applied(files.files[0])], dialect: .postgres)
        XCTAssertEqual(plan.steps.map(\.version), [2, 3, 10])
        XCTAssertEqual(try MigrationPlan.up(files, applied: [], dialect: .postgres, target: 3).steps.map(\.version), [1, 2, 3])
        XCTAssertThrowsError(try MigrationPlan.up(files, applied: [], dialect: .postgres, target: 4)) {
            XCTAssertEqual($0 as? MigrationError, .unknownVersion(4))
        }
        let all = files.files.map { applied($0) }
        XCTAssertEqual(try MigrationPlan.up(files, applied: all, dialect: .postgres).steps, [])
    }

    func testOlderPendingVersionIsRefusedUnlessAllowed() throws {
        let files = try set(1, 2, 3)
        let done = [applied(files.files[0]), applied(files.files[2])]
        XCTAssertThrowsError(try MigrationPlan.up(files, applied: done, dialect: .postgres)) { error in
            XCTAssertEqual(error as? MigrationError, .outOfOrder(pending: ["m/0002_v2.sql"], highestApplied: 3))
            XCTAssertTrue("\(error)".contains("--allow-out-of-order"), "\(error)")
        }
        let plan = try MigrationPlan.up(files, applied: done, dialect: .postgres, allowOutOfOrder: true)
        XCTAssertEqual(plan.steps.map(\.version), [2])
        XCTAssertEqual(MigrationStatus(set: files, applied: done, dialect: .postgres).entries.map(\.state), [.applied, .outOfOrder, .applied])
    }

    func testDriftStopsTheRun() throws {
        let files = try set(1, 2)
        var changed = applied(files.files[0])
        changed.checksum = String(repeating: "0", count: 64)
        XCTAssertThrowsError(try MigrationPlan.up(files, applied: [changed], dialect: .postgres)) {
            XCTAssertEqual($0 as? MigrationError, .drifted(paths: ["m/0001_v1.sql"]))
        }
    }

    private func gone() -> AppliedMigration {
        AppliedMigration(version: 7, description: "gone", script: "0007_gone.sql", checksum: "x", dialect: "postgres", appliedAt: "2026-11-24 16:00:00")
    }

    func testAnAppliedMigrationMissingFromDiskStopsTheRun() throws {
        let files = try set(1, 2)
        XCTAssertThrowsError(try MigrationPlan.up(files, applied: [applied(files.files[0]), gone()], dialect: .postgres)) {
            XCTAssertEqual($0 as? MigrationError, .missingFromDisk(versions: [7]))
        }
    }

    func testStatusShowsDriftedOutOfOrderAndMissingMigrations() throws {
        let files = try set(1, 2)
        var changed = applied(files.files[0])
        changed.checksum = String(repeating: "0", count: 64)
        let status = MigrationStatus(set: files, applied: [changed, gone()], dialect: .postgres)
        XCTAssertEqual(status.entries.map(\.state), [.drifted, .outOfOrder, .missing])
        XCTAssertEqual(status.entries.last?.script, "m/0007_gone.sql")
    }

    func testAChecksumFromTheOtherDialectIsDrift() throws {
        let file = try file(1, "-- dwh:postgres\nSELECT 1;\n-- dwh:end\n-- dwh:redshift\nSELECT 2;\n-- dwh:end")
        let files = try MigrationSet(folder: "m", files: [file])
        XCTAssertEqual(MigrationStatus(set: files, applied: [applied(file, dialect: .redshift)], dialect: .postgres).entries.map(\.state), [.drifted])
        XCTAssertEqual(MigrationStatus(set: files, applied: [applied(file, dialect: .redshift)], dialect: .redshift).entries.map(\.state), [.applied])
    }

    func testDownRevertsLatestOrEverythingAboveTarget() throws {
        let files = try set(1, 2, 3)
        let all = files.files.map { applied($0) }
        XCTAssertEqual(try MigrationPlan.down(files, applied: all, dialect: .postgres).steps.map(\.version), [3])
        XCTAssertEqual(try MigrationPlan.down(files, applied: all, dialect: .postgres, target: 1).steps.map(\.version), [3, 2])
        XCTAssertEqual(try MigrationPlan.down(files, applied: all, dialect: .postgres, target: 0).steps.map(\.version), [3, 2, 1])
        XCTAssertEqual(try MigrationPlan.down(files, applied: all, dialect: .postgres).steps.first?.sql.text, "SELECT 0;\n")
        XCTAssertThrowsError(try MigrationPlan.down(files, applied: [], dialect: .postgres)) {
            XCTAssertEqual($0 as? MigrationError, .nothingApplied)
        }
        XCTAssertEqual(try MigrationPlan.down(files, applied: Array(all.suffix(2)), dialect: .postgres, target: 1).steps.map(\.version), [3, 2],
                       "the target need not be applied itself")
        XCTAssertThrowsError(try MigrationPlan.down(files, applied: all, dialect: .postgres, target: 9)) {
            XCTAssertEqual($0 as? MigrationError, .unknownVersion(9))
        }
    }

    func testDownRefusesIrreversibleOrChangedFiles() throws {
        let oneWay = try file(2, down: nil)
        let files = try MigrationSet(folder: "m", files: [file(1), oneWay])
        XCTAssertThrowsError(try MigrationPlan.down(files, applied: files.files.map { applied($0) }, dialect: .postgres)) {
            XCTAssertEqual($0 as? MigrationError, .notReversible(path: "m/0002_v2.sql"))
        }
        var changed = applied(files.files[1])
        changed.checksum = "different"
        XCTAssertThrowsError(try MigrationPlan.down(files, applied: [applied(files.files[0]), changed], dialect: .postgres)) {
            XCTAssertEqual($0 as? MigrationError, .drifted(paths: ["m/0002_v2.sql"]))
        }
    }

    /// Version 2 was applied with another checksum; version 5 was applied but its file is gone.
    private func repairPlan() throws -> (plan: RepairPlan, files: MigrationSet) {
        let files = try set(1, 2)
        var changed = applied(files.files[1])
        changed.checksum = "old"
        let gone = AppliedMigration(version: 5, description: "gone", script: "0005_gone.sql", checksum: "x", dialect: "postgres")
        return (RepairPlan(set: files, applied: [applied(files.files[0]), changed, gone], dialect: .postgres), files)
    }

    func testRepairPlanRealignsAChangedMigrationToItsFile() throws {
        let (plan, files) = try repairPlan()
        XCTAssertEqual(plan.realign.map(\.version), [2])
        XCTAssertEqual(plan.realign.first?.newChecksum, files.files[1].checksum(for: .postgres))
    }

    func testRepairPlanForgetsAMigrationWhoseFileIsGone() throws {
        XCTAssertEqual(try repairPlan().plan.forget.map(\.version), [5])
    }

    func testRepairPlanOfAnAlignedHistoryIsEmpty() throws {
        let files = try set(1, 2)
        XCTAssertTrue(RepairPlan(set: files, applied: files.files.map { applied($0) }, dialect: .postgres).isEmpty)
    }

    private func oneOfTwoApplied() throws -> MigrationStatus {
        let files = try set(1, 2)
        return MigrationStatus(set: files, applied: [applied(files.files[0])], dialect: .postgres)
    }

    func testStatusFormatsAsATable() throws {
        let table = MigrationStatusFormatter.table(try oneOfTwoApplied()).split(separator: "\n").map(String.init)
        XCTAssertEqual(table.count, 3)
        XCTAssertTrue(table[1].hasPrefix("1        applied  2026-11-24 16:00:00"), table[1])
        XCTAssertTrue(table[2].contains("pending") && table[2].hasSuffix("m/0002_v2.sql"), table[2])
    }

    func testStatusFormatsAsJSON() throws {
        let json = try JSONSerialization.jsonObject(with: Data(MigrationStatusFormatter.json(try oneOfTwoApplied()).utf8)) as? [[String: Any]]
        XCTAssertEqual(json?.map { $0["state"] as? String }, ["applied", "pending"])
        XCTAssertEqual(json?.first?["applied_at"] as? String, "2026-11-24 16:00:00")
    }
}
