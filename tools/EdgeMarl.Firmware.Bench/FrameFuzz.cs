using EdgeMarl.Firmware.Boundary;
using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Firmware.HostAdapters;
using EdgeMarl.Firmware.Nodes;
using EdgeMarl.Shared.Deployment;
using IPolicySource = EdgeMarl.Shared.Policy.IPolicySource;
using EdgeMarl.Shared.Protocol;
using EdgeMarl.Shared.Random;

namespace EdgeMarl.Firmware.Bench;

/// <summary>
/// One-off fuzz run (tags on, protocol v2): random frames, genuine frames with 1–8 bit flips or truncated, and replays of
/// genuine frames (all kinds, joins and join accepts included, all sent before the robot's session began), fed to a
/// joined robot node, the gateway's policy disseminator and the gateway's join handling through their real receive
/// paths. Counts exceptions, forged or replayed frames acted on, and bytes allocated per frame. <c>fuzz [frames] [seed]</c>.
/// </summary>
internal static class FrameFuzz
{
    private const int FleetId = 0x0E31;
    private const int Gateway = 0;
    private const int Robot = 7;
    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)(i * 13)).ToArray();

    public static int Run(string[] args)
    {
        long frames = args.Length > 1 ? long.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
        ulong seed = args.Length > 2 ? ulong.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1;
        var rng = new Pcg32(seed);
        const uint Epoch = 5;
        var genuine = new FrameCodec(FleetId, new HmacSha256Authenticator(Key));
        var radio = new OneFrameRadio();
        var clock = new SimulatedClock();
        var robot = new RobotNode(
            new RobotOptions { RobotId = Robot, GatewayId = Gateway, Seed = seed, SilentTicksBeforeSafeAction = 3, SafeAction = 0, NonceSeed = seed ^ 0x5EED },
            new BenchPolicy(2, 3, 2, 3, 2), new FrameCodec(FleetId, new HmacSha256Authenticator(Key)), radio, clock, new ConstantSensor(), new NullActuator());
        var image = new ArraySource(new byte[5000]);
        var session = new GatewaySession(null, Epoch, 200, 0);
        var disseminator = new PolicyDisseminator(
            new DisseminatorOptions { GatewayId = Gateway, RobotIds = [Robot, Robot + 1], Session = session }, image, 0xC0FFEE, new FrameCodec(FleetId, new HmacSha256Authenticator(Key)), new NullRadio());
        var gatewayRadio = new OneFrameRadio();
        var gateway = new GatewayNode(
            new GatewayOptions { GatewayId = Gateway, MaxRobots = 8, SampleSize = 1, Session = new GatewaySession(null, Epoch, 300, 0) },
            new BenchPolicy(2, 3, 2, 3, 2), new FrameCodec(FleetId, new HmacSha256Authenticator(Key)), gatewayRadio, clock, new ConstantSensor(), new NullActuator());

        // Genuine history the fuzzer may replay, all sent before the robot's session began: gateway frames of epoch 5 with
        // sequences 1 … 64 and of the epoch before, an old JoinAccept for this robot, robot joins and policy requests.
        var history = new List<byte[]>();
        byte[] f = new byte[FrameLayout.MaxFrameBytes];
        byte[] payload = new byte[FrameLayout.MaxPayloadBytes];
        for (uint s = 1; s <= 64; s++)
        {
            uint epoch = s <= 8 ? Epoch - 1 : Epoch;
            int n = (s % 3) switch
            {
                0 => genuine.EncodePoll(Gateway, epoch, s, s, Robot, f, 0),
                1 => genuine.EncodeBroadcast(Gateway, epoch, s, s, 0, 0, 1, f, 0),
                _ => genuine.Encode(FrameKind.PolicyChunk, Gateway, epoch, s, s, payload, 0, RadioPolicyLayout.ChunkHeaderBytes, f, 0),
            };
            history.Add(f[..n]);
        }

        history.Add(f[..genuine.EncodeJoinAccept(Gateway, Epoch, 60, 65, Robot, 0x0123456789ABCDEF, 3000, f, 0)]);
        byte[] recordedJoin = f[..genuine.EncodeJoin(Robot, Epoch, 60, 3, 0x0123456789ABCDEF, f, 0)];
        history.Add(recordedJoin);

        disseminator.Pump(1);
        WireBytes.WriteUInt32(payload, 0, 5000);
        WireBytes.WriteUInt32(payload, 4, 0xC0FFEE);
        WireBytes.WriteUInt32(payload, 8, 0);
        WireBytes.WriteUInt16(payload, 12, 8);
        payload[RadioPolicyLayout.RequestHeaderBytes] = 0xFF;
        for (uint s = 1; s <= 4; s++)
        {
            int n = genuine.Encode(FrameKind.PolicyRequest, Robot, Epoch, 0, s, payload, 0, RadioPolicyLayout.RequestHeaderBytes + 1, f, 0);
            history.Add(f[..n]);
            disseminator.HandlePolicyFrame(f, 0, n); // the genuine originals, heard once
        }

        // The robot boots and joins: its JoinAccept's (epoch 5, sequence 100) is the floor, so everything in the history is a replay.
        robot.EndTick();
        var join = new DecodedFrame();
        genuine.Decode(radio.LastSent, 0, radio.LastSent.Length, join);
        radio.Load(f, genuine.EncodeJoinAccept(Gateway, Epoch, 99, 100, Robot, join.Nonce, 3000, f, 0));
        robot.ProcessPending();
        if (!robot.Session.Joined)
        {
            Console.WriteLine("  setup failed: the robot did not join");
            return 1;
        }

        long exceptions = 0, actedRobot = 0, actedGateway = 0, random = 0, mutated = 0, replayed = 0, joinReplaysAnswered = 0;
        byte[] x = new byte[FrameLayout.MaxFrameBytes + 8];
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        for (long i = 0; i < frames; i++)
        {
            int length;
            int mode = (int)rng.NextBelow(3);
            byte[] source = history[(int)rng.NextBelow((uint)history.Count)];
            if (mode == 0)
            {
                random++;
                length = (int)rng.NextBelow(FrameLayout.MaxFrameBytes + 8);
                for (int b = 0; b < length; b++)
                {
                    x[b] = rng.NextByte();
                }

                if (length > 2 && rng.NextBelow(2) == 0)
                {
                    x[0] = FrameLayout.Version; // past the version check half the time
                    x[1] = source[1];
                }
            }
            else if (mode == 1)
            {
                mutated++;
                Array.Copy(source, x, source.Length);
                length = source.Length;
                if (rng.NextBelow(4) == 0)
                {
                    length = (int)rng.NextBelow((uint)source.Length); // truncated
                }
                else
                {
                    int flips = 1 + (int)rng.NextBelow(8);
                    for (int k = 0; k < flips; k++)
                    {
                        int bit = (int)rng.NextBelow((uint)(length * 8));
                        x[bit >> 3] ^= (byte)(1 << (bit & 7));
                    }

                    if (Same(x, source, length))
                    {
                        x[0] ^= 0x80; // flips cancelled out: still a mutation
                    }
                }
            }
            else
            {
                replayed++;
                Array.Copy(source, x, source.Length);
                length = source.Length;
            }

            int polls = robot.PollsAnswered, applied = robot.BroadcastsApplied, ready = disseminator.RobotsReady, sent = disseminator.ChunksSent;
            int sessions = robot.Session.Generation, accepted = gateway.JoinsAccepted;
            try
            {
                radio.Load(x, length);
                robot.ProcessPending();
                disseminator.HandlePolicyFrame(x, 0, length);
                gatewayRadio.Load(x, length);
                gateway.ServeJoins(0);
            }
            catch (Exception e)
            {
                if (exceptions++ == 0)
                {
                    Console.WriteLine($"  first exception (frame {i}, length {length}): {e}");
                }
            }

            actedRobot += (robot.PollsAnswered - polls) + (robot.BroadcastsApplied - applied) + (robot.Session.Generation - sessions);
            actedGateway += disseminator.RobotsReady != ready || disseminator.ChunksSent != sent || disseminator.Aborted ? 1 : 0;
            if (gateway.JoinsAccepted != accepted)
            {
                // A verbatim replay of a genuine join is answered (the gateway cannot tell; the accept echoes a spent nonce,
                // which the robot ignores). Anything else answered would be a forgery acted on.
                if (mode == 2 && Same(source, recordedJoin, recordedJoin.Length) && length == recordedJoin.Length)
                {
                    joinReplaysAnswered++;
                }
                else
                {
                    actedGateway++;
                }
            }
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Console.WriteLine($"fuzz: {frames} frames (seed {seed}, tags on): {random} random, {mutated} mutated, {replayed} replays");
        Console.WriteLine($"  exceptions {exceptions}; acted on by the robot (polls answered, broadcasts applied, sessions started) {actedRobot}; acted on by the gateway (disseminator changed, joins answered) {actedGateway}; replays refused by the disseminator {disseminator.ReplaysRefused}");
        Console.WriteLine($"  robot: rejected {robot.Rejected}, replayed {robot.Replayed}, foreign {robot.Foreign}; gateway: rejected {gateway.Rejected}, verbatim join replays answered {joinReplaysAnswered} (harmless: spent nonce); allocated {allocated} B = {(double)allocated / frames:F3} B/frame");
        return exceptions == 0 && actedRobot == 0 && actedGateway == 0 ? 0 : 1;
    }

    private static bool Same(byte[] a, byte[] b, int length)
    {
        for (int i = 0; i < length; i++)
        {
            if (a[i] != b[i])
            {
                return false;
            }
        }

        return true;
    }

    private sealed class OneFrameRadio : IRadio
    {
        private byte[] _frame = [];
        private int _length = -1;

        public byte[] LastSent { get; private set; } = [];

        public void Load(byte[] frame, int length)
        {
            _frame = frame;
            _length = length;
        }

        public bool Send(int destinationId, byte[] frame, int offset, int length)
        {
            if (LastSent.Length == 0)
            {
                LastSent = frame.AsSpan(offset, length).ToArray(); // setup only: the robot's join
            }

            return true;
        }

        public bool Broadcast(byte[] frame, int offset, int length) => true;

        public int Receive(byte[] buffer, int offset, int capacity, int timeoutMs)
        {
            if (_length < 0)
            {
                return 0;
            }

            int n = _length;
            _length = -1;
            if (n == 0)
            {
                return 0;
            }

            // A radio delivers at most its buffer's capacity (ESP-NOW: 250 B); longer datagrams are cut, like UDP does.
            n = Math.Min(n, capacity);
            Array.Copy(_frame, 0, buffer, offset, n);
            return n;
        }
    }

    private sealed class NullRadio : IRadio
    {
        public bool Send(int destinationId, byte[] frame, int offset, int length) => true;

        public bool Broadcast(byte[] frame, int offset, int length) => true;

        public int Receive(byte[] buffer, int offset, int capacity, int timeoutMs) => 0;
    }

    private sealed class ArraySource(byte[] bytes) : IPolicySource
    {
        public int Length => bytes.Length;

        public int Read(int position, byte[] buffer, int offset, int count)
        {
            Array.Copy(bytes, position, buffer, offset, count);
            return count;
        }
    }
}
