namespace EdgeMarl.Portability;

/// <summary>
/// What nanoFramework's stable line lacks even where a list names it (see the lists' README §4 and csharp-features.tsv),
/// and the wording of every offender reason.
/// </summary>
internal static class Reasons
{
    public const string NotListed = "not in nanoFramework stable API";
    public const string GenericInstance = "generic instantiation: nanoFramework stable has no generics";
    public const string OwnGenericType = "own generic type definition: nanoFramework stable has no generics";
    public const string OwnGenericMethod = "own generic method definition: nanoFramework stable has no generics";
    public const string GenericMethodInstance = "generic method instantiation: nanoFramework stable has no generics";
    public const string MultiDimensionalArray = "multidimensional array: not supported on nanoFramework; use a flat array with index arithmetic";
    public const string FunctionPointer = "function pointer: not supported on nanoFramework";
    public const string StackAlloc = "stackalloc (localloc): not supported on nanoFramework";
    public const string ModuleReference = "P/Invoke or module reference: not available on nanoFramework";
    public const string ExcludeType = "excludetype: stripped from the .pe by the metadata processor, usable only as an attribute";
    public const string NoSetter = "property has no setter on nanoFramework";
    public const string NoGetter = "property has no getter on nanoFramework";
    public const string ThrowsOnDevice = "listed, but its nanoFramework body only throws";

    private const string Span = "Span<T>/Memory<T>: nanoFramework has only System.SpanByte; use arrays + (offset, length)";
    private const string Async = "async state machine / Task: nanoFramework has no async/await";

    /// <summary>
    /// Types that are offenders by name, with a reason more useful than "not listed". <c>System.Random</c> IS in
    /// the lists but is banned here: its sequence differs between .NET and nanoFramework, and every random choice
    /// must come from a seed via Pcg32 (docs/design.md, determinism).
    /// </summary>
    private static readonly Dictionary<string, string> s_bannedTypes = new(StringComparer.Ordinal)
    {
        ["System.Random"] = "System.Random: sequences differ across platforms; use EdgeMarl.Shared.Random.Pcg32",
        ["System.Span`1"] = Span,
        ["System.ReadOnlySpan`1"] = Span,
        ["System.Memory`1"] = Span,
        ["System.ReadOnlyMemory`1"] = Span,
        ["System.Runtime.CompilerServices.IAsyncStateMachine"] = Async,
        ["System.Runtime.CompilerServices.AsyncStateMachineAttribute"] = Async,
        ["System.Runtime.CompilerServices.AsyncTaskMethodBuilder"] = Async,
        ["System.Runtime.CompilerServices.AsyncTaskMethodBuilder`1"] = Async,
        ["System.Runtime.CompilerServices.AsyncVoidMethodBuilder"] = Async,
        ["System.Runtime.CompilerServices.AsyncValueTaskMethodBuilder"] = Async,
        ["System.Runtime.CompilerServices.AsyncValueTaskMethodBuilder`1"] = Async,
        ["System.Runtime.CompilerServices.AsyncIteratorMethodBuilder"] = Async,
        ["System.Runtime.CompilerServices.TaskAwaiter"] = Async,
        ["System.Runtime.CompilerServices.TaskAwaiter`1"] = Async,
        ["System.Runtime.CompilerServices.ConfiguredTaskAwaitable"] = Async,
        ["System.Runtime.CompilerServices.ConfiguredTaskAwaitable`1"] = Async,
    };

    /// <summary>The banned-type reason for <paramref name="typeName"/>, or null if the type is not banned by name.</summary>
    public static string? BannedType(string typeName)
    {
        if (s_bannedTypes.TryGetValue(typeName, out string? reason))
        {
            return reason;
        }

        // Everything under System.Threading.Tasks (Task, ValueTask, TaskCompletionSource, ...).
        return typeName.StartsWith("System.Threading.Tasks.", StringComparison.Ordinal) ? Async : null;
    }
}
