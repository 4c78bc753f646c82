// Browser test of 科技创新券, 服务订单 and 仪器共享 against the real `kechuang` binary and a fresh 济源
// demo (see harness.mjs), from the home page through the menu 资金与服务 (no typed URLs):
//
//   a voucher from application to redemption: the enterprise qiye 申领创新券 (2026年度科技创新券);
//     the officer jiyuan 发放 it from the list; qiye 使用创新券（下单） with the provider
//     济源市产品质量检验检测中心 (检验检测); the provider's account fuwu 确认服务完成; the officer reads
//     the 兑付审核 (every check passed, the offset and its rule) and 兑付 with the amount prefilled;
//     the order shows the grant, the grant its payment, and 拨付台账 qiye's 科技创新券 increased by it.
//   a related-party redemption refused: the demo's order KR-2026-031 (济源科润研发服务有限公司 for
//     济源蓝天医药股份25分公司, the same legal representative): the checks show the relation; 兑付
//     answers 不予兑付 and the reason stays on the page above the checks.
//   an instrument booked: qiye books 液相色谱-质谱联用仪 tomorrow 13:00–15:00 (its window appears
//     as its own on the calendar), then 10:00–11:00, which meets another unit's 09:00–12:00 and is
//     refused on the form in the server's words; the booking is listed in 仪器预约, where the host
//     (fuwu) records the hours used.
//
// Every step fails on a page error, a console error or an unexpected error toast; the refusals
// provoked on purpose (409) are checked and then forgotten. Screenshots: e2e/output/vouchers-*.png.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { assertFits, base, login, menuIn, noProblems, page, problems, settled, setup, shot, toast, watchProblems } from './harness.mjs'

setup({ name: 'vouchers' })
const menu = menuIn('资金与服务')

const OFFICER = 'jiyuan'
const ENTERPRISE = 'qiye'
const PROVIDER_ACCOUNT = 'fuwu'
const PROGRAMME = '2026年度科技创新券'
const PROVIDER = '济源市产品质量检验检测中心'
const CONTRACT = 'E2E 产品性能检验检测技术服务合同'
const CONTRACT_NO = 'E2E-JC-2026-001'
const FEE = '50000'
const RELATED_NO = 'KR-2026-031'
const INSTRUMENT = '液相色谱-质谱联用仪'

async function apiGet(path) {
  const r = await page.request.get(`${base}/api/v1${path}`)
  assert.equal(r.status(), 200, `${path}: ${await r.text()}`)
  return r.json()
}
/** "1,234.50 万元" → 1234.5 */
const num = (s) => parseFloat(String(s).replace(/[,\s]/g, ''))
/** Today and tomorrow in Asia/Shanghai. */
const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10)
const tomorrow = () => new Date(Date.now() + 32 * 3600e3).toISOString().slice(0, 10)

const input = (test) => page.locator(`input[data-test=${test}], textarea[data-test=${test}], [data-test=${test}] input, [data-test=${test}] textarea`).first()
/** Open the select `test` and take its option `text` (exactly). */
async function choose(test, text) {
  await page.locator(`[data-test=${test}]`).first().click()
  await page.locator('.el-select-dropdown__item:visible').filter({ hasText: new RegExp(`^\\s*${text}`) }).first().click()
}
/** Forget what a step provoked on purpose (a refusal), after checking it was only that. */
async function forgetExpected(allowed) {
  const toasts = await page.evaluate(() => JSON.parse(sessionStorage.getItem('kc-error-toasts') ?? '[]'))
  for (const p of [...problems, ...toasts]) assert.match(p, allowed, `unexpected: ${p}`)
  problems.length = 0
  await page.evaluate(() => sessionStorage.removeItem('kc-error-toasts'))
}
/** Confirm an ElMessageBox. */
async function confirmBox() {
  await page.locator('.el-message-box__btns .el-button--primary').click()
}
/** A list row (of the table `test`) with `text`. */
const rowOf = (test, text) => page.locator(`[data-test=${test}] tbody tr.el-table__row`, { hasText: text }).first()

describe('科技创新券、服务订单与仪器共享', () => {
  let voucherNo = ''
  let offsetFen = 0

  it('qiye applies for a voucher; jiyuan issues it; qiye orders a service', async () => {
    await watchProblems()
    await login(ENTERPRISE)
    await menu('科技创新券')
    await page.locator('[data-test=vouchers-table]').waitFor()
    await settled()
    await page.locator('[data-test=voucher-apply]').click()
    const dlg = page.locator('[data-test=apply-dialog]')
    await dlg.waitFor()
    const prow = dlg.locator('[data-test=apply-programme]', { hasText: PROGRAMME })
    await prow.waitFor()
    assert.equal((await prow.locator('[data-test=apply-eligible]').innerText()).trim(), '符合申领条件')
    const offer = (await apiGet('/funds/vouchers/programmes')).find((p) => p.name === PROGRAMME)
    assert.ok(offer?.eligible, `${PROGRAMME} is open to ${ENTERPRISE}`)
    assert.match((await prow.innerText()).replace(/,/g, ''), new RegExp(`本单位年度额度：\\s*${(Number(offer.quota) / 1e4).toFixed(2)}\\s*万元`))
    await settled()
    await shot('1-apply-dialog')
    await prow.locator('[data-test=apply-go]').click()
    await toast('待科技局审核发放')
    await dlg.waitFor({ state: 'hidden' })
    const mine = rowOf('vouchers-table', PROGRAMME)
    await mine.waitFor()
    assert.match(await mine.innerText(), /待审核/)
    // The org column is its own name: an enterprise is not shown it.
    assert.doesNotMatch(await page.locator('[data-test=vouchers-table] thead').innerText(), /企业/)
    await assertFits()
    await shot('2-applied')
    await noProblems()

    // The officer issues it from the list.
    await login(OFFICER)
    await menu('科技创新券')
    await page.locator('[data-test=vouchers-table]').waitFor()
    await choose('vouchers-status', '待审核')
    await page.locator('[data-test=vouchers-search]').click()
    await settled()
    const applied = rowOf('vouchers-table', '济源国泰环保')
    await applied.waitFor()
    await page.locator('[data-test=voucher-stats]').waitFor()
    await assertFits()
    await shot('3-officer-list')
    await applied.locator('[data-test=row-issue]').click()
    await confirmBox()
    await toast('已发放')
    const issued = (await apiGet(`/funds/vouchers?q=${encodeURIComponent('济源国泰环保')}&year=2026&size=10`)).items.find((v) => v.programme_name === PROGRAMME)
    assert.equal(issued.status, 'issued')
    voucherNo = issued.voucher_no
    assert.match(voucherNo, /^JY-CXQ-2026-\d{4}$/)
    await noProblems()

    // The enterprise uses it: an order with the provider.
    await login(ENTERPRISE)
    await menu('科技创新券')
    await page.locator('[data-test=vouchers-table]').waitFor()
    await settled()
    await rowOf('vouchers-table', voucherNo).locator('[data-test=voucher-link]').click()
    await page.waitForURL(/\/funds\/vouchers\/\d+$/)
    await page.locator('[data-test=voucher-title]', { hasText: voucherNo }).waitFor()
    await settled()
    assert.equal(num(await page.locator('[data-test=voucher-face]').innerText()), issued.face_fen / 1e6)
    assert.match(await page.locator('[data-test=voucher-eligibility]').innerText(), /\S/)
    await assertFits()
    await shot('4-voucher-issued')
    await page.locator('[data-test=act-order]').click()
    const of = page.locator('[data-test=order-dialog]')
    await of.waitFor()
    await page.locator('[data-test=of-provider]').click()
    await page.locator('[data-test=of-provider] input').fill('检验检测')
    await page.locator('.el-select-dropdown__item:visible', { hasText: PROVIDER }).first().click()
    await choose('of-service', '检验检测')
    await input('of-contract-name').fill(CONTRACT)
    await input('of-contract-no').fill(CONTRACT_NO)
    await input('of-fee').fill(FEE)
    await shot('5-order-dialog')
    await page.locator('[data-test=of-save]').click()
    await toast('已下单')
    await of.waitFor({ state: 'hidden' })
    const orow = rowOf('voucher-orders', CONTRACT)
    await orow.waitFor()
    assert.match(await orow.innerText(), /服务中/)
    await shot('6-ordered')
    await noProblems()
  })

  it('the provider confirms completion; jiyuan redeems; the grant and the ledger show it', async () => {
    await login(PROVIDER_ACCOUNT)
    await menu('服务订单')
    await page.locator('[data-test=orders-table]').waitFor()
    await settled()
    const row = rowOf('orders-table', CONTRACT)
    await row.waitFor()
    assert.match(await row.innerText(), /服务方/)
    await assertFits()
    await shot('7-orders-provider')
    await row.locator('[data-test=order-link]').click()
    await page.waitForURL(/\/funds\/orders\/\d+$/)
    await page.locator('[data-test=order-title]', { hasText: CONTRACT }).waitFor()
    await settled()
    await page.locator('[data-test=act-complete]').click()
    const cf = page.locator('[data-test=complete-dialog]')
    await cf.waitFor()
    await input('cf-evidence').fill('出具检测报告 JC-2026-E2E-001，交付产品性能检测数据')
    await page.locator('[data-test=cf-save]').click()
    await toast('已确认服务完成')
    await cf.waitFor({ state: 'hidden' })
    await page.locator('[data-test=order-status]', { hasText: '待兑付' }).waitFor()
    assert.equal(await page.locator('[data-test=act-complete]').count(), 0)
    assert.equal(await page.locator('[data-test=redemption]').count(), 0, 'the provider does not see the bureau’s checks')
    await shot('7-completed-by-provider')
    await noProblems()

    // The officer reads the checks and redeems.
    await login(OFFICER)
    const ledgerBefore = (await apiGet(`/funds/ledger?q=${encodeURIComponent('济源国泰环保')}&size=10`)).items.find((r) => r.org_name.includes('济源国泰环保'))
    await menu('服务订单')
    await page.locator('[data-test=orders-table]').waitFor()
    await input('orders-q').fill(CONTRACT_NO)
    await page.locator('[data-test=orders-search]').click()
    await settled()
    await rowOf('orders-table', CONTRACT).locator('[data-test=order-link]').click()
    await page.waitForURL(/\/funds\/orders\/\d+$/)
    await page.locator('[data-test=redeem-checks]').waitFor()
    await settled()
    const checks = page.locator('[data-test=redeem-checks] li')
    assert.equal(await checks.count(), 5)
    assert.equal(await page.locator('[data-test=redeem-checks] li[data-passed=false]').count(), 0)
    await page.locator('[data-test=redeem-ok]').waitFor()
    assert.match(await page.locator('[data-test=check-voucher\\.related_party]').innerText(), /均无关联/)
    const orderId = page.url().match(/(\d+)$/)[1]
    const view = await apiGet(`/funds/orders/${orderId}`)
    offsetFen = view.redemption.offset_fen
    assert.ok(offsetFen > 0)
    assert.match(await page.locator('[data-test=redeem-offset]').innerText(), /依据/)
    await assertFits()
    await shot('8-redemption-checks')
    await page.locator('[data-test=act-redeem]').click()
    const rd = page.locator('[data-test=redeem-dialog]')
    await rd.waitFor()
    assert.equal(num(await input('rd-amount').inputValue()) * 100, offsetFen, 'the amount is prefilled with the offset')
    await input('rd-document').fill('JYCZ-2026-E2E-01')
    await shot('9-redeem-dialog')
    await page.locator('[data-test=rd-save]').click()
    await toast('已兑付')
    await rd.waitFor({ state: 'hidden' })
    await page.locator('[data-test=order-status]', { hasText: '已兑付' }).waitFor()
    await page.locator('[data-test=order-redeemed]').waitFor()
    await assertFits()
    await shot('10-redeemed')

    // The grant with its payment.
    await page.locator('[data-test=order-grant]').click()
    await page.waitForURL(/\/funds\/grants\/\d+$/)
    await page.locator('[data-test=grant-title]').waitFor()
    await settled()
    await page.locator('[data-test=grant-payments] tbody tr.el-table__row', { hasText: 'JYCZ-2026-E2E-01' }).waitFor()
    await shot('11-grant')

    // 拨付台账: qiye's 科技创新券 grew by the offset.
    await menu('拨付台账')
    await page.locator('[data-test=ledger-table]').waitFor()
    await input('ledger-q').fill('济源国泰环保')
    await page.locator('[data-test=ledger-search]').click()
    await settled()
    const lrow = rowOf('ledger-table', '济源国泰环保')
    await lrow.waitFor()
    const cell = num(await lrow.locator('[data-test=ledger-cell-voucher]').innerText())
    assert.equal(cell.toFixed(2), ((Number(ledgerBefore.by_kind.voucher ?? 0) * 100 + offsetFen) / 1e6).toFixed(2))
    await shot('12-ledger')
    await noProblems()
  })

  it('jiyuan: a related-party order is refused and the reason stays on the page', async () => {
    await menu('服务订单')
    await page.locator('[data-test=orders-table]').waitFor()
    await input('orders-q').fill(RELATED_NO)
    await page.locator('[data-test=orders-search]').click()
    await settled()
    const row = rowOf('orders-table', RELATED_NO)
    await row.waitFor()
    assert.match(await row.innerText(), /待兑付/)
    await row.locator('[data-test=order-link]').click()
    await page.waitForURL(/\/funds\/orders\/\d+$/)
    await page.locator('[data-test=redeem-checks]').waitFor()
    await settled()
    const related = page.locator('[data-test=check-voucher\\.related_party]')
    assert.equal(await related.getAttribute('data-passed'), 'false')
    assert.match(await related.innerText(), /法定代表人相同（\S+）/)
    await page.locator('[data-test=redeem-preview-refusal]', { hasText: '服务机构与企业无关联关系' }).waitFor()
    await shot('13-related-preview')

    // 兑付 anyway: the server refuses, and its reason is kept above the checks.
    await page.locator('[data-test=act-redeem]').click()
    const rd = page.locator('[data-test=redeem-dialog]')
    await rd.waitFor()
    await input('rd-document').fill('JYCZ-2026-E2E-02')
    await page.locator('[data-test=rd-save]').click()
    await rd.waitFor({ state: 'hidden' })
    const refusal = page.locator('[data-test=redeem-refusal]')
    await refusal.waitFor()
    const text = await refusal.innerText()
    assert.match(text, /不予兑付：服务机构与企业无关联关系。/)
    assert.match(text, /法定代表人相同/)
    // It stays (no fleeting toast): still there a moment later, the order unchanged.
    await page.waitForTimeout(3500)
    assert.ok(await refusal.isVisible())
    await page.locator('[data-test=order-status]', { hasText: '待兑付' }).waitFor()
    await assertFits()
    await shot('14-related-refused')
    await forgetExpected(/409/)
    await noProblems()
  })

  it('qiye books an instrument; an overlapping booking is refused with its message; the host records the use', async () => {
    await login(ENTERPRISE)
    await menu('仪器共享')
    await page.locator('[data-test=instruments-table]').waitFor()
    await settled()
    await assertFits()
    await shot('15-catalogue')
    await rowOf('instruments-table', INSTRUMENT).locator('[data-test=instrument-link]').click()
    await page.waitForURL(/\/funds\/instruments\/\d+$/)
    await page.locator('[data-test=instrument-title]', { hasText: INSTRUMENT }).waitFor()
    await settled()
    const day = tomorrow()
    const cal = page.locator(`[data-test=cal-${day}]`)
    await cal.locator('[data-test=cal-window][data-mine=false]').first().waitFor()
    await cal.click()

    // A free window: booked, and shown as its own on the calendar.
    await choose('bk-start', '13:00')
    await choose('bk-end', '15:00')
    await input('bk-purpose').fill('送样测试：药物中间体杂质 LC-MS 定性分析')
    await page.locator('[data-test=bk-save]').click()
    await toast('已预约')
    await cal.locator('[data-test=cal-window][data-mine=true]').waitFor()
    await assertFits()
    await shot('16-booked')

    // The window of another unit: refused on the form in the server's words.
    await cal.click()
    await choose('bk-start', '10:00')
    await choose('bk-end', '11:00')
    await page.locator('[data-test=bk-clash]').waitFor()
    await input('bk-purpose').fill('补充测试')
    await page.locator('[data-test=bk-save]').click()
    const err = page.locator('[data-test=booking-form] .el-form-item__error', { hasText: '重叠' })
    await err.waitFor()
    assert.match(await err.innerText(), new RegExp(`该时段与已有预约（${day} 09:00 至 ${day} 12:00）重叠，请选择其他时间`))
    await shot('17-overlap-refused')
    await forgetExpected(/409/)

    // A time already past: the server's message too.
    await page.locator(`[data-test=cal-${today()}]`).click()
    await choose('bk-start', '00:00')
    await choose('bk-end', '01:00')
    await page.locator('[data-test=bk-save]').click()
    await page.locator('[data-test=booking-form] .el-form-item__error', { hasText: '不能预约已过去的时间' }).waitFor()
    await shot('18-past-refused')
    await forgetExpected(/422/)

    // 仪器预约 lists it; the host records the hours used.
    await menu('仪器预约')
    await page.locator('[data-test=bookings-table]').waitFor()
    await settled()
    const b = rowOf('bookings-table', `${day} 13:00 – 15:00`)
    await b.waitFor()
    assert.match(await b.innerText(), /已预约/)
    assert.equal(await b.locator('[data-test=booking-usage]').count(), 0, 'the user does not record the use')
    await shot('19-bookings')
    await noProblems()

    await login(PROVIDER_ACCOUNT)
    await menu('仪器预约')
    await page.locator('[data-test=bookings-table]').waitFor()
    await settled()
    const hb = rowOf('bookings-table', `${day} 13:00 – 15:00`)
    await hb.waitFor()
    await hb.locator('[data-test=booking-usage]').click()
    const ud = page.locator('[data-test=usage-dialog]')
    await ud.waitFor()
    await input('usage-hours').fill('1.5')
    await ud.locator('.hint', { hasText: '90 分钟' }).waitFor()
    await shot('20-usage')
    await page.locator('[data-test=usage-save]').click()
    await toast('已登记使用 1.5 小时')
    await ud.waitFor({ state: 'hidden' })
    await hb.locator('[data-test=booking-status]', { hasText: '已使用' }).waitFor()
    // 350 元/小时 × 1.5 小时
    assert.match(await hb.innerText(), /525\.00/)
    await assertFits()
    await shot('21-used')
    await noProblems()
  })

  it('jiyuan: 服务机构, 仪器共享统计, 科技贷 with its pool, a 贴息 and a 代偿补偿', async () => {
    await login(OFFICER)
    // 服务机构: the register, and a provider's related parties kept as tags.
    await menu('服务机构')
    await page.locator('[data-test=providers-table]').waitFor()
    await settled()
    const prow = rowOf('providers-table', '济源科润研发服务有限公司')
    await prow.waitFor()
    await assertFits()
    await shot('22-providers')
    await prow.locator('[data-test=provider-edit]').click()
    const pf = page.locator('[data-test=provider-form]')
    await pf.waitFor()
    await input('pf-related').fill('91419001MA44abcd1x 123')
    await page.keyboard.press('Enter')
    await page.locator('[data-test=pf-save]').click()
    await pf.locator('.el-form-item__error', { hasText: '“123”格式错误' }).waitFor()
    await shot('23-provider-form')
    await page.keyboard.press('Escape')
    await pf.waitFor({ state: 'hidden' })

    // 仪器共享: the region's instruments and the year's open-sharing figures.
    await menu('仪器共享')
    await page.locator('[data-test=instruments-table]').waitFor()
    await settled()
    await rowOf('instruments-table', INSTRUMENT).waitFor()
    await page.locator('.el-tabs__item', { hasText: '年度开放共享统计' }).click()
    await page.locator('[data-test=istats-table] tbody tr.el-table__row', { hasText: INSTRUMENT }).waitFor()
    await settled()
    const stats = await apiGet(`/funds/instruments/stats?year=${today().slice(0, 4)}`)
    const lc = stats.find((x) => x.name === INSTRUMENT)
    const srow = rowOf('istats-table', INSTRUMENT)
    assert.match(await srow.innerText(), new RegExp(lc.sharing_rate.replace('.', '\\.')))
    await page.locator('[data-test=istats-totals]').waitFor()
    await assertFits()
    await shot('24-instrument-stats')
    // The officer reads an instrument's calendar (no booking form: bookings are made by organizations).
    await srow.locator('a').click()
    await page.waitForURL(/\/funds\/instruments\/\d+$/)
    await page.locator('[data-test=instrument-calendar] [data-test=cal-window]').first().waitFor()
    assert.equal(await page.locator('[data-test=booking-card]').count(), 0)
    await assertFits()
    await shot('24-instrument-officer')

    // 科技贷: the loans, the pool with a deposit.
    await menu('科技贷')
    await page.locator('[data-test=loans-table]').waitFor()
    await settled()
    assert.equal(await page.locator('[data-test=loans-table] tbody tr.el-table__row').count(), 3)
    await assertFits()
    await shot('25-loans')
    await page.locator('.el-tabs__item', { hasText: '风险补偿资金池' }).click()
    await page.locator('[data-test=pool-card]').waitFor()
    await settled()
    const before = num(await page.locator('[data-test=pool-balance]').innerText())
    await page.locator('[data-test=pool-deposit]').click()
    const pe = page.locator('[data-test=pool-entry-form]')
    await pe.waitFor()
    await input('pe-amount').fill('1000000')
    await input('pe-document').fill('济财预〔2026〕E2E号')
    await page.locator('[data-test=pe-save]').click()
    await toast('已登记财政注资')
    await pe.waitFor({ state: 'hidden' })
    await page.waitForFunction(
      (b) => parseFloat(document.querySelector('[data-test=pool-balance]').innerText.replace(/[,\s]/g, '')) !== b,
      before,
    )
    assert.equal(num(await page.locator('[data-test=pool-balance]').innerText()).toFixed(2), (before + 100).toFixed(2))
    await assertFits()
    await shot('26-pool')

    // A loan: 申请贴息 and 代偿补偿 (the pack's explanation shown once done).
    await page.locator('.el-tabs__item', { hasText: '贷款备案' }).click()
    await rowOf('loans-table', 'ZYJY-KJD-2024-025').locator('[data-test=loan-link]').click()
    await page.waitForURL(/\/funds\/loans\/\d+$/)
    await page.locator('[data-test=loan-title]').waitFor()
    await settled()
    assert.match(await page.locator('[data-test=loan-eligibility]').innerText(), /\S/)
    const grantsBefore = await page.locator('[data-test=loan-grants] tbody tr.el-table__row').count()
    await shot('27-loan')
    await page.locator('[data-test=act-interest]').click()
    const idlg = page.locator('[data-test=interest-dialog]')
    await idlg.waitFor()
    await choose('in-programme', '2025年度科技贷贴息')
    // The year follows the programme: 2025 was already subsidised for this loan (同一事项不重复支持).
    const year = idlg.locator('.el-form-item', { hasText: '付息年度' }).locator('input')
    assert.equal(await year.inputValue(), '2025')
    await input('in-interest').fill('103500')
    await page.locator('[data-test=in-save]').click()
    const refusal = idlg.locator('[data-test=interest-refusal]')
    await refusal.waitFor()
    assert.match(await refusal.innerText(), /同一事项不重复支持/)
    await shot('28-interest-refused')
    await forgetExpected(/409/)
    // The interest of 2026, in the 2026 programme: 核定 by the pack, listed as a proposed grant.
    await choose('in-programme', '2026年度科技贷贴息')
    assert.equal(await year.inputValue(), '2026')
    await page.locator('[data-test=in-save]').click()
    await toast('已核定贴息')
    await idlg.waitFor({ state: 'hidden' })
    const g = page.locator('[data-test=loan-grants] tbody tr.el-table__row', { hasText: '2026年度科技贷贴息' })
    await g.waitFor()
    assert.equal(await page.locator('[data-test=loan-grants] tbody tr.el-table__row').count(), grantsBefore + 1)
    assert.match(await g.innerText(), /拟支持/)
    await shot('28-interest')
    await page.locator('[data-test=act-compensate]').click()
    const cdlg = page.locator('[data-test=compensate-dialog]')
    await cdlg.waitFor()
    await input('cp-loss').fill('1000000')
    await input('cp-document').fill('济科贷偿〔2026〕E2E号')
    await page.locator('[data-test=cp-save]').click()
    await cdlg.waitFor({ state: 'hidden' })
    const done = page.locator('[data-test=compensated]')
    await done.waitFor()
    assert.match(await done.innerText(), /依据/)
    await page.locator('[data-test=loan-status]', { hasText: '已代偿' }).waitFor()
    await page.locator('[data-test=loan-entries] tbody tr.el-table__row').first().waitFor()
    await assertFits()
    await shot('29-compensated')
    await noProblems()
  })
})
