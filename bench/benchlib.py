"""What the panel benchmarks share: REST calls, tokens, signed-in sessions, waiting, timing pages."""
import base64, http.cookiejar, json, re, statistics, time, urllib.error, urllib.parse, urllib.request


def call(base, method, path, token=None, body=None, basic=None):
    headers = {'Content-Type': 'application/json', 'Accept': 'application/json'}
    if token:
        headers['Authorization'] = 'Bearer ' + token
    if basic:
        headers['Authorization'] = 'Basic ' + base64.b64encode(basic.encode()).decode()
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=600) as response:
            text = response.read().decode()
            return json.loads(text) if text else None
    except urllib.error.HTTPError as e:
        raise SystemExit('%s %s: %s %s' % (method, path, e.code, e.read().decode()))


def token(base, user, password):
    return call(base, 'POST', '/api/v1/tokens', body={'name': 'bench', 'days': 1}, basic=user + ':' + password)['secret']


def wait(predicate, what, timeout):
    deadline = time.time() + timeout
    while not predicate():
        if time.time() > deadline:
            raise SystemExit('timed out: ' + what)
        time.sleep(0.5)


def session(base, user, password):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + '/login').read().decode()
    csrf = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({'username': user, 'password': password, '_csrf': csrf}).encode()
    opener.open(base + '/login', data=form).read()
    return opener


def timings(base, opener, path, count=200, warmup=20):
    """The page's times in ms, sorted."""
    times = []
    for i in range(warmup + count):
        t0 = time.perf_counter()
        with opener.open(base + path) as response:
            response.read()
            assert response.status == 200, path
        if i >= warmup:
            times.append((time.perf_counter() - t0) * 1000)
    return sorted(times)


def summary(times):
    return 'median %.1f ms, p90 %.1f ms, max %.1f ms (n=%d)' % (
        statistics.median(times), times[int(len(times) * 0.9)], times[-1], len(times))
