namespace EdgeMarl.Host.Simulation;

/// <summary>Draws from a discrete distribution with one 32-bit draw (inversion; last cumulative entry forced to 1).</summary>
internal static class Inversion
{
    private const double TwoToMinus32 = 1.0 / 4294967296.0;

    public static double[] Cumulative(double[] rows, int width)
    {
        var cumulative = new double[rows.Length];
        for (int row = 0; row < rows.Length; row += width)
        {
            double acc = 0;
            for (int j = 0; j < width; j++)
            {
                acc += rows[row + j];
                cumulative[row + j] = j == width - 1 ? 1.0 : acc;
            }
        }

        return cumulative;
    }

    public static int Draw(double[] cumulative, int row, uint draw)
    {
        double u = draw * TwoToMinus32;
        int next = 0;
        while (u >= cumulative[row + next])
        {
            next++;
        }

        return next;
    }
}
