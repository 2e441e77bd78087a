/**
 * The pairing page at /pair/device: sign in, enter (or arrive with) the code a device shows,
 * see what it asks for, approve (optionally narrowed, renamed, with an expiry) or deny.
 * Self-contained: plain HTML and a little inline script calling the JSON API, so it works
 * before the admin console exists and within the CSP set in app.setup.ts (inline script
 * and style allowed; no inline event handlers, so listeners are attached in the script).
 * Server values are only ever written with textContent.
 */
export const PAIRING_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Pair a device · pairgate</title>
<style>
  :root { color-scheme: light dark; --fg: #1b1f24; --muted: #57606a; --bg: #ffffff; --card: #f6f8fa;
    --line: #d0d7de; --accent: #0b5cad; --ok: #116329; --warn: #8a4b00; --bad: #a40e26; }
  @media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9da7b3; --bg: #0d1117;
    --card: #161b22; --line: #30363d; --accent: #58a6ff; --ok: #3fb950; --warn: #d29922; --bad: #ff7b72; } }
  * { box-sizing: border-box; }
  body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
  main { max-width: 34rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
  h1 { font-size: 1.5rem; margin: 0 0 1rem; }
  h2 { font-size: 1.15rem; margin: 0 0 .75rem; }
  section { background: var(--card); border: 1px solid var(--line); border-radius: .5rem; padding: 1rem 1.25rem; margin: 0 0 1rem; }
  label { display: block; font-weight: 600; margin: .75rem 0 .25rem; }
  input[type=text], input[type=password], select { width: 100%; padding: .55rem .65rem; font: inherit; color: inherit;
    background: var(--bg); border: 1px solid var(--line); border-radius: .375rem; }
  #user_code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 1.4rem; letter-spacing: .15em; text-transform: uppercase; }
  button { font: inherit; font-weight: 600; padding: .55rem 1.1rem; border-radius: .375rem; border: 1px solid var(--line); cursor: pointer; background: var(--bg); color: var(--fg); }
  button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
  button.danger { color: var(--bad); border-color: var(--bad); }
  button:disabled { opacity: .6; cursor: progress; }
  :focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
  .actions { display: flex; gap: .75rem; flex-wrap: wrap; margin-top: 1rem; }
  .muted { color: var(--muted); font-size: .9rem; }
  .badge { display: inline-block; font-size: .8rem; font-weight: 700; padding: .1rem .5rem; border-radius: 1rem; border: 1px solid; margin-left: .4rem; vertical-align: middle; }
  .badge.verified { color: var(--ok); } .badge.unverified { color: var(--warn); }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: .5rem 0 0; }
  dt { color: var(--muted); } dd { margin: 0; overflow-wrap: anywhere; }
  fieldset { border: 1px solid var(--line); border-radius: .375rem; margin: 1rem 0 0; padding: .5rem .75rem .75rem; }
  legend { font-weight: 600; padding: 0 .25rem; }
  .scope { display: flex; gap: .6rem; align-items: flex-start; margin: .5rem 0; }
  .scope input { margin-top: .3rem; width: 1.1rem; height: 1.1rem; }
  .scope code { font-weight: 600; }
  .notice { border-left: 4px solid var(--accent); padding: .5rem .75rem; margin: 0 0 1rem; background: var(--card); }
  .notice.error { border-color: var(--bad); }
  .notice.success { border-color: var(--ok); }
  .topbar { display: flex; justify-content: space-between; align-items: baseline; gap: 1rem; }
  .link { background: none; border: none; padding: 0; color: var(--accent); text-decoration: underline; font-weight: 400; }
  [hidden] { display: none !important; }
</style>
</head>
<body>
<main>
  <div class="topbar">
    <h1>Pair a device</h1>
    <p id="who" class="muted" hidden><span id="who-name"></span> · <button type="button" class="link" id="sign-out">Sign out</button></p>
  </div>
  <div id="message" class="notice" role="status" aria-live="polite" hidden></div>

  <section id="login-step" aria-labelledby="login-title" hidden>
    <h2 id="login-title">Sign in</h2>
    <p class="muted">Sign in to the account the device should be paired with.</p>
    <form id="login-form" novalidate>
      <label for="username">Username</label>
      <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required>
      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required>
      <div class="actions"><button class="primary" type="submit">Sign in</button></div>
    </form>
  </section>

  <section id="code-step" aria-labelledby="code-title" hidden>
    <h2 id="code-title">Enter the code</h2>
    <form id="code-form" novalidate>
      <label for="user_code">Code shown on the device</label>
      <input id="user_code" name="user_code" type="text" inputmode="text" autocomplete="one-time-code"
        autocapitalize="characters" spellcheck="false" maxlength="9" placeholder="BCDF-GHJK" aria-describedby="code-help" required>
      <p id="code-help" class="muted">8 letters, with or without the dash.</p>
      <div class="actions"><button class="primary" type="submit">Continue</button></div>
    </form>
  </section>

  <section id="review-step" aria-labelledby="review-title" hidden>
    <h2 id="review-title" tabindex="-1">
      <span id="client-name"></span><span id="client-badge" class="badge"></span>
    </h2>
    <p id="client-note" class="muted"></p>
    <dl>
      <dt>Code</dt><dd id="r-code"></dd>
      <dt>Device</dt><dd id="r-device"></dd>
      <dt>Platform</dt><dd id="r-platform"></dd>
      <dt>Requested from</dt><dd id="r-ip"></dd>
      <dt>Requested at</dt><dd id="r-created"></dd>
      <dt>Expires</dt><dd id="r-expires"></dd>
    </dl>
    <form id="approve-form" novalidate>
      <fieldset>
        <legend>It asks to</legend>
        <div id="scopes"></div>
      </fieldset>
      <label for="token-name">Name for this device</label>
      <input id="token-name" name="name" type="text" maxlength="100">
      <label for="expiry">Access expires</label>
      <select id="expiry" name="expiry">
        <option value="">Never</option>
        <option value="1">After 1 day</option>
        <option value="30">After 30 days</option>
        <option value="90">After 90 days</option>
        <option value="365">After 1 year</option>
      </select>
      <div class="actions">
        <button class="primary" type="submit" id="approve">Approve</button>
        <button class="danger" type="button" id="deny">Deny</button>
        <button type="button" id="other-code">Use another code</button>
      </div>
    </form>
  </section>
</main>
<script>
(() => {
  'use strict';
  const KEY = 'pairgate.pairing.session';
  const $ = (id) => document.getElementById(id);
  let token = sessionStorage.getItem(KEY);
  let current = null;

  function show(step) {
    for (const id of ['login-step', 'code-step', 'review-step']) $(id).hidden = id !== step;
    $('who').hidden = !token;
  }
  function say(text, kind) {
    const box = $('message');
    box.textContent = text || '';
    box.className = 'notice' + (kind ? ' ' + kind : '');
    box.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    box.hidden = !text;
  }
  function busy(form, on) {
    for (const b of form.querySelectorAll('button')) b.disabled = on;
  }
  async function api(method, path, body) {
    const headers = { accept: 'application/json' };
    if (token) headers.authorization = 'Bearer ' + token;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const data = res.status === 204 ? null : await res.json().catch(() => null);
    if (res.status === 401 && path !== '/api/auth/login') {
      signOut('Your session ended. Sign in again.');
      throw new Error('signed out');
    }
    if (!res.ok) {
      const retry = res.headers.get('retry-after');
      const err = new Error((data && data.message) || 'Request failed (' + res.status + ')');
      if (res.status === 429 && retry) err.message = 'Too many attempts. Try again in ' + retry + ' seconds.';
      err.status = res.status;
      throw err;
    }
    return data;
  }
  function signOut(text) {
    token = null;
    sessionStorage.removeItem(KEY);
    show('login-step');
    say(text || '', text ? 'error' : '');
    $('username').focus();
  }
  function fmt(iso) {
    try { return new Date(iso).toLocaleString(); } catch { return iso; }
  }
  function startCode(prefill) {
    current = null;
    show('code-step');
    if (prefill !== undefined) $('user_code').value = prefill;
    $('user_code').focus();
  }

  async function lookUp(code) {
    const data = await api('GET', '/api/auth/device/pending?user_code=' + encodeURIComponent(code));
    current = data;
    $('client-name').textContent = data.client_name || 'An unnamed app';
    const badge = $('client-badge');
    badge.textContent = data.client_verified ? 'Verified' : data.client_registered ? 'Registered app' : 'Unverified';
    badge.className = 'badge ' + (data.client_verified ? 'verified' : 'unverified');
    $('client-note').textContent = data.client_verified
      ? 'An administrator registered this app (client id ' + data.client_id + ') and it proved itself with its secret.'
      : data.client_warning;
    $('r-code').textContent = data.user_code;
    $('r-device').textContent = [data.device_name, data.client_device_identifier].filter(Boolean).join(' · ');
    $('r-platform').textContent = [data.platform, data.client_version && 'version ' + data.client_version].filter(Boolean).join(', ') || 'not given';
    $('r-ip').textContent = [data.ip, data.user_agent].filter(Boolean).join(' · ') || 'unknown';
    $('r-created').textContent = fmt(data.created_at);
    $('r-expires').textContent = fmt(data.expires_at);
    const list = $('scopes');
    list.textContent = '';
    data.scopes.forEach((scope, i) => {
      const row = document.createElement('div');
      row.className = 'scope';
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.id = 'scope-' + i;
      box.value = scope.name;
      box.checked = scope.grantable;
      box.disabled = !scope.grantable;
      const label = document.createElement('label');
      label.htmlFor = box.id;
      label.style.fontWeight = '400';
      label.style.margin = '0';
      const name = document.createElement('code');
      name.textContent = scope.name;
      label.append(scope.description + ' ', name);
      if (!scope.grantable) {
        const note = document.createElement('span');
        note.className = 'muted';
        note.textContent = ' (you cannot grant this)';
        label.append(note);
      }
      row.append(box, label);
      list.append(row);
    });
    $('token-name').value = data.device_name || data.client_name || '';
    $('expiry').value = '';
    show('review-step');
    $('review-title').focus();
  }

  $('login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    busy(form, true);
    try {
      const data = await api('POST', '/api/auth/login', { username: $('username').value, password: $('password').value });
      token = data.access_token;
      sessionStorage.setItem(KEY, token);
      $('who-name').textContent = 'Signed in as ' + data.user.username;
      $('password').value = '';
      say('');
      const code = $('user_code').value.trim();
      if (code) { try { await lookUp(code); } catch (err) { startCode(); say(err.message, 'error'); } }
      else startCode();
    } catch (err) {
      say(err.message, 'error');
    } finally { busy(form, false); }
  });

  $('code-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    const code = $('user_code').value.trim();
    if (!code) { say('Enter the code the device shows.', 'error'); $('user_code').focus(); return; }
    busy(form, true);
    try { say(''); await lookUp(code); } catch (err) { if (err.status !== 401) say(err.message, 'error'); }
    finally { busy(form, false); }
  });

  $('approve-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!current) return;
    const form = event.currentTarget;
    const scopes = [...$('scopes').querySelectorAll('input:checked')].map((b) => b.value);
    if (scopes.length === 0) { say('Keep at least one permission, or deny the request.', 'error'); return; }
    const body = { user_code: current.user_code, scopes };
    const name = $('token-name').value.trim();
    if (name) body.name = name;
    if ($('expiry').value) body.expires_in_days = Number($('expiry').value);
    busy(form, true);
    try {
      await api('POST', '/api/auth/device/approve', body);
      startCode('');
      say('Approved. The device will finish signing in within a few seconds.', 'success');
    } catch (err) { if (err.status !== 401) say(err.message, 'error'); }
    finally { busy(form, false); }
  });

  $('deny').addEventListener('click', async () => {
    if (!current) return;
    const form = $('approve-form');
    busy(form, true);
    try {
      await api('POST', '/api/auth/device/deny', { user_code: current.user_code });
      startCode('');
      say('Denied. The device was not paired.', 'success');
    } catch (err) { if (err.status !== 401) say(err.message, 'error'); }
    finally { busy(form, false); }
  });

  $('other-code').addEventListener('click', () => { say(''); startCode(''); });
  $('sign-out').addEventListener('click', () => {
    const old = token;
    signOut('');
    if (old) fetch('/api/auth/logout', { method: 'POST', headers: { authorization: 'Bearer ' + old } }).catch(() => {});
  });

  const prefill = new URLSearchParams(location.search).get('user_code') || '';
  $('user_code').value = prefill;
  if (!token) { show('login-step'); $('username').focus(); return; }
  api('GET', '/api/users/me').then((me) => {
    $('who-name').textContent = 'Signed in as ' + me.username;
    if (prefill) return lookUp(prefill).catch((err) => { startCode(); say(err.message, 'error'); });
    startCode();
  }).catch(() => {});
})();
</script>
</body>
</html>
`;
