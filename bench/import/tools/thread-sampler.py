# thread-sampler.py PID OUT: every 100 ms, each thread of PID: name, state, CPU ms and run-queue wait ms (schedstat); the process's disk MB read/written; the load average; Dirty/Writeback. One JSON line a sample.
import os, sys, time, json
pid = sys.argv[1]; out = open(sys.argv[2], 'w')
t0 = time.time()
while os.path.exists(f'/proc/{pid}'):
    row = {'t': round(time.time() - t0, 2), 'tasks': {}}
    try:
        for tid in os.listdir(f'/proc/{pid}/task'):
            try:
                st = open(f'/proc/{pid}/task/{tid}/stat').read()
                comm = st[st.index('(') + 1: st.rindex(')')]; state = st[st.rindex(')') + 2]
                cpu, rq, _ = open(f'/proc/{pid}/task/{tid}/schedstat').read().split()
                row['tasks'][tid] = [comm, state, int(cpu) // 1000000, int(rq) // 1000000]
            except Exception: pass
        io = dict(l.split(': ') for l in open(f'/proc/{pid}/io').read().strip().split('\n'))
        row['io'] = [int(io['read_bytes']) >> 20, int(io['write_bytes']) >> 20, int(io['syscw'])]
        row['load'] = open('/proc/loadavg').read().split()[0]
        v = open('/proc/meminfo').read().split('\n'); row['dirty'] = [l for l in v if l.startswith('Dirty:') or l.startswith('Writeback:')]
    except Exception: break
    out.write(json.dumps(row) + '\n'); out.flush()
    time.sleep(0.1)
