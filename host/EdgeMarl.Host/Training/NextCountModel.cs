// docs/design.md §2 G-step: the law of the next count vector c' given (s_g, c); it never depends on a_g,
// so it is built once per G-step and shared by every action and sweep.
namespace EdgeMarl.Host.Training;

/// <summary>
/// For every G-step row <c>row = rank(c)·|S_g| + s_g</c>, the next count vectors <c>c'</c> (as ranks) and their weights.
/// </summary>
/// <remarks>
/// Two layouts: uniform fan-out <c>F</c> (rounded: F = 1; sampled: F = m, each weight 1/m), stored as
/// <c>NextRank[row·F + i]</c>; or CSR (exact): entries <c>[RowStart[row], RowStart[row+1])</c> of
/// <see cref="NextRank"/> and <see cref="Weight"/>.
/// </remarks>
internal sealed class NextCountModel
{
    private NextCountModel(int rows, int fanOut, int[] nextRank, int[]? rowStart, double[]? weight)
    {
        Rows = rows;
        FanOut = fanOut;
        NextRank = nextRank;
        RowStart = rowStart;
        Weight = weight;
    }

    public int Rows { get; }

    /// <summary>Gets F for the uniform layout, or 0 for CSR.</summary>
    public int FanOut { get; }

    public int[] NextRank { get; }

    public int[]? RowStart { get; }

    public double[]? Weight { get; }

    public static NextCountModel Uniform(int rows, int fanOut, int[] nextRank) => new(rows, fanOut, nextRank, null, null);

    public static NextCountModel Csr(int rows, int[] rowStart, int[] nextRank, double[] weight) => new(rows, 0, nextRank, rowStart, weight);
}
