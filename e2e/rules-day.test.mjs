// Browser test of the 梯次培育 pages on a working day (issue 14: 政策试算 prefilled from the
// registry, yes/no questions, pack versions and regions in words) against the real `kechuang`
// binary and a fresh 济源 demo (see harness.mjs):
//
//   enterprise qiye: 政策试算 opens with its own latest registry year filled in (compared with
//     GET /api/v1/applicant-profile), every yes/no question answered from the registry; 试算 gives
//     the API's outcome, never 待定 for a missing answer; a changed figure is marked and can be
//     restored; a year the registry lacks leaves the questions visibly unanswered and the result
//     names what was missing.
//   officer jiyuan: picks an enterprise to prefill the same way; 评价结果 and 免申即享 show region
//     names and pack names with their dates, no region code and no version hash as visible text;
//     the column chooser hides a column; the run summary names the pack in words.
//
// Every step fails on a page error, a console error or an error toast.
// Screenshots go to e2e/output/day-rules-*.png.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { assertFits, base, context, login, menuIn, page, settled, setup, shot, toast, noProblems, problems, watchProblems } from './harness.mjs'

// Its own screenshot prefix: rules.test.mjs clears every file starting with "rules-".
setup({ name: 'rules-day', shotPrefix: 'day-rules-', external: true, acceptDownloads: true })
const menu = menuIn('梯次培育')

// ---- what no step may leave behind: watchProblems/noProblems (harness.mjs) ----

async function apiGet(path) {
  const r = await page.request.get(`${base}/api/v1${path}`)
  assert.equal(r.status(), 200, `${path}: ${await r.text()}`)
  return r.json()
}
async function apiPost(path, body) {
  const me = await apiGet('/auth/me')
  const r = await page.request.post(`${base}/api/v1${path}`, { data: body, headers: { 'X-CSRF-Token': me.csrf_token } })
  assert.equal(r.status(), 200, `${path}: ${await r.text()}`)
  return r.json()
}

const rows = (test) => page.locator(`[data-test=${test}] .el-table__body-wrapper tbody tr.el-table__row`)
const field = (key) => page.locator(`[data-test="fig-${key}"]`)

async function setNumber(test, value) {
  const input = page.locator(`[data-test=${test}] input`)
  await input.fill(String(value))
  await input.press('Enter')
  await input.blur()
}

/** The table `test` shows all its columns without scrolling sideways. */
async function tableFits(test) {
  const w = await page.locator(`[data-test=${test}] .el-table__body-wrapper .el-scrollbar__wrap`).first().evaluate((el) => ({ s: el.scrollWidth, c: el.clientWidth }))
  assert.ok(w.s <= w.c + 1, `${test} scrolls sideways: ${w.s} > ${w.c}`)
}

/** What a form field shows: 是/否/'' for a yes/no question, the text typed otherwise. */
async function shownValue(i) {
  if (i.kind === 'flag') {
    const checked = field(i.key).locator('.el-radio.is-checked')
    return (await checked.count()) ? (await checked.innerText()).trim() : ''
  }
  return field(i.key).locator('input').inputValue()
}

/** The registry's value as the server reads it for the evaluation ("是"/"否", digits). */
const asFigure = (v) => (v === true ? '是' : v === false ? '否' : String(v))

/** Visible text with no 6-digit region code and no version hash (8+ hex digits with a letter). */
function assertNoCodes(text, where) {
  const codes = text.match(/(?<![0-9A-Za-z])\d{6}(?![0-9A-Za-z])/g) ?? []
  assert.deepEqual(codes, [], `${where}: region codes shown`)
  const hashes = (text.match(/(?<![0-9A-Za-z])[0-9a-f]{8,}(?![0-9A-Za-z])/g) ?? []).filter((h) => /[a-f]/.test(h))
  assert.deepEqual(hashes, [], `${where}: hashes shown`)
  assert.doesNotMatch(text, /∞|\[\d+(\.\d+)?%?,/, `${where}: interval notation shown`)
}

describe('梯次培育：企业和科技局的一天', () => {
  it('qiye: 政策试算 opens with its own registry figures, answers every yes/no, is not 待定', async () => {
    await watchProblems()
    await login('qiye')
    await menu('政策试算')
    await page.waitForURL(/\/rules\/evaluate/)
    const profile = await apiGet('/applicant-profile')
    const latest = profile.latest_year
    assert.ok(latest, 'the demo enterprise has registry figures')
    const org = profile.org.name

    // The note says whose figures of which year, and that they may be changed.
    const note = page.locator('[data-test=eval-prefill-note]')
    await note.waitFor()
    assert.match(await note.innerText(), new RegExp(`已按登记库中${org}${latest.year}年度的数据预填，可修改后试算`))
    assert.equal(await page.locator('[data-test=eval-year] input').inputValue(), String(latest.year))
    assert.equal(await page.locator('[data-test=eval-org-own]').innerText(), org)

    // Every figure tech-sme reads is the registry's, the yes/no questions answered.
    const inputs = await apiGet(`/rules/packs/tech-sme/inputs?year=${latest.year}`)
    const flags = inputs.filter((i) => i.kind === 'flag')
    assert.ok(flags.length >= 2, 'tech-sme asks yes/no questions')
    const figures = {}
    for (const i of inputs) {
      const v = latest.figures[i.name]
      assert.ok(v !== undefined && v !== null, `the registry has ${i.name} (${i.label})`)
      figures[i.key] = asFigure(v)
      const shown = await shownValue(i)
      assert.equal(i.kind === 'flag' ? shown : shown.replace(/,/g, ''), figures[i.key], `${i.label} prefilled`)
    }
    assert.equal(await page.locator('[data-test=flag-unset]').count(), 0, 'no yes/no question left unanswered')
    assert.match(await field('revenue').locator('input').inputValue(), /^\d{1,3}(,\d{3})+$/, 'amounts with separators')
    await assertFits()
    await shot('01-qiye-prefilled')

    // 试算: the API's outcome for the same figures, decided.
    const api = await apiPost('/rules/evaluate', { pack: 'tech-sme', year: latest.year, figures })
    assert.notEqual(api.outputs.qualified, null, 'the registry figures decide the outcome')
    assert.deepEqual(api.missing, [])
    await page.locator('[data-test=eval-submit]').click()
    const result = page.locator('[data-test=eval-result]')
    await result.locator('[data-test=outcome-qualified]').waitFor()
    const tag = await result.locator('[data-test=outcome-qualified]').innerText()
    assert.notEqual(tag, '待定')
    assert.equal(tag, api.outputs.qualified ? '符合' : '不符合')
    assert.equal(await result.locator('[data-test=outcome-score]').innerText(), `${api.outputs.score} 分`)
    assert.equal(await result.locator('[data-test=outcome-missing-note]').count(), 0)
    assert.equal((await result.locator('[data-test=outcome-explanation]').innerText()).trimEnd(), api.explanation_text.trimEnd())
    assert.equal(await result.locator('[data-test=eval-source]').innerText(), `${org}，登记库数据`)
    assert.equal(await result.locator('[data-test=outcome-version]').innerText(), '依据：科技型中小企业评价（2017-05-03起施行）')
    assertNoCodes(await page.locator('body').innerText(), '政策试算')
    await noProblems()
    await shot('02-qiye-evaluated')

    // A what-if: a changed figure is marked with the registry's value, the result says so, and
    // 恢复登记库数据 puts the registry's figures back.
    await field('employees').locator('input').fill('300')
    const changed = field('employees').locator('[data-test=fig-changed]')
    await changed.waitFor()
    assert.equal(await changed.innerText(), `已修改，登记库为 ${latest.figures.employees}`)
    await page.locator('[data-test=eval-submit]').click()
    await result.locator('[data-test=eval-source]', { hasText: '修改了 1 项' }).waitFor()
    const whatIf = await apiPost('/rules/evaluate', { pack: 'tech-sme', year: latest.year, figures: { ...figures, employees: '300' } })
    assert.equal(await result.locator('[data-test=outcome-qualified]').innerText(), whatIf.outputs.qualified ? '符合' : whatIf.outputs.qualified === false ? '不符合' : '待定')
    await shot('03-qiye-what-if')
    await page.locator('[data-test=eval-restore]').click()
    assert.equal((await field('employees').locator('input').inputValue()).replace(/,/g, ''), String(latest.figures.employees))
    assert.equal(await page.locator('[data-test=fig-changed]').count(), 0)

    // A year the registry has nothing for: nothing filled, the questions visibly unanswered
    // (neither 是 nor 否), and the result names the answers that were missing.
    const years = (await apiGet(`/enterprise-years?org_id=${profile.org.id}&size=100`)).items.map((y) => y.year)
    const empty = Math.min(...years) - 1
    await setNumber('eval-year', empty)
    await note.filter({ hasText: `登记库中没有${org}${empty}年度的数据` }).waitFor()
    for (const i of flags) {
      assert.equal(await field(i.key).locator('.el-radio').count(), 2, `${i.label}: 是 and 否 both offered`)
      assert.equal(await field(i.key).locator('.el-radio.is-checked').count(), 0, `${i.label}: neither chosen`)
    }
    assert.equal(await page.locator('[data-test=flag-unset]').count(), flags.length)
    assert.match(await page.locator('[data-test=eval-form]').locator('xpath=..').innerText(), /未填写的项目按缺少数据处理/)
    for (const i of inputs.filter((x) => x.kind !== 'flag')) await field(i.key).locator('input').fill(figures[i.key])
    await page.locator('[data-test=eval-submit]').click()
    const bare = await apiPost('/rules/evaluate', { pack: 'tech-sme', year: empty, figures: Object.fromEntries(inputs.filter((x) => x.kind !== 'flag').map((i) => [i.key, figures[i.key]])) })
    const missingNote = result.locator('[data-test=outcome-missing-note]')
    await missingNote.waitFor()
    assert.ok(bare.missing.length > 0)
    for (const m of bare.missing) assert.match(await missingNote.innerText(), new RegExp(m.label.replace(/[()（）]/g, '.')))
    if (bare.outputs.qualified === null) assert.match(await missingNote.innerText(), /^结论待定/)
    assert.deepEqual(await result.locator('[data-test=missing-input]').allInnerTexts(), bare.missing.map((m) => m.label))
    await assertFits()
    await noProblems()
    await shot('04-qiye-unanswered')
  })

  it('jiyuan: picks an enterprise in 政策试算 to prefill its registry figures', async () => {
    await login('jiyuan')
    await menu('政策试算')
    await page.waitForURL(/\/rules\/evaluate/)
    await page.locator('[data-test=eval-form] [data-test=fig-employees]').waitFor()
    assert.equal(await page.locator('[data-test=eval-prefill-note]').count(), 0, 'nothing prefilled before an enterprise is picked')
    const name = '济源国泰环保有限责任公司'
    const orgs = await apiGet(`/organizations?q=${encodeURIComponent(name)}&size=5`)
    const org = orgs.items.find((o) => o.name === name)
    assert.ok(org)
    const years = (await apiGet(`/enterprise-years?org_id=${org.id}&size=100`)).items
    const latest = years.reduce((a, b) => (b.year > a.year ? b : a))

    await page.locator('[data-test=eval-org] .el-select__wrapper').click()
    // By its credit code: the demo has branches whose names start with the same words.
    await page.locator('[data-test=eval-org] input').fill(org.credit_code)
    await page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: org.credit_code }).click()
    await page.locator('[data-test=eval-prefill-note]', { hasText: `${name}${latest.year}年度` }).waitFor()
    assert.equal(await page.locator('[data-test=eval-year] input').inputValue(), String(latest.year))
    assert.equal((await field('revenue').locator('input').inputValue()).replace(/,/g, ''), String(latest.figures.revenue))
    assert.equal(await field('serious_violation').locator('.el-radio.is-checked').innerText(), latest.figures.serious_violation ? '是' : '否')
    await page.locator('[data-test=eval-submit]').click()
    await page.locator('[data-test=eval-result] [data-test=outcome-qualified]').waitFor()
    assert.notEqual(await page.locator('[data-test=eval-result] [data-test=outcome-qualified]').innerText(), '待定')
    await assertFits()
    await noProblems()
    await shot('05-jiyuan-prefilled')
  })

  it('jiyuan: 评价结果 shows region names and the pack in words; the hash only on hover', async () => {
    await login('jiyuan')
    await menu('评价结果')
    await page.waitForURL(/\/rules\/results/)
    await setNumber('results-year', 2025)
    await page.locator('[data-test=results-search]').click()
    const api = await apiGet('/rules/results?pack=tech-sme&year=2025&size=10')
    await page.locator('.el-pagination__total', { hasText: `共 ${api.total} 条` }).first().waitFor()
    await settled()
    assertNoCodes(await page.locator('body').innerText(), '评价结果')
    const regions = await rows('results-table').locator('[data-test=result-region]').allInnerTexts()
    assert.equal(regions.length, api.items.length)
    assert.deepEqual(regions, api.items.map((r) => r.region_name.split('/').pop()))
    const note = page.locator('[data-test=results-pack-note]')
    assert.match(await note.innerText(), /^科技型中小企业评价（2017-05-03起施行）　依据：/)
    // The auditor's version hash: in the tooltip of the pack's name.
    const packs = await apiGet('/rules/packs')
    const techSme = packs.find((p) => p.id === 'tech-sme')
    await note.locator('.pack-version').hover()
    await page.locator('.el-popper:visible', { hasText: techSme.version }).waitFor()
    assert.match(await page.locator('.el-popper:visible', { hasText: techSme.version }).innerText(), /规则版本标识/)
    await page.mouse.move(0, 0)
    await assertFits()
    await tableFits('results-table')
    await shot('06-results')

    // The column chooser: 统一社会信用代码 hidden, then shown again.
    const headers = () => page.locator('[data-test=results-table] .el-table__header-wrapper th').allInnerTexts()
    assert.ok((await headers()).includes('统一社会信用代码'))
    await page.locator('[data-test=rt-columns]').click()
    await page.locator('[data-test=rt-col-credit_code]').click()
    await page.waitForFunction(() => ![...document.querySelectorAll('[data-test=results-table] th')].some((th) => th.textContent.includes('统一社会信用代码')))
    assert.ok((await headers()).includes('所在地区'))
    await shot('07-results-columns')
    await page.locator('[data-test=rt-col-credit_code]').click()
    await page.keyboard.press('Escape')
    await page.waitForFunction(() => [...document.querySelectorAll('[data-test=results-table] th')].some((th) => th.textContent.includes('统一社会信用代码')))

    // The drawer: the region by name, the pack in words.
    await rows('results-table').first().click()
    const drawer = page.locator('[data-test=result-drawer]')
    await drawer.locator('[data-test=outcome-explanation]').waitFor()
    assert.equal(await drawer.locator('[data-test=detail-region]').innerText(), '河南省 / 济源市')
    assert.equal(await drawer.locator('[data-test=detail-version]').innerText(), '科技型中小企业评价（2017-05-03起施行）')
    assertNoCodes(await drawer.innerText(), '评价详情')
    await shot('08-results-drawer')
    await page.keyboard.press('Escape')
    await drawer.waitFor({ state: 'hidden' })

    // 运行评价: the summary names the pack in words, counts with separators, no hash.
    await page.locator('[data-test=results-run]').click()
    await page.locator('.el-message-box__btns .el-button--primary').click()
    await toast('评价完成')
    const summary = page.locator('[data-test=run-summary]')
    await summary.waitFor()
    const text = await summary.innerText()
    assert.match(text, /按 科技型中小企业评价（2017-05-03起施行） 计算/)
    assert.match(text, new RegExp(`共评价 ${api.total.toLocaleString('en-US')} 家企业`))
    assertNoCodes(await page.locator('body').innerText(), '运行评价')
    await noProblems()
    await shot('09-results-run')

    // 导出: the list as filtered, as a spreadsheet.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=results-export]').click()])
    assert.match(download.suggestedFilename(), /^评价结果_科技型中小企业评价_2025_\d{8}\.xlsx$/)
    const bytes = readFileSync(await download.path())
    assert.equal(bytes.subarray(0, 2).toString(), 'PK')
    await toast('导出成功')
  })

  it('jiyuan: 免申即享 lists regions by name and amounts in 万元', async () => {
    await login('jiyuan')
    await menu('免申即享')
    await page.waitForURL(/\/rules\/entitlements/)
    await setNumber('ent-year', 2025)
    await page.locator('[data-test=ent-search]').click()
    const api = await apiGet('/rules/entitlements?year=2025&pack=rewards')
    await rows('ent-table').first().waitFor()
    await settled()
    assertNoCodes(await page.locator('body').innerText(), '免申即享')
    const byRegion = await page.locator('[data-test=ent-region-name]').allInnerTexts()
    assert.deepEqual(byRegion.sort(), Object.keys(api.by_region).map((c) => api.region_names[c].split('/').filter((x) => !x.includes('直辖')).slice(-2).join(' / ')).sort())
    const firstRegion = await rows('ent-table').first().locator('[data-test=ent-region]').innerText()
    assert.equal(firstRegion, api.region_names[api.items[0].region].split('/').pop())
    assert.match(await page.locator('[data-test=ent-table] .el-table__header-wrapper').innerText(), /金额（万元）/)
    const first = Number(api.items[0].amount) / 10000
    assert.equal(await rows('ent-table').first().locator('[data-test=ent-amount]').innerText(), first.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }))
    assert.equal(await page.locator('[data-test=ent-version]').innerText(), '2021-01-01起施行')
    await assertFits()
    await tableFits('ent-table')
    await noProblems()
    await shot('10-entitlements')
  })
})
