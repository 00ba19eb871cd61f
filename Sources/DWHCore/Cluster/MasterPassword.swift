/// A master password that dwh makes for `dwh cluster up` when dwh.cfg names none and Secrets
/// Manager does not keep one: 32 letters and digits, at least one of each kind Redshift asks
/// for (an upper-case letter, a lower-case letter, a digit), from the system's secure random
/// source. Letters and digits alone, so that it needs no quoting in dwh.cfg, a connection
/// string or a shell.
public enum MasterPassword {
    static let upper = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    static let lower = Array("abcdefghijklmnopqrstuvwxyz")
    static let digits = Array("0123456789")

    public static func generate(length: Int = 32) -> String {
        var random = SystemRandomNumberGenerator()
        let all = upper + lower + digits
        var characters = [upper, lower, digits].map { $0.randomElement(using: &random)! }
        while characters.count < max(length, 8) { characters.append(all.randomElement(using: &random)!) }
        characters.shuffle(using: &random)
        return String(characters)
    }
}
