// The start-up and login harness shared by the browser tests (*.test.mjs): a free port, the real
// `kechuang` binary serving a fresh SQLite file with the 济源 demo, Debian's /usr/bin/chromium
// driven by playwright-core in a 1366×768 window, login/logout, screenshots.
//
//   KECHUANG_BIN   the binary (default: $CARGO_TARGET_DIR/debug/kechuang)
//   CHROMIUM       the browser (default /usr/bin/chromium)
//   KECHUANG_URL   (files set up with `external: true`) use an already running server with a
//                  fresh demo instead; its demo password in KECHUANG_DEMO_PASSWORD
//   KECHUANG_WEB_DIST  serve the UI to the browser from this directory (e.g. ../web/dist after
//                  `npm run build`) instead of the one embedded in the binary: UI changes can be
//                  tested without recompiling. The API still comes from the binary.
//
// Usage: `setup({...})` once at the top of a test file registers the before/after hooks; the
// exported `page`, `context`, `base`, `tmp` and `serverLog` are live bindings, set once the
// before hook has run.
import { after, before } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir, homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

export const HERE = dirname(fileURLToPath(import.meta.url))
export const OUT = join(HERE, 'output')
export const BIN = process.env.KECHUANG_BIN ?? join(process.env.CARGO_TARGET_DIR ?? join(homedir(), '.cache', 'kechuang-target'), 'debug', 'kechuang')
export const W = 1366
export const H = 768

/** The demo accounts' password (KECHUANG_DEMO_PASSWORD only with an external server). */
export let PASSWORD = 'Demo2026pass'
/** A temporary directory of this test file (SQLite file, browser profile, files to upload). */
export let tmp
export let base
export let context
export let page
/** Everything the server printed so far (stdout and stderr). */
export let serverLog = ''
/** Figures printed after the run (`name → value`). */
export const metrics = {}

let server
let opts
const shots = []
const started = Date.now()

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

async function waitForServer(url, ms = 60000) {
  const until = Date.now() + ms
  while (Date.now() < until) {
    if (server && server.exitCode !== null) throw new Error(`kechuang exited early:\n${serverLog}`)
    try {
      const r = await fetch(`${url}/api/v1/auth/me`)
      if (r.status === 401) return
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`kechuang did not start:\n${serverLog}`)
}

/**
 * Register the before/after hooks of one test file.
 *
 * - `name`: used for the temporary directory and the log lines (`e2e <name>: ...`; '' → `e2e:`)
 * - `shotPrefix`: prepended to every screenshot's file name (default `${name}-`)
 * - `clean(file)`: which files of e2e/output to delete first (default: those with the prefix)
 * - `external`: allow KECHUANG_URL (an already running server)
 * - `acceptDownloads`: the browser context accepts downloads
 * - `timeout`: the page's default timeout in ms (default 20 s)
 * - `clearCookies`: `login` clears the cookies first (default true)
 */
export function setup(options = {}) {
  const name = options.name ?? ''
  const shotPrefix = options.shotPrefix ?? (name ? `${name}-` : '')
  opts = {
    name,
    shotPrefix,
    clean: options.clean ?? ((f) => f.startsWith(shotPrefix)),
    external: options.external ?? false,
    acceptDownloads: options.acceptDownloads ?? false,
    timeout: options.timeout ?? 20000,
    clearCookies: options.clearCookies ?? true,
  }
  tmp = mkdtempSync(join(tmpdir(), name ? `kc-e2e-${name}-` : 'kc-e2e-'))
  const label = name ? `e2e ${name}` : 'e2e'

  before(async () => {
    mkdirSync(OUT, { recursive: true })
    for (const f of readdirSync(OUT)) if (opts.clean(f)) rmSync(join(OUT, f), { recursive: true, force: true })
    if (opts.external && process.env.KECHUANG_URL) {
      base = process.env.KECHUANG_URL.replace(/\/$/, '')
      PASSWORD = process.env.KECHUANG_DEMO_PASSWORD ?? PASSWORD
    } else {
      assert.ok(statSync(BIN).isFile(), `binary not found: ${BIN}`)
      const port = await freePort()
      base = `http://127.0.0.1:${port}`
      server = spawn(BIN, ['serve', '--demo', '--listen', `127.0.0.1:${port}`, '--database-url', `sqlite://${join(tmp, 'k.db')}`], {
        env: { ...process.env, KECHUANG_DEMO_PASSWORD: PASSWORD, RUST_LOG: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      server.stdout.on('data', (d) => (serverLog += d))
      server.stderr.on('data', (d) => (serverLog += d))
    }
    await waitForServer(base)
    context = await chromium.launchPersistentContext(join(tmp, 'profile'), {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      viewport: { width: W, height: H },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      ...(opts.acceptDownloads ? { acceptDownloads: true } : {}),
    })
    // No CSS transitions or animations: screenshots show settled dialogs, and nothing waits on them.
    await context.addInitScript(() => {
      document.addEventListener('DOMContentLoaded', () => {
        const s = document.createElement('style')
        s.textContent = '*, *::before, *::after { transition: none !important; animation: none !important; }'
        document.head.appendChild(s)
      })
    })
    page = context.pages()[0] ?? (await context.newPage())
    page.setDefaultTimeout(opts.timeout)
    // Nothing may be fetched from anywhere but the binary itself. With KECHUANG_WEB_DIST the
    // pages and assets come from that directory instead (a UI rebuilt after the binary).
    const dist = process.env.KECHUANG_WEB_DIST
    await context.route('**/*', (route) => {
      const u = new URL(route.request().url())
      if (dist && u.origin === base && !u.pathname.startsWith('/api/')) {
        const file = u.pathname.startsWith('/assets/') ? join(dist, u.pathname) : join(dist, 'index.html')
        if (!existsSync(file)) return route.fulfill({ status: 404, body: 'not found' })
        return route.fulfill({ path: file })
      }
      if (u.origin === base || u.protocol === 'data:' || u.protocol === 'blob:') return route.continue()
      return route.abort()
    })
  })

  after(async () => {
    await context?.close()
    server?.kill('SIGTERM')
    rmSync(tmp, { recursive: true, force: true })
    console.log(`${label}: screenshots in e2e/output: ${shots.join(', ')}`)
    for (const [k, v] of Object.entries(metrics)) console.log(`${label} metric: ${k} = ${v}`)
    console.log(`${label}: total ${((Date.now() - started) / 1000).toFixed(1)} s`)
  })
}

/** Save a screenshot of the page as e2e/output/<prefix><name>.png. */
export async function shot(name) {
  const file = `${opts.shotPrefix}${name}.png`
  await page.screenshot({ path: join(OUT, file) })
  shots.push(file)
}

/** The page fits the 1366-px window: no horizontal scrolling anywhere. */
export async function assertFits() {
  const w = await page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth))
  assert.ok(w <= W, `page is ${w}px wide, wider than ${W}`)
}

/**
 * The administrator's initial password: the server writes it to `initial-credentials.txt`
 * beside the database (owner-readable only), never to its log. Null with an external server.
 */
/** The first start's password of `account` (admin, secadmin, auditadmin: 三员分立). */
export function initialAdminPassword(account = 'admin') {
  const file = join(tmp, 'initial-credentials.txt')
  if (!existsSync(file)) return null
  const re = new RegExp(`账号 ${account}，初始密码\\s*([A-Za-z0-9]+)`)
  return readFileSync(file, 'utf8').match(re)?.[1] ?? null
}

export async function login(user, password = PASSWORD) {
  if (opts.clearCookies) await context.clearCookies()
  await page.goto(`${base}/login`)
  await page.locator('input[name=username]').fill(user)
  await page.locator('input[name=password]').fill(password)
  await page.locator('[data-test=login-submit]').click()
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
}

export async function logout() {
  await page.locator('[data-test=user-menu]').click()
  await page.locator('.el-dropdown-menu__item', { hasText: '退出登录' }).click()
  await page.locator('.el-message-box__btns .el-button--primary').click()
  await page.waitForURL(/\/login/)
}

/** A function opening a menu item of the side-menu group `group` (expanding it when collapsed). */
export function menuIn(group) {
  return async (title) => {
    const item = page.locator('.el-menu-item', { hasText: title })
    if (!(await item.isVisible())) await page.locator('.el-sub-menu__title', { hasText: group }).click()
    await item.click()
  }
}

/** Wait until no visible loading mask is left. */
export async function settled() {
  await page.locator('.el-loading-mask:visible').first().waitFor({ state: 'hidden' }).catch(() => {})
}

/** Click the tab `name` and wait for its data. */
export async function tab(name) {
  await page.locator('.el-tabs__item', { hasText: name }).click()
  await settled()
}

/** Wait for an ElMessage toast containing `text`. */
export async function toast(text) {
  await page.locator('.el-message', { hasText: text }).first().waitFor()
}

// ---- what no step may leave behind (used by the journeys) ----

/** Problems seen since `watchProblems()`: page errors, console errors, and with `api` any API
 * answer ≥ 400 (but the login page's 401 probe of /auth/me). */
export const problems = []
let watching = false

/** Start collecting problems (once per file). Error toasts are kept in sessionStorage, so none
 * is missed between two checks or across a navigation. */
export async function watchProblems({ api = false } = {}) {
  if (watching) return
  watching = true
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  page.on('console', (m) => {
    // The login page probes /auth/me before anyone is signed in.
    if (m.type() === 'error' && !/status of 401/.test(m.text())) problems.push(`console: ${m.text()}`)
  })
  if (api) {
    page.on('response', (r) => {
      const u = new URL(r.url())
      if (u.pathname.startsWith('/api/') && r.status() >= 400 && !(r.status() === 401 && u.pathname === '/api/v1/auth/me')) {
        problems.push(`${r.status()} ${r.request().method()} ${u.pathname}`)
      }
    })
  }
  await context.addInitScript(() => {
    new MutationObserver(() => {
      for (const el of document.querySelectorAll('.el-message--error:not([data-seen])')) {
        el.setAttribute('data-seen', '1')
        const seen = JSON.parse(sessionStorage.getItem('kc-error-toasts') ?? '[]')
        sessionStorage.setItem('kc-error-toasts', JSON.stringify([...seen, el.textContent.trim()]))
      }
    }).observe(document, { childList: true, subtree: true })
  })
}

/** Assert that no problem and no error toast was seen. */
export async function noProblems() {
  const toasts = await page.evaluate(() => JSON.parse(sessionStorage.getItem('kc-error-toasts') ?? '[]'))
  assert.deepEqual([...problems, ...toasts.map((t) => `error toast: ${t}`)], [])
}
