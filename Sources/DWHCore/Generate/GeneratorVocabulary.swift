/// A small, seedable PRNG (splitmix64): the same seed gives the same data on every
/// machine and Swift version, which `SystemRandomNumberGenerator` never promises.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `0..<bound` (the slight modulo bias is irrelevant for test data).
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    mutating func chance(_ probability: Double) -> Bool {
        Double(next() >> 11) / Double(1 << 53) < probability
    }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

/// Words and shapes the generator draws from. Strings are JSON text as it appears in the
/// real files, escapes included: `\u00e9` in song files, the double-encoded
/// `\u00c3\u0083\u00c2\u00a9` in event logs, `\/` for slashes.
enum GeneratorVocabulary {
    static let words = ["Love", "Night", "Fire", "Blue", "Heart", "Rain", "Dream", "City", "Road", "Shadow", "Gold",
                        "River", "Echo", "Storm", "Silver", "Summer", "Ghost", "Wild", "Stone", "Light", "Ocean",
                        "Dance", "Electric", "Midnight", "Paper", "Broken", "Sweet", "Velvet", "Neon", "Thunder"]
    static let titleSuffixes = ["", "", "", " (Album Version)", " (Live)", " (Remix)", " (Feat: Slick Rick)", " (Radio Edit)"]
    static let artistForms = ["The %", "% Band", "%", "% & The Crew", "DJ %", "% feat. Chris Brown"]
    /// Names as song files write them (plain or single `\u` escapes).
    static let songNames = ["Caf\\u00e9 Tacuba", "Mot\\u00f6rhead", "Bj\\u00f6rk", "Sigur R\\u00f3s"]
    /// The same kind of names as the event logs write them: UTF-8 encoded twice.
    static let eventNames = ["Beyonc\\u00c3\\u0083\\u00c2\\u00a9", "M\\u00c3\\u0083\\u00c2\\u00bam",
                             "Markus Kruneg\\u00c3\\u0083\\u00c2\\u00a5rd", "Esm\\u00c3\\u0083\\u00c2\\u00a9e Denters \\/ Justin Timberlake"]
    static let firstNames = ["Jayden", "Jacob", "Aleena", "Kate", "Lily", "Chloe", "Tegan", "Mohammad", "Ryan", "Avery",
                             "Matthew", "Jordan", "Layla", "Sara", "Kinsley", "Cecilia", "Ren\\u00c3\\u00a9e", "Elijah"]
    static let lastNames = ["Bell", "Klein", "Vaughn", "Harrell", "Koch", "Cruz", "Levine", "Rodriguez", "Smith",
                            "Williams", "Jones", "Brown", "Garrison", "Owens", "Cook", "Young", "Moore", "Allen"]
    static let locations = ["Dallas-Fort Worth-Arlington, TX", "Tampa-St. Petersburg-Clearwater, FL",
                            "San Francisco-Oakland-Hayward, CA", "Portland-South Portland, ME", "Chicago-Naperville-Elgin, IL-IN-WI",
                            "New York-Newark-Jersey City, NY-NJ-PA", "Lansing-East Lansing, MI", "Atlanta-Sandy Springs-Roswell, GA"]
    static let artistLocations = ["", "", "", "Hamtramck, MI", "London, England", "Brooklyn, NY", "Reykjav\\u00edk, Iceland"]
    /// User agents; about three in four are wrapped in literal quotes, as in the real logs.
    static let userAgents = [
        "\\\"Mozilla\\/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit\\/537.78.2 (KHTML, like Gecko) Version\\/7.0.6 Safari\\/537.78.2\\\"",
        "\\\"Mozilla\\/5.0 (Windows NT 6.1; WOW64) AppleWebKit\\/537.36 (KHTML, like Gecko) Chrome\\/36.0.1985.143 Safari\\/537.36\\\"",
        "\\\"Mozilla\\/5.0 (X11; Linux x86_64) AppleWebKit\\/537.36 (KHTML, like Gecko) Ubuntu Chromium\\/36.0.1985.125 Chrome\\/36.0.1985.125 Safari\\/537.36\\\"",
        "Mozilla\\/5.0 (compatible; MSIE 10.0; Windows NT 6.2; WOW64; Trident\\/6.0)",
    ]
    /// Pages other than NextSong, with the HTTP method and status the logs show for them.
    static let otherPages: [(page: String, method: String, status: Int)] = [
        ("Home", "GET", 200), ("Home", "GET", 200), ("Home", "GET", 200), ("Login", "PUT", 307), ("Logout", "PUT", 307),
        ("Settings", "GET", 200), ("Help", "GET", 200), ("About", "GET", 200), ("Downgrade", "GET", 200),
        ("Upgrade", "GET", 200), ("Save Settings", "PUT", 307), ("Error", "GET", 404),
    ]
    static let idAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)
}
