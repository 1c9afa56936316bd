// Helpers the browser tests add to every JupyterLab page (JupyterLab runs with
// --LabApp.expose_app_in_browser=True, so the application is window.jupyterapp).
// Each helper reads a state; the tests wait for states, never for a fixed time.
window.nbsTest = {
  // The notebook panel open on `path`, or null while JupyterLab is still loading it.
  panel(path) {
    const app = window.jupyterapp;
    if (!app || !app.shell) return null;
    for (const w of app.shell.widgets('main')) {
      if (w.context && w.context.path === path && w.content && w.sessionContext) return w;
    }
    return null;
  },
  // The panel is loaded, all its cells are in the model and its kernel is connected and idle.
  ready(path, cells) {
    const w = this.panel(path);
    if (!w || !w.context.isReady || !w.sessionContext.isReady) return false;
    const kernel = w.sessionContext.session && w.sessionContext.session.kernel;
    return !!kernel && kernel.connectionStatus === 'connected' && kernel.status === 'idle'
      && w.content.widgets.length === cells;
  },
  codeCells(path) {
    return this.panel(path).content.widgets.filter(c => c.model.type === 'code');
  },
  executionCounts(path) {
    return this.codeCells(path).map(c => c.model.executionCount);
  },
  // Clear every output and execution count, then start "Run All Cells" through the command
  // registry on this panel (activated first, so the notebook tracker points at it).
  // The command's promise settles when the run ends; its outcome is kept in window.nbsRun.
  startRunAll(path) {
    const app = window.jupyterapp, w = this.panel(path);
    app.shell.activateById(w.id);
    if (app.shell.currentWidget !== w) return 'not-active';
    window.nbsRun = { done: false };
    return app.commands.execute('notebook:clear-all-cell-outputs').then(() => {
      if (this.executionCounts(path).some(n => n !== null)) return 'not-cleared';
      app.commands.execute('notebook:run-all-cells').then(
        ok => { window.nbsRun = { done: true, ok: ok !== false }; },
        err => { window.nbsRun = { done: true, ok: false, error: String(err) }; });
      return 'started';
    });
  },
  // Execution began: the kernel is busy, or a cell is queued or has run.
  runStarted(path) {
    if (window.nbsRun && window.nbsRun.done) return true;
    const w = this.panel(path), kernel = w.sessionContext.session.kernel;
    const prompts = [...w.node.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')];
    return kernel.status === 'busy' || this.executionCounts(path).some(n => n !== null)
      || prompts.some(p => p.textContent.includes('*'));
  },
  // The run finished: the command settled, every code cell has a count (or an error stopped
  // the run), and the kernel is idle again.
  runFinished(path) {
    if (!window.nbsRun || !window.nbsRun.done) return false;
    const w = this.panel(path), kernel = w.sessionContext.session.kernel;
    return kernel.status === 'idle';
  },
  // Widget outputs in the model, and how many of them the page has rendered.
  widgetOutputs(path) {
    const w = this.panel(path);
    let expected = 0;
    for (const cell of this.codeCells(path)) {
      const outputs = cell.model.outputs;
      for (let i = 0; i < outputs.length; i++) {
        if (outputs.get(i).data['application/vnd.jupyter.widget-view+json']) expected += 1;
      }
    }
    const rendered = [...w.node.querySelectorAll('.jp-OutputArea-output')]
      .filter(e => e.querySelector(':scope > .jupyter-widgets')).length;
    const loading = w.node.innerText.includes('Loading widget...');
    return { expected, rendered, loading };
  },
};

// Run `code` in the notebook's kernel (no history) and return what it printed.
window.nbsTest.kernelOutput = async function (path, code) {
  const kernel = this.panel(path).sessionContext.session.kernel;
  const future = kernel.requestExecute({ code, store_history: false });
  let out = '';
  future.onIOPub = msg => {
    if (msg.header.msg_type === 'stream') out += msg.content.text;
    if (msg.header.msg_type === 'error') out += msg.content.ename + ': ' + msg.content.evalue;
  };
  await future.done;
  return out;
};

// Model ids of the notebook's displayed widgets, in page order.
window.nbsTest.widgetModelIds = function (path) {
  const ids = [];
  for (const cell of this.codeCells(path)) {
    const outputs = cell.model.outputs;
    for (let i = 0; i < outputs.length; i++) {
      const view = outputs.get(i).data['application/vnd.jupyter.widget-view+json'];
      if (view) ids.push(view.model_id);
    }
  }
  return ids;
};

// Record, in the page's clock, every new picture of `img` (src set, then decoded) and every
// key press and pointer press/release: window.nbsClock = {frames, decoded, keys, downs, ups}.
window.nbsTest.watch = function (img) {
  if (window.nbsObserver) window.nbsObserver.disconnect();
  const clock = { frames: [], decoded: [], keys: [], downs: [], ups: [] };
  window.nbsClock = clock;
  window.nbsObserver = new MutationObserver(() => {
    clock.frames.push(performance.now());
    img.decode().then(() => clock.decoded.push(performance.now()), () => {});
  });
  window.nbsObserver.observe(img, { attributes: true, attributeFilter: ['src'] });
  if (!window.nbsListening) {
    window.nbsListening = true;
    document.addEventListener('keydown', () => window.nbsClock.keys.push(performance.now()), true);
    document.addEventListener('pointerdown', () => window.nbsClock.downs.push(performance.now()), true);
    document.addEventListener('pointerup', () => window.nbsClock.ups.push(performance.now()), true);
  }
};

// Also record, in the page's clock, each widget message the page sends to the kernel of
// `path` (clock.sent) and each one it receives with binary buffers (a picture:
// clock.received). clock.origin converts the page's clock to wall-clock time
// (origin + t ms since the epoch), to line it up with the kernel's time.time().
window.nbsTest.watchKernel = function (path) {
  const kernel = this.panel(path).sessionContext.session.kernel;
  const clock = window.nbsClock;
  clock.origin = performance.timeOrigin;
  clock.sent = [];
  clock.received = [];
  if (window.nbsKernelHook) window.nbsKernelHook.disconnect();
  const hook = (_, args) => {
    if (args.msg.header.msg_type !== 'comm_msg') return;
    if (args.direction === 'send') clock.sent.push(performance.now());
    else if (args.msg.buffers && args.msg.buffers.length) clock.received.push(performance.now());
  };
  kernel.anyMessage.connect(hook);
  window.nbsKernelHook = { disconnect: () => kernel.anyMessage.disconnect(hook) };
};

// Append a code cell to the notebook of `path`, run it, and resolve when it has run.
window.nbsTest.appendAndRun = async function (path, code) {
  const app = window.jupyterapp, w = this.panel(path);
  const n = w.content.model.cells.length;
  w.content.model.sharedModel.insertCell(n, { cell_type: 'code', source: code });
  app.shell.activateById(w.id);
  w.content.activeCellIndex = n;
  await app.commands.execute('notebook:run-cell');
  return n;
};

// Like watch(), for an output area whose picture is replaced by a new <img> on every change
// (ipywidgets' interact with the inline backend): each <img> added below `node` is a frame.
window.nbsTest.watchOutput = function (node) {
  if (window.nbsObserver) window.nbsObserver.disconnect();
  const clock = { frames: [], decoded: [], keys: [], downs: [], ups: [], sent: [], received: [] };
  window.nbsClock = clock;
  window.nbsObserver = new MutationObserver(records => {
    for (const record of records) {
      for (const added of record.addedNodes) {
        const img = added.tagName === 'IMG' ? added : added.querySelector && added.querySelector('img');
        if (!img) continue;
        clock.frames.push(performance.now());
        img.decode().then(() => clock.decoded.push(performance.now()), () => {});
      }
    }
  });
  window.nbsObserver.observe(node, { childList: true, subtree: true });
};

window.nbsTest.kernelIdle = function (path) {
  return this.panel(path).sessionContext.session.kernel.status === 'idle';
};
