/// A count with its noun, singular for one: `1 row`, `2 rows`, `0 files`. Every count
/// dwh prints goes through here, so none reads "wrote 1 rows".
public enum Plural {
    public static func count(_ number: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(number) " + (number == 1 ? singular : plural ?? singular + "s")
    }
}
