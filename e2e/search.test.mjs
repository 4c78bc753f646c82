// Browser test of 全文检索 against the real `kechuang` binary and a fresh 济源 demo (see
// harness.mjs), from the home page through the header's search box:
//
//   officer jiyuan: types 冶炼 in the header and presses Enter; the results come with the word
//     highlighted (<em>, in red); the 类别 facet 科技成果 narrows them to achievements only (the
//     filter shown as a tag, the URL holding it, the back button undoing it); a result's title
//     opens the achievement's page; a demand's title opens the 需求大厅 with its row open; a word
//     nothing has says so; an achievement still in review (碳化硅) is found in its region.
//   enterprise qiye: searches 环保, a word in the names of many 济源 organizations, and finds of
//     them only its own (the officer finds many); another organization's achievement in review is
//     not found, one in public notice is.
//
// Every step fails on a page error, a console error or an unexpected error toast.
// Screenshots go to e2e/output/search-*.png.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { assertFits, login, menuIn, noProblems, page, settled, setup, shot, watchProblems } from './harness.mjs'

setup({ name: 'search' })

const header = () => page.locator('input[data-test=global-search]')
const hits = () => page.locator('[data-test=search-hit]')
const kindsShown = () => page.locator('[data-test=search-hit] [data-test=hit-kind]').allInnerTexts()
const titlesShown = () => page.locator('[data-test=search-hit] [data-test=hit-title]').allInnerTexts()

/** Run `act` (a navigation) and wait for the search it asks the server for. */
async function searching(act) {
  const answered = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/search')
  await act()
  const r = await answered
  assert.equal(r.status(), 200, `${r.url()} → ${r.status()}`)
  return results()
}

/** The results of the page now shown: its total once loaded. */
async function results() {
  await page.locator('[data-test=search-total]').waitFor()
  await settled()
  const t = await page.locator('[data-test=search-total]').innerText()
  const m = /共\s*(\d+)\s*条结果/.exec(t)
  assert.ok(m, `no total in “${t}”`)
  return Number(m[1])
}

/** Search `word` from the header's box (any page). */
async function searchFromHeader(word) {
  await header().fill(word)
  const total = await searching(() => header().press('Enter'))
  const u = new URL(page.url())
  assert.ok(u.pathname === '/search' && u.searchParams.get('q') === word, page.url())
  return total
}

/** The count a facet value shows, e.g. 单位 (172) → 172; null when absent. */
async function facetCount(group, label) {
  const v = page.locator(`[data-test=facet-${group}] [data-test=facet-value]`, { hasText: label })
  if (!(await v.count())) return null
  return Number(/\((\d+)\)/.exec(await v.first().innerText())?.[1])
}

async function pickFacet(group, label, param) {
  const total = await searching(() => page.locator(`[data-test=facet-${group}] [data-test=facet-value]`, { hasText: label }).first().click())
  assert.ok(new URL(page.url()).searchParams.has(param), page.url())
  return total
}

let officerOrgs = 0

describe('全文检索：从页头搜索框检索，按类别筛选，打开结果', () => {
  it('jiyuan: searches 冶炼 from the header, sees the word highlighted, narrows to 科技成果 and opens one', async () => {
    await watchProblems({ api: true })
    await login('jiyuan')
    await page.locator('[data-test=breadcrumb]').waitFor()
    assert.equal(await header().getAttribute('placeholder'), '搜索成果、需求、单位、专家')
    const all = await searchFromHeader('冶炼')
    assert.ok(all > 4, `冶炼: ${all} results`)
    assert.ok((await hits().count()) > 0)
    // The matched word in red, upright.
    const em = page.locator('[data-test=hit-snippet] em').first()
    assert.equal((await em.innerText()).trim(), '冶炼')
    const style = await em.evaluate((e) => ({ color: getComputedStyle(e).color, font: getComputedStyle(e).fontStyle }))
    assert.deepEqual(style, { color: 'rgb(245, 108, 108)', font: 'normal' })
    // Every kind an officer reads is offered, with its count.
    const achievements = await facetCount('kind', '科技成果')
    assert.ok(achievements > 0 && achievements < all, `科技成果 (${achievements}) of ${all}`)
    assert.ok((await facetCount('kind', '人才专家')) > 0)
    assert.equal(await page.locator('input[data-test=search-q]').inputValue(), '冶炼')
    await assertFits()
    await shot('1-results')

    const narrowed = await pickFacet('kind', '科技成果', 'kind')
    assert.equal(narrowed, achievements)
    assert.ok(narrowed < all)
    const kinds = await kindsShown()
    assert.ok(kinds.length > 0 && kinds.every((k) => k === '科技成果'), kinds.join(','))
    await page.locator('[data-test=search-chosen-tag]', { hasText: '类别：科技成果' }).waitFor()
    await shot('2-achievements')
    // The search is in the URL: back undoes the filter, forward redoes it.
    assert.equal(await searching(() => page.goBack()), all)
    assert.equal(await page.locator('[data-test=search-chosen-tag]').count(), 0)
    assert.equal(await searching(() => page.goForward()), narrowed)

    const title = (await titlesShown())[0]
    await page.locator('[data-test=hit-title]').first().click()
    await page.waitForURL(/\/market\/achievements\/\d+$/)
    await page.locator('[data-test=achievement-title]', { hasText: title }).waitFor()
    await settled()
    await shot('3-detail')
    await noProblems()
  })

  it('jiyuan: a demand opens in the 需求大厅 with its row open; a word nothing has says so', async () => {
    await searchFromHeader('脱硫')
    await pickFacet('kind', '技术需求', 'kind')
    const title = '铅冶炼烟气深度脱硫脱硝技术需求'
    await page.locator('[data-test=hit-title]', { hasText: title }).click()
    await page.waitForURL((u) => u.pathname === '/market/demands' && u.searchParams.has('open'))
    const row = page.locator('[data-test=demands-table] tbody tr.opened', { hasText: title })
    await row.waitFor()
    await page.locator('[data-test=demands-table] .el-table__expanded-cell', { hasText: '需求内容' }).waitFor()
    await settled()
    await shot('4-demand')

    const none = await searchFromHeader('量子纠缠通信')
    assert.equal(none, 0)
    await page.locator('[data-test=search-empty]', { hasText: '没有找到与“量子纠缠通信”相关的结果' }).waitFor()
    await shot('5-empty')

    // An achievement still in review is found in its own region.
    assert.equal(await searchFromHeader('碳化硅'), 1)
    // 环保 is in the names of many 济源 organizations.
    await searchFromHeader('环保')
    officerOrgs = (await facetCount('kind', '单位')) ?? 0
    assert.ok(officerOrgs > 10, `jiyuan finds ${officerOrgs} 单位 for 环保`)
    await noProblems()
  })

  it('qiye: finds public market items and its own records, no other organization', async () => {
    await login('qiye')
    await page.locator('[data-test=breadcrumb]').waitFor()
    const me = (await page.locator('[data-test=user-menu]').innerText()).trim()
    const own = /^(.+?)（企业用户）/.exec(me)?.[1]
    assert.ok(own, `no organization in “${me}”`)
    assert.ok(own.includes('环保'), own)

    const all = await searchFromHeader('环保')
    assert.ok(all > 0)
    assert.equal(await facetCount('kind', '单位'), 1)
    // Of the organizations, only its own: on the whole page and once filtered.
    const shown = await page.locator('[data-test=search-hit]').evaluateAll((els) =>
      els.map((e) => ({ kind: e.querySelector('[data-test=hit-kind]').textContent.trim(), title: e.querySelector('[data-test=hit-title]').textContent.trim() })),
    )
    assert.deepEqual(shown.filter((h) => h.kind === '单位').map((h) => h.title), [own])
    // The achievement of another 环保 organization in public notice is there.
    assert.ok(shown.some((h) => h.title === '锌冶炼渣有价金属综合回收工艺'), JSON.stringify(shown))
    await assertFits()
    await shot('6-enterprise')
    assert.ok(officerOrgs > 1)
    assert.equal(await pickFacet('kind', '单位', 'kind'), 1)
    assert.deepEqual(await titlesShown(), [own])
    assert.deepEqual(await kindsShown(), ['单位'])
    await shot('7-enterprise-orgs')

    // Another organization's achievement still in review is not on the market.
    assert.equal(await searchFromHeader('碳化硅'), 0)
    await page.locator('[data-test=search-empty]').waitFor()

    // From the menu, the page invites a search (nothing is asked before one) and names the kinds.
    await menuIn('技术市场')('全文检索')
    await page.waitForURL((u) => u.pathname === '/search' && !u.search)
    const prompt = page.locator('[data-test=search-prompt]')
    await prompt.waitFor()
    for (const k of ['科技成果', '技术需求', '单位', '人才专家']) assert.match(await prompt.innerText(), new RegExp(k))
    assert.equal(await page.locator('[data-test=search-hit]').count(), 0)
    await shot('8-prompt')
    await noProblems()
  })
})
