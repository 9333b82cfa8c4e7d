#!/usr/bin/env python3
"""Fleet figures for docs/benchmarks.md, run by bench/fleet.sh (which cleans up after it).

Starts a panel (its own PostgreSQL) whose machine is a node, and three node agents joined to it, each with an
engine of its own. Makes N busybox VEs through the REST API: N/2 with the agents drained (all on the panel's
machine), then the rest with the agents active. Times the admin's VE list at N/2 on one node and at N over 4
nodes, creates on the panel's machine against creates on an agent, and GET /api/v1/ves under wrk with one panel
instance and with two on the same PostgreSQL. Every goal is a ratio taken in this one run; a reference figure of
the machine (SHA-256 over 256 MB) is printed with it.
"""
import hashlib, os, re, shutil, socket, statistics, subprocess, sys, time, urllib.request

import benchlib
from processes import start, free_port, healthy, engine, join_agent

n = int(sys.argv[1])
work, java, jar = os.environ['CAIRN_BENCH_WORK'], os.environ['CAIRN_BENCH_JAVA'], os.environ['CAIRN_BENCH_JAR']
PER_CUSTOMER = 5
AGENTS = 3
password = 'Bench-Fleet-Key-%d' % os.getpid()


# the machine's reference figure: its figures differ up to 4x from another's, the ratios below do not
t0 = time.perf_counter()
hashlib.sha256(os.urandom(1) * (256 << 20)).hexdigest()
print('reference: SHA-256 over 256 MB in %.2f s (%.0f MB/s)' % (time.perf_counter() - t0,
                                                                 256 / (time.perf_counter() - t0)))

pg_port = free_port()
p1_port, p2_port = 18180, 18181
root0 = engine(0, 'fleet')
panel_args = ['serve', '--cairn.engine.root=' + root0, '--cairn.engine.cgroup-parent=cairn-bench-fleet-0',
              '--cairn.engine.first-uid=1073741824', '--cairn.admin.password=' + password,
              '--cairn.fleet.check-every=PT2S', '--logging.level.root=WARN']
p1 = start('panel1', panel_args + ['--server.port=%d' % p1_port, '--cairn.data-dir=' + os.path.join(work, 'data1'),
                                   '--cairn.postgres.port=%d' % pg_port])
base = 'http://127.0.0.1:%d' % p1_port
healthy(base, p1)


def call(method, path, token=None, body=None):
    return benchlib.call(base, method, path, token, body)


def job_done(secret, job):
    return call('GET', '/api/v1/jobs/%d' % job, secret)['state'] in ('succeeded', 'failed')


admin = benchlib.token(base, 'admin', password)
call('POST', '/api/v1/admin/templates/busybox/build', admin)
benchlib.wait(lambda: call('GET', '/api/v1/admin/templates/busybox/build', admin)['state'] != 'running', 'template', 300)

# three agents on this machine, joined as an admin would, each with its engine
agents = []
for i in range(1, AGENTS + 1):
    node_id, name, _, _ = join_agent(base, admin, i, 'fleet')
    agents.append((node_id, name))
benchlib.wait(lambda: all(node['health']['lastContact'] and not node['health']['error']
                          for node in call('GET', '/api/v1/admin/nodes', admin)), 'nodes answering', 60)
for _, name in agents:
    call('POST', '/api/v1/admin/templates/busybox/build?node=' + name, admin)
    benchlib.wait(lambda: call('GET', '/api/v1/admin/templates/busybox/build?node=' + name, admin)['state']
                  != 'running', 'template on ' + name, 300)
benchlib.wait(lambda: all('busybox' in node['health']['templates'] for node in call('GET', '/api/v1/admin/nodes', admin)),
              'templates on the nodes', 60)

plan = call('POST', '/api/v1/admin/plans', admin, {'name': 'Bench', 'memory': '16M', 'swap': '0', 'cpus': '1',
                                                    'cpuWeight': '100', 'pids': '64', 'ipv4': '0', 'ipv6': '0',
                                                    'backupsKept': '0'})
customers = []
for c in range((n + 20 + PER_CUSTOMER - 1) // PER_CUSTOMER):
    name, secret_password = 'fleet%04d' % c, 'Bench-Customer-Pass-%04d' % c
    made = call('POST', '/api/v1/admin/customers', admin, {'username': name, 'email': name + '@example.com',
                                                           'password': secret_password})
    call('PUT', '/api/v1/admin/customers/%d/holdings' % made['customer']['id'], admin,
         {'plans': [plan['id']], 'maxVes': str(PER_CUSTOMER)})
    customers.append((name, secret_password, benchlib.token(base, name, secret_password)))
slots = [(secret, '%s-%d' % (name, v)) for name, _, secret in customers for v in range(PER_CUSTOMER)]


def create(secret, hostname):
    return call('POST', '/api/v1/ves', secret, {'plan': plan['id'], 'template': 'busybox',
                                                'hostname': hostname + '.bench.example',
                                                'rootPassword': 'Bench-Root-Pass-1'})['id']


def create_many(count):
    made = 0
    while made < count:
        batch = [slots.pop(0) for _ in range(min(50, count - made))]
        jobs = [(secret, create(secret, hostname)) for secret, hostname in batch]
        for secret, job in jobs:
            benchlib.wait(lambda: job_done(secret, job), 'create', 600)
        made += len(batch)


# creates timed one at a time on each side
TIMED = 20


def timed_creates(count):
    """Seconds from the request to a running VE, one create at a time."""
    times = []
    for _ in range(count):
        secret, hostname = slots.pop(0)
        t0 = time.perf_counter()
        job = create(secret, hostname)
        while not job_done(secret, job):
            time.sleep(0.02)
        times.append(time.perf_counter() - t0)
    return times


def nodes_of_ves():
    counts = {}
    for ve in call('GET', '/api/v1/admin/ves', admin):
        counts[ve['node']] = counts.get(ve['node'], 0) + 1
    return counts


# phase 1: the agents drained, every VE on the panel's machine
for node_id, _ in agents:
    call('POST', '/api/v1/admin/nodes/%d/state' % node_id, admin, {'state': 'draining'})
t0 = time.time()
create_many(n // 2 - TIMED)
local_creates = timed_creates(TIMED)
print('%d VEs made on one node in %.0f s: %s' % (n // 2, time.time() - t0, nodes_of_ves()))
admin_session = benchlib.session(base, 'admin', password)
one_node = benchlib.timings(base, admin_session, '/admin/node', 50, 10)
print('admin VE list, GET /admin/node, %d VEs on one node: %s' % (n // 2, benchlib.summary(one_node)))

# phase 2: the agents active; the panel's machine has N/2 sold, so the next VEs go to them
for node_id, _ in agents:
    call('POST', '/api/v1/admin/nodes/%d/state' % node_id, admin, {'state': 'active'})
# timed after the agents made their share, as the local creates were after the panel's machine made its own: both
# JVMs warm (an agent's first creates run its code cold)
t0 = time.time()
create_many(n - n // 2 - TIMED)
remote_creates = timed_creates(TIMED)
spread = nodes_of_ves()
print('%d more VEs made in %.0f s; VEs per node: %s' % (n - n // 2, time.time() - t0, spread))
four_nodes = benchlib.timings(base, admin_session, '/admin/node', 50, 10)
print('admin VE list, GET /admin/node, %d VEs over %d nodes: %s' % (n, len(spread), benchlib.summary(four_nodes)))
list_ratio = statistics.median(four_nodes) / statistics.median(one_node)
print('  ratio %.2f (goal <= 2)' % list_ratio)
print('create to running, one at a time: on the panel\'s machine median %.0f ms, on an agent median %.0f ms;'
      ' ratio %.2f (goal <= 1.2)' % (statistics.median(local_creates) * 1000, statistics.median(remote_creates) * 1000,
                                     statistics.median(remote_creates) / statistics.median(local_creates)))

# a second panel instance on the same PostgreSQL (and the same machine's engine), as behind a load balancer
data2 = os.path.join(work, 'data2')
os.makedirs(os.path.join(data2, 'fleet'))
for f in ('ca.key', 'ca.crt'):
    shutil.copy(os.path.join(work, 'data1', 'fleet', f), os.path.join(data2, 'fleet', f))
db_password = open(os.path.join(work, 'data1', 'postgres.password')).read().strip()
p2 = start('panel2', panel_args + ['--server.port=%d' % p2_port, '--cairn.data-dir=' + data2,
                                   '--spring.datasource.url=jdbc:postgresql://127.0.0.1:%d/cairn' % pg_port,
                                   '--spring.datasource.username=cairn', '--spring.datasource.password=' + db_password])
healthy('http://127.0.0.1:%d' % p2_port, p2)
secret = customers[0][2]


def cpu_cap(pid, name, share):
    """Puts the process in a cgroup of its own with `share` of one CPU: a machine of its own, that small."""
    v1 = '/sys/fs/cgroup/cpu'
    group = os.path.join(v1 if os.path.exists(v1 + '/cpu.cfs_quota_us') else '/sys/fs/cgroup', name)
    os.makedirs(group, exist_ok=True)
    limits = {'cpu.cfs_period_us': '100000', 'cpu.cfs_quota_us': str(int(share * 100000))} \
        if group.startswith(v1) else {'cpu.max': '%d 100000' % int(share * 100000)}
    for file, value in list(limits.items()) + [('cgroup.procs', str(pid))]:
        with open(os.path.join(group, file), 'w') as f:
            f.write(value)


# each instance gets half a CPU, as if on a small machine of its own: on a machine of 2 cores, one instance,
# PostgreSQL and wrk otherwise fill both, and a second instance has nothing to run on
INSTANCE_CPU = 0.5
cpu_cap(p1.pid, 'cairn-bench-fleet-panel1', INSTANCE_CPU)
cpu_cap(p2.pid, 'cairn-bench-fleet-panel2', INSTANCE_CPU)


def wrk(url, seconds=15):
    return subprocess.Popen(['wrk', '-t1', '-c8', '-d%ds' % seconds, '-H', 'Authorization: Bearer ' + secret,
                             url + '/api/v1/ves'], stdout=subprocess.PIPE, text=True)


def rps(process):
    out = process.communicate()[0]
    errors = re.search(r'Non-2xx or 3xx responses: (\d+)', out)
    if errors:
        raise SystemExit('wrk: %s errors' % errors.group(1))
    return float(re.search(r'Requests/sec:\s+([\d.]+)', out).group(1))


# the second instance is new: warmed as long as it takes a JIT on half a CPU, then each alone, then both at once
wrk(base, 5).communicate()
wrk('http://127.0.0.1:%d' % p2_port, 30).communicate()
one = rps(wrk(base))
alone2 = rps(wrk('http://127.0.0.1:%d' % p2_port))
both = [wrk(base), wrk('http://127.0.0.1:%d' % p2_port)]
two = sum(rps(p) for p in both)
print('  the second instance alone: %.0f requests/s' % alone2)
print('GET /api/v1/ves with a token (wrk, 8 connections per instance, 15 s; each instance %.1f CPU): one instance'
      ' %.0f requests/s, two instances %.0f requests/s; ratio %.2f (goal >= 1.6)' % (INSTANCE_CPU, one, two, two / one))

t0 = time.time()
for name, _, token_secret in customers:
    for ve in call('GET', '/api/v1/ves', token_secret):
        call('DELETE', '/api/v1/ves/%d?confirm=%s' % (ve['id'], ve['hostname']), token_secret)
benchlib.wait(lambda: len(call('GET', '/api/v1/admin/ves', admin)) == 0, 'destroy', 1200)
print('all VEs destroyed through the API in %.0f s' % (time.time() - t0))
