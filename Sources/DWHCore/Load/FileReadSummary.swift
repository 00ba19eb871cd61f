/// What reading one file produced besides its rows (`RecordReader.read`): what its
/// manifest row records (`ManifestRow`) and the load counts.
struct FileReadSummary: Equatable {
    var rows = 0
    var badRecords = 0
    var bytes: Int64 = 0
    var hash: UInt64 = 0
}
