// docs/design.md §2 L-step: local best response to a fixed π_g by value iteration on (s_g, s_l):
//   Q(s_g,s_l,a_l) = r_l(s_l,s_g,a_l) + γ Σ_{s_l'} P_l(s_l'|s_l,s_g,a_l) Σ_{s_g'} P̃_g(s_g'|s_g) V(s_g',s_l')
//   V ← max_{a_l} Q until max |ΔV| < tol or the sweep cap; then Q = Q(V) once more and π_l = greedy or softmax(Q/τ),
//   τ = max(τ_min, (max Q − min Q)/scale) per (s_g,s_l) (docs/reference-benchmark.md reference rule).
using EdgeMarl.Host.Games;
using EdgeMarl.Shared.Counting;

namespace EdgeMarl.Host.Training;

/// <summary>The L-step's outputs.</summary>
/// <param name="LocalPolicy">π_l, flat <c>[s_g, s_l, a_l]</c> (PolicyPair layout).</param>
/// <param name="Value">V, flat <c>[s_g, s_l]</c>.</param>
/// <param name="Q">Q(V), flat <c>[s_g, s_l, a_l]</c>.</param>
/// <param name="Sweeps">Sweeps run.</param>
/// <param name="LastChange">max |ΔV| of the last sweep.</param>
/// <param name="MeanField">μ(s_l|s_g) used, flat <c>[s_g, s_l]</c>.</param>
/// <param name="InducedGlobal">P̃_g, flat <c>[s_g, s_g']</c>.</param>
public sealed record LStepResult(double[] LocalPolicy, double[] Value, double[] Q, int Sweeps, double LastChange, double[] MeanField, double[] InducedGlobal);

/// <summary>L-step solver (tiny state space: sequential, deterministic).</summary>
public sealed class LStep
{
    private readonly Game _game;
    private readonly TrainingConfig _config;
    private readonly CountRanker _ranker;

    /// <summary>Initializes a new instance of the <see cref="LStep"/> class.</summary>
    /// <param name="game">The game.</param>
    /// <param name="config">Tolerance, sweeps, output, μ estimate, induced-transition averaging.</param>
    public LStep(Game game, TrainingConfig config)
    {
        ArgumentNullException.ThrowIfNull(game);
        ArgumentNullException.ThrowIfNull(config);
        _game = game;
        _config = config;
        _ranker = new CountRanker(game.LocalStates, config.K);
    }

    /// <summary>Gets where the last solve spent its time (benchmarks read it).</summary>
    internal LStepPhases Phases { get; private set; }

    /// <summary>Solves the L-step for sample size <c>config.K</c>.</summary>
    /// <param name="currentLocalPolicy">The π_l the mean field is computed under (the one the G-step answered).</param>
    /// <param name="globalActions">π_g from the G-step, flat <c>[rank(c)·|S_g| + s_g]</c>.</param>
    /// <param name="seed">Seed of the sampled induced transition.</param>
    /// <param name="warmStart">Initial V or null for V = 0.</param>
    /// <returns>π_l and diagnostics.</returns>
    public LStepResult Solve(double[] currentLocalPolicy, byte[] globalActions, ulong seed, double[]? warmStart = null)
    {
        int k = _config.K;
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        LocalMarginals marginals = LocalMarginals.Compute(_game, currentLocalPolicy);
        int iterations = 0;
        ActionRuns? runs = _config.InducedGlobal == InducedTransition.Exact && _game.LocalStates >= 3 ? ActionRuns.Build(globalActions, _game.GlobalStates, _game.LocalStates, k) : null;
        double[] mu = _config.MeanField switch
        {
            MeanFieldEstimate.Reference => MeanField.Reference(marginals, _config.MeanFieldIterations),
            MeanFieldEstimate.Stationary => MeanField.Stationary(_game, marginals, globalActions, _ranker, k, _config, seed, false, MeanField.AndersonDepth, runs, out iterations),
            _ => MeanField.Stationary(_game, marginals, globalActions, _ranker, k, _config, seed, true, MeanField.AndersonDepth, runs, out iterations),
        };
        long meanFieldDone = System.Diagnostics.Stopwatch.GetTimestamp();
        double[] induced = InducedGlobalTransition.Compute(_game, globalActions, _ranker, k, mu, _config.InducedGlobal, _config.InducedDraws, seed, _config.ParallelOptions(), runs);
        long inducedDone = System.Diagnostics.Stopwatch.GetTimestamp();

        int g = _game.GlobalStates, l = _game.LocalStates;
        var value = new double[g * l];
        if (warmStart != null && warmStart.Length == value.Length)
        {
            Array.Copy(warmStart, value, value.Length);
        }

        var q = new double[g * l * _game.LocalActions];
        var updated = new double[g * l];
        int sweeps = 0;
        double change = double.PositiveInfinity;
        while (sweeps < _config.LMaxSweeps)
        {
            ComputeQ(induced, value, q);
            change = 0;
            for (int i = 0; i < value.Length; i++)
            {
                updated[i] = Max(q, i);
                change = Math.Max(change, Math.Abs(updated[i] - value[i]));
            }

            (value, updated) = (updated, value);
            sweeps++;
            if (change < _config.LTolerance)
            {
                break;
            }
        }

        ComputeQ(induced, value, q); // the reference recomputes Q from the final V before extracting π_l
        double[] policy = _config.LocalOutput == LocalPolicyOutput.Greedy ? Greedy(q) : Softmax(q);
        Phases = new LStepPhases(meanFieldDone - started, inducedDone - meanFieldDone, System.Diagnostics.Stopwatch.GetTimestamp() - inducedDone) { MeanFieldIterations = iterations };
        return new LStepResult(policy, value, q, sweeps, change, mu, induced);
    }

    /// <summary>Q(s_g,s_l,a_l) = r_l + γ Σ_{s_l'} P_l(s_l'|s_l,s_g,a_l) Σ_{s_g'} P̃_g(s_g'|s_g) V(s_g',s_l').</summary>
    internal void ComputeQ(double[] induced, double[] value, double[] q)
    {
        int g = _game.GlobalStates, l = _game.LocalStates, al = _game.LocalActions;
        var weighted = new double[l];
        for (int sg = 0; sg < g; sg++)
        {
            Array.Clear(weighted);
            for (int g2 = 0; g2 < g; g2++)
            {
                double p = induced[(sg * g) + g2];
                for (int s2 = 0; s2 < l; s2++)
                {
                    weighted[s2] += p * value[(g2 * l) + s2]; // Σ_{s_g'} P̃_g(s_g'|s_g) V(s_g', s_l')
                }
            }

            for (int s = 0; s < l; s++)
            {
                for (int a = 0; a < al; a++)
                {
                    double future = 0;
                    for (int s2 = 0; s2 < l; s2++)
                    {
                        future += _game.LocalTransition[_game.LocalTransitionIndex(s, sg, a, s2)] * weighted[s2];
                    }

                    q[(((sg * l) + s) * al) + a] = _game.LocalReward[_game.LocalRewardIndex(s, sg, a)] + (_game.Gamma * future);
                }
            }
        }
    }

    private double Max(double[] q, int state)
    {
        int al = _game.LocalActions;
        double max = q[state * al];
        for (int a = 1; a < al; a++)
        {
            max = Math.Max(max, q[(state * al) + a]);
        }

        return max;
    }

    private double[] Greedy(double[] q)
    {
        int al = _game.LocalActions, states = q.Length / al;
        var policy = new double[q.Length];
        for (int state = 0; state < states; state++)
        {
            int best = 0;
            for (int a = 1; a < al; a++)
            {
                if (q[(state * al) + a] > q[(state * al) + best])
                {
                    best = a; // strict '>': ties stay with the lowest index
                }
            }

            policy[(state * al) + best] = 1.0;
        }

        return policy;
    }

    private double[] Softmax(double[] q)
    {
        int al = _game.LocalActions, states = q.Length / al;
        var policy = new double[q.Length];
        for (int state = 0; state < states; state++)
        {
            double max = q[state * al], min = max;
            for (int a = 1; a < al; a++)
            {
                max = Math.Max(max, q[(state * al) + a]);
                min = Math.Min(min, q[(state * al) + a]);
            }

            double tau = Math.Max(_config.SoftmaxTemperatureMin, (max - min) / _config.SoftmaxTemperatureScale); // τ = max(τ_min, (max Q − min Q)/scale)
            double sum = 0;
            for (int a = 0; a < al; a++)
            {
                double e = Math.Exp((q[(state * al) + a] - max) / tau); // π_l(a) ∝ exp((Q(a) − max Q)/τ)
                policy[(state * al) + a] = e;
                sum += e;
            }

            for (int a = 0; a < al; a++)
            {
                policy[(state * al) + a] /= sum;
            }
        }

        return policy;
    }
}
