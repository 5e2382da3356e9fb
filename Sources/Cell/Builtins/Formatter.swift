import Foundation

/// `String(format:)`: printf-style formatting, checked. Each conversion is validated and given
/// exactly one argument of the matching Swift type, so no format string can read the wrong
/// kind of argument.
enum Formatter {
    static func format(_ format: String, _ arguments: [Value], _ session: Session) throws -> String
    {
        var result = ""
        var remaining = arguments[...]
        var scalars = format.unicodeScalars[...]
        while let scalar = scalars.popFirst() {
            guard scalar == "%" else {
                result.unicodeScalars.append(scalar)
                continue
            }
            var spec = "%"
            while let flag = scalars.first, "-+ 0#".unicodeScalars.contains(flag) {
                spec.unicodeScalars.append(flag)
                scalars.removeFirst()
            }
            while let digit = scalars.first, ("0"..."9").contains(digit) {
                spec.unicodeScalars.append(digit)
                scalars.removeFirst()
            }
            if scalars.first == "." {
                spec += "."
                scalars.removeFirst()
                while let digit = scalars.first, ("0"..."9").contains(digit) {
                    spec.unicodeScalars.append(digit)
                    scalars.removeFirst()
                }
            }
            while let length = scalars.first, "lhqzjt".unicodeScalars.contains(length) {
                scalars.removeFirst()
            }
            let numbers = spec.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            if numbers.contains(where: { $0 > 1000 }) || spec.count > 12 {
                throw CellError.invalidValue("format widths and precisions go up to 1000")
            }
            guard let conversion = scalars.popFirst() else {
                throw CellError.invalidValue("the format ends in the middle of a '%' conversion")
            }
            if conversion == "%" {
                result += "%"
                continue
            }
            guard let argument = remaining.popFirst() else {
                throw CellError.badArguments(
                    "the format has more '%' conversions than there are arguments")
            }
            result += try convert(argument, spec: spec, conversion: conversion, session)
        }
        return result
    }

    private static func convert(
        _ argument: Value, spec: String, conversion: Unicode.Scalar, _ session: Session
    ) throws -> String {
        switch conversion {
        case "d", "i", "u", "x", "X", "o":
            guard case .int(let value) = argument else {
                throw CellError.typeMismatch(
                    "%\(conversion) needs an Int, not a value of type \(argument.typeName)")
            }
            return String(format: spec + "l" + String(conversion), value)
        case "f", "F", "e", "E", "g", "G":
            guard let value = argument.numberValue else {
                throw CellError.typeMismatch(
                    "%\(conversion) needs a number, not a value of type \(argument.typeName)")
            }
            return String(format: spec + String(conversion), value)
        case "s", "@":
            let text = try session.describe(argument)
            let width = Int(spec.dropFirst().filter(\.isNumber).prefix { $0 != "." }) ?? 0
            let padding = String(repeating: " ", count: max(0, min(width, 10_000) - text.count))
            return spec.contains("-") ? text + padding : padding + text
        default:
            throw CellError.invalidValue("'%\(conversion)' is not a supported format conversion")
        }
    }
}
