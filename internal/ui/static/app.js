// The arklow-mock control panel: plain JavaScript over the admin API under
// /__mock/. Request data (paths, headers, bodies) is untrusted, so it only
// ever reaches the page through textContent and DOM APIs, never innerHTML.
'use strict';

(() => {
  const API = '/__mock';
  const HEALTH_EVERY = 2000;   // ms between GET /__mock/health
  const LOG_EVERY = 1000;      // ms between GET /__mock/requests?after=
  const SYNC_EVERY = 5;        // every 5th log poll also checks for a cleared or restarted journal
  const MAX_ROWS = 500;        // rows kept in the log
  const PAGE = 200;            // entries fetched per poll
  // The cookie "Use in this browser" sets (server.ScenarioCookie): the
  // mock reads it after X-Mock-Scenario and Prefer, before the active
  // scenario. Cookies belong to a host, not a port, so an app on another
  // port of this host (or its dev proxy) sends it too.
  const COOKIE = 'arklow_mock_scenario';
  const COOKIE_MAX_AGE = 400 * 24 * 60 * 60; // the longest browsers keep (400 days)

  const state = {
    lastId: 0,
    polls: 0,
    entries: new Map(),        // id → entry, for the rows in the log
    health: null,
    healthKey: '',
    scenarios: null,
    coverage: null,
    browser: '',               // the scenario this browser's cookie names, or ''
    hintLine: '',              // the example curl line, as copied
    filter: '',
    errorsOnly: false,
    online: null,
    coverageTimer: 0,
  };

  const $ = (id) => document.getElementById(id);

  // el builds an element: attrs are set with setAttribute (class via
  // className), children are nodes or strings (added as text).
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k === 'text') node.textContent = v;
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      node.append(c instanceof Node ? c : String(c));
    }
    return node;
  }

  // api calls the admin API and returns the envelope's data; a non-2xx
  // answer throws with the envelope's first error message. When the mock
  // runs with MOCK_ADMIN_TOKEN, a write answered 401 asks for the token
  // once and retries; the token stays in this tab's sessionStorage only.
  async function api(method, path, body, retried) {
    const init = { method, cache: 'no-store', headers: {} };
    // Every write says it is JSON: the mock refuses admin writes without
    // it, so that no other web page can send one (a form cannot).
    if (method !== 'GET') init.headers['Content-Type'] = 'application/json';
    if (body !== undefined) init.body = JSON.stringify(body);
    const token = sessionStorage.getItem('arklow-mock-admin-token');
    if (token && method !== 'GET') init.headers['Authorization'] = 'Bearer ' + token;
    const res = await fetch(API + path, init);
    if (res.status === 401 && method !== 'GET' && !retried) {
      const entered = window.prompt('This mock needs its admin token (MOCK_ADMIN_TOKEN) for changes:');
      if (entered) {
        sessionStorage.setItem('arklow-mock-admin-token', entered);
        return api(method, path, body, true);
      }
    }
    let json = null;
    try { json = await res.json(); } catch (_) { /* no body */ }
    if (!res.ok) {
      const e = json && Array.isArray(json.errors) && json.errors[0];
      throw new Error(e ? e.message : `${method} ${path}: ${res.status} ${res.statusText}`);
    }
    return json ? json.data : null;
  }

  // ---- small formatting helpers -------------------------------------------

  const plural = (n, one, many) => `${n} ${n === 1 ? one : many || one + 's'}`;

  function statusClass(status) {
    if (!status) return 's0';
    return 's' + Math.floor(status / 100);
  }

  function statusPill(status, extraClass) {
    return el('span', { class: `status ${statusClass(status)} ${extraClass || ''}`.trim(), title: statusTitle(status) }, status ? String(status) : '—');
  }

  function statusTitle(status) {
    if (!status) return 'no answer: a fault';
    if (status < 300) return 'success';
    if (status < 400) return 'redirect';
    if (status < 500) return 'client error';
    return 'server error';
  }

  function methodBadge(method) {
    const m = String(method || '').toUpperCase();
    const known = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
    return el('span', { class: `method m-${known.includes(m) ? m.toLowerCase() : 'other'}` }, m);
  }

  function fmtTime(iso) {
    const d = new Date(iso);
    if (isNaN(d)) return String(iso || '');
    const p = (n, w = 2) => String(n).padStart(w, '0');
    return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
  }

  function fmtDuration(ms) {
    if (typeof ms !== 'number') return '';
    if (ms >= 1000) return (ms / 1000).toFixed(ms >= 10000 ? 1 : 2) + ' s';
    if (ms >= 100) return Math.round(ms) + ' ms';
    if (ms >= 10) return ms.toFixed(1) + ' ms';
    return ms.toFixed(2) + ' ms';
  }

  // jsonBlock shows a body: JSON pretty-printed and coloured (with spans
  // whose text is set, never parsed as HTML), a string body as it is.
  function jsonBlock(value, label) {
    const code = el('code');
    if (value === undefined) {
      code.textContent = '';
    } else if (typeof value === 'string') {
      code.textContent = value;
    } else {
      const text = JSON.stringify(value, null, 2);
      const re = /("(?:\\.|[^"\\])*")(\s*:)?|\b(true|false)\b|\bnull\b|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;
      let last = 0;
      let m;
      while ((m = re.exec(text)) !== null) {
        if (m.index > last) code.append(text.slice(last, m.index));
        let cls = 'j-num';
        if (m[1] !== undefined) cls = m[2] ? 'j-key' : 'j-str';
        else if (m[3] !== undefined) cls = 'j-bool';
        else if (m[0] === 'null') cls = 'j-null';
        code.append(el('span', { class: cls }, m[1] !== undefined ? m[1] : m[0]));
        if (m[2]) code.append(m[2]);
        last = re.lastIndex;
      }
      if (last < text.length) code.append(text.slice(last));
    }
    return el('pre', { class: 'code', tabindex: '0', 'aria-label': label || 'Body' }, code);
  }

  // shellQuote quotes s for a POSIX shell.
  const shellQuote = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

  // curlArgs rebuilds a journaled request as the arguments of a curl
  // line, naming scenario. Credentials are journaled as [redacted]; any
  // non-empty key satisfies the mock, so they become "mock-key". A cookie
  // is journaled whole as [redacted] too, and a curl line cannot repeat it:
  // it is left out (X-Mock-Scenario overrides the browser's scenario).
  function curlArgs(entry, scenario) {
    const parts = ['curl', '-si'];
    if (entry.method && entry.method !== 'GET') parts.push('-X ' + entry.method);
    parts.push(shellQuote(location.origin + entry.path + (entry.query ? '?' + entry.query.replace(/%5Bredacted%5D/g, 'mock-key') : '')));
    const keep = /^(content-type|accept|authorization|prefer|x-mock-session)$/i;
    for (const [name, value] of Object.entries(entry.headers || {})) {
      if (/^x-mock-scenario$/i.test(name) || /^prefer$/i.test(name) && /scenario=/.test(value) || /^cookie$/i.test(name)) continue;
      if (value === '[redacted]') parts.push('-H ' + shellQuote(`${name.toLowerCase()}: mock-key`));
      else if (keep.test(name)) parts.push('-H ' + shellQuote(`${name}: ${value}`));
    }
    if (scenario) parts.push('-H ' + shellQuote(`X-Mock-Scenario: ${scenario}`));
    if (entry.body !== undefined && entry.body !== null) {
      parts.push('--data-raw ' + shellQuote(typeof entry.body === 'string' ? entry.body : JSON.stringify(entry.body)));
    }
    return parts;
  }

  const curlFor = (entry, scenario) => curlArgs(entry, scenario).join(' ');

  // breakable returns text as nodes with a line-break opportunity (<wbr>)
  // after each of its separators: a long URL, body or name wraps between
  // its parts, not in the middle of a word. The text itself is unchanged.
  const URL_PARTS = /(?<=[/&,])/;
  const NAME_PARTS = /(?<=[/_.-])/;
  function breakable(text, parts) {
    const out = [];
    for (const part of String(text).split(parts)) {
      if (out.length) out.push(el('wbr'));
      out.push(part);
    }
    return out;
  }

  async function copyText(text, what) {
    try {
      await navigator.clipboard.writeText(text);
    } catch (_) {
      // navigator.clipboard needs a secure context; fall back to a
      // hidden textarea and the older copy command.
      const ta = el('textarea', { class: 'visually-hidden', 'aria-hidden': 'true' });
      ta.value = text;
      document.body.append(ta);
      ta.select();
      let ok = false;
      try { ok = document.execCommand('copy'); } catch (_) { ok = false; }
      ta.remove();
      if (!ok) { toast(`Could not copy ${what}: select it and copy by hand.`, true); return; }
    }
    toast(`Copied ${what}.`);
  }

  let toastTimer = 0;
  function toast(message, isError) {
    const t = $('toast');
    t.textContent = message;
    t.classList.toggle('toast-error', !!isError);
    t.classList.add('toast-on');
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => t.classList.remove('toast-on'), isError ? 6000 : 2500);
  }

  function setOnline(online, why) {
    if (state.online === online && online) return;
    state.online = online;
    const conn = $('conn');
    conn.dataset.state = online ? 'live' : 'offline';
    $('conn-text').textContent = online ? 'Live' : 'Disconnected, retrying…';
    conn.title = online ? 'Polling the mock every second' : String(why || '');
  }

  // ---- health: header and reload banner -----------------------------------

  async function loadHealth() {
    const h = await api('GET', '/health');
    state.health = h;
    $('version').textContent = h.version ? (/^\d/.test(h.version) ? 'v' + h.version : h.version) : '';
    $('stat-active').textContent = h.active_scenario || '—';
    syncBrowser(); // another tab may have changed the cookie
    $('stat-operations').textContent = String(h.operations);
    $('stat-scenarios').textContent = String(h.scenarios);
    $('stat-fixtures').textContent = String(h.fixtures);
    document.title = `arklow-mock · ${h.active_scenario || 'control panel'}`;

    const banner = $('reload-banner');
    if (h.last_reload_error) {
      const list = $('reload-problems');
      const problems = Array.isArray(h.last_reload_problems) && h.last_reload_problems.length
        ? h.last_reload_problems : [h.last_reload_error];
      const items = problems.map((p) => {
        const m = /^(.+?:\d+):\s([\s\S]*)$/.exec(p);
        return m
          ? el('li', null, el('span', { class: 'where' }, m[1]), ': ', m[2])
          : el('li', null, p);
      });
      list.replaceChildren(...items);
      $('reload-title').textContent = `Reload failed (${plural(problems.length, 'problem')}): the mock keeps serving the last good files.`;
      $('reload-flag').textContent = 'Reload failed';
      banner.hidden = false;
    } else if (Array.isArray(h.warnings) && h.warnings.length) {
      // Up, but refusing requests: e.g. the active scenario's file is gone.
      $('reload-problems').replaceChildren(...h.warnings.map((w) => el('li', null, w)));
      $('reload-title').textContent = 'The mock is up but refuses requests that name no scenario:';
      $('reload-flag').textContent = 'Requests refused';
      banner.hidden = false;
    } else {
      banner.hidden = true;
    }
    $('reload-flag').hidden = banner.hidden;

    // A reload or another client may have changed what the other panels show.
    const key = [h.active_scenario, h.last_reload, h.operations, h.scenarios, h.fixtures].join('|');
    if (key !== state.healthKey) {
      state.healthKey = key;
      await Promise.all([loadScenarios(), loadCoverage()]);
    }
  }

  // ---- scenarios ------------------------------------------------------------

  async function loadScenarios() {
    const data = await api('GET', '/scenarios');
    state.scenarios = data;
    renderScenarios();
    renderHint();
    renderOperations();
  }

  function renderScenarios() {
    const data = state.scenarios;
    if (!data) return;
    const list = $('scenario-list');
    // Re-rendering must not lose the keyboard focus of a row's button.
    const f = document.activeElement && document.activeElement.dataset;
    const focused = f && (f.scenario !== undefined ? `[data-scenario="${CSS.escape(f.scenario)}"]`
      : f.browserScenario !== undefined ? `[data-browser-scenario="${CSS.escape(f.browserScenario)}"]` : '');
    const items = data.scenarios.map((s) => {
      const ops = s.operations ? s.operations.length : 0;
      const inBrowser = s.name === state.browser;
      const btn = el('button', {
        type: 'button',
        class: 'scenario' + (s.active ? ' is-active' : ''),
        'data-scenario': s.name,
        'aria-pressed': s.active ? 'true' : 'false',
        title: `Make ${s.name} the active scenario (PUT /__mock/scenario)`,
      },
      el('span', { class: 'scenario-top' },
        el('span', { class: 'scenario-name' }, s.name),
        s.active ? el('span', { class: 'tag tag-active' }, 'active') : null,
        inBrowser ? el('span', { class: 'tag tag-browser' }, 'this browser') : null,
        el('span', { class: 'scenario-ops', title: (s.operations || []).join('\n') }, plural(ops, 'op'))),
      s.description ? el('span', { class: 'scenario-desc' }, s.description) : null);
      btn.addEventListener('click', () => activate(s.name, btn));
      const use = el('button', {
        type: 'button',
        class: 'use-browser',
        'data-browser-scenario': s.name,
        'aria-pressed': inBrowser ? 'true' : 'false',
        'aria-label': `Use ${s.name} in this browser`,
        title: inBrowser
          ? `This browser uses ${s.name}: click to stop`
          : `Use in this browser: ${s.name} for every request of this browser that names no scenario (a cookie on ${location.hostname}, any port)`,
      }, browserIcon());
      use.addEventListener('click', () => useInBrowser(inBrowser ? '' : s.name));
      return el('li', { class: 'scenario-item' + (s.active ? ' is-active' : '') + (inBrowser ? ' in-browser' : '') }, btn, use);
    });
    list.replaceChildren(...items);
    $('scenario-count').textContent = String(data.scenarios.length);
    $('scenarios-empty').hidden = data.scenarios.length > 0;
    if (focused) {
      const again = list.querySelector(focused);
      if (again) again.focus();
    }
  }

  function browserIcon() {
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('class', 'browser-icon');
    svg.setAttribute('viewBox', '0 0 16 16');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    const rect = document.createElementNS(ns, 'rect');
    for (const [k, v] of Object.entries({ x: 1.5, y: 2.5, width: 13, height: 11, rx: 2 })) rect.setAttribute(k, v);
    const bar = document.createElementNS(ns, 'path');
    bar.setAttribute('d', 'M1.5 6h13');
    svg.append(rect, bar);
    return svg;
  }

  // ---- this browser's scenario (a cookie) -----------------------------------

  // browserScenario reads the cookie; '' when there is none.
  function browserScenario() {
    for (const part of document.cookie.split(';')) {
      const i = part.indexOf('=');
      if (i > 0 && part.slice(0, i).trim() === COOKIE) return part.slice(i + 1).trim();
    }
    return '';
  }

  // useInBrowser sets the cookie to name (path=/, so every request to this
  // host sends it; SameSite=Lax, so only same-site pages do), or clears it
  // when name is ''. Scenario names are cookie-safe ([A-Za-z0-9._-]).
  function useInBrowser(name) {
    if (name && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
      toast(`${name} cannot be a cookie value.`, true);
      return;
    }
    document.cookie = name
      ? `${COOKIE}=${name}; Path=/; Max-Age=${COOKIE_MAX_AGE}; SameSite=Lax`
      : `${COOKIE}=; Path=/; Max-Age=0; SameSite=Lax`;
    syncBrowser();
    if (state.browser !== name) {
      toast('This browser refused the cookie: are cookies blocked for this site?', true);
    } else if (name) {
      toast(`This browser now uses ${name}: its requests to ${location.hostname} (any port, your dev proxy included) that name no scenario.`);
    } else {
      toast('This browser no longer names a scenario: its requests get the active one.');
    }
  }

  // syncBrowser shows the cookie's scenario in the header and the list.
  function syncBrowser() {
    const name = browserScenario();
    const changed = name !== state.browser;
    state.browser = name;
    const known = !name || !state.scenarios || state.scenarios.scenarios.some((s) => s.name === name);
    const out = $('stat-browser');
    out.textContent = name || '—';
    out.classList.toggle('is-set', !!name);
    out.classList.toggle('is-unknown', !known);
    out.title = !name
      ? `No scenario for this browser: its requests get the active one. "Use in this browser" in the list sets one (the cookie ${COOKIE} on ${location.hostname}).`
      : known
        ? `Every request of this browser to ${location.hostname} (any port) that names no scenario gets ${name} (the cookie ${COOKIE}).`
        : `${name} is not a scenario of this mock: requests of this browser that name none are refused (400 unknown_scenario). Clear it.`;
    const clear = $('browser-clear');
    clear.hidden = !name;
    clear.setAttribute('aria-label', name ? `Stop using ${name} in this browser` : 'Stop using a scenario in this browser');
    clear.title = name ? `Stop using ${name} in this browser (clears the cookie)` : '';
    if (changed) renderScenarios();
  }

  async function activate(name, btn) {
    btn.setAttribute('aria-busy', 'true');
    try {
      await api('PUT', '/scenario', { name });
      toast(`Active scenario: ${name}`);
    } catch (e) {
      toast(e.message, true);
    } finally {
      btn.removeAttribute('aria-busy');
    }
    await refreshAll();
  }

  // ---- the "switch per request" hint ---------------------------------------

  function renderHint() {
    const sel = $('hint-scenario');
    const data = state.scenarios;
    if (!data) return;
    const names = data.scenarios.map((s) => s.name);
    let chosen = sel.value;
    if (!names.includes(chosen)) {
      chosen = names.find((n) => n !== data.active && n !== 'default') || names[0] || '';
    }
    sel.replaceChildren(...names.map((n) => el('option', { value: n }, n + (n === data.active ? ' (active)' : ''))));
    sel.value = chosen;
    updateHintCurl();
  }

  // updateHintCurl rebuilds the example: the newest request in the log
  // that reached an operation, whatever its answer (a request to an
  // unknown path names no operation a scenario could answer), else the
  // first operation, whose headers and body the user adds.
  function updateHintCurl() {
    const name = $('hint-scenario').value || 'name';
    for (const n of document.querySelectorAll('.hint-name')) n.textContent = name;
    let example = null;
    for (const e of state.entries.values()) {
      if (e.operation && (!example || e.id > example.id)) example = e;
    }
    let args;
    if (example) {
      args = curlArgs(example, name);
      const answer = example.status ? String(example.status) : 'no answer, ' + (example.fixture || 'a fault');
      $('hint-source').textContent = `The example repeats your newest request to an operation, whatever its answer: ${example.method} ${example.path} (${answer}).`;
    } else {
      const op = state.coverage && state.coverage.operations[0];
      args = ['curl', '-si'];
      if (op && op.method !== 'GET') args.push('-X ' + op.method);
      args.push(shellQuote(location.origin + (op ? op.path : '/')), '-H ' + shellQuote('X-Mock-Scenario: ' + name));
      $('hint-source').textContent = 'Add your usual headers and body; once a request arrives, the example repeats it.';
    }
    state.hintLine = args.join(' ');
    // One span per argument: the line wraps between arguments, and a long
    // one (a URL, a body) between its parts.
    const nodes = [];
    for (const a of args) {
      if (nodes.length) nodes.push(' ');
      nodes.push(el('span', { class: 'arg' }, ...breakable(a, URL_PARTS)));
    }
    $('hint-curl').replaceChildren(...nodes);
  }

  // ---- operations (coverage) -------------------------------------------------

  async function loadCoverage() {
    state.coverage = await api('GET', '/coverage');
    renderOperations();
    updateHintCurl();
  }

  // scheduleCoverage refreshes the served counts soon after new traffic,
  // at most once a second.
  function scheduleCoverage() {
    if (state.coverageTimer) return;
    state.coverageTimer = setTimeout(async () => {
      state.coverageTimer = 0;
      try { await loadCoverage(); } catch (_) { /* the next poll reports it */ }
    }, 600);
  }

  // commonFolder returns the folder ("mfa/backup/") every name is in, or "".
  function commonFolder(names) {
    if (names.length < 2) return '';
    let parts = names[0].split('/').slice(0, -1);
    for (const n of names.slice(1)) {
      const p = n.split('/');
      let i = 0;
      while (i < parts.length && i < p.length - 1 && parts[i] === p[i]) i++;
      parts = parts.slice(0, i);
    }
    return parts.length ? parts.join('/') + '/' : '';
  }

  function renderOperations() {
    const cov = state.coverage;
    if (!cov) return;
    const active = state.scenarios ? state.scenarios.active : '';
    const scenarios = state.scenarios ? state.scenarios.scenarios : [];
    const ops = cov.operations || [];
    $('ops-count').textContent = String(ops.length);
    $('ops-empty').hidden = ops.length > 0;
    const openBefore = new Set([...document.querySelectorAll('#ops-list details[open]')].map((d) => d.dataset.operation));
    const first = !$('ops-list').hasChildNodes();

    const nodes = ops.map((op) => {
      const served = op.served || { statuses: {}, fixtures: {} };
      const total = Object.values(served.statuses || {}).reduce((a, b) => a + b, 0);
      const statusChips = Object.entries(served.statuses || {})
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([code, n]) => el('span', { class: 'served-chip', title: `${code === '0' ? 'No answer (a fault)' : code} served ${plural(n, 'time')}` },
          statusPill(Number(code), 'status-sm'), el('span', { class: 'times' }, '×' + n)));

      const summary = el('summary', { class: 'op-summary' },
        methodBadge(op.method),
        el('span', { class: 'op-path' }, op.path),
        op.summary ? el('span', { class: 'op-title', title: op.summary }, op.summary) : null,
        el('span', { class: 'op-total' + (total ? '' : ' is-zero') }, total ? `${plural(total, 'request')} served` : 'not served yet'));

      // Scenario → the fixtures it serves for this operation; a folder all
      // of them share is named once, above.
      const fixtureNames = (op.fixtures || []).map((f) => f.fixture);
      const prefix = commonFolder(fixtureNames);
      const short = (name) => (prefix && name.startsWith(prefix) ? name.slice(prefix.length) : name);
      const byScenario = new Map();
      for (const f of op.fixtures || []) {
        if (!byScenario.has(f.scenario)) byScenario.set(f.scenario, []);
        const list = byScenario.get(f.scenario);
        if (!list.some((g) => g.fixture === f.fixture)) list.push({ fixture: f.fixture, status: f.status });
      }
      for (const s of scenarios) {
        if ((s.operations || []).includes(op.operation) && !byScenario.has(s.name)) byScenario.set(s.name, []);
      }
      // What each scenario served: its own counts, not its fixtures' counts
      // under every scenario. What it served beyond its fixtures (a fault,
      // the spec's answer) gets a line of its own.
      const servedBy = served.by_scenario || {};
      for (const [name, counts] of Object.entries(servedBy)) {
        if (!byScenario.has(name)) byScenario.set(name, []);
        const list = byScenario.get(name);
        for (const fx of Object.keys(counts).sort()) {
          if (!list.some((g) => g.fixture === fx)) list.push({ fixture: fx, status: fx.startsWith('fault:') ? 0 : null });
        }
      }
      const names = [...byScenario.keys()].sort((a, b) => (a === 'default' ? -1 : b === 'default' ? 1 : a.localeCompare(b)));
      // One group of lines per scenario: name, fixture, status, times served.
      const cells = names.map((name) => {
        const fixtures = byScenario.get(name);
        const counts = servedBy[name] || {};
        const isActive = name === active;
        const nameCell = (i) => (i === 0
          ? el('span', { class: 'route-name', title: isActive ? `${name} (active)` : name }, ...breakable(name, NAME_PARTS))
          : el('span', { class: 'route-name', 'aria-hidden': 'true' }));
        const lines = fixtures.length
          ? fixtures.map((f, i) => {
            const n = counts[f.fixture] || 0;
            return el('div', { class: 'route-line' + (n ? '' : ' fx-unserved'), 'data-fixture': f.fixture },
              nameCell(i),
              el('span', { class: 'fx-name', title: f.fixture }, ...breakable(short(f.fixture), NAME_PARTS)),
              f.status === null ? el('span') : statusPill(f.status, 'status-sm'),
              el('span', { class: 'fx-count', title: n ? `${name} served ${f.fixture} ${plural(n, 'time')} since the last reset` : `${name} has not served ${f.fixture} since the last reset` }, n ? '×' + n : '–'));
          })
          : [el('div', { class: 'route-line' }, nameCell(0), el('span', { class: 'fx-none' }, 'no fixture: a fault, or the spec'))];
        return el('div', { class: 'route' + (isActive ? ' is-active' : ''), 'data-op-scenario': name, role: 'listitem' }, ...lines);
      });

      const unserved = (op.unserved_fixtures || []).length;
      const drifted = served.drifted || 0;
      const meta = el('div', { class: 'op-meta' },
        el('span', { class: 'meta-served' }, el('span', { class: 'meta-label' }, 'Served'),
          ...(statusChips.length ? statusChips : [el('span', { class: 'c-muted' }, 'nothing yet')])),
        el('span', null, el('span', { class: 'meta-label' }, 'Documented'), (op.documented_statuses || []).join(', ') || '—'),
        el('span', { class: unserved ? 'meta-warn' : '' }, unserved ? `${plural(unserved, 'fixture')} never served` : 'every fixture served'),
        drifted ? el('span', { class: 'meta-warn meta-drift', title: 'Answers of the real API (--upstream) that broke the document since the last reset' },
          `${plural(drifted, 'answer')} of the real API drifted`) : null,
        el('span', null, el('span', { class: 'meta-label' }, 'operationId'), el('code', null, op.operation)),
        prefix ? el('span', null, el('span', { class: 'meta-label' }, 'Fixtures in'), el('code', null, prefix)) : null);

      const open = first ? ops.length <= 3 : openBefore.has(op.operation);
      return el('details', { class: 'op', 'data-operation': op.operation, open },
        summary,
        el('div', { class: 'op-body' }, meta,
          ...(cells.length
            ? [el('div', { class: 'routes', role: 'list', 'aria-label': 'Fixture served by each scenario' }, ...cells),
              el('p', { class: 'routes-note' }, '×n: times the scenario served the fixture since the last reset; – never.')]
            : [el('p', { class: 'empty' }, 'No scenario defines a fixture for it: the spec answers.')])));
    });
    // Re-rendering must not steal the keyboard focus from a summary.
    const focused = document.activeElement && document.activeElement.closest && document.activeElement.closest('#ops-list details');
    $('ops-list').replaceChildren(...nodes);
    if (focused) {
      const again = $('ops-list').querySelector(`details[data-operation="${CSS.escape(focused.dataset.operation)}"] > summary`);
      if (again) again.focus();
    }
  }

  // ---- the live request log -------------------------------------------------

  async function pollLog() {
    state.polls++;
    if (state.polls % SYNC_EVERY === 0 && state.lastId > 0) {
      // The journal may have been cleared by someone else, or the mock
      // restarted (its ids start over): the newest entry tells.
      const newest = await api('GET', '/requests?limit=1');
      if (newest.length && newest[0].id < state.lastId) {
        clearRows();
        state.lastId = 0;
      } else if (!newest.length && state.entries.size > 0) {
        clearRows();
      }
    }
    const list = await api('GET', `/requests?after=${state.lastId}&limit=${PAGE}`);
    if (!list.length) return;
    // Newest first: add the oldest first, each at the top.
    for (let i = list.length - 1; i >= 0; i--) addEntry(list[i]);
    state.lastId = Math.max(state.lastId, list[0].id);
    trimRows();
    updateLogMeta();
    updateHintCurl();
    scheduleCoverage();
  }

  function addEntry(e) {
    if (state.entries.has(e.id)) return;
    state.entries.set(e.id, e);
    const row = renderEntry(e);
    $('log-list').prepend(row);
    applyFilter(row, e);
  }

  function trimRows() {
    const list = $('log-list');
    while (list.children.length > MAX_ROWS) {
      const last = list.lastElementChild;
      state.entries.delete(Number(last.dataset.entryId));
      last.remove();
    }
  }

  function clearRows() {
    $('log-list').replaceChildren();
    state.entries.clear();
    updateLogMeta();
    updateHintCurl();
  }

  function updateLogMeta() {
    const n = state.entries.size;
    const shown = $('log-list').querySelectorAll('li.entry:not([hidden])').length;
    let text = plural(n, 'request');
    if (shown !== n) text = `${shown} of ${n} requests`;
    if (n >= MAX_ROWS) text += ` (the newest ${MAX_ROWS})`;
    $('log-count').textContent = n ? text : '';
    $('log-empty').hidden = n > 0;
  }

  const isFault = (e) => String(e.fixture || '').startsWith('fault:');

  // isError: a 4xx or 5xx answer, or none at all (a fault: the connection
  // reset, closed empty or held until the client gave up).
  const isError = (e) => !e.status || e.status >= 400 || isFault(e);

  // entryCells is the text of a log row's cells, as shown: rendering and
  // the filter both use it, so the filter matches what the row says.
  function entryCells(e) {
    const problems = e.validation_errors || [];
    let fixture;
    if (e.fixture) fixture = e.fixture;
    else if (problems.length) fixture = `rejected: ${plural(problems.length, 'problem')}`;
    else fixture = e.operation ? '—' : 'no operation';
    return {
      time: fmtTime(e.time),
      method: String(e.method || '').toUpperCase(),
      path: e.path + (e.query ? '?' + e.query : ''),
      status: e.status ? String(e.status) : '—',
      scenario: e.scenario || '—',
      fixture,
      duration: fmtDuration(e.duration_ms),
    };
  }

  // drift lists where an answer of the real API (--upstream) breaks the
  // document; none for every other answer.
  const driftOf = (e) => e.drift || [];

  // entrySearchText is what the filter searches: the row's cells, and
  // what its details show (operation, session, the problems, the drift).
  function entrySearchText(e) {
    const problems = (e.validation_errors || []).flatMap((p) => [p.code, p.message]);
    const drift = driftOf(e).flatMap((d) => ['drift', d.code, d.message]);
    return [...Object.values(entryCells(e)), e.operation, e.session, ...problems, ...drift].join('\n').toLowerCase();
  }

  function applyFilter(row, e) {
    const f = state.filter;
    const hide = (state.errorsOnly && !isError(e)) || (f && !entrySearchText(e).includes(f));
    row.hidden = !!hide;
  }

  function refilter() {
    for (const row of $('log-list').children) {
      const e = state.entries.get(Number(row.dataset.entryId));
      if (e) applyFilter(row, e);
    }
    updateLogMeta();
  }

  function renderEntry(e) {
    const problems = e.validation_errors || [];
    const detailId = 'entry-' + e.id + '-detail';
    const cells = entryCells(e);
    const pathText = cells.path;
    let fixture;
    if (isFault(e)) fixture = el('span', { class: 'c-fixture c-fault', title: `${e.fixture}: the mock sent no answer` }, cells.fixture);
    else if (e.fixture) fixture = el('span', { class: 'c-fixture', title: e.fixture }, cells.fixture);
    else if (problems.length) fixture = el('span', { class: 'c-fixture c-rejected' }, cells.fixture);
    else fixture = el('span', { class: 'c-fixture c-muted' }, cells.fixture);
    const drift = driftOf(e);
    if (drift.length) {
      // The real API answered, but not as the document says: a mark on
      // the row, the problems in its details.
      fixture = el('span', { class: 'c-fixture-cell' }, fixture,
        el('span', { class: 'drift-mark', 'data-testid': 'drift-mark',
          title: `The real API's answer breaks the document: ${plural(drift.length, 'problem')} (open the row)` }, `drift ${drift.length}`));
    }

    const row = el('button', {
      type: 'button',
      class: 'entry-row',
      'aria-expanded': 'false',
      'aria-controls': detailId,
    },
    el('time', { class: 'c-time', datetime: e.time, title: e.time }, cells.time),
    el('span', { class: 'c-req' }, methodBadge(e.method), el('span', { class: 'c-path', title: pathText }, pathText)),
    el('span', { class: 'c-status' }, statusPill(e.status)),
    el('span', { class: 'c-scenario' + (e.scenario ? '' : ' c-muted'), title: e.scenario || '' }, cells.scenario),
    fixture,
    el('span', { class: 'c-duration num' }, cells.duration),
    el('span', { class: 'chevron', 'aria-hidden': 'true' }));

    const detail = el('div', { class: 'entry-detail', id: detailId, hidden: true });
    const li = el('li', {
      class: `entry ${statusClass(e.status)}` + (problems.length ? ' has-problems' : '') + (isFault(e) ? ' is-fault' : '') + (drift.length ? ' has-drift' : ''),
      'data-entry-id': e.id,
      'data-status': e.status,
    }, row, detail);

    row.addEventListener('click', () => {
      const open = row.getAttribute('aria-expanded') !== 'true';
      if (open && !detail.hasChildNodes()) detail.append(...renderDetail(e));
      row.setAttribute('aria-expanded', open ? 'true' : 'false');
      detail.hidden = !open;
      li.classList.toggle('is-open', open);
    });
    return li;
  }

  function kv(label, value) {
    return [el('dt', null, label), el('dd', null, value)];
  }

  function headersTable(headers) {
    const names = Object.keys(headers || {}).sort((a, b) => a.localeCompare(b));
    if (!names.length) return el('p', { class: 'c-muted' }, 'none');
    const rows = names.map((n) => el('tr', null, el('th', { scope: 'row' }, n), el('td', null, headers[n])));
    return el('table', { class: 'headers' }, el('tbody', null, ...rows));
  }

  function renderDetail(e) {
    const out = [];
    const problems = e.validation_errors || [];
    if (problems.length) {
      const kind = e.status >= 500 ? 'The mock answered with an error' : `Rejected with ${e.status}: the real API would refuse this request`;
      out.push(el('div', { class: 'problems', role: 'group', 'aria-label': 'Validation problems' },
        el('p', { class: 'problems-title' }, `${kind} (${plural(problems.length, 'problem')})`),
        el('ul', { class: 'validation-errors', 'data-testid': 'validation-errors' },
          ...problems.map((p) => el('li', null,
            el('span', { class: 'problem-code' }, p.code),
            el('span', { class: 'problem-message' }, p.message))))));
    }

    const drift = driftOf(e);
    if (drift.length) {
      out.push(el('div', { class: 'drift', role: 'group', 'aria-label': 'Drift from the document' },
        el('p', { class: 'drift-title' }, `The real API answered, but its answer breaks the document (${plural(drift.length, 'problem')})`),
        el('ul', { class: 'drift-problems', 'data-testid': 'drift-problems' },
          ...drift.map((d) => el('li', null,
            el('span', { class: 'problem-code drift-code' }, d.code),
            el('span', { class: 'problem-message drift-message' }, d.message))))));
    }

    const facts = el('dl', { class: 'facts' },
      ...kv('Operation', e.operation || '—'),
      ...kv('Scenario', e.scenario || '—'),
      ...kv('Fixture', e.fixture || '—'),
      ...kv('Session', e.session || 'global'));

    const resp = e.response || {};
    const req = el('section', { class: 'pane', 'aria-label': 'Request' },
      el('h3', null, 'Request ', el('span', { class: 'pane-sub' }, `${e.method} ${e.path}${e.query ? '?' + e.query : ''}`)),
      e.body !== undefined ? jsonBlock(e.body, 'Request body') : el('p', { class: 'c-muted nobody' }, 'No body.'),
      el('details', { class: 'hdrs' }, el('summary', null, `Headers (${Object.keys(e.headers || {}).length})`), headersTable(e.headers)));
    const res = el('section', { class: 'pane', 'aria-label': 'Response' },
      el('h3', null, 'Response ', statusPill(e.status, 'status-sm')),
      resp.body !== undefined ? jsonBlock(resp.body, 'Response body') : el('p', { class: 'c-muted nobody' }, 'No body.'),
      el('details', { class: 'hdrs' }, el('summary', null, `Headers (${Object.keys(resp.headers || {}).length})`), headersTable(resp.headers)));

    const copy = el('button', { type: 'button', class: 'btn btn-small' }, 'Copy as curl');
    copy.addEventListener('click', () => copyText(curlFor(e, e.scenario), 'the curl command'));

    out.push(el('div', { class: 'detail-bar' }, facts, copy), el('div', { class: 'panes' }, req, res));
    return out;
  }

  // ---- buttons ----------------------------------------------------------------

  async function withButton(btn, work) {
    btn.disabled = true;
    try {
      await work();
    } catch (e) {
      toast(e.message, true);
    } finally {
      btn.disabled = false;
    }
  }

  // refreshAll reloads every panel: forgetting the health key makes
  // loadHealth reload the scenarios and the operations too.
  async function refreshAll() {
    state.healthKey = '';
    try {
      await loadHealth();
      setOnline(true);
    } catch (e) {
      setOnline(false, e.message);
    }
  }

  function wire() {
    $('reset-btn').addEventListener('click', (ev) => withButton(ev.currentTarget, async () => {
      await api('POST', '/reset');
      clearRows();
      toast('State reset: sequences, the log and the served counts start over.');
      await refreshAll();
    }));
    $('clear-btn').addEventListener('click', (ev) => withButton(ev.currentTarget, async () => {
      await api('DELETE', '/requests');
      clearRows();
      toast('Log cleared.');
      await refreshAll();
    }));
    $('log-filter').addEventListener('input', (ev) => {
      state.filter = ev.target.value.trim().toLowerCase();
      refilter();
    });
    $('log-errors-only').addEventListener('change', (ev) => {
      state.errorsOnly = ev.target.checked;
      refilter();
    });
    $('hint-scenario').addEventListener('change', updateHintCurl);
    $('hint-copy').addEventListener('click', () => copyText(state.hintLine, 'the curl command'));
    $('browser-clear').addEventListener('click', () => useInBrowser(''));
    $('base-url').textContent = location.origin;
    for (const n of document.querySelectorAll('.host-name')) n.textContent = location.hostname;
  }

  // loop runs f now and then every `every` ms after it finishes, so slow
  // answers never pile up.
  function loop(f, every) {
    const tick = async () => {
      try {
        await f();
        setOnline(true);
      } catch (e) {
        setOnline(false, e.message);
      }
      setTimeout(tick, every);
    };
    tick();
  }

  function start() {
    wire();
    syncBrowser();
    updateLogMeta();
    loop(loadHealth, HEALTH_EVERY);
    loop(pollLog, LOG_EVERY);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
