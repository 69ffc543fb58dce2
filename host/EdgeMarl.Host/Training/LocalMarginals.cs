// docs/design.md §2 G-step: the robots' dynamics and reward averaged over the fixed local policy π_l.
using EdgeMarl.Host.Games;

namespace EdgeMarl.Host.Training;

/// <summary><c>P̄_l</c> and <c>r̄_l</c>: a robot's transition and reward averaged over <c>π_l</c>.</summary>
internal sealed class LocalMarginals
{
    private LocalMarginals(int globalStates, int localStates, double[] transition, double[] reward)
    {
        GlobalStates = globalStates;
        LocalStates = localStates;
        Transition = transition;
        Reward = reward;
    }

    public int GlobalStates { get; }

    public int LocalStates { get; }

    /// <summary>Gets <c>P̄_l(s_l' | j, s_g)</c>, flat <c>[s_g, j, s_l']</c>.</summary>
    public double[] Transition { get; }

    /// <summary>Gets <c>r̄_l(j, s_g)</c>, flat <c>[s_g, j]</c>.</summary>
    public double[] Reward { get; }

    /// <summary>Averages the game's local tables over <paramref name="localPolicy"/> (flat <c>[s_g, s_l, a_l]</c>).</summary>
    public static LocalMarginals Compute(Game game, double[] localPolicy)
    {
        int sg = game.GlobalStates, sl = game.LocalStates, al = game.LocalActions;
        var transition = new double[sg * sl * sl];
        var reward = new double[sg * sl];
        for (int g = 0; g < sg; g++)
        {
            for (int j = 0; j < sl; j++)
            {
                double r = 0;
                for (int a = 0; a < al; a++)
                {
                    double p = localPolicy[(((g * sl) + j) * al) + a];
                    r += p * game.LocalReward[game.LocalRewardIndex(j, g, a)]; // r̄_l(j,s_g) = Σ_a π_l(a|j,s_g) r_l(j,s_g,a)
                    for (int next = 0; next < sl; next++)
                    {
                        // P̄_l(s'|j,s_g) = Σ_a π_l(a|j,s_g) P_l(s'|j,s_g,a)
                        transition[(((g * sl) + j) * sl) + next] += p * game.LocalTransition[game.LocalTransitionIndex(j, g, a, next)];
                    }
                }

                reward[(g * sl) + j] = r;
            }
        }

        return new LocalMarginals(sg, sl, transition, reward);
    }

    /// <summary>Returns <c>P̄_l(next | j, s_g)</c>.</summary>
    public double P(int globalState, int j, int next) => Transition[(((globalState * LocalStates) + j) * LocalStates) + next];
}
