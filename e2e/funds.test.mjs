// Browser test of 资金与服务 (资金项目, 资金安排, 拨付台账, 我获得的资金) against the real `kechuang`
// binary and a fresh 济源 demo (see harness.mjs), from the home page through the menu 资金与服务:
//
//   officer: 资金项目 lists the demo programmes with budget, 已批准, 已拨付 and 余额 in 万元; one
//     with grants opens with its budget cards and its grants (资金安排) with their explanations; a
//     grant opens with the trace an auditor follows (rule → notice → approval → payments).
//     拨付台账: the demo enterprise's row shows a 科技创新券, a 科技奖补 and a 科技贷贴息 amount
//     side by side, equal to the API's; its row opens the drawer of its payments, each linking to
//     its grant. The ledger exports to xlsx.
//   enterprise: 我获得的资金 groups its payments under 科技奖补, 科技创新券 and 科技贷贴息, each with
//     its total; a payment opens its grant.
//   officer, a 申报制 programme end to end: 新增 (the form says what is missing before sending),
//     two 资金安排 entered, 发起公示 dated back past its notice period, one 不予支持 with its reason,
//     an objection on the other keeps it from 批准 (the reason is listed), the objection resolved,
//     批准 and 拨付 on the grant's page; its trace reads rule → 公示 → 异议 → 批准 → 拨付.
//   officer, the pack-decided programmes of 2026: 科技保险保费补贴 (JY-BX-2026) takes a policy
//     through 保费补贴申报 — 其他险种 is refused as a warning with the pack's reason, 研发责任保险
//     with a premium of 80,000 元 becomes a 拟支持 grant of 20,000.00 元 (25%), the same policy
//     again is refused on 保单号 (同一事项不重复支持); 仪器共享后补助 (JY-YQ-2026, 免申即享)
//     生成后补助名单 from the year's booking records: the testing centre gets 20% of its
//     external service income.
//
// Every step fails on a page error, a console error or an unexpected error toast.
// Screenshots go to e2e/output/funds-*.png.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { assertFits, base, login, menuIn, noProblems, page, problems, settled, setup, shot, toast, watchProblems } from './harness.mjs'

setup({ name: 'funds', acceptDownloads: true })
const menu = menuIn('资金与服务')

/** The demo accounts (crates/cli demo): the bureau officer and the enterprise with the three kinds of payment. */
const OFFICER = process.env.KECHUANG_FUNDS_OFFICER ?? 'jiyuan'
const ENTERPRISE = process.env.KECHUANG_FUNDS_ENTERPRISE ?? 'qiye'
const KINDS = { reward: '科技奖补', voucher: '科技创新券', interest: '科技贷贴息' }

async function apiGet(path) {
  const r = await page.request.get(`${base}/api/v1${path}`)
  assert.equal(r.status(), 200, `${path}: ${await r.text()}`)
  return r.json()
}
const input = (test) => page.locator(`input[data-test=${test}], textarea[data-test=${test}], [data-test=${test}] input, [data-test=${test}] textarea`).first()
async function choose(test, text) {
  await page.locator(`[data-test=${test}]`).first().click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click()
}
/** Confirm the open message box (ElMessageBox.confirm / prompt), typing `text` into a prompt. */
async function confirmBox(title, text) {
  const box = page.locator('.el-message-box', { hasText: title })
  await box.waitFor()
  if (text !== undefined) await box.locator('textarea, input').first().fill(text)
  await box.locator('.el-message-box__btns .el-button--primary').click()
  await box.waitFor({ state: 'hidden' })
}
/** `YYYY-MM-DD` `days` before today in Asia/Shanghai. */
function daysAgo(days) {
  return new Date(Date.now() + 8 * 3600e3 - days * 86400e3).toISOString().slice(0, 10)
}
/** Forget what a step provoked on purpose (a refusal), after checking it was only that. */
async function forgetExpected(allowed) {
  const toasts = await page.evaluate(() => JSON.parse(sessionStorage.getItem('kc-error-toasts') ?? '[]'))
  for (const p of [...problems, ...toasts]) assert.match(p, allowed, `unexpected: ${p}`)
  problems.length = 0
  await page.evaluate(() => sessionStorage.removeItem('kc-error-toasts'))
}
/** In the dialog `dlg`, pick the organization named exactly `name` (not a 分公司 of it). */
async function pickOrg(dlg, name) {
  await dlg.locator('[data-test=org-select]').click()
  await dlg.locator('[data-test=org-select] input').fill(name)
  await page.locator('.el-select-dropdown__item:visible').filter({ has: page.locator('span', { hasText: new RegExp(`^\\s*${name}\\s*$`) }) }).first().click()
}
/** From 资金项目, open the programme with `code` (searched for), waiting for its grants. */
async function openProgramme(code, name) {
  await menu('资金项目')
  await page.locator('[data-test=programmes-table]').waitFor()
  await page.locator('input[data-test=programmes-q]').fill(code)
  await page.locator('[data-test=programmes-search]').click()
  await settled()
  await page.locator('[data-test=programmes-table] tbody tr.el-table__row', { hasText: name }).first().locator('[data-test=programme-link]').click()
  await page.waitForURL(/\/funds\/programmes\/\d+$/)
  await page.locator('[data-test=programme-title]', { hasText: name }).waitFor()
  await settled()
}
/** "1,234.50" → 1234.5 */
const num = (s) => Number(String(s).replace(/[,\s]/g, ''))
/** 元 text → 万元 with two decimals, as the pages show it. */
const wan = (yuan) => (Number(yuan) / 10000).toFixed(2)

describe('资金与服务', () => {
  let enterpriseOrg = null

  it('officer: a programme with its grants, a grant with its trace', async () => {
    await watchProblems()
    await login(OFFICER)
    const all = (await apiGet('/funds/programmes?size=100')).items
    assert.ok(all.length > 0, 'the demo has funding programmes')
    // The programme with the most grants, a reward programme first.
    const withGrants = []
    for (const p of all) {
      const g = await apiGet(`/funds/grants?programme_id=${p.id}&size=1`)
      if (g.total) withGrants.push({ p, total: g.total })
    }
    withGrants.sort((a, b) => Number(b.p.kind === 'reward') - Number(a.p.kind === 'reward') || b.total - a.total)
    const best = withGrants[0]
    assert.ok(best, 'a demo programme has grants')

    await menu('资金项目')
    await page.locator('[data-test=programmes-table]').waitFor()
    await settled()
    const rows = page.locator('[data-test=programmes-table] tbody tr.el-table__row')
    await rows.first().waitFor()
    await assertFits()
    await shot('1-programmes')
    await page.locator('input[data-test=programmes-q]').fill(best.p.code)
    await page.locator('[data-test=programmes-search]').click()
    await settled()
    // Budget in 万元, as the API says it in 元.
    const row = rows.filter({ hasText: best.p.name }).first()
    await row.waitFor()
    assert.equal(num(await row.locator('[data-test=programme-budget]').innerText()).toFixed(2), wan(best.p.budget))

    await row.locator('[data-test=programme-link]').click()
    await page.waitForURL(/\/funds\/programmes\/\d+$/)
    await page.locator('[data-test=programme-title]', { hasText: best.p.name }).waitFor()
    await settled()
    assert.equal(num(await page.locator('[data-test=budget-total]').innerText()).toFixed(2), wan(best.p.budget))
    const grants = page.locator('[data-test=grants-table] tbody tr.el-table__row')
    await grants.first().waitFor()
    assert.equal(await grants.count(), Math.min(best.total, 10))
    await page.locator('.el-pagination__total', { hasText: String(best.total) }).first().waitFor()
    await assertFits()
    await shot('2-programme-detail')
    // A row unfolds its rule and explanation.
    await grants.first().locator('.el-table__expand-icon').click()
    await page.locator('[data-test=grant-why]').first().waitFor()
    assert.match(await page.locator('[data-test=grant-why]').first().innerText(), /依据：\S/)
    await shot('3-grant-explanation')

    // The first grant opens with its trace.
    const firstName = (await grants.first().locator('[data-test=grant-link]').innerText()).trim()
    await grants.first().locator('[data-test=grant-link]').click()
    await page.waitForURL(/\/funds\/grants\/\d+$/)
    await page.locator('[data-test=grant-title]', { hasText: firstName }).waitFor()
    await settled()
    await page.locator('[data-test=grant-trace] .el-timeline-item').first().waitFor()
    assert.match(await page.locator('[data-test=grant-trace]').innerText(), /拟支持[\s\S]*依据：[\s\S]*批准[\s\S]*拨付/)
    await assertFits()
    await shot('4-grant-detail')
    await page.locator('[data-test=grant-trace]').scrollIntoViewIfNeeded()
    await shot('4b-grant-trace')
    await noProblems()
  })

  it('officer: the ledger shows the enterprise with 科技创新券, 科技奖补 and 科技贷贴息 side by side', async () => {
    // The enterprise account's organization, and its ledger row as the API gives it.
    const ledger = await apiGet('/funds/ledger?size=100')
    const rows = ledger.items.filter((r) => Object.keys(KINDS).every((k) => r.by_kind[k] && Number(r.by_kind[k]) > 0))
    assert.ok(rows.length > 0, 'the demo has an organization paid under the three kinds')
    const row = rows[0]
    enterpriseOrg = row

    await menu('拨付台账')
    await page.locator('[data-test=ledger-table]').waitFor()
    await settled()
    assert.equal(num(await page.locator('[data-test=ledger-total]').innerText()).toFixed(2), wan(ledger.totals.total))
    await page.locator('input[data-test=ledger-q]').fill(row.org_name)
    await page.locator('[data-test=ledger-search]').click()
    await settled()
    const tr = page.locator('[data-test=ledger-table] tbody tr.el-table__row', { hasText: row.org_name }).first()
    await tr.waitFor()
    for (const k of Object.keys(KINDS)) {
      const cell = (await tr.locator(`[data-test=ledger-cell-${k}]`).innerText()).trim()
      assert.notEqual(cell, '—', `${KINDS[k]} of ${row.org_name}`)
      assert.equal(num(cell).toFixed(2), wan(row.by_kind[k]), `${KINDS[k]} of ${row.org_name}`)
    }
    assert.equal(num(await tr.locator('[data-test=ledger-row-total]').innerText()).toFixed(2), wan(row.total))
    await assertFits()
    await shot('5-ledger-row')

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=ledger-export]').click()])
    assert.match(download.suggestedFilename(), /^拨付台账_\d{8}\.xlsx$/)

    // The row opens its payments, each linking to its grant.
    await tr.locator('[data-test=ledger-org]').click()
    const drawer = page.locator('.el-drawer', { hasText: '拨付明细' })
    await drawer.waitFor()
    await settled()
    const pays = drawer.locator('[data-test=ledger-drawer-payments] tbody tr.el-table__row')
    await pays.first().waitFor()
    assert.equal(await pays.count(), Math.min(row.payments, 100))
    const text = await drawer.innerText()
    for (const label of Object.values(KINDS)) assert.match(text, new RegExp(label))
    await shot('6-ledger-drawer')
    await pays.first().locator('[data-test=drawer-grant-link]').click()
    await page.waitForURL(/\/funds\/grants\/\d+$/)
    await page.locator('[data-test=grant-title]', { hasText: row.org_name }).waitFor()
    await settled()
    await page.locator('[data-test=grant-payments] tbody tr.el-table__row').first().waitFor()
    await shot('7-grant-from-ledger')
    await noProblems()
  })

  it('enterprise: 我获得的资金 shows the three kinds with their totals', async () => {
    await login(ENTERPRISE)
    const mine = (await apiGet('/funds/payments?size=100')).items
    assert.ok(mine.length > 0, `${ENTERPRISE} has payments`)
    await menu('我获得的资金')
    await page.locator('[data-test=received-summary]').waitFor()
    await settled()
    for (const [k, label] of Object.entries(KINDS)) {
      const group = page.locator(`[data-test=received-group-${k}]`)
      await group.waitFor()
      assert.equal((await group.locator('[data-test=received-group-title]').innerText()).trim(), label)
      const fen = mine.filter((p) => p.programme_kind === k).reduce((s, p) => s + p.amount_fen, 0)
      assert.ok(fen > 0, `${ENTERPRISE} was paid ${label}`)
      assert.match((await group.locator('.group-head').innerText()).replace(/,/g, ''), new RegExp(`合计 ${(fen / 1e6).toFixed(2)} 万元`))
    }
    if (enterpriseOrg) assert.ok(mine.every((p) => p.org_id === mine[0].org_id), 'only its own payments')
    await assertFits()
    await shot('8-received')

    await page.locator('[data-test=received-group-voucher] tbody [data-test=received-grant-link]').first().click()
    await page.waitForURL(/\/funds\/grants\/\d+$/)
    await page.locator('[data-test=grant-title]').waitFor()
    await settled()
    await page.locator('[data-test=grant-trace] .el-timeline-item').first().waitFor()
    assert.equal(await page.locator('[data-test=act-pay]').count(), 0, 'an enterprise is offered no 拨付')
    await assertFits()
    await shot('9-received-grant')
    await noProblems()
  })
  it('officer: a 申报制 programme from entry to payment, with an objection and a refusal', async () => {
    await login(OFFICER)
    const qiye = enterpriseOrg?.org_id
    const orgs = (await apiGet('/organizations?kind=enterprise&size=20')).items.filter((o) => o.id !== qiye)
    assert.ok(orgs.length >= 2, 'the demo has enterprises')
    const [a, b] = orgs
    const CODE = 'E2E-BX-2026'

    await menu('资金项目')
    await page.locator('[data-test=programmes-table]').waitFor()
    await page.locator('[data-test=programme-add]').click()
    const form = page.locator('[data-test=programme-form]')
    await form.waitFor()
    await input('pf-code').fill(CODE)
    await input('pf-name').fill('2026年度科技保险保费补贴（E2E）')
    await choose('pf-kind', '科技保险补贴')
    // Nothing sent before the form is complete: the missing fields say so.
    await page.locator('[data-test=pf-save]').click()
    await form.locator('.el-form-item__error', { hasText: '预算不能为空' }).waitFor()
    await form.locator('.el-form-item__error', { hasText: '资金来源不能为空' }).waitFor()
    await shot('10-programme-form-missing')
    await input('pf-budget').fill('500,000')
    await input('pf-source').fill('市级科技专项资金')
    await input('pf-basis').fill('济源示范区科技保险保费补贴实施细则（E2E）')
    await form.locator('.el-form-item__error').first().waitFor({ state: 'detached' })
    await page.locator('[data-test=pf-save]').click()
    await page.waitForURL(/\/funds\/programmes\/\d+$/)
    await page.locator('[data-test=programme-title]', { hasText: '科技保险保费补贴（E2E）' }).waitFor()
    await settled()
    assert.equal((await page.locator('[data-test=budget-total]').innerText()).trim(), '50.00')

    // Two 申报制 items.
    for (const [org, amount] of [[a, '30000'], [b, '20000']]) {
      await page.locator('[data-test=act-add-grant]').click()
      const dlg = page.locator('[data-test=grant-entry]')
      await dlg.waitFor()
      await dlg.locator('[data-test=org-select]').click()
      await dlg.locator('[data-test=org-select] input').fill(org.name.slice(0, 6))
      await page.locator('.el-select-dropdown__item:visible', { hasText: org.name }).first().click()
      await input('ge-matter').fill('2026年度科技保险保费补贴')
      await input('ge-amount').fill(amount)
      await input('ge-explanation').fill(`保费 ${Number(amount) * 2} 元 × 50%`)
      await page.locator('[data-test=ge-save]').click()
      await dlg.waitFor({ state: 'hidden' })
    }
    const rows = page.locator('[data-test=grants-table] tbody tr.el-table__row')
    await page.locator('.el-pagination__total', { hasText: '2' }).first().waitFor()
    await settled()
    assert.equal(await rows.count(), 2)

    // 公示 dated back: the notice period (7 days) is over.
    await page.locator('[data-test=act-notice]').click()
    const nd = page.locator('[data-test=notice-dialog]')
    await nd.waitFor()
    const start = nd.locator('.el-date-editor input')
    await start.fill(daysAgo(10))
    await start.press('Enter')
    await page.locator('[data-test=notice-save]').click()
    await nd.waitFor({ state: 'hidden' })
    await page.locator('[data-test=batch-outcome]', { hasText: '已公示 2 项' }).waitFor()
    await settled()

    // b is refused with its reason.
    await rows.filter({ hasText: b.name }).locator('[data-test=grant-refuse]').click()
    await confirmBox('不予支持', '经核查，保单不在补贴范围内')
    await settled()
    await rows.filter({ hasText: b.name }).locator('[data-test=grant-status]', { hasText: '不予支持' }).waitFor()

    // An objection to a's grant keeps it from approval.
    await rows.filter({ hasText: a.name }).locator('[data-test=grant-link]').click()
    await page.waitForURL(/\/funds\/grants\/\d+$/)
    await page.locator('[data-test=grant-title]', { hasText: a.name }).waitFor()
    await page.locator('[data-test=act-object]').click()
    const od = page.locator('[data-test=objection-dialog]')
    await od.waitFor()
    await input('obj-content').fill('该企业保单的投保日期不在本年度')
    await page.locator('[data-test=obj-save]').click()
    await od.waitFor({ state: 'hidden' })
    await page.locator('[data-test=grant-objections] tbody tr', { hasText: '待处理' }).waitFor()
    await page.locator('[data-test=grant-programme]').click()
    await page.waitForURL(/\/funds\/programmes\/\d+$/)
    await page.locator('[data-test=act-approve]').click()
    await confirmBox('批准')
    const outcome = page.locator('[data-test=batch-outcome]', { hasText: '未批准任何事项' })
    await outcome.waitFor()
    assert.match(await page.locator('[data-test=batch-skipped]').innerText(), new RegExp(`${a.name}：有未处理的公示异议`))
    await settled()
    await assertFits()
    await shot('11-approve-skipped')

    // Resolved, approved and paid on the grant's page.
    await rows.filter({ hasText: a.name }).locator('[data-test=grant-link]').click()
    await page.waitForURL(/\/funds\/grants\/\d+$/)
    await page.locator('[data-test=grant-objections] tbody [data-test=act-resolve]').click()
    const rd = page.locator('[data-test=resolve-dialog]')
    await rd.waitFor()
    await input('res-text').fill('经核实，保单投保日期为本年度，异议不成立')
    await page.locator('[data-test=res-save]').click()
    await rd.waitFor({ state: 'hidden' })
    await page.locator('[data-test=grant-objections] tbody tr', { hasText: '异议不成立' }).waitFor()
    await page.locator('[data-test=act-approve]').click()
    await confirmBox('批准')
    await page.locator('[data-test=grant-status]', { hasText: '已批准' }).waitFor()
    await page.locator('[data-test=act-pay]').click()
    const pd = page.locator('[data-test=pay-dialog]')
    await pd.waitFor()
    assert.equal(await input('pay-amount').inputValue(), '30000')
    await input('pay-doc').fill('济科财〔2026〕保费-E2E-01')
    await shot('12-pay-dialog')
    await page.locator('[data-test=pay-save]').click()
    await pd.waitFor({ state: 'hidden' })
    await page.locator('[data-test=grant-status]', { hasText: '已拨付' }).waitFor()
    await settled()
    await page.locator('[data-test=grant-payments] tbody tr', { hasText: '济科财〔2026〕保费-E2E-01' }).waitFor()
    const trace = await page.locator('[data-test=grant-trace]').innerText()
    assert.match(trace, /拟支持[\s\S]*公示[\s\S]*异议 1[\s\S]*异议不成立[\s\S]*批准[\s\S]*拨付 30,000.00 元，凭证号 济科财〔2026〕保费-E2E-01/)
    await assertFits()
    await page.locator('[data-test=grant-trace]').scrollIntoViewIfNeeded()
    await shot('13-paid-trace')
    await noProblems()
  })

  it('officer: 科技保险保费补贴申报 and 仪器共享后补助 decided by their packs', async () => {
    await login(OFFICER)
    const all = (await apiGet('/funds/programmes?size=100')).items
    const bx = all.find((p) => p.code === 'JY-BX-2026')
    const yq = all.find((p) => p.code === 'JY-YQ-2026')
    assert.ok(bx && bx.kind === 'insurance', 'the demo has the 2026 insurance programme')
    assert.ok(yq && yq.kind === 'instrument' && yq.mode === 'auto', 'the demo has the 2026 instrument subsidy')
    const FIRM = '济源国泰环保有限责任公司'
    const POLICY = 'E2E-BX-2026-001'
    const rows = page.locator('[data-test=grants-table] tbody tr.el-table__row')

    // ---- 科技保险保费补贴 ----
    await openProgramme(bx.code, bx.name)
    assert.equal(await page.locator('[data-test=act-propose]').count(), 0, 'no list is generated for insurance')
    await page.locator('[data-test=act-insurance]').click()
    const dlg = page.locator('[data-test=insurance-dialog]')
    await dlg.waitFor()
    // Nothing sent before the form is complete: the missing fields say so.
    await page.locator('[data-test=ic-save]').click()
    await dlg.locator('.el-form-item__error', { hasText: '请选择投保企业' }).waitFor()
    await dlg.locator('.el-form-item__error', { hasText: '实际缴纳保费不能为空' }).waitFor()
    assert.ok(await dlg.locator('.el-form-item.is-required').count() >= 4, 'the required fields carry the red asterisk')
    await pickOrg(dlg, FIRM)
    await choose('ic-product', '其他险种')
    await input('ic-policy').fill(POLICY)
    await input('ic-premium').fill('80000')
    await dlg.locator('.el-form-item__error').first().waitFor({ state: 'detached' })
    // 其他险种: the pack does not subsidize it, said as a warning inside the dialog.
    await page.locator('[data-test=ic-save]').click()
    const refusal = dlg.locator('[data-test=ic-refusal]')
    await refusal.waitFor()
    assert.match(await refusal.innerText(), /^不予补贴：/)
    assert.ok(await refusal.evaluate((el) => el.classList.contains('el-alert--warning')), 'a warning, not an error')
    await shot('14-insurance-refused')
    await forgetExpected(/422/)
    await choose('ic-product', '研发责任保险')
    await refusal.waitFor({ state: 'detached' })
    await shot('15-insurance-dialog')
    await page.locator('[data-test=ic-save]').click()
    await dlg.waitFor({ state: 'hidden' })
    await toast('已生成拟支持的保费补贴 20,000.00 元')
    await settled()
    const row = rows.filter({ hasText: FIRM }).first()
    await row.waitFor()
    assert.equal((await row.locator('[data-test=grant-status]').innerText()).trim(), '拟支持')
    assert.equal((await row.locator('[data-test=grant-amount]').innerText()).trim(), '2.00')
    const claimed = (await apiGet(`/funds/grants?programme_id=${bx.id}&q=${encodeURIComponent(FIRM)}&size=100`)).items.filter((g) => g.matter.includes(POLICY))
    assert.equal(claimed.length, 1)
    assert.equal(claimed[0].status, 'proposed')
    assert.equal(Number(claimed[0].amount), 20000)
    assert.match(claimed[0].explanation, /25%/)
    await row.locator('.el-table__expand-icon').click()
    await page.locator('[data-test=grant-why]').first().waitFor()
    assert.match(await page.locator('[data-test=grant-why]').first().innerText(), /依据：\S[\s\S]*理由：\S/)
    await assertFits()
    await row.scrollIntoViewIfNeeded()
    await shot('16-insurance-grant')

    // The same policy again: 同一事项不重复支持, on 保单号 (the dialog opens blank).
    await page.locator('[data-test=act-insurance]').click()
    await dlg.waitFor()
    assert.equal(await input('ic-policy').inputValue(), '')
    assert.equal(await dlg.locator('.el-form-item__error').count(), 0, 'no error left from the last claim')
    await pickOrg(dlg, FIRM)
    await choose('ic-product', '研发责任保险')
    await input('ic-policy').fill(POLICY)
    await input('ic-premium').fill('80,000')
    await page.locator('[data-test=ic-save]').click()
    const dup = dlg.locator('.el-form-item', { hasText: '保单号' }).locator('.el-form-item__error', { hasText: '同一事项不重复支持' })
    await dup.waitFor()
    assert.match(await dup.innerText(), new RegExp(`^同一事项不重复支持：“研发责任保险保费补贴：保单${POLICY}（保费80000元）”已由${bx.name}`))
    await toast('同一事项不重复支持')
    assert.equal(await dlg.locator('[data-test=ic-refusal]').count(), 0)
    await shot('17-insurance-duplicate')
    await forgetExpected(/409|同一事项不重复支持/)
    await dlg.locator('.el-dialog__footer .el-button', { hasText: '取 消' }).click()
    await dlg.waitFor({ state: 'hidden' })
    assert.equal((await apiGet(`/funds/grants?programme_id=${bx.id}&size=100`)).items.filter((g) => g.matter.includes(POLICY)).length, 1)

    // ---- 仪器共享后补助: 免申即享 from the year's booking records ----
    const CENTRE = '济源市产品质量检验检测中心'
    const stats = await apiGet(`/funds/instruments/stats?year=${yq.year}`)
    const incomeFen = stats.filter((s) => s.host_name === CENTRE).reduce((t, s) => t + Math.round(Number(s.income) * 100), 0)
    assert.ok(incomeFen > 0, `${CENTRE} served outside users in ${yq.year}`)
    const expectFen = Math.min(Math.floor(incomeFen * 0.2), 500_000_000)
    await openProgramme(yq.code, yq.name)
    const propose = page.locator('[data-test=act-propose]')
    assert.equal((await propose.innerText()).trim(), '生成后补助名单')
    assert.equal(await page.locator('[data-test=act-insurance]').count(), 0)
    await propose.click()
    await confirmBox('生成后补助名单')
    await page.locator('[data-test=batch-outcome]', { hasText: '已生成拟支持' }).waitFor()
    await settled()
    const sub = rows.filter({ hasText: CENTRE }).first()
    await sub.waitFor()
    assert.equal((await sub.locator('[data-test=grant-status]').innerText()).trim(), '拟支持')
    assert.equal(num(await sub.locator('[data-test=grant-amount]').innerText()).toFixed(2), (expectFen / 1e6).toFixed(2))
    const subs = (await apiGet(`/funds/grants?programme_id=${yq.id}&size=100`)).items.filter((g) => g.org_name === CENTRE)
    assert.equal(subs.length, 1)
    assert.equal(subs[0].amount_fen, expectFen)
    assert.match(subs[0].explanation, /20%/)
    await assertFits()
    await sub.locator('.el-table__expand-icon').click()
    await page.locator('[data-test=grant-why]').first().waitFor()
    await sub.scrollIntoViewIfNeeded()
    await shot('18-instrument-subsidy')
    await noProblems()
  })
})
