/// Why an operation of the domain could not be done: the one public error type of RISKit.
/// `kind` says what happened (the workflows map it to an exit status in one place);
/// `description` says it to a person.
public struct RISKitError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Hashable {
        /// A path leads outside the knowledge base or into `.ris` (a usage error).
        case outside
        /// The file or folder cannot be read or written as asked; nothing was written.
        case refused
        /// The file changed between its read and the edit's write (the edit is retried).
        case changedMeanwhile
        /// Another program kept writing the file: the edit gave up.
        case keptChanging
        /// A template nested or sized past the limits.
        case templateTooLarge
        /// A new record cannot be made from what was given (title, severity, date, template).
        case invalidRecord
        case invalidQuarter
        /// A file's bytes could not be had (missing, too large, not a regular file).
        case unreadable
        case hotPatternNotFound
        /// More than one hot pattern matches (a usage error); `candidates` lists them.
        case hotPatternAmbiguous
    }

    public var kind: Kind
    public var description: String
    /// The patterns an ambiguous query matched.
    public var candidates: [HotPattern] = []

    public init(_ kind: Kind, _ description: String, candidates: [HotPattern] = []) {
        self.kind = kind
        self.description = description
        self.candidates = candidates
    }

    /// A refusal of the confined folder: `outside` when the path leads out of the knowledge base.
    static func refusal(_ description: String, outside: Bool = false) -> RISKitError {
        RISKitError(outside ? .outside : .refused, description)
    }

    /// Whether the request itself cannot be carried out as asked (exit 2), not a failure.
    public var isUsage: Bool { kind == .outside || kind == .hotPatternAmbiguous }
}
