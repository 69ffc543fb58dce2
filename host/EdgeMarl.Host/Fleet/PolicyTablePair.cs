using EdgeMarl.Host.Games;
using EdgeMarl.Host.Policies;
using EdgeMarl.Shared.Counting;
using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Host.Fleet;

/// <summary>
/// Reads back, through <see cref="IPolicyLookup"/> only, the policy pair a node would act on, so that the plant and the
/// evaluator's device-exact mode use exactly what the file holds (no trainer output needed).
/// </summary>
public static class PolicyTablePair
{
    /// <summary>
    /// Builds the <see cref="PolicyPair"/> a node's lookups describe: <c>π_g</c> for every stored <c>k' ∈ [KMin, K]</c> (null for a
    /// <c>k'</c> the file does not store) by looking up every
    /// count vector (unranked with <see cref="CountRanker"/>), and <c>π_l(a | s_l, s_g) = #{b ∈ 0..255 : draw(b) = a} / 256</c>, the
    /// quantised weights themselves (a stored 255 reads back as 256). A typed policy (<c>T &gt; 1</c>) gives the typed pair over the
    /// <c>T·|S_l|</c> classes <c>x = τ·|S_l| + s_l</c> (the <see cref="Games.TypedGame.Expanded"/> layout).
    /// </summary>
    /// <param name="policy">The policy (normally a <see cref="PolicyTable"/>).</param>
    /// <returns>The pair.</returns>
    /// <exception cref="ArgumentException">A lookup fails.</exception>
    public static PolicyPair ToPolicyPair(IPolicyLookup policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        int l = policy.RobotTypes * policy.LocalStates;
        var ranker = new CountRanker(l, policy.K);
        int[] counts = new int[l];
        var global = new int[policy.K - policy.KMin + 1][];
        IStoredGlobalTables? stored = policy as IStoredGlobalTables;
        for (int kPrime = policy.KMin; kPrime <= policy.K; kPrime++)
        {
            if (stored is not null && !stored.HasGlobalTable(kPrime))
            {
                continue; // not stored (a version-3 file's degradation set): null, as the evaluator expects
            }

            int c = ranker.Count(kPrime);
            int[] table = new int[policy.GlobalStates * c];
            for (int sg = 0; sg < policy.GlobalStates; sg++)
            {
                for (int rank = 0; rank < c; rank++)
                {
                    ranker.Unrank(rank, kPrime, counts, 0);
                    if (!policy.TryGetGlobalAction(sg, counts, 0, out int ag))
                    {
                        throw new ArgumentException($"policy: no global action for s_g = {sg}, k' = {kPrime}, rank {rank}", nameof(policy));
                    }

                    table[(sg * c) + rank] = ag;
                }
            }

            global[kPrime - policy.KMin] = table;
        }

        int al = policy.LocalActions;
        double[] local = new double[policy.GlobalStates * l * al];
        for (int sg = 0; sg < policy.GlobalStates; sg++)
        {
            for (int sl = 0; sl < l; sl++)
            {
                int row = ((sg * l) + sl) * al;
                for (int b = 0; b < 256; b++)
                {
                    int a = policy.GetLocalAction(sg, sl, (byte)b);
                    if (a < 0 || a >= al)
                    {
                        throw new ArgumentException($"policy: no local action for s_g = {sg}, x = {sl}, byte {b}", nameof(policy));
                    }

                    local[row + a] += 1.0 / 256;
                }
            }
        }

        return new PolicyPair(policy.GlobalStates, policy.GlobalActions, l, al, policy.KMin, policy.K, global, local);
    }

    /// <summary>Returns <paramref name="game"/> with <c>n</c> = <paramref name="agentCount"/> (same tables).</summary>
    /// <param name="game">The game.</param>
    /// <param name="agentCount">Robots.</param>
    /// <returns>The game for <paramref name="agentCount"/> robots.</returns>
    public static Game WithAgents(Game game, int agentCount) => game.WithAgentCount(agentCount);
}
