// DESIGN.md §2 G-step, from samples (the paper's subsampled mean-field Q-learning with a generative model):
//   state (s_g, c), Σ c_j = k; for t = 0 … T−1, for every (s_g, c, a_g) at once (synchronous Q-learning):
//     s_g', r_g   ~ simulator.step_global(s_g, a_g)
//     every one of the k sampled robots in state j draws a_l ~ π_l(·|j, s_g) and (s_l', r_l) ~ simulator.step_local(j, s_g, a_l);
//     c' = counts of the k next states (shared by all a_g of the row, as the sampled model-based mode)
//     Q(s_g,c,a_g) ← Q + α_t (r_g + (1/k) Σ r_l + γ max_a' Q(s_g',c',a') − Q),   α_t = (1 + (1−γ)t)^(−ω)
//   the targets of iteration t read Q of iteration t−1 only, so the result does not depend on batch order.
using EdgeMarl.Host.Simulation;
using EdgeMarl.Shared.Counting;
using EdgeMarl.Shared.Random;

namespace EdgeMarl.Host.Training.ModelFree;

/// <summary>G-step by tabular Q-learning on <c>(s_g, c)</c> from simulator samples; output in <see cref="GStepResult"/> layout.</summary>
public sealed class QLearningGStep : IGlobalBestResponse, ISampleCounting
{
    private readonly IGameSimulator _simulator;
    private readonly TrainingConfig _config;
    private readonly ModelFreeSettings _settings;
    private readonly CountRanker _ranker;
    private readonly SimulatorBatch _global = new(), _local = new();

    /// <summary>Initializes a new instance of the <see cref="QLearningGStep"/> class.</summary>
    /// <param name="simulator">The generative model.</param>
    /// <param name="config">k and <see cref="TrainingConfig.ModelFree"/>.</param>
    public QLearningGStep(IGameSimulator simulator, TrainingConfig config)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        ArgumentNullException.ThrowIfNull(config);
        _simulator = simulator;
        _config = config;
        _settings = config.ModelFree ?? new ModelFreeSettings();
        if (simulator.Info.GlobalActions > byte.MaxValue)
        {
            throw new NotSupportedException("G-step stores actions as bytes: |A_g| must be <= 255");
        }

        _ranker = new CountRanker(simulator.Info.LocalStates, config.K);
    }

    /// <inheritdoc/>
    public long GlobalSamples { get; private set; }

    /// <inheritdoc/>
    public long LocalSamples { get; private set; }

    /// <summary>Gets the Q table of the last <see cref="Solve"/>, flat <c>[(rank(c)·|S_g| + s_g)·|A_g| + a_g]</c>.</summary>
    public double[]? LastQ { get; private set; }

    /// <inheritdoc/>
    public GStepResult Solve(double[] localPolicy, int k, ulong seed, double[]? warmStart = null)
    {
        ArgumentNullException.ThrowIfNull(localPolicy);
        SimulatorInfo info = _simulator.Info;
        int g = info.GlobalStates, ag = info.GlobalActions, l = info.LocalStates, al = info.LocalActions;
        double gamma = info.Gamma;
        CountSpace space = CountSpace.Build(_ranker, k);
        int rows = space.Size * g;
        double[] policyCumulative = Inversion.Cumulative(localPolicy, al);
        var q = new double[rows * ag];
        var target = new double[rows * ag];
        var rho = new double[rows];
        var nextRank = new int[rows];
        var counts = new int[l];
        var rng = new Pcg32(seed, 0);
        double change = double.PositiveInfinity;
        int iterations = _settings.GSamplesPerPair;
        if (_settings.Exploration == SampleExploration.EpsilonGreedy)
        {
            change = AlongTrajectories(space, policyCumulative, q, k, rng);
            iterations = 0; // no synchronous sweeps
        }

        for (int t = 0; t < iterations; t++)
        {
            // k robots per row: a_l from π_l on the host, then one batched step_local.
            _local.Reset(rows * k);
            for (int c = 0; c < space.Size; c++)
            {
                for (int sg = 0; sg < g; sg++)
                {
                    for (int j = 0; j < l; j++)
                    {
                        int cj = space.Counts[(c * l) + j];
                        for (int robot = 0; robot < cj; robot++)
                        {
                            int action = Inversion.Draw(policyCumulative, ((sg * l) + j) * al, rng.NextUInt32());
                            _local.Add(j, sg, action, rng.NextUInt32());
                        }
                    }
                }
            }

            _global.Reset(rows * ag);
            for (int row = 0; row < rows; row++)
            {
                for (int a = 0; a < ag; a++)
                {
                    _global.Add(row % g, row % g, a, rng.NextUInt32());
                }
            }

            _local.RunLocal(_simulator);
            _global.RunGlobal(_simulator);
            LocalSamples += _local.Count;
            GlobalSamples += _global.Count;

            for (int row = 0, at = 0; row < rows; row++)
            {
                Array.Clear(counts);
                double sum = 0;
                for (int robot = 0; robot < k; robot++, at++)
                {
                    counts[_local.Next[at]]++;
                    sum += _local.Reward[at];
                }

                nextRank[row] = _ranker.Rank(counts, 0, k);
                rho[row] = sum / k;
            }

            double alpha = _settings.LearningRate(gamma, t);
            for (int row = 0; row < rows; row++)
            {
                for (int a = 0; a < ag; a++)
                {
                    int i = (row * ag) + a;
                    int nextRow = (nextRank[row] * g) + _global.Next[i];
                    target[i] = _global.Reward[i] + rho[row] + (gamma * QTable.Max(q, nextRow * ag, ag)); // r + γ max_a' Q(s',a')
                }
            }

            change = 0;
            for (int i = 0; i < q.Length; i++)
            {
                double step = alpha * (target[i] - q[i]); // Q ← Q + α (target − Q)
                q[i] += step;
                change = Math.Max(change, Math.Abs(step));
            }
        }

        var value = new double[rows];
        var actions = new byte[rows];
        for (int row = 0; row < rows; row++)
        {
            int best = QTable.Greedy(q, row * ag, ag); // ties to the lowest index, as the model-based G-step
            actions[row] = (byte)best;
            value[row] = q[(row * ag) + best];
        }

        LastQ = q;
        return new GStepResult(k, value, actions, _settings.GSamplesPerPair, change);
    }

    /// <summary>
    /// Asynchronous Q-learning along trajectories of the sampled-k system (docs/model-free.md "Exploration"): W walkers
    /// side by side, each at (s_g, k robots' states); a walker starts, and restarts every <c>EpisodeLength</c> transitions,
    /// at a uniformly drawn row (s_g, c) (exploring starts), takes a_g ε-greedy on Q (ε falls linearly from EpsilonStart to
    /// EpsilonEnd over the budget), its k robots draw a_l ~ π_l and step, s_g steps, c' = counts of the k next states, and
    /// Q(s_g,c,a_g) ← Q + α_n (r_g + (1/k)Σ r_l + γ max Q(s_g',c',·) − Q) with n the pair's own visit count. Budget: T × rows ×
    /// |A_g| transitions (T = GSamplesPerPair), the global samples of the synchronous mode. Updates in walker order, so the
    /// result depends only on the seed. Returns the last update's size.
    /// </summary>
    private double AlongTrajectories(CountSpace space, double[] policyCumulative, double[] q, int k, Pcg32 rng)
    {
        SimulatorInfo info = _simulator.Info;
        int g = info.GlobalStates, ag = info.GlobalActions, l = info.LocalStates, al = info.LocalActions;
        int rows = space.Size * g;
        long budget = (long)_settings.GSamplesPerPair * rows * ag;
        int walkers = (int)Math.Min(_settings.Walkers, budget);
        var visits = new int[rows * ag];
        var robots = new int[walkers * k];
        var globalState = new int[walkers];
        var age = new int[walkers];
        var row = new int[walkers];
        var action = new int[walkers];
        var counts = new int[l];
        double gamma = info.Gamma, last = 0;
        for (int w = 0; w < walkers; w++)
        {
            Restart(w);
        }

        for (long done = 0; done < budget;)
        {
            int active = (int)Math.Min(walkers, budget - done);
            double epsilon = _settings.Epsilon(done, budget);
            _local.Reset(active * k);
            _global.Reset(active);
            for (int w = 0; w < active; w++)
            {
                int sg = globalState[w];
                Array.Clear(counts);
                for (int r = 0; r < k; r++)
                {
                    counts[robots[(w * k) + r]]++;
                }

                row[w] = (_ranker.Rank(counts, 0, k) * g) + sg;
                action[w] = QTable.EpsilonGreedy(rng, epsilon, q, row[w] * ag, ag);
                for (int r = 0; r < k; r++)
                {
                    int j = robots[(w * k) + r];
                    int a = Inversion.Draw(policyCumulative, ((sg * l) + j) * al, rng.NextUInt32());
                    _local.Add(j, sg, a, rng.NextUInt32());
                }

                _global.Add(sg, sg, action[w], rng.NextUInt32());
            }

            _local.RunLocal(_simulator);
            _global.RunGlobal(_simulator);
            LocalSamples += _local.Count;
            GlobalSamples += _global.Count;
            for (int w = 0; w < active; w++)
            {
                Array.Clear(counts);
                double sum = 0;
                for (int r = 0; r < k; r++)
                {
                    int next = _local.Next[(w * k) + r];
                    robots[(w * k) + r] = next;
                    counts[next]++;
                    sum += _local.Reward[(w * k) + r];
                }

                globalState[w] = _global.Next[w];
                int nextRow = (_ranker.Rank(counts, 0, k) * g) + globalState[w];
                double target = _global.Reward[w] + (sum / k) + (gamma * QTable.Max(q, nextRow * ag, ag));
                last = QTable.Update(_settings, gamma, visits, q, (row[w] * ag) + action[w], target);
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
            int start = (int)rng.NextBelow((uint)rows);
            globalState[w] = start % g;
            int c = start / g, r = 0;
            for (int j = 0; j < l; j++)
            {
                for (int m = 0; m < space.Counts[(c * l) + j]; m++)
                {
                    robots[(w * k) + r++] = j;
                }
            }

            age[w] = 0;
        }
    }
}
