import LuaBridge

extension Workbench {
    /// Applies `policy` to the VM, then runs `body`; an error that a spent budget caused leaves as
    /// `BudgetExceededError`. A request too large for the memory limit fails before the hook can
    /// name its line, so that message names the file.
    func underPolicy<T>(file: String, _ body: () throws -> T) throws -> T {
        do {
            try policy.apply(to: vm)
            return try body()
        } catch let error as LuaScriptError {
            guard let budget = vm.exceededBudget else { throw error }
            guard error.kind == .memory else { throw BudgetExceededError(budget: budget, error: error) }
            let located = LuaScriptError(kind: .memory, message: "\(file): \(policy.limits.message(budget))", traceback: error.traceback)
            throw BudgetExceededError(budget: budget, error: located)
        }
    }
}
