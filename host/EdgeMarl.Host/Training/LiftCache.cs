// Issue 18 (docs/design.md §2 "Lifted candidates"): the smaller-k trainings a lifted candidate needs, trained once per process.
using System.Collections.Concurrent;

namespace EdgeMarl.Host.Training;

/// <summary>
/// Training results of one game by config (<see cref="TrainingConfig.ConfigHash"/>: k, k_min, seed and every setting), so that
/// a sweep over k or a corpus run trains each lifted k' once. Results are deterministic per config, so reusing one changes
/// nothing but the time. Thread-safe; one game and one quick evaluator per cache.
/// </summary>
public sealed class LiftCache
{
    private readonly ConcurrentDictionary<string, Lazy<TrainingResult>> _results = new(StringComparer.Ordinal);

    /// <summary>Gets how many trainings the cache holds.</summary>
    public int Count => _results.Count;

    /// <summary>Returns the cached result of <paramref name="config"/>, training it with <paramref name="train"/> the first time.</summary>
    /// <param name="config">The config (its hash is the key).</param>
    /// <param name="train">Trains it.</param>
    /// <returns>The result.</returns>
    public TrainingResult GetOrAdd(TrainingConfig config, Func<TrainingResult> train)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(train);
        return _results.GetOrAdd(config.ConfigHash(), _ => new Lazy<TrainingResult>(train)).Value;
    }

    /// <summary>Adds a result trained elsewhere (e.g. a sweep's cell) under its config.</summary>
    /// <param name="config">The config it was trained with.</param>
    /// <param name="result">The result.</param>
    public void Add(TrainingConfig config, TrainingResult result)
    {
        ArgumentNullException.ThrowIfNull(config);
        _results.TryAdd(config.ConfigHash(), new Lazy<TrainingResult>(result));
    }
}
