// Usage charts (uPlot): the sampled history of a VE or of the node, for the chosen range, fetched again every
// 10 s so that the charts move on their own. window.usageData holds the last answer (the browser tests read it).
(function () {
  const box = document.getElementById('usage');
  if (!box) {
    return;
  }
  const status = document.getElementById('usage-status');
  const bytes = (v) => {
    if (v == null) return '';
    const units = ['B', 'KB', 'MB', 'GB', 'TB'];
    let i = 0;
    while (Math.abs(v) >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return (Math.round(v * 10) / 10) + ' ' + units[i];
  };
  const charts = [
    { id: 'chart-cpu', title: 'CPU (% of one CPU)', series: [['cpu', 'CPU %', '#2f6f4f']], fmt: (v) => v + ' %' },
    { id: 'chart-memory', title: 'Memory', series: [['memory', 'RAM', '#1f5f8b'], ['swap', 'swap', '#b5651d']], fmt: bytes },
    { id: 'chart-network', title: 'Network', series: [['rx', 'received/s', '#6a3d9a'], ['tx', 'sent/s', '#e31a1c']], fmt: bytes },
    { id: 'chart-io', title: 'Disk I/O', series: [['read', 'read/s', '#33a02c'], ['write', 'written/s', '#ff7f00']], fmt: bytes },
    { id: 'chart-processes', title: 'Processes', series: [['processes', 'processes', '#444']], fmt: (v) => v },
    { id: 'chart-disk', title: 'Disk used', series: [['disk', 'used', '#8c510a']], fmt: bytes },
  ];
  let range = 'hour';
  let plots = [];
  const width = () => Math.max(240, Math.min(560, box.clientWidth < 600 ? box.clientWidth - 10 : box.clientWidth / 2 - 20));
  const draw = (data) => {
    window.usageData = data;
    plots.forEach((p) => p.destroy());
    plots = charts.map((c) => {
      const el = document.getElementById(c.id);
      return new uPlot({
        title: c.title, width: width(), height: 180,
        series: [{}].concat(c.series.map(([, label, stroke]) => ({ label, stroke, width: 1.5, value: (u, v) => (v == null ? '--' : c.fmt(v)) }))),
        axes: [{}, { values: (u, vals) => vals.map(c.fmt), size: 70 }],
        scales: { y: { range: (u, min, max) => [0, Math.max(max, c.id === 'chart-cpu' ? 5 : 1)] } },
      }, [data.t].concat(c.series.map(([key]) => data[key])), el);
    });
    status.textContent = data.t.length ? `${data.t.length} samples` + (data.resolution > 60 ? ', 5-minute averages' : '')
      : 'no samples yet';
  };
  const load = () => fetch(`${box.dataset.url}?range=${range}`, { headers: { Accept: 'application/json' } })
    .then((r) => r.json()).then(draw).catch(() => { status.textContent = 'usage unavailable'; });
  box.querySelectorAll('button.range').forEach((b) => b.addEventListener('click', () => { range = b.dataset.range; load(); }));
  load();
  setInterval(load, 10000);
})();
