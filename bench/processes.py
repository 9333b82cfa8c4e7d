"""The processes a fleet benchmark starts (panels, node agents) and waits for; their logs and pids go to the work
folder, where the benchmark's clean-up finds them."""
import os, socket, subprocess, time, urllib.request

import benchlib

work, java, jar = os.environ['CAIRN_BENCH_WORK'], os.environ['CAIRN_BENCH_JAVA'], os.environ['CAIRN_BENCH_JAR']


def start(name, args):
    log = open(os.path.join(work, name + '.log'), 'w')
    process = subprocess.Popen([java, '-jar', jar] + args, stdout=log, stderr=subprocess.STDOUT)
    with open(os.path.join(work, name + '.pid'), 'w') as f:
        f.write('%d\n' % process.pid)
    return process


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def serving(url, process, timeout=180):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit('%s died; see its log' % url)
        try:
            with socket.create_connection(url, timeout=1):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit('%s did not serve' % (url,))


def healthy(url, process, timeout=180):
    """Serving and ready (its first admin made): /actuator/health answers UP."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit('%s died; see its log' % url)
        try:
            with urllib.request.urlopen(url + '/actuator/health', timeout=2) as response:
                if b'UP' in response.read():
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit('%s did not become healthy' % url)


def engine(i, bench):
    """Node i's engine root (0: the panel's machine); the clean-up reads its cgroup parent beside it."""
    root = os.path.join(work, 'engine%d' % i)
    with open(root + '.cgroup-parent', 'w') as f:
        f.write('cairn-bench-%s-%d' % (bench, i))
    return root


def join_agent(base, admin, i, bench, first_uid=None):
    """Adds node i to the panel at base, joins it as an admin would and starts its agent on a loopback port, with an
    engine of its own (its ids from first_uid; by default a range of its own). Returns its id, name, engine root and
    cgroup parent."""
    port = free_port()
    name = 'node%d' % i
    added = benchlib.call(base, 'POST', '/api/v1/admin/nodes', admin, {'name': name, 'address': '127.0.0.1:%d' % port})
    identity = os.path.join(work, name)
    joined = subprocess.run([java, '-jar', jar, 'node', 'join', base, added['joinToken'], '--dir', identity],
                            capture_output=True, text=True)
    if joined.returncode != 0:
        raise SystemExit('join: ' + joined.stderr)
    root, parent = engine(i, bench), 'cairn-bench-%s-%d' % (bench, i)
    agent = start('agent%d' % i, ['node', 'serve', '--listen', '127.0.0.1:%d' % port, '--dir', identity, '--root', root,
                                  '--cgroup-parent', parent, '--first-uid', str(first_uid or 1073741824 + i * (1 << 26))])
    serving(('127.0.0.1', port), agent)
    return added['node']['id'], name, root, parent
