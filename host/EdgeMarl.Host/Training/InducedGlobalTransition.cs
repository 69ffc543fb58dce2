// docs/design.md §2 L-step: the global state moves by P̃_g(s_g'|s_g) = E_{c ~ Multinomial(k, μ(·|s_g))} P_g(s_g'|s_g, π_g(s_g,c)).
using EdgeMarl.Host.Games;
using EdgeMarl.Shared.Counting;
using EdgeMarl.Shared.Random;

namespace EdgeMarl.Host.Training;

/// <summary>The global transition a robot sees when the gateway follows π_g on count vectors drawn from the mean field.</summary>
internal static class InducedGlobalTransition
{
    private const int ParallelRows = 50_000; // π_g rows |S_g|·|C_k| below which one thread sums every s_g (k ≤ ~12 on zones)

    /// <summary>Returns P̃_g, flat <c>[s_g, s_g']</c>.</summary>
    /// <param name="game">The game.</param>
    /// <param name="globalActions">π_g for k, flat <c>[rank(c)·|S_g| + s_g]</c> (G-step layout).</param>
    /// <param name="ranker">Ranks count vectors of sum k.</param>
    /// <param name="k">Sample size.</param>
    /// <param name="meanField">μ(s_l|s_g), flat <c>[s_g, s_l]</c>.</param>
    /// <param name="mode">Sampled (seeded draws) or exact (sum over all c).</param>
    /// <param name="draws">Draws per s_g when sampled.</param>
    /// <param name="seed">Seed when sampled; s_g uses <c>DeriveSeed(seed, s_g)</c>.</param>
    /// <param name="parallel">Threads for the exact mode's global states when |S_l| &lt; 3 (each s_g's law is summed alone, so
    /// the result does not depend on them), or null for the calling thread. With |S_l| ≥ 3 the sum runs over π_g's runs of
    /// equal action (<see cref="ActionRuns"/>), on the calling thread: ≈ 0.3 ms per P̃_g at zones k = 50.</param>
    /// <param name="runs">π_g's runs of equal action when the caller evaluates the same π_g under many μ (the stationary
    /// mean field), or null to find them here; used when |S_l| ≥ 3.</param>
    public static double[] Compute(Game game, byte[] globalActions, CountRanker ranker, int k, double[] meanField, InducedTransition mode, int draws, ulong seed, ParallelOptions? parallel = null, ActionRuns? runs = null)
    {
        int g = game.GlobalStates, l = game.LocalStates;
        var induced = new double[g * g];
        if (mode == InducedTransition.Exact)
        {
            var masses = new double[g][];
            if (l >= 3)
            {
                runs ??= ActionRuns.Build(globalActions, g, l, k);
                if (!ReferenceEquals(runs.Source, globalActions))
                {
                    throw new ArgumentException("the action runs were found in another π_g", nameof(runs));
                }

                for (int sg = 0; sg < g; sg++)
                {
                    masses[sg] = new double[game.GlobalActions];
                    runs.Mass(sg, meanField.AsSpan(sg * l, l), masses[sg]);
                }
            }
            else if (parallel is null || parallel.MaxDegreeOfParallelism == 1 || g == 1 || globalActions.Length < ParallelRows)
            {
                var law = new ActionLaw(l, k);
                for (int sg = 0; sg < g; sg++)
                {
                    masses[sg] = new double[game.GlobalActions];
                    law.Mass(globalActions, g, sg, meanField.AsSpan(sg * l, l), masses[sg]);
                }
            }
            else
            {
                Parallel.For(0, g, parallel, () => new ActionLaw(l, k), (sg, _, law) =>
                {
                    masses[sg] = new double[game.GlobalActions];
                    law.Mass(globalActions, g, sg, meanField.AsSpan(sg * l, l), masses[sg]);
                    return law;
                }, _ => { });
            }

            for (int sg = 0; sg < g; sg++)
            {
                double[] mass = masses[sg];
                for (int a = 0; a < mass.Length; a++)
                {
                    if (mass[a] > 0)
                    {
                        AddRow(game, sg, a, mass[a], induced); // Σ_a P(π_g(s_g,c) = a) P_g(·|s_g, a) = Σ_c P(c) P_g(·|s_g, π_g(s_g,c))
                    }
                }
            }

            return induced;
        }

        var mu = new double[l];
        var counts = new int[l];
        var rng = new Pcg32(0);
        for (int sg = 0; sg < g; sg++)
        {
            Array.Copy(meanField, sg * l, mu, 0, l);
            double[] cumulative = Multinomial.Cumulative(mu, 0, l);
            rng.Reseed(Pcg32.DeriveSeed(seed, (ulong)sg), 0);
            for (int d = 0; d < draws; d++)
            {
                Multinomial.Draw(rng, k, cumulative, counts);
                AddRow(game, sg, globalActions[(ranker.Rank(counts, 0, k) * g) + sg], 1.0 / draws, induced); // (1/m) Σ_d P_g(·|s_g,π_g(s_g,c_d))
            }
        }

        return induced;
    }

    /// <summary>
    /// The law of the gateway's action <c>π_g(s_g, c)</c> under <c>c ~ Multinomial(k, μ)</c>: P(c) as a chain of binomials,
    /// <c>P(c) = Π_{i &lt; L−1} Binom(c_i; r_i, μ_i / Σ_{j ≥ i} μ_j)</c> with <c>r_i = k − Σ_{j &lt; i} c_j</c>, enumerated in
    /// rank order (lexicographic), so each probability costs one multiplication and no logarithm. A prefix whose probability is
    /// below 1e−30 is skipped with all its completions: the dropped mass is at most 1e−30 per skipped prefix, and there are
    /// fewer than L·2³¹ &lt; 1.1e10 prefixes in any count space with Int32 ranks, so &lt; 1.1e−20 in all, far below the rounding
    /// error of the sums (the old log-space sum over every c agrees to ~1e−15).
    /// </summary>
    internal sealed class ActionLaw
    {
        private const double Negligible = 1e-30;
        private readonly int _l, _k;
        private readonly double[] _binomial; // [i][r][v] = Binom(v; r, q_i), r, v ≤ k
        private readonly int[] _completions; // [m][r] = C(r+m−1, m−1): count vectors of length m and sum r

        public ActionLaw(int localStates, int k)
        {
            _l = localStates;
            _k = k;
            _binomial = new double[Math.Max(1, localStates - 1) * (k + 1) * (k + 1)];
            _completions = new int[(localStates + 1) * (k + 1)];
            for (int m = 1; m <= localStates; m++)
            {
                for (int r = 0; r <= k; r++)
                {
                    _completions[(m * (k + 1)) + r] = m == 1 || r == 0 ? 1 : _completions[((m - 1) * (k + 1)) + r] + _completions[(m * (k + 1)) + r - 1];
                }
            }
        }

        /// <summary>Writes P(π_g(s_g, c) = a) into <paramref name="mass"/>.</summary>
        public void Mass(byte[] globalActions, int g, int sg, ReadOnlySpan<double> mu, double[] mass)
        {
            int l = _l, k = _k;
            ConditionalBinomials.Fill(mu, l, k, _binomial);

            Array.Clear(mass);
            int rank = 0;
            Visit(0, k, 1.0, ref rank, globalActions, g, sg, mass);
        }

        private void Visit(int i, int remaining, double prefix, ref int rank, byte[] globalActions, int g, int sg, double[] mass)
        {
            int l = _l, width = _k + 1;
            if (i == l - 1)
            {
                mass[globalActions[(rank * g) + sg]] += prefix; // L = 1: the only entry is k
                rank++;
                return;
            }

            int row = (i * width * width) + (remaining * width);
            if (i == l - 2)
            {
                // The last two entries: c_i = v, c_{L−1} = remaining − v, one count vector per v, ranks in order. Neighbouring
                // count vectors mostly share their action, so sum runs in a register before adding them to the table.
                int action = globalActions[(rank * g) + sg];
                double run = 0;
                for (int v = 0; v <= remaining; v++)
                {
                    int next = globalActions[((rank + v) * g) + sg];
                    if (next != action)
                    {
                        mass[action] += run;
                        action = next;
                        run = 0;
                    }

                    run += prefix * _binomial[row + v];
                }

                mass[action] += run;
                rank += remaining + 1;
                return;
            }

            int after = l - 1 - i; // entries after i
            for (int v = 0; v <= remaining; v++)
            {
                double p = prefix * _binomial[row + v];
                if (p < Negligible)
                {
                    rank += _completions[(after * width) + remaining - v];
                    continue;
                }

                Visit(i + 1, remaining - v, p, ref rank, globalActions, g, sg, mass);
            }
        }
    }

    private static void AddRow(Game game, int sg, int action, double weight, double[] induced)
    {
        int g = game.GlobalStates;
        for (int s2 = 0; s2 < g; s2++)
        {
            induced[(sg * g) + s2] += weight * game.GlobalTransition[game.GlobalTransitionIndex(sg, action, s2)];
        }
    }
}
