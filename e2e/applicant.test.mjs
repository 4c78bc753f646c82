// Browser test of the applicant's side of 科技计划项目 against the real `kechuang` binary and a
// fresh 济源 demo (see harness.mjs):
//
//   enterprise qiye: 项目指南 → 申报 the 公开竞争 call; the form shows the registry's facts about
//   济源国泰环保 (credit code, the latest year's figures, platforms, 履约记录) instead of asking for
//   them; a Word file is refused before upload (error toast); a PDF is uploaded (the draft is saved first) and
//   listed with its SHA-256; submission; the project page lists the PDF as frozen at submission
//   (一致) with the registry facts as submitted, and the download serves the same bytes.
//
//   qiye applies for 滚动支持 naming its 2024 project rated 优秀 as the predecessor.
//
//   city officer jiyuan: 发布指南 as 定向委托 to 济源国泰环保 (without a unit it is refused); the call
//   lists its addressee and asks one extra required number item; qiye sees it, is refused on that
//   item's field (no confirmation question) until it is answered with a number, and submits.
//
// Every application has one milestone (submission requires one).
//
// Screenshots go to e2e/output/applicant-*.png.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { login, logout, menuIn, page, settled, setup, shot, tmp, toast } from './harness.mjs'

setup({ name: 'applicant', external: true })
const menu = menuIn('科技计划项目')

const OPEN = '2026年度济源市科技攻关计划（公开竞争）'
const TITLE = '再生铅冶炼烟尘中有价金属回收技术'
const PDF_NAME = '可行性研究报告.pdf'
const ROLLING = '2026年度济源市科技攻关计划（滚动支持）'
const PREDECESSOR = '含铅废气协同脱硫除尘中试研究'
const BENEFIT = '预期新增销售收入（万元）'
const DIRECTED = '2026年度济源市再生铅清洁生产技术定向委托项目'
/** Today and later, in Asia/Shanghai, as YYYY-MM-DD. */
const day = (plus = 0) => new Date(Date.now() + 8 * 3600e3 + plus * 86400e3).toISOString().slice(0, 10)
const inp = (name) => `[data-test=${name}] input, input[data-test=${name}]`

/** A small well-formed PDF (one empty page). */
function pdfBytes() {
  const objs = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>']
  let body = '%PDF-1.4\n'
  const offsets = []
  objs.forEach((o, i) => {
    offsets.push(body.length)
    body += `${i + 1} 0 obj ${o} endobj\n`
  })
  const xref = body.length
  body += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`
  body += `trailer << /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(body, 'latin1')
}

/** One milestone in the form's milestone table (submission requires at least one). */
async function addMilestone() {
  await page.locator('[data-test=af-add-milestone]').click()
  const m = page.locator('[data-test=af-milestones] tbody tr').first().locator('input')
  await m.nth(0).fill('中试线建成')
  await m.nth(1).fill(day(400))
  await m.nth(1).press('Enter')
  await m.nth(2).fill('中试线连续运行500小时，有价金属回收率不低于90%')
  await page.locator('[data-test=apply-form] .el-divider', { hasText: '伦理与诚信' }).click()
}

/** 提交 refused on the page: `message` on the form item `item`, no one-time-submission question. */
async function refusedOn(item, message) {
  await page.locator('[data-test=af-submit]').click()
  await page.locator(`${item} .el-form-item__error`, { hasText: message }).waitFor()
  assert.equal(await page.locator('.el-message-box').count(), 0, 'no confirmation before the checks pass')
}

/** GET an API path with the page's session. */
const apiGet = (path) => page.evaluate(async (p) => (await fetch(`/api/v1${p}`)).json(), path)

describe('applicant: pre-filled form, PDF attachments, one-time submission', () => {
  it('shows the registry facts on the form, uploads a PDF with its digest and freezes both at submission', async () => {
    await login('qiye')
    const profile = await apiGet('/applicant-profile')
    assert.ok(profile.org?.credit_code, JSON.stringify(profile).slice(0, 200))

    await menu('项目指南')
    const row = page.locator('[data-test=calls-table] > .el-table__inner-wrapper > .el-table__body-wrapper tbody tr.el-table__row', { hasText: OPEN })
    await row.locator('[data-test=call-apply]').click()
    await page.locator('[data-test=apply-call]', { hasText: OPEN }).waitFor()
    await settled()

    // 预填: the registry's facts, not form fields.
    const reg = page.locator('[data-test=af-registry]')
    await reg.waitFor()
    const regText = await reg.innerText()
    assert.ok(regText.includes(profile.org.credit_code), regText)
    assert.ok(profile.latest_year, 'the demo has yearly figures for qiye')
    assert.ok(regText.includes(`${profile.latest_year.year}年职工总数`), regText)
    assert.ok(regText.includes(String(profile.latest_year.figures.employees)), regText)
    for (const p of profile.platforms.slice(0, 2)) assert.ok(regText.includes(p.name), `${p.name} in ${regText}`)
    assert.match(await page.locator('[data-test=af-track]').innerText(), /在研 \d+ 项，已结题 \d+ 项/)
    await shot('1-prefilled')

    await page.locator(inp('af-title')).fill(TITLE)
    await page.locator('[data-test=af-lump]').click()
    await page.locator(inp('af-lump-amount')).fill('600000')

    // A Word file is refused before anything is sent.
    const doc = join(tmp, '申报书.docx')
    writeFileSync(doc, 'PK\u0003\u0004')
    await page.locator('[data-test=af-file]').setInputFiles(doc)
    await page.locator('.el-message--error', { hasText: '不是PDF' }).waitFor()
    assert.equal(await page.locator('[data-test=af-attachments] tbody tr', { hasText: '申报书.docx' }).count(), 0)

    // A PDF: the draft is saved first, then the file is listed with its digest.
    const file = join(tmp, PDF_NAME)
    const bytes = pdfBytes()
    writeFileSync(file, bytes)
    const sha = createHash('sha256').update(readFileSync(file)).digest('hex')
    await page.locator('[data-test=af-file]').setInputFiles(file)
    await toast(`已上传：${PDF_NAME}`)
    const attRow = page.locator('[data-test=af-attachments] tbody tr', { hasText: PDF_NAME })
    await attRow.waitFor()
    assert.equal(await attRow.locator('.mono').getAttribute('title'), sha)
    await shot('2-attachment')

    await addMilestone()
    await page.locator('[data-test=af-pledge]').click()
    await page.locator('[data-test=af-submit]').click()
    const box = page.locator('.el-message-box', { hasText: '提交申报' })
    await box.locator('.el-message-box__btns .el-button--primary').click()
    await page.waitForURL(/\/projects\/applications\/\d+$/)
    await page.locator('[data-test=app-status]', { hasText: '已提交' }).waitFor()

    // The project page: the PDF frozen at submission, and the facts as submitted.
    const panel = page.locator('[data-test=attachments-panel]')
    await panel.waitFor()
    const frozenRow = panel.locator('[data-test=att-table] tbody tr', { hasText: PDF_NAME })
    await frozenRow.locator('.el-tag', { hasText: '一致' }).waitFor()
    assert.equal(await frozenRow.locator('.mono').getAttribute('title'), sha)
    const snap = await panel.locator('[data-test=att-snapshot]').innerText()
    assert.ok(snap.includes(profile.org.credit_code), snap)
    assert.ok(snap.includes('负责人'), snap)
    // Under review nothing can be added.
    assert.equal(await panel.locator('[data-test=att-file]').count(), 0)
    await panel.scrollIntoViewIfNeeded()
    await shot('3-frozen')

    // The download is the same bytes.
    const href = await frozenRow.locator('a').getAttribute('href')
    const got = await page.evaluate(async (h) => {
      const r = await fetch(h)
      return { sha: r.headers.get('x-content-sha256'), bytes: Array.from(new Uint8Array(await r.arrayBuffer())) }
    }, href)
    assert.equal(got.sha, sha)
    assert.equal(createHash('sha256').update(Buffer.from(got.bytes)).digest('hex'), sha)

    // Submitted: listed in 项目管理.
    await menu('项目管理')
    await page.locator('[data-test=apps-table] a', { hasText: TITLE }).waitFor()
  })

  it('applies for 滚动支持 on the 2024 project rated 优秀', async () => {
    await menu('项目指南')
    const row = page.locator('[data-test=calls-table] > .el-table__inner-wrapper > .el-table__body-wrapper tbody tr.el-table__row', { hasText: ROLLING })
    await row.locator('[data-test=call-apply]').click()
    await page.locator('[data-test=apply-call]', { hasText: ROLLING }).waitFor()
    await settled()
    assert.match(await page.locator('[data-test=af-track]').innerText(), /已结题 1 项（优秀 1/)
    await page.locator(inp('af-title')).fill('含铅废气协同治理技术产业化示范（滚动支持）')
    await page.locator('[data-test=af-predecessor]').click()
    const opt = page.locator('.el-select-dropdown__item:visible', { hasText: PREDECESSOR })
    assert.match(await opt.innerText(), /绩效评价优秀/)
    await opt.click()
    await page.locator('[data-test=af-lump]').click()
    await page.locator(inp('af-lump-amount')).fill('300000')
    await page.locator('[data-test=af-pledge]').click()
    // The milestone is required here too: refused on its field first.
    await refusedOn('[data-test=af-item-milestones]', '请至少填写一个里程碑')
    await addMilestone()
    await shot('4-rolling')
    await page.locator('[data-test=af-submit]').click()
    await page.locator('.el-message-box', { hasText: '提交申报' }).locator('.el-message-box__btns .el-button--primary').click()
    await page.waitForURL(/\/projects\/applications\/\d+$/)
    await page.locator('[data-test=app-status]', { hasText: '已提交' }).waitFor()
  })

  it('publishes a 定向委托 call addressed to one organization, which sees it', async () => {
    const profile = await apiGet('/applicant-profile')
    const orgName = profile.org.name
    await logout()
    await login('jiyuan')
    await menu('项目指南')
    await page.locator('[data-test=call-create]').click()
    const cf = page.locator('[data-test=call-dialog]')
    await cf.locator(inp('cf-title')).fill(DIRECTED)
    await cf.locator(inp('cf-category')).fill('产业技术创新')
    await cf.locator('[data-test=cf-mode]').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '定向委托' }).click()
    await cf.locator(inp('cf-budget')).fill('1200000')
    // One extra item every application must answer.
    await cf.locator('[data-test=cf-form-add]').click()
    const item = cf.locator('[data-test=cf-form] .extra-row').first()
    await item.locator('input').first().fill(BENEFIT)
    await item.locator('.el-select').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '数字' }).click()
    await item.locator('.el-checkbox').click()
    const range = cf.locator('.el-range-input')
    await range.nth(0).fill(day())
    await range.nth(1).fill(day(20))
    await range.nth(1).press('Enter')
    // Without the addressee the server refuses, next to the field.
    await cf.locator('[data-test=cf-save]').click()
    await cf.locator('.el-form-item__error', { hasText: '定向委托须指定承担单位' }).waitFor()
    assert.equal(await page.locator('.el-message-box').count(), 0, 'no publication question before the form is complete')
    await cf.locator('[data-test=cf-designated] input').pressSequentially(orgName)
    await page.locator('.el-select-dropdown__item:visible').filter({ has: page.getByText(orgName, { exact: true }) }).click()
    await cf.locator('[data-test=cf-title] input, input[data-test=cf-title]').click()
    await shot('5-directed-dialog')
    await cf.locator('[data-test=cf-save]').click()
    const confirm = page.locator('.el-message-box', { hasText: '发布指南' })
    await confirm.locator('.el-message-box__btns .el-button--primary').click()
    await toast('指南已发布')
    const row = page.locator('[data-test=calls-table] > .el-table__inner-wrapper > .el-table__body-wrapper tbody tr.el-table__row', { hasText: DIRECTED })
    await row.locator('[data-test=call-designated]', { hasText: `定向委托：${orgName}` }).waitFor()
    assert.ok((await row.innerText()).includes('定向委托'))
    await logout()

    await login('qiye')
    await menu('项目指南')
    const mine = page.locator('[data-test=calls-table] > .el-table__inner-wrapper > .el-table__body-wrapper tbody tr.el-table__row', { hasText: DIRECTED })
    await mine.locator('[data-test=call-designated]', { hasText: orgName }).waitFor()
    assert.equal(await mine.locator('[data-test=call-apply]').isDisabled(), false)
    await shot('6-directed-seen')

    // The call's own item on the form: required at submission, shown on the project page.
    await mine.locator('[data-test=call-apply]').click()
    await page.locator('[data-test=apply-call]', { hasText: DIRECTED }).waitFor()
    await settled()
    await page.locator(inp('af-title')).fill('再生铅清洁生产关键技术定向研发')
    await page.locator('[data-test=af-lump]').click()
    await page.locator(inp('af-lump-amount')).fill('1000000')
    await page.locator('[data-test=af-pledge]').click()
    await addMilestone()
    await refusedOn('[data-test^=af-q-]', `请填写“${BENEFIT}”`)
    await page.locator('[data-test^=af-q-] input').fill('约三百万')
    await refusedOn('[data-test^=af-q-]', '应填写数字')
    await page.locator('[data-test^=af-q-] input').fill('300')
    await page.locator('[data-test^=af-q-] .el-form-item__error').waitFor({ state: 'detached' })
    await page.locator('[data-test=af-submit]').click()
    await page.locator('.el-message-box', { hasText: '提交申报' }).locator('.el-message-box__btns .el-button--primary').click()
    await page.waitForURL(/\/projects\/applications\/\d+$/)
    await page.locator('[data-test=app-status]', { hasText: '已提交' }).waitFor()
    const info = await page.locator('[data-test=app-info]').innerText()
    assert.ok(info.includes(BENEFIT) && info.includes('300'), info)
    await shot('7-directed-submitted')
  })
})
