// Follows a job on a VE's page without a reload of its own: its state and progress every second, then the page
// again once the job has ended (so that the VE's state is fresh).
(function () {
  const box = document.getElementById('job');
  if (!box) {
    return;
  }
  const id = box.dataset.job;
  const show = (job) => {
    document.getElementById('job-state').textContent = job.state;
    document.getElementById('job-progress').textContent = job.progress;
    document.getElementById('job-error').textContent = job.error || '';
  };
  const url = box.dataset.url || '/api/v1/jobs/' + id;
  const poll = () => fetch(url, { headers: { Accept: 'application/json' } })
    .then((r) => r.json())
    .then((job) => {
      show(job);
      if (job.state === 'succeeded' || job.state === 'failed') {
        if (job.state === 'succeeded' && job.kind !== 'destroy') {
          window.location.replace(window.location.pathname);
        }
        return;
      }
      setTimeout(poll, 1000);
    })
    .catch(() => setTimeout(poll, 2000));
  if (document.getElementById('job-state').textContent !== 'succeeded') {
    poll();
  }
})();
