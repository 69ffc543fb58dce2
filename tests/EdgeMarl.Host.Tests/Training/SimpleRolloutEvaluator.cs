using EdgeMarl.Host.Evaluation;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Policies;
using EdgeMarl.Shared.Counting;
using EdgeMarl.Shared.Random;
using EdgeMarl.Shared.Sampling;

namespace EdgeMarl.Host.Tests.Training;

/// <summary>
/// Test-only per-robot Monte-Carlo evaluator for tiny games (the real one lives on the evaluation branch):
/// sequential, rollout r of seed s uses PCG32 seeded DeriveSeed(DeriveSeed(seed, s), r).
/// </summary>
internal sealed class SimpleRolloutEvaluator : IPolicyEvaluator
{
    private int _calls;

    /// <summary>Gets the number of evaluations (thread-safe: a portfolio evaluates its candidates side by side).</summary>
    public int Calls => _calls;

    /// <summary>Gets or sets a value indicating whether robots move by P_l(·|s_l, s_g', a_l) with the NEXT global state, as the reference's evaluator does.</summary>
    public bool LocalMovesWithNextGlobal { get; set; }

    public EvaluationResult Evaluate(Game game, PolicyPair policies, EvaluationSettings settings)
    {
        Interlocked.Increment(ref _calls);
        int n = game.AgentCount, k = settings.K, g = game.GlobalStates, l = game.LocalStates;
        var ranker = new CountRanker(l, k);
        var sampler = new Subsampler(k);
        var picked = new int[k];
        var sampledStates = new int[k];
        var counts = new int[l];
        var states = new int[n];
        var actions = new int[n];
        // Degradation (a lifted pair has no table for k): the largest stored k* ≤ k, the k replies subsampled to it (ReplyReducer).
        int stored = Math.Min(k, policies.KMin + policies.GlobalActions.Length - 1);
        while (policies.GlobalActions[stored - policies.KMin] is null)
        {
            stored--;
        }

        int[] table = policies.GlobalActions[stored - policies.KMin];
        int size = ranker.Count(stored);
        var reducer = new ReplyReducer(k, l);
        var perSeed = new double[settings.Seeds];
        for (int s = 0; s < settings.Seeds; s++)
        {
            double sum = 0;
            for (int r = 0; r < settings.RolloutsPerSeed; r++)
            {
                var rng = new Pcg32(Pcg32.DeriveSeed(Pcg32.DeriveSeed(settings.Seed, (ulong)s), (ulong)r));
                int sg = Draw(rng, game.InitialGlobal, 0, g);
                double[] initial = game.InitialLocalKind == InitialLocalKind.Dirichlet ? Dirichlet(rng, game.InitialLocal) : game.InitialLocal;
                for (int i = 0; i < n; i++)
                {
                    states[i] = Draw(rng, initial, 0, l);
                }

                double discount = 1, total = 0;
                for (int t = 0; t < settings.Horizon; t++)
                {
                    sampler.Sample(rng, n, k, picked, 0);
                    for (int i = 0; i < k; i++)
                    {
                        sampledStates[i] = states[picked[i]];
                    }

                    reducer.Reduce(rng, sampledStates, 0, k, stored, counts, 0);
                    int ag = table[(sg * size) + ranker.Rank(counts, 0, stored)];
                    double reward = game.GlobalRewardAt(sg, ag);
                    double local = 0;
                    for (int i = 0; i < n; i++)
                    {
                        actions[i] = Draw(rng, policies.LocalPolicy, ((sg * l) + states[i]) * game.LocalActions, game.LocalActions);
                        local += game.LocalReward[game.LocalRewardIndex(states[i], sg, actions[i])];
                    }

                    total += discount * (reward + (local / n));
                    discount *= game.Gamma;
                    int nextGlobal = Draw(rng, game.GlobalTransition, game.GlobalTransitionIndex(sg, ag, 0), g);
                    for (int i = 0; i < n; i++)
                    {
                        states[i] = Draw(rng, game.LocalTransition, game.LocalTransitionIndex(states[i], LocalMovesWithNextGlobal ? nextGlobal : sg, actions[i], 0), l);
                    }

                    sg = nextGlobal;
                }

                sum += total;
            }

            perSeed[s] = sum / settings.RolloutsPerSeed;
        }

        double mean = perSeed.Average();
        double std = Math.Sqrt(perSeed.Select(v => (v - mean) * (v - mean)).Average());
        return new EvaluationResult(mean, std, perSeed, (long)n * settings.Horizon * settings.RolloutsPerSeed * settings.Seeds);
    }

    /// <summary>p ~ Dirichlet(α) from Gamma(α_i) draws (Marsaglia–Tsang, boosted by U^{1/α} for α &lt; 1).</summary>
    private static double[] Dirichlet(Pcg32 rng, double[] alpha)
    {
        var p = new double[alpha.Length];
        for (int i = 0; i < alpha.Length; i++)
        {
            p[i] = Gamma(rng, alpha[i]);
        }

        double sum = p.Sum();
        return p.Select(v => v / sum).ToArray();
    }

    private static double Gamma(Pcg32 rng, double alpha)
    {
        if (alpha < 1)
        {
            return Gamma(rng, alpha + 1) * Math.Pow(1 - rng.NextUnitDouble(), 1 / alpha);
        }

        double d = alpha - (1.0 / 3), c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x = Math.Sqrt(-2 * Math.Log(1 - rng.NextUnitDouble())) * Math.Cos(2 * Math.PI * rng.NextUnitDouble());
            double v = 1 + (c * x);
            if (v <= 0)
            {
                continue;
            }

            v = v * v * v;
            double u = 1 - rng.NextUnitDouble();
            if (Math.Log(u) < (0.5 * x * x) + d - (d * v) + (d * Math.Log(v)))
            {
                return d * v;
            }
        }
    }

    private static int Draw(Pcg32 rng, double[] p, int offset, int length)
    {
        double u = rng.NextUnitDouble();
        for (int i = 0; i < length - 1; i++)
        {
            u -= p[offset + i];
            if (u < 0)
            {
                return i;
            }
        }

        return length - 1;
    }
}
