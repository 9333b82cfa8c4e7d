#!/usr/bin/env python3
"""Move figures for docs/benchmarks.md, run by bench/migrate.sh (which cleans up after it).

A panel (its own PostgreSQL) and two node agents on this machine, in one node group with one address pool. A VE of
TEMPLATE (busybox or debian-12, whose sshd runs) with a disk, MB of random data and a web server (busybox httpd) is
moved to the other node and back (MOVES moves in all, 2 by default) through the API, MODE cold (stop, boot) or live
(checkpoint, restore). For each move: the job's total time, the downtime it measures (from the stop or checkpoint on
the source to the start or restore on the target) and the longest gap a client sees, connecting to the VE's web
server every 10 ms.
"""
import hashlib, os, socket, subprocess, sys, threading, time

import benchlib
from processes import start, free_port, healthy, engine, join_agent

mb = int(sys.argv[1])
net = sys.argv[2]
mode = sys.argv[3] if len(sys.argv) > 3 else 'cold'
template = sys.argv[4] if len(sys.argv) > 4 else 'busybox'
moves = int(sys.argv[5]) if len(sys.argv) > 5 else 2
if mode not in ('cold', 'live') or template not in ('busybox', 'debian-12') or moves < 1:
    raise SystemExit('usage: migrate.py MB NET [cold|live] [busybox|debian-12] [MOVES]')
work, java, jar = os.environ['CAIRN_BENCH_WORK'], os.environ['CAIRN_BENCH_JAVA'], os.environ['CAIRN_BENCH_JAR']
password = 'Bench-Move-Key-%d' % os.getpid()
address = net.split('/')[0].rsplit('.', 1)[0] + '.10'

t0 = time.perf_counter()
hashlib.sha256(os.urandom(1) * (256 << 20)).hexdigest()
print('reference: SHA-256 over 256 MB in %.2f s' % (time.perf_counter() - t0))

pg_port, panel_port = free_port(), free_port()
panel = start('panel', ['serve', '--cairn.engine.root=' + engine(0, 'migrate'),
                        '--cairn.engine.cgroup-parent=cairn-bench-migrate-0', '--cairn.engine.first-uid=1073741824',
                        '--cairn.admin.password=' + password, '--cairn.fleet.check-every=PT2S',
                        '--cairn.fleet.local-node=false', '--logging.level.root=WARN',
                        '--server.port=%d' % panel_port, '--cairn.data-dir=' + os.path.join(work, 'data'),
                        '--cairn.postgres.port=%d' % pg_port])
base = 'http://127.0.0.1:%d' % panel_port
healthy(base, panel)


def call(method, path, token=None, body=None):
    return benchlib.call(base, method, path, token, body)


admin = benchlib.token(base, 'admin', password)
# the templates customers are offered are the panel's machine's (though it takes no VEs here)
call('POST', '/api/v1/admin/templates/%s/build' % template, admin)
benchlib.wait(lambda: call('GET', '/api/v1/admin/templates/%s/build' % template, admin)['state'] != 'running',
              'template', 900)
nodes = []
for i in (1, 2):
    # nodes of one fleet share their settings, the first id of their VEs' ranges among them: a VE keeps its range
    node_id, name, root, parent = join_agent(base, admin, i, 'migrate', first_uid=1073741824 + (1 << 26))
    call('POST', '/api/v1/admin/nodes/%d/group' % node_id, admin, {'group': 'bench'})
    nodes.append((name, root, parent))
benchlib.wait(lambda: all(node['health']['lastContact'] and not node['health']['error']
                          for node in call('GET', '/api/v1/admin/nodes', admin)), 'nodes answering', 60)
for name, _, _ in nodes:
    call('POST', '/api/v1/admin/templates/%s/build?node=%s' % (template, name), admin)
    benchlib.wait(lambda: call('GET', '/api/v1/admin/templates/%s/build?node=%s' % (template, name), admin)['state']
                  != 'running', 'template on ' + name, 900)
benchlib.wait(lambda: all(template in node['health']['templates'] for node in call('GET', '/api/v1/admin/nodes', admin)),
              'templates on the nodes', 60)
call('POST', '/api/v1/admin/ip-pools', admin, {'name': 'bench', 'first': address, 'last': address,
                                                'nodeGroup': 'bench'})
plan = call('POST', '/api/v1/admin/plans', admin, {'name': 'Bench', 'memory': '256M', 'swap': '0', 'cpus': '2',
                                                    'cpuWeight': '100', 'pids': '64', 'ipv4': '1', 'ipv6': '0',
                                                    'disk': '%dM' % (mb * 2 + 256), 'backupsKept': '0',
                                                    'nodeGroup': 'bench'})
made = call('POST', '/api/v1/admin/customers', admin, {'username': 'mover', 'email': 'mover@example.com',
                                                       'password': 'Bench-Owner-Pass-1'})
call('PUT', '/api/v1/admin/customers/%d/holdings' % made['customer']['id'], admin,
     {'plans': [plan['id']], 'maxVes': '1'})
customer = benchlib.token(base, 'mover', 'Bench-Owner-Pass-1')
job = call('POST', '/api/v1/ves', customer, {'plan': plan['id'], 'template': template,
                                             'hostname': 'mover.bench.example', 'rootPassword': 'Bench-Root-Pass-1'})
benchlib.wait(lambda: call('GET', '/api/v1/jobs/%d' % job['id'], customer)['state'] in ('succeeded', 'failed'),
              'create', 120)
ve = call('GET', '/api/v1/admin/ves', admin)[0]


def where():
    node = [v for v in call('GET', '/api/v1/admin/ves', admin) if v['id'] == ve['id']][0]['node']
    return [n for n in nodes if n[0] == node][0]


def inside(script, stdin=subprocess.DEVNULL):
    name, root, parent = where()
    subprocess.run([java, '-jar', jar, 've', 'exec', '--root', root, '--cgroup-parent', parent, ve['name'], '--',
                    '/bin/sh', '-c', script], check=True, stdin=stdin, stdout=subprocess.DEVNULL)


if template == 'busybox':
    inside('mkdir -p /root/www && echo up > /root/www/index.html'
           ' && echo "::respawn:$(command -v httpd) -f -p 8080 -h /root/www" >> /etc/inittab'
           ' && httpd -p 8080 -h /root/www')
else:
    # the node's static busybox as the web server; sshd is the template's own, started by systemd
    with open('/bin/busybox', 'rb') as busybox:
        inside('cat > /usr/local/bin/busybox && chmod 755 /usr/local/bin/busybox', stdin=busybox)
    inside('mkdir -p /root/www && echo up > /root/www/index.html && systemctl is-active ssh'
           ' && setsid /usr/local/bin/busybox httpd -p 8080 -h /root/www < /dev/null > /dev/null 2>&1')
inside('dd if=/dev/urandom of=/root/data bs=1M count=%d 2>/dev/null && sync' % mb)


def poll(stop, gaps):
    """Connects to the web server every 10 ms; records the longest time without an answer. A try waits 20 ms for its
    answer: a longer wait would add itself to the gap it measures (the VE's kernel accepts a connection while the VE
    is frozen, then nothing answers until it runs again)."""
    last_ok, longest = time.perf_counter(), 0.0
    while not stop.is_set():
        try:
            with socket.create_connection((address, 8080), timeout=0.02) as s:
                s.sendall(b'GET /index.html HTTP/1.0\r\n\r\n')
                if b'up' in s.recv(4096) + s.recv(4096):
                    now = time.perf_counter()
                    longest = max(longest, now - last_ok)
                    last_ok = now
        except OSError:
            pass
        time.sleep(0.01)
    gaps.append(longest)


for attempt in range(moves):
    source = where()[0]
    target = [n for n in nodes if n[0] != source][0][0]
    stop, gaps = threading.Event(), []
    poller = threading.Thread(target=poll, args=(stop, gaps))
    poller.start()
    time.sleep(1)
    t0 = time.perf_counter()
    moved = call('POST', '/api/v1/admin/ves/%d/migrate' % ve['id'], admin, {'node': target, 'live': mode == 'live'})
    benchlib.wait(lambda: call('GET', '/api/v1/admin/jobs/%d' % moved['id'], admin)['state'] in ('succeeded', 'failed'),
                  'move', 1200)
    total = time.perf_counter() - t0
    time.sleep(1.5)
    stop.set()
    poller.join()
    done = call('GET', '/api/v1/admin/jobs/%d' % moved['id'], admin)
    if done['state'] != 'succeeded':
        raise SystemExit('move failed: %s' % done['error'])
    print('move %d: %s move %s -> %s, %s VE with %d MB written: total %.1f s; %s; a client saw no answer for %.0f ms'
          % (attempt + 1, mode, source, target, template, mb, total, done['progress'].split('; ')[-1], gaps[0] * 1000))
