// docs/design.md §2 L-step "Mean field": the stationary μ is the fixed point μ = F(μ) of μ → P̃_g → stationary law; plain
// iteration contracts by ~0.5 per step in early rounds (30–45 full P̃_g sums at k = 50), Anderson mixing takes far fewer.
namespace EdgeMarl.Host.Training;

/// <summary>
/// Anderson mixing (type II, depth m) for a fixed point μ = F(μ) of conditional distributions <c>[s_g, s_l]</c>: with residuals
/// f_j = F(μ_j) − μ_j of the last m+1 iterates, γ minimises ‖f_n − ΔF γ‖₂ and the next iterate is
/// F(μ_n) − (ΔX + ΔF)γ, clipped at 0 and renormalised row by row. A step whose residual did not shrink restarts the history
/// (the next iterate is then the plain F(μ_n)). Only where the iteration goes changes: it stops on the same residual test.
/// Deterministic: plain arithmetic in a fixed order, no threads.
/// </summary>
internal sealed class AndersonMixing
{
    private const double Ridge = 1e-14; // relative Tikhonov term: a singular ΔFᵀΔF (repeated residuals) still solves
    private readonly int _size, _depth;
    private readonly List<double[]> _dx = [], _df = [];
    private double[]? _lastX, _lastF;
    private double _lastNorm = double.PositiveInfinity;

    /// <summary>Initializes a new instance of the <see cref="AndersonMixing"/> class.</summary>
    /// <param name="size">The length of μ.</param>
    /// <param name="depth">m, the differences kept.</param>
    public AndersonMixing(int size, int depth)
    {
        _size = size;
        _depth = depth;
    }

    /// <summary>Returns the next iterate from μ_n and F(μ_n).</summary>
    /// <param name="x">μ_n, flat <c>[s_g, s_l]</c>.</param>
    /// <param name="fx">F(μ_n).</param>
    /// <param name="g">|S_g| (rows).</param>
    /// <param name="l">|S_l| (row length).</param>
    public double[] Next(double[] x, double[] fx, int g, int l)
    {
        var f = new double[_size];
        double norm = 0;
        for (int i = 0; i < _size; i++)
        {
            f[i] = fx[i] - x[i];
            norm = Math.Max(norm, Math.Abs(f[i]));
        }

        if (_lastX is not null && _lastF is not null)
        {
            if (norm >= _lastNorm)
            {
                _dx.Clear(); // no progress: forget the history, take the plain step
                _df.Clear();
            }
            else
            {
                var dx = new double[_size];
                var df = new double[_size];
                for (int i = 0; i < _size; i++)
                {
                    dx[i] = x[i] - _lastX[i];
                    df[i] = f[i] - _lastF[i];
                }

                _dx.Add(dx);
                _df.Add(df);
                if (_dx.Count > _depth)
                {
                    _dx.RemoveAt(0);
                    _df.RemoveAt(0);
                }
            }
        }

        _lastX = x;
        _lastF = f;
        _lastNorm = norm;
        var next = (double[])fx.Clone();
        int m = _df.Count;
        if (m == 0)
        {
            return next;
        }

        double[] gamma = LeastSquares(f, m);
        for (int j = 0; j < m; j++)
        {
            double[] dx = _dx[j], df = _df[j];
            for (int i = 0; i < _size; i++)
            {
                next[i] -= gamma[j] * (dx[i] + df[i]); // μ_{n+1} = F(μ_n) − Σ_j γ_j (Δx_j + Δf_j)
            }
        }

        for (int row = 0; row < g; row++)
        {
            double sum = 0;
            for (int s = 0; s < l; s++)
            {
                double p = Math.Max(0, next[(row * l) + s]);
                next[(row * l) + s] = p;
                sum += p;
            }

            for (int s = 0; s < l; s++)
            {
                next[(row * l) + s] = sum > 0 ? next[(row * l) + s] / sum : fx[(row * l) + s];
            }
        }

        return next;
    }

    // γ = argmin ‖f − ΔF γ‖₂ by the normal equations (m ≤ depth, tiny), Gaussian elimination with partial pivoting.
    private double[] LeastSquares(double[] f, int m)
    {
        var a = new double[m * (m + 1)];
        double trace = 0;
        for (int r = 0; r < m; r++)
        {
            for (int c = 0; c < m; c++)
            {
                a[(r * (m + 1)) + c] = Dot(_df[r], _df[c]);
            }

            a[(r * (m + 1)) + m] = Dot(_df[r], f);
            trace += a[(r * (m + 1)) + r];
        }

        for (int r = 0; r < m; r++)
        {
            a[(r * (m + 1)) + r] += Ridge * trace;
        }

        for (int col = 0; col < m; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < m; r++)
            {
                if (Math.Abs(a[(r * (m + 1)) + col]) > Math.Abs(a[(pivot * (m + 1)) + col]))
                {
                    pivot = r;
                }
            }

            for (int c = 0; c <= m; c++)
            {
                (a[(col * (m + 1)) + c], a[(pivot * (m + 1)) + c]) = (a[(pivot * (m + 1)) + c], a[(col * (m + 1)) + c]);
            }

            double d = a[(col * (m + 1)) + col];
            if (d == 0)
            {
                return new double[m]; // degenerate: the plain step
            }

            for (int r = col + 1; r < m; r++)
            {
                double factor = a[(r * (m + 1)) + col] / d;
                for (int c = col; c <= m; c++)
                {
                    a[(r * (m + 1)) + c] -= factor * a[(col * (m + 1)) + c];
                }
            }
        }

        var gamma = new double[m];
        for (int r = m - 1; r >= 0; r--)
        {
            double sum = a[(r * (m + 1)) + m];
            for (int c = r + 1; c < m; c++)
            {
                sum -= a[(r * (m + 1)) + c] * gamma[c];
            }

            gamma[r] = sum / a[(r * (m + 1)) + r];
        }

        return gamma;
    }

    private static double Dot(double[] x, double[] y)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += x[i] * y[i];
        }

        return sum;
    }
}
