namespace EdgeMarl.Portability;

/// <summary>Parsed command line.</summary>
internal sealed record Options(string? ApiFolder, string? SolutionDir, IReadOnlyList<string> Assemblies, bool Help, bool Verbose = false);

/// <summary>A bad command line; printed as one line, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>
/// The command line: parse, load the lists, find and scan the assemblies, print offenders and the summary.
/// Exit codes: 0 portable, 1 offenders found, 2 cannot check (bad arguments, API folder missing, assembly
/// missing or unreadable).
/// </summary>
internal static class Cli
{
    public const int Portable = 0;
    public const int OffendersFound = 1;
    public const int CannotCheck = 2;

    /// <summary>The nanoFramework API lists kept in the repository, relative to its root.</summary>
    public const string DefaultApiFolder = "tools/EdgeMarl.Portability/nanoframework-api";

    // Places printed per offender before "and N more".
    private const int MaxPlaces = 5;

    public const string HelpText =
        """
        EdgeMarl.Portability: checks that compiled shared/ and firmware/ assemblies use only what
        nanoFramework's stable line (1.x) has.

        usage:
          dotnet run --project tools/EdgeMarl.Portability -c Release -- --from-solution DIR [--api DIR]
          dotnet run --project tools/EdgeMarl.Portability -c Release -- --assembly PATH [--assembly PATH ...] [--api DIR]

        options:
          --api DIR            folder of nanoFramework API lists (*.txt; files with '2.0-preview' in the name
                               and mscorlib.NoReflection.txt are skipped). Default: the repository's copy,
                               <--from-solution DIR or .>/tools/EdgeMarl.Portability/nanoframework-api.
          --from-solution DIR  check every *.csproj under DIR/shared and DIR/firmware, except projects that set
                               <EdgeMarlHostOnly>true</EdgeMarlHostOnly>. Reads the Debug build
                               (bin/Debug/net10.0/<AssemblyName>.dll); does not build: run `dotnet build` or
                               `dotnet test` first. A missing build is an error.
          --assembly PATH      check this assembly (repeatable; combinable with --from-solution).
          --verbose            also print every reference that is fine ("ok  <api key>") and every accepted
                               .NET-only compiler lowering ("lowering  <key>  (<why>)").
          -h, --help           this text.

        offenders: types/members not in the lists (matched by full name, not by assembly), members of types
        flagged 'excludetype' used in code, generic instantiations and definitions, async state machines and
        Task, Span<T>/ReadOnlySpan<T>/Memory<T>, multidimensional arrays, System.Random, stackalloc, P/Invoke.
        One line each:  offender  <api key>  used in <Type>::<Member>  (<reason>)
        Not reported: attributes the SDK/compiler emits for .NET (IgnoredAttributes.cs) and .NET-only compiler
        lowerings of portable source such as $"..." or lock (CompilerLowerings.cs; listed with --verbose).
        Details and limits: tools/EdgeMarl.Portability/README.md.

        exit codes: 0 portable, 1 offenders found, 2 cannot check (bad arguments, API folder or assembly missing).
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        Options options;
        try
        {
            options = Parse(args);
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"portability: {e.Message} (see --help)");
            return CannotCheck;
        }

        if (options.Help)
        {
            stdout.WriteLine(HelpText);
            return Portable;
        }

        ApiCatalog catalog;
        try
        {
            catalog = ApiCatalog.Load(options.ApiFolder!);
        }
        catch (ApiFolderException e)
        {
            stderr.WriteLine($"portability: {e.Message}");
            return CannotCheck;
        }

        stdout.WriteLine($"portability: {catalog.Count} API entries from {catalog.Files.Count} stable lists in {Display(options.ApiFolder!)}");

        var targets = new List<string>();
        if (options.SolutionDir is not null && !CollectProjects(options.SolutionDir, targets, stdout, stderr))
        {
            return CannotCheck;
        }

        foreach (string path in options.Assemblies)
        {
            if (!File.Exists(path))
            {
                stderr.WriteLine($"portability: assembly not found: {Path.GetFullPath(path)}");
                return CannotCheck;
            }

            targets.Add(path);
        }

        var scans = new List<(string Path, ScanResult Scan)>();
        foreach (string path in targets)
        {
            try
            {
                scans.Add((path, AssemblyScanner.ScanFile(path)));
            }
            catch (BadImageFormatException e)
            {
                stderr.WriteLine($"portability: cannot read {Path.GetFullPath(path)} as a .NET assembly: {e.Message}");
                return CannotCheck;
            }
        }

        // Our assemblies may reference each other (firmware → EdgeMarl.Shared); each is checked on its own.
        var checker = new Checker(catalog, scans.Select(s => s.Scan.AssemblyName).ToHashSet(StringComparer.Ordinal));
        int references = 0;
        int offenders = 0;
        foreach ((string path, ScanResult scan) in scans)
        {
            CheckResult result = checker.Check(scan);
            references += result.ReferencesChecked;
            offenders += result.Offenders.Count;
            stdout.WriteLine($"assembly {result.AssemblyName} ({Display(path)}): {result.ReferencesChecked} references, {result.Offenders.Count} offenders");
            foreach (Offender offender in result.Offenders)
            {
                stdout.WriteLine(FormatOffender(offender));
            }

            if (options.Verbose)
            {
                foreach (string key in result.Passed)
                {
                    stdout.WriteLine($"ok  {key}");
                }

                foreach ((string key, string reason) in result.Lowered)
                {
                    stdout.WriteLine($"lowering  {key}  ({reason})");
                }
            }
        }

        stdout.WriteLine($"portability: {targets.Count} assemblies, {references} references checked, {offenders} offenders");
        return offenders > 0 ? OffendersFound : Portable;
    }

    public static string FormatOffender(Offender offender)
    {
        string places = string.Join(", ", offender.Locations.Take(MaxPlaces));
        if (offender.Locations.Count > MaxPlaces)
        {
            places += $" and {offender.Locations.Count - MaxPlaces} more";
        }

        return $"offender  {offender.Key}  used in {places}  ({offender.Reason})";
    }

    internal static Options Parse(string[] args)
    {
        string? api = null;
        string? solution = null;
        var assemblies = new List<string>();
        bool verbose = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "-h":
                case "--help":
                    return new Options(api, solution, assemblies, Help: true);
                case "--api":
                    api = Value(args, ref i);
                    break;
                case "--from-solution":
                    solution = Value(args, ref i);
                    break;
                case "--assembly":
                    assemblies.Add(Value(args, ref i));
                    break;
                case "--verbose":
                    verbose = true;
                    break;
                default:
                    throw new UsageException($"unknown argument '{args[i]}'");
            }
        }

        // Default: the lists kept in the repository, found from --from-solution DIR (or the current folder).
        api ??= Path.Combine(solution ?? ".", DefaultApiFolder);

        if (solution is null && assemblies.Count == 0)
        {
            throw new UsageException("nothing to check: give --from-solution DIR or --assembly PATH");
        }

        return new Options(api, solution, assemblies, Help: false, verbose);
    }

    private static string Value(string[] args, ref int i)
    {
        if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            throw new UsageException($"{args[i]} needs a value");
        }

        i++;
        return args[i];
    }

    private static bool CollectProjects(string solutionDir, List<string> targets, TextWriter stdout, TextWriter stderr)
    {
        if (!Directory.Exists(solutionDir))
        {
            stderr.WriteLine($"portability: solution folder not found: {Path.GetFullPath(solutionDir)}");
            return false;
        }

        IReadOnlyList<PortableProject> projects = ProjectDiscovery.Find(solutionDir);
        if (projects.Count == 0)
        {
            stderr.WriteLine($"portability: no *.csproj under {string.Join(" or ", ProjectDiscovery.PortableRoots)}/ in {Path.GetFullPath(solutionDir)}");
            return false;
        }

        foreach (PortableProject project in projects)
        {
            if (project.HostOnly)
            {
                stdout.WriteLine($"skip {Display(project.ProjectPath)} (EdgeMarlHostOnly: host-only adapter)");
                continue;
            }

            if (!File.Exists(project.AssemblyPath))
            {
                stderr.WriteLine($"portability: no build of {Display(project.ProjectPath)}: expected {Display(project.AssemblyPath)}; run `dotnet build` (or `dotnet test`) first");
                return false;
            }

            if (ProjectDiscovery.NewerSource(project) is { } newer)
            {
                stderr.WriteLine($"portability: warning: {Display(newer)} is newer than {Display(project.AssemblyPath)}; results are for the last build");
            }

            targets.Add(project.AssemblyPath);
        }

        return true;
    }

    private static string Display(string path)
    {
        string full = Path.GetFullPath(path);
        string relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), full);
        return relative.StartsWith("..", StringComparison.Ordinal) ? full : relative;
    }
}
