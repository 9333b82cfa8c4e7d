// Uploads a template's archive as the request's body (streamed to the node's disk, never held in memory), with
// its progress; then follows the import's log on the build page.
(function () {
  const form = document.getElementById('import-form');
  if (!form) {
    return;
  }
  const status = document.getElementById('import-status');
  const progress = document.getElementById('import-progress');
  const meta = (name) => document.querySelector('meta[name="' + name + '"]');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const name = document.getElementById('import-name').value.trim();
    const file = document.getElementById('import-file').files[0];
    if (!file) {
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', '/api/v1/admin/templates/' + encodeURIComponent(name));
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.setRequestHeader('Accept', 'application/json');
    if (meta('csrf-header') && meta('csrf-token')) {
      xhr.setRequestHeader(meta('csrf-header').content, meta('csrf-token').content);
    }
    progress.hidden = false;
    progress.value = 0;
    status.textContent = 'uploading';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) {
        progress.value = Math.round((e.loaded / e.total) * 100);
        status.textContent = 'uploading: ' + progress.value + ' %';
      }
    };
    xhr.onload = () => {
      if (xhr.status === 202) {
        window.location.assign('/admin/templates/' + encodeURIComponent(name) + '/build');
        return;
      }
      let detail = 'the upload failed (' + xhr.status + ')';
      try {
        detail = JSON.parse(xhr.responseText).detail || detail;
      } catch (ignored) {
        // not a problem document
      }
      status.textContent = detail;
      progress.hidden = true;
    };
    xhr.onerror = () => {
      status.textContent = 'the upload broke off';
      progress.hidden = true;
    };
    xhr.send(file);
  });
})();
