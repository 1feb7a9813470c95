import Foundation
import RISKit
import RISStore

/// What a listing workflow found, and how many matches it left out because their reads
/// could not be logged (a read-only knowledge base).
public struct Listing<Item: Sendable>: Sendable {
    public var items: [Item]
    /// Audited records that matched but are not in `items`: `.ris` cannot be written, so
    /// their reads cannot be logged.
    public var withheld: Int
    /// What the person should know about how the items were found (a search's fallbacks).
    public var notes: [String] = []
    /// How many there are in all, when `limit` left some out and the caller asked to count
    /// (for "20 of 143"); nil when not counted.
    public var total: Int?
}

/// A record read afresh from its file (the markdown is the truth), with its index entry.
public struct ShownRecord: Sendable {
    public var entry: IndexedDocument
    public var document: RISDocument
    /// The body's sections in reading order, with their text as written.
    public var sections: [RecordSection]
    /// The file as it was read (invalid UTF-8 replaced).
    public var text: String
}

extension KnowledgeBaseSession {
    /// Records for what a person typed (`IndexStore.find`: all the words, then part-words, then
    /// most of the words, with spelling suggestions in `notes`), best first. Every hit tells of its record
    /// (a snippet shows content; a bare path still says it matched): reads of audited records
    /// are logged in every format.
    /// `snippets: false` for an output that shows none (it spares FTS5's snippet work);
    /// `counting: true` for one that says "20 of 143" (`IndexStore.find` counts when the list is full).
    public func search(
        _ query: String, filters: SearchFilters = SearchFilters(), limit: Int = 20, refresh: Bool = true,
        snippets: Bool = true, counting: Bool = false
    ) throws -> Listing<SearchHit> {
        let store = try index(refresh: refresh, trustingInterval: true)
        let found = try WorkflowError.mapping {
            try store.find(query, filters: filters, limit: limit, snippets: snippets, counting: counting)
        }
        var listing = try logged(found.hits, .search, in: store)
        listing.notes = found.notes
        listing.total = found.total
        return listing
    }

    /// The records most like the one `reference` names, with the same logging as `search`.
    public func similar(
        to reference: String, filters: SearchFilters = SearchFilters(), limit: Int = 10, refresh: Bool = true
    ) throws -> Listing<SearchHit> {
        try similar(
            to: try resolve(reference, refresh: refresh, trustingInterval: true), filters: filters, limit: limit)
    }

    /// `similar` to a record already resolved (its index entry).
    public func similar(to entry: IndexedDocument, filters: SearchFilters = SearchFilters(), limit: Int = 10) throws
        -> Listing<SearchHit>
    {
        let store = try index(refresh: false)
        let (document, read) = base.record(at: entry.path)
        // The record's words are what the others are compared with: an audited one is read, and logged first.
        try access.log(.similar, document, path: entry.path, data: read ?? Data())
        let hits = try store.similar(to: document, excluding: entry.path, filters: filters, limit: limit)
        return try logged(hits, .similar, in: store)
    }

    /// Records by metadata only (ID, title, dates, path): nothing to log. `counting: true`
    /// says in `total` how many pass the filters when `limit` left some out.
    public func list(
        filters: SearchFilters = SearchFilters(), sort: ListSort = .date, limit: Int? = nil, refresh: Bool = true,
        counting: Bool = false
    ) throws -> Listing<SearchHit> {
        let store = try index(refresh: refresh, trustingInterval: true)
        var listing = Listing(items: try store.list(filters: filters, sort: sort, limit: limit), withheld: 0)
        if counting, let limit, listing.items.count >= limit { listing.total = try store.count(filters: filters) }
        return listing
    }

    /// One record, read afresh from its file; an audited one is logged first.
    public func show(_ reference: String, refresh: Bool = true) throws -> ShownRecord {
        try show(try resolve(reference, refresh: refresh, trustingInterval: true))
    }

    /// `show` of a record already resolved (its index entry).
    public func show(_ entry: IndexedDocument) throws -> ShownRecord {
        let (document, read) = base.record(at: entry.path)
        try access.log(.show, document, path: entry.path, data: read ?? Data())
        return ShownRecord(
            entry: entry, document: document, sections: document.sectionTexts(from: read ?? Data()),
            text: String(decoding: read ?? Data(), as: UTF8.self))
    }

    private func logged(_ hits: [SearchHit], _ action: AccessAction, in store: IndexStore) throws -> Listing<SearchHit>
    {
        try access.listing(hits, path: \.path, action, in: store, checkingFiles: trustedLastRefresh)
    }
}
