#!/usr/bin/env python3
"""Any EdgeMarl JSON game (edgemarl.game/1, docs/game-spec.md) as a simulator: JSON-lines protocol version 1.

Standard library only. Draws next states by inversion of the cumulative row at u * 2**-32 (last entry taken as 1), as
the host's TableGameSimulator does, so `edgemarl train --simulator "python3 table_sim.py GAME.json"` and
`edgemarl train --game GAME.json --learner qlearning` give the same bytes. A template for wrapping your own model:
replace the table lookups in step_global / step_local. See docs/simulator-protocol.md.

    python3 examples/simulators/table_sim.py GAME.json      (edgemarl games show tiny --json > tiny.json)
"""
import bisect
import json
import sys

INV32 = 1.0 / 4294967296.0


def cumulative(p):
    out, acc = [], 0.0
    for j, x in enumerate(p):
        acc += x
        out.append(1.0 if j == len(p) - 1 else acc)
    return out


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: table_sim.py GAME.json\n")
        sys.exit(2)
    with open(sys.argv[1], encoding="utf-8") as f:
        game = json.load(f)
    sizes = game["sizes"]
    g, ag, l, al = sizes["S_g"], sizes["A_g"], sizes["S_l"], sizes["A_l"]
    cum_g = [cumulative(game["P_g"][sg][a]) for sg in range(g) for a in range(ag)]          # row sg * |A_g| + a_g
    r_g = [float(game["r_g"][sg][a]) for sg in range(g) for a in range(ag)]
    cum_l = [cumulative(game["P_l"][sl][sg][a]) for sl in range(l) for sg in range(g) for a in range(al)]  # ((sl*|S_g|+sg)*|A_l|+a)
    r_l = [float(game["r_l"][sl][sg][a]) for sl in range(l) for sg in range(g) for a in range(al)]
    local = game["initial"]["local"]
    hello = {"type": "hello", "protocol": 1, "name": game.get("name", "game"), "globalStates": g, "globalActions": ag,
             "localStates": l, "localActions": al, "gamma": game["gamma"], "agentCount": game["n"],
             "initialGlobal": game["initial"]["global"]}
    if local["kind"] == "dirichlet":
        total = 0.0
        for a in local["values"]:
            total += a
        hello["initialLocal"] = [a / total for a in local["values"]]
        hello["initialLocalDirichlet"] = local["values"]
    else:
        hello["initialLocal"] = local["values"]
    br = bisect.bisect_right
    out = sys.stdout
    for line in sys.stdin:
        msg = json.loads(line)
        kind = msg.get("type")
        if kind == "hello":
            out.write(json.dumps(hello, separators=(",", ":")) + "\n")
        elif kind == "step_global":
            rows = [sg * ag + a for sg, a in zip(msg["sg"], msg["ag"])]
            nxt = [br(cum_g[r], u * INV32) for r, u in zip(rows, msg["u"])]
            out.write('{"type":"result","id":%d,"next":[%s],"reward":[%s]}\n'
                      % (msg["id"], ",".join(map(str, nxt)), ",".join(repr(r_g[r]) for r in rows)))
        elif kind == "step_local":
            rows = [(sl * g + sg) * al + a for sl, sg, a in zip(msg["sl"], msg["sg"], msg["al"])]
            nxt = [br(cum_l[r], u * INV32) for r, u in zip(rows, msg["u"])]
            out.write('{"type":"result","id":%d,"next":[%s],"reward":[%s]}\n'
                      % (msg["id"], ",".join(map(str, nxt)), ",".join(repr(r_l[r]) for r in rows)))
        elif kind == "bye":
            return
        else:
            out.write(json.dumps({"type": "error", "id": msg.get("id", 0), "message": "unknown request type %r" % kind}) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
