using System.CommandLine;
using EdgeMarl.Host.Games;

namespace EdgeMarl.Cli.Support;

/// <summary>
/// <c>--n</c>, shared by train, quickstart, eval, gap, sweep and fleet: the fleet size <c>n</c> to use instead of the
/// game's. Training stamps it in policies.json and the policy file header; eval and gap read the trained n back.
/// </summary>
internal static class FleetSizeOption
{
    /// <summary>Creates the option (each command owns its instance).</summary>
    public static Option<int?> Create(string description = "Fleet size n to train, evaluate or simulate for, instead of the game's n (stamped in the policy file).") =>
        new("--n") { Description = description };

    /// <summary>Returns the game with <paramref name="n"/> robots, or the game itself when n is not given.</summary>
    /// <exception cref="ArgumentException">n &lt; 1 (names the option).</exception>
    public static Game Apply(Game game, int? n)
    {
        if (n is null)
        {
            return game;
        }

        if (n < 1)
        {
            throw new ArgumentException($"--n: {n} robots; need at least 1");
        }

        return game.WithAgentCount(n.Value);
    }
}
