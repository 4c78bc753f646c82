// Browser test of the 专家评审 pages against the real `kechuang` binary (see ui.test.mjs): a fresh
// SQLite 济源 demo with its draft round “2026年度济源市科技攻关计划项目评审” (24 items).
//
//   city officer jiyuan: 最优匹配 (proven optimal), candidate reasons, a manual addition, 发布
//   expert zhuanjia (卫建华): 我的评审 → scores the item → submits
//   jiyuan: 评审结果 ranks the item with 卫建华's raw score
//
//   KECHUANG_BIN   the binary (default: $CARGO_TARGET_DIR/debug/kechuang)
//   CHROMIUM       the browser (default /usr/bin/chromium)
//   KECHUANG_URL   use an already running server (with the demo, password below) instead
//
// Screenshots go to e2e/output/review-*.png.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir, homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const HERE = dirname(fileURLToPath(import.meta.url))
const OUT = join(HERE, 'output')
const BIN = process.env.KECHUANG_BIN ?? join(process.env.CARGO_TARGET_DIR ?? join(homedir(), '.cache', 'kechuang-target'), 'debug', 'kechuang')
const PASSWORD = 'Demo2026pass'
const W = 1366
const H = 768
const ROUND = '2026年度济源市科技攻关计划项目评审'
const ITEM = '高纯铅清洁冶炼关键技术研究'
const EXPERT = '卫建华'
// Scores 卫建华 gives, in form order (技术创新性 30, 技术路线可行性 25, 团队与条件保障 20, 预期经济社会效益 25).
const SCORES = [26.5, 21, 17.5, 20.3]
const TOTAL = '85.3'

const tmp = mkdtempSync(join(tmpdir(), 'kc-e2e-review-'))
let server
let serverLog = ''
let base
let context
let page
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

async function shot(name) {
  const file = `review-${name}.png`
  await page.screenshot({ path: join(OUT, file) })
  shots.push(file)
}

/** The page fits the 1366-px window: no horizontal scrolling anywhere. */
async function assertFits() {
  const w = await page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth))
  assert.ok(w <= W, `page is ${w}px wide, wider than ${W}`)
}

async function login(user, password = PASSWORD) {
  await context.clearCookies()
  await page.goto(`${base}/login`)
  await page.locator('input[name=username]').fill(user)
  await page.locator('input[name=password]').fill(password)
  await page.locator('[data-test=login-submit]').click()
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
}

async function logout() {
  await page.locator('[data-test=user-menu]').click()
  await page.locator('.el-dropdown-menu__item', { hasText: '退出登录' }).click()
  await page.locator('.el-message-box__btns .el-button--primary').click()
  await page.waitForURL(/\/login/)
}

async function menu(title) {
  const item = page.locator('.el-menu-item', { hasText: title })
  if (!(await item.isVisible())) await page.locator('.el-sub-menu__title', { hasText: '专家评审' }).click()
  await item.click()
}

async function settled() {
  await page.locator('.el-loading-mask:visible').first().waitFor({ state: 'hidden' }).catch(() => {})
}

async function tab(name) {
  await page.locator('.el-tabs__item', { hasText: name }).click()
  await settled()
}

/** Wait for an ElMessage toast containing `text`. */
async function toast(text) {
  await page.locator('.el-message', { hasText: text }).first().waitFor()
}

async function openRound() {
  await menu('评审轮次')
  await page.locator('[data-test=rounds-table] a', { hasText: ROUND }).click()
  await page.locator('[data-test=round-title]', { hasText: ROUND }).waitFor()
  await settled()
}

before(async () => {
  mkdirSync(OUT, { recursive: true })
  for (const f of readdirSync(OUT)) if (f.startsWith('review-')) rmSync(join(OUT, f))
  if (process.env.KECHUANG_URL) {
    base = process.env.KECHUANG_URL.replace(/\/$/, '')
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
  })
  await context.addInitScript(() => {
    document.addEventListener('DOMContentLoaded', () => {
      const s = document.createElement('style')
      s.textContent = '*, *::before, *::after { transition: none !important; animation: none !important; }'
      document.head.appendChild(s)
    })
  })
  page = context.pages()[0] ?? (await context.newPage())
  page.setDefaultTimeout(20000)
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url())
    if (u.origin === base || u.protocol === 'data:' || u.protocol === 'blob:') return route.continue()
    return route.abort()
  })
})

after(async () => {
  await context?.close()
  server?.kill('SIGTERM')
  rmSync(tmp, { recursive: true, force: true })
  console.log(`e2e review: screenshots in e2e/output: ${shots.join(', ')}`)
  console.log(`e2e review: total ${((Date.now() - started) / 1000).toFixed(1)} s`)
})

describe('专家评审', () => {
  it('officer assigns optimally, explains, adjusts by hand and publishes', async () => {
    await login('jiyuan')
    await menu('评审轮次')
    const round = page.locator('[data-test=rounds-table] tbody tr', { hasText: ROUND })
    await round.waitFor()
    assert.match(await round.innerText(), /准备中/)
    assert.match(await round.innerText(), /24 项/)
    await assertFits()
    await shot('1-rounds')

    await round.locator('a', { hasText: ROUND }).click()
    await page.locator('[data-test=round-title]', { hasText: ROUND }).waitFor()
    await page.locator('[data-test=items-table] tbody tr', { hasText: ITEM }).waitFor()
    assert.equal(await page.locator('[data-test=items-table] tbody tr').count(), 24)
    await assertFits()
    await shot('2-items')

    // 最优匹配: the bound equals the objective, so the page says it is proven optimal.
    await tab('专家分配')
    await page.locator('[data-test=assign-optimal]').click()
    await page.locator('[data-test=proven-optimal]', { hasText: '已证明最优' }).waitFor()
    const summary = await page.locator('[data-test=assign-summary]').innerText()
    const objective = summary.match(/总匹配度\s*([\d.]+)/)?.[1]
    const bound = summary.match(/上界\s*([\d.]+)/)?.[1]
    assert.ok(objective && bound, summary)
    assert.equal(objective, bound, 'bound = objective')
    assert.match(summary, /差距\s*0\.000/)
    const first = page.locator('[data-test=assign-table] tbody tr', { hasText: ITEM })
    await first.locator('text=3 / 3').waitFor()
    await assertFits()
    await shot('3-assign-optimal')

    // The first item's candidates, with reasons; some are excluded (回避).
    await first.locator('button', { hasText: '候选专家' }).click()
    const drawer = page.locator('.el-drawer', { hasText: '候选专家' })
    const cands = drawer.locator('[data-test=candidate-table] tbody tr')
    await cands.filter({ hasText: '已分配（最优匹配）' }).first().waitFor()
    await drawer.locator('[data-test=candidate-status]').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: /^回避（\d+）$/ }).click()
    await cands.first().waitFor()
    const conflicts = await cands.allInnerTexts()
    assert.ok(conflicts.length >= 1 && conflicts.every((t) => t.includes('回避：')), conflicts.join('\n'))
    await shot('4-candidates-conflicts')

    // Add 卫建华 by hand, with a reason.
    await drawer.locator('[data-test=candidate-status]').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: /^全部状态（\d+）$/ }).click()
    await drawer.locator('input[data-test=candidate-q], [data-test=candidate-q] input').fill(EXPERT)
    const wei = cands.filter({ hasText: EXPERT })
    await wei.first().waitFor()
    await wei.first().locator('button', { hasText: '加入' }).click()
    const box = page.locator('.el-message-box', { hasText: '加入专家' })
    await box.waitFor()
    await box.locator('.el-message-box__btns .el-button--primary').click()
    await box.locator('.el-message-box__errormsg', { hasText: '请填写调整理由' }).waitFor()
    await box.locator('.el-message-box__input input').fill('该专家长期从事铅冶炼清洁生产研究，增补为评审专家')
    await box.locator('.el-message-box__btns .el-button--primary').click()
    await toast(`已加入 ${EXPERT}`)
    await page.keyboard.press('Escape')
    await drawer.waitFor({ state: 'hidden' })
    await first.locator('.el-tag', { hasText: `${EXPERT}` }).filter({ hasText: '人工调整' }).waitFor()
    assert.match(await first.innerText(), /4 \/ 3/)
    await shot('5-manual-added')

    await tab('回避情况')
    const ex = page.locator('[data-test=exclusions-table] tbody tr')
    await ex.first().waitFor()
    assert.ok((await ex.count()) > 0)
    await assertFits()
    await shot('6-exclusions')

    // 发布, with the status in the confirmation.
    await page.locator('[data-test=round-publish]').click()
    const confirm = page.locator('.el-message-box', { hasText: '发布评审' })
    await confirm.waitFor()
    assert.match(await confirm.innerText(), /当前状态：准备中/)
    await confirm.locator('.el-message-box__btns .el-button--primary').click()
    await page.locator('[data-test=round-status]', { hasText: '评审中' }).waitFor()
    await tab('评审进度')
    await page.locator('[data-test=progress-table] tbody tr', { hasText: EXPERT }).first().waitFor()
    await assertFits()
    await shot('7-published-progress')
    await logout()
  })

  it('expert 卫建华 scores the item', async () => {
    await login('zhuanjia')
    await menu('我的评审')
    const task = page.locator('[data-test=my-table] tbody tr', { hasText: ITEM })
    await task.waitFor()
    assert.match(await task.innerText(), /待评审/)
    assert.match(await task.innerText(), /2026-12-20/)
    await assertFits()
    await shot('8-my-reviews')

    await task.locator('button', { hasText: '评分' }).click()
    const dlg = page.locator('[data-test=score-dialog]')
    await dlg.locator('[data-test=score-form]').waitFor()
    const inputs = dlg.locator('[data-test=score-form] .el-input-number input')
    assert.equal(await inputs.count(), SCORES.length)
    // Submitting with blanks is refused before it reaches the server.
    await dlg.locator('[data-test=score-submit]').click()
    await toast('请为“')
    for (let i = 0; i < SCORES.length; i++) {
      await inputs.nth(i).fill(String(SCORES[i]))
      await inputs.nth(i).press('Tab')
    }
    await dlg.locator('[data-test=score-total]', { hasText: TOTAL }).waitFor()
    await shot('9-scoring')
    await dlg.locator('[data-test=score-submit]').click()
    await toast(`总分 ${TOTAL} 分`)
    await dlg.waitFor({ state: 'hidden' })
    await page.locator('[data-test=my-filter] .el-radio-button', { hasText: '已提交' }).click()
    const done = page.locator('[data-test=my-table] tbody tr', { hasText: ITEM })
    await done.waitFor()
    assert.match(await done.innerText(), /已提交/)
    assert.match(await done.innerText(), new RegExp(`${TOTAL.replace('.', '\\.')} / 100`))
    await logout()
  })

  it('officer sees the item ranked with the raw score', async () => {
    await login('jiyuan')
    await openRound()
    await tab('评审结果')
    const row = page.locator('[data-test=results-table] > .el-table__inner-wrapper > .el-table__body-wrapper tbody tr.el-table__row', { hasText: ITEM })
    await row.waitFor()
    const cells = await row.locator('td').allInnerTexts()
    assert.equal(cells[1].trim(), '1', `rank: ${cells.join(' | ')}`)
    await row.locator('.el-table__expand-icon').click()
    const reviews = page.locator('[data-test=result-reviews] tbody tr', { hasText: EXPERT })
    await reviews.waitFor()
    assert.match(await reviews.innerText(), new RegExp(TOTAL.replace('.', '\\.')))
    await page.locator('[data-test=reviewers-table] tbody tr', { hasText: EXPERT }).waitFor()
    await assertFits()
    await shot('10-results')

    await menu('专家库')
    await page.locator('[data-test=experts-table] tbody tr').first().waitFor()
    await assertFits()
    await shot('11-experts')
  })
})
