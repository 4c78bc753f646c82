// Browser test of the 科技计划项目 pages against the real `kechuang` binary (see ui.test.mjs): a
// fresh SQLite 济源 demo with its two open calls, the 揭榜挂帅 one (eligibility: hnte
// meets_measurable, which qiye's 济源国泰环保 passes) and the 公开竞争 one.
//
//   enterprise qiye: 项目指南 → 申报 (a refusal first: no integrity pledge, marked on the form
//                    before any confirmation), then for each call an application (lump sum /
//                    itemized budget, one milestone, pledge) submitted
//   city officer jiyuan: 形式审查 → 通过 → 提交会审 → 会审决策 (over budget refused, then approved
//                    with an amount) → 签订任务书 → 启动实施
//   qiye: 申请验收;  jiyuan: 里程碑考核 (结题 needs every milestone passed), 验收通过，结题 →
//                    已结题 with the whole history
//
//   KECHUANG_BIN   the binary (default: $CARGO_TARGET_DIR/debug/kechuang)
//   CHROMIUM       the browser (default /usr/bin/chromium)
//   KECHUANG_URL   use an already running server (with a fresh demo) instead; its demo password
//                  in KECHUANG_DEMO_PASSWORD
//
// Screenshots go to e2e/output/projects-*.png.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { assertFits, login, logout, menuIn, page, settled, setup, shot, tmp, toast } from './harness.mjs'
import { unzipTexts } from './xlsx.mjs'

setup({ name: 'projects', external: true, acceptDownloads: true })
const menu = menuIn('科技计划项目')

const CHALLENGE = '2026年度济源市铅冶炼烟气深度治理“揭榜挂帅”项目'
const OPEN = '2026年度济源市科技攻关计划（公开竞争）'
const PROJECTS = [
  { call: CHALLENGE, title: '铅冶炼烟气二氧化硫深度脱除与稳定运行技术', lump: '1800000', grant: '1600000', grantText: '1,600,000.00' },
  { call: OPEN, title: '再生铅冶炼废气协同治理关键技术研究', ethics: 'JYLL-2026-017', lines: [['设备费', '300000'], ['材料费', '120000.5'], ['测试化验加工费', '79999.5']], total: '500,000.00', grant: '450000', grantText: '450,000.00' },
]
const VERDICT = '经验收，出口二氧化硫28mg/m³，系统连续稳定运行720小时，达到揭榜目标'
const STEPS = ['提交申报（一次报送）', '开始形式审查', '形式审查通过，进入专家评审', '提交会审', '批准立项', '签订任务书', '启动实施', '申请验收', '验收通过，结题']

/** An el-input by its data-test (Element Plus puts the attribute on the <input> itself). */
const inp = (name) => `[data-test=${name}] input, input[data-test=${name}]`
/** The same for a textarea el-input. */
const ta = (name) => `[data-test=${name}] textarea, textarea[data-test=${name}]`

async function confirmBox(title) {
  const box = page.locator('.el-message-box', { hasText: title })
  await box.waitFor()
  await box.locator('.el-message-box__btns .el-button--primary').click()
  await box.waitFor({ state: 'hidden' })
}

async function openProject(title) {
  await menu('项目管理')
  // The demo's other applications fill more than one page: search for this one.
  await page.locator(inp('apps-q')).fill(title)
  await page.locator('[data-test=apps-search]').click()
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
  // Ethics review needed, its registration number recorded later (before approval).
  if (p.ethics) await page.locator('[data-test=af-ethics]').click()
}

/** Today and in 30 days, in Asia/Shanghai, as YYYY-MM-DD. */
const day = (plus = 0) => new Date(Date.now() + 8 * 3600e3 + plus * 86400e3).toISOString().slice(0, 10)
const NEW_CALL = '2027年度济源市碳达峰关键技术攻关专项'
const DEMAND = { title: '铅冶炼炉渣余热高效回收利用', description: '炉渣出炉温度约1200摄氏度，余热未利用，需开发余热回收装置。', target: '余热回收率不低于60%，年节约标煤3000吨', budget: '2000000' }
const EVIDENCE = '中试运行报告.txt'

/** The data rows of the calls table. */
const callRows = () => page.locator('[data-test=calls-table] > .el-table__inner-wrapper > .el-table__body-wrapper tbody tr.el-table__row')

/** 组织专家评审 / 组织验收评审 from the call's row: the round is created and opened. */
async function organizeRound(call, button, title) {
  await menu('项目指南')
  await callRows().filter({ hasText: call }).locator(`[data-test=${button}]`).click()
  const dlg = page.locator('[data-test=round-dialog]')
  await dlg.locator(inp('rf-title')).waitFor()
  assert.equal(await dlg.locator(inp('rf-title')).inputValue(), `${call}${button === 'call-review-round' ? '专家评审' : '验收评审'}`)
  await dlg.locator('[data-test=rf-save]').click()
  await page.waitForURL(/\/review\/rounds\/\d+/)
  await page.locator('[data-test=round-title]', { hasText: call }).waitFor()
  await page.locator('[data-test=items-table] tbody tr', { hasText: title }).waitFor()
}

/** 里程碑考核 of the project's only milestone, passed, with an evidence file and its digest. */
async function checkMilestone(shotName) {
  const file = join(tmp, EVIDENCE)
  writeFileSync(file, '中试装置连续运行720小时，出口二氧化硫28mg/m³。\n', 'utf8')
  const sha = createHash('sha256').update(readFileSync(file)).digest('hex')
  await page.locator('[data-test=exec-check]').click()
  const check = page.locator('[data-test=check-dialog]')
  await check.locator(ta('check-note')).fill('中试装置已建成并连续运行720小时，出口二氧化硫28mg/m³，达到考核指标')
  await check.locator('[data-test=check-file]').setInputFiles(file)
  await check.locator('[data-test=check-sha]', { hasText: sha }).waitFor()
  if (shotName) await shot(shotName)
  await check.locator('[data-test=check-save]').click()
  await toast('考核通过，已记录')
  const checkRow = page.locator('[data-test=exec-checks] tbody tr', { hasText: '中试装置建成' })
  await checkRow.waitFor()
  const ct = await checkRow.innerText()
  assert.ok(ct.includes('通过') && ct.includes(EVIDENCE) && ct.includes(sha.slice(0, 16)) && ct.includes('jiyuan'), ct)
  await page.locator('[data-test=exec-passed]', { hasText: '通过 1 / 1 个' }).waitFor()
}

/** 里程碑考核, a refused and an accepted 经费拨付, the 任务书. */
async function execute(p) {
  await page.locator('[data-test=exec-panel]').waitFor()
  assert.equal((await page.locator('[data-test=exec-remaining]').innerText()).trim(), `${p.grantText} 元`)
  assert.equal((await page.locator('[data-test=exec-paid]').innerText()).trim(), '0.00 元')
  await checkMilestone('8a-milestone-check')

  // More than granted: the page warns, and the server refuses with its reason.
  await page.locator('[data-test=exec-disburse]').click()
  const pay = page.locator('[data-test=disburse-dialog]')
  await pay.locator('[data-test=disburse-remaining]', { hasText: `剩余可拨付 ${p.grantText} 元` }).waitFor()
  await pay.locator(inp('disburse-amount')).fill('2000000')
  await pay.locator('.el-form-item__error', { hasText: `超出剩余可拨付经费 ${p.grantText} 元` }).waitFor()
  await pay.locator('[data-test=disburse-save]').click()
  await confirmBox('确认拨付')
  await pay.locator('[data-test=disburse-error]', { hasText: '将超过批准经费1600000元' }).waitFor()
  await shot('8b-disbursement-refused')
  await pay.locator(inp('disburse-amount')).fill('500000')
  await pay.locator(inp('disburse-note')).fill('中试里程碑通过，拨付第一期经费')
  await pay.locator('[data-test=disburse-save]').click()
  await confirmBox('确认拨付')
  await toast('已拨付 500,000.00 元')
  await page.locator('[data-test=exec-paid]', { hasText: '500,000.00 元' }).waitFor()
  assert.equal((await page.locator('[data-test=exec-remaining]').innerText()).trim(), '1,100,000.00 元')
  const payRows = page.locator('[data-test=exec-disbursements] .el-table__body-wrapper tbody tr')
  assert.equal(await payRows.count(), 1)
  // Listed in 万元 (the unit in the header).
  assert.match(await page.locator('[data-test=exec-disbursements] thead').innerText(), /金额（万元）/)
  assert.match(await payRows.first().innerText(), /第1个里程碑：中试装置建成[\s\S]*50\.00[\s\S]*第一期经费/)
  assert.match(await page.locator('[data-test=exec-disbursements] .el-table__footer-wrapper').innerText(), /合计\s+50\.00/)

  // 任务书: a Word document with the approved project's data.
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=exec-task-book]').click()])
  assert.equal(dl.suggestedFilename(), `任务书-${p.title}.docx`)
  const saved = join(tmp, 'task-book.docx')
  await dl.saveAs(saved)
  const bytes = readFileSync(saved)
  assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK')
  const text = unzipTexts(bytes).get('word/document.xml') ?? ''
  for (const want of [p.title, '批准经费', '160万元', '中试装置建成', PROJECTS[0].call]) assert.ok(text.includes(want), `task book lacks ${want}`)
  await assertFits()
  await shot('8c-execution')
}

async function submitApplication() {
  await page.locator('[data-test=af-submit]').click()
  await confirmBox('提交申报')
}

/** 提交 of an incomplete form: the field is marked and the toast says why, with no one-time-submission question. */
async function refusedOnPage(item, message) {
  await page.locator('[data-test=af-submit]').click()
  await page.locator(`[data-test=${item}] .el-form-item__error`, { hasText: message }).waitFor()
  await page.locator('.el-message', { hasText: message }).first().waitFor()
  assert.equal(await page.locator('.el-message-box').count(), 0, 'no confirmation before the checks pass')
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

    // 揭榜挂帅, lump sum; first without the pledge: the pledge is marked and the reason said.
    const [a, b] = PROJECTS
    await startApplication(a.call)
    await fillApplication(a)
    await assertFits()
    await shot('2-apply-lump-sum')
    await refusedOnPage('af-item-pledge', '提交前须签署科研诚信承诺书')
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

  it('officer publishes a call, checks, organizes the review, records the ethics number, decides, contracts, starts and executes', async () => {
    await login('jiyuan')
    // 发布指南: a new open-competition call, open from today for 30 days.
    await menu('项目指南')
    await page.locator('[data-test=call-create]').click()
    const cf = page.locator('[data-test=call-dialog]')
    await cf.locator(inp('cf-title')).fill(NEW_CALL)
    await cf.locator(inp('cf-category')).fill('重大科技专项')
    await cf.locator(inp('cf-budget')).fill('8000000')
    const range = cf.locator('.el-range-input')
    await range.nth(0).fill(day())
    await range.nth(1).fill(day(30))
    await range.nth(1).press('Enter')
    await shot('6a-call-dialog')
    await cf.locator('[data-test=cf-save]').click()
    await confirmBox('发布指南')
    await toast('指南已发布')
    const created = callRows().filter({ hasText: NEW_CALL })
    await created.waitFor()
    const ct = await created.innerText()
    assert.ok(ct.includes('公开竞争') && ct.includes('重大科技专项') && ct.includes('800.00') && ct.includes(`${day()} 至 ${day(30)}`) && ct.includes('申报中'), ct)
    assert.match(await page.locator('[data-test=calls-table] thead').innerText(), /总预算（万元）/)

    for (const p of PROJECTS) {
      await openProject(p.title)
      await act('start_formal_check', '形式审查')
      await act('pass_formal_check', '专家评审')
      if (p === PROJECTS[0]) {
        // 组织专家评审 from the call: a round with this project as an item.
        await organizeRound(p.call, 'call-review-round', p.title)
        await assertFits()
        await shot('6b-review-round-from-call')
        await openProject(p.title)
      }
      if (p.ethics) {
        // 伦理审查备案号, recorded before approval (which needs it).
        assert.equal((await page.locator('[data-test=app-ethics]').innerText()).trim(), '未备案')
        await page.locator('[data-test=app-ethics-record]').click()
        const box = page.locator('.el-message-box', { hasText: '登记伦理审查' })
        await box.locator('.el-message-box__input input').fill(p.ethics)
        await box.locator('.el-message-box__btns .el-button--primary').click()
        await page.locator('[data-test=app-ethics]', { hasText: p.ethics }).waitFor()
        assert.equal(await page.locator('[data-test=app-ethics-record]').count(), 0)
      }
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
      if (p === PROJECTS[0]) await execute(p)
    }
    await menu('项目管理')
    await assertFits()
    await shot('11-applications-officer')
    await logout()
  })

  it('enterprise sees the execution record read-only, requests acceptance and posts a technical demand', async () => {
    await login('qiye')
    for (const p of PROJECTS) {
      await openProject(p.title)
      assert.equal(await page.locator('[data-test=act-close]').count(), 0)
      if (p === PROJECTS[0]) {
        assert.equal((await page.locator('[data-test=exec-paid]').innerText()).trim(), '500,000.00 元')
        assert.match(await page.locator('[data-test=exec-checks] tbody tr').first().innerText(), /中试装置建成[\s\S]*通过/)
        assert.equal(await page.locator('[data-test=exec-check], [data-test=exec-disburse], [data-test=exec-rate]').count(), 0)
        await page.locator('[data-test=exec-task-book]').waitFor()
        await shot('11a-execution-applicant')
      }
      await act('request_acceptance', '验收中')
    }

    // 企业出题
    await menu('企业出题')
    await page.locator('[data-test=demands-table]').waitFor()
    await page.locator('[data-test=demand-create]').click()
    const dlg = page.locator('[data-test=demand-dialog]')
    await dlg.locator(inp('df-title')).fill(DEMAND.title)
    await dlg.locator(ta('df-description')).fill(DEMAND.description)
    await dlg.locator(ta('df-target')).fill(DEMAND.target)
    await dlg.locator(inp('df-budget')).fill(DEMAND.budget)
    await dlg.locator('text=200万元').waitFor()
    await shot('11b-demand-dialog')
    await dlg.locator('[data-test=df-save]').click()
    await toast('技术需求已发布')
    const row = page.locator('[data-test=demands-table] .el-table__body-wrapper tbody tr.el-table__row', { hasText: DEMAND.title })
    await row.waitFor()
    const rt = await row.innerText()
    assert.ok(rt.includes('待转化') && rt.includes('200.00') && rt.includes('济源国泰环保'), rt)
    assert.match(await page.locator('[data-test=demands-table] thead').innerText(), /拟投入经费（万元）/)
    assert.equal(await page.locator('[data-test=demand-adopt]').count(), 0)
    await logout()
  })

  it('officer organizes the acceptance review, closes both (the detail shows 已结题 and the whole history), rates one, and turns the demand into a call', async () => {
    await login('jiyuan')
    await organizeRound(PROJECTS[0].call, 'call-acceptance-round', PROJECTS[0].title)
    await shot('12a-acceptance-round-from-call')
    for (const p of PROJECTS) {
      await openProject(p.title)
      assert.equal(await page.locator('[data-test=exec-rate]').count(), 0, '绩效评价 only after closure')
      if (p === PROJECTS[0]) {
        // 揭榜挂帅 is closed with the verdict against the posted target.
        await page.locator('[data-test=act-close]').click()
        const dlg = page.locator('[data-test=reason-dialog]')
        await dlg.locator('[data-test=reason-verdict]').waitFor()
        await dlg.locator('[data-test=reason-ok]').click()
        await dlg.locator('.el-form-item__error', { hasText: '请填写验收结论' }).waitFor()
        await dlg.locator(ta('reason-input')).fill(VERDICT)
        await dlg.locator('[data-test=reason-ok]').click()
        await page.locator('[data-test=app-status]', { hasText: '已结题' }).waitFor()
      } else {
        // 结题 needs every milestone passed: held (shown disabled) with what to do first.
        assert.equal(await page.locator('[data-test=act-close]').count(), 0)
        assert.ok(await page.locator('[data-test=held-close]').isDisabled())
        await page.locator('[data-test=app-held]', { hasText: '里程碑尚未考核通过，请先完成里程碑考核' }).waitFor()
        await shot('12b-close-held-milestone')
        await checkMilestone()
        await act('close', '已结题')
      }
      const items = page.locator('[data-test=app-history] .el-timeline-item')
      await items.nth(STEPS.length - 1).waitFor()
      const texts = await items.allInnerTexts()
      assert.equal(texts.length, STEPS.length, texts.join('\n'))
      STEPS.forEach((s, i) => assert.ok(texts[i].includes(s), `${i}: ${texts[i]}`))
      if (p === PROJECTS[0]) assert.ok(texts[STEPS.length - 1].includes(VERDICT), texts[STEPS.length - 1])
      assert.ok(texts[4].includes('jiyuan') && texts[0].includes('qiye'), texts.join('\n'))
      assert.equal(await page.locator('[data-test=app-actions] [data-test^=act-]').count(), 0)
      await assertFits()
      await shot(p === PROJECTS[0] ? '12-closed-challenge' : '13-closed-open')
      if (p === PROJECTS[0]) {
        // 绩效评价
        await page.locator('[data-test=exec-rate]').click()
        const rate = page.locator('[data-test=rate-dialog]')
        await rate.locator('[data-test=rate-rating] .el-radio-button', { hasText: '良好' }).click()
        await rate.locator(ta('rate-note')).fill('按期完成任务书约定指标，中试效果良好')
        await rate.locator('[data-test=rate-save]').click()
        await toast('绩效评价已保存：良好')
        await page.locator('[data-test=exec-rating]', { hasText: '良好' }).waitFor()
        assert.match(await page.locator('[data-test=exec-rating-note]').innerText(), /中试效果良好/)
        assert.equal((await page.locator('[data-test=exec-paid]').innerText()).trim(), '500,000.00 元')
        await shot('13a-rated')
      }
    }

    // 企业出题 → 转为榜单 → 项目指南
    await menu('企业出题')
    const row = page.locator('[data-test=demands-table] .el-table__body-wrapper tbody tr.el-table__row', { hasText: DEMAND.title })
    await row.waitFor()
    assert.match(await row.innerText(), /待转化/)
    await row.locator('[data-test=demand-adopt]').click()
    const ad = page.locator('[data-test=adopt-dialog]')
    const callTitle = `${DEMAND.title}“揭榜挂帅”项目`
    assert.equal(await ad.locator(inp('ad-title')).inputValue(), callTitle)
    assert.equal(await ad.locator(inp('ad-budget')).inputValue(), DEMAND.budget)
    assert.equal(await ad.locator(ta('ad-target')).inputValue(), DEMAND.target)
    await ad.locator(inp('ad-reward')).fill('300000')
    await shot('13b-adopt-dialog')
    await ad.locator('[data-test=ad-save]').click()
    await toast('已转为榜单')
    await row.locator('[data-test=demand-status]', { hasText: '已转为榜单' }).waitFor()
    assert.equal((await row.locator('[data-test=demand-call]').innerText()).trim(), callTitle)
    assert.equal(await row.locator('[data-test=demand-adopt]').count(), 0)
    await assertFits()
    await shot('13c-demand-adopted')
    await row.locator('[data-test=demand-call]').click()
    const adopted = callRows().filter({ hasText: callTitle })
    await adopted.waitFor()
    const at = await adopted.innerText()
    assert.ok(at.includes('揭榜挂帅') && at.includes('200.00') && at.includes('申报中') && at.includes('奖励 30万元'), at)
    assert.match(await adopted.locator('[data-test=challenge-target]').innerText(), /余热回收率不低于60%/)
    await assertFits()
    await shot('13d-adopted-call')
    await menu('科研诚信')
    await page.locator('[data-test=sanctions-table]').waitFor()
    await page.locator('[data-test=sanction-create]').click()
    await page.locator('[data-test=sanction-dialog] .el-dialog__title', { hasText: '登记科研失信行为处理记录' }).waitFor()
    await shot('14-sanction-dialog')
    await page.keyboard.press('Escape')
  })
})
