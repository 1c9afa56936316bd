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
