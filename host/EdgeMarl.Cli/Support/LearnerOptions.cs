using System.CommandLine;
using EdgeMarl.Host.Games;
using EdgeMarl.Host.Runs;
using EdgeMarl.Host.Simulation;
using EdgeMarl.Host.Training;
using EdgeMarl.Host.Training.ModelFree;

namespace EdgeMarl.Cli.Support;

/// <summary>The model-free options of <c>train</c> and <c>sweep</c>: <c>--learner</c>, <c>--samples</c>, <c>--simulator</c> (docs/model-free.md).</summary>
internal sealed class LearnerOptions
{
    public Option<string> Learner { get; } = new("--learner")
    {
        Description = "'model' (value iteration on the game's tables) or 'qlearning' (Q-learning from simulator samples; the game's tables as the simulator unless --simulator).",
        DefaultValueFactory = _ => "model",
    };

    public Option<int?> Samples { get; } = new("--samples") { Description = "qlearning: Q-updates per (s_g, c, a_g) in the G-step (default 200)." };

    public Option<int?> LSamples { get; } = new("--l-samples") { Description = "qlearning: Q-updates per (s_g, s_l, a_l) in the L-step (default 2000)." };

    public Option<double?> LearningRateExponent { get; } = new("--lr-exponent") { Description = "qlearning: ω of the learning rate (1 + (1−γ)t)^(−ω), in (0.5, 1] (default 1)." };

    public Option<string?> Exploration { get; } = new("--exploration")
    {
        Description = "qlearning, both steps: 'generative' (every state-action pair sampled each iteration, the default) or 'epsilon-greedy' (asynchronous Q-learning along simulated "
            + "trajectories, ε from modelFree.epsilonStart to epsilonEnd, exploring starts every modelFree.episodeLength steps; docs/model-free.md \"Exploration\").",
    };

    public Option<string?> Simulator { get; } = new("--simulator") { Description = "qlearning: a simulator command speaking docs/simulator-protocol.md, e.g. \"python3 examples/simulators/zones_sim.py\" (implies --learner qlearning)." };

    public Option<double> SimulatorTimeout { get; } = new("--simulator-timeout") { Description = "Seconds to wait for any one simulator answer.", DefaultValueFactory = _ => 30 };

    public IEnumerable<Option> All => [Learner, Samples, LSamples, LearningRateExponent, Exploration, Simulator, SimulatorTimeout];

    /// <summary>Returns <paramref name="config"/> with the learner the options ask for.</summary>
    /// <exception cref="ArgumentException">A value is invalid (names the option).</exception>
    public TrainingConfig Apply(ParseResult parse, TrainingConfig config)
    {
        string learner = parse.GetValue(Learner)!;
        bool modelFree = learner switch
        {
            "model" => parse.GetValue(Simulator) != null,
            "qlearning" => true,
            _ => throw new ArgumentException($"--learner: '{learner}' is not one of model, qlearning"),
        };
        if (!modelFree)
        {
            if (parse.GetValue(Samples) != null || parse.GetValue(LSamples) != null || parse.GetValue(LearningRateExponent) != null || parse.GetValue(Exploration) != null)
            {
                throw new ArgumentException("--samples, --l-samples, --lr-exponent and --exploration need --learner qlearning");
            }

            return config;
        }

        ModelFreeSettings settings = config.ModelFree ?? new ModelFreeSettings();
        settings = settings with
        {
            GSamplesPerPair = parse.GetValue(Samples) ?? settings.GSamplesPerPair,
            LSamplesPerPair = parse.GetValue(LSamples) ?? settings.LSamplesPerPair,
            LearningRateExponent = parse.GetValue(LearningRateExponent) ?? settings.LearningRateExponent,
            Exploration = parse.GetValue(Exploration) switch
            {
                null => settings.Exploration,
                "generative" => SampleExploration.Generative,
                "epsilon-greedy" or "epsilonGreedy" => SampleExploration.EpsilonGreedy,
                var other => throw new ArgumentException($"--exploration: '{other}' is not one of generative, epsilon-greedy"),
            },
        };
        // Lifting trains the pair at k' < k from the game's tables; the model-free learners skip it (AlternatingMarl), so the
        // config says so instead of claiming a lift that never runs. They Q-learn every k' table on one stream anyway, so they
        // store them all (tables = every), and their runs keep the config hashes and bytes they had.
        TrainingConfig result = config with { ModelFree = settings, Lift = LiftRule.None, Tables = DegradationTables.Every };
        result.Validate();
        return result;
    }

    /// <summary>
    /// Starts the <c>--simulator</c> process (or returns null) and, when <paramref name="game"/> is given, checks its sizes
    /// against it (the game the quick value and evaluation roll out); a null game means a simulator-only run.
    /// </summary>
    /// <exception cref="SimulatorException">The simulator failed to start or its sizes differ from the game's.</exception>
    public JsonLinesSimulatorProcess? Open(ParseResult parse, Game? game)
    {
        string? command = parse.GetValue(Simulator);
        if (command is null)
        {
            return null;
        }

        JsonLinesSimulatorProcess simulator = JsonLinesSimulatorProcess.Start(command, TimeSpan.FromSeconds(Timeout(parse)));
        if (game is not null)
        {
            try
            {
                SimulatorShapeGame.EnsureSameSizes(simulator.Info, game, command);
            }
            catch (SimulatorException e)
            {
                simulator.Dispose();
                throw new SimulatorException(e.Message + ", which the quick value and evaluation roll out; pass --game with a game of the same sizes, or no --game for a simulator-only run");
            }
        }

        return simulator;
    }

    /// <summary>What <c>simulator.json</c> records of the running <c>--simulator</c> (null without one).</summary>
    public SimulatorRunFile? Launch(ParseResult parse, IGameSimulator? simulator) =>
        simulator is null || parse.GetValue(Simulator) is not { } command
            ? null
            : new SimulatorRunFile(command, Environment.CurrentDirectory, Timeout(parse), simulator.Info);

    private double Timeout(ParseResult parse)
    {
        double seconds = parse.GetValue(SimulatorTimeout);
        return seconds > 0 ? seconds : throw new ArgumentException("--simulator-timeout must be positive");
    }
}
