// Browser test of the application shell and the registry/system lists against the real `kechuang`
// binary with a fresh 济源 demo: the admin habits bureau staff expect (RuoYi).
//
//   city officer jiyuan: opens two pages from the menu → two tags, closes one, 关闭其他 from the
//                    right-click menu; the breadcrumb of an organization detail page names 单位管理;
//                    the column chooser hides 所属行业 and it stays hidden after a reload; no column
//                    of the registry lists is clipped at 1366×768; industries and regions by name;
//                    an error toast never shows a field key; 个人中心 from the user menu
//   auditor:         审计日志 in Chinese (对象, 操作, the changed fields by name, no bookkeeping stamps)
//   enterprise qiye: 单位管理 without 新增/删除/导入
//   expert zhuanjia: 人才专家 without 新增/删除
//
// Not in scripts/test yet: run it on its own (KECHUANG_BIN, KECHUANG_WEB_DIST as for the others).
// Screenshots go to e2e/output/shell-*.png.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { assertFits, base, context, login, logout, menuIn, page, settled, setup, shot, noProblems, problems, watchProblems } from './harness.mjs'

setup({ name: 'shell', external: true, acceptDownloads: true })
const registry = menuIn('科技资源')

// Every page error, console error and error toast fails the test that saw it (harness.mjs).
/** Forget what a step provoked on purpose (a refused form). */
async function forgetProblems() {
  problems.length = 0
  await page.evaluate(() => sessionStorage.removeItem('kc-error-toasts'))
}

const tags = () => page.locator('[data-test=tag]')
const tagTitles = async () => (await tags().allInnerTexts()).map((t) => t.trim())
const crumbs = async () => (await page.locator('[data-test=breadcrumb] .el-breadcrumb__item').allInnerTexts()).map((t) => t.replace('/', '').trim())
const headers = () => page.locator('.el-table__header-wrapper th .cell').allInnerTexts()
const toolbarButtons = async () => (await page.locator('.toolbar > .el-button').allInnerTexts()).map((t) => t.trim())
const bodyRows = () => page.locator('.el-table__body-wrapper tbody tr.el-table__row')

async function userMenu(item) {
  await page.locator('[data-test=user-menu]').click()
  await page.locator('.el-dropdown-menu__item:visible', { hasText: item }).click()
}

/** No column of the list is clipped: headers fit their cells and the table does not scroll sideways. */
async function assertColumnsFit(what) {
  await bodyRows().first().waitFor()
  const r = await page.evaluate(() => {
    const wrap = document.querySelector('.el-table__body-wrapper .el-scrollbar__wrap')
    const clipped = [...document.querySelectorAll('.el-table__header-wrapper th .cell')]
      .filter((c) => c.scrollWidth > c.clientWidth + 1)
      .map((c) => c.textContent)
    return { overflow: wrap ? wrap.scrollWidth - wrap.clientWidth : 0, clipped }
  })
  assert.ok(r.overflow <= 1, `${what}: the table scrolls sideways by ${r.overflow}px`)
  assert.deepEqual(r.clipped, [], `${what}: clipped headers`)
  await assertFits()
}

describe('city officer (jiyuan)', () => {
  it('opens pages as tags, closes one, and closes the others', async () => {
    await watchProblems()
    await login('jiyuan')
    assert.deepEqual(await tagTitles(), ['首页'])
    await registry('单位管理')
    await page.waitForURL(/\/organizations$/)
    await registry('人才专家')
    await page.waitForURL(/\/persons$/)
    assert.deepEqual(await tagTitles(), ['首页', '单位管理', '人才专家'])
    assert.equal((await page.locator('[data-test=tag].active').innerText()).trim(), '人才专家')
    await shot('01-two-tags')

    // Closing the active tag shows the one before it.
    await tags().filter({ hasText: '人才专家' }).locator('[data-test=tag-close]').click()
    await page.waitForURL(/\/organizations$/)
    assert.deepEqual(await tagTitles(), ['首页', '单位管理'])
    assert.equal((await page.locator('[data-test=tag].active').innerText()).trim(), '单位管理')
    await shot('02-tag-closed')

    // A tag navigates; the right-click menu closes the others.
    await registry('创新平台')
    await page.waitForURL(/\/platforms$/)
    await tags().filter({ hasText: '单位管理' }).click()
    await page.waitForURL(/\/organizations$/)
    await tags().filter({ hasText: '创新平台' }).click({ button: 'right' })
    await page.locator('[data-test=tags-menu]').waitFor()
    await shot('03-tag-menu')
    await page.locator('[data-test=tags-menu] li', { hasText: '关闭其他' }).click()
    await page.waitForURL(/\/platforms$/)
    assert.deepEqual(await tagTitles(), ['首页', '创新平台'])
    await noProblems()
  })

  it('shows the list level in the breadcrumb of a detail page, and names instead of codes', async () => {
    await registry('单位管理')
    await page.waitForURL(/\/organizations$/)
    assert.deepEqual(await crumbs(), ['首页', '科技资源', '单位管理'])
    // The header names the data scope, not a region code.
    const scope = await page.locator('[data-test=scope]').innerText()
    assert.match(scope, /济源/)
    assert.doesNotMatch(scope, /\d{6}/)
    // 所属行业 as 名称（代码）, regions by name.
    await bodyRows().first().waitFor()
    const industries = await page.locator('.el-table__body-wrapper td').filter({ hasText: /（[A-T]\d{2,4}）$/ }).count()
    assert.ok(industries > 0, 'industries are shown by name with their code')
    const text = await page.locator('[data-test=org-table]').innerText()
    assert.doesNotMatch(text, /\b(419001|410883)\b/)
    await shot('04-organizations')

    await bodyRows().first().locator('a').first().click()
    await page.locator('[data-test=detail-title]').waitFor()
    assert.deepEqual(await crumbs(), ['首页', '科技资源', '单位管理', '单位详情'])
    assert.match(await page.locator('[data-test=org-detail]').innerText(), /所属行业\s+\S+（[A-T]\d+）/)
    const detailTag = (await tagTitles())[3]
    assert.deepEqual((await tagTitles()).slice(0, 3), ['首页', '创新平台', '单位管理'])
    assert.equal(detailTag, `单位详情：${(await page.locator('[data-test=detail-title]').innerText()).trim()}`)
    await shot('05-organization-breadcrumb')

    // Edited here, the change appears in the audit log (the auditor's test below).
    await page.locator('.head button', { hasText: '修改' }).click()
    const form = page.locator('[data-test=org-form]')
    await form.locator('input[name=legal_representative]').fill('李shell')
    await page.locator('[data-test=org-save]').click()
    await page.locator('.el-message--success', { hasText: '修改成功' }).waitFor()

    // The breadcrumb's list level goes back to the list.
    await page.locator('[data-test=breadcrumb] .el-breadcrumb__inner.is-link', { hasText: '单位管理' }).click()
    await page.waitForURL(/\/organizations$/)
    await noProblems()
  })

  it('never shows a field key in an error toast', async () => {
    await page.locator('[data-test=add]').click()
    const form = page.locator('[data-test=org-form]')
    await form.locator('input[name=credit_code]').fill('91419001MA00000001')
    await form.locator('input[name=name]').fill('济源shell测试有限公司')
    await form.locator('[data-test=region-select]').click()
    await page.locator('.el-cascader__dropdown:visible .el-cascader-node', { hasText: '济源市' }).locator('.el-radio').click()
    await page.keyboard.press('Escape')
    await form.locator('input[name=industry]').fill('XX')
    await page.locator('[data-test=org-save]').click()
    const toast = page.locator('.el-message--error').first()
    await toast.waitFor()
    const said = await toast.innerText()
    assert.match(said, /统一社会信用代码/)
    assert.doesNotMatch(said, /[a-z_]+(\[\d+\])?:/, `no field key: ${said}`)
    await form.locator('.el-form-item.is-error', { hasText: '行业代码' }).waitFor()
    await shot('06-error-toast')
    await page.locator('.el-dialog__footer button', { hasText: '取 消' }).click()
    await forgetProblems()
  })

  it('hides a column with the column chooser, still hidden after a reload', async () => {
    assert.ok((await headers()).includes('所属行业'))
    await page.locator('[data-test=rt-columns]').click()
    const box = page.locator('[data-test=rt-col-industry]')
    await box.waitFor()
    await box.click()
    await page.waitForFunction(() => ![...document.querySelectorAll('.el-table__header-wrapper th .cell')].some((c) => c.textContent === '所属行业'))
    await shot('07-column-chooser')
    await page.keyboard.press('Escape')
    await page.reload()
    await bodyRows().first().waitFor()
    const after = await headers()
    assert.ok(!after.includes('所属行业'), `hidden after reload: ${after}`)
    assert.ok(after.includes('统一社会信用代码'))
    // The search form folds away and back.
    await page.locator('[data-test=rt-search]').click()
    await page.locator('.search-form').waitFor({ state: 'hidden' })
    await page.locator('[data-test=rt-search]').click()
    await page.locator('.search-form').waitFor()
    // Shown again for the other tests.
    await page.locator('[data-test=rt-columns]').click()
    await page.locator('[data-test=rt-col-industry]').click()
    await page.waitForFunction(() => [...document.querySelectorAll('.el-table__header-wrapper th .cell')].some((c) => c.textContent === '所属行业'))
    await page.keyboard.press('Escape')
    await noProblems()
  })

  it('fits every registry list at 1366×768 without clipping a column', async () => {
    for (const [title, path] of [['单位管理', '/organizations'], ['企业年度数据', '/enterprise-years'], ['创新平台', '/platforms'], ['人才专家', '/persons']]) {
      await registry(title)
      await page.waitForURL((u) => u.pathname === path)
      await settled()
      await assertColumnsFit(title)
      assert.equal(await page.locator('[data-test=right-toolbar]').count(), 1, `${title} has the right toolbar`)
    }
    // Amounts in 万元 with the unit in the header, thousands separated.
    await registry('企业年度数据')
    await bodyRows().first().waitFor()
    assert.ok((await headers()).includes('销售收入（万元）'))
    assert.match(await bodyRows().first().innerText(), /\d{1,3}(,\d{3})*\.\d\d/)
    await shot('08-enterprise-years')
    await noProblems()
  })

  it('names the region of a platform, and a detail page it cannot show says so in one way', async () => {
    await registry('创新平台')
    await bodyRows().first().locator('a').first().click()
    await page.locator('[data-test=detail-title]').waitFor()
    assert.deepEqual(await crumbs(), ['首页', '科技资源', '创新平台', '平台详情'])
    assert.match(await page.locator('[data-test=platform-region]').innerText(), /济源市/)
    await shot('09-platform-detail')
    await page.goto(`${base}/platforms/999999999`)
    const err = page.locator('[data-test=load-error]')
    await err.waitFor()
    assert.match(await err.innerText(), /无法显示该记录[\s\S]*不在您的数据范围内/)
    await page.goto(`${base}/organizations/not-a-number`)
    await err.waitFor()
    assert.match(await err.innerText(), /无法显示该记录[\s\S]*不在您的数据范围内/)
    await settled()
    await shot('10-load-error')
    // The 404 of the API call is the browser's console line, not a fault of the page.
    await forgetProblems()
  })

  it('reaches 个人中心 from the user menu', async () => {
    await userMenu('个人中心')
    await page.waitForURL(/\/profile$/)
    await page.locator('[data-test=profile-card]').waitFor()
    assert.equal((await page.locator('[data-test=profile-username]').innerText()).trim(), 'jiyuan')
    assert.match(await page.locator('[data-test=profile-roles]').innerText(), /科技局业务人员/)
    const scope = await page.locator('[data-test=profile-scope]').innerText()
    assert.match(scope, /济源/)
    assert.doesNotMatch(scope, /\d{6}/)
    assert.match(await page.locator('[data-test=profile-last-login]').innerText(), /^\d{4}-\d\d-\d\d \d\d:\d\d$/)
    assert.deepEqual(await crumbs(), ['首页', '个人中心'])
    await assertFits()
    await shot('11-profile')
    await userMenu('修改密码')
    await page.locator('.el-tabs__item.is-active', { hasText: '修改密码' }).waitFor()
    assert.equal(await page.locator('.pw-embedded input[type=password]').count(), 3)
    await shot('12-profile-password')
    await noProblems()
    await logout()
  })
})

describe('auditor', () => {
  it('reads the audit log in Chinese: objects, actions and changed fields by name', async () => {
    await login('auditor')
    await menuIn('系统管理')('审计日志')
    await page.waitForURL(/\/system\/audit$/)
    await bodyRows().first().waitFor()
    await shot('13-audit')
    const row = bodyRows().filter({ hasText: '修改 法定代表人' }).first()
    await row.waitFor({ timeout: 3000 })
    const cells = await row.innerText()
    assert.match(cells, /修改/)
    assert.match(cells, /单位/)
    assert.doesNotMatch(cells, /legal_representative|updated_at|organization/)
    await assertColumnsFit('审计日志')
    await row.locator('button', { hasText: '详细' }).click()
    const diff = page.locator('[data-test=audit-diff]')
    await diff.locator('tbody tr').first().waitFor()
    const fields = (await diff.locator('tbody tr td:first-child').allInnerTexts()).map((t) => t.trim())
    assert.ok(fields.includes('法定代表人'), `fields: ${fields}`)
    for (const f of fields) assert.doesNotMatch(f, /[a-z_]{3,}|更新时间|更新人/, `a bookkeeping stamp or key: ${f}`)
    assert.match(await diff.innerText(), /李shell/)
    await shot('14-audit-detail')
    await page.keyboard.press('Escape')
    // 导出: the log as filtered, in the same words, with each entry's chain hash.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=audit-export]').click()])
    assert.match(download.suggestedFilename(), /^审计日志_\d{8}\.xlsx$/)
    assert.equal(readFileSync(await download.path()).subarray(0, 2).toString(), 'PK')
    await noProblems()
  })

  it('reads 用户管理 with roles and data scopes by name', async () => {
    await login('auditor')
    await menuIn('系统管理')('用户管理')
    const qiye = bodyRows().filter({ hasText: 'qiye' })
    await qiye.waitFor()
    assert.match(await qiye.innerText(), /企业\/单位用户\s+本单位\s/)
    assert.match(await bodyRows().filter({ hasText: 'jiyuan' }).innerText(), /科技局业务人员[\s\S]*本行政区划及以下（济源市）/)
    await assertColumnsFit('用户管理')
    await shot('15-users')
    await noProblems()
    await logout()
  })
})

describe('buttons follow permissions', () => {
  it('the enterprise (qiye) has no 新增/删除/导入 in 单位管理', async () => {
    await login('qiye')
    await page.goto(`${base}/organizations`)
    await bodyRows().first().waitFor()
    const buttons = await toolbarButtons()
    for (const b of ['新增', '删除', '导入']) assert.ok(!buttons.includes(b), `qiye sees ${b}: ${buttons}`)
    assert.ok(buttons.includes('修改'), `qiye maintains its own organization: ${buttons}`)
    const actions = await bodyRows().first().locator('td').last().innerText()
    assert.doesNotMatch(actions, /删除/)
    await shot('16-enterprise-organizations')
    await noProblems()
    await logout()
  })

  it('the expert (zhuanjia) has no 新增/删除 in 人才专家', async () => {
    await login('zhuanjia')
    await page.goto(`${base}/persons`)
    await bodyRows().first().waitFor()
    const buttons = await toolbarButtons()
    for (const b of ['新增', '删除']) assert.ok(!buttons.includes(b), `zhuanjia sees ${b}: ${buttons}`)
    assert.doesNotMatch(await bodyRows().first().locator('td').last().innerText(), /删除/)
    await shot('17-expert-persons')
    await noProblems()
    await logout()
  })

  it('the officer (jiyuan) has them all', async () => {
    await login('jiyuan')
    await page.goto(`${base}/organizations`)
    await bodyRows().first().waitFor()
    assert.deepEqual(await toolbarButtons(), ['新增', '修改', '删除', '导入', '导出'])
    await page.goto(`${base}/persons`)
    await bodyRows().first().waitFor()
    assert.deepEqual(await toolbarButtons(), ['新增', '修改', '删除', '导出'])
    await noProblems()
  })
})
