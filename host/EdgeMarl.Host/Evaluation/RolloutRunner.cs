namespace EdgeMarl.Host.Evaluation;

/// <summary>
/// Runs every (seed, rollout) pair in parallel and reduces the returns in a fixed order, so the result does not
/// depend on the number of threads (each rollout's randomness comes only from its own seed).
/// </summary>
internal static class RolloutRunner
{
    /// <summary>Runs the rollouts and reduces them (docs/reference-benchmark.md "Evaluation").</summary>
    /// <param name="settings">Horizon, counts and base seed.</param>
    /// <param name="gamma">Discount <c>γ</c>; step <c>t</c> is weighted <c>γ^t</c>, <c>t = 0 … H−1</c>.</param>
    /// <param name="agentCount">Robots per rollout, for the robot-step count.</param>
    /// <param name="maxDegreeOfParallelism">Worker threads, or −1 for the runtime's default.</param>
    /// <param name="createSimulator">Makes one simulator per worker (its buffers are reused for all its rollouts).</param>
    /// <returns>Mean over seeds of the per-seed mean return, population std over seeds, per-seed means.</returns>
    public static EvaluationResult Run<TSimulator>(
        EvaluationSettings settings, double gamma, int agentCount, int maxDegreeOfParallelism, Func<TSimulator> createSimulator)
        where TSimulator : IRolloutSimulator
    {
        ArgumentOutOfRangeException.ThrowIfNegative(settings.Horizon);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.RolloutsPerSeed, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Seeds, 1);
        int rollouts = settings.RolloutsPerSeed;
        int items = checked(settings.Seeds * rollouts);
        double[] returns = new double[items];
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
        Parallel.For(
            0,
            items,
            options,
            createSimulator,
            (item, _, simulator) =>
            {
                simulator.Reset(EvaluationSeeds.Rollout(settings.Seed, item / rollouts, item % rollouts));
                double discount = 1.0;
                double total = 0;
                for (int t = 0; t < settings.Horizon; t++)
                {
                    total += discount * simulator.Step();
                    discount *= gamma;
                }

                returns[item] = total;
                return simulator;
            },
            _ => { });

        return Reduce(returns, settings.Seeds, rollouts, (long)items * settings.Horizon * agentCount);
    }

    /// <summary>Per-seed means in rollout order, their mean, and their population standard deviation (numpy's default).</summary>
    internal static EvaluationResult Reduce(double[] returns, int seeds, int rolloutsPerSeed, long robotSteps)
    {
        double[] perSeed = new double[seeds];
        for (int s = 0; s < seeds; s++)
        {
            double sum = 0;
            for (int r = 0; r < rolloutsPerSeed; r++)
            {
                sum += returns[(s * rolloutsPerSeed) + r];
            }

            perSeed[s] = sum / rolloutsPerSeed;
        }

        double mean = 0;
        foreach (double m in perSeed)
        {
            mean += m;
        }

        mean /= seeds;
        double squares = 0;
        foreach (double m in perSeed)
        {
            squares += (m - mean) * (m - mean);
        }

        return new EvaluationResult(mean, Math.Sqrt(squares / seeds), perSeed, robotSteps);
    }
}
