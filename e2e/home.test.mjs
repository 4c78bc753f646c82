// Browser test of each role's home page (首页, the to-do centre) against the real `kechuang`
// binary with a fresh 济源 demo: every demo account lands on its own to-dos, never on an error,
// and a to-do card opens the page it names.
//
//   KECHUANG_BIN   the binary (default: $CARGO_TARGET_DIR/debug/kechuang)
//   CHROMIUM       the browser (default /usr/bin/chromium)
//   KECHUANG_URL   use an already running server (with a fresh demo) instead; its demo password
//                  in KECHUANG_DEMO_PASSWORD
//
// Screenshots go to e2e/output/home-<user>.png.
import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { assertFits, base, login, page, settled, setup, shot } from './harness.mjs'

setup({ name: 'home', external: true })

/** What went wrong in the browser since `home` last cleared it: page errors, console errors, failed API calls. */
const problems = []
function watch() {
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`)
  })
  page.on('response', (r) => {
    if (new URL(r.url()).pathname.startsWith('/api/') && r.status() >= 400) problems.push(`${r.status()} ${r.request().method()} ${r.url()}`)
  })
}

/** Log in as `user` and load the home page afresh, watching for anything going wrong. */
async function home(user) {
  await login(user)
  problems.length = 0
  await page.goto(`${base}/`)
  await page.locator('[data-test=home-title]').waitFor()
  await page.locator('[data-test=home-rows]').waitFor()
  await settled()
}

/** No error banner, error toast, load error or failed call on the page. */
async function assertClean(user) {
  assert.equal(await page.locator('.el-alert--error:visible').count(), 0, `${user}: an error banner`)
  assert.equal(await page.locator('.el-message--error:visible').count(), 0, `${user}: an error toast`)
  assert.equal(await page.locator('[data-test=load-error]').count(), 0, `${user}: the home page failed to load`)
  const text = await page.locator('.main').innerText()
  assert.ok(!text.includes('没有权限执行此操作'), `${user}: ${text.slice(0, 200)}`)
  assert.deepEqual(problems, [], `${user}: ${problems.join('\n')}`)
  await assertFits()
}

/** The to-do card labelled `label`, its count as a number. */
async function todo(label) {
  const card = page.locator('[data-test=todos] a', { has: page.locator('.label', { hasText: label }) }).first()
  await card.waitFor()
  const count = (await card.locator('[data-test=todo-count]').innerText()).trim()
  assert.match(count, /^[\d,]+$/, `${label}: count “${count}”`)
  return { card, count: Number(count.replace(/,/g, '')) }
}

const rowsTitle = () => page.locator('[data-test=rows-title]').innerText()
const rows = () => page.locator('[data-test=home-rows] .el-table__body-wrapper tbody tr')
const breadcrumb = () => page.locator('.el-breadcrumb').innerText()

/** Click a link of the home page and check the page it opens by its path and breadcrumb. */
async function opens(link, path, title) {
  await link.click()
  await page.waitForURL((u) => path.test(u.pathname))
  await settled()
  assert.match(await breadcrumb(), title)
  assert.deepEqual(problems, [], problems.join('\n'))
}

describe('home page of each role', () => {
  // Inside the suite: the harness's own before hook has opened the page by then.
  before(watch)

  it('city officer jiyuan: 待形式审查 and the other to-dos, the to-do table and the city overview', async () => {
    await home('jiyuan')
    assert.ok((await page.locator('[data-test=home-title]').innerText()).includes('济源'))
    const formal = await todo('待形式审查')
    // The overview charts are drawn, not an empty axis.
    const kpis = await page.locator('[data-test=kpi]').allInnerTexts()
    assert.equal(kpis.length, 4, kpis.join(' | '))
    await page.locator('[data-test=chart-hnte] svg path').first().waitFor({ state: 'attached' })
    await assertClean('jiyuan')
    await shot('jiyuan')
    await page.locator('[data-test=chart-regions]').scrollIntoViewIfNeeded()
    await shot('jiyuan-charts')
    await opens(formal.card, /^\/projects\/applications$/, /项目管理/)
    await page.locator('[data-test=apps-table]').waitFor()
  })

  it('county officer mengzhou: its own to-dos and overview', async () => {
    await home('mengzhou')
    await todo('待形式审查')
    const kpis = await page.locator('[data-test=kpi]').allInnerTexts()
    assert.equal(kpis.length, 4)
    // A chart without data says so instead of drawing an empty axis.
    const platforms = kpis.find((k) => k.includes('创新平台'))
    if (/创新平台\s*0\s*个/.test(platforms)) {
      assert.match(await page.locator('[data-test=chart-levels-empty]').innerText(), /暂无数据/)
      assert.equal(await page.locator('[data-test=chart-levels]').count(), 0, 'no empty axis is drawn')
    } else await page.locator('[data-test=chart-levels] svg path').first().waitFor({ state: 'attached' })
    await assertClean('mengzhou')
    await shot('mengzhou')
    await page.locator('[data-test=chart-regions], [data-test=chart-regions-empty]').scrollIntoViewIfNeeded()
    await shot('mengzhou-charts')
  })

  it('province leader henan: the overview, no error', async () => {
    await home('henan')
    assert.ok((await rowsTitle()).length > 0)
    assert.equal(await page.locator('[data-test=kpi]').count(), 4)
    await assertClean('henan')
    await shot('henan')
  })

  it('enterprise qiye: 我的申报 with status, no city dashboard; the draft card opens the applications', async () => {
    await home('qiye')
    assert.equal(await rowsTitle(), '我的申报')
    assert.equal(await page.locator('[data-test=kpi]').count(), 0, 'an enterprise does not see the city overview')
    assert.equal(await page.locator('[data-test=overview]').count(), 0)
    if ((await rows().count()) > 0) assert.ok((await rows().first().locator('.el-tag').innerText()).trim().length > 0, 'each application shows its status')
    else assert.match(await page.locator('[data-test=rows-empty]').innerText(), /暂无数据/)
    const drafts = await todo('草稿')
    await assertClean('qiye')
    await shot('qiye')
    await opens(drafts.card, /^\/projects\/applications$/, /项目管理/)
    await page.goBack()
    await page.locator('[data-test=home-rows]').waitFor()
    if ((await rows().count()) > 0) await opens(rows().first().locator('[data-test=row-open]'), /^\/projects\/applications\/\d+(\/edit)?$/, /项目详情|修改申报书/)
  })

  it('expert zhuanjia: 我的评审任务 with at least one task; the card opens 我的评审', async () => {
    await home('zhuanjia')
    assert.equal(await rowsTitle(), '我的评审任务')
    assert.ok((await rows().count()) >= 1, 'the demo expert has review tasks')
    assert.equal(await page.locator('[data-test=kpi]').count(), 0)
    const pending = await todo('评审')
    assert.ok(pending.count >= 1, `pending reviews: ${pending.count}`)
    await assertClean('zhuanjia')
    await shot('zhuanjia')
    await opens(pending.card, /^\/review\/my$/, /我的评审/)
    await page.locator('[data-test=my-table]').waitFor()
  })

  it('auditor: 最近安全事件, no 403 banner; the card opens 审计日志', async () => {
    await home('auditor')
    assert.equal(await rowsTitle(), '最近安全事件')
    assert.equal(await page.locator('[data-test=kpi]').count(), 0)
    const events = page.locator('[data-test=todos] a').first()
    await assertClean('auditor')
    await shot('auditor')
    await opens(events, /^\/system\/audit$/, /审计日志/)
  })
})
