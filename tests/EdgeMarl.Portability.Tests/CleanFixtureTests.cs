namespace EdgeMarl.Portability.Tests;

/// <summary>Code written to the nanoFramework rules passes, and what it uses is really checked, not skipped.</summary>
public sealed class CleanFixtureTests
{
    private const string Source =
        """
        using System;

        [assembly: System.Reflection.AssemblyDescription("fixture")]

        namespace Clean
        {
            public enum Mode : byte { Idle = 0, Run = 1 }

            public interface ICounter { int Count { get; } }

            public struct Pair { public int A; public int B; }

            public delegate void Tick(int step);

            public sealed class Counter : ICounter
            {
                private static readonly uint[] s_primes = new uint[] { 2, 3, 5, 7, 11, 13, 17, 19 };
                private readonly int[] _buffer;

                public Counter(int capacity)
                {
                    if (capacity <= 0) { throw new ArgumentOutOfRangeException(nameof(capacity)); }
                    _buffer = new int[capacity];
                }

                public int Count { get; private set; }

                public Mode Mode { get; set; }

                public event Tick Ticked;

                [Obsolete("attributes flagged excludetype are fine as attributes")]
                public void Add(int value)
                {
                    if (Count == _buffer.Length) { throw new InvalidOperationException("full: " + Count + " of " + _buffer.Length); }
                    _buffer[Count] = value;
                    Count++;
                    Ticked?.Invoke(Count);
                }

                public long Sum()
                {
                    long sum = 0;
                    for (int i = 0; i < Count; i++) { sum += _buffer[i] * (long)s_primes[i % s_primes.Length]; }
                    return sum;
                }

                public static string Describe(string name, int[] values)
                {
                    string text = name + ":";
                    foreach (int v in values) { text = text + " " + v.ToString(); }
                    return text.Substring(0, text.Length) + "[" + text[0] + "]";
                }

                public static int Parse(string s)
                {
                    try { return int.Parse(s); }
                    catch (FormatException e) { throw new ArgumentException("not a number: " + e.Message, nameof(s), e); }
                    finally { Array.Clear(s_primes, 0, 0); }
                }

                public static Pair Swap(Pair p)
                {
                    int a = p.A;
                    p.A = p.B;
                    p.B = a;
                    return p;
                }

                public static string Interpolated(int step, double value) { return $"step {step}: {value}"; }

                public static string WithChar(string s, char c) { return s + c; }

                private static readonly object s_gate = new object();

                public static int Locked(int x) { lock (s_gate) { return x + 1; } }

                public static int CountOf(params int[] xs) { return xs.Length; }

                public static int NoParams() { return CountOf(); }

                public static int Code(Mode m) { return m switch { Mode.Idle => 0, Mode.Run => 1 }; }

                public static double Distance(double x, double y) { return Math.Sqrt(x * x + y * y) + Math.Max(1, 2); }
            }
        }
        """;

    private static readonly Lazy<CheckResult> s_result = new(() => Portability.CheckSource(Source));

    [Fact]
    public void Arrays_loops_concat_exceptions_properties_events_and_structs_pass()
    {
        Assert.True(s_result.Value.Offenders.Count == 0, string.Join(Environment.NewLine, s_result.Value.Offenders.Select(Cli.FormatOffender)));
    }

    [Theory]
    [InlineData("M System.String::Concat(System.String,System.String)")]
    [InlineData("M System.String::Substring(System.Int32,System.Int32)")]
    [InlineData("C System.ArgumentOutOfRangeException::.ctor(System.String)")]
    [InlineData("C System.ArgumentException::.ctor(System.String,System.String,System.Exception)")]
    [InlineData("M System.Int32::Parse(System.String)")]
    [InlineData("M System.Array::Clear(System.Array,System.Int32,System.Int32)")]
    [InlineData("M System.Math::Sqrt(System.Double)")]
    [InlineData("M System.Runtime.CompilerServices.RuntimeHelpers::InitializeArray(System.Array,System.RuntimeFieldHandle)")]
    [InlineData("M System.Delegate::Combine(System.Delegate,System.Delegate)")]
    [InlineData("P System.String::Chars(System.Int32)")]
    [InlineData("P System.String::Length")]
    [InlineData("P System.Exception::Message")]
    [InlineData("C System.ObsoleteAttribute::.ctor(System.String)")]
    [InlineData("T System.MulticastDelegate")]
    [InlineData("M System.Threading.Monitor::Exit(System.Object)")]
    public void What_the_fixture_uses_is_checked_and_found(string key)
    {
        Assert.Contains(key, s_result.Value.Passed);
    }

    [Theory]
    [InlineData("C System.Runtime.CompilerServices.DefaultInterpolatedStringHandler::.ctor(System.Int32,System.Int32)", "$\"...\"")]
    [InlineData("M System.Runtime.CompilerServices.DefaultInterpolatedStringHandler::AppendFormatted<System.Double>", "$\"...\"")]
    [InlineData("M System.String::Concat(System.ReadOnlySpan`1<System.Char>,System.ReadOnlySpan`1<System.Char>)", "string + char")]
    [InlineData("M System.Threading.Interlocked::CompareExchange<Clean.Tick>", "field-like event")]
    [InlineData("M System.Array::Empty<System.Int32>", "'params'")]
    [InlineData("M System.Threading.Monitor::Enter(System.Object,System.Boolean&)", "lock (...)")]
    [InlineData("C System.Runtime.CompilerServices.SwitchExpressionException::.ctor(System.Object)", "switch expression")]
    public void Dotnet_only_compiler_lowerings_of_portable_source_are_accepted_and_named(string key, string construct)
    {
        (string Key, string Reason) lowering = Assert.Single(s_result.Value.Lowered, l => l.Key == key);

        Assert.Contains(construct, lowering.Reason, StringComparison.Ordinal);
    }
}

/// <summary>Constructing a listed delegate type (a thread's body) is portable; an unlisted delegate type still is not.</summary>
public sealed class DelegateConstructorTests
{
    [Fact]
    public void A_listed_delegate_is_constructed_with_the_runtime_constructor_the_lists_leave_out()
    {
        CheckResult result = Portability.CheckSource(
            """
            namespace Threads
            {
                public sealed class Worker
                {
                    public void Run() { }

                    public static void Start() { new System.Threading.Thread(new System.Threading.ThreadStart(new Worker().Run)).Start(); }
                }
            }
            """);

        Assert.Empty(result.Offenders);
        Assert.Contains("C System.Threading.ThreadStart::.ctor(System.Object,System.IntPtr)", result.Passed);
    }

    [Fact]
    public void An_unlisted_delegate_type_is_still_an_offender()
    {
        CheckResult result = Portability.CheckSource(
            """
            namespace Threads
            {
                public static class Use
                {
                    public static void Body(object state) { }

                    public static object Make() { return new System.Threading.ParameterizedThreadStart(Body); }
                }
            }
            """);

        Assert.Contains(result.Offenders, o => o.Key == "T System.Threading.ParameterizedThreadStart");
        Assert.DoesNotContain("C System.Threading.ParameterizedThreadStart::.ctor(System.Object,System.IntPtr)", result.Passed);
    }
}
