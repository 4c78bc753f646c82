// Browser test of the 梯次培育 pages (政策评价 results, 政策试算, 免申即享) against the real
// `kechuang` binary with the 济源 demo: tech-sme results stored for 2021–2025 and reward data for
// 2023–2025. Every figure the page shows is compared with what the API answers to the same
// session (page.request shares the browser's cookies).
//
//   KECHUANG_BIN       the binary (default: $CARGO_TARGET_DIR/debug/kechuang)
//   KECHUANG_WEB_DIST  serve a rebuilt UI instead of the embedded one
//
// Screenshots go to e2e/output/rules-*.png.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { assertFits, base, login, menuIn, page, settled, setup, shot, tmp, toast } from './harness.mjs'
import { creditCode, unzipTexts } from './xlsx.mjs'

// rules-day.test.mjs's screenshots share the prefix: they are left alone.
setup({ name: 'rules', acceptDownloads: true, timeout: 20000, clean: (f) => f.startsWith('rules-') && !f.startsWith('rules-day-') })
const menu = menuIn('梯次培育')
/** An enterprise of 济源 in pool_near (set by the first test), for the scope check. */
let otherOrg = null

async function apiGet(path) {
  const r = await page.request.get(`${base}/api/v1${path}`)
  assert.equal(r.status(), 200, `${path}: ${await r.text()}`)
  return r.json()
}

async function apiPost(path, body) {
  const me = await apiGet('/auth/me')
  const r = await page.request.post(`${base}/api/v1${path}`, { data: body, headers: { 'X-CSRF-Token': me.csrf_token } })
  return { status: r.status(), body: await r.json() }
}

/** The data rows of the table `test`. */
function rows(test) {
  return page.locator(`[data-test=${test}] .el-table__body-wrapper tbody tr.el-table__row`)
}

/** Choose `label` in the el-select found by the CSS selector `sel`. */
async function choose(sel, label) {
  await page.locator(sel).click()
  await page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: label }).first().click()
}

async function setNumber(test, value) {
  const input = page.locator(`[data-test=${test}] input`)
  await input.fill(String(value))
  await input.press('Enter')
  await input.blur()
}

/** Wait until the pager of the page says `共 n 条`. */
async function total(n) {
  await page.locator('.el-pagination__total', { hasText: `共 ${n} 条` }).first().waitFor()
}

function fmtYuan(s) {
  return `${BigInt(s).toLocaleString('en-US')} 元`
}

/** 元 as 万元 with two decimals, as the tables with “（万元）” in the header show it. */
function fmtWan(s) {
  return (Number(s) / 10000).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
}

/** The last `levels` levels of a full region name, without the 直辖 placeholder level. */
function regionLabel(fullName, levels) {
  return fullName.split('/').filter((x) => !x.includes('直辖')).slice(-levels).join(' / ')
}

describe('梯次培育', () => {
  it('lists tech-sme results by pool, opens an enterprise, runs the evaluation', async () => {
    await login('jiyuan')
    await menu('评价结果')
    await page.waitForURL(/\/rules\/results/)
    await rows('results-table').first().waitFor()
    await setNumber('results-year', 2025)
    await page.locator('[data-test=results-search]').click()
    const all = await apiGet('/rules/results?pack=tech-sme&year=2025&size=10')
    await total(all.total)
    assert.equal(await rows('results-table').count(), 10)
    assert.equal(await rows('results-table').first().locator('[data-test=result-org]').innerText(), all.items[0].org_name)

    // The pool filter offers the pack's pools, as GET /rules/packs lists them.
    const packs = await apiGet('/rules/packs')
    const techSme = packs.find((p) => p.id === 'tech-sme')
    assert.ok(techSme.pools.some((p) => p.name === 'pool_near'), 'tech-sme lists pool_near')
    await page.locator('[data-test=results-pool]').click()
    const options = page.locator('.el-select-dropdown:visible .el-select-dropdown__item')
    await options.first().waitFor()
    assert.deepEqual(await options.allInnerTexts(), techSme.pools.map((p) => p.label))
    await page.keyboard.press('Escape')

    // The pool filter: the same enterprises, in the same order, as the API's.
    const nearLabel = techSme.pools.find((p) => p.name === 'pool_near').label
    assert.equal(nearLabel, '培育库：综合评价50–59分')
    await choose('[data-test=results-pool]', nearLabel)
    const near = await apiGet('/rules/results?pack=tech-sme&year=2025&pool=pool_near&size=10')
    assert.ok(near.total > 0, 'the demo has enterprises in pool_near')
    await total(near.total)
    await settled()
    assert.deepEqual(await rows('results-table').locator('[data-test=result-org]').allInnerTexts(), near.items.map((r) => r.org_name))
    for (const t of await rows('results-table').locator('[data-test=result-pool]').allInnerTexts()) assert.equal(t, '综合评价50–59分')
    assert.deepEqual(await rows('results-table').locator('[data-test=result-score]').allInnerTexts(), near.items.map((r) => String(r.score)))
    // The region by its name, never its code.
    const regions = await rows('results-table').locator('[data-test=result-region]').allInnerTexts()
    assert.deepEqual(regions, near.items.map((r) => regionLabel(r.region_name, 1)))
    assert.ok(regions.every((t) => t && !/\d/.test(t)), regions.join('|'))
    await assertFits()
    await shot('01-results-pool')

    // The drawer of the first one: gaps, explanation and the pack version, as the API has them.
    const first = near.items[0]
    otherOrg = first.org_id
    const detail = await apiGet(`/rules/results/${first.org_id}?pack=tech-sme&year=2025`)
    assert.ok(detail.gaps.length > 0, 'an enterprise of pool_near has a gap analysis')
    await rows('results-table').first().click()
    const drawer = page.locator('[data-test=result-drawer]')
    await drawer.locator('[data-test=outcome-explanation]').waitFor()
    assert.equal((await drawer.locator('[data-test=outcome-explanation]').innerText()).trimEnd(), detail.explanation.trimEnd())
    assert.match(detail.explanation, /^科技型中小企业评价（2025年度）/)
    assert.deepEqual(await drawer.locator('[data-test=gap]').allInnerTexts(), detail.gaps.map((g) => `${g.text}（现为 ${g.current}）`))
    assert.match(detail.gaps[0].text, /需再增加/)
    // The rules in words (the pack and since when); the version's digest only on hover, for auditors.
    assert.equal(detail.pack_version, techSme.version)
    assert.match(techSme.valid, /起$/)
    assert.equal(await drawer.locator('[data-test=detail-version]').innerText(), `${techSme.name}（${techSme.valid}施行）`)
    await drawer.locator('[data-test=detail-version] .pack-version').hover()
    await page.locator('.el-popper:visible', { hasText: `规则版本标识：${detail.pack_version}` }).waitFor()
    assert.equal(await drawer.locator('[data-test=detail-region]').innerText(), regionLabel(detail.region_name, 2))
    assert.equal(await drawer.locator('[data-test=outcome-qualified]').innerText(), detail.qualified ? '符合' : '不符合')
    assert.equal(await drawer.locator('[data-test=outcome-pool]').allInnerTexts().then((a) => a.join('|')), nearLabel)
    // The conclusions are labelled by the pack's outputs, pools left out, qualified and score first.
    const outRows = await drawer.locator('[data-test=outcome-outputs] tbody tr').allInnerTexts()
    const label = (n) => techSme.outputs.find((o) => o.name === n).label
    const expected = Object.keys(detail.outputs).filter((k) => !techSme.pools.some((p) => p.name === k))
    assert.equal(outRows.length, expected.length)
    assert.match(outRows[0], new RegExp(`^${label('qualified')}\\s+${detail.qualified ? '是' : '否'}$`))
    assert.match(outRows[1], new RegExp(`^${label('score')}\\s+${detail.score}$`))
    for (const k of expected) assert.ok(outRows.some((r) => r.startsWith(label(k))), `${k} labelled ${label(k)}`)
    await shot('02-results-drawer')
    await page.keyboard.press('Escape')
    await drawer.locator('.el-drawer').waitFor({ state: 'hidden' }).catch(() => {})

    // 运行评价: the summary of the run, equal to the stored results it left.
    await page.locator('[data-test=results-run]').click()
    await page.locator('.el-message-box__btns .el-button--primary').click()
    await toast('评价完成')
    const summary = page.locator('[data-test=run-summary]')
    await summary.waitFor()
    const after = await apiGet('/rules/results?pack=tech-sme&year=2025&size=1')
    const qualified = await apiGet('/rules/results?pack=tech-sme&year=2025&qualified=true&size=1')
    const nearAfter = await apiGet('/rules/results?pack=tech-sme&year=2025&pool=pool_near&size=1')
    const text = await summary.innerText()
    const n = (v) => v.toLocaleString('en-US')
    assert.match(text, new RegExp(`2025年度共评价 ${n(after.total)} 家企业，符合条件 ${n(qualified.total)} 家`))
    assert.match(text, new RegExp(`综合评价50–59分 ${n(nearAfter.total)} 家`))
    await total(nearAfter.total)
    await shot('03-results-run')
  })

  it('evaluates tech-sme figures, reports a missing figure and a bad number in Chinese', async () => {
    await menu('政策试算')
    await page.waitForURL(/\/rules\/evaluate/)
    await setNumber('eval-year', 2024)
    await page.locator('[data-test=eval-form] [data-test=fig-employees]').waitFor()
    const figures = { employees: '50', tech_staff: '12', revenue: '4000万', total_assets: '3000万', total_cost: '3500万', rd_expense: '300万', ip_class1: '0', ip_class2: '3' }
    for (const [k, v] of Object.entries(figures)) await page.locator(`[data-test=fig-${k}] input`).fill(v)
    await page.locator('[data-test=fig-serious_violation] .el-radio', { hasText: '否' }).click()
    // The form marks optional inputs.
    assert.match(await page.locator('[data-test=fig-total_cost]').innerText(), /选填/)
    assert.doesNotMatch(await page.locator('[data-test=fig-employees]').innerText(), /选填/)

    await page.locator('[data-test=eval-submit]').click()
    const api = await apiPost('/rules/evaluate', { pack: 'tech-sme', year: 2024, figures: { ...figures, serious_violation: '否' } })
    assert.equal(api.status, 200)
    assert.equal(api.body.outputs.qualified, true)
    const result = page.locator('[data-test=eval-result]')
    await result.locator('[data-test=outcome-qualified]', { hasText: '符合' }).waitFor()
    assert.equal(await result.locator('[data-test=outcome-qualified]').innerText(), '符合')
    assert.equal(await result.locator('[data-test=outcome-score]').innerText(), `${api.body.outputs.score} 分`)
    assert.equal((await result.locator('[data-test=outcome-explanation]').innerText()).trimEnd(), api.body.explanation_text.trimEnd())
    await assertFits()
    await shot('04-evaluate-qualified')

    // Without 研发费用总额: reported as missing, with the rules that needed it.
    await page.locator('[data-test=fig-rd_expense] input').fill('')
    await page.locator('[data-test=eval-submit]').click()
    const { rd_expense: _, ...without } = figures
    const api2 = await apiPost('/rules/evaluate', { pack: 'tech-sme', year: 2024, figures: { ...without, serious_violation: '否' } })
    assert.deepEqual(api2.body.missing.map((m) => m.label), ['研发费用总额'])
    await result.locator('[data-test=missing-input]').first().waitFor()
    assert.deepEqual(await result.locator('[data-test=missing-input]').allInnerTexts(), ['研发费用总额'])
    assert.match(await result.locator('[data-test=outcome-missing]').innerText(), new RegExp(api2.body.missing[0].needed_by[0]))
    assert.equal(await result.locator('[data-test=outcome-score]').innerText(), '缺少数据')
    await shot('05-evaluate-missing')

    // A bad number: the server's 422 shown in Chinese, beside the field and in the result card.
    await page.locator('[data-test=fig-employees] input').fill('五十人')
    await page.locator('[data-test=eval-submit]').click()
    await page.locator('[data-test=eval-problem]').first().waitFor()
    assert.deepEqual(await page.locator('[data-test=eval-problem]').allInnerTexts(), ['职工总数：“五十人”不是数字'])
    assert.equal(await page.locator('[data-test=fig-employees] .el-form-item__error').innerText(), '“五十人”不是数字')
    await toast('数据校验未通过：职工总数：“五十人”不是数字')
    await shot('06-evaluate-invalid')

    // A pack reading earlier years (高企: 近三年研发费用、销售收入): the form is the figures
    // GET /rules/packs/hnte/inputs?year=2024 lists, grouped by year, labelled as the API says.
    await choose('[data-test=eval-pack]', '高新技术企业认定')
    await page.locator('[data-test="fig-revenue@-1"]').waitFor()
    const hnte = await apiGet('/rules/packs/hnte/inputs?year=2024')
    const prev = hnte.filter((i) => i.offset === -1)
    assert.ok(prev.length > 0 && prev.every((i) => i.label.endsWith('（上一年度）')), 'hnte 2024 reads figures of 2023')
    assert.ok(prev.some((i) => i.key === 'revenue@-1'))
    const byYear = [0, -1, -2].flatMap((o) => hnte.filter((i) => i.offset === o))
    assert.equal(byYear.length, hnte.length, 'hnte reads at most two years back')
    assert.deepEqual(await page.locator('[data-test=eval-form] [data-test^=fig-] .flabel').allInnerTexts(), byYear.map((i) => i.label))
    assert.deepEqual(await page.locator('[data-test=fig-group]').allInnerTexts(), ['2024年（本年度）', '2023年（上一年度）', '2022年（前2年度）'])
    for (const i of prev) assert.match(await page.locator(`[data-test="fig-${i.key}"]`).innerText(), /（上一年度）/)
    assert.equal(await page.locator('[data-test="fig-employees@-1"]').count(), 0, 'only the earlier years the plan reads')
    for (const i of hnte) {
      const isChoice = (await page.locator(`[data-test="fig-${i.key}"] .el-radio-group`).count()) === 1
      assert.equal(isChoice, i.kind === 'flag', `${i.key} (${i.kind}) is ${isChoice ? 'a yes/no choice' : 'a text input'}`)
      assert.equal(/选填/.test(await page.locator(`[data-test="fig-${i.key}"]`).innerText()), i.optional, `${i.key} optional`)
    }
    // A yes/no question is 是 or 否; left unanswered it says so, and nothing is chosen for the user.
    const domain = page.locator('[data-test="fig-ht_domain"]')
    assert.deepEqual(await domain.locator('.el-radio').allInnerTexts(), ['是', '否'])
    assert.equal(await domain.locator('.el-radio.is-checked').count(), 0)
    assert.equal(await domain.locator('[data-test=flag-unset]').innerText(), '未选择')
    await shot('06b-evaluate-hnte')

    // A bad figure of the year before: the server's own labelled message, beside the field too.
    await page.locator('[data-test="fig-revenue@-1"] input').fill('x')
    await page.locator('[data-test=eval-submit]').click()
    const bad = await apiPost('/rules/evaluate', { pack: 'hnte', year: 2024, figures: { employees: '五十人', 'revenue@-1': 'x' } })
    assert.equal(bad.status, 422)
    await page.locator('[data-test=eval-problem]', { hasText: '销售收入（上一年度）' }).waitFor()
    assert.deepEqual(await page.locator('[data-test=eval-problem]').allInnerTexts(), bad.body.fields.map((f) => f.message))
    assert.ok((await page.locator('[data-test=eval-problem]').allInnerTexts()).includes('销售收入（上一年度）：“x”不是数字'))
    assert.equal(await page.locator('[data-test="fig-revenue@-1"] .el-form-item__error').innerText(), '“x”不是数字')

    // A year the pack does not cover: the API's 422 message instead of a form.
    await setNumber('eval-year', 2010)
    const early = await page.request.get(`${base}/api/v1/rules/packs/hnte/inputs?year=2010`)
    assert.equal(early.status(), 422)
    const earlyMsg = (await early.json()).message
    await page.locator('[data-test=eval-form-error]', { hasText: earlyMsg }).waitFor()
    assert.equal(await page.locator('[data-test=eval-form]').count(), 0)
  })

  it('批量试算: evaluates a CSV of three enterprises as the API does, shows details, exports', async () => {
    await login('jiyuan')
    await menu('政策试算')
    await page.waitForURL(/\/rules\/evaluate/)
    await setNumber('eval-year', 2024)
    await page.locator('[data-test=eval-form] [data-test=fig-employees]').waitFor()
    // One that qualifies, one with a bad cell (待定), one with only a 2023 row (not evaluated).
    const [good, bad, old] = ['91419001MA0BATCH1', '91419001MA0BATCH2', '91419001MA0BATCH3'].map(creditCode)
    const head = '统一社会信用代码,年度,企业名称,职工总数,科技人员数,销售收入,资产总额,成本费用支出总额,研发费用总额,Ⅰ类知识产权数,Ⅱ类知识产权数,重大安全质量事故或严重违法失信'
    const csv = [head, `${good},2024,批量甲公司,50,12,4000万,3000万,3500万,300万,0,3,否`, `${bad},2024,批量乙公司,50,十个,4000万,3000万,3500万,300万,0,3,否`, `${old},2023,批量丙公司,50,12,4000万,3000万,3500万,300万,0,3,否`].join('\r\n')
    const file = join(tmp, '企业数据.csv')
    writeFileSync(file, `\ufeff${csv}\r\n`)

    const batch = page.locator('[data-test=batch]')
    assert.match(await batch.locator('[data-test=batch-note]').innerText(), /空白或无法识别的单元格按缺少数据处理/)
    await batch.locator('[data-test=batch-upload] input[type=file]').setInputFiles(file)
    await batch.locator('[data-test=batch-run]').click()

    // The same file posted with the page's session and the CSRF token the UI sends.
    const me = await apiGet('/auth/me')
    const r = await page.request.post(`${base}/api/v1/rules/evaluate-file?pack=tech-sme&year=2024`, {
      headers: { 'X-CSRF-Token': me.csrf_token },
      multipart: { file: { name: '企业数据.csv', mimeType: 'text/csv', buffer: readFileSync(file) } },
    })
    assert.equal(r.status(), 200, await r.text())
    const api = await r.json()
    assert.equal(api.evaluated, 2)
    assert.equal(api.qualified, 1)
    assert.deepEqual(api.without_year, [old])
    assert.deepEqual(api.rows.map((x) => x.credit_code), [good, bad])
    assert.equal(api.rows[0].outputs.score, 80)
    assert.equal(api.rows[1].outputs.qualified, null)

    const summary = batch.locator('[data-test=batch-summary]')
    await summary.waitFor()
    assert.match(await summary.innerText(), new RegExp(`2024年度共试算 ${api.evaluated} 家企业，符合条件 ${api.qualified} 家`))
    assert.deepEqual(await batch.locator('[data-test=batch-without-year-code]').allInnerTexts(), api.without_year)
    assert.deepEqual(await rows('batch-table').locator('[data-test=batch-code]').allInnerTexts(), api.rows.map((x) => x.credit_code))
    assert.deepEqual(await rows('batch-table').locator('[data-test=batch-name]').allInnerTexts(), api.rows.map((x) => x.name))
    assert.deepEqual(await rows('batch-table').locator('[data-test=batch-score]').allInnerTexts(), api.rows.map((x) => (x.outputs.score === null ? '待定' : String(x.outputs.score))))
    const tags = { true: '符合', false: '不符合', null: '待定' }
    assert.deepEqual(await rows('batch-table').locator('[data-test=batch-qualified]').allInnerTexts(), api.rows.map((x) => tags[String(x.outputs.qualified)]))
    assert.deepEqual(await rows('batch-table').locator('[data-test=batch-missing]').allInnerTexts(), api.rows.map((x) => (x.missing.length ? `${x.missing.length} 项` : '—')))
    // The bad cell, named by the figure's label as the file has it.
    assert.deepEqual(api.rows[1].problems, ['科技人员数（2024年）“十个”不是数字'])
    assert.deepEqual(await rows('batch-table').nth(1).locator('[data-test=batch-problem]').allInnerTexts(), api.rows[1].problems)
    assert.equal(await rows('batch-table').first().locator('[data-test=batch-problem]').count(), 0)
    await assertFits()
    await batch.locator('[data-test=batch-table]').scrollIntoViewIfNeeded()
    await shot('06c-batch')

    // The details of the undecided one: the existing outcome view with the API's figures.
    await rows('batch-table').nth(1).click()
    const drawer = page.locator('[data-test=batch-drawer]')
    await drawer.locator('[data-test=outcome-explanation]').waitFor()
    assert.equal((await drawer.locator('[data-test=outcome-explanation]').innerText()).trimEnd(), api.rows[1].explanation_text.trimEnd())
    assert.equal(await drawer.locator('[data-test=outcome-qualified]').innerText(), '待定')
    assert.deepEqual(await drawer.locator('[data-test=missing-input]').allInnerTexts(), api.rows[1].missing.map((m) => m.label))
    assert.deepEqual(await drawer.locator('[data-test=detail-problem]').allInnerTexts(), ['科技人员数（2024年）“十个”不是数字'])
    await shot('06d-batch-drawer')
    await page.keyboard.press('Escape')
    await drawer.locator('.el-drawer').waitFor({ state: 'hidden' }).catch(() => {})

    // 导出结果: the same results as an xlsx, one row per evaluated enterprise.
    const [download] = await Promise.all([page.waitForEvent('download'), batch.locator('[data-test=batch-export]').click()])
    assert.equal(download.suggestedFilename(), '批量试算_tech-sme_2024.xlsx')
    const saved = join(tmp, 'batch.xlsx')
    await download.saveAs(saved)
    const texts = unzipTexts(readFileSync(saved))
    const sheet = [...texts.entries()].find(([n]) => /xl\/worksheets\/sheet\d*\.xml$/.test(n))?.[1] ?? ''
    const all = [...texts.values()].join('\n')
    assert.equal((sheet.match(/<row[ >]/g) ?? []).length, api.rows.length + 1, 'one row per enterprise and the header')
    for (const x of api.rows) assert.ok(all.includes(x.credit_code) && all.includes(x.name), `${x.credit_code} exported`)
    assert.ok(!all.includes(old), 'the enterprise without a 2024 row is not exported')
    assert.match(all, /统一社会信用代码/)
    assert.match(all, /待定/)

    // A file without a 年度 column: the API's 422 message.
    const noYear = join(tmp, '缺年度.csv')
    writeFileSync(noYear, `统一社会信用代码,职工总数\r\n${good},50\r\n`)
    await batch.locator('[data-test=batch-upload] input[type=file]').setInputFiles(noYear)
    await batch.locator('[data-test=batch-run]').click()
    const r2 = await page.request.post(`${base}/api/v1/rules/evaluate-file?pack=tech-sme&year=2024`, {
      headers: { 'X-CSRF-Token': me.csrf_token },
      multipart: { file: { name: '缺年度.csv', mimeType: 'text/csv', buffer: readFileSync(noYear) } },
    })
    assert.equal(r2.status(), 422)
    const msg = (await r2.json()).message
    assert.match(msg, /年度/)
    await batch.locator('[data-test=batch-error]', { hasText: msg }).waitFor()
    assert.equal(await batch.locator('[data-test=batch-summary]').count(), 0)
  })

  it('shows the 免申即享 list of 2025 with the API totals and exports it', async () => {
    await menu('免申即享')
    await page.waitForURL(/\/rules\/entitlements/)
    await setNumber('ent-year', 2025)
    await page.locator('[data-test=ent-search]').click()
    const api = await apiGet('/rules/entitlements?year=2025&pack=rewards')
    // 2025 includes the demo enterprise's provincial engineering centre (资金与服务 demo).
    assert.equal(api.total, '4675000')
    assert.equal(api.items.length, 37)
    await page.locator('[data-test=ent-total-yuan]', { hasText: fmtYuan(api.total) }).waitFor()
    assert.equal(await page.locator('[data-test=ent-total-wan]').innerText(), `${Number(api.total) / 10000} 万元`)
    assert.equal(await page.locator('[data-test=ent-entities]').innerText(), `${api.entities} 家`)
    assert.equal(await page.locator('[data-test=ent-items]').innerText(), `${api.items.length} 项`)
    const cats = rows('ent-by-category')
    assert.equal(await cats.count(), Object.keys(api.by_category).length)
    assert.match(await page.locator('[data-test=ent-by-category] thead').innerText(), /金额（万元）/)
    for (const [name, amount] of Object.entries(api.by_category)) {
      assert.equal(await cats.filter({ hasText: name }).locator('[data-test=ent-cat-amount]').innerText(), fmtWan(amount), name)
    }
    // 按地区 by the names the list carries for its codes.
    const byRegion = await rows('ent-by-region').locator('[data-test=ent-region-name]').allInnerTexts()
    assert.deepEqual(byRegion.sort(), Object.keys(api.by_region).map((c) => regionLabel(api.region_names[c], 2)).sort())
    assert.ok(byRegion.every((t) => t && !/\d/.test(t)), byRegion.join('|'))
    assert.equal(await page.locator('[data-test=ent-chart] svg').count(), 1)
    // Items: 20 a page, the first as the API lists it.
    assert.equal(await rows('ent-table').count(), Math.min(20, api.items.length))
    const firstRow = rows('ent-table').first()
    assert.match(await firstRow.innerText(), new RegExp(api.items[0].org_name))
    assert.equal(await firstRow.locator('[data-test=ent-granted]').innerText(), api.items[0].granted ? '兑现' : '不予兑现')
    assert.equal(await firstRow.locator('[data-test=ent-reason]').innerText(), api.items[0].reason)
    assert.equal(await firstRow.locator('[data-test=ent-region]').innerText(), regionLabel(api.region_names[api.items[0].region], 1))
    assert.equal(await firstRow.locator('[data-test=ent-amount]').innerText(), fmtWan(api.items[0].amount))
    await assertFits()
    await shot('07-entitlements')

    await firstRow.locator('[data-test=ent-explain]').click()
    const dlg = page.locator('[data-test=ent-explain-dialog]')
    await dlg.locator('[data-test=ent-explanation]').waitFor()
    assert.equal((await dlg.locator('[data-test=ent-explanation]').innerText()).trimEnd(), api.items[0].explanation_text.trimEnd())
    await shot('08-entitlements-explanation')
    await page.keyboard.press('Escape')

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=ent-export]').click()])
    assert.match(download.suggestedFilename(), /^免申即享清单_2025_\d{8}\.xlsx$/)
    const file = join(tmp, 'mianshen.xlsx')
    await download.saveAs(file)
    const texts = unzipTexts(readFileSync(file))
    const sheet = [...texts.entries()].find(([n]) => /xl\/worksheets\/sheet\d*\.xml$/.test(n))?.[1] ?? ''
    const all = [...texts.values()].join('\n')
    assert.match(all, /金额（元）/)
    assert.equal((sheet.match(/<row[ >]/g) ?? []).length, api.items.length + 1, 'one row per item and the header')
    for (const it of api.items) assert.ok(all.includes(it.credit_code), `${it.credit_code} exported`)
  })

  it('an enterprise account sees only its own organization', async () => {
    await login('qiye')
    const mine = await apiGet('/rules/results?pack=tech-sme&year=2025&size=50')
    assert.equal(mine.total, 1)
    const me = await apiGet('/auth/me')
    assert.equal(mine.items[0].org_id, me.user.org_id)
    await page.goto(`${base}/rules/results`)
    await setNumber('results-year', 2025)
    await page.locator('[data-test=results-search]').click()
    await total(1)
    await settled()
    assert.deepEqual(await rows('results-table').locator('[data-test=result-org]').allInnerTexts(), [mine.items[0].org_name])
    // All five years of its own, nothing of anyone else.
    const years = await apiGet('/rules/results?pack=tech-sme&size=50')
    assert.ok(years.items.every((r) => r.org_id === me.user.org_id))
    // Another enterprise's result (seen by the officer) is not reachable by its id either.
    assert.ok(otherOrg && otherOrg !== me.user.org_id)
    const other = await page.request.get(`${base}/api/v1/rules/results/${otherOrg}?pack=tech-sme&year=2025`)
    assert.equal(other.status(), 404)
    await rows('results-table').first().click()
    await page.locator('[data-test=result-drawer] [data-test=outcome-explanation]').waitFor()
    await shot('09-qiye-results')

    await page.goto(`${base}/rules/entitlements`)
    await setNumber('ent-year', 2025)
    await page.locator('[data-test=ent-search]').click()
    const ent = await apiGet('/rules/entitlements?year=2025&pack=rewards')
    await page.locator('[data-test=ent-total-yuan]', { hasText: fmtYuan(ent.total) }).waitFor()
    assert.equal(await page.locator('[data-test=ent-entities]').innerText(), `${ent.entities} 家`)
  })
})
