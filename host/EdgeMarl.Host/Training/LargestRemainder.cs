// docs/design.md §2 G-step, mode `rounded`: c' = largest-remainder rounding of E[c'] = Σ_j c_j P̄_l(·|j,s_g).
namespace EdgeMarl.Host.Training;

/// <summary>
/// Largest-remainder (Hamilton) rounding of a real vector whose entries sum to the integer <c>k</c>.
/// </summary>
/// <remarks>
/// <c>c'_j = ⌊x_j⌋ + [j among the (k − Σ⌊x⌋) largest remainders x_j − ⌊x_j⌋]</c>. Tie rule: equal remainders
/// go to the lowest index first. The reference ranks columns with <c>argsort(argsort(−remainder))</c>; numpy's
/// default sort is not documented as stable, but for 5 entries it runs an insertion sort, which is, so it too
/// prefers the lowest index; the reference is ambiguous only through that undocumented detail and through
/// floating-point sums (its E[c'] comes from a BLAS product whose summation order is unspecified).
/// Every entry of the result is within 1 of <c>x_j</c> and the entries sum to <c>k</c>.
/// </remarks>
internal static class LargestRemainder
{
    /// <summary>Rounds <paramref name="expected"/> (length L, sum k up to rounding error) into <paramref name="counts"/>; no allocation.</summary>
    /// <param name="expected">E[c'], read only.</param>
    /// <param name="k">The exact integer sum.</param>
    /// <param name="counts">Output, length L.</param>
    /// <param name="remainders">Scratch, length L.</param>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static void Round(double[] expected, int k, int[] counts, double[] remainders)
    {
        int l = expected.Length;
        int floorSum = 0;
        for (int j = 0; j < l; j++)
        {
            double x = expected[j] < 0 ? 0 : expected[j];
            int f = (int)Math.Floor(x);
            counts[j] = f;
            remainders[j] = x - f;
            floorSum += f;
        }

        int deficit = k - floorSum;

        // Float error can make Σ⌊x⌋ exceed k by a hair when an x_j is k − tiny; take back from the smallest remainders.
        while (deficit < 0)
        {
            int worst = -1;
            for (int j = 0; j < l; j++)
            {
                if (counts[j] > 0 && (worst < 0 || remainders[j] < remainders[worst]))
                {
                    worst = j;
                }
            }

            counts[worst]--;
            remainders[worst] = 2; // never chosen again
            deficit++;
        }

        // Hand out the deficit to the largest remainders, ties to the lowest index (strict '>' keeps the first).
        for (int given = 0; given < deficit && given < l; given++)
        {
            int best = -1;
            for (int j = 0; j < l; j++)
            {
                if (remainders[j] >= 0 && (best < 0 || remainders[j] > remainders[best]))
                {
                    best = j;
                }
            }

            counts[best]++;
            remainders[best] = -1; // taken
        }

        // A deficit beyond L (impossible for consistent input) goes to index 0 so the sum is still k.
        if (deficit > l)
        {
            counts[0] += deficit - l;
        }
    }
}
