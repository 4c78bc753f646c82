// Browser tests of the web UI against the real `kechuang` binary: a fresh SQLite file with the
// 济源 demo, Debian's /usr/bin/chromium driven by playwright-core, a 1366×768 window.
//
//   KECHUANG_BIN   the binary (default: $CARGO_TARGET_DIR/debug/kechuang)
//   CHROMIUM       the browser (default /usr/bin/chromium)
//
// Screenshots of every main page go to e2e/output/.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { HERE, PASSWORD, assertFits, base, context, initialAdminPassword, login, logout, metrics, page, serverLog, setup, shot, tmp } from './harness.mjs'
import { creditCode, randomFirst17, xlsx } from './xlsx.mjs'

const DIST = join(HERE, '..', 'web', 'dist')

// Only this file's screenshots: the other browser tests write review-*.png etc. here.
setup({ name: '', shotPrefix: '', clean: (f) => /^\d\d-/.test(f), acceptDownloads: true, timeout: 15000, clearCookies: false })

async function menu(title) {
  const item = page.locator('.el-menu-item', { hasText: title })
  if (!(await item.isVisible())) {
    // Inside a collapsed group.
    const group = title === '用户管理' || title === '角色管理' || title === '审计日志' ? '系统管理' : '科技资源'
    await page.locator('.el-sub-menu__title', { hasText: group }).click()
  }
  await item.click()
}

async function tableRows(scope = page) {
  await page.locator('.el-loading-mask').first().waitFor({ state: 'hidden' }).catch(() => {})
  return scope.locator('.el-table__body-wrapper tbody tr')
}

/** Choose `option` in the el-select of the search-form item labelled `label`. */
async function pick(label, option) {
  await page.locator('.search-form .el-form-item', { hasText: label }).locator('.el-select').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: new RegExp(`^${option}$`) }).click()
}

async function visibleMenu() {
  return page.locator('.el-menu .el-menu-item, .el-menu .el-sub-menu__title').allInnerTexts()
}

describe('bundle', () => {
  it('is embedded in the binary and reasonably small', async () => {
    const html = await (await fetch(`${base}/`)).text()
    assert.match(html, /<div id="app">/, 'the binary serves the Vue index.html')
    const files = readdirSync(join(DIST, 'assets'))
    let all = 0
    for (const f of files.filter((x) => !x.endsWith('.gz'))) all += gzipSync(readFileSync(join(DIST, 'assets', f)), { level: 9 }).length
    // What the login page downloads: index.html and the assets it references.
    let first = gzipSync(Buffer.from(html)).length
    let precompressed = 0
    for (const m of html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)) {
      const r = await fetch(`${base}/${m[1]}`)
      assert.equal(r.status, 200, m[1])
      assert.match(r.headers.get('cache-control') ?? '', /immutable/)
      if (r.headers.get('content-encoding') === 'gzip') precompressed++
      first += gzipSync(Buffer.from(await r.arrayBuffer()), { level: 9 }).length
    }
    assert.ok(precompressed >= 2, 'large scripts and stylesheets are sent gzip-precompressed')
    metrics['bundle gzip total (all chunks)'] = `${(all / 1024).toFixed(0)} KiB`
    metrics['bundle gzip initial (login page)'] = `${(first / 1024).toFixed(0)} KiB`
    // Every page is its own lazy chunk; the budget grew with 资金与服务's 16 pages (843 KiB), then
    // with issue 18's 平台载体 and 科技奖励 pages (≈ 30 KiB each, lazy: 934 → ≈ 1004 KiB).
    assert.ok(all < 1060 * 1024, `gzip bundle ${all} bytes`)
    const deep = await fetch(`${base}/organizations/123`)
    assert.equal(deep.status, 200)
    assert.match(await deep.text(), /<div id="app">/, 'deep links get index.html')
    const missing = await fetch(`${base}/assets/nope.js`)
    assert.equal(missing.status, 404, 'a missing script is not answered with HTML')
    const api404 = await fetch(`${base}/api/v1/nope`)
    assert.equal(api404.status, 404)
    assert.equal((await api404.json()).code, 'not_found')
  })
})

describe('city officer (jiyuan, 济源市)', () => {
  const first17 = randomFirst17('419001')
  const good = creditCode(first17)
  const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0')
  const name = `济源e2e测试科技有限公司${first17.slice(-4)}`
  let orgPath = ''

  it('rejects a wrong password in Chinese, then logs in and shows the scope', async () => {
    await page.goto(`${base}/`)
    await page.waitForURL(/\/login/)
    await page.locator('input[name=username]').fill('jiyuan')
    await page.locator('input[name=password]').fill('wrong-password1')
    await page.locator('[data-test=login-submit]').click()
    await page.locator('[data-test=login-error]', { hasText: '用户名或密码错误' }).waitFor()
    await shot('01-login')
    await login('jiyuan')
    await page.locator('[data-test=scope]', { hasText: '济源市及下级' }).waitFor()
    const items = await visibleMenu()
    assert.ok(items.some((t) => t.includes('科技资源')))
    assert.ok(!items.some((t) => t.includes('系统管理')), `officer must not see 系统管理: ${items}`)
  })

  it('shows the dashboard with charts, and times its first render', async () => {
    // A full page load, as a user arriving with a session would have.
    const t0 = Date.now()
    await page.goto(`${base}/`)
    await page.locator('[data-test=chart-hnte] svg path').first().waitFor({ state: 'attached' })
    await page.locator('[data-test=chart-regions] svg').first().waitFor({ state: 'attached' })
    const wall = Date.now() - t0
    const nav = await page.evaluate(() => Math.round(performance.now()))
    metrics['dashboard first render (navigation → charts drawn)'] = `${nav} ms (wall ${wall} ms)`
    const kpis = await page.locator('[data-test=kpi]').allInnerTexts()
    assert.equal(kpis.length, 4)
    assert.match(kpis[0], /登记单位\s*[\d,]+\s*家/)
    assert.match(kpis[1], /高新技术企业（2025年）\s*132/)
    const hnteText = await page.locator('[data-test=chart-hnte]').innerText()
    for (const y of ['2021年', '2025年']) assert.ok(hnteText.includes(y), `trend shows ${y}`)
    assert.ok((await page.locator('[data-test=chart-regions]').innerText()).includes('济源市'))
    await assertFits()
    await shot('02-dashboard')
  })

  it('creates an organization: the server’s check-character error is shown beside the field, then fixed', async () => {
    await menu('单位管理')
    await page.waitForURL(/\/organizations$/)
    assert.ok((await (await tableRows()).count()) > 0)
    await page.locator('[data-test=add]').click()
    const form = page.locator('[data-test=org-form]')
    await form.locator('input[name=credit_code]').fill(bad)
    await form.locator('input[name=name]').fill(name)
    await form.locator('[data-test=region-select]').click()
    await page.locator('.el-cascader__dropdown:visible .el-cascader-node', { hasText: '济源市' }).locator('.el-radio').click()
    await page.keyboard.press('Escape')
    await page.locator('[data-test=org-save]').click()
    const err = form.locator('.el-form-item.is-error', { hasText: '统一社会信用代码' }).locator('.el-form-item__error')
    await err.waitFor()
    assert.match(await err.innerText(), /统一社会信用代码校验位错误：第18位应为“.”/)
    await shot('03-organization-error')
    await form.locator('input[name=credit_code]').fill(good)
    await page.locator('[data-test=org-save]').click()
    await page.locator('.el-message--success', { hasText: '新增成功' }).waitFor()
    await page.locator('[data-test=search-q]').fill(name)
    await page.locator('[data-test=search]').click()
    const rows = await tableRows()
    await rows.filter({ hasText: good }).waitFor()
    assert.equal(await rows.count(), 1)
    await rows.first().locator('a', { hasText: name }).click()
    await page.locator('[data-test=detail-title]', { hasText: name }).waitFor()
    orgPath = new URL(page.url()).pathname
    assert.match(orgPath, /^\/organizations\/\d+$/)
    assert.ok((await page.locator('[data-test=org-detail]').innerText()).includes(good))
    // Edit from the detail page: the audit log will show this change as a before/after diff.
    await page.locator('.head button', { hasText: '修改' }).click()
    await form.locator('input[name=legal_representative]').fill('张e2e')
    await page.locator('[data-test=org-save]').click()
    await page.locator('.el-message--success', { hasText: '修改成功' }).waitFor()
    await page.locator('[data-test=org-detail]', { hasText: '张e2e' }).waitFor()
    await assertFits()
    await shot('04-organization-detail')
  })

  it('imports an xlsx: one bad row is reported row by row and nothing is written; a clean file goes through dry run then import', async () => {
    await page.goto(`${base}/organizations`)
    const okCode = creditCode(randomFirst17('419001'))
    const badRow = creditCode(randomFirst17('419001')).slice(0, 17) + 'I'
    const header = ['统一社会信用代码', '单位名称', '单位类型', '行政区划代码']
    const okName = `济源e2e导入企业${okCode.slice(-6)}`
    const badFile = join(tmp, 'bad.xlsx')
    writeFileSync(badFile, xlsx([header, [okCode, okName, '企业', '419001'], [badRow, '济源e2e错误行', '企业', '419001']]))
    await page.locator('[data-test=import]').click()
    await page.locator('[data-test=import-upload] input[type=file]').setInputFiles(badFile)
    await page.locator('[data-test=import-check]').click()
    const summary = page.locator('[data-test=import-summary]')
    await summary.waitFor()
    assert.match(await summary.innerText(), /校验未通过：共 2 行数据，发现 1 处问题/)
    const problem = page.locator('[data-test=import-problems] tbody tr')
    assert.equal(await problem.count(), 1)
    const cells = await problem.first().locator('td').allInnerTexts()
    assert.equal(cells[0].trim(), '3')
    assert.equal(cells[1].trim(), '统一社会信用代码')
    assert.match(cells[2], /统一社会信用代码/)
    assert.ok(await page.locator('[data-test=import-confirm]').isDisabled(), 'a failed check cannot be imported')
    await shot('05-import-report')

    const goodFile = join(tmp, 'good.xlsx')
    writeFileSync(goodFile, xlsx([header, [okCode, okName, '企业', '419001']]))
    await page.locator('[data-test=import-upload] input[type=file]').setInputFiles(goodFile)
    await page.locator('[data-test=import-check]').click()
    await summary.filter({ hasText: '校验通过：共 1 行数据，将新增 1 条' }).waitFor()
    await page.locator('[data-test=import-confirm]').click()
    await summary.filter({ hasText: '导入成功' }).waitFor()
    await page.keyboard.press('Escape')
    await page.locator('[data-test=search-q]').fill(okName)
    await page.locator('[data-test=search]').click()
    await (await tableRows()).filter({ hasText: okCode }).waitFor()
    // The bad row's organization must not exist.
    await page.locator('[data-test=search-q]').fill('济源e2e错误行')
    await page.locator('[data-test=search]').click()
    await page.locator('.el-table__empty-text').waitFor()
  })

  it('exports the current list to xlsx', async () => {
    await page.locator('[data-test=search-q]').fill('济源e2e')
    await page.locator('[data-test=search]').click()
    await (await tableRows()).first().waitFor()
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=export]').click()])
    assert.match(download.suggestedFilename(), /^单位名录_\d{8}\.xlsx$/)
    const file = join(tmp, 'export.xlsx')
    await download.saveAs(file)
    const bytes = readFileSync(file)
    assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'an xlsx (zip) file')
    await shot('06-organizations')
  })

  it('lists enterprise years, platforms and persons within 1366×768', async () => {
    for (const [title, path, file] of [
      ['企业年度数据', '/enterprise-years', '07-enterprise-years'],
      ['创新平台', '/platforms', '08-platforms'],
      ['人才专家', '/persons', '09-persons'],
    ]) {
      await menu(title)
      await page.waitForURL((u) => u.pathname === path)
      const rows = await tableRows()
      await rows.first().waitFor()
      assert.ok((await rows.count()) >= 5, `${title} has rows`)
      assert.match(await page.locator('.el-pagination__total').innerText(), /共 \d+ 条/)
      await assertFits()
      await shot(file)
    }
  })

  it('sends an expired session back to the login page with a message', async () => {
    await context.clearCookies()
    await menu('单位管理')
    await page.waitForURL(/\/login/)
    await page.locator('[data-test=login-notice]', { hasText: '登录状态已过期' }).waitFor()
  })

  describe('county officer (mengzhou, 孟州市)', () => {
    it('neither lists nor opens a 济源 organization', async () => {
      assert.ok(orgPath, 'the city officer created an organization')
      await login('mengzhou')
      await page.locator('[data-test=scope]', { hasText: '孟州市及下级' }).waitFor()
      await page.goto(`${base}/organizations`)
      const rows = await tableRows()
      await rows.first().waitFor()
      const regions = await page.locator('.el-table__body-wrapper tbody tr td:nth-child(5)').allInnerTexts()
      assert.ok(regions.length > 0)
      assert.ok(regions.every((r) => r.includes('孟州') && !r.includes('济源')), `only 孟州: ${regions}`)
      await page.locator('[data-test=search-q]').fill(name)
      await page.locator('[data-test=search]').click()
      await page.locator('.el-table__empty-text').waitFor()
      await page.goto(`${base}${orgPath}`)
      const error = page.locator('[data-test=load-error]')
      await error.waitFor()
      assert.ok(!(await page.locator('[data-test=detail-title]').count()), 'no data shown')
      assert.ok(!(await page.content()).includes(name), 'the name does not leak')
      assert.match(await error.innerText(), /无法显示该记录/)
      await shot('10-county-out-of-scope')
      await logout()
    })
  })

  describe('enterprise user (qiye)', () => {
    it('sees only its own organization and figures', async () => {
      await login('qiye')
      await page.locator('[data-test=scope]').waitFor()
      await page.goto(`${base}/organizations`)
      const rows = await tableRows()
      await rows.first().waitFor()
      assert.equal(await rows.count(), 1)
      assert.match(await page.locator('.el-pagination__total').innerText(), /共 1 条/)
      const own = (await rows.first().locator('td').nth(1).innerText()).trim()
      assert.ok(own.length > 0)
      await shot('11-enterprise-organizations')
      await page.goto(`${base}/enterprise-years`)
      const years = await tableRows()
      await years.first().waitFor()
      const names = await page.locator('.el-table__body-wrapper tbody tr td:nth-child(2)').allInnerTexts()
      assert.ok(names.length > 0 && names.every((n) => n.trim() === own), `only ${own}: ${names}`)
      const items = await visibleMenu()
      assert.ok(!items.some((t) => t.includes('系统管理')))
      // Another organization by URL: an error, not data.
      await page.goto(`${base}${orgPath}`)
      await page.locator('[data-test=load-error]').waitFor()
      await logout()
    })
  })

  describe('administrator (admin)', () => {
    it('must change the initial password first, then manages users and roles; the audit administrator reads the audit log', async () => {
      // The password is in the owner-only credentials file, not in the server log.
      const initial = initialAdminPassword()
      assert.ok(initial, 'initial-credentials.txt holds the admin password')
      assert.ok(!serverLog.includes(initial), `no password in the server log: ${serverLog.slice(0, 400)}`)
      assert.ok(!serverLog.includes(PASSWORD), 'no demo password in the server log')
      assert.match(serverLog, /初始密码见 .*initial-credentials\.txt/)
      assert.equal(statSync(join(tmp, 'initial-credentials.txt')).mode & 0o777, 0o600, 'readable by its owner only')
      await login('admin', initial)
      await page.waitForURL(/\/profile\/password/)
      await page.locator('[data-test=must-change]').waitFor()
      // Other pages are refused until the password is changed.
      await page.goto(`${base}/system/users`)
      await page.waitForURL(/\/profile\/password/)
      await shot('12-forced-password-change')
      const inputs = page.locator('.pw-card input[type=password]')
      const fresh = 'Kechuang2026Root'
      await inputs.nth(0).fill(initial)
      await inputs.nth(1).fill(fresh)
      await inputs.nth(2).fill(fresh)
      await page.locator('.pw-card .el-button--primary').click()
      await page.waitForURL(/\/login/)
      await login('admin', fresh)
      await page.locator('[data-test=scope]').waitFor()
      const items = await visibleMenu()
      assert.ok(items.some((t) => t.includes('系统管理')))
      // The 工作台 lists the accounts that need the administrator: the other two administrators
      // have not changed their first password yet; the card opens the filtered user list.
      const card = page.locator('[data-test=todos] a', { has: page.locator('.label', { hasText: '待修改密码的账号' }) }).first()
      await card.waitFor()
      assert.equal((await card.locator('[data-test=todo-count]').innerText()).trim(), '2')
      await card.click()
      await page.waitForURL(/\/system\/users\?attention=must_change/)
      const pending = await tableRows()
      await pending.filter({ hasText: 'secadmin' }).waitFor()
      assert.equal(await pending.count(), 2, 'secadmin and auditadmin')
      await shot('13a-accounts-to-change')
      await page.locator('.search-form button', { hasText: '重置' }).click()
      await menu('用户管理')
      const users = await tableRows()
      await users.filter({ hasText: 'mengzhou' }).waitFor()
      await assertFits()
      await shot('13-users')
      await menu('角色管理')
      await page.locator('[data-test=roles-table] tbody tr', { hasText: '审计管理员' }).waitFor()
      await shot('14-roles')
      // 三员分立: the system administrator has no audit log and no business data.
      assert.ok(!(await visibleMenu()).some((t) => t.includes('审计日志')), 'admin has no audit log')
      assert.ok(!(await visibleMenu()).some((t) => t.includes('单位管理')), 'admin has no business data')
      await logout()
      const auditInitial = initialAdminPassword('auditadmin')
      assert.ok(auditInitial, 'the audit administrator has an initial password of its own')
      await login('auditadmin', auditInitial)
      await page.waitForURL(/\/profile\/password/)
      await inputs.nth(0).fill(auditInitial)
      await inputs.nth(1).fill('Kechuang2026Audit')
      await inputs.nth(2).fill('Kechuang2026Audit')
      await page.locator('.pw-card .el-button--primary').click()
      await page.waitForURL(/\/login/)
      await login('auditadmin', 'Kechuang2026Audit')
      await page.locator('[data-test=scope]').waitFor()
      await menu('审计日志')
      await pick('对象', '单位')
      await pick('操作', '新增')
      await page.locator('.search-form button', { hasText: '搜索' }).click()
      const audit = await tableRows()
      const created = audit.filter({ hasText: name })
      await created.first().waitFor()
      await created.first().locator('button', { hasText: '详细' }).click()
      const diff = page.locator('[data-test=audit-diff]')
      await diff.waitFor()
      assert.ok((await diff.innerText()).includes(good), 'the diff shows the created record')
      await page.keyboard.press('Escape')
      await pick('操作', '修改')
      await page.locator('.search-form button', { hasText: '搜索' }).click()
      const updated = (await tableRows()).filter({ hasText: '修改 法定代表人' })
      await updated.first().waitFor()
      await updated.first().locator('button', { hasText: '详细' }).click()
      const changed = diff.locator('tbody tr.changed')
      await changed.first().waitFor()
      const cells = await changed.filter({ hasText: '法定代表人' }).locator('td').allInnerTexts()
      assert.deepEqual(cells.map((c) => c.trim()), ['法定代表人', '—', '张e2e'])
      await assertFits()
      await shot('15-audit-diff')
    })
  })
})
