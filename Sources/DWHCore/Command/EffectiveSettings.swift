import Foundation

/// Every setting dwh uses, with its value and where it came from, for `dwh config show`.
public struct EffectiveSettings: Sendable {
    public struct Setting: Sendable, Equatable {
        public var name: String
        /// Already masked when the setting is a secret.
        public var value: String
        public var origin: String
    }

    public var settings: [Setting]
    public var warnings: [String]

    public init(target: DatabaseTarget, config: ConfigFile?, configPath: String) {
        var settings: [Setting] = []
        settings.append(Setting(name: "database", value: target.summary, origin: target.source.description))
        settings.append(Setting(name: "dialect", value: target.dialect.rawValue,
                                origin: target.dialect == .redshift ? "Redshift host name" : "default; confirmed on connect"))
        if let config {
            for entry in config.entries {
                let secret = ConfigSchema.isSecret(section: entry.section, key: entry.key)
                // As dwh uses it: interpolated.
                let used = config.value(entry.section, entry.key)?.value ?? entry.value
                let value = used.isEmpty ? "(empty)" : (secret ? Secrets.mask : used)
                settings.append(Setting(name: "\(entry.section).\(entry.key)", value: value,
                                        origin: "\(config.path):\(entry.line)"))
            }
        } else {
            settings.append(Setting(name: "config file", value: "(none)", origin: "\(configPath) does not exist"))
        }
        self.settings = settings
        var warnings: [String] = []
        if let config {
            warnings += ConfigSchema.warnings(for: config)
            if let permission = ConfigSchema.permissionWarning(for: config) { warnings.append(permission) }
        }
        self.warnings = warnings
    }
}
