using EdgeMarl.Shared.Random;

namespace EdgeMarl.Host.Evaluation;

/// <summary>Exact multinomial and multivariate hypergeometric draws of counts, for the count-level simulator.</summary>
public static class CountSampling
{
    /// <summary>
    /// Draws a rollout's start at count level, the same draws in the same order for every count simulator: <c>s_g</c> over the
    /// initial global distribution, the local law <c>p</c> (Dirichlet or fixed), then <c>N ~ Multinomial(n, p)</c>.
    /// </summary>
    /// <param name="tables">The game's tables (initial laws, n).</param>
    /// <param name="rng">The rollout's environment generator, already reseeded.</param>
    /// <param name="initialLocal">Caller-owned buffer for <c>p</c> (|S_l| entries), overwritten.</param>
    /// <param name="population">Caller-owned counts <c>N</c> (|S_l| entries), overwritten.</param>
    /// <returns>The initial global state.</returns>
    public static int DrawStart(EvaluationTables tables, Pcg32 rng, double[] initialLocal, int[] population)
    {
        ArgumentNullException.ThrowIfNull(tables);
        int globalState = CumulativeThresholds.Sample(tables.InitialGlobalThresholds, 0, tables.GlobalStates - 1, rng.NextUInt32());
        if (tables.InitialLocalKind == Games.InitialLocalKind.Dirichlet)
        {
            ContinuousSampling.Dirichlet(rng, tables.InitialLocal, initialLocal);
        }
        else
        {
            tables.InitialLocalProbabilities.CopyTo(initialLocal, 0);
        }

        Array.Clear(population);
        AddMultinomial(rng, tables.AgentCount, initialLocal, 0, tables.LocalStates, population, 0);
        return globalState;
    }

    /// <summary>
    /// Adds a draw of <c>Multinomial(trials, p[offset .. offset+m))</c> to <c>output[target .. target+m)</c> by sequential
    /// binomials: <c>X_j ~ Bin(remaining trials, p_j / remaining mass)</c> for <c>j = 0 … m−2</c> (categories with
    /// <c>p_j = 0</c> draw nothing), and the last category takes what is left.
    /// </summary>
    /// <param name="rng">Generator to draw from (via <see cref="BinomialSampler"/>).</param>
    /// <param name="trials">Number of trials, at least 0.</param>
    /// <param name="probabilities">Probabilities summing to 1 (normalised rows).</param>
    /// <param name="offset">First probability read.</param>
    /// <param name="count">Number of categories <c>m</c>.</param>
    /// <param name="output">Caller-owned counts, incremented (not overwritten).</param>
    /// <param name="target">First count written.</param>
    public static void AddMultinomial(Pcg32 rng, int trials, double[] probabilities, int offset, int count, int[] output, int target)
    {
        int remaining = trials;
        double mass = 1.0;
        for (int j = 0; j < count - 1 && remaining > 0; j++)
        {
            double p = probabilities[offset + j];
            if (p <= 0)
            {
                continue;
            }

            int x = p >= mass ? remaining : BinomialSampler.Sample(rng, remaining, p / mass);
            output[target + j] += x;
            remaining -= x;
            mass -= p;
        }

        output[target + count - 1] += remaining;
    }

    /// <summary>
    /// Writes a draw of the multivariate hypergeometric counts of <paramref name="k"/> items taken without replacement
    /// from a population with <c>population[j]</c> items of kind <c>j</c>: <paramref name="k"/> sequential draws, each
    /// <c>u = NextBelow(items left)</c> picking the kind whose cumulative remaining count first exceeds <c>u</c>.
    /// Integer arithmetic only, exact, <c>O(k · m)</c> whatever the population size.
    /// </summary>
    /// <param name="rng">Generator to draw from (<paramref name="k"/> <see cref="Pcg32.NextBelow"/> draws).</param>
    /// <param name="population">Counts per kind (read only).</param>
    /// <param name="k">Items to take, at most the population total.</param>
    /// <param name="scratch">Caller-owned buffer of at least <c>m</c> entries.</param>
    /// <param name="output">Caller-owned output: counts per kind, summing to <paramref name="k"/>.</param>
    public static void Hypergeometric(Pcg32 rng, int[] population, int k, int[] scratch, int[] output)
    {
        int m = population.Length;
        int total = 0;
        for (int j = 0; j < m; j++)
        {
            scratch[j] = population[j];
            output[j] = 0;
            total += population[j];
        }

        for (int draw = 0; draw < k; draw++)
        {
            int u = (int)rng.NextBelow((uint)(total - draw));
            int j = 0;
            while (u >= scratch[j])
            {
                u -= scratch[j];
                j++;
            }

            scratch[j]--;
            output[j]++;
        }
    }
}
