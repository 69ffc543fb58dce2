using EdgeMarl.Firmware.Nodes;

namespace EdgeMarl.Host.Fleet;

/// <summary>What happened on the air and in the nodes during a run, summed over episodes (docs/fleet.md "Counters").</summary>
public sealed class FleetCounters
{
    /// <summary>Gets or sets the gateway ticks run.</summary>
    public long Ticks { get; set; }

    /// <summary>Gets or sets the polls the gateway sent.</summary>
    public long PollsSent { get; set; }

    /// <summary>Gets or sets the reports the gateway accepted (sum of <c>k'</c>).</summary>
    public long ReportsAccepted { get; set; }

    /// <summary>Gets or sets polls without an accepted answer by the deadline.</summary>
    public long Lost { get; set; }

    /// <summary>Gets or sets reports for an earlier tick.</summary>
    public long Late { get; set; }

    /// <summary>Gets or sets second answers to one poll.</summary>
    public long Duplicate { get; set; }

    /// <summary>Gets or sets frames the gateway or robots rejected (bad CRC or tag, bad version, invalid state).</summary>
    public long Rejected { get; set; }

    /// <summary>Gets or sets the gateway's reports with a class outside [0, T·|S_l|) (also in <see cref="Rejected"/>).</summary>
    public long BadClassReports { get; set; }

    /// <summary>Gets or sets the polls and broadcasts robots met with a policy lacking rows for their type.</summary>
    public long TypeFaults { get; set; }

    /// <summary>Gets or sets frames from unpolled senders, other fleets, other kinds (gateway and robots).</summary>
    public long Foreign { get; set; }

    /// <summary>Gets or sets gateway frames robots dropped as not newer than the last (replays, duplicates, overtaken frames).</summary>
    public long Replayed { get; set; }

    /// <summary>Gets or sets gateway ticks that used the fallback action.</summary>
    public long FallbackTicks { get; set; }

    /// <summary>Gets or sets robot actions taken from the policy on a broadcast.</summary>
    public long PolicyActions { get; set; }

    /// <summary>Gets or sets safe actions applied by robots.</summary>
    public long SafeActions { get; set; }

    /// <summary>Gets or sets robot crashes.</summary>
    public long Crashes { get; set; }

    /// <summary>Gets or sets gateway restarts.</summary>
    public long GatewayRestarts { get; set; }

    /// <summary>Gets or sets forged frames the attacker sent.</summary>
    public long ForgedSent { get; set; }

    /// <summary>Gets or sets frame copies the transport dropped (loss impairment).</summary>
    public long NetworkLost { get; set; }

    /// <summary>Gets or sets extra copies made by duplication.</summary>
    public long NetworkDuplicated { get; set; }

    /// <summary>Gets or sets copies with a flipped bit.</summary>
    public long NetworkCorrupted { get; set; }

    /// <summary>Gets or sets copies held back to be overtaken.</summary>
    public long NetworkReordered { get; set; }

    /// <summary>Gets or sets copies dropped for lack of buffer space or sent to nobody, and socket errors.</summary>
    public long NetworkOverflowed { get; set; }

    /// <summary>Gets the poll success rate <c>Σk' / polls</c> (1 when no poll was sent).</summary>
    public double PollSuccessRate => PollsSent == 0 ? 1.0 : (double)ReportsAccepted / PollsSent;

    /// <summary>Gets or sets the joins the gateways answered.</summary>
    public long JoinsAccepted { get; set; }

    /// <summary>Gets or sets the Join frames skipped because a tick's join budget was spent.</summary>
    public long JoinsDeferred { get; set; }

    /// <summary>Gets or sets the joins robots sent.</summary>
    public long JoinsSent { get; set; }

    /// <summary>Gets or sets the gateway frames robots dropped because they had not joined yet.</summary>
    public long NotJoined { get; set; }

    /// <summary>Gets or sets the number of bring-ups (one per episode).</summary>
    public long BringUps { get; set; }

    /// <summary>Gets or sets the bring-up rounds (one tick period each) summed over episodes.</summary>
    public long BringUpRounds { get; set; }

    /// <summary>Gets or sets the longest bring-up in rounds.</summary>
    public long MaxBringUpRounds { get; set; }

    /// <summary>Gets or sets robots still not joined when a bring-up gave up.</summary>
    public long NotJoinedAfterBringUp { get; set; }

    /// <summary>Adds a retired gateway's own counters.</summary>
    /// <param name="g">The gateway.</param>
    public void Add(GatewayNode g)
    {
        ArgumentNullException.ThrowIfNull(g);
        Ticks += g.Ticks;
        PollsSent += g.PollsSent;
        ReportsAccepted += g.ReportsAccepted;
        Lost += g.Lost;
        Late += g.Late;
        Duplicate += g.Duplicate;
        Rejected += g.Rejected;
        BadClassReports += g.BadClassReports;
        Foreign += g.Foreign;
        FallbackTicks += g.FallbackTicks;
        JoinsAccepted += g.JoinsAccepted;
        JoinsDeferred += g.JoinsDeferred;
    }

    /// <summary>Adds a retired robot's own counters.</summary>
    /// <param name="r">The robot.</param>
    public void Add(RobotNode r)
    {
        ArgumentNullException.ThrowIfNull(r);
        Rejected += r.Rejected;
        Foreign += r.Foreign;
        Replayed += r.Replayed;
        PolicyActions += r.BroadcastsApplied;
        SafeActions += r.SafeActionsApplied;
        TypeFaults += r.TypeFaults;
        JoinsSent += r.Session.JoinsSent;
        NotJoined += r.NotJoined;
    }
}
