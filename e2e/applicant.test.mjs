// Browser test of the applicant's side of 科技计划项目 against the real `kechuang` binary and a
// fresh 济源 demo (see harness.mjs):
//
//   enterprise qiye: 项目指南 → 申报 the 公开竞争 call; the form shows the registry's facts about
//   济源国泰环保 (credit code, the latest year's figures, platforms, 履约记录) instead of asking for
//   them; a Word file is refused before upload; a PDF is uploaded (the draft is saved first) and
//   listed with its SHA-256; submission; the project page lists the PDF as frozen at submission
//   (一致) with the registry facts as submitted, and the download serves the same bytes.
//
// Screenshots go to e2e/output/applicant-*.png.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { login, menuIn, page, settled, setup, shot, tmp, toast } from './harness.mjs'

setup({ name: 'applicant', external: true })
const menu = menuIn('科技计划项目')

const OPEN = '2026年度济源市科技攻关计划（公开竞争）'
const TITLE = '再生铅冶炼烟尘中有价金属回收技术'
const PDF_NAME = '可行性研究报告.pdf'
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
    await page.locator('[data-test=apply-refusal]', { hasText: '不是PDF' }).waitFor()

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
})
