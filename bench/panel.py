#!/usr/bin/env python3
"""Panel figures for docs/benchmarks.md, against a panel started by bench/panel.sh.

Fills the node with N busybox VEs through the REST API (N/5 customers, 5 VEs each), then times the admin's
VE list (/admin/node) and a customer's dashboard (/customer) with signed-in sessions, and runs wrk against
GET /api/v1/ves with a customer's token. Removes the VEs through the API at the end.
"""
import glob, os, re, subprocess, sys, time, urllib.request

import benchlib

base, admin_password, n, panel_pid = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
HZ = os.sysconf('SC_CLK_TCK')
PER_CUSTOMER = 5


def call(method, path, token=None, body=None, basic=None):
    return benchlib.call(base, method, path, token, body, basic)


def token(user, password):
    return benchlib.token(base, user, password)


wait = benchlib.wait


def session(user, password):
    return benchlib.session(base, user, password)


def timed(opener, path, count=200, warmup=20):
    return benchlib.summary(benchlib.timings(base, opener, path, count, warmup))


admin = token('admin', admin_password)
build = call('POST', '/api/v1/admin/templates/busybox/build', admin)
wait(lambda: call('GET', '/api/v1/admin/templates/busybox/build', admin)['state'] != 'running', 'template', 120)
plan = call('POST', '/api/v1/admin/plans', admin, {'name': 'Bench', 'memory': '64M', 'swap': '0', 'cpus': '1',
                                                    'cpuWeight': '100', 'pids': '64', 'ipv4': '0', 'ipv6': '0',
                                                    'backupsKept': '0'})
customers = []
t0 = time.time()
for c in range((n + PER_CUSTOMER - 1) // PER_CUSTOMER):
    name = 'bench%03d' % c
    password = 'Bench-Customer-Pass-%03d' % c
    made = call('POST', '/api/v1/admin/customers', admin, {'username': name, 'email': name + '@example.com',
                                                           'password': password})
    call('PUT', '/api/v1/admin/customers/%d/holdings' % made['customer']['id'], admin,
         {'plans': [plan['id']], 'maxVes': str(PER_CUSTOMER)})
    customers.append((name, password, token(name, password)))
for batch in range(0, len(customers), 10):
    jobs = []
    for name, password, secret in customers[batch:batch + 10]:
        for v in range(PER_CUSTOMER):
            if len(jobs) + batch * PER_CUSTOMER >= n:
                break
            jobs.append((secret, call('POST', '/api/v1/ves', secret, {
                'plan': plan['id'], 'template': 'busybox', 'hostname': '%s-%d.bench.example' % (name, v),
                'rootPassword': 'Bench-Root-Pass-1'})['id']))
    for secret, job in jobs:
        wait(lambda: call('GET', '/api/v1/jobs/%d' % job, secret)['state'] in ('succeeded', 'failed'), 'create', 300)
        state = call('GET', '/api/v1/jobs/%d' % job, secret)
        if state['state'] != 'succeeded':
            raise SystemExit('create failed: %s' % state)
running = [v for v in call('GET', '/api/v1/admin/ves', admin) if v['state'] == 'running']
print('%d VEs running, made through the API in %.0f s' % (len(running), time.time() - t0))

def cpu_seconds(pids):
    total = 0
    for pid in pids:
        try:
            fields = open('/proc/%d/stat' % pid).read().rsplit(')', 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / HZ
        except OSError:
            pass
    return total


def postgres_pids():
    """The panel's own PostgreSQL: processes whose command line names its data directory, and their children."""
    pids = set()
    for stat in glob.glob('/proc/[0-9]*/cmdline'):
        try:
            if b'cairn-bench-panel' in open(stat, 'rb').read() and b'postgres' in open(stat, 'rb').read():
                pids.add(int(stat.split('/')[2]))
        except OSError:
            pass
    for stat in glob.glob('/proc/[0-9]*/stat'):
        try:
            if int(open(stat).read().rsplit(')', 1)[1].split()[1]) in pids:
                pids.add(int(stat.split('/')[2]))
        except (OSError, ValueError):
            pass
    return pids


def sampling_counters():
    text = urllib.request.urlopen(urllib.request.Request(base + '/actuator/prometheus',
                                                         headers={'Authorization': 'Bearer ' + admin})).read().decode()
    seconds = float(re.search(r'^cairn_usage_sampling_cpu_seconds_total (\S+)', text, re.M).group(1))
    rounds = float(re.search(r'^cairn_usage_sampling_rounds_total (\S+)', text, re.M).group(1))
    series = len(re.findall(r'^cairn_ve_cpu_percent\{', text, re.M))
    return seconds, rounds, series


# sampling cost: a quiet minute with nothing but the panel's own timers (10 s sampling among them)
time.sleep(15)
s0, r0, _ = sampling_counters()
pg = postgres_pids()
jvm0, pg0, t0 = cpu_seconds([panel_pid]), cpu_seconds(pg), time.time()
time.sleep(60)
jvm1, pg1, t1 = cpu_seconds([panel_pid]), cpu_seconds(pg), time.time()
s1, r1, series = sampling_counters()
window = t1 - t0
print('sampling %d VEs every 10 s (%d rounds, %d VE series in /actuator/prometheus): sampler thread %.1f ms CPU per '
      'round = %.2f %% of one CPU; over a quiet %.0f s the whole panel JVM used %.2f %% and its PostgreSQL %.2f %% of one CPU'
      % (n, r1 - r0, series, (s1 - s0) / max(1, r1 - r0) * 1000, (s1 - s0) / window * 100, window,
         (jvm1 - jvm0) / window * 100, (pg1 - pg0) / window * 100))

admin_session = session('admin', admin_password)
customer_session = session(customers[0][0], customers[0][1])
print('admin VE list, GET /admin/node (%d VEs):  %s' % (len(running), timed(admin_session, '/admin/node')))
print('admin API, GET /api/v1/admin/ves:          %s' % timed(admin_session, '/api/v1/admin/ves'))
print('customer dashboard, GET /customer (%d VEs): %s' % (PER_CUSTOMER, timed(customer_session, '/customer')))
wrk = subprocess.run(['wrk', '-t2', '-c16', '-d15s', '--latency', '-H', 'Authorization: Bearer ' + customers[0][2],
                      base + '/api/v1/ves'], capture_output=True, text=True, check=True).stdout
rps = re.search(r'Requests/sec:\s+([\d.]+)', wrk).group(1)
latency = re.search(r'50%\s+(\S+)', wrk).group(1)
errors = re.search(r'Non-2xx or 3xx responses: (\d+)', wrk)
print('GET /api/v1/ves with a token, wrk -t2 -c16 -d15s: %s requests/s, median latency %s, non-2xx %s'
      % (rps, latency, errors.group(1) if errors else 0))

t0 = time.time()
for name, password, secret in customers:
    for ve in call('GET', '/api/v1/ves', secret):
        call('DELETE', '/api/v1/ves/%d?confirm=%s' % (ve['id'], ve['hostname']), secret)
wait(lambda: len(call('GET', '/api/v1/admin/ves', admin)) == 0, 'destroy', 600)
print('all VEs destroyed through the API in %.0f s' % (time.time() - t0))
