#!/usr/bin/env python3
import subprocess, time, statistics, sys, os, json
# Benchmarks/round.py: whole commands of two builds side by side on one file, interleaved, with the sqlite3 query
# nearest to each. BEFORE, AFTER: the two qorgau binaries; F: the file (qorgau-bench --build-only); N: the same file
# where no <db>.key lies beside it (a symlink in another folder), for a search with survivor data locked;
# TODAY: the zone's date now (YYYY-MM-DD); RUNS: rounds (default 9). Groups: alerts help violations search.
#   BEFORE=… AFTER=… F=… N=… TODAY=2026-12-08 RUNS=9 python3 Benchmarks/round.py alerts help violations search
F=os.environ["F"]; N=os.environ.get("N", F); B=os.environ["BEFORE"]; A=os.environ["AFTER"]
now=int(time.time()); today=os.environ["TODAY"]
floor=f"SELECT number, nextDue FROM orders INDEXED BY orders_ends WHERE ends > {now} AND served <= {now} AND nextDue < '{today}' ORDER BY nextDue, number"
like="SELECT number, respondentName FROM orders WHERE respondentName LIKE '%Ысқақ%' ORDER BY numberKey"
groups={
 "alerts": [[B,"alerts","--format","json","--db",F],[A,"alerts","--format","json","--db",F],["sqlite3","-readonly",F,floor]],
 "violations": [[B,"violations","--from","2026-11-01","--to","2026-11-30","--format","json","--db",F],[A,"violations","--from","2026-11-01","--to","2026-11-30","--format","json","--db",F]],
 "search": [[B,"order","list","--status","all","--search","Ысқақ","--format","csv","--db",N],[A,"order","list","--status","all","--search","Ысқақ","--format","csv","--db",N],["sqlite3","-readonly",F,like]],
 "help": [[B,"--help"],[A,"--help"]],
}
rounds=int(os.environ.get("RUNS","9")); only=sys.argv[1:] or list(groups)
env=dict(os.environ); env.pop("QORGAU_KEY_FILE",None)
for g in only:
    cmds=groups[g]; times=[[] for _ in cmds]
    for r in range(rounds+1):
        order=list(range(len(cmds))) if r%2==0 else list(reversed(range(len(cmds))))
        for i in order:
            t=time.perf_counter(); subprocess.run(cmds[i],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL,env=env); d=(time.perf_counter()-t)*1000
            if r>0: times[i].append(d)
    med=[statistics.median(x) for x in times]
    names=["before","after","sqlite3"][:len(cmds)]
    line=f"{g}: " + " | ".join(f"{name} {m:.1f} ms" for name,m in zip(names,med))
    line+=f" | before/after {statistics.median([a/b for a,b in zip(times[0],times[1])]):.2f}"
    if len(cmds)>2: line+=f" | before/floor {statistics.median([a/b for a,b in zip(times[0],times[2])]):.1f}x after/floor {statistics.median([a/b for a,b in zip(times[1],times[2])]):.1f}x"
    print(line, flush=True)
