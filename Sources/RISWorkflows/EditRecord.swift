import Foundation
import RISKit

/// A record as the editor left it.
public struct EditedRecord: Sendable {
    /// The record's path, relative to the knowledge base.
    public var path: String
    /// Whether its bytes differ from before the editor opened it.
    public var changed: Bool
    /// The record read again; its `diagnostics` say what to fix.
    public var document: RISDocument
}

extension KnowledgeBaseSession {
    /// Opens the record `reference` names in an editor, then reads it again: `editor` is
    /// given the file's URL and returns once the editor has closed (or throws). The opening of
    /// an audited record is logged as a read, and a change as a write (audited before or
    /// after the edit); the index is brought up to date.
    public func edit(_ reference: String, with editor: (URL) throws -> Void) throws -> EditedRecord {
        let entry = try resolve(reference, refresh: true, trustingInterval: false)
        let (before, bytesBefore) = base.record(at: entry.path)
        try access.log(.edit, before, path: entry.path, data: bytesBefore ?? Data())
        // The file is compared even when the editor failed: a change it saved before failing
        // (or being interrupted) is logged all the same.
        var editorFailure: Error?
        do { try editor(base.root.appendingPathComponent(entry.path)) } catch { editorFailure = error }
        let (after, bytesAfter) = base.record(at: entry.path)
        let changed = bytesAfter != bytesBefore
        if changed {
            try access.log(
                .editWritten, access.isAudited(before) ? before : after, path: entry.path, data: bytesAfter ?? Data())
            refreshAfterWrite()
        }
        if let editorFailure { throw editorFailure }
        return EditedRecord(path: entry.path, changed: changed, document: after)
    }
}
