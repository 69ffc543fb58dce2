namespace EdgeMarl.Host.Tests.Cli;

/// <summary>Tests that run commands through <see cref="EdgeMarl.Tests.Support.CliRunner"/> (which swaps the console's writers) join this collection.</summary>
[CollectionDefinition(nameof(ConsoleCollection), DisableParallelization = true)]
public sealed class ConsoleCollection;
