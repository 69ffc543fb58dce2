#!/usr/bin/env python3
"""The zones benchmark (BENCHMARKS.md) as an EdgeMarl simulator: JSON-lines protocol version 1 on stdin/stdout.

Standard library only. Implements exactly the built-in game `zones` (host/EdgeMarl.Host/Games/ZonesGame.cs) and draws
next states by inversion of the cumulative row at u * 2**-32, so `edgemarl train --simulator "python3 zones_sim.py"`
and `edgemarl train --game zones --learner qlearning` give the same bytes. See docs/simulator-protocol.md.

    python3 examples/simulators/zones_sim.py [--robots N]
"""
import bisect
import json
import math
import sys

ZONES, LOCAL_ACTIONS, GAMMA, ALPHA = 5, 3, 0.95, 0.3
BONUS = [0.0, 0.5, -0.3]
INV32 = 1.0 / 4294967296.0


def softmax(logits):
    top = max(logits)
    e = [math.exp(x - top) for x in logits]
    total = 0.0
    for x in e:
        total += x
    return [x / total for x in e]


def cumulative(p):
    out, acc = [], 0.0
    for j, x in enumerate(p):
        acc += x
        out.append(1.0 if j == len(p) - 1 else acc)
    return out


def ring(i, j):
    d = abs(i - j)
    return min(d, ZONES - d)


def build():
    s = ZONES
    cum_g, r_g = [], []  # row (s_g * |A_g| + a_g)
    for sg in range(s):
        for ag in range(s):
            cum_g.append(cumulative(softmax([0.1 + (3.0 if j == ag else 0.0) + (0.5 if j == sg else 0.0) for j in range(s)])))
            r_g.append(1.0)
    cum_l, r_l = [], []  # row ((s_l * |S_g| + s_g) * |A_l| + a_l)
    for sl in range(s):
        up, down = (sl + 1) % s, (sl + s - 1) % s
        for sg in range(s):
            d = ring(sl, sg)
            base = 10.0 if d == 0 else 2.0 / (1 + d)
            for a in range(LOCAL_ACTIONS):
                logits = [0.1 + (3.5 if j == sl else 0.0) + (1.5 if a == 1 and j == up else 0.0)
                          + (1.5 if a == 2 and j == down else 0.0) + (0.3 if j == sg else 0.0) for j in range(s)]
                cum_l.append(cumulative(softmax(logits)))
                r_l.append(base + BONUS[a])
    return cum_g, r_g, cum_l, r_l


def reply(obj):
    sys.stdout.write(json.dumps(obj, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def main():
    robots = 1000
    if "--robots" in sys.argv:
        robots = int(sys.argv[sys.argv.index("--robots") + 1])
    cum_g, r_g, cum_l, r_l = build()
    s, al = ZONES, LOCAL_ACTIONS
    br = bisect.bisect_right
    alpha_sum = 0.0
    for _ in range(s):
        alpha_sum += ALPHA  # the Dirichlet α's mean, summed in the host's order
    for line in sys.stdin:
        msg = json.loads(line)
        kind = msg.get("type")
        if kind == "hello":
            reply({"type": "hello", "protocol": 1, "name": "zones", "globalStates": s, "globalActions": s,
                   "localStates": s, "localActions": al, "gamma": GAMMA, "agentCount": robots,
                   "initialGlobal": [1.0 / s] * s, "initialLocal": [ALPHA / alpha_sum] * s,
                   "initialLocalDirichlet": [ALPHA] * s})
        elif kind == "step_global":
            rows = [sg * s + ag for sg, ag in zip(msg["sg"], msg["ag"])]
            nxt = [br(cum_g[r], u * INV32) for r, u in zip(rows, msg["u"])]
            rew = [r_g[r] for r in rows]
            sys.stdout.write('{"type":"result","id":%d,"next":[%s],"reward":[%s]}\n'
                             % (msg["id"], ",".join(map(str, nxt)), ",".join(map(repr, rew))))
            sys.stdout.flush()
        elif kind == "step_local":
            rows = [(sl * s + sg) * al + a for sl, sg, a in zip(msg["sl"], msg["sg"], msg["al"])]
            nxt = [br(cum_l[r], u * INV32) for r, u in zip(rows, msg["u"])]
            rew = [r_l[r] for r in rows]
            sys.stdout.write('{"type":"result","id":%d,"next":[%s],"reward":[%s]}\n'
                             % (msg["id"], ",".join(map(str, nxt)), ",".join(map(repr, rew))))
            sys.stdout.flush()
        elif kind == "bye":
            return
        else:
            reply({"type": "error", "id": msg.get("id", 0), "message": "unknown request type %r" % kind})


if __name__ == "__main__":
    main()
