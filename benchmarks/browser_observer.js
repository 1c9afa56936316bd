// A second observer for benchmarks/browser_latency.py --mouse, independent of the browser
// test's tests/browser/lab_driver.js: its own MutationObserver on the figure's <img>, its own
// pointer log and its own kernel requests. Times are performance.now() in ms.
//
// window.xcheck.log after watch(img):
//   src:     when each new picture was set (the src attribute changed)
//   painted: [index into src, time] for each picture decoded and then past the next
//            animation frame (requestAnimationFrame after img.decode()); a picture replaced
//            before it was decoded is never painted
//   downs, moves, ups: pointer events anywhere in the page
//   values: widget messages carrying a value (see watchValues)
window.xcheck = {
  log: null,
  img: null,
  observer: null,

  watch(img) {
    if (this.observer) this.observer.disconnect();
    const log = { src: [], painted: [], downs: [], moves: [], ups: [], values: [] };
    this.log = log;
    this.img = img;
    this.observer = new MutationObserver(() => {
      log.src.push(performance.now());
      const index = log.src.length - 1;
      img.decode().then(
        () => requestAnimationFrame(() => log.painted.push([index, performance.now()])),
        () => {});
    });
    this.observer.observe(img, { attributes: true, attributeFilter: ['src'] });
  },

  // The bytes of the picture shown now, base64.
  async shownBytes() {
    const response = await fetch(this.img.src);
    const bytes = new Uint8Array(await response.arrayBuffer());
    let text = '';
    for (let i = 0; i < bytes.length; i += 0x8000) {
      text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(text);
  },

  kernel(path) {
    for (const w of window.jupyterapp.shell.widgets('main')) {
      if (w.context && w.context.path === path && w.sessionContext) {
        return w.sessionContext.session.kernel;
      }
    }
    throw new Error('no notebook open on ' + path);
  },

  // Run code in the notebook's kernel; resolve with what it printed (and any error).
  async run(path, code) {
    const future = this.kernel(path).requestExecute({ code, store_history: false });
    let out = '';
    future.onIOPub = msg => {
      if (msg.header.msg_type === 'stream') out += msg.content.text;
      if (msg.header.msg_type === 'error') out += msg.content.ename + ': ' + msg.content.evalue;
    };
    await future.done;
    return out;
  },

  // Log every widget message between the page and the kernel of `path` that carries a
  // `value`: [time, 'send' or 'recv', method, value] in log.values.
  watchValues(path) {
    const kernel = this.kernel(path);
    if (this.valueHook) this.valueHook.disconnect();
    const hook = (_, args) => {
      const msg = args.msg;
      if (msg.header.msg_type !== 'comm_msg' || !this.log) return;
      const data = msg.content.data || {};
      if (data.state && 'value' in data.state) {
        this.log.values.push([performance.now(), args.direction, data.method, data.state.value]);
      }
    };
    kernel.anyMessage.connect(hook);
    this.valueHook = { disconnect: () => kernel.anyMessage.disconnect(hook) };
  },

  idle(path) {
    return this.kernel(path).status === 'idle';
  },
};

for (const [type, key] of [['pointerdown', 'downs'], ['pointermove', 'moves'], ['pointerup', 'ups']]) {
  document.addEventListener(type, () => {
    if (window.xcheck.log) window.xcheck.log[key].push(performance.now());
  }, true);
}
