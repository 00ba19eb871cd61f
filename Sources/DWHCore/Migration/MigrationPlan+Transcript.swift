/// The plan as the SQL the migrator sends, in order: what `dwh migrate plan` prints.
extension MigrationPlan {
    public var transcript: String {
        var out: [String] = []
        let count = steps.count
        out.append("-- \(count) migration\(count == 1 ? "" : "s") to \(direction == .down ? "revert" : "apply") on \(dialect.rawValue)")
        guard count > 0 else { return out.joined(separator: "\n") + "\n" }
        if dialect == .postgres {
            out.append(Self.terminated(TrackerSQL.tryLockPostgres) + "  -- $1 = \(TrackerSQL.advisoryLockKey); false when another run holds it, then:")
            out.append(Self.terminated(TrackerSQL.lockPostgres) + "  -- wait for it; held for the whole run")
        }
        if direction == .up { out.append(Self.terminated(TrackerSQL.create)) }
        for step in steps {
            out.append("")
            out.append("-- \(step.path) (\(step.direction.rawValue)\(step.transactional ? "" : ", no transaction"))")
            if step.transactional {
                out.append("BEGIN;")
                if dialect == .redshift { out.append(Self.terminated(TrackerSQL.lockRedshift)) }
            }
            out.append(Self.terminated(TrackerSQL.isApplied) + "  -- $1 = \(step.version); skip if another run got here first")
            out.append(contentsOf: step.sql.statements.map { Self.terminated($0.sql) })
            if step.direction == .up {
                out.append(Self.terminated(TrackerSQL.insert))
                out.append("  -- $1 = \(step.version), $2 = '\(step.description)', $3 = '\(step.script)', "
                    + "$4 = '\(step.checksum)', $5 = '\(dialect.rawValue)', $6 = the user, $7 = now, $8 = elapsed ms")
            } else {
                out.append(Self.terminated(TrackerSQL.delete) + "  -- $1 = \(step.version)")
            }
            if step.transactional { out.append("COMMIT;") }
        }
        if dialect == .postgres {
            out.append("")
            out.append(Self.terminated(TrackerSQL.unlockPostgres))
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// Whether the plan reverts (all its steps go down) or applies.
    public var direction: MigrationFile.Direction {
        steps.first?.direction ?? .up
    }

    private static func terminated(_ statement: SQLStatement) -> String {
        terminated(statement.sql)
    }

    private static func terminated(_ sql: String) -> String {
        sql.hasSuffix(";") ? sql : sql + ";"
    }
}
