/// A grid of terminal cells, each a 2 × 4 block of braille dots (U+2800…U+28FF), with an
/// optional colour per cell: the drawing surface of line and scatter charts in a terminal.
struct BrailleCanvas {
    let columns: Int
    let rows: Int
    /// Dot bits per cell.
    private(set) var bits: [UInt8]
    /// The series that last drew in each cell, or −1.
    private(set) var owners: [Int]

    /// Dots across (2 per cell) and down (4 per cell).
    var dotWidth: Int { columns * 2 }
    var dotHeight: Int { rows * 4 }

    init(columns: Int, rows: Int) {
        self.columns = max(columns, 1)
        self.rows = max(rows, 1)
        bits = [UInt8](repeating: 0, count: self.columns * self.rows)
        owners = [Int](repeating: -1, count: self.columns * self.rows)
    }

    /// Sets the dot at (`x`, `y`), y counted from the top; dots outside are ignored.
    mutating func set(x: Int, y: Int, series: Int) {
        guard x >= 0, y >= 0, x < dotWidth, y < dotHeight else { return }
        let cell = (y / 4) * columns + x / 2
        bits[cell] |= Self.bit(x: x % 2, y: y % 4)
        owners[cell] = series
    }

    /// Draws a line between two dot positions, stepping one dot at a time; `pattern` says which
    /// steps are drawn (counted on from `phase`, which is advanced so dashes run on across
    /// segments).
    mutating func line(
        from start: Point, to end: Point, series: Int, pattern: LinePattern, phase: inout Int
    ) {
        let dx = end.x - start.x
        let dy = end.y - start.y
        guard dx.isFinite, dy.isFinite else { return }
        let steps = max(abs(dx), abs(dy)).rounded(.up).clamped(to: 0...100_000).saturatingInt
        for step in 0...steps {
            let t = steps == 0 ? 0 : Double(step) / Double(steps)
            if pattern.isOn(phase) {
                set(
                    x: (start.x + dx * t).rounded().saturatingInt,
                    y: (start.y + dy * t).rounded().saturatingInt, series: series)
            }
            if step < steps { phase += 1 }
        }
    }

    /// Whether any dot of the cell is set.
    func isEmpty(column: Int, row: Int) -> Bool {
        bits[row * columns + column] == 0
    }

    /// The braille character of a cell.
    func character(column: Int, row: Int) -> Character {
        let value = 0x2800 + UInt32(bits[row * columns + column])
        return Unicode.Scalar(value).map(Character.init) ?? " "
    }

    func owner(column: Int, row: Int) -> Int {
        owners[row * columns + column]
    }

    /// Braille numbers dots 1–3 down the left, 4–6 down the right, then 7 and 8 at the bottom.
    private static func bit(x: Int, y: Int) -> UInt8 {
        switch (x, y) {
        case (0, 0): return 0x01
        case (0, 1): return 0x02
        case (0, 2): return 0x04
        case (1, 0): return 0x08
        case (1, 1): return 0x10
        case (1, 2): return 0x20
        case (0, 3): return 0x40
        default: return 0x80
        }
    }
}

/// How a line is drawn without colour, so that series stay apart: solid, dashed, dotted.
struct LinePattern: Sendable {
    var on: Int
    var off: Int

    func isOn(_ step: Int) -> Bool {
        off == 0 || step % (on + off) < on
    }

    /// The pattern of the series at `index` (solid when colours tell series apart).
    static func forSeries(_ index: Int, colors: Bool) -> LinePattern {
        if colors { return LinePattern(on: 1, off: 0) }
        let patterns = [
            LinePattern(on: 1, off: 0), LinePattern(on: 3, off: 2), LinePattern(on: 1, off: 2),
            LinePattern(on: 6, off: 3),
        ]
        return patterns[index % patterns.count]
    }
}
