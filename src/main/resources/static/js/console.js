// A VE's console: xterm.js in the page, a WebSocket to the panel, a login shell on a terminal inside the VE.
// Keys go as text frames "0"+keys; the terminal's size as "1"+"ROWS,COLS"; output comes back as binary frames.
(function () {
  const box = document.getElementById('console');
  const status = document.getElementById('console-status');
  const term = new Terminal({ cursorBlink: true, fontSize: 14, scrollback: 5000,
    fontFamily: 'DejaVu Sans Mono, Liberation Mono, monospace' });
  const fit = new FitAddon.FitAddon();
  term.loadAddon(fit);
  term.open(box);
  fit.fit();
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const socket = new WebSocket(`${scheme}://${location.host}${box.dataset.socket}&rows=${term.rows}&cols=${term.cols}`);
  socket.binaryType = 'arraybuffer';
  socket.onopen = () => { status.textContent = 'connected'; term.focus(); };
  socket.onmessage = (event) => {
    term.write(typeof event.data === 'string' ? event.data : new Uint8Array(event.data));
  };
  socket.onclose = (event) => {
    status.textContent = 'closed' + (event.reason ? ': ' + event.reason : '');
    box.dataset.closed = 'true';
  };
  term.onData((keys) => { if (socket.readyState === WebSocket.OPEN) socket.send('0' + keys); });
  term.onResize(({ rows, cols }) => {
    if (socket.readyState === WebSocket.OPEN) socket.send('1' + rows + ',' + cols);
  });
  window.addEventListener('resize', () => fit.fit());
  // for the browser tests: what the terminal shows, as text
  window.consoleText = () => {
    const buffer = term.buffer.active;
    const lines = [];
    for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i).translateToString(true));
    return lines.join('\n');
  };
})();
