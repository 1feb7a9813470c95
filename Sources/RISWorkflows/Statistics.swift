import Foundation
import RISKit
import RISStore

extension KnowledgeBaseSession {
    /// What the knowledge base says about operations (`IncidentStatistics`), for the records
    /// the filters keep: incidents (`kind` ris) unless the filters name another kind. Counts,
    /// IDs, titles and dates are listing metadata, as `list` shows: nothing is logged. The hot
    /// patterns' hits come from the hit log and are not filtered (it holds no record's facts).
    /// `today` is the day ages and hit windows end; lists are cut to `top` items.
    public func stats(
        filters: SearchFilters = SearchFilters(), today: CalendarDay, top: Int = 10, refresh: Bool = true
    ) throws -> IncidentStatistics {
        var filters = filters
        if filters.kind == nil { filters.kind = .ris }
        let store = try index(refresh: refresh, trustingInterval: true)
        let facts = try WorkflowError.mapping { try store.incidentFacts(filters: filters, today: today.text, top: top) }
        return IncidentStatistics(facts: facts, hits: base.hits(), today: today, top: top)
    }
}
