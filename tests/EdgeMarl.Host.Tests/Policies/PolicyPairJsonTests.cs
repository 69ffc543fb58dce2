using System.Globalization;
using EdgeMarl.Host.Policies;
using EdgeMarl.Shared.Random;
using FsCheck.Xunit;

namespace EdgeMarl.Host.Tests.Policies;

public class PolicyPairJsonTests
{
    private static TrainedPolicy Tiny() =>
        new(PolicyFileGoldenTests.TinyPair(), "tiny", PolicyFileGoldenTests.TinyMetadata().GameHash, PolicyFileGoldenTests.TinyMetadata().ConfigHash, 4);

    [Property(MaxTest = 100)]
    public void RoundTripGivesBackTheSameDoublesAndActions(ulong seed)
    {
        PolicyPair pair = RandomPolicies.Create(seed);
        var rng = new Pcg32(seed, 3);
        for (int i = 0; i < pair.LocalPolicy.Length; i++)
        {
            pair.LocalPolicy[i] = i % 2 == 0 ? pair.LocalPolicy[i] : rng.NextUnitDouble() / 3; // arbitrary bit patterns
        }

        PolicyFileMetadata m = RandomPolicies.Metadata(seed);
        TrainedPolicy back = PolicyPairJson.Parse(PolicyPairJson.Serialize(new TrainedPolicy(pair, m.GameName, m.GameHash, m.ConfigHash, m.AgentCount)));
        Assert.Equal(pair.LocalPolicy, back.Pair.LocalPolicy); // exact, bit for bit
        Assert.Equal(pair.GlobalActions, back.Pair.GlobalActions);
        Assert.Equal((pair.GlobalStates, pair.GlobalActionCount, pair.LocalStates, pair.LocalActionCount, pair.KMin, pair.K), (back.Pair.GlobalStates, back.Pair.GlobalActionCount, back.Pair.LocalStates, back.Pair.LocalActionCount, back.Pair.KMin, back.Pair.K));
        Assert.Equal((m.GameName, m.AgentCount), (back.GameName, back.AgentCount));
        Assert.Equal(m.GameHash, back.GameHash);
        Assert.Equal(m.ConfigHash, back.ConfigHash);
    }

    [Fact]
    public void TextIsTheSameUnderACommaDecimalCulture()
    {
        string invariant = PolicyPairJson.Serialize(Tiny());
        CultureInfo saved = CultureInfo.CurrentCulture;
        try
        {
            // The build runs in globalization-invariant mode, so make a comma-decimal culture by hand.
            var comma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            comma.NumberFormat.NumberDecimalSeparator = ",";
            comma.NumberFormat.NumberGroupSeparator = ".";
            CultureInfo.CurrentCulture = comma;
            Assert.Equal("0,25", 0.25.ToString(CultureInfo.CurrentCulture)); // the culture really differs
            Assert.Equal(invariant, PolicyPairJson.Serialize(Tiny()));
            Assert.Equal(0.25, PolicyPairJson.Parse(invariant).Pair.LocalPolicy[4]);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }

        Assert.Contains("\"format\": \"edgemarl.policies/1\"", invariant, StringComparison.Ordinal);
        Assert.Contains("0.25", invariant, StringComparison.Ordinal);
    }

    [Fact]
    public void LargeTablesArePackedAndComeBackEntryForEntry()
    {
        // k = 12, |S_g| = 4, |S_l| = 5: the k' = 11, 12 tables exceed 4,096 entries and are written as base64 bit-packed bytes.
        var rng = new EdgeMarl.Shared.Random.Pcg32(8);
        var ranker = new EdgeMarl.Shared.Counting.CountRanker(5, 12);
        int[][] tables = [.. Enumerable.Range(1, 12).Select(k => Enumerable.Range(0, 4 * ranker.Count(k)).Select(_ => (int)rng.NextBelow(5)).ToArray())];
        var big = new PolicyPair(4, 5, 5, 1, 1, 12, tables, [.. Enumerable.Repeat(1.0, 20)]);
        var trained = new TrainedPolicy(big, "big", new byte[32], new byte[32], 40);

        string json = PolicyPairJson.Serialize(trained);
        TrainedPolicy back = PolicyPairJson.Parse(json);

        Assert.Contains("\"format\": \"edgemarl.policies/2\"", json, StringComparison.Ordinal);
        Assert.Contains("\"actionsPacked\"", json, StringComparison.Ordinal);
        for (int i = 0; i < tables.Length; i++)
        {
            Assert.Equal(tables[i], back.Pair.GlobalActions[i]);
        }

        Assert.Equal(json, PolicyPairJson.Serialize(back));
    }

    [Fact]
    public void APackedEntryOutOfRangeIsReportedWithItsJsonPath()
    {
        int[][] tables = [Enumerable.Repeat(2, 5000).ToArray()];
        var trained = new TrainedPolicy(new PolicyPair(5000, 3, 1, 1, 0, 0, tables, [.. Enumerable.Repeat(1.0, 5000)]), "big", new byte[32], new byte[32], 4);
        string json = PolicyPairJson.Serialize(trained);

        // |A_g| = 3 → 2 bits per entry; claiming |A_g| = 4 keeps the length but nothing else; claiming 2 makes 1-bit entries: wrong length.
        var e = Assert.Throws<InvalidDataException>(() => PolicyPairJson.Parse(json.Replace("\"globalActions\": 3", "\"globalActions\": 2", StringComparison.Ordinal)));
        Assert.StartsWith("$.globalActions[0].actionsPacked", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"format\": \"edgemarl.policies/1\"", "\"format\": \"edgemarl.policies/9\"", "$.format")]
    [InlineData("\"gameHash\": \"00", "\"gameHash\": \"zz", "$.gameHash")]
    [InlineData("\"localStates\": 2", "\"localStates\": \"2\"", "$.sizes.localStates")]
    [InlineData("\"kPrime\": 2", "\"kPrime\": 3", "$.globalActions[1].kPrime")]
    [InlineData("\"k\": 2", "\"k\": 3", "$.globalActions")]
    [InlineData("\"n\": 4", "\"m\": 4", "$.sizes.n: missing")]
    public void InvalidContentIsReportedWithItsJsonPath(string find, string replace, string expectedPath)
    {
        string json = PolicyPairJson.Serialize(Tiny());
        Assert.Contains(find, json, StringComparison.Ordinal);
        var e = Assert.Throws<InvalidDataException>(() => PolicyPairJson.Parse(json.Replace(find, replace, StringComparison.Ordinal)));
        Assert.StartsWith(expectedPath, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GlobalActionOutOfRangeNamesTheEntry()
    {
        string json = PolicyPairJson.Serialize(Tiny()).Replace("\"actions\": [\n        0,\n        1,\n        2,\n        0", "\"actions\": [\n        0,\n        1,\n        7,\n        0", StringComparison.Ordinal);
        var e = Assert.Throws<InvalidDataException>(() => PolicyPairJson.Parse(json));
        Assert.Equal("$.globalActions[0].actions[2]: expected an integer in [0, 3)", e.Message);
    }

    [Fact]
    public void BrokenJsonNamesTheLine()
    {
        var e = Assert.Throws<InvalidDataException>(() => PolicyPairJson.Parse("{\n  \"format\": \n"));
        Assert.StartsWith("not valid JSON (line", e.Message, StringComparison.Ordinal);
    }
}
