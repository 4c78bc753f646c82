// Browser test of the 科技计划项目 pages against the real `kechuang` binary (see ui.test.mjs): a
// fresh SQLite 济源 demo with its two open calls, the 揭榜挂帅 one (eligibility: hnte
// meets_measurable, which qiye's 济源国泰环保 passes) and the 公开竞争 one.
//
//   enterprise qiye: 项目指南 → 申报 (a refusal first: no integrity pledge), then for each call an
//                    application (lump sum / itemized budget, one milestone, pledge) submitted
//   city officer jiyuan: 形式审查 → 通过 → 提交会审 → 会审决策 (over budget refused, then approved
//                    with an amount) → 签订任务书 → 启动实施
//   qiye: 申请验收;  jiyuan: 验收通过，结题 → 已结题 with the whole history
//
//   KECHUANG_BIN   the binary (default: $CARGO_TARGET_DIR/debug/kechuang)
//   CHROMIUM       the browser (default /usr/bin/chromium)
//   KECHUANG_URL   use an already running server (with a fresh demo) instead; its demo password
//                  in KECHUANG_DEMO_PASSWORD
//
// Screenshots go to e2e/output/projects-*.png.
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
const PASSWORD = process.env.KECHUANG_DEMO_PASSWORD ?? 'Demo2026pass'
const W = 1366
const H = 768

const tmp = mkdtempSync(join(tmpdir(), 'kc-e2e-projects-'))
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
  const file = `projects-${name}.png`
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
  if (!(await item.isVisible())) await page.locator('.el-sub-menu__title', { hasText: '科技计划项目' }).click()
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

before(async () => {
  mkdirSync(OUT, { recursive: true })
  for (const f of readdirSync(OUT)) if (f.startsWith('projects-')) rmSync(join(OUT, f))
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
  console.log(`e2e projects: screenshots in e2e/output: ${shots.join(', ')}`)
  console.log(`e2e projects: total ${((Date.now() - started) / 1000).toFixed(1)} s`)
})

const CHALLENGE = '2026年度济源市铅冶炼烟气深度治理“揭榜挂帅”项目'
const OPEN = '2026年度济源市科技攻关计划（公开竞争）'
const PROJECTS = [
  { call: CHALLENGE, title: '铅冶炼烟气二氧化硫深度脱除与稳定运行技术', lump: '1800000', grant: '1600000', grantText: '1,600,000.00' },
  { call: OPEN, title: '再生铅冶炼废气协同治理关键技术研究', lines: [['设备费', '300000'], ['材料费', '120000.5'], ['测试化验加工费', '79999.5']], total: '500,000.00', grant: '450000', grantText: '450,000.00' },
]
const STEPS = ['提交申报（一次报送）', '开始形式审查', '形式审查通过，进入专家评审', '提交会审', '批准立项', '签订任务书', '启动实施', '申请验收', '验收通过，结题']

/** An el-input by its data-test (Element Plus puts the attribute on the <input> itself). */
const inp = (name) => `[data-test=${name}] input, input[data-test=${name}]`

async function confirmBox(title) {
  const box = page.locator('.el-message-box', { hasText: title })
  await box.waitFor()
  await box.locator('.el-message-box__btns .el-button--primary').click()
  await box.waitFor({ state: 'hidden' })
}

async function openProject(title) {
  await menu('项目管理')
  await page.locator('[data-test=apps-table] a', { hasText: title }).click()
  await page.locator('[data-test=app-title]', { hasText: title }).waitFor()
  await settled()
}

/** Take one state-machine action on the open detail page and wait for the new status. */
async function act(action, status) {
  const b = page.locator(`[data-test=act-${action}]`)
  const text = (await b.innerText()).trim()
  await b.click()
  await confirmBox(text)
  await page.locator('[data-test=app-status]', { hasText: status }).waitFor()
}

async function startApplication(call) {
  await menu('项目指南')
  const row = page.locator('[data-test=calls-table] > .el-table__inner-wrapper > .el-table__body-wrapper tbody tr.el-table__row', { hasText: call })
  await row.locator('[data-test=call-apply]').click()
  await page.locator('[data-test=apply-call]', { hasText: call }).waitFor()
  await settled()
}

async function fillApplication(p) {
  await page.locator(inp('af-title')).fill(p.title)
  // The leader is one of qiye's own persons, preselected.
  const leader = await page.locator('.el-form-item', { hasText: '项目负责人' }).first().innerText()
  assert.match(leader, /项目负责人\s+\S/, `leader: ${leader}`)
  assert.ok(!leader.includes('从本单位人才库选择'), `leader: ${leader}`)
  if (p.lump) {
    await page.locator('[data-test=af-lump]').click()
    await page.locator(inp('af-lump-amount')).fill(p.lump)
  } else {
    const rows = page.locator('[data-test=af-budget] tbody tr')
    for (let i = 2; i < p.lines.length; i++) await page.locator('button', { hasText: '添加科目' }).click()
    for (let i = 0; i < p.lines.length; i++) {
      const inputs = rows.nth(i).locator('input')
      await inputs.nth(0).fill(p.lines[i][0])
      await inputs.nth(1).fill(p.lines[i][1])
    }
    await page.locator('[data-test=af-total]', { hasText: p.total }).waitFor()
  }
  await page.locator('[data-test=af-add-milestone]').click()
  const m = page.locator('[data-test=af-milestones] tbody tr').first().locator('input')
  await m.nth(0).fill('中试装置建成')
  await m.nth(1).fill('2027-06-30')
  await m.nth(1).press('Enter')
  await m.nth(2).fill('中试装置连续运行720小时，出口二氧化硫≤35mg/m³')
  await page.locator('[data-test=apply-form] .el-divider', { hasText: '伦理与诚信' }).click()
}

async function submitApplication() {
  await page.locator('[data-test=af-submit]').click()
  await confirmBox('提交申报')
}

describe('科技计划项目', () => {
  it('enterprise sees the calls, is refused without the pledge, and applies to both', async () => {
    await login('qiye')
    await menu('项目指南')
    const rows = page.locator('[data-test=calls-table] > .el-table__inner-wrapper > .el-table__body-wrapper tbody tr.el-table__row')
    const ch = rows.filter({ hasText: CHALLENGE })
    await ch.waitFor()
    assert.match(await ch.innerText(), /揭榜挂帅/)
    assert.match(await ch.innerText(), /申报中/)
    assert.match(await ch.locator('[data-test=challenge-target]').innerText(), /二氧化硫/)
    assert.match(await rows.filter({ hasText: OPEN }).innerText(), /公开竞争/)
    assert.match(await ch.innerText(), /须满足高新技术企业认定/)
    await assertFits()
    await shot('1-calls-enterprise')

    // The persons of qiye's own organization: make one when the demo has none.
    const persons = await page.evaluate(async () => {
      const me = await (await fetch('/api/v1/auth/me')).json()
      const r = await (await fetch(`/api/v1/persons?org_id=${me.user.org_id}`)).json()
      if (r.total > 0) return r.total
      const c = await fetch('/api/v1/persons', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
        body: JSON.stringify({ name: '王建设', org_id: me.user.org_id, title: '高级工程师', disciplines: ['环境科学与工程'], keywords: ['烟气治理'] }),
      })
      if (!c.ok) throw new Error(`person: ${c.status} ${await c.text()}`)
      return 1
    })
    assert.ok(persons >= 1)

    // 揭榜挂帅, lump sum; first without the pledge: the server's Chinese reason is shown.
    const [a, b] = PROJECTS
    await startApplication(a.call)
    await fillApplication(a)
    await assertFits()
    await shot('2-apply-lump-sum')
    await submitApplication()
    await page.locator('[data-test=apply-refusal]', { hasText: '提交前须签署科研诚信承诺书' }).waitFor()
    await shot('3-refused-no-pledge')
    await page.locator('[data-test=af-pledge]').click()
    await submitApplication()
    await page.locator('[data-test=app-status]', { hasText: '已提交' }).waitFor()
    await assertFits()
    await shot('4-submitted')

    // 公开竞争, itemized budget with a live total, pledge signed.
    await startApplication(b.call)
    await fillApplication(b)
    await page.locator('[data-test=af-pledge]').click()
    await shot('5-apply-itemized')
    await submitApplication()
    await page.locator('[data-test=app-status]', { hasText: '已提交' }).waitFor()

    await menu('项目管理')
    for (const p of PROJECTS) assert.match(await page.locator('[data-test=apps-table] tbody tr', { hasText: p.title }).innerText(), /已提交/)
    await assertFits()
    await shot('6-applications-enterprise')
    await logout()
  })

  it('officer checks, sends to the panel, decides within the budget, contracts and starts', async () => {
    await login('jiyuan')
    for (const p of PROJECTS) {
      await openProject(p.title)
      await act('start_formal_check', '形式审查')
      await act('pass_formal_check', '专家评审')
      await act('to_panel', '会审决策')
      if (p === PROJECTS[0]) {
        await assertFits()
        await shot('7-officer-detail-panel-stage')
      }
      await page.locator('[data-test=go-panel]').click()
      await page.locator('[data-test=panel-call]', { hasText: p.call }).waitFor()
      const row = page.locator('[data-test=panel-table] tbody tr', { hasText: p.title })
      await row.waitFor()
      const amount = row.locator(inp('panel-amount'))
      if (p === PROJECTS[1]) {
        // Over the call's budget (3,000,000): refused on the page before reaching the server.
        await amount.fill('3500000')
        await page.locator('[data-test=panel-over]', { hasText: '超出指南预算' }).waitFor()
        await page.locator('[data-test=panel-submit]').click()
        await page.locator('[data-test=panel-error]', { hasText: '不能提交' }).waitFor()
        await assertFits()
        await shot('8-panel-over-budget')
      }
      await amount.fill(p.grant)
      await page.locator('[data-test=panel-sum]', { hasText: p.grantText }).waitFor()
      await shot(p === PROJECTS[0] ? '9-panel-challenge' : '10-panel-open')
      await page.locator('[data-test=panel-submit]').click()
      await confirmBox('提交会审决定')
      await toast('会审决定已提交')
      await page.locator('[data-test=panel-table] tbody tr', { hasText: p.title }).waitFor({ state: 'detached' })

      await openProject(p.title)
      assert.match(await page.locator('[data-test=app-status]').innerText(), /已立项/)
      assert.match(await page.locator('[data-test=app-granted]').innerText(), new RegExp(p.grantText.replace(/\./g, '\\.')))
      await act('sign_contract', '已签任务书')
      await act('start', '执行中')
    }
    await menu('项目管理')
    await assertFits()
    await shot('11-applications-officer')
    await logout()
  })

  it('enterprise requests acceptance', async () => {
    await login('qiye')
    for (const p of PROJECTS) {
      await openProject(p.title)
      assert.equal(await page.locator('[data-test=act-close]').count(), 0)
      await act('request_acceptance', '验收中')
    }
    await logout()
  })

  it('officer closes both; the detail shows 已结题 and the whole history', async () => {
    await login('jiyuan')
    for (const p of PROJECTS) {
      await openProject(p.title)
      await act('close', '已结题')
      const items = page.locator('[data-test=app-history] .el-timeline-item')
      await items.nth(STEPS.length - 1).waitFor()
      const texts = await items.allInnerTexts()
      assert.equal(texts.length, STEPS.length, texts.join('\n'))
      STEPS.forEach((s, i) => assert.ok(texts[i].includes(s), `${i}: ${texts[i]}`))
      assert.ok(texts[4].includes('jiyuan') && texts[0].includes('qiye'), texts.join('\n'))
      assert.equal(await page.locator('[data-test=app-actions] [data-test^=act-]').count(), 0)
      await assertFits()
      await shot(p === PROJECTS[0] ? '12-closed-challenge' : '13-closed-open')
    }
    await menu('科研诚信')
    await page.locator('[data-test=sanctions-table]').waitFor()
    await page.locator('[data-test=sanction-create]').click()
    await page.locator('[data-test=sanction-dialog] .el-dialog__title', { hasText: '登记科研失信行为处理记录' }).waitFor()
    await shot('14-sanction-dialog')
    await page.keyboard.press('Escape')
  })
})
