/// How a load behaves.
public struct LoadOptions: Equatable, Sendable {
    /// Bad records to skip (and record) before the load fails as a whole.
    public var maxErrors: Int
    /// Empty staging and the manifest first, then load every file.
    public var fullRefresh: Bool
    /// What the sources hold, if counted first (`StagingLoader.survey`), for the ETA.
    public var expected: LoadSurvey?
    /// Remove the rows of recorded files gone from the sources (and what the transform
    /// made of them), instead of only reporting them.
    public var prune: Bool

    public init(maxErrors: Int = 0, fullRefresh: Bool = false, expected: LoadSurvey? = nil, prune: Bool = false) {
        self.maxErrors = maxErrors
        self.fullRefresh = fullRefresh
        self.expected = expected
        self.prune = prune
    }
}
