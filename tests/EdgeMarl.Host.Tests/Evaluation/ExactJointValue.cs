using EdgeMarl.Host.Evaluation;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Policies;
using EdgeMarl.Shared.Counting;

namespace EdgeMarl.Host.Tests.Evaluation;

/// <summary>
/// The exact expected discounted return Σ_{t&lt;H} γ^t r_t of a policy pair, by backward induction over the full joint
/// chain (s_g, N), N = counts of all n robots, with the gateway's k-sample enumerated (multivariate hypergeometric).
/// Independent of the simulators: its only shared code is the count ranker used to index states.
/// </summary>
internal static class ExactJointValue
{
    public static double Compute(Game game, PolicyPair policies, int k, int horizon) =>
        Compute(game, policies, k, horizon, LocalTransitionTiming.CurrentGlobalState);

    /// <summary>As above, robots moving by <c>P_l(· | s_l, s_m, a_l)</c> with <c>s_m</c> = <c>s_g</c> or <c>s_g'</c> as <paramref name="timing"/> says.</summary>
    public static double Compute(Game game, PolicyPair policies, int k, int horizon, LocalTransitionTiming timing)
    {
        int l = game.LocalStates;
        int n = game.AgentCount;
        var populationRanker = new CountRanker(l, n);
        var sampleRanker = new CountRanker(l, k);
        int populations = populationRanker.Count(n);
        int samples = sampleRanker.Count(k);
        int states = game.GlobalStates * populations;
        int[] table = policies.GlobalActions[k - policies.KMin];

        double[] reward = new double[states];
        double[] transition = new double[states * states];
        int[] population = new int[l];
        int[] sample = new int[l];
        for (int sg = 0; sg < game.GlobalStates; sg++)
        {
            // P̄(s' | j, s_g, s_m) and r̄_l(j, s_g) under π_l; neither depends on a_g. moved[s_m] for every global state s_m
            // the robots may move by (s_g itself, or any s_g' with the reference timing).
            double[][] moved = new double[game.GlobalStates][];
            double[] meanLocalReward = new double[l];
            for (int sm = 0; sm < game.GlobalStates; sm++)
            {
                moved[sm] = new double[l * l];
                for (int j = 0; j < l; j++)
                {
                    for (int a = 0; a < game.LocalActions; a++)
                    {
                        double pa = policies.LocalProbability(sg, j, a);
                        if (sm == sg)
                        {
                            meanLocalReward[j] += pa * game.LocalReward[game.LocalRewardIndex(j, sg, a)];
                        }

                        for (int s2 = 0; s2 < l; s2++)
                        {
                            moved[sm][(j * l) + s2] += pa * game.LocalTransition[game.LocalTransitionIndex(j, sm, a, s2)];
                        }
                    }
                }
            }

            for (int rank = 0; rank < populations; rank++)
            {
                populationRanker.Unrank(rank, n, population, 0);
                int x = (sg * populations) + rank;
                double localPart = 0;
                for (int j = 0; j < l; j++)
                {
                    localPart += population[j] * meanLocalReward[j];
                }

                double[][] nextPopulation = new double[game.GlobalStates][];
                for (int g2 = 0; g2 < game.GlobalStates; g2++)
                {
                    int sm = timing == LocalTransitionTiming.NextGlobalState ? g2 : sg;
                    nextPopulation[g2] = g2 == 0 || timing == LocalTransitionTiming.NextGlobalState ? NextPopulation(population, moved[sm], l, populationRanker, n) : nextPopulation[0];
                }

                double[] globalNext = new double[game.GlobalStates];
                double expectedGlobalReward = 0;
                for (int c = 0; c < samples; c++)
                {
                    sampleRanker.Unrank(c, k, sample, 0);
                    double h = Hypergeometric(population, sample, n, k);
                    if (h == 0)
                    {
                        continue;
                    }

                    int ag = table[(sg * samples) + c];
                    expectedGlobalReward += h * game.GlobalRewardAt(sg, ag);
                    for (int g2 = 0; g2 < game.GlobalStates; g2++)
                    {
                        globalNext[g2] += h * game.GlobalTransition[game.GlobalTransitionIndex(sg, ag, g2)];
                    }
                }

                reward[x] = expectedGlobalReward + (localPart / n);
                for (int g2 = 0; g2 < game.GlobalStates; g2++)
                {
                    for (int r2 = 0; r2 < populations; r2++)
                    {
                        transition[(x * states) + (g2 * populations) + r2] = globalNext[g2] * nextPopulation[g2][r2];
                    }
                }
            }
        }

        double[] value = new double[states];
        for (int t = horizon - 1; t >= 0; t--)
        {
            double[] previous = value;
            value = new double[states];
            for (int x = 0; x < states; x++)
            {
                double future = 0;
                for (int y = 0; y < states; y++)
                {
                    future += transition[(x * states) + y] * previous[y];
                }

                value[x] = reward[x] + (game.Gamma * future);
            }
        }

        double total = 0;
        for (int sg = 0; sg < game.GlobalStates; sg++)
        {
            for (int rank = 0; rank < populations; rank++)
            {
                populationRanker.Unrank(rank, n, population, 0);
                total += game.InitialGlobal[sg] * InitialPopulation(game, population, n) * value[(sg * populations) + rank];
            }
        }

        return total;
    }

    /// <summary>Multinomial(n, p) for a fixed p; Dirichlet-multinomial(n, α) when p ~ Dirichlet(α).</summary>
    private static double InitialPopulation(Game game, int[] population, int n)
    {
        double logCoefficient = LogFactorial(n);
        foreach (int c in population)
        {
            logCoefficient -= LogFactorial(c);
        }

        double[] w = game.InitialLocal;
        if (game.InitialLocalKind == InitialLocalKind.Fixed)
        {
            double p = Math.Exp(logCoefficient);
            for (int j = 0; j < population.Length; j++)
            {
                p *= Math.Pow(w[j], population[j]);
            }

            return p;
        }

        // Rising factorials: Γ(c+α)/Γ(α) = α(α+1)…(α+c−1).
        double a = w.Sum();
        double ratio = Math.Exp(logCoefficient) / Rising(a, n);
        for (int j = 0; j < population.Length; j++)
        {
            ratio *= Rising(w[j], population[j]);
        }

        return ratio;
    }

    private static double Rising(double x, int count)
    {
        double r = 1;
        for (int i = 0; i < count; i++)
        {
            r *= x + i;
        }

        return r;
    }

    private static double LogFactorial(int m)
    {
        double s = 0;
        for (int i = 2; i <= m; i++)
        {
            s += Math.Log(i);
        }

        return s;
    }

    private static double Hypergeometric(int[] population, int[] sample, int n, int k)
    {
        double p = 1.0 / Choose(n, k);
        for (int j = 0; j < population.Length; j++)
        {
            if (sample[j] > population[j])
            {
                return 0;
            }

            p *= Choose(population[j], sample[j]);
        }

        return p;
    }

    private static double Choose(int a, int b)
    {
        double r = 1;
        for (int i = 1; i <= b; i++)
        {
            r = r * (a - b + i) / i;
        }

        return r;
    }

    /// <summary>Distribution of the next count vector: each robot moves independently by P̄(· | its state).</summary>
    private static double[] NextPopulation(int[] population, double[] moved, int l, CountRanker ranker, int n)
    {
        var robots = new List<int>();
        for (int j = 0; j < l; j++)
        {
            robots.AddRange(Enumerable.Repeat(j, population[j]));
        }

        double[] distribution = new double[ranker.Count(n)];
        int[] next = new int[l];
        void Walk(int i, double p)
        {
            if (p == 0)
            {
                return;
            }

            if (i == robots.Count)
            {
                distribution[ranker.Rank(next, 0, n)] += p;
                return;
            }

            for (int s2 = 0; s2 < l; s2++)
            {
                next[s2]++;
                Walk(i + 1, p * moved[(robots[i] * l) + s2]);
                next[s2]--;
            }
        }

        Walk(0, 1.0);
        return distribution;
    }
}
