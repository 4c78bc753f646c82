// Browser test of 人才 (人才认定, 认定人才, 人才需求, 院士（学者）工作站, 人才资源库) against the real
// `kechuang` binary and a fresh 济源 demo (see harness.mjs), from the home page through the menu
// 人才与特派员:
//
//   enterprise (qiye, 济源国泰环保有限责任公司): 人才认定 → 新增申报 for one of its staff (C类 with a
//     provincial award and a senior title), 提交: the pack's tier (C类) with its explanation and
//     rule; a D类 claim for a colleague over the youth age limit is refused with the pack's Chinese
//     reason beside the buttons, and the application stays a draft.
//   officer (jiyuan): picks the 待评审 applications, 组织专家评审 with the talent scoring form
//     (100 points): the round is created and linked; its page opens. An expert (zhuanjia) put on
//     the round reads the talent application from 我的评审 (no phone, no salary).
//   officer: the demo's reviewed application (the round closed) → 认定 → the talent's page with its
//     certificate; 认定人才 lists it. 资金项目 JY-RC-2026 → 生成人才补贴名单 lists the new talent's
//     subsidy; the enterprise sees it on the talent's page and its 2025 subsidy in 我获得的资金.
//   officer: 院士（学者）工作站 → 进站 of an academician already at a station is refused with the
//     pack's explanation in the dialog; 人才资源库 and 创新团队 list the demo's talents and teams.
//   enterprise: 人才需求 → 发布需求, 匹配推荐 lists people with their points and reasons.
//
// Every step fails on a page error, a console error or an unexpected error toast. Screenshots go
// to e2e/output/talents-*.png and are copied to $KECHUANG_TALENT_SHOTS (default /tmp/shots-talents).
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { copyFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { OUT, assertFits, base, login, menuIn, noProblems, page, problems, settled, setup, shot, toast, watchProblems } from './harness.mjs'

setup({ name: 'talents' })
const menu = menuIn('人才与特派员')
const SHOTS = process.env.KECHUANG_TALENT_SHOTS ?? '/tmp/shots-talents'
mkdirSync(SHOTS, { recursive: true })

const OFFICER = 'jiyuan'
const ENTERPRISE = 'qiye'
const EXPERT = 'zhuanjia'
/** Staff of the demo enterprise (crates/cli demo): one without any application, one over 45. */
const APPLICANT = '李国强'
const OVER_45 = '孙国强'
/** The demo's 2026 application reviewed in a closed round, awaiting 认定. */
const REVIEWED = '赵建国'

async function snap(name) {
  await shot(name)
  copyFileSync(join(OUT, `talents-${name}.png`), join(SHOTS, `${name}.png`))
}
async function apiGet(path) {
  const r = await page.request.get(`${base}/api/v1${path}`)
  assert.equal(r.status(), 200, `${path}: ${await r.text()}`)
  return r.json()
}
/** A write as the signed-in account (a step the test takes through the API, not the page under test). */
async function apiPost(path, body) {
  const me = await apiGet('/auth/me')
  const r = await page.request.post(`${base}/api/v1${path}`, { data: body, headers: { 'X-CSRF-Token': me.csrf_token } })
  assert.ok(r.ok(), `${path}: ${r.status()} ${await r.text()}`)
  return r.json()
}
const rows = (test) => page.locator(`[data-test=${test}] tbody tr.el-table__row`)
/** Pick `text` in the select `[data-test=test]` (inside `within`). */
async function choose(test, text, within = page) {
  await within.locator(`[data-test=${test}]`).first().click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click()
}
/** Type `name` into a remote person select and pick that person. */
async function pickPerson(test, name, within = page) {
  const sel = within.locator(`[data-test=${test}]`).first()
  await sel.click()
  await sel.locator('input').fill(name)
  await page.locator('.el-select-dropdown__item:visible', { hasText: name }).first().click()
}
/** An el-input's native input or textarea (its data-test lands on it) or one inside a wrapper. */
const field = (test, within = page) => within.locator(`input[data-test=${test}], textarea[data-test=${test}], [data-test=${test}] input, [data-test=${test}] textarea`).first()
/** Type a date into the date picker of the form item labelled `label`. */
async function fillDate(label, value, within = page) {
  const i = within.locator('.el-form-item').filter({ has: page.locator('.el-form-item__label', { hasText: new RegExp(`^${label}$`) }) }).locator('.el-date-editor input').first()
  await i.fill(value)
  await i.press('Enter')
}
async function confirmBox(title) {
  const box = page.locator('.el-message-box', { hasText: title })
  await box.waitFor()
  await box.locator('.el-message-box__btns .el-button--primary').click()
  await box.waitFor({ state: 'hidden' })
}
/** Forget what a step provoked on purpose (a refusal), after checking it was only that. */
async function forgetExpected(allowed) {
  const toasts = await page.evaluate(() => JSON.parse(sessionStorage.getItem('kc-error-toasts') ?? '[]'))
  for (const p of [...problems, ...toasts]) assert.match(p, allowed, `unexpected: ${p}`)
  problems.length = 0
  await page.evaluate(() => sessionStorage.removeItem('kc-error-toasts'))
}
/** `YYYY-MM-DD` `days` after today in Asia/Shanghai. */
function daysAhead(days) {
  return new Date(Date.now() + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 10)
}
/** The application form: person, tier, birth date, education, honours, evidence; saved as a draft. */
async function newApplication({ person, tier, birth, education, honours, evidence, phone = '', salary = '' }, shotName) {
  await page.locator('[data-test=talent-app-add]').click()
  const dlg = page.locator('[data-test=talent-app-dialog]')
  await dlg.locator('[data-test=talent-app-form]').waitFor()
  await pickPerson('talent-app-person', person, dlg)
  await choose('talent-app-tier', tier, dlg)
  await fillDate('出生日期', birth, dlg)
  await choose('talent-app-education', education, dlg)
  for (const h of honours) await dlg.locator('[data-test=talent-app-honours] .el-checkbox', { hasText: h }).click()
  await field('talent-app-evidence', dlg).fill(evidence)
  if (phone) await field('talent-app-phone', dlg).fill(phone)
  if (salary) await field('talent-app-salary', dlg).fill(salary)
  if (shotName) await snap(shotName)
  await dlg.locator('[data-test=talent-app-save]').click()
  await toast('申报已保存为草稿')
  await page.waitForURL(/\/people\/applications\/\d+$/)
  await page.locator('[data-test=talent-app-title]', { hasText: person }).waitFor()
  await page.locator('[data-test=talent-app-state]', { hasText: '草稿' }).waitFor()
  await settled()
}

describe('人才', () => {
  it('enterprise: 人才认定 — a C类 application submitted with the pack\'s tier; a D类 claim over the age limit refused', async () => {
    await watchProblems()
    await login(ENTERPRISE)
    // From the home page through the menu.
    await menu('人才认定')
    await page.waitForURL(/\/people\/applications$/)
    await page.locator('[data-test=talent-apps-table]').waitFor()
    await settled()
    await rows('talent-apps-table').first().waitFor()
    await assertFits()
    await snap('01-enterprise-applications')

    await newApplication(
      {
        person: APPLICANT,
        tier: 'C类',
        birth: '1979-04-02',
        education: '博士研究生',
        honours: ['省科学技术奖一等奖', '正高级专业技术职称'],
        evidence: '河南省科学技术进步奖一等奖证书（第二完成人）；正高级工程师资格证书',
        phone: '13838912345',
        salary: '420000',
      },
      '02-enterprise-new-application',
    )
    // Its own unit reads its private data in full.
    assert.equal(await page.locator('[data-test=talent-app-phone]').innerText(), '13838912345')
    assert.match(await page.locator('[data-test=talent-app-salary]').innerText(), /420,000/)
    await page.locator('[data-test=act-submit]').click()
    await confirmBox('提交认定申请')
    await toast('已提交')
    await page.locator('[data-test=talent-app-state]', { hasText: '待评审' }).waitFor()
    await page.locator('[data-test=talent-app-matched-tier]', { hasText: 'C类 地方级领军人才' }).waitFor()
    const why = await page.locator('[data-test=talent-app-explanation]').innerText()
    assert.match(why, /C类条件：符合/)
    assert.match(why, /首次购房补贴 100 万元/)
    assert.match(await page.locator('[data-test=talent-app-rule]').innerText(), /talent-tiers/)
    assert.equal(await page.locator('[data-test=act-submit]').count(), 0, 'a submitted application is not submitted again')
    await assertFits()
    await snap('03-enterprise-submitted')
    await noProblems()

    // A D类 (青年拔尖人才) claim for a colleague born in 1975: refused on submission, with the reason.
    await menu('人才认定')
    await page.locator('[data-test=talent-apps-table]').waitFor()
    await settled()
    await newApplication({
      person: OVER_45,
      tier: 'D类',
      birth: '1975-03-08',
      education: '博士研究生',
      honours: ['市级领军人才'],
      evidence: '济源市级领军人才入选文件（济人才〔2024〕3号）',
    })
    await page.locator('[data-test=act-submit]').click()
    await confirmBox('提交认定申请')
    const refusal = page.locator('[data-test=talent-app-error]')
    await refusal.waitFor()
    const text = await refusal.innerText()
    assert.match(text, /未能提交/)
    assert.match(text, /D类 青年拔尖人才须在45周岁以下，申报人\d+周岁，不能申报该层次/)
    assert.doesNotMatch(text, /birth_date|talent\.age_limit/, 'no field key or code is shown')
    await page.locator('[data-test=talent-app-state]', { hasText: '草稿' }).waitFor()
    await assertFits()
    await snap('04-enterprise-age-refused')
    await forgetExpected(/status of 422/)
  })

  it('officer: 组织专家评审 over the 待评审 applications; an expert reads one from 我的评审', async () => {
    await login(OFFICER)
    await menu('人才认定')
    await page.locator('[data-test=talent-apps-table]').waitFor()
    await settled()
    await choose('talent-apps-status', '待评审')
    await page.locator('[data-test=talent-apps-search]').click()
    await settled()
    const waiting = rows('talent-apps-table')
    await waiting.filter({ hasText: APPLICANT }).waitFor()
    const n = await waiting.count()
    assert.ok(n >= 2, `the demo's submitted application and ours: ${n}`)
    // The bureau reads the applicant's phone in full as well.
    for (let i = 0; i < n; i++) await waiting.nth(i).locator('.el-table-column--selection .el-checkbox').click()
    await page.locator('[data-test=talent-app-review]', { hasText: `（${n}）` }).waitFor()
    await snap('05-officer-selected')
    await page.locator('[data-test=talent-app-review]').click()
    const dlg = page.locator('[data-test=talent-review-dialog]')
    await dlg.locator('[data-test=talent-review-form]').waitFor()
    assert.equal(await dlg.locator('[data-test=talent-review-max]').innerText(), '100')
    const labels = await dlg.locator('[data-test=talent-review-criteria] .c-label input').evaluateAll((xs) => xs.map((x) => x.value))
    assert.deepEqual(labels, ['学术水平/创新能力', '代表性成果', '对本地产业贡献预期', '团队与条件'])
    await field('talent-review-title', dlg).fill('2026年度高层次人才认定专家评审（第二批）')
    await fillDate('截止日期', daysAhead(20), dlg)
    await snap('06-officer-review-dialog')
    await dlg.locator('[data-test=talent-review-save]').click()
    await dlg.locator('[data-test=talent-review-created]').waitFor()
    assert.match(await dlg.innerText(), new RegExp(`共 ${n} 份申请`))
    await snap('07-officer-review-created')
    await dlg.locator('[data-test=talent-review-round-link]').click()
    await page.waitForURL(/\/review\/rounds\/\d+$/)
    const roundId = Number(page.url().match(/(\d+)$/)[1])
    await page.locator('[data-test=round-title]', { hasText: '第二批' }).waitFor()
    await settled()
    await snap('08-officer-round')
    const mine = (await apiGet(`/people/talent-applications?q=${encodeURIComponent(APPLICANT)}`)).items[0]
    assert.equal(mine.status, 'reviewing')
    assert.equal(mine.round_id, roundId)
    await noProblems()

    // Experts drawn, the expert account put on our applicant's item, the round published (the
    // review pages' own steps, tested in review.test.mjs: taken here through the API).
    await apiPost(`/review/rounds/${roundId}/assign`, { mode: 'optimal' })
    const detail = await apiGet(`/review/rounds/${roundId}`)
    const item = detail.items.find((i) => i.object_ref === `talent_application:${mine.id}`)
    const experts = (await apiGet(`/experts?q=${encodeURIComponent('卫建华')}&size=50`)).items
    const wei = experts.find((e) => e.user_id && e.name === '卫建华')
    assert.ok(item && wei, 'the item and the demo expert account')
    await apiPost(`/review/rounds/${roundId}/adjust`, { item_id: item.id, expert_id: wei.id, remove: false, reason: '人才认定评审：加派专家' })
    await apiPost(`/review/rounds/${roundId}/publish`, {})

    await login(EXPERT)
    await page.goto(`${base}/review/my`)
    await page.locator('[data-test=my-table]').waitFor()
    await settled()
    const task = rows('my-table').filter({ hasText: APPLICANT })
    await task.waitFor()
    await task.locator('[data-test=task-read]', { hasText: '查看申请材料' }).click()
    const drawer = page.locator('[data-test=object-drawer]')
    await drawer.locator('[data-test=talent-object]').waitFor()
    assert.match(await drawer.locator('[data-test=talent-object-tier]').innerText(), /C类 地方级领军人才/)
    assert.match(await drawer.locator('[data-test=talent-object-honours]').innerText(), /省科学技术奖一等奖/)
    assert.match(await drawer.locator('[data-test=talent-object-evidence]').innerText(), /第二完成人/)
    assert.match(await drawer.locator('[data-test=talent-object-explanation]').innerText(), /C类条件：符合/)
    const all = await drawer.innerText()
    assert.doesNotMatch(all, /13838912345|420,?000|手机|年薪/, 'no phone or salary for the expert')
    await snap('09-expert-reads-talent')
    await page.keyboard.press('Escape')
    // A project application still opens as before.
    const project = rows('my-table').filter({ has: page.locator('[data-test=task-read]', { hasText: '查看申报书' }) }).first()
    if (await project.count()) {
      await project.locator('[data-test=task-read]').click()
      await page.locator('[data-test=object-info]').waitFor()
      await page.keyboard.press('Escape')
    }
    await noProblems()
  })

  it('officer: 认定 after the closed review; the talent and its subsidy list', async () => {
    await login(OFFICER)
    await menu('人才认定')
    await page.locator('[data-test=talent-apps-table]').waitFor()
    await page.locator('input[data-test=talent-apps-q]').fill(REVIEWED)
    await page.locator('[data-test=talent-apps-search]').click()
    await settled()
    await rows('talent-apps-table').filter({ hasText: '评审中' }).first().locator('[data-test=talent-app-link]').click()
    await page.waitForURL(/\/people\/applications\/\d+$/)
    await page.locator('[data-test=talent-app-round-status]', { hasText: '已结束' }).waitFor()
    await settled()
    await snap('10-officer-reviewed-application')
    await page.locator('[data-test=act-decide]').click()
    const dlg = page.locator('[data-test=talent-decide-dialog]')
    await dlg.waitFor()
    await field('decide-note', dlg).fill('经专家评审，符合C类人才认定条件，予以认定。')
    await dlg.locator('[data-test=decide-save]').click()
    await toast('已认定为C类')
    await page.locator('[data-test=talent-app-state]', { hasText: '已认定' }).waitFor()
    assert.match(await page.locator('[data-test=talent-app-score]').innerText(), /^\d+(\.\d)?$/, 'the mean score of the review')
    await snap('11-officer-recognized')
    await page.locator('[data-test=talent-app-talent]').click()
    await page.waitForURL(/\/people\/talents\/\d+$/)
    await page.locator('[data-test=talent-title]', { hasText: REVIEWED }).waitFor()
    const cert = await page.locator('[data-test=talent-certificate]').innerText()
    assert.match(cert, /RC2026\d{4}/)
    await page.locator('[data-test=talent-detail-tier]', { hasText: 'C类' }).waitFor()
    await page.locator('[data-test=act-revoke]').waitFor()
    await assertFits()
    await snap('12-officer-talent')

    // 认定人才 lists the new talent.
    await menu('认定人才')
    await page.locator('[data-test=talents-table]').waitFor()
    await page.locator('input[data-test=talents-q]').fill(REVIEWED)
    await page.locator('[data-test=talents-search]').click()
    await settled()
    const row = rows('talents-table').filter({ hasText: REVIEWED })
    await row.waitFor()
    assert.match(await row.innerText(), /RC2026\d{4}[\s\S]*C类 地方级领军人才[\s\S]*济源国泰环保有限责任公司[\s\S]*有效/)
    await snap('13-officer-talents')
    await row.locator('[data-test=talent-link]').click()
    await page.locator('[data-test=talent-title]', { hasText: REVIEWED }).waitFor()

    // 资金项目 JY-RC-2026: 生成人才补贴名单 computes the new talent's subsidy.
    await page.locator('.el-sub-menu__title', { hasText: '资金与服务' }).click()
    await page.locator('.el-menu-item', { hasText: '资金项目' }).click()
    await page.locator('[data-test=programmes-table]').waitFor()
    await page.locator('input[data-test=programmes-q]').fill('JY-RC-2026')
    await page.locator('[data-test=programmes-search]').click()
    await settled()
    await rows('programmes-table').first().locator('[data-test=programme-link]').click()
    await page.waitForURL(/\/funds\/programmes\/\d+$/)
    await settled()
    await page.locator('[data-test=act-propose]', { hasText: '生成人才补贴名单' }).click()
    await confirmBox('生成人才补贴名单')
    await page.locator('[data-test=batch-outcome]').waitFor()
    await settled()
    const grant = rows('grants-table').filter({ hasText: REVIEWED })
    await grant.waitFor()
    assert.match(await grant.innerText(), /首次购房补贴/)
    await snap('14-officer-subsidy-list')
    await noProblems()
  })

  it('enterprise: the talent\'s subsidy on its page and in 我获得的资金', async () => {
    await login(ENTERPRISE)
    await menu('认定人才')
    await page.locator('[data-test=talents-table]').waitFor()
    await settled()
    await rows('talents-table').filter({ hasText: REVIEWED }).locator('[data-test=talent-link]').click()
    await page.locator('[data-test=talent-title]', { hasText: REVIEWED }).waitFor()
    const grants = page.locator('[data-test=talent-grants]')
    await grants.locator('[data-test=talent-grant-link]', { hasText: '首次购房补贴' }).waitFor()
    assert.equal(await page.locator('[data-test=act-revoke]').count(), 0, 'only the bureau revokes')
    await snap('15-enterprise-talent-support')
    // The 2025 talent's subsidy, paid, in 我获得的资金.
    await page.locator('.el-sub-menu__title', { hasText: '资金与服务' }).click()
    await page.locator('.el-menu-item', { hasText: '我获得的资金' }).click()
    await page.locator('[data-test=received-summary]').waitFor()
    await settled()
    await page.locator('[data-test=received-grant-link]', { hasText: '首次购房补贴' }).first().waitFor()
    await snap('16-enterprise-received')
    await noProblems()
  })

  it('officer: 进站 refused with the pack\'s reason; 人才资源库 and 创新团队', async () => {
    await login(OFFICER)
    await menu('院士（学者）工作站')
    await page.locator('[data-test=stations-table]').waitFor()
    await settled()
    await rows('stations-table').first().waitFor()
    await snap('17-officer-stations')
    const stationed = (await apiGet('/people/station-experts')).items.find((s) => s.role === 'active_academician')
    const others = (await apiGet('/platforms?platform_type=academician_workstation&size=100')).items.filter((p) => p.id !== stationed.platform_id)
    assert.ok(others.length, 'a second 院士工作站 in the demo')
    await page.locator('[data-test=station-add]').click()
    const dlg = page.locator('[data-test=station-dialog]')
    await dlg.waitFor()
    await choose('station-platform', others[0].name, dlg)
    await pickPerson('station-person', stationed.person_name, dlg)
    await choose('station-role', '院士（在职）', dlg)
    await fillDate('协议开始日期', daysAhead(3), dlg)
    await fillDate('协议结束日期', daysAhead(3 + 3 * 365), dlg)
    await field('station-days', dlg).fill('100')
    await dlg.locator('[data-test=station-save]').click()
    const refusal = dlg.locator('[data-test=station-refusal]')
    await refusal.waitFor()
    const text = await refusal.innerText()
    assert.match(text, new RegExp(`${stationed.person_name}不能进站`))
    assert.match(text, /院士工作站数量未超限：不符合/)
    await snap('18-officer-station-refused')
    await forgetExpected(/status of 409/)
    await dlg.locator('.el-dialog__footer button', { hasText: '取' }).click()

    await menu('人才资源库')
    await page.locator('[data-test=library-table]').waitFor()
    await choose('library-kind', '认定人才')
    await page.locator('[data-test=library-search]').click()
    await settled()
    await rows('library-table').first().locator('[data-test=library-tier-tag]').waitFor()
    await assertFits()
    await snap('19-officer-library')
    // Experts and commissioners carry their markers.
    await choose('library-kind', '科技特派员')
    await page.locator('[data-test=library-search]').click()
    await settled()
    await rows('library-table').first().locator('[data-test=library-commissioner]').waitFor()
    await choose('library-kind', '评审专家')
    await page.locator('[data-test=library-search]').click()
    await settled()
    await rows('library-table').first().locator('[data-test=library-expert]').waitFor()
    await snap('19b-officer-library-experts')

    await menu('创新团队')
    await page.locator('[data-test=teams-table]').waitFor()
    await settled()
    await rows('teams-table').filter({ hasText: '环保催化材料创新团队' }).waitFor()
    await snap('20-officer-teams')
    await noProblems()
  })

  it('enterprise: 发布人才需求 and 匹配推荐 with reasons', async () => {
    await login(ENTERPRISE)
    await menu('人才需求')
    await page.locator('[data-test=demands-table]').waitFor()
    await settled()
    await page.locator('[data-test=demand-add]').click()
    const dlg = page.locator('[data-test=demand-dialog]')
    await dlg.waitFor()
    await field('demand-title', dlg).fill('冶炼烟气治理技术负责人')
    await field('demand-field', dlg).fill('环境科学')
    const kw = field('demand-keyword-input', dlg)
    for (const k of ['催化', '大气治理']) {
      await kw.fill(k)
      await kw.press('Enter')
      await dlg.locator('[data-test=demand-keywords] .el-tag', { hasText: k }).waitFor()
    }
    await choose('demand-title-level', '副高级', dlg)
    await fillDate('截止日期', daysAhead(45), dlg)
    await field('demand-description', dlg).fill('负责有色冶炼烟气脱硫脱硝工程的技术方案与调试，带领团队完成超低排放改造。')
    await snap('21-enterprise-demand-dialog')
    await dlg.locator('[data-test=demand-save]').click()
    await toast('人才需求已发布')
    const row = rows('demands-table').filter({ hasText: '冶炼烟气治理技术负责人' })
    await row.waitFor()
    assert.match(await row.innerText(), /催化、大气治理[\s\S]*征集中/)
    await page.locator('.el-message').first().waitFor({ state: 'hidden' })
    await row.locator('[data-test=demand-matches]').click()
    const drawer = page.locator('[data-test=match-drawer]')
    await drawer.locator('[data-test=match-item]').first().waitFor()
    const first = drawer.locator('[data-test=match-item]').first()
    assert.match(await first.locator('[data-test=match-score]').innerText(), /^\d+ 分$/)
    assert.match(await drawer.innerText(), /专业领域相符|关键词相符/)
    assert.ok((await first.locator('[data-test=match-reasons] li').count()) >= 1)
    await snap('22-enterprise-matches')
    await page.keyboard.press('Escape')
    // Close it again.
    await row.locator('[data-test=demand-close]').click()
    await confirmBox('关闭需求')
    await toast('需求已关闭')
    await rows('demands-table').filter({ hasText: '冶炼烟气治理技术负责人' }).filter({ hasText: '已关闭' }).waitFor()
    await noProblems()
  })
})
