// DESIGN.md §2 L-step, from samples: the robot's best response in the induced MDP on (s_g, s_l).
//   1. μ(·|s_g): a rollout of P robots (P = min(n, population)) from the initial distribution; each step the gateway
//      samples k of them without replacement, acts a_g = π_g(s_g, c), every robot draws a_l ~ π_l and steps; after the
//      burn-in, the visits of (s_g, s_l) give μ̂(s_l|s_g) (uniform for an s_g never seen) and the visits of (s_g, s_g')
//      the empirical induced transition (recorded only).
//   2. Synchronous Q-learning, for every (s_g, s_l, a_l) at once, t = 0 … T−1:
//        (s_l', r_l) ~ step_local(s_l, s_g, a_l);  c ~ Multinomial(k, μ̂(·|s_g));  s_g' ~ step_global(s_g, π_g(s_g, c))
//        Q(s_g,s_l,a_l) ← Q + α_t (r_l + γ max_a' Q(s_g',s_l',a') − Q)
//   3. π_l = greedy or softmax of Q (the model-based L-step's rule).
using EdgeMarl.Host.Simulation;
using EdgeMarl.Shared.Counting;
using EdgeMarl.Shared.Random;

namespace EdgeMarl.Host.Training.ModelFree;

/// <summary>L-step by Q-learning on <c>(s_g, s_l)</c> from simulator samples of the induced MDP.</summary>
public sealed class SampledLStep : ILocalBestResponse, ISampleCounting
{
    private readonly IGameSimulator _simulator;
    private readonly TrainingConfig _config;
    private readonly ModelFreeSettings _settings;
    private readonly CountRanker _ranker;
    private readonly SimulatorBatch _global = new(), _local = new();
    private ulong _calls;

    /// <summary>Initializes a new instance of the <see cref="SampledLStep"/> class.</summary>
    /// <param name="simulator">The generative model.</param>
    /// <param name="config">k, output rule and <see cref="TrainingConfig.ModelFree"/>.</param>
    public SampledLStep(IGameSimulator simulator, TrainingConfig config)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        ArgumentNullException.ThrowIfNull(config);
        _simulator = simulator;
        _config = config;
        _settings = config.ModelFree ?? new ModelFreeSettings();
        _ranker = new CountRanker(simulator.Info.LocalStates, config.K);
    }

    /// <inheritdoc/>
    public long GlobalSamples { get; private set; }

    /// <inheritdoc/>
    public long LocalSamples { get; private set; }

    /// <inheritdoc/>
    /// <remarks>The alternation passes the same seed every round; each call derives its own stream from it and the call index.</remarks>
    public LStepResult Solve(double[] currentLocalPolicy, byte[] globalActions, ulong seed, double[]? warmStart = null)
    {
        ArgumentNullException.ThrowIfNull(currentLocalPolicy);
        ArgumentNullException.ThrowIfNull(globalActions);
        SimulatorInfo info = _simulator.Info;
        int g = info.GlobalStates, l = info.LocalStates, al = info.LocalActions, k = _config.K;
        var rng = new Pcg32(Pcg32.DeriveSeed(seed, _calls++), 0);
        (double[] mu, double[] induced) = EstimateMeanField(currentLocalPolicy, globalActions, rng);

        var muCumulative = Inversion.Cumulative(mu, l);
        int pairs = g * l * al;
        var q = new double[pairs];
        var target = new double[pairs];
        var counts = new int[l];
        var cumulativeRow = new double[l];
        double change = double.PositiveInfinity;
        int iterations = _settings.LSamplesPerPair;
        if (_settings.Exploration == SampleExploration.EpsilonGreedy)
        {
            change = AlongTrajectories(muCumulative, globalActions, q, rng);
            iterations = 0; // no synchronous sweeps
        }

        for (int t = 0; t < iterations; t++)
        {
            _local.Reset(pairs);
            _global.Reset(pairs);
            for (int sg = 0; sg < g; sg++)
            {
                Array.Copy(muCumulative, sg * l, cumulativeRow, 0, l);
                for (int s = 0; s < l; s++)
                {
                    for (int a = 0; a < al; a++)
                    {
                        _local.Add(s, sg, a, rng.NextUInt32());
                        Multinomial.Draw(rng, k, cumulativeRow, counts);
                        int action = globalActions[(_ranker.Rank(counts, 0, k) * g) + sg];
                        _global.Add(sg, sg, action, rng.NextUInt32());
                    }
                }
            }

            _local.RunLocal(_simulator);
            _global.RunGlobal(_simulator);
            LocalSamples += pairs;
            GlobalSamples += pairs;

            double alpha = _settings.LearningRate(info.Gamma, t);
            for (int i = 0; i < pairs; i++)
            {
                int next = (((_global.Next[i] * l) + _local.Next[i]) * al);
                target[i] = _local.Reward[i] + (info.Gamma * QTable.Max(q, next, al));
            }

            change = 0;
            for (int i = 0; i < pairs; i++)
            {
                double step = alpha * (target[i] - q[i]);
                q[i] += step;
                change = Math.Max(change, Math.Abs(step));
            }
        }

        var value = new double[g * l];
        for (int state = 0; state < value.Length; state++)
        {
            value[state] = QTable.Max(q, state * al, al);
        }

        double[] policy = LocalPolicyFromQ.Compute(q, al, _config);
        return new LStepResult(policy, value, q, _settings.LSamplesPerPair, change, mu, induced);
    }

    /// <summary>
    /// Asynchronous Q-learning along trajectories of the induced MDP (docs/model-free.md "Exploration"): W walkers, each a
    /// robot at (s_g, s_l), start and restart every EpisodeLength transitions at a uniformly drawn (s_g, s_l); a_l ε-greedy on
    /// Q; (s_l', r_l) ~ step_local(s_l, s_g, a_l), c ~ Multinomial(k, μ̂(·|s_g)), s_g' ~ step_global(s_g, π_g(s_g, c));
    /// Q ← Q + α_n (r_l + γ max Q(s_g', s_l', ·) − Q), n = the pair's visits. Budget LSamplesPerPair × |(s_g, s_l, a_l)|.
    /// </summary>
    private double AlongTrajectories(double[] muCumulative, byte[] globalActions, double[] q, Pcg32 rng)
    {
        SimulatorInfo info = _simulator.Info;
        int g = info.GlobalStates, l = info.LocalStates, al = info.LocalActions, k = _config.K;
        int states = g * l;
        long budget = (long)_settings.LSamplesPerPair * states * al;
        int walkers = (int)Math.Min(_settings.Walkers, budget);
        var visits = new int[states * al];
        var globalState = new int[walkers];
        var localState = new int[walkers];
        var action = new int[walkers];
        var age = new int[walkers];
        var counts = new int[l];
        var cumulativeRow = new double[l];
        double gamma = info.Gamma, last = 0;
        for (int w = 0; w < walkers; w++)
        {
            Restart(w);
        }

        for (long done = 0; done < budget;)
        {
            int active = (int)Math.Min(walkers, budget - done);
            double epsilon = _settings.Epsilon(done, budget);
            _local.Reset(active);
            _global.Reset(active);
            for (int w = 0; w < active; w++)
            {
                int sg = globalState[w], state = (sg * l) + localState[w];
                action[w] = QTable.EpsilonGreedy(rng, epsilon, q, state * al, al);
                _local.Add(localState[w], sg, action[w], rng.NextUInt32());
                Array.Copy(muCumulative, sg * l, cumulativeRow, 0, l);
                Multinomial.Draw(rng, k, cumulativeRow, counts);
                _global.Add(sg, sg, globalActions[(_ranker.Rank(counts, 0, k) * g) + sg], rng.NextUInt32());
            }

            _local.RunLocal(_simulator);
            _global.RunGlobal(_simulator);
            LocalSamples += active;
            GlobalSamples += active;
            for (int w = 0; w < active; w++)
            {
                int i = (((globalState[w] * l) + localState[w]) * al) + action[w];
                globalState[w] = _global.Next[w];
                localState[w] = _local.Next[w];
                int next = ((globalState[w] * l) + localState[w]) * al;
                last = QTable.Update(_settings, gamma, visits, q, i, _local.Reward[w] + (gamma * QTable.Max(q, next, al)));
                if (++age[w] >= _settings.EpisodeLength)
                {
                    Restart(w);
                }
            }

            done += active;
        }

        return Math.Abs(last);

        void Restart(int w)
        {
            int start = (int)rng.NextBelow((uint)states);
            globalState[w] = start / l;
            localState[w] = start % l;
            age[w] = 0;
        }
    }

    /// <summary>Rollout estimate of μ(s_l|s_g) (flat <c>[s_g, s_l]</c>) and of the induced transition (flat <c>[s_g, s_g']</c>).</summary>
    private (double[] Mu, double[] Induced) EstimateMeanField(double[] localPolicy, byte[] globalActions, Pcg32 rng)
    {
        SimulatorInfo info = _simulator.Info;
        int g = info.GlobalStates, l = info.LocalStates, al = info.LocalActions, k = _config.K;
        int population = Math.Max(k, Math.Min(info.AgentCount, _settings.MeanFieldPopulation));
        double[] policyCumulative = Inversion.Cumulative(localPolicy, al);
        double[] initialGlobal = Inversion.Cumulative(info.InitialGlobal, g);
        double[] initialLocal = Inversion.Cumulative(info.InitialLocal, l);
        var robots = new int[population];
        var order = new int[population];
        for (int i = 0; i < population; i++)
        {
            robots[i] = Inversion.Draw(initialLocal, 0, rng.NextUInt32());
            order[i] = i;
        }

        int globalState = Inversion.Draw(initialGlobal, 0, rng.NextUInt32());
        var visits = new double[g * l];
        var moves = new double[g * g];
        var counts = new int[l];
        int steps = _settings.MeanFieldBurnIn + _settings.MeanFieldSteps;
        for (int step = 0; step < steps; step++)
        {
            // The gateway's sample: a partial Fisher–Yates shuffle picks k robots without replacement.
            Array.Clear(counts);
            for (int i = 0; i < k; i++)
            {
                int j = i + (int)rng.NextBelow((uint)(population - i));
                (order[i], order[j]) = (order[j], order[i]);
                counts[robots[order[i]]]++;
            }

            int globalAction = globalActions[(_ranker.Rank(counts, 0, k) * g) + globalState];
            bool counted = step >= _settings.MeanFieldBurnIn;
            _local.Reset(population);
            for (int i = 0; i < population; i++)
            {
                if (counted)
                {
                    visits[(globalState * l) + robots[i]]++;
                }

                int action = Inversion.Draw(policyCumulative, ((globalState * l) + robots[i]) * al, rng.NextUInt32());
                _local.Add(robots[i], globalState, action, rng.NextUInt32());
            }

            _global.Reset(1);
            _global.Add(globalState, globalState, globalAction, rng.NextUInt32());
            _local.RunLocal(_simulator);
            _global.RunGlobal(_simulator);
            LocalSamples += population;
            GlobalSamples++;
            Array.Copy(_local.Next, robots, population);
            if (counted)
            {
                moves[(globalState * g) + _global.Next[0]]++;
            }

            globalState = _global.Next[0];
        }

        Normalise(visits, l);
        Normalise(moves, g);
        return (visits, moves);
    }

    private static void Normalise(double[] rows, int width)
    {
        for (int row = 0; row < rows.Length; row += width)
        {
            double sum = 0;
            for (int j = 0; j < width; j++)
            {
                sum += rows[row + j];
            }

            for (int j = 0; j < width; j++)
            {
                rows[row + j] = sum > 0 ? rows[row + j] / sum : 1.0 / width; // an unvisited s_g: uniform
            }
        }
    }
}

/// <summary>The model-based L-step's output rule (greedy, or softmax with <c>τ = max(τ_min, (max Q − min Q)/scale)</c>).</summary>
internal static class LocalPolicyFromQ
{
    public static double[] Compute(double[] q, int al, TrainingConfig config)
    {
        int states = q.Length / al;
        var policy = new double[q.Length];
        for (int state = 0; state < states; state++)
        {
            int o = state * al;
            if (config.LocalOutput == LocalPolicyOutput.Greedy)
            {
                int best = 0;
                for (int a = 1; a < al; a++)
                {
                    if (q[o + a] > q[o + best])
                    {
                        best = a;
                    }
                }

                policy[o + best] = 1.0;
                continue;
            }

            double max = q[o], min = max;
            for (int a = 1; a < al; a++)
            {
                max = Math.Max(max, q[o + a]);
                min = Math.Min(min, q[o + a]);
            }

            double tau = Math.Max(config.SoftmaxTemperatureMin, (max - min) / config.SoftmaxTemperatureScale);
            double sum = 0;
            for (int a = 0; a < al; a++)
            {
                double e = Math.Exp((q[o + a] - max) / tau);
                policy[o + a] = e;
                sum += e;
            }

            for (int a = 0; a < al; a++)
            {
                policy[o + a] /= sum;
            }
        }

        return policy;
    }
}
