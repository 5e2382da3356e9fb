/// The direct path of a registry function called with unlabelled arguments only (`print(i)`):
/// the arguments are evaluated onto the session's value stack and read there by the
/// function's `UnlabelledBody`, with no argument arrays, label matching or binding.
extension Session {
    /// Evaluates the site's arguments onto the value stack and calls `body` with them; a
    /// call with an implicit member among its arguments (`print(.relu)`) goes on to the
    /// general path, which reports it, with the arguments already evaluated.
    func callUnlabelled(
        _ function: Callable, _ body: UnlabelledBody, from caller: Frame,
        _ direct: DirectCallSite
    ) throws(Failure) -> Value {
        let count = direct.operands.count
        let slots = stack.push(count)
        defer { stack.pop(slots, count) }
        try direct.fillArguments(from: caller, into: slots, self)
        let arguments = UnsafeBufferPointer(start: slots, count: count)
        do throws(Failure) {
            if arguments.contains(where: \.isImplicitMember) {
                var list = CallArguments(Array(arguments), labels: direct.labels, site: direct.site)
                return try function.call(&list, session: self)
            }
            return try body(arguments, self)
        } catch var failure {
            failure.passed(through: direct.site, callee: function.name, caller: direct.callerName)
            throw failure
        }
    }
}

extension Value {
    /// Whether the value is an implicit member awaiting its type (`.relu`).
    fileprivate var isImplicitMember: Bool {
        guard case .function(let function) = self else { return false }
        return function is ImplicitMember
    }
}
