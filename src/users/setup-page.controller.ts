import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators.js';
import { SetupService } from './setup.service.js';

// A self-contained page (no build step) for the printed setup URL; it posts to /api/setup.
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>pairgate setup</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 26rem; margin: 3rem auto; padding: 0 1rem; color: #1b1f24; }
  h1 { font-size: 1.4rem; }
  label { display: block; margin-top: 1rem; font-weight: 600; }
  input { width: 100%; box-sizing: border-box; padding: .5rem; font: inherit; border: 1px solid #8c959f; border-radius: 6px; }
  button { margin-top: 1.5rem; padding: .6rem 1.2rem; font: inherit; background: #1f6feb; color: #fff; border: 0; border-radius: 6px; cursor: pointer; }
  [role=alert] { margin-top: 1rem; padding: .75rem; border-radius: 6px; background: #ffebe9; }
  .ok { background: #dafbe1; }
</style>
</head>
<body>
<main>
  <h1>Create the first admin</h1>
  <p>Use the setup code printed in the server log.</p>
  <form id="setup">
    <label for="code">Setup code</label>
    <input id="code" name="setup_code" required autocomplete="one-time-code">
    <label for="username">Username</label>
    <input id="username" name="username" required minlength="3" maxlength="64" autocomplete="username">
    <label for="email">Email (optional)</label>
    <input id="email" name="email" type="email" autocomplete="email">
    <label for="password">Password</label>
    <input id="password" name="password" type="password" required minlength="8" autocomplete="new-password">
    <button type="submit">Create admin</button>
  </form>
  <div id="result" role="alert" hidden></div>
</main>
<script>
  const form = document.getElementById('setup');
  const result = document.getElementById('result');
  document.getElementById('code').value = new URLSearchParams(location.search).get('code') || '';
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = Object.fromEntries(new FormData(form));
    if (!body.email) delete body.email;
    const res = await fetch('/api/setup', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const data = await res.json().catch(() => ({}));
    result.hidden = false;
    result.className = res.ok ? 'ok' : '';
    result.textContent = res.ok ? 'Admin "' + data.username + '" created. You can sign in now.' : (data.message || 'Setup failed');
    if (res.ok) form.hidden = true;
  });
</script>
</body>
</html>`;

// Once an admin exists, the page says so instead of offering a form that can only fail.
const FINISHED = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>pairgate setup</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 26rem; margin: 3rem auto; padding: 0 1rem; color: #1b1f24; }
</style>
</head>
<body>
<main>
  <h1>Setup is finished</h1>
  <p>An admin account already exists, so there is nothing to set up. Sign in with it, or ask
  an admin to create an account for you.</p>
</main>
</body>
</html>`;

@ApiExcludeController()
@Controller('setup')
@Public()
export class SetupPageController {
  constructor(private readonly setup: SetupService) {}

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  async page(): Promise<string> {
    return (await this.setup.isRequired()) ? PAGE : FINISHED;
  }
}
