import Postgres

extension Transformer {
    /// The step whose last statement lists the names the new tracks bring that may need
    /// repair (`55_new_tracks.sql`).
    static let namesStep = "55_new_tracks"

    /// Records the display form of each listed name that NameRepair changes, one bound
    /// statement (`name_repair.sql`) per name; names left as logged are not recorded, and
    /// 57_tracks.sql shows those as they are. Runs inside the transform's transaction.
    func repairNames(_ names: [String]) throws {
        let file = Self.file("name_repair")
        let script = file.render(for: dialect)
        guard let statement = script.statements.first else { throw TransformError.emptyStep(path: file.path) }
        for name in names {
            guard let repaired = NameRepair.repair(name) else { continue }
            do {
                _ = try Interrupts.shared.cancelling(connection) {
                    try connection.execute(rewrite(statement.sql), [name, repaired])
                }
            } catch let error as PostgresError where error.kind == .server {
                throw script.place(error, of: statement, path: file.path, line: file.line)
            }
        }
    }
}
