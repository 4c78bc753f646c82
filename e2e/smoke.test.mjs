// Smoke test of every page a user can reach from the side menu, as every demo role, against the
// real `kechuang` binary with a fresh 济源 demo at 1366×768: each sub-menu is expanded and each
// item clicked (no typed URLs), and on a list the first row's detail (its 详情/查看 button, else
// its link) is opened and left again. What a user would see go wrong is collected over the whole
// walk and reported per role at the end, so one run names every broken page:
//   an uncaught page error, a console error, an error toast or error alert, a page that fails to
//   load or is refused, an API answer ≥ 500 or 403, a page wider than the window.
//
//   KECHUANG_BIN, CHROMIUM, KECHUANG_WEB_DIST  as in harness.mjs
//
// Screenshots: e2e/output/smoke-<role>-<nn>-<page>.png for each page with a problem, and each
// role's home page.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { initialAdminPassword, login, page, PASSWORD, serverLog, setup, shot, W } from './harness.mjs'

setup({ name: 'smoke' })

/** Where the walk is: every problem is reported with it. */
const at = { role: '', page: '' }
const problems = []
const note = (what) => problems.push(`${at.role} · ${at.page}: ${what}`)

/** API requests still running: a page has settled when none has been for a moment. */
let inflight = 0
const isApi = (r) => new URL(r.url()).pathname.startsWith('/api/')

function watch() {
  page.on('pageerror', (e) => note(`page error: ${e.message}`))
  page.on('console', (m) => {
    if (m.type() === 'error') note(`console error: ${m.text()}`)
  })
  page.on('request', (r) => isApi(r) && inflight++)
  page.on('requestfinished', (r) => isApi(r) && inflight--)
  page.on('requestfailed', (r) => isApi(r) && inflight--)
  page.on('response', async (r) => {
    if (!isApi(r.request()) || (r.status() < 500 && r.status() !== 403)) return
    const body = await r.text().catch(() => '')
    note(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}${new URL(r.url()).search} ${body.slice(0, 300)}`)
  })
}

/** Error toasts vanish after a few seconds: each is recorded as it appears. */
function recordToasts() {
  window.__kcToasts = []
  new MutationObserver((changes) => {
    for (const c of changes)
      for (const n of c.addedNodes)
        if (n instanceof HTMLElement)
          for (const m of [n, ...n.querySelectorAll('.el-message--error')]) if (m.matches('.el-message--error')) window.__kcToasts.push(m.innerText.trim())
    // `document`: its root element does not exist yet when this runs.
  }).observe(document, { childList: true, subtree: true })
}

/** No API call running for 150 ms and no loading mask left. */
async function settle() {
  const until = Date.now() + 20000
  let quietSince = 0
  while (Date.now() < until) {
    if (inflight > 0) quietSince = 0
    else if (!quietSince) quietSince = Date.now()
    else if (Date.now() - quietSince >= 150) break
    await page.waitForTimeout(25)
  }
  if (Date.now() >= until) note('API calls still running after 20 s')
  await page.locator('.el-loading-mask:visible').first().waitFor({ state: 'hidden', timeout: 10000 }).catch(() => note('still loading after 10 s'))
}

/** What the page shows wrong now: error toasts since the last look, error alerts, load errors, width. */
async function look() {
  const toasts = await page.evaluate(() => (window.__kcToasts ?? []).splice(0))
  for (const t of toasts) note(`error toast: ${t}`)
  for (const t of await page.locator('.el-alert--error:visible').allInnerTexts()) note(`error alert: ${t.trim()}`)
  for (const t of await page.locator('[data-test=load-error]:visible').allInnerTexts()) note(`load error: ${t.replace(/\s+/g, ' ').trim()}`)
  const w = await page.evaluate(() => {
    const main = document.querySelector('.main')
    return {
      doc: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
      main: main ? main.scrollWidth - main.clientWidth : 0,
    }
  })
  if (w.doc > W) note(`page is ${w.doc} px wide, wider than ${W}`)
  if (w.main > 1) note(`content scrolls sideways by ${w.main} px`)
}

const crumb = () => page.locator('[data-test=breadcrumb] .el-breadcrumb__inner').last().innerText().then((t) => t.trim())

/** The side menu with every sub-menu expanded: [{ group, title }] in the order shown. */
async function menuItems() {
  const closed = page.locator('.aside .el-sub-menu:not(.is-opened) > .el-sub-menu__title')
  while ((await closed.count()) > 0) await closed.first().click()
  return page.locator('.aside .el-menu-item').evaluateAll((els) =>
    els.map((e) => ({
      group: e.closest('.el-sub-menu')?.querySelector(':scope > .el-sub-menu__title')?.textContent.trim() ?? '',
      title: e.textContent.trim(),
    })),
  )
}

async function openMenu({ group, title }) {
  const item = page.locator('.aside .el-menu-item').filter({ hasText: new RegExp(`^\\s*${title}\\s*$`) })
  if (group && !(await item.isVisible())) await page.locator('.aside .el-sub-menu__title', { hasText: group }).click()
  await item.click()
  await page.waitForFunction(
    (t) => [...document.querySelectorAll('[data-test=breadcrumb] .el-breadcrumb__inner')].pop()?.textContent.trim() === t,
    title,
    { timeout: 10000 },
  ).catch(async () => note(`the menu item did not open its page (shows “${await crumb()}”)`))
  await settle()
}

/**
 * The first row of the page's first table: its 详情/查看 button, else its first link, opened,
 * looked at and left (back for a page, Escape for a drawer or dialog). Returns what was opened.
 */
async function openFirstRow() {
  const row = page.locator('.main .el-table__body-wrapper tbody tr.el-table__row:visible').first()
  if ((await row.count()) === 0) return null
  const button = row.locator('button:visible').filter({ hasText: /^\s*(详情|查看)/ }).first()
  const link = row.locator('a:visible').first()
  const target = (await button.count()) ? button : (await link.count()) ? link : null
  if (!target) return null
  const label = (await target.innerText()).trim()
  const before = page.url()
  const overlays = page.locator('.el-drawer:visible, .el-dialog:visible')
  await target.click()
  const opened = await Promise.any([
    page.waitForURL((u) => u.href !== before, { timeout: 5000 }),
    overlays.first().waitFor({ timeout: 5000 }),
  ]).then(() => true, () => false)
  await settle()
  if (!opened) {
    note(`the first row's “${label}” opened nothing`)
    return label
  }
  const navigated = page.url() !== before
  const list = at.page
  at.page = `${list} → ${navigated ? await crumb() : label}`
  await look()
  at.page = list
  if (navigated) {
    await page.goBack()
    await page.waitForURL(before)
  } else {
    await page.keyboard.press('Escape')
    await overlays.first().waitFor({ state: 'hidden', timeout: 5000 }).catch(() => note(`the “${label}” drawer or dialog did not close on Escape`))
  }
  await settle()
  return label
}

/** Log in; an account that must change its password first does so (→ `fresh`) and logs in again. */
async function enter(user, password, fresh) {
  await login(user, password)
  if (!new URL(page.url()).pathname.startsWith('/profile/password')) return
  const inputs = page.locator('.pw-card input[type=password]')
  await inputs.nth(0).fill(password)
  await inputs.nth(1).fill(fresh)
  await inputs.nth(2).fill(fresh)
  await page.locator('.pw-card .el-button--primary').click()
  const refused = page.locator('.pw-card .el-form-item__error, .el-message--error').first()
  await Promise.race([page.waitForURL(/\/login/), refused.waitFor()])
  assert.match(page.url(), /\/login/, `${user}: the new password was refused: ${await refused.innerText().catch(() => '')}`)
  await login(user, fresh)
}

/** Walk every menu page of `role` (and each list's first row); the problems found. */
async function walk(role) {
  at.role = role
  at.page = '登录'
  const start = problems.length
  await page.locator('[data-test=breadcrumb]').waitFor()
  await settle()
  const items = await menuItems()
  assert.ok(items.length > 0, `${role}: no menu`)
  let pages = 0
  const walked = []
  for (const [i, item] of items.entries()) {
    at.page = item.group ? `${item.group}/${item.title}` : item.title
    const seen = problems.length
    await openMenu(item)
    await look()
    pages++
    const name = `${role}-${String(i + 1).padStart(2, '0')}-${item.title}`
    if (problems.length > seen || i === 0) await shot(name)
    const detailSeen = problems.length
    const detail = await openFirstRow()
    if (detail) pages++
    walked.push(detail ? `${item.title}（${detail}）` : item.title)
    if (problems.length > detailSeen) await shot(`${name}-详情`)
  }
  at.page = '—'
  console.log(`smoke ${role}: ${items.length} menu pages, ${pages} pages opened: ${walked.join('、')}`)
  totals.pages += pages
  totals.menu += items.length
  return problems.slice(start)
}

const totals = { pages: 0, menu: 0 }

const ROLES = [
  ['jiyuan', '济源市科技局 officer'],
  ['mengzhou', 'county officer'],
  ['henan', 'province leader'],
  ['qiye', 'enterprise'],
  ['dengji', 'technology-contract registrar'],
  ['zhuanjia', 'expert'],
  ['tepai', 'science and technology commissioner'],
  ['auditor', 'auditor'],
]

describe('smoke: every menu page as every role', () => {
  before(async () => {
    watch()
    await page.context().addInitScript(recordToasts)
  })
  after(() => {
    console.log(`smoke: ${totals.menu} menu pages, ${totals.pages} pages with the first rows' details, over all roles`)
    if (problems.some((p) => p.includes('ERR_CONNECTION_REFUSED'))) console.log(`smoke: the server stopped; its log:\n${serverLog.slice(-3000)}`)
  })

  for (const [user, who] of ROLES) {
    it(`${user} (${who}) opens every page of its menu without an error`, async () => {
      at.role = user
      await enter(user, PASSWORD, 'Smoke2026pass')
      const found = await walk(user)
      assert.deepEqual(found, [], `\n${found.join('\n')}`)
    })
  }

  it('admin opens every page of its menu without an error', async (t) => {
    const initial = initialAdminPassword()
    if (!initial) return t.skip('no initial credentials file (an external server)')
    at.role = 'admin'
    await enter('admin', initial, 'Smoke2026pass')
    const found = await walk('admin')
    assert.deepEqual(found, [], `\n${found.join('\n')}`)
  })
})
