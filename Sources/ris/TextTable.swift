import RISWorkflows

/// A table for people, the one place cells are measured, cut and padded: every cell escaped
/// (text from records is untrusted), widths in terminal columns (`DisplayWidth`), and the
/// whole fitted to the terminal's width by cutting the widest column with `…`.
struct TextTable {
    /// Column headings, in capitals by convention.
    var header: [String]
    var rows: [[String]] = []
    /// The widest each column is drawn when the terminal's width is not known (a pipe): one
    /// long title does not push the other columns off. nil: no limit.
    var limits: [Int?]
    /// Columns of numbers, aligned right.
    var rightAligned: Set<Int> = []

    static let separator = "  "

    init(header: [String], limits: [Int?]? = nil, rightAligned: Set<Int> = []) {
        self.header = header
        self.limits = limits ?? header.map { _ in nil }
        self.rightAligned = rightAligned
    }

    /// The width of each column for a terminal of `width` columns (nil: not known).
    func columnWidths(fitting width: Int?) -> [Int] {
        var widths = header.indices.map { column in
            ([header] + rows).map { Terminal.width($0[column]) }.max() ?? 0
        }
        guard let width else {
            return zip(widths, limits).map { natural, limit in limit.map { min(natural, $0) } ?? natural }
        }
        // Narrow the widest column, down to the width of the next widest or of its heading,
        // until the table fits (or nothing can give way: the terminal wraps what is left).
        let floors = header.map { max(3, Terminal.width($0)) }
        var excess = widths.reduce(0, +) + Self.separator.count * (widths.count - 1) - width
        while excess > 0 {
            let candidates = widths.indices.filter { widths[$0] > floors[$0] }
            guard let widest = candidates.max(by: { widths[$0] < widths[$1] }) else { break }
            let next = candidates.filter { $0 != widest }.map { widths[$0] }.max() ?? 0
            let step = max(1, min(excess, widths[widest] - max(floors[widest], next)))
            widths[widest] -= step
            excess -= step
        }
        return widths
    }

    /// The heading and each row as lines, with `widths` from `columnWidths`. The last column
    /// is not padded (no trailing spaces). Cells are escaped here.
    func lines(widths: [Int]) -> (header: String, rows: [String]) {
        func line(_ cells: [String]) -> String {
            cells.indices.map { column in
                let cell = cells[column]
                if column == cells.count - 1 && !rightAligned.contains(column) {
                    return Terminal.clipped(cell, to: widths[column])
                }
                if rightAligned.contains(column) {
                    let clipped = Terminal.clipped(cell, to: widths[column])
                    return String(repeating: " ", count: max(0, widths[column] - DisplayWidth.of(clipped))) + clipped
                }
                return Terminal.padded(cell, to: widths[column])
            }.joined(separator: Self.separator)
        }
        return (line(header), rows.map(line))
    }

    /// The whole table, the heading in bold when `color`.
    func rendered(width: Int? = Terminal.columns, color: Bool = Terminal.colorOnStandardOutput) -> String {
        let (heading, body) = lines(widths: columnWidths(fitting: width))
        return ([Terminal.paint(heading, "1", when: color)] + body).joined(separator: "\n")
    }
}
