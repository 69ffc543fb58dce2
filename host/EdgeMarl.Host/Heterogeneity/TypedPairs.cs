using EdgeMarl.Host.Games;
using EdgeMarl.Host.Policies;
using EdgeMarl.Shared.Counting;

namespace EdgeMarl.Host.Heterogeneity;

/// <summary>Conversions between type-blind pairs, typed pairs and the games they are solved on (docs/heterogeneity.md).</summary>
public static class TypedPairs
{
    /// <summary>
    /// The blind pair as a pair of <see cref="TypedGame.Expanded"/>: every type plays <c>π_l</c>, and the gateway's table for
    /// <c>k</c> looks up the state counts of the (type, state) counts it is given. Same behaviour on the typed fleet; the table
    /// has <c>C(k + T·|S_l| − 1, T·|S_l| − 1)</c> entries per <c>s_g</c>, so only for small <c>k</c> (exact checks).
    /// </summary>
    public static PolicyPair BlindToExpanded(TypedGame game, PolicyPair blind, int k)
    {
        ArgumentNullException.ThrowIfNull(game);
        ArgumentNullException.ThrowIfNull(blind);
        int t = game.TypeCount, l = game.Template.LocalStates, g = game.Template.GlobalStates, a = game.Template.LocalActions, x = t * l;
        int[] table = blind.GlobalActions[k - blind.KMin] ?? throw new ArgumentException($"the blind pair has no table for k = {k}", nameof(k));
        var blindRanker = new CountRanker(l, k);
        var typedRanker = new CountRanker(x, k);
        int cBlind = blindRanker.Count(k), cTyped = typedRanker.Count(k);
        var expanded = new int[g * cTyped];
        var typedCounts = new int[x];
        var stateCounts = new int[l];
        for (int rank = 0; rank < cTyped; rank++)
        {
            typedRanker.Unrank(rank, k, typedCounts, 0);
            Array.Clear(stateCounts);
            for (int i = 0; i < x; i++)
            {
                stateCounts[i % l] += typedCounts[i];
            }

            int blindRank = blindRanker.Rank(stateCounts, 0, k);
            for (int sg = 0; sg < g; sg++)
            {
                expanded[(sg * cTyped) + rank] = table[(sg * cBlind) + blindRank];
            }
        }

        return new PolicyPair(g, blind.GlobalActionCount, x, a, k, k, [expanded], Replicate(blind.LocalPolicy, g, l, a, t));
    }

    /// <summary>Replicates a blind <c>π_l</c> (<c>[s_g, s_l, a_l]</c>) for every type (<c>[s_g, τ·|S_l| + s_l, a_l]</c>).</summary>
    public static double[] Replicate(double[] localPolicy, int globalStates, int localStates, int localActions, int types)
    {
        ArgumentNullException.ThrowIfNull(localPolicy);
        int x = types * localStates;
        var typed = new double[globalStates * x * localActions];
        for (int sg = 0; sg < globalStates; sg++)
        {
            for (int type = 0; type < types; type++)
            {
                Array.Copy(localPolicy, sg * localStates * localActions, typed, ((sg * x) + (type * localStates)) * localActions, localStates * localActions);
            }
        }

        return typed;
    }

    /// <summary>
    /// The game a robot population on <paramref name="localPolicy"/> induces for a gateway that counts states only: one local
    /// action, <c>P(s' | s, s_g) = Σ_τ w_τ Σ_a π^τ(a | s, s_g) P_l^τ(s' | s, s_g, a)</c>, <c>r</c> likewise. A G-step on it with the
    /// trivial policy is a blind gateway's best response to a blind or typed population (its mean-field model).
    /// </summary>
    /// <param name="game">The typed fleet.</param>
    /// <param name="localPolicy">Blind (<c>[s_g, s_l, a_l]</c>) or typed (<c>[s_g, τ·|S_l| + s_l, a_l]</c>) <c>π_l</c>.</param>
    public static Game InducedBlindGame(TypedGame game, double[] localPolicy)
    {
        ArgumentNullException.ThrowIfNull(game);
        ArgumentNullException.ThrowIfNull(localPolicy);
        Game b = game.Template;
        int t = game.TypeCount, l = b.LocalStates, g = b.GlobalStates, a = b.LocalActions;
        bool typed = localPolicy.Length == g * t * l * a && t > 1;
        var p = new double[l * g * l];
        var r = new double[l * g];
        for (int type = 0; type < t; type++)
        {
            RobotType rt = game.Types[type];
            for (int s = 0; s < l; s++)
            {
                for (int sg = 0; sg < g; sg++)
                {
                    int policyRow = typed ? (sg * t * l) + (type * l) + s : (sg * l) + s;
                    double total = 0;
                    for (int act = 0; act < a; act++)
                    {
                        total += localPolicy[(policyRow * a) + act];
                    }

                    for (int act = 0; act < a; act++)
                    {
                        double w = rt.Share * localPolicy[(policyRow * a) + act] / total;
                        r[(s * g) + sg] += w * rt.LocalReward[b.LocalRewardIndex(s, sg, act)];
                        for (int s2 = 0; s2 < l; s2++)
                        {
                            p[(((s * g) + sg) * l) + s2] += w * rt.LocalTransition[b.LocalTransitionIndex(s, sg, act, s2)];
                        }
                    }
                }
            }
        }

        return new Game($"{b.Name}/induced", g, b.GlobalActions, l, 1, b.GlobalTransition, p, b.GlobalReward, r, b.Gamma, b.AgentCount, b.InitialGlobal, b.InitialLocalKind, b.InitialLocal);
    }

    /// <summary><c>π_g</c> from the <see cref="PolicyPair"/> layout <c>[s_g · C + rank]</c> to the G-step's <c>[rank · |S_g| + s_g]</c> bytes.</summary>
    internal static byte[] ToGStepLayout(int[] table, int globalStates)
    {
        int size = table.Length / globalStates;
        var actions = new byte[table.Length];
        for (int sg = 0; sg < globalStates; sg++)
        {
            for (int c = 0; c < size; c++)
            {
                actions[(c * globalStates) + sg] = checked((byte)table[(sg * size) + c]);
            }
        }

        return actions;
    }
}
