namespace EdgeMarl.Firmware.Nodes
{
    /// <summary>
    /// Compares the fleet size <c>n</c> a policy was trained for (policy-file header) with the live fleet (robots that
    /// joined and are alive). A policy trained by ALTERNATING-MARL for n robots assumes the mean field of n robots:
    /// the count distribution the gateway samples from fluctuates on the scale 1/√n, and the rewards were averaged
    /// over n. Within a factor of <see cref="ToleranceFactor"/> (fluctuation scale off by at most √2 ≈ 1.41) the
    /// policy is used as trained; beyond it the gateway warns that the policy should be retrained with
    /// <c>edgemarl train --n LIVE</c>. A warning, never a refusal: a half-joined fleet at power-up must still run.
    /// </summary>
    public static class FleetSizeCheck
    {
        /// <summary>The largest ratio between trained and live fleet size that passes without a warning.</summary>
        public const int ToleranceFactor = 2;

        /// <summary>Returns true when the live fleet differs from the trained n by more than <see cref="ToleranceFactor"/>.</summary>
        /// <param name="trainedN">n in the policy file (0 or less: unknown, never warns).</param>
        /// <param name="liveN">Robots joined and alive.</param>
        /// <returns>True when the gateway should warn.</returns>
        public static bool Differs(int trainedN, int liveN)
        {
            if (trainedN <= 0)
            {
                return false;
            }

            long trained = trainedN;
            long live = liveN;
            return live * ToleranceFactor < trained || live > trained * ToleranceFactor;
        }

        /// <summary>The warning line for a differing fleet (one allocation; call when <see cref="Differs"/> turns true, not per tick).</summary>
        /// <param name="trainedN">n in the policy file.</param>
        /// <param name="liveN">Robots joined and alive.</param>
        /// <returns>The message.</returns>
        public static string Warning(int trainedN, int liveN)
        {
            return "fleet size: policy trained for n = " + trainedN.ToString() + " robots, live fleet has " + liveN.ToString()
                + " (more than a factor " + ToleranceFactor.ToString() + " apart); retrain with `edgemarl train --n " + liveN.ToString() + "`";
        }
    }
}
