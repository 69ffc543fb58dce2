using EdgeMarl.Shared.Random;

namespace EdgeMarl.Host.Training.ModelFree;

/// <summary>
/// The tabular Q operations both model-free learners share (<see cref="QLearningGStep"/> over rows <c>(s_g, c)</c>,
/// <see cref="SampledLStep"/> over rows <c>(s_g, s_l)</c>): a row is <c>count</c> actions at <c>offset</c> of a flat Q.
/// One copy, so the two learners cannot drift apart in tie-breaking, draw order or update rule.
/// </summary>
internal static class QTable
{
    /// <summary>argmax_a Q(row, a), ties to the lowest index (as the model-based steps).</summary>
    public static int Greedy(double[] q, int offset, int count)
    {
        int best = 0;
        for (int a = 1; a < count; a++)
        {
            if (q[offset + a] > q[offset + best])
            {
                best = a;
            }
        }

        return best;
    }

    /// <summary>max_a Q(row, a).</summary>
    public static double Max(double[] q, int offset, int count)
    {
        double max = q[offset];
        for (int a = 1; a < count; a++)
        {
            max = Math.Max(max, q[offset + a]);
        }

        return max;
    }

    /// <summary>An ε-greedy action on the row: a uniform action with probability ε, else <see cref="Greedy"/>.</summary>
    public static int EpsilonGreedy(Pcg32 rng, double epsilon, double[] q, int offset, int count)
    {
        bool explore = rng.NextUnitDouble() < epsilon; // one draw for the coin, one for the random action: a fixed draw count
        int random = (int)rng.NextBelow((uint)count);
        return explore ? random : Greedy(q, offset, count);
    }

    /// <summary>
    /// The asynchronous update of pair <paramref name="i"/>: Q ← Q + α_n (target − Q), n = the pair's visits so far (then
    /// counted). Returns the step taken.
    /// </summary>
    public static double Update(ModelFreeSettings settings, double gamma, int[] visits, double[] q, int i, double target)
    {
        double alpha = settings.LearningRate(gamma, visits[i]++);
        double step = alpha * (target - q[i]);
        q[i] += step;
        return step;
    }
}
