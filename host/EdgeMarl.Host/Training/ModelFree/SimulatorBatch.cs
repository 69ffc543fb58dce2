// Request/answer buffers of one batch to the simulator, reused across iterations (the learners allocate per step, not per sample).
using EdgeMarl.Host.Simulation;

namespace EdgeMarl.Host.Training.ModelFree;

/// <summary>Counts the simulator samples a learner used (global and local steps).</summary>
public interface ISampleCounting
{
    /// <summary>Gets the <c>step_global</c> samples drawn so far.</summary>
    long GlobalSamples { get; }

    /// <summary>Gets the <c>step_local</c> samples drawn so far.</summary>
    long LocalSamples { get; }
}

/// <summary>Growable request and answer arrays for one kind of simulator call.</summary>
internal sealed class SimulatorBatch
{
    public int Count { get; private set; }

    public int[] State { get; private set; } = [];

    public int[] GlobalState { get; private set; } = [];

    public int[] Action { get; private set; } = [];

    public uint[] Uniform { get; private set; } = [];

    public int[] Next { get; private set; } = [];

    public double[] Reward { get; private set; } = [];

    public void Reset(int capacity)
    {
        Count = 0;
        if (State.Length < capacity)
        {
            State = new int[capacity];
            GlobalState = new int[capacity];
            Action = new int[capacity];
            Uniform = new uint[capacity];
            Next = new int[capacity];
            Reward = new double[capacity];
        }
    }

    public int Add(int state, int globalState, int action, uint uniform)
    {
        State[Count] = state;
        GlobalState[Count] = globalState;
        Action[Count] = action;
        Uniform[Count] = uniform;
        return Count++;
    }

    public void RunGlobal(IGameSimulator simulator) =>
        simulator.StepGlobal(State.AsSpan(0, Count), Action.AsSpan(0, Count), Uniform.AsSpan(0, Count), Next.AsSpan(0, Count), Reward.AsSpan(0, Count));

    public void RunLocal(IGameSimulator simulator) =>
        simulator.StepLocal(State.AsSpan(0, Count), GlobalState.AsSpan(0, Count), Action.AsSpan(0, Count), Uniform.AsSpan(0, Count), Next.AsSpan(0, Count), Reward.AsSpan(0, Count));
}
