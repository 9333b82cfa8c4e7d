// Follows a template build without a reload: its state and log every second until it ends.
(function () {
  const box = document.getElementById('template-build');
  if (!box) {
    return;
  }
  const poll = () => fetch(box.dataset.url, { headers: { Accept: 'application/json' } })
    .then((r) => r.json())
    .then((build) => {
      document.getElementById('build-state').textContent = build.state;
      document.getElementById('build-error').textContent = build.error || '';
      const log = document.getElementById('build-log');
      log.textContent = build.log.join('\n');
      log.scrollTop = log.scrollHeight;
      if (build.state === 'running') {
        setTimeout(poll, 1000);
      }
    })
    .catch(() => setTimeout(poll, 2000));
  if (document.getElementById('build-state').textContent === 'running') {
    poll();
  }
})();
