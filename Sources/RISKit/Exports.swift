// The document model's public API is made of FrontMatter's types (Diagnostic, ComplianceMetadata,
// YAMLNode...): whoever uses RISKit uses them through it, without reaching past it.
@_exported import FrontMatter
