using System.Globalization;

namespace EdgeMarl.Host.Games;

/// <summary>
/// Checks that a <see cref="Game"/> is a well-formed game (docs/design.md §1) before any learner indexes its tables:
/// sizes ≥ 1, every array as long as its sizes say, probabilities ≥ 0 with rows summing to 1, finite rewards,
/// <c>0 &lt; γ &lt; 1</c>, <c>1 ≤ n ≤ </c><see cref="MaxAgentCount"/>, <c>|r| ≤ </c><see cref="MaxRewardMagnitude"/>, valid initial
/// distributions. Every problem is reported, not just the first,
/// and each names the table, the index and the value.
/// </summary>
public static class GameValidator
{
    /// <summary>How far a probability row may sum from 1 (absolute).</summary>
    public const double RowSumTolerance = 1e-9;

    /// <summary>
    /// Largest fleet size <c>n</c> accepted: the n-robot evaluator keeps one state (and one action) per robot per worker
    /// thread, 8 bytes a robot, so 10 million robots need about 80 MB per thread (docs/game-spec.md, "Limits").
    /// </summary>
    public const int MaxAgentCount = 10_000_000;

    /// <summary>
    /// Largest reward magnitude accepted, for <c>r_g</c> and <c>r_l</c>. Values are bounded by
    /// <c>(max|r_g| + max|r_l|) / (1 − γ)</c>; with this bound and any <c>γ &lt; 1</c> representable as a double that is
    /// below 2e25, so value iteration, softmax temperatures and returns stay finite (docs/game-spec.md, "Limits").
    /// </summary>
    public const double MaxRewardMagnitude = 1e9;

    /// <summary>Returns every problem in <paramref name="game"/>; empty when it is valid.</summary>
    public static IReadOnlyList<GameError> Validate(Game game)
    {
        ArgumentNullException.ThrowIfNull(game);
        var errors = new List<GameError>();

        if (string.IsNullOrWhiteSpace(game.Name))
        {
            errors.Add(new GameError("name", "is empty (must name the game)", "$.name"));
        }

        int sG = game.GlobalStates, aG = game.GlobalActions, sL = game.LocalStates, aL = game.LocalActions;
        bool sizesOk = CheckSize(errors, "|S_g|", "S_g", sG)
            & CheckSize(errors, "|A_g|", "A_g", aG)
            & CheckSize(errors, "|S_l|", "S_l", sL)
            & CheckSize(errors, "|A_l|", "A_l", aL);

        if (!(game.Gamma > 0 && game.Gamma < 1))
        {
            errors.Add(new GameError("γ", $"is {Num(game.Gamma)} (must satisfy 0 < γ < 1)", "$.gamma"));
        }

        if (game.AgentCount < 1)
        {
            errors.Add(new GameError("n", $"is {game.AgentCount} (must be ≥ 1)", "$.n"));
        }
        else if (game.AgentCount > MaxAgentCount)
        {
            errors.Add(new GameError("n", string.Create(CultureInfo.InvariantCulture, $"is {game.AgentCount} (must be ≤ {MaxAgentCount:N0}: the n-robot evaluator keeps 8 bytes per robot per thread)"), "$.n"));
        }

        if (!Enum.IsDefined(game.InitialLocalKind))
        {
            errors.Add(new GameError("initial.local.kind", $"is {(int)game.InitialLocalKind} (must be fixed or dirichlet)", "$.initial.local.kind"));
        }

        if (!sizesOk)
        {
            // Without sizes the expected lengths mean nothing; report what we have.
            return errors;
        }

        var gS = new Axis("s_g", sG);
        var gA = new Axis("a_g", aG);
        var lS = new Axis("s_l", sL);
        var lA = new Axis("a_l", aL);

        if (CheckLength(errors, "P_g", game.GlobalTransition, "|S_g|·|A_g|·|S_g|", (long)sG * aG * sG))
        {
            CheckDistributions(errors, "P_g", game.GlobalTransition, [gS, gA], new Axis("s_g'", sG));
        }

        if (CheckLength(errors, "P_l", game.LocalTransition, "|S_l|·|S_g|·|A_l|·|S_l|", (long)sL * sG * aL * sL))
        {
            CheckDistributions(errors, "P_l", game.LocalTransition, [lS, gS, lA], new Axis("s_l'", sL));
        }

        if (CheckLength(errors, "r_g", game.GlobalReward, "|S_g|·|A_g|", (long)sG * aG))
        {
            CheckFinite(errors, "r_g", game.GlobalReward, [gS, gA]);
        }

        if (CheckLength(errors, "r_l", game.LocalReward, "|S_l|·|S_g|·|A_l|", (long)sL * sG * aL))
        {
            CheckFinite(errors, "r_l", game.LocalReward, [lS, gS, lA]);
        }

        if (CheckLength(errors, "initial.global", game.InitialGlobal, "|S_g|", sG))
        {
            CheckDistributions(errors, "initial.global", game.InitialGlobal, [], gS);
        }

        if (CheckLength(errors, "initial.local", game.InitialLocal, "|S_l|", sL, "$.initial.local.values"))
        {
            if (game.InitialLocalKind == InitialLocalKind.Dirichlet)
            {
                CheckDirichlet(errors, game.InitialLocal, lS);
            }
            else if (game.InitialLocalKind == InitialLocalKind.Fixed)
            {
                CheckDistributions(errors, "initial.local", game.InitialLocal, [], lS, "$.initial.local.values");
            }
        }

        if (game.Labels is { } labels)
        {
            CheckLabels(errors, "s_g", labels.GlobalStates, "|S_g|", sG);
            CheckLabels(errors, "a_g", labels.GlobalActions, "|A_g|", aG);
            CheckLabels(errors, "s_l", labels.LocalStates, "|S_l|", sL);
            CheckLabels(errors, "a_l", labels.LocalActions, "|A_l|", aL);
        }

        return errors;
    }

    /// <summary>Returns the problem with the sample size <paramref name="k"/> for <paramref name="game"/> (<c>1 ≤ k ≤ n</c>), if any.</summary>
    public static IReadOnlyList<GameError> ValidateK(Game game, int k)
    {
        ArgumentNullException.ThrowIfNull(game);
        return k >= 1 && k <= game.AgentCount
            ? []
            : [new GameError("k", $"is {k} (must satisfy 1 ≤ k ≤ n = {game.AgentCount})")];
    }

    /// <summary>Throws a <see cref="GameValidationException"/> listing every problem unless <paramref name="game"/> is valid.</summary>
    /// <param name="game">The game to check.</param>
    /// <param name="source">Where it came from (file path, built-in name), for the message.</param>
    public static void EnsureValid(Game game, string? source = null)
    {
        var errors = Validate(game);
        if (errors.Count > 0)
        {
            throw new GameValidationException(source ?? game.Name, errors);
        }
    }

    /// <summary>Throws a <see cref="GameValidationException"/> unless <c>1 ≤ k ≤ n</c>.</summary>
    public static void EnsureValidK(Game game, int k)
    {
        var errors = ValidateK(game, k);
        if (errors.Count > 0)
        {
            throw new GameValidationException(game.Name, errors);
        }
    }

    /// <summary>Formats a number for an error message: short, but enough digits to see a 1e-9 deviation from 1.</summary>
    internal static string Num(double value) => value.ToString("G12", CultureInfo.InvariantCulture);

    private static bool CheckSize(List<GameError> errors, string symbol, string jsonName, int size)
    {
        if (size >= 1)
        {
            return true;
        }

        errors.Add(new GameError(symbol, $"is {size} (must be ≥ 1)", $"$.sizes.{jsonName}"));
        return false;
    }

    private static bool CheckLength(List<GameError> errors, string table, double[]? values, string formula, long expected, string? jsonPath = null)
    {
        jsonPath ??= "$." + table;
        if (values is null)
        {
            errors.Add(new GameError(table, "is missing", jsonPath));
            return false;
        }

        if (values.Length != expected)
        {
            errors.Add(new GameError(table, $"has {values.Length} entries (must be {formula} = {expected})", jsonPath));
            return false;
        }

        return true;
    }

    /// <summary>
    /// Checks a flat table whose last axis is a distribution: every entry finite and ≥ 0, every row sums to 1.
    /// </summary>
    private static void CheckDistributions(List<GameError> errors, string table, double[] values, Axis[] rowAxes, Axis next, string? jsonTable = null)
    {
        jsonTable ??= "$." + table;
        int rows = values.Length / next.Size;
        var index = new int[rowAxes.Length];
        for (int row = 0; row < rows; row++)
        {
            Decode(row, rowAxes, index);
            int offset = row * next.Size;
            double sum = 0;
            bool finite = true;
            for (int j = 0; j < next.Size; j++)
            {
                double p = values[offset + j];
                if (!double.IsFinite(p))
                {
                    finite = false;
                    errors.Add(Entry(table, jsonTable, rowAxes, index, next, j, $"is {Num(p)} (must be a finite probability)"));
                }
                else if (p < 0)
                {
                    errors.Add(Entry(table, jsonTable, rowAxes, index, next, j, $"is {Num(p)} (must be ≥ 0)"));
                }

                sum += p;
            }

            // A row with a non-finite entry already has its error; its sum would only repeat it.
            if (finite && Math.Abs(sum - 1.0) > RowSumTolerance)
            {
                string path = rowAxes.Length == 0 ? table : $"{table}[{Named(rowAxes, index)}, :]";
                string json = jsonTable + Brackets(index);
                errors.Add(new GameError(path, $"sums to {Num(sum)} (must be 1 within 1e-9)", json));
            }
        }
    }

    private static void CheckFinite(List<GameError> errors, string table, double[] values, Axis[] axes)
    {
        var index = new int[axes.Length];
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                Decode(i, axes, index);
                errors.Add(new GameError($"{table}[{Named(axes, index)}]", $"is {Num(values[i])} (must be a finite reward)", $"$.{table}{Brackets(index)}"));
            }
            else if (Math.Abs(values[i]) > MaxRewardMagnitude)
            {
                Decode(i, axes, index);
                errors.Add(new GameError($"{table}[{Named(axes, index)}]", $"is {Num(values[i])} (|reward| must be ≤ 1e9 so that values stay finite)", $"$.{table}{Brackets(index)}"));
            }
        }
    }

    private static void CheckDirichlet(List<GameError> errors, double[] alpha, Axis axis)
    {
        for (int j = 0; j < alpha.Length; j++)
        {
            if (!(double.IsFinite(alpha[j]) && alpha[j] > 0))
            {
                errors.Add(new GameError($"initial.local[{axis.Symbol}={j}]", $"is {Num(alpha[j])} (Dirichlet α must be finite and > 0)", $"$.initial.local.values[{j}]"));
            }
        }
    }

    private static void CheckLabels(List<GameError> errors, string symbol, IReadOnlyList<string>? labels, string formula, int expected)
    {
        if (labels is not null && labels.Count != expected)
        {
            errors.Add(new GameError($"labels.{symbol}", $"has {labels.Count} labels (must be {formula} = {expected})", $"$.labels.{symbol}"));
        }
    }

    private static GameError Entry(string table, string jsonTable, Axis[] rowAxes, int[] index, Axis next, int j, string message)
    {
        string named = rowAxes.Length == 0 ? $"{next.Symbol}={j}" : $"{Named(rowAxes, index)}, {next.Symbol}={j}";
        return new GameError($"{table}[{named}]", message, $"{jsonTable}{Brackets(index)}[{j}]");
    }

    /// <summary>Row-major decode of a flat index into one index per axis (last axis fastest), as in <see cref="Game"/>.</summary>
    private static void Decode(int flat, Axis[] axes, int[] index)
    {
        for (int a = axes.Length - 1; a >= 0; a--)
        {
            index[a] = flat % axes[a].Size;
            flat /= axes[a].Size;
        }
    }

    private static string Named(Axis[] axes, int[] index) =>
        string.Join(", ", axes.Select((axis, a) => $"{axis.Symbol}={index[a]}"));

    private static string Brackets(int[] index) => string.Concat(index.Select(i => $"[{i}]"));

    private readonly record struct Axis(string Symbol, int Size);
}
