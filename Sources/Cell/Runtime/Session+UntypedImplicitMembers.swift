/// Implicit members that reach an untyped parameter of a user function inside an array literal:
/// `f([.gaussianNoise(0.3)])` where `f` is `func f(_ a) { … }`. Nothing can give `.gaussianNoise`
/// a type there, so the call fails and says how to write it.
extension Session {
    /// Throws when an untyped parameter of `code` holds an array with an unresolved implicit
    /// member. Only calls whose arguments were written that way pay for the scan.
    func rejectUntypedImplicitMembers(
        _ code: FunctionCode, _ frame: Frame, offset: Int, site: SourceLocation?
    ) throws(Failure) {
        for position in code.parameters.indices {
            if position < code.specs.count, code.specs[position] != nil { continue }
            guard case .array(let elements) = frame[offset + position] else { continue }
            for element in elements {
                guard case .function(let implicit as ImplicitMember) = element else { continue }
                let typeName = typeDeclaring(implicit.memberName) ?? "TypeName"
                throw Failure(
                    .typeMismatch(
                        "cannot infer the type of '.\(implicit.memberName)' in an array passed to "
                            + "parameter '\(code.parameters[position].name)' of \(code.name), "
                            + "which has no declared type; write "
                            + "'\(typeName).\(implicit.memberName)'"),
                    at: implicit.site ?? site)
            }
        }
    }

    /// The one registered type with a static member called `name`, if exactly one has it.
    private func typeDeclaring(_ name: String) -> String? {
        let owners = registry.types.values.filter { $0.staticMemberNames.contains(name) }
        return owners.count == 1 ? owners.first?.name : nil
    }
}
