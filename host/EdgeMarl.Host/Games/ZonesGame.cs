namespace EdgeMarl.Host.Games;

/// <summary>
/// The paper's multi-robot benchmark "zones", exactly as docs/reference-benchmark.md defines it: a dispatcher steers toward one of
/// 5 zones; 1000 robots on a ring of 5 positions earn most in the dispatcher's zone.
/// </summary>
public static class ZonesGame
{
    /// <summary>The built-in name.</summary>
    public const string Name = "zones";

    /// <summary><c>|S_g| = |A_g| = |S_l|</c>: zones, and positions on the ring.</summary>
    public const int Zones = 5;

    /// <summary><c>|A_l|</c>: 0 stay, 1 move +1, 2 move −1 on the ring.</summary>
    public const int LocalActions = 3;

    /// <summary>The fleet size <c>n</c>.</summary>
    public const int Robots = 1000;

    /// <summary>The discount <c>γ</c>.</summary>
    public const double Gamma = 0.95;

    /// <summary>Dirichlet <c>α</c> of every position in the initial robot-state distribution.</summary>
    public const double InitialAlpha = 0.3;

    /// <summary>Reward bonus per local action: <c>bonus = [0, 0.5, −0.3]</c>.</summary>
    private static readonly double[] s_bonus = [0.0, 0.5, -0.3];

    /// <summary>Builds the zones game.</summary>
    public static Game Create() => Create(Robots);

    /// <summary>Builds the zones game with another fleet size (simulations and benchmarks at n ≠ 1000).</summary>
    /// <param name="agentCount">Fleet size <c>n</c>, at least 1.</param>
    public static Game Create(int agentCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(agentCount, 1);
        const int s = Zones, aL = LocalActions;
        var pG = new double[s * s * s];
        var pL = new double[s * s * aL * s];
        var rG = new double[s * s];
        var rL = new double[s * s * aL];
        var logits = new double[s];

        // P_g(· | s_g, a_g) = softmax_j(0.1 + 3.0·[j = a_g] + 0.5·[j = s_g])
        for (int sG = 0; sG < s; sG++)
        {
            for (int aG = 0; aG < s; aG++)
            {
                for (int j = 0; j < s; j++)
                {
                    logits[j] = 0.1 + (j == aG ? 3.0 : 0.0) + (j == sG ? 0.5 : 0.0);
                }

                Softmax(logits, pG, ((sG * s) + aG) * s);
                rG[(sG * s) + aG] = 1.0;
            }
        }

        // P_l(· | s_l, s_g, a_l) = softmax_j(0.1 + 3.5·[j = s_l] + 1.5·[a_l = 1 ∧ j = s_l+1] + 1.5·[a_l = 2 ∧ j = s_l−1] + 0.3·[j = s_g])
        // r_l(s_l, s_g, a_l) = base(d) + bonus[a_l], base = 10 in the dispatcher's zone, else 2 / (1 + d), d the ring distance.
        for (int sL = 0; sL < s; sL++)
        {
            int up = (sL + 1) % s, down = (sL + s - 1) % s;
            for (int sG = 0; sG < s; sG++)
            {
                int d = RingDistance(sL, sG);
                double baseReward = d == 0 ? 10.0 : 2.0 / (1 + d);
                for (int a = 0; a < aL; a++)
                {
                    for (int j = 0; j < s; j++)
                    {
                        logits[j] = 0.1
                            + (j == sL ? 3.5 : 0.0)
                            + (a == 1 && j == up ? 1.5 : 0.0)
                            + (a == 2 && j == down ? 1.5 : 0.0)
                            + (j == sG ? 0.3 : 0.0);
                    }

                    int row = (((sL * s) + sG) * aL) + a;
                    Softmax(logits, pL, row * s);
                    rL[row] = baseReward + s_bonus[a];
                }
            }
        }

        var initialGlobal = new double[s];
        var alpha = new double[s];
        Array.Fill(initialGlobal, 1.0 / s);
        Array.Fill(alpha, InitialAlpha);

        var zones = Enumerable.Range(0, s).Select(z => $"zone {z}").ToArray();
        return new Game(Name, s, s, s, aL, pG, pL, rG, rL, Gamma, agentCount, initialGlobal, InitialLocalKind.Dirichlet, alpha)
        {
            Description = "The paper's multi-robot benchmark (docs/reference-benchmark.md): a dispatcher steers toward one of 5 zones; "
                + "1000 robots on a ring of 5 positions earn most in the dispatcher's zone.",
            Labels = new GameLabels
            {
                GlobalStates = zones,
                GlobalActions = Enumerable.Range(0, s).Select(z => $"steer to zone {z}").ToArray(),
                LocalStates = Enumerable.Range(0, s).Select(z => $"position {z}").ToArray(),
                LocalActions = ["stay", "move +1", "move -1"],
            },
        };
    }

    /// <summary>Distance on the ring of <see cref="Zones"/> positions: <c>d = min(|i − j|, 5 − |i − j|)</c>.</summary>
    public static int RingDistance(int i, int j)
    {
        int diff = Math.Abs(i - j);
        return Math.Min(diff, Zones - diff);
    }

    /// <summary>Writes <c>softmax(logits)</c> to <paramref name="target"/> at <paramref name="offset"/>, shifted by the max for stability.</summary>
    private static void Softmax(double[] logits, double[] target, int offset)
    {
        double max = logits.Max();
        double sum = 0;
        for (int j = 0; j < logits.Length; j++)
        {
            double e = Math.Exp(logits[j] - max);
            target[offset + j] = e;
            sum += e;
        }

        for (int j = 0; j < logits.Length; j++)
        {
            target[offset + j] /= sum;
        }
    }
}
