using System.Reflection;
using EdgeMarl.Cli.Commands;
using EdgeMarl.Host.Runs;
using EdgeMarl.Host.Training;

namespace EdgeMarl.Host.Tests.Cli;

/// <summary><c>train --config</c> reruns a run byte for byte; every setting is written, read back and reachable with <c>--set</c>.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class TrainConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgemarl-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Train(params string[] args) => CliRunner.Run([TrainCommand.Create()], ["train", .. args]);

    [Theory]
    [InlineData("default")]
    [InlineData("reference")]
    public void A_rerun_from_config_json_writes_the_same_bytes_in_every_file_but_the_timings(string preset)
    {
        // Before: config.json could not be read back (no --config), and record.json and rounds.csv carried wall-clock times.
        string first = Path.Combine(_dir, preset + "-a"), second = Path.Combine(_dir, preset + "-b");
        // k = 4: the default preset stores the tables 4, 2, 1 only (tables = geometric), so policies.json has an absent entry.
        var a = Train("--game", "tiny", "--k", "4", "--preset", preset, "--seed", "3", "--set", "mode=exact", "--set", "quickRollouts=7", "--out", first);
        Assert.True(a.Code == 0, a.Err);
        var b = Train("--config", Path.Combine(first, TrainingRunFolder.ConfigFileName), "--out", second);
        Assert.True(b.Code == 0, b.Err);

        string[] names = [.. Directory.GetFiles(first).Select(Path.GetFileName).Order()!];
        Assert.Equal(names, Directory.GetFiles(second).Select(Path.GetFileName).Order());
        Assert.Contains(TrainingRunFolder.TimingsFileName, names);
        foreach (string name in names.Where(n => n != TrainingRunFolder.TimingsFileName))
        {
            Assert.True(File.ReadAllBytes(Path.Combine(first, name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(second, name))), $"{name} differs between the run and its rerun");
        }

        TrainingConfig read = TrainingConfigFile.Read(Path.Combine(second, TrainingRunFolder.ConfigFileName));
        Assert.Equal(GStepMode.Exact, read.Mode);
        Assert.Equal(7, read.QuickRollouts);
        Assert.Equal(3UL, read.Seed);
        Assert.Equal(preset == "default" ? DegradationTables.Geometric : DegradationTables.Every, read.Tables);
        Assert.Equal(preset == "default", File.ReadAllText(Path.Combine(second, "policies.json")).Contains("\"stored\": false", StringComparison.Ordinal) || File.ReadAllText(Path.Combine(second, "policies.json")).Contains("\"stored\":false", StringComparison.Ordinal));
    }

    [Fact]
    public void Options_given_with_config_override_it_and_preset_with_config_is_refused()
    {
        string run = Path.Combine(_dir, "base");
        Assert.Equal(0, Train("--game", "tiny", "--k", "2", "--out", run).Code);
        string config = Path.Combine(run, TrainingRunFolder.ConfigFileName);
        string other = Path.Combine(_dir, "other");
        Assert.Equal(0, Train("--config", config, "--seed", "9", "--set", "maxRounds=2", "--out", other).Code);
        TrainingConfig read = TrainingConfigFile.Read(Path.Combine(other, TrainingRunFolder.ConfigFileName));
        Assert.Equal(9UL, read.Seed);
        Assert.Equal(2, read.MaxRounds);
        Assert.Equal(2, read.K); // from the file, not --k's default 5

        var both = Train("--config", config, "--preset", "reference", "--out", Path.Combine(_dir, "x"));
        Assert.Equal(3, both.Code);
        Assert.Contains("--preset and --config", both.Err, StringComparison.Ordinal);
    }

    public static TheoryData<string> Keys() => [.. TrainingConfigFile.Settings.Select(s => s.Key)];

    [Theory]
    [MemberData(nameof(Keys))]
    public void Every_setting_changes_the_hash_survives_config_json_and_is_reachable_with_set(string key)
    {
        PropertyInfo property = TrainingConfigFile.Settings.Single(s => s.Key == key).Property;
        TrainingConfig baseline = TrainingConfig.Default(4) with { ModelFree = new EdgeMarl.Host.Training.ModelFree.ModelFreeSettings() };
        string changedText = Changed(property, TrainingConfigFile.ValueText(baseline, property));
        TrainingConfig changed = TrainingConfigFile.Set(baseline, key, changedText);

        Assert.NotEqual(baseline, changed);
        Assert.NotEqual(baseline.ConfigHash(), changed.ConfigHash()); // the hash in policies.json covers the setting
        string path = Path.Combine(_dir, key + ".json");
        File.WriteAllText(path, TrainingConfigFile.Write(changed));
        Assert.Equal(changed, TrainingConfigFile.Read(path));
        Assert.Equal(changedText, TrainingConfigFile.ValueText(changed, property));
        using var canonical = System.Text.Json.JsonDocument.Parse(changed.ToCanonicalJson());
        Assert.Equal(changed, TrainingConfigFile.FromCanonical(canonical.RootElement)); // how record.json rewords a lifted source's config
    }

    [Theory]
    [InlineData("\"gTolerance\": 1E-07", "\"gTolerance\": \"small\"", "$.settings.gTolerance: expected number")]
    [InlineData("\"stop\": \"fixedPoint\"", "\"stop\": \"FixedPoint\"", "$.settings.stop: 'FixedPoint' is not one of quickValue, fixedPoint")]
    [InlineData("\"maxRounds\": 10,", "\"maxRounds\": 10, \"lifted\": true,", "$.settings.lifted: unknown setting")]
    [InlineData("\"maxRounds\": 10,", "", "$.settings.maxRounds: missing")]
    [InlineData("\"maxRounds\": 10,", "\"maxRounds\": 11,", "$.configHash:")]
    public void A_bad_config_file_is_one_line_naming_the_json_path(string find, string replace, string expected)
    {
        string run = Path.Combine(_dir, "good");
        Assert.Equal(0, Train("--game", "tiny", "--k", "2", "--out", run).Code);
        string text = File.ReadAllText(Path.Combine(run, TrainingRunFolder.ConfigFileName));
        Assert.Contains(find, text, StringComparison.Ordinal);
        string bad = Path.Combine(_dir, "bad.json");
        File.WriteAllText(bad, text.Replace(find, replace, StringComparison.Ordinal));

        var result = Train("--config", bad, "--game", "tiny", "--out", Path.Combine(_dir, "never"));
        Assert.Equal(3, result.Code);
        Assert.Contains(expected, result.Err, StringComparison.Ordinal);
        Assert.Contains(bad, result.Err, StringComparison.Ordinal);
        Assert.Single(result.Err.Trim().Split('\n'));
        Assert.False(Directory.Exists(Path.Combine(_dir, "never")));
    }

    [Fact]
    public void Set_names_an_unknown_key_and_a_bad_value()
    {
        var unknown = Train("--game", "tiny", "--k", "2", "--set", "gTol=1", "--out", Path.Combine(_dir, "u"));
        Assert.Equal(3, unknown.Code);
        Assert.Contains("unknown setting 'gTol'", unknown.Err, StringComparison.Ordinal);
        var bad = Train("--game", "tiny", "--k", "2", "--set", "mode=fast", "--out", Path.Combine(_dir, "v"));
        Assert.Equal(3, bad.Code);
        Assert.Contains("'fast' is not one of sampled, exact, rounded", bad.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void The_settings_page_lists_every_key()
    {
        string dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "EdgeMarl.sln")))
        {
            dir = Path.GetDirectoryName(dir) ?? throw new InvalidOperationException("repository root not found");
        }

        string page = File.ReadAllText(Path.Combine(dir, "docs", "training-settings.md"));
        Assert.All(TrainingConfigFile.Settings, s => Assert.Contains("| `" + s.Key + "` |", page, StringComparison.Ordinal));
    }

    /// <summary>A valid value other than <paramref name="current"/> for the setting.</summary>
    private static string Changed(PropertyInfo property, string current)
    {
        Type t = property.PropertyType;
        if (t.IsEnum)
        {
            return SettingWords.All(t).First(w => w != current);
        }

        return t == typeof(bool) ? (current == "true" ? "false" : "true")
            : t == typeof(double) ? (double.Parse(current, System.Globalization.CultureInfo.InvariantCulture) * 0.875).ToString("R", System.Globalization.CultureInfo.InvariantCulture)
            : (long.Parse(current, System.Globalization.CultureInfo.InvariantCulture) + (property.Name == "KMin" ? 1 : 3)).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
