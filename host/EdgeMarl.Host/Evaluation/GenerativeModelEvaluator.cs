using EdgeMarl.Host.Games;
using EdgeMarl.Host.Policies;
using EdgeMarl.Host.Simulation;

namespace EdgeMarl.Host.Evaluation;

/// <summary>
/// Monte-Carlo evaluation of the real <c>n</c>-robot system through a generative model (<see cref="GenerativeRolloutSimulator"/>):
/// for simulators with no tables (docs/evaluation.md "Rollouts through a simulator"). Seeds, reduction and thread-independence
/// as <see cref="RobotLevelEvaluator"/>. The game passed to <see cref="Evaluate"/> gives only <c>n</c> and the sizes, which
/// must match the simulator's; its tables, if any, are not read. With <see cref="TableGameSimulator"/> of a game the
/// result equals <see cref="RobotLevelEvaluator"/>'s whenever both map each 32-bit draw to the same outcome (always
/// when every probability is a multiple of 2⁻³²; else they differ only for draws within one unit of a row's boundary).
/// </summary>
/// <param name="simulator">The generative model; used by one rollout at a time when it is not thread-safe (a process serialises its calls itself).</param>
/// <param name="maxDegreeOfParallelism">Worker threads, or −1 for the runtime's default.</param>
public sealed class GenerativeModelEvaluator(IGameSimulator simulator, int maxDegreeOfParallelism = -1) : IPolicyEvaluator
{
    /// <inheritdoc/>
    /// <exception cref="ArgumentException">Sizes differ, or the settings ask for the reference timing or device-exact draws (not supported here).</exception>
    public EvaluationResult Evaluate(Game game, PolicyPair policies, EvaluationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(game);
        ArgumentNullException.ThrowIfNull(settings);
        SimulatorInfo info = simulator.Info;
        if (info.GlobalStates != game.GlobalStates || info.GlobalActions != game.GlobalActions || info.LocalStates != game.LocalStates || info.LocalActions != game.LocalActions)
        {
            throw new ArgumentException($"simulator '{info.Name}' sizes ({info.GlobalStates}, {info.GlobalActions}, {info.LocalStates}, {info.LocalActions}) differ from game '{game.Name}' ({game.GlobalStates}, {game.GlobalActions}, {game.LocalStates}, {game.LocalActions})", nameof(game));
        }

        if (settings.Timing != LocalTransitionTiming.CurrentGlobalState)
        {
            throw new ArgumentException("evaluation through a simulator supports the design timing only (the robots move with the current s_g); the reference timing needs the game's tables", nameof(settings));
        }

        if (settings.Draws != RobotActionDraw.Uniform32)
        {
            throw new ArgumentException("evaluation through a simulator supports 32-bit robot draws only (device-exact replay needs the game's tables)", nameof(settings));
        }

        // One construction up front, so a shape or k error is an ArgumentException here and not an AggregateException of the workers.
        _ = new GenerativeRolloutSimulator(simulator, policies, settings.K, game.AgentCount);
        try
        {
            return RunLockStep(settings, info.Gamma, game.AgentCount, policies);
        }
        catch (AggregateException e) when (e.Flatten().InnerExceptions.FirstOrDefault(x => x is SimulatorException) is { } failure)
        {
            // A crashed or misbehaving simulator: its one-line message, not the parallel loop's wrapper.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
            throw;
        }
    }

    /// <summary>
    /// Runs the rollouts in chunks of <c>W ≈ 65,536 / n</c> that step in lock-step, so each step of a chunk is ONE
    /// <c>step_local</c> of <c>W·n</c> robots and one <c>step_global</c> of <c>W</c> (a process round trip per step of W
    /// rollouts, not per rollout). Every rollout draws only from its own seed and the simulator answers each request
    /// by itself, so the returns are those of rollout-at-a-time stepping, for any chunk size and thread count.
    /// </summary>
    private EvaluationResult RunLockStep(EvaluationSettings settings, double gamma, int n, PolicyPair policies)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(settings.Horizon);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.RolloutsPerSeed, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Seeds, 1);
        int rollouts = settings.RolloutsPerSeed;
        int items = checked(settings.Seeds * rollouts);
        int width = Math.Clamp(LocalRequestsPerCall / n, 1, items);
        int chunks = (items + width - 1) / width;
        var returns = new double[items];
        Parallel.For(
            0,
            chunks,
            new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism },
            () => new Chunk(simulator, policies, settings.K, n, width),
            (chunk, _, state) =>
            {
                int first = chunk * width, count = Math.Min(width, items - first);
                state.Run(settings, gamma, first, count, rollouts, returns);
                return state;
            },
            _ => { });
        return RolloutRunner.Reduce(returns, settings.Seeds, rollouts, (long)items * settings.Horizon * n);
    }

    private const int LocalRequestsPerCall = 65536;

    /// <summary>One worker's rollouts and request/answer buffers, reused across chunks.</summary>
    private sealed class Chunk
    {
        private readonly IGameSimulator _simulator;
        private readonly GenerativeRolloutSimulator[] _rollouts;
        private readonly int _n;
        private readonly int[] _localState, _globalOfLocal, _localAction, _next;
        private readonly uint[] _uniform;
        private readonly double[] _reward;
        private readonly int[] _gState, _gAction, _gNext;
        private readonly uint[] _gUniform;
        private readonly double[] _gReward, _total, _discount;

        public Chunk(IGameSimulator simulator, PolicyPair policies, int k, int n, int width)
        {
            _simulator = simulator;
            _n = n;
            _rollouts = new GenerativeRolloutSimulator[width];
            for (int w = 0; w < width; w++)
            {
                _rollouts[w] = new GenerativeRolloutSimulator(simulator, policies, k, n);
            }

            _localState = new int[width * n];
            _globalOfLocal = new int[width * n];
            _localAction = new int[width * n];
            _next = new int[width * n];
            _uniform = new uint[width * n];
            _reward = new double[width * n];
            _gState = new int[width];
            _gAction = new int[width];
            _gNext = new int[width];
            _gUniform = new uint[width];
            _gReward = new double[width];
            _total = new double[width];
            _discount = new double[width];
        }

        public void Run(EvaluationSettings settings, double gamma, int first, int count, int rolloutsPerSeed, double[] returns)
        {
            for (int w = 0; w < count; w++)
            {
                int item = first + w;
                _rollouts[w].Reset(EvaluationSeeds.Rollout(settings.Seed, item / rolloutsPerSeed, item % rolloutsPerSeed));
                _total[w] = 0;
                _discount[w] = 1.0;
            }

            int locals = count * _n;
            for (int t = 0; t < settings.Horizon; t++)
            {
                for (int w = 0; w < count; w++)
                {
                    _rollouts[w].Prepare(_localState, _globalOfLocal, _localAction, _uniform, w * _n, _gState, _gAction, _gUniform, w);
                }

                _simulator.StepLocal(_localState.AsSpan(0, locals), _globalOfLocal.AsSpan(0, locals), _localAction.AsSpan(0, locals), _uniform.AsSpan(0, locals), _next.AsSpan(0, locals), _reward.AsSpan(0, locals));
                _simulator.StepGlobal(_gState.AsSpan(0, count), _gAction.AsSpan(0, count), _gUniform.AsSpan(0, count), _gNext.AsSpan(0, count), _gReward.AsSpan(0, count));
                for (int w = 0; w < count; w++)
                {
                    _total[w] += _discount[w] * _rollouts[w].Finish(_next, _reward, w * _n, _gNext, _gReward, w); // as RolloutRunner: Σ γ^t r_t
                    _discount[w] *= gamma;
                }
            }

            for (int w = 0; w < count; w++)
            {
                returns[first + w] = _total[w];
            }
        }
    }
}
