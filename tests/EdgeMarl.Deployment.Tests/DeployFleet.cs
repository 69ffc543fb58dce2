using EdgeMarl.Firmware.Boundary;
using EdgeMarl.Firmware.Deployment;
using EdgeMarl.Firmware.HostAdapters;
using EdgeMarl.Firmware.Nodes;
using EdgeMarl.Shared.Deployment;
using EdgeMarl.Shared.Policy;
using EdgeMarl.Shared.Protocol;

namespace EdgeMarl.Deployment.Tests;

/// <summary>
/// A gateway and n robots on a lossy <see cref="InMemoryNetwork"/>, each with its own flash and <see cref="PolicyStore"/>;
/// the nodes run the stores' live policies behind <see cref="PolicyFrameRadio"/>s. Robots can be powered off, have power
/// fail in the middle of a flash write, and boot again from what persisted. Records which policy every robot acted with.
/// </summary>
internal sealed class DeployFleet
{
    public const int GatewayId = 0;
    public const int FleetId = 0x0E31;
    private const int Capacity = 32 * 1024;

    private readonly PolicyExpectations _game;
    private readonly IFrameAuthenticator _frameAuth = new EdgeMarl.Firmware.HostAdapters.HmacSha256Authenticator(TestPolicies.Key);
    private readonly IIncrementalAuthenticator _policyAuth = new EdgeMarl.Shared.Policy.StreamingHmacSha256Authenticator(TestPolicies.Key);
    private readonly int _k;

    public DeployFleet(int n, int k, double loss, ulong seed, byte[] oldImage, byte[] newImage, DisseminatorOptions options, Func<int, (PolicyExpectations Game, byte[] Image)>? robotOverride = null, bool stageViaSerial = false, NetworkImpairments? impairments = null, ulong? gatewayEntropySeed = null, bool record = false)
    {
        _game = TestPolicies.MediumGame();
        _entropySeed = gatewayEntropySeed ?? (seed ^ 0xE90C);
        Record = record;
        _k = k;
        Network = new InMemoryNetwork(impairments ?? new NetworkImpairments { LossProbability = loss, MinDelayMs = 1, MaxDelayMs = 4 }, seed);
        OldCrc = TestPolicies.Crc(oldImage);
        NewCrc = TestPolicies.Crc(newImage);

        GatewayFlash = new MemoryPolicyStorage(Capacity);
        GatewayStore = new PolicyStore(GatewayFlash, TestPolicies.MediumGame(minK: k), _policyAuth, 128, 4);
        GatewayStore.Boot();
        Assert.Equal(DeployStatus.Ok, TestPolicies.Install(GatewayStore, oldImage));
        if (stageViaSerial)
        {
            // The laptop uploads to the gateway over a noisy cable; the gateway verifies and stages, commit deferred.
            var wire = new SerialWire(seed, 0.1, 0.1);
            wire.Receiver = new SerialPolicyReceiver(wire.Device, GatewayStore, commitOnFinish: false);
            EdgeMarl.Host.Deployment.UploadResult upload = new EdgeMarl.Host.Deployment.PolicyUploader(
                wire, new EdgeMarl.Host.Deployment.UploadOptions { ResponseTimeoutMs = 10, MaxRetries = 40, Key = TestPolicies.Key }).Upload(newImage);
            Assert.True(upload.Succeeded, upload.Message);
            Assert.Equal(OldCrc, GatewayStore.CurrentCrc);
        }
        else
        {
            Assert.Equal(DeployStatus.Ok, GatewayStore.BeginStage(newImage.Length, NewCrc));
            GatewayStore.WriteStage(0, newImage, 0, newImage.Length);
            Assert.Equal(DeployStatus.Ok, GatewayStore.FinishStage());
        }

        Assert.True(GatewayStore.HasStaged);

        Robots = new Robot[n];
        int[] ids = Enumerable.Range(1, n).Select(i => i * 2).ToArray();
        _gatewayRadio = new SendTap(Network.Attach(GatewayId), this);
        _options = options;
        _seed = seed;
        _ids = ids;
        IRadio gatewayRadio = _gatewayRadio;
        for (int i = 0; i < n; i++)
        {
            int index = i;
            (PolicyExpectations game, byte[] image) = robotOverride?.Invoke(i) ?? (_game, oldImage);
            var robot = new Robot(ids[i], game, new MemoryPolicyStorage(Capacity));
            robot.Radio = Network.Attach(ids[i], () => Robots[index].OnFrames());
            Robots[i] = robot;
            var factory = new PolicyStore(robot.Flash, game, _policyAuth, 128, 4);
            factory.Boot();
            Assert.Equal(DeployStatus.Ok, TestPolicies.Install(factory, image));
            robot.Boot(this);
        }

        options.GatewayId = GatewayId;
        options.RobotIds = ids;
        GatewaySession = new GatewaySession(new PersistentCounter(GatewayEpochFiles), 0, 0, GatewayEntropy());
        options.Session = GatewaySession;
        Disseminator = new PolicyDisseminator(options, GatewayStore.StagedSource(), NewCrc, new FrameCodec(FleetId, _frameAuth), gatewayRadio);
        Gateway = new GatewayNode(
            new GatewayOptions { GatewayId = GatewayId, RobotIds = ids, SampleSize = k, ReplyWindowMs = 50, Seed = seed, Session = GatewaySession },
            GatewayStore.Live, new FrameCodec(FleetId, _frameAuth), new PolicyFrameRadio(gatewayRadio, Network.Clock, Disseminator), Network.Clock, new TickSensor(this), null);
        JoinAll();
    }

    private readonly SendTap _gatewayRadio;
    private readonly ulong _entropySeed;
    private ulong _gatewayBoots;

    /// <summary>The gateway's "hardware randomness" for a boot without valid epoch copies: new per boot, from the seed (or the caller's).</summary>
    private uint GatewayEntropy() => (uint)EdgeMarl.Shared.Random.Pcg32.DeriveSeed(_entropySeed, ++_gatewayBoots);
    private readonly DisseminatorOptions _options;
    private readonly ulong _seed;
    private readonly int[] _ids;

    /// <summary>Gets a value indicating whether gateway frames are recorded and robot reactions checked (allocates; off for allocation tests).</summary>
    public bool Record { get; }

    /// <summary>Gets the number of frames the gateway (node and disseminator) has sent so far.</summary>
    public long SendIndex { get; private set; }

    /// <summary>For each exact frame the gateway sent, the index of its latest sending.</summary>
    public Dictionary<string, long> LastSentIndex { get; } = [];

    /// <summary>Every frame the gateway sent, in order (what an eavesdropper records).</summary>
    public List<byte[]> GatewayFrames { get; } = [];

    /// <summary>Gets the tick of the first pump of the current disseminator (the rollout bound counts from it).</summary>
    public uint DisseminatorStartTick { get; private set; }

    /// <summary>Gets the tick whose pump found the current rollout finished, or 0.</summary>
    public uint FinishedAtTick { get; private set; }

    /// <summary>
    /// The gateway reboots: RAM lost (roster, rollout progress), the epoch booted from its two copies after losing
    /// <paramref name="loseFiles"/> of them. Only while the new image is still staged (the rollout restarts from scratch).
    /// </summary>
    public void RebootGateway(int loseFiles)
    {
        Assert.True(GatewayStore.HasStaged && Disseminator.SwitchTick == 0, "test setup: gateway reboots only before the announcement");
        for (int copy = 0; copy < loseFiles; copy++)
        {
            GatewayEpochFiles.Lose(copy);
        }

        GatewaySession = new GatewaySession(new PersistentCounter(GatewayEpochFiles), 0, 0, GatewayEntropy());
        _options.Session = GatewaySession;
        Disseminator = new PolicyDisseminator(_options, GatewayStore.StagedSource(), NewCrc, new FrameCodec(FleetId, _frameAuth), _gatewayRadio);
        uint tick = Gateway.CurrentTick;
        Gateway = new GatewayNode(
            new GatewayOptions { GatewayId = GatewayId, RobotIds = _ids, SampleSize = _k, ReplyWindowMs = 50, Seed = _seed + tick, Session = GatewaySession, FirstTick = tick },
            GatewayStore.Live, new FrameCodec(FleetId, _frameAuth), new PolicyFrameRadio(_gatewayRadio, Network.Clock, Disseminator), Network.Clock, new TickSensor(this), null);
        DisseminatorStartTick = 0;
        FinishedAtTick = 0;
    }

    /// <summary>The gateway's persisted epoch (two copies).</summary>
    public MemoryRecordFiles GatewayEpochFiles { get; } = new();

    /// <summary>The gateway's frame counter, shared by the gateway node and the disseminator.</summary>
    public GatewaySession GatewaySession { get; private set; }

    /// <summary>Bring-up: every running robot joins (Join, JoinAccept) before the first tick; returns the rounds it took.</summary>
    public int JoinAll()
    {
        int rounds = 0;
        while (Robots.Any(r => r.Node is not null && !r.Down && !r.Session.Joined))
        {
            Assert.True(++rounds <= 400, $"robots did not join within 400 rounds: {string.Join(",", Robots.Select(r => $"{r.Id}:{r.Session.Joined}/{r.Session.JoinsSent}/{r.Node?.Rejected}/{r.Node?.Replayed}"))} gw {Gateway.JoinsAccepted} {Gateway.JoinsDeferred} {Gateway.Rejected} {Gateway.LastRejectStatus}");
            foreach (Robot r in Robots.Where(r => r.Node is not null && !r.Down && !r.Session.Joined))
            {
                r.Node!.EndTick(); // sends the join (with backoff); joined robots wait for the first tick
            }

            Network.RunUntil(Network.Clock.NowMs() + 10);
            Gateway.ServeJoins(0);
            Network.RunUntil(Network.Clock.NowMs() + 10);
        }

        return rounds;
    }

    public InMemoryNetwork Network { get; }
    public MemoryPolicyStorage GatewayFlash { get; }
    public PolicyStore GatewayStore { get; }
    public GatewayNode Gateway { get; private set; }
    public PolicyDisseminator Disseminator { get; private set; }
    public Robot[] Robots { get; }
    public uint OldCrc { get; }
    public uint NewCrc { get; }
    public uint GatewaySwitchedAt { get; private set; }

    /// <summary>Ticks in which some robot acted with a policy other than the gateway's.</summary>
    public int MixedTicks { get; private set; }

    /// <summary>Robot actions taken with the new policy before the gateway switched (must stay 0).</summary>
    public int EarlyNewActions { get; private set; }

    public uint CurrentTick => Gateway.CurrentTick;

    /// <summary>One tick: gateway switch if due, policy frames, gateway tick, robots close their tick.</summary>
    public void Tick()
    {
        uint next = Gateway.CurrentTick + 1;
        if (Disseminator.SwitchDue(next) && GatewayStore.HasStaged)
        {
            Assert.Equal(DeployStatus.Ok, GatewayStore.Commit());
            GatewaySwitchedAt = next;
        }

        if (DisseminatorStartTick == 0)
        {
            DisseminatorStartTick = next;
        }

        bool finishedBefore = Disseminator.Finished;
        Disseminator.Pump(next);
        if (!finishedBefore && Disseminator.Finished)
        {
            FinishedAtTick = next;
        }

        long start = Network.Clock.NowMs();
        foreach (Robot r in Robots)
        {
            r.ActedWith.Clear();
        }

        uint gatewayCrc = GatewayStore.CurrentCrc;
        Gateway.Tick();
        Network.RunUntil(Math.Max(Network.Clock.NowMs(), start + 100));
        bool mixed = false;
        foreach (Robot r in Robots)
        {
            if (r.Node is not null && !r.Down)
            {
                r.Node.EndTick();
            }

            foreach (uint crc in r.ActedWith)
            {
                mixed |= crc != gatewayCrc;
                if (crc == NewCrc && gatewayCrc != NewCrc)
                {
                    EarlyNewActions++;
                }
            }
        }

        if (mixed)
        {
            MixedTicks++;
        }
    }

    internal sealed class Robot(int id, PolicyExpectations game, MemoryPolicyStorage flash)
    {
        public int Id { get; } = id;
        public PolicyExpectations Game { get; } = game;
        public MemoryPolicyStorage Flash { get; } = flash;
        public InMemoryRadio Radio { get; set; } = null!;
        public PolicyStore Store { get; private set; } = null!;
        public RadioPolicyReceiver Receiver { get; private set; } = null!;
        public RobotNode? Node { get; private set; }
        public RobotSession Session { get; private set; } = null!;
        public bool Down { get; set; }
        public int Boots { get; private set; }
        public List<uint> ActedWith { get; } = [];

        /// <summary>Gets the gateway's send index when this robot last booted: it may act only on frames sent at or after it.</summary>
        public long BootIndex { get; private set; }

        /// <summary>Frames this robot acted on that the gateway had not sent since the robot's last boot (must stay empty).</summary>
        public List<string> Violations { get; } = [];

        /// <summary>Gets the highest policy version this robot has run (it must never go down).</summary>
        public uint HighestVersionRun { get; set; }

        /// <summary>Every policy frame (request or ack) this robot sent, as an eavesdropper would have recorded it.</summary>
        public List<byte[]> SentPolicyFrames { get; } = [];

        /// <summary>Gets or sets an eavesdropper's reaction to each policy frame this robot sends (called right after it is sent).</summary>
        public Action<byte[]>? OnPolicyFrameSent { get; set; }

        public void Boot(DeployFleet fleet)
        {
            Flash.Reboot();
            Down = false;
            Boots++;
            BootIndex = fleet.SendIndex;
            Store = new PolicyStore(Flash, Game, fleet._policyAuth, 128, 4);
            Store.Boot();
            var watched = new WatchRadio(Radio, this, fleet);
            uint sequenceBase = (uint)Boots * 1_000_000;
            // A fresh nonce stream per boot (on a device: a persisted boot counter mixed with entropy).
            Session = new RobotSession(((ulong)(uint)Id << 32) | (uint)Boots, 0);
            Receiver = new RadioPolicyReceiver(Store, new FrameCodec(FleetId, fleet._frameAuth), new TapRadio(watched, this), Session, Id, GatewayId, sequenceBase);
            Node = Store.HasPolicy
                ? new RobotNode(
                    new RobotOptions { RobotId = Id, GatewayId = GatewayId, Seed = 5, SilentTicksBeforeSafeAction = 3, SafeAction = 0, FirstSequence = sequenceBase + 500_000, ActionGate = Receiver, Session = Session },
                    Store.Live, new FrameCodec(FleetId, fleet._frameAuth), new PolicyFrameRadio(watched, fleet.Network.Clock, Receiver), fleet.Network.Clock,
                    new FixedSensor(Id % Game.LocalStates), new PolicyRecorder(this))
                : null;
        }

        public void OnFrames()
        {
            if (Down || Node is null)
            {
                // Powered off: frames reaching the antenna are lost.
                var sink = new byte[FrameLayout.MaxFrameBytes];
                while (Radio.Receive(sink, 0, sink.Length, 0) > 0)
                {
                }

                return;
            }

            Node.ProcessPending();
        }
    }

    private sealed class PolicyRecorder(Robot robot) : IActuator
    {
        public void Apply(int action)
        {
        }

        public void ShowStatus(bool healthy)
        {
            // healthy = the action came from the policy (not the safe action): note which image produced it.
            if (healthy)
            {
                robot.ActedWith.Add(robot.Store.CurrentCrc);
            }
        }
    }

    private sealed class FixedSensor(int state) : ILocalStateSensor
    {
        public int ReadLocalState() => state;
    }

    private sealed class TickSensor(DeployFleet fleet) : IGlobalStateSensor
    {
        public int ReadGlobalState() => (int)(fleet.Gateway.CurrentTick % 3);
    }

    /// <summary>The gateway's radio: numbers every frame it sends (node and disseminator) and keeps a copy.</summary>
    private sealed class SendTap(IRadio inner, DeployFleet fleet) : IRadio
    {
        public bool Send(int destinationId, byte[] frame, int offset, int length)
        {
            Note(frame, offset, length);
            return inner.Send(destinationId, frame, offset, length);
        }

        public bool Broadcast(byte[] frame, int offset, int length)
        {
            Note(frame, offset, length);
            return inner.Broadcast(frame, offset, length);
        }

        public int Receive(byte[] buffer, int offset, int capacity, int timeoutMs) => inner.Receive(buffer, offset, capacity, timeoutMs);

        private void Note(byte[] frame, int offset, int length)
        {
            if (!fleet.Record)
            {
                return;
            }

            byte[] copy = frame.AsSpan(offset, length).ToArray();
            fleet.GatewayFrames.Add(copy);
            fleet.LastSentIndex[Convert.ToHexString(copy)] = fleet.SendIndex++;
        }
    }

    /// <summary>
    /// A robot's radio that checks what the robot acts on: when the robot's observable reaction (a poll answered, a
    /// broadcast applied or held, a session started, a policy frame sent, a chunk taken, a switch, a policy change)
    /// changed while it handled a frame from the gateway's id, that exact frame must have been sent by the gateway since
    /// the robot's last boot. (Each handled frame is followed by another Receive, where the check runs.)
    /// </summary>
    private sealed class WatchRadio(IRadio inner, Robot robot, DeployFleet fleet) : IRadio
    {
        private string? _pending;
        private (int, int, int, int, int, uint, int, uint) _before;

        public bool Send(int destinationId, byte[] frame, int offset, int length) => inner.Send(destinationId, frame, offset, length);

        public bool Broadcast(byte[] frame, int offset, int length) => inner.Broadcast(frame, offset, length);

        public int Receive(byte[] buffer, int offset, int capacity, int timeoutMs)
        {
            if (!fleet.Record)
            {
                return inner.Receive(buffer, offset, capacity, timeoutMs);
            }

            Check();
            int length = inner.Receive(buffer, offset, capacity, timeoutMs);
            _pending = length >= FrameLayout.MinFrameBytes && WireBytes.ReadUInt16(buffer, offset + FrameLayout.SenderIdOffset) == GatewayId
                ? Convert.ToHexString(buffer, offset, length)
                : null;
            _before = Reaction();
            return length;
        }

        private (int, int, int, int, int, uint, int, uint) Reaction()
        {
            RobotNode? node = robot.Node;
            return (node?.BroadcastsApplied ?? 0, node?.PollsAnswered ?? 0, node?.HeldSafe ?? 0, robot.Session?.Generation ?? 0, robot.Receiver?.ChunksReceived ?? 0,
                robot.Receiver?.SwitchedAtTick ?? 0, robot.SentPolicyFrames.Count, robot.Store?.CurrentCrc ?? 0);
        }

        private void Check()
        {
            if (robot.Store is not null && robot.Store.CurrentVersion < robot.HighestVersionRun)
            {
                robot.Violations.Add($"policy version went down: {robot.Store.CurrentVersion} < {robot.HighestVersionRun}");
            }

            robot.HighestVersionRun = Math.Max(robot.HighestVersionRun, robot.Store?.CurrentVersion ?? 0);
            if (_pending is null || Reaction() == _before)
            {
                return;
            }

            if (!fleet.LastSentIndex.TryGetValue(_pending, out long sent) || sent < robot.BootIndex)
            {
                robot.Violations.Add($"robot {robot.Id} (boot {robot.Boots}) acted on kind {_pending.Substring(2, 2)} not sent by the gateway since its boot");
            }

            _pending = null;
        }
    }

    /// <summary>Records what a radio sends (an eavesdropper's copy), then sends it.</summary>
    private sealed class TapRadio(IRadio inner, Robot robot) : IRadio
    {
        public bool Send(int destinationId, byte[] frame, int offset, int length)
        {
            byte[] copy = frame.AsSpan(offset, length).ToArray();
            robot.SentPolicyFrames.Add(copy);
            bool sent = inner.Send(destinationId, frame, offset, length);
            robot.OnPolicyFrameSent?.Invoke(copy);
            return sent;
        }

        public bool Broadcast(byte[] frame, int offset, int length) => inner.Broadcast(frame, offset, length);

        public int Receive(byte[] buffer, int offset, int capacity, int timeoutMs) => inner.Receive(buffer, offset, capacity, timeoutMs);
    }
}
