namespace EdgeMarl.Host.Games;

/// <summary>
/// A fleet of robots of <c>T</c> types (docs/heterogeneity.md): one gateway as in <see cref="Game"/>, every robot with the
/// same <c>S_l</c>, <c>A_l</c> and initial law, but type <c>τ</c> moves by its own <c>P_l^τ</c> and earns its own
/// <c>r_l^τ</c>. A robot's type is drawn i.i.d. from the shares at the start of an episode (the composition of
/// <c>n</c> robots is <c>Multinomial(n, share)</c>) and never changes.
/// </summary>
/// <remarks>
/// Three views of the same fleet, all ordinary <see cref="Game"/>s, so the existing learners and solvers run on them:
/// <list type="bullet">
/// <item><see cref="Pooled"/>: what a type-blind learner believes, one robot kind with the share-weighted mixture
/// <c>P̄_l = Σ_τ w_τ P_l^τ</c>, <c>r̄_l = Σ_τ w_τ r_l^τ</c>. Right for a robot drawn at random at time 0; wrong afterwards,
/// when a robot's state carries information about its type.</item>
/// <item><see cref="TypeGame"/>: type <c>τ</c> alone, as a homogeneous game.</item>
/// <item><see cref="Expanded"/>: local state <c>x = τ·|S_l| + s_l</c>; <c>P_l(x' | x, s_g, a_l)</c> is <c>P_l^τ</c> inside
/// type <c>τ</c>'s block and 0 across blocks; initial <c>x</c> from <c>share_τ · p(s_l)</c>. With a fixed initial law this is
/// exactly the typed fleet (i.i.d. types), so the exact Nash-gap solver and the trainer run on it unchanged; a gateway on it
/// counts per (type, state).</item>
/// </list>
/// </remarks>
public sealed class TypedGame
{
    /// <summary>Initializes a new instance of the <see cref="TypedGame"/> class.</summary>
    /// <param name="template">Everything but <c>P_l</c> and <c>r_l</c> (those of the template are ignored).</param>
    /// <param name="types">At least one type; tables as long as the template's.</param>
    public TypedGame(Game template, IReadOnlyList<RobotType> types)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(types);
        ArgumentOutOfRangeException.ThrowIfZero(types.Count);
        Template = template;
        Types = types;
        Pooled = WithLocalTables(template, template.Name, Mix(types, t => t.LocalTransition), Mix(types, t => t.LocalReward));
    }

    /// <summary>Gets the game's name.</summary>
    public string Name => Template.Name;

    /// <summary>Gets the robot types, in file order.</summary>
    public IReadOnlyList<RobotType> Types { get; }

    /// <summary>Gets <c>T</c>.</summary>
    public int TypeCount => Types.Count;

    /// <summary>Gets the share-weighted pooled game (what a type-blind learner trains on).</summary>
    public Game Pooled { get; }

    /// <summary>Gets the shared parts (sizes, <c>P_g</c>, <c>r_g</c>, <c>γ</c>, <c>n</c>, initial laws, labels).</summary>
    public Game Template { get; }

    /// <summary>Gets the shares <c>w_τ</c>, in type order.</summary>
    public double[] Shares => [.. Types.Select(t => t.Share)];

    /// <summary>Wraps a homogeneous game as a typed game with one type of share 1 (its pooled game is the game itself).</summary>
    public static TypedGame Untyped(Game game)
    {
        ArgumentNullException.ThrowIfNull(game);
        return new TypedGame(game, [new RobotType("robot", 1.0, game.LocalTransition, game.LocalReward)]);
    }

    /// <summary>Returns type <c>τ</c> alone as a homogeneous game (named <c>NAME/TYPE</c>).</summary>
    public Game TypeGame(int type) =>
        WithLocalTables(Template, $"{Template.Name}/{Types[type].Name}", Types[type].LocalTransition, Types[type].LocalReward);

    /// <summary>
    /// Returns the game on (type, state) local states (class remarks). A Dirichlet initial law becomes Dirichlet with
    /// <c>α'(τ, s) = w_τ · α_s</c>, whose state marginal is the original law but whose type composition is random; only the
    /// trainer (which ignores the initial law) and the typed fleet simulator (which draws types itself, docs/heterogeneity.md) should read it.
    /// </summary>
    public Game Expanded()
    {
        Game b = Template;
        int t = TypeCount, l = b.LocalStates, g = b.GlobalStates, a = b.LocalActions, x = t * l;
        var pL = new double[x * g * a * x];
        var rL = new double[x * g * a];
        for (int type = 0; type < t; type++)
        {
            RobotType rt = Types[type];
            for (int s = 0; s < l; s++)
            {
                for (int sg = 0; sg < g; sg++)
                {
                    for (int act = 0; act < a; act++)
                    {
                        int from = (type * l) + s;
                        rL[(((from * g) + sg) * a) + act] = rt.LocalReward[b.LocalRewardIndex(s, sg, act)];
                        int rowOut = ((((from * g) + sg) * a) + act) * x;
                        for (int s2 = 0; s2 < l; s2++)
                        {
                            pL[rowOut + (type * l) + s2] = rt.LocalTransition[b.LocalTransitionIndex(s, sg, act, s2)];
                        }
                    }
                }
            }
        }

        var initial = new double[x];
        for (int type = 0; type < t; type++)
        {
            for (int s = 0; s < l; s++)
            {
                initial[(type * l) + s] = Types[type].Share * b.InitialLocal[s];
            }
        }

        var labels = b.Labels is { } lb
            ? new GameLabels
            {
                GlobalStates = lb.GlobalStates,
                GlobalActions = lb.GlobalActions,
                LocalActions = lb.LocalActions,
                LocalStates = [.. Enumerable.Range(0, x).Select(i => $"{Types[i / l].Name}/{(lb.LocalStates is { } ls ? ls[i % l] : (i % l).ToString(System.Globalization.CultureInfo.InvariantCulture))}")],
            }
            : null;
        return new Game(
            $"{b.Name}/typed", g, b.GlobalActions, x, a, b.GlobalTransition, pL, b.GlobalReward, rL, b.Gamma, b.AgentCount, b.InitialGlobal, b.InitialLocalKind, initial)
        {
            Description = b.Description,
            Labels = labels,
        };
    }

    private static double[] Mix(IReadOnlyList<RobotType> types, Func<RobotType, double[]> table)
    {
        // Types with bit-identical tables pool to that very table (so zones-mixed at h = 0 is zones, bit for bit, whatever the shares).
        if (types.All(t => table(t).AsSpan().SequenceEqual(table(types[0]))))
        {
            return table(types[0]);
        }

        var mixed = new double[table(types[0]).Length];
        foreach (var type in types)
        {
            double[] values = table(type);
            if (values.Length != mixed.Length)
            {
                return values; // shapes disagree: TypedGameValidator reports it; nothing here indexes beyond an array
            }

            for (int i = 0; i < mixed.Length; i++)
            {
                mixed[i] += type.Share * values[i];
            }
        }

        return mixed;
    }

    private static Game WithLocalTables(Game b, string name, double[] localTransition, double[] localReward) =>
        new(name, b.GlobalStates, b.GlobalActions, b.LocalStates, b.LocalActions, b.GlobalTransition, localTransition, b.GlobalReward, localReward, b.Gamma, b.AgentCount, b.InitialGlobal, b.InitialLocalKind, b.InitialLocal)
        {
            Description = b.Description,
            Labels = b.Labels,
        };
}
