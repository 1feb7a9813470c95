import Foundation
import RISKit

extension KnowledgeBaseSession {
    /// The paths among `paths` whose content coding agents (`ris mcp`) are not given: records
    /// that require encryption (`AccessPolicy.requiresEncryption`, as the index read them),
    /// unless the configuration allows them (`mcp: {allow-encryption-required: true}`).
    public func withheldFromAgents(among paths: [String]) throws -> Set<String> {
        guard !base.config.mcpAllowsEncryptionRequired, !paths.isEmpty else { return [] }
        return try WorkflowError.mapping { try index(refresh: false).encryptionRequired(among: paths) }
    }

    /// Whether coding agents are kept from `document`'s content (see `withheldFromAgents`).
    public func isWithheldFromAgents(_ document: RISDocument) -> Bool {
        !base.config.mcpAllowsEncryptionRequired && AccessPolicy.requiresEncryption(document)
    }
}
