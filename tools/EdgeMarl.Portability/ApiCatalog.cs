namespace EdgeMarl.Portability;

/// <summary>One line of a nanoFramework API list: <c>KIND KEY&lt;TAB&gt;attributes</c> (README §2 of the lists).</summary>
/// <param name="Key">Text before the first TAB, e.g. <c>M System.String::Concat(System.String,System.String)</c>.</param>
/// <param name="Flags">Attribute tokens without a value (<c>get</c>, <c>set</c>, <c>excludetype</c>, <c>virtual</c>, …).</param>
/// <param name="Values">Attribute tokens with a value (<c>base=</c>, <c>type=</c>, <c>returns=</c>, …).</param>
/// <param name="File">List file the line came from (for messages).</param>
internal sealed record ApiEntry(string Key, IReadOnlySet<string> Flags, IReadOnlyDictionary<string, string> Values, string File)
{
    public bool Has(string flag) => Flags.Contains(flag);

    /// <summary>True when the member can be overridden, so a call through it may reach a real override.</summary>
    public bool IsVirtualSlot => Has("virtual") || Has("override") || Has("abstract");
}

/// <summary>Raised when the API folder is missing or holds no stable list; the CLI turns it into exit code 2.</summary>
internal sealed class ApiFolderException(string message) : Exception(message);

/// <summary>
/// The union of every stable-line API list in <c>tools/EdgeMarl.Portability/nanoframework-api</c>, keyed by the list's key format.
/// .NET assembly names differ from nanoFramework's (System.Runtime / System.Private.CoreLib vs mscorlib), so
/// references are matched by type full name only, never by assembly.
/// </summary>
internal sealed class ApiCatalog
{
    private readonly Dictionary<string, ApiEntry> _entries;

    // "Type::Name" → keys of every member of that name, to hint at the overloads nanoFramework does have.
    private readonly Dictionary<string, List<string>> _overloads;

    private ApiCatalog(Dictionary<string, ApiEntry> entries, IReadOnlyList<string> files)
    {
        _entries = entries;
        Files = files;
        _overloads = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (string key in entries.Keys)
        {
            int open = key.IndexOf('(', StringComparison.Ordinal);
            string head = open < 0 ? key : key[..open];
            string byName = head[2..];
            if (!_overloads.TryGetValue(byName, out List<string>? list))
            {
                list = [];
                _overloads.Add(byName, list);
            }

            list.Add(key);
        }
    }

    /// <summary>List files that were read (file names only).</summary>
    public IReadOnlyList<string> Files { get; }

    public int Count => _entries.Count;

    /// <summary>
    /// Reads every <c>*.txt</c> in <paramref name="folder"/> that belongs to the stable line: files with
    /// <c>2.0-preview</c> in the name are the generics preview, and <c>mscorlib.NoReflection.txt</c> is an
    /// alternative build of the same assembly (a strict subset of <c>mscorlib.txt</c>), so both are skipped.
    /// </summary>
    public static ApiCatalog Load(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new ApiFolderException($"nanoFramework API folder not found: {Path.GetFullPath(folder)}");
        }

        string[] files = Directory.GetFiles(folder, "*.txt")
            .Where(IsStableList)
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (files.Length == 0 || !files.Any(f => Path.GetFileName(f) == "mscorlib.txt"))
        {
            throw new ApiFolderException($"no stable nanoFramework API list (mscorlib.txt) in {Path.GetFullPath(folder)}");
        }

        var entries = new Dictionary<string, ApiEntry>(StringComparer.Ordinal);
        foreach (string file in files)
        {
            string name = Path.GetFileName(file);
            foreach (string line in File.ReadLines(file))
            {
                if (line.Length < 3 || line[0] == '#')
                {
                    continue;
                }

                ApiEntry entry = ParseLine(line, name);
                entries.TryAdd(entry.Key, entry);
                if (entry.Key.StartsWith("T ", StringComparison.Ordinal) && entry.Values.TryGetValue("kind", out string? kind) && kind == "delegate")
                {
                    // Every delegate type has the runtime-provided constructor (Object target, IntPtr method) that
                    // `new ThreadStart(o.Run)` compiles to on both runtimes; the lists leave it out.
                    ApiEntry constructor = ParseLine("C " + entry.Key[2..] + "::.ctor(System.Object,System.IntPtr)\truntime-delegate-ctor", name);
                    entries.TryAdd(constructor.Key, constructor);
                }
            }
        }

        return new ApiCatalog(entries, files.Select(Path.GetFileName).ToArray()!);
    }

    public static bool IsStableList(string path)
    {
        string name = Path.GetFileName(path);
        return !name.Contains("2.0-preview", StringComparison.Ordinal)
            && !name.Equals("mscorlib.NoReflection.txt", StringComparison.Ordinal);
    }

    public bool TryGet(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ApiEntry? entry) =>
        _entries.TryGetValue(key, out entry);

    /// <summary>The <c>base=</c> type of a listed type, or null (interfaces, structs without base, unknown).</summary>
    public string? BaseOf(string typeName)
    {
        if (_entries.TryGetValue("T " + typeName, out ApiEntry? t) && t.Values.TryGetValue("base", out string? b))
        {
            return b;
        }

        return null;
    }

    /// <summary>Keys of the members named <paramref name="name"/> on <paramref name="typeName"/> (any kind, any overload).</summary>
    public IReadOnlyList<string> MembersNamed(string typeName, string name) =>
        _overloads.TryGetValue(typeName + "::" + name, out List<string>? list) ? list : [];

    private static ApiEntry ParseLine(string line, string file)
    {
        int tab = line.IndexOf('\t', StringComparison.Ordinal);
        string key = tab < 0 ? line : line[..tab];
        var flags = new HashSet<string>(StringComparer.Ordinal);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (tab >= 0)
        {
            foreach (string token in line[(tab + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                int eq = token.IndexOf('=', StringComparison.Ordinal);
                if (eq < 0)
                {
                    flags.Add(token);
                }
                else
                {
                    values[token[..eq]] = token[(eq + 1)..];
                }
            }
        }

        return new ApiEntry(key, flags, values, file);
    }
}
