using BenchmarkDotNet.Running;

if (args.Length > 0 && args[0] == "fuzz")
{
    return EdgeMarl.Firmware.Bench.FrameFuzz.Run(args);
}

#if DEBUG
Console.Error.WriteLine("EdgeMarl.Firmware.Bench: build with -c Release (BenchmarkDotNet runs nothing in Debug and still exits 0).");
return 1;
#else
BenchmarkSwitcher.FromAssembly(typeof(EdgeMarl.Firmware.Bench.GatewayTickBenchmarks).Assembly).Run(args);
return 0;
#endif
