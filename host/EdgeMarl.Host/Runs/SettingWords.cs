using System.Text.Json;
using EdgeMarl.Host.Evaluation;

namespace EdgeMarl.Host.Runs;

/// <summary>
/// The words every output file and <c>--json</c> result uses for enum values: the CLI's (<c>--timing design|reference</c>),
/// else the camelCase of the value's name (<c>fixedPoint</c>, <c>stationaryConditional</c>), as <c>record.json</c> writes them.
/// The same words are what <c>train --config</c> and <c>train --set</c> read back.
/// </summary>
public static class SettingWords
{
    /// <summary>Returns the word for <paramref name="value"/>.</summary>
    /// <param name="value">An enum value.</param>
    /// <returns>The word.</returns>
    public static string Of(Enum value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value switch
        {
            LocalTransitionTiming.CurrentGlobalState => "design",
            LocalTransitionTiming.NextGlobalState => "reference",
            _ => JsonNamingPolicy.CamelCase.ConvertName(value.ToString()),
        };
    }

    /// <summary>Every word of <paramref name="type"/>, in declaration order.</summary>
    /// <param name="type">An enum type.</param>
    /// <returns>The words.</returns>
    public static IReadOnlyList<string> All(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return [.. Enum.GetValues(type).Cast<Enum>().Select(Of)];
    }

    /// <summary>Parses a word of <paramref name="type"/> (exact, case-sensitive).</summary>
    /// <param name="type">An enum type.</param>
    /// <param name="word">The word.</param>
    /// <param name="where">Where the word came from, for the error.</param>
    /// <returns>The value.</returns>
    /// <exception cref="FormatException">Not one of the words (lists them).</exception>
    public static object Parse(Type type, string word, string where)
    {
        ArgumentNullException.ThrowIfNull(type);
        foreach (Enum value in Enum.GetValues(type).Cast<Enum>())
        {
            if (Of(value) == word)
            {
                return value;
            }
        }

        throw new FormatException($"{where}: '{word}' is not one of {string.Join(", ", All(type))}");
    }
}
