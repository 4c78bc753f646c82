import { describe, expect, it } from 'vitest'
import type { Achievement, AchievementInput } from '@/api/types'
import {
  achievementStatusDict, achievementSteps, checkAchievement, daysUntil, emptyAchievementInput, inputFromAchievement, ipProblem, normalizeAchievementInput,
  noticeLeftText, objectionResult, parsePatentNumber, patentCheckDigit, patentNumberProblem, priceText, trlTagType,
} from '@/utils/achievements'

/** The check digit by the rule, written out: weights 2,3,4,5,6,7,8,9,2,3,4,5 (8 digits: 2…9), sum mod 11, 10 → X. */
function byHand(digits: string): string {
  const w = digits.length === 12 ? [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5] : [2, 3, 4, 5, 6, 7, 8, 9]
  const r = [...digits].reduce((s, d, i) => s + Number(d) * w[i], 0) % 11
  return r === 10 ? 'X' : String(r)
}

describe('patent check digit', () => {
  it('follows the rule for 12-digit application numbers', () => {
    // 2·2 + 0·3 + 1·4 + 9·5 + 1·6 + 0·7 + 1·8 + 2·9 + 3·2 + 4·3 + 5·4 + 6·5 = 153; 153 mod 11 = 10 → X
    expect(patentCheckDigit('201910123456')).toBe('X')
    // 4 + 0 + 8 + 0 + 6 + 0 + 8 + 18 + 6 + 12 + 20 + 30 = 112; 112 mod 11 = 2
    expect(patentCheckDigit('202010123456')).toBe('2')
    for (const d of ['201310012345', '202120567890', '200510000001', '999999999999']) expect(patentCheckDigit(d)).toBe(byHand(d))
  })
  it('follows the rule for the 8-digit numbers before 2004', () => {
    // 9·2 + 3·3 + 1·4 + 0·5 + 0·6 + 0·7 + 4·8 + 2·9 = 81; 81 mod 11 = 4
    expect(patentCheckDigit('93100042')).toBe('4')
    expect(patentCheckDigit('98123456')).toBe(byHand('98123456'))
  })
  it('is not computed for other lengths or non-digits', () => {
    expect(patentCheckDigit('2019101234')).toBeNull()
    expect(patentCheckDigit('20191012345A')).toBeNull()
    expect(patentCheckDigit('')).toBeNull()
  })
})

describe('patent numbers', () => {
  it('accept the forms people write, with or without ZL/CN and the dot', () => {
    for (const s of ['ZL201910123456.X', 'zl201910123456.x', 'CN201910123456X', '201910123456X', ' ZL 201910123456.X ', 'ZL202010123456.2']) {
      expect(patentNumberProblem(s), s).toBe('')
    }
    expect(parsePatentNumber('201910123456x')).toEqual({ digits: '201910123456', check: 'X', expected: 'X', normalized: 'ZL201910123456.X' })
    expect(parsePatentNumber('ZL93100042.4')?.normalized).toBe('ZL93100042.4')
    expect(patentNumberProblem('93100042.4')).toBe('')
  })
  it('name the expected digit when the check digit is wrong', () => {
    expect(patentNumberProblem('ZL201910123456.3')).toBe('专利号“ZL201910123456.3”校验位错误：按申请号计算应为“X”，请核对')
    expect(patentNumberProblem('ZL202010123456.X')).toContain('应为“2”')
    expect(patentNumberProblem('93100042.5')).toContain('应为“4”')
  })
  it('refuse what has not the shape of one', () => {
    for (const s of ['ZL2019', '', 'ZL2019101234567.X', 'ABC201910123456X', 'ZL201910123456.XX', 'ZL20191012345Y.X']) {
      expect(patentNumberProblem(s), s).toContain('格式错误')
    }
  })
  it('are checked only for patents; other IP needs a registration number, know-how none', () => {
    expect(ipProblem('invention_patent', 'ZL201910123456.1')).toContain('校验位错误')
    expect(ipProblem('utility_model', 'ZL201910123456.X')).toBe('')
    expect(ipProblem('software', '2023SR0123456')).toBe('')
    expect(ipProblem('software', ' ', '软件著作权')).toBe('软件著作权的登记号不能为空，且不超过40个字符')
    expect(ipProblem('know_how', '')).toBe('')
    expect(ipProblem('', 'ZL201910123456.X')).toBe('请选择知识产权类型')
  })
})

function good(over: Partial<AchievementInput> = {}): AchievementInput {
  return {
    ...emptyAchievementInput(),
    title: '高纯铅电解精炼节能工艺',
    area: 'materials',
    keywords: ['铅冶炼', '节能'],
    summary: '以新型添加剂降低槽电压，吨铅电耗下降8%。',
    trl: 7,
    ip: [{ kind: 'invention_patent', number: 'ZL201910123456.X' }],
    modes: ['transfer'],
    ...over,
  }
}

describe('checkAchievement (the server’s checks, before sending)', () => {
  it('passes a complete achievement, 面议 or with a price', () => {
    expect(checkAchievement(good())).toEqual({})
    expect(checkAchievement(good({ negotiable: false, asking_price: '1,200,000' }))).toEqual({})
    expect(checkAchievement(good({ industry: 'c3240' }))).toEqual({})
  })
  it('names every problem under the field the server names', () => {
    const p = checkAchievement({
      ...emptyAchievementInput(),
      negotiable: false,
      ip: [{ kind: 'invention_patent', number: 'ZL201910123456.3' }, { kind: '', number: '' }, { kind: 'software', number: '' }],
      industry: '3240',
    })
    expect(Object.keys(p).sort()).toEqual(['area', 'asking_price', 'industry', 'ip.0', 'ip.2', 'keywords', 'modes', 'summary', 'title', 'trl'])
    expect(p['ip.0']).toContain('应为“X”')
    expect(p.asking_price).toBe('请填写挂牌价格，或选择“面议”')
    expect(p.trl).toBe('技术就绪度应为1至9级')
  })
  it('counts keywords (1 to 5, at most 20 characters each) and checks the price', () => {
    expect(checkAchievement(good({ keywords: ['a', 'b', 'c', 'd', 'e', 'f'] })).keywords).toBe('关键词1至5个，每个不超过20个字')
    expect(checkAchievement(good({ keywords: ['  '] })).keywords).toBeTruthy()
    expect(checkAchievement(good({ keywords: ['一'.repeat(21)] })).keywords).toBeTruthy()
    expect(checkAchievement(good({ negotiable: false, asking_price: '-5' })).asking_price).toBe('挂牌价格不能为负数')
    expect(checkAchievement(good({ negotiable: false, asking_price: '十万' })).asking_price).toBe('挂牌价格不是有效金额（元）')
  })
})

function achievement(over: Partial<Achievement> = {}): Achievement {
  return {
    id: 5, title: '高纯铅电解精炼节能工艺', owner_org_id: 9, owner_name: '济源市某材料科技有限公司', region_code: '419001', region_name: '河南省/济源市',
    area: 'materials', area_label: '新材料', industry: 'C3240', industry_label: '', keywords: ['铅冶炼'], summary: '摘要', trl: 7, trl_label: 'TRL 7 实际环境原型',
    team: [{ person_id: 3, name: '王工' }], ip: [{ kind: 'invention_patent', kind_label: '发明专利', number: 'ZL201910123456.X' }], modes: ['transfer'], mode_labels: ['转让'],
    negotiable: false, asking_price: '1200000.00', contact: '王工 0391-6612345', status: 'draft', status_label: '草稿', submitted_on: null, notice_start: null,
    notice_end: null, notice_days: null, listed_on: null, closed_on: null, return_reason: null, objections: [], open_objections: 0, listable_reason: null,
    updated_at: 0, actions: [],
    ...over,
  }
}

describe('the form and the body sent', () => {
  it('edits a stored achievement as typed and sends it trimmed', () => {
    const i = inputFromAchievement(achievement())
    expect(i).toMatchObject({ team: [3], asking_price: '1200000', ip: [{ kind: 'invention_patent', number: 'ZL201910123456.X' }], industry: 'C3240' })
    const b = normalizeAchievementInput({ ...i, title: ' 标题 ', keywords: [' 铅 ', '铅', ''], ip: [...i.ip, { kind: '', number: ' ' }], asking_price: '1,200,000', industry: 'c32' })
    expect(b).toMatchObject({ title: '标题', keywords: ['铅'], asking_price: '1200000', industry: 'C32' })
    expect(b.ip).toHaveLength(1)
    expect(normalizeAchievementInput({ ...i, negotiable: true }).asking_price).toBe('')
  })
})

describe('how a record reads', () => {
  it('shows 面议 or the price in 万元', () => {
    expect(priceText({ negotiable: true, asking_price: null })).toBe('面议')
    expect(priceText({ negotiable: false, asking_price: '1200000.00' })).toBe('120.00 万元')
    expect(priceText({ negotiable: false, asking_price: null })).toBe('面议')
  })
  it('colours TRL by stage', () => {
    expect([1, 3, 4, 6, 7, 9].map(trlTagType)).toEqual(['info', 'info', 'warning', 'warning', 'success', 'success'])
  })
  it('counts the notice period’s days left in calendar days', () => {
    expect(daysUntil('2025-06-10', '2025-06-07')).toBe(3)
    expect(daysUntil('2025-03-01', '2025-02-28')).toBe(1)
    expect(daysUntil(null, '2025-06-07')).toBeNull()
    expect(noticeLeftText('2025-06-10', '2025-06-07')).toBe('还剩 3 天')
    expect(noticeLeftText('2025-06-10', '2025-06-10')).toBe('今日公示期满')
    expect(noticeLeftText('2025-06-10', '2025-06-12')).toBe('公示期已满')
  })
  it('takes the statuses’ colours from the server', () => {
    expect(achievementStatusDict({ statuses: [{ value: 'notice', label: '公示中', tag: 'primary' }, { value: 'x', label: 'X', tag: 'odd' }] })).toEqual([
      { value: 'notice', label: '公示中', type: 'primary' }, { value: 'x', label: 'X', type: undefined },
    ])
  })
  it('says an objection’s result', () => {
    expect(objectionResult({ resolved: false, upheld: null }).label).toBe('待处理')
    expect(objectionResult({ resolved: true, upheld: true })).toEqual({ label: '异议成立', type: 'danger' })
    expect(objectionResult({ resolved: true, upheld: false })).toEqual({ label: '异议不成立', type: 'success' })
  })
})

describe('the steps of an achievement', () => {
  const titles = (a: Achievement) => achievementSteps(a).steps.map((s) => s.title)
  it('run 草稿 → 待审核 → 公示中 → 挂牌中 → 已成交', () => {
    expect(titles(achievement())).toEqual(['草稿', '待审核', '公示中', '挂牌中', '已成交'])
    expect(achievementSteps(achievement()).active).toBe(0)
    const n = achievementSteps(achievement({ status: 'notice', submitted_on: '2025-05-01', notice_start: '2025-05-06', notice_end: '2025-05-20' }))
    expect(n.active).toBe(2)
    expect(n.steps[2].description).toBe('2025-05-06 至 2025-05-20')
    expect(achievementSteps(achievement({ status: 'listed', listed_on: '2025-05-21' })).active).toBe(3)
    const d = achievementSteps(achievement({ status: 'dealt', closed_on: '2025-07-01' }))
    expect(d).toMatchObject({ active: 5, processStatus: 'success' })
  })
  it('show 退回修改 after 待审核 while sent back', () => {
    const r = achievementSteps(achievement({ status: 'returned', return_reason: '请补充专利证书' }))
    expect(r.steps.map((s) => s.title)).toEqual(['草稿', '待审核', '退回修改', '公示中', '挂牌中', '已成交'])
    expect(r).toMatchObject({ active: 2, processStatus: 'error' })
  })
  it('end in 已下架 after the last step reached when withdrawn', () => {
    const w = achievementSteps(achievement({ status: 'withdrawn', notice_start: '2025-05-06', notice_end: '2025-05-20', listed_on: '2025-05-21', closed_on: '2025-06-01' }))
    expect(w.steps.map((s) => s.title)).toEqual(['草稿', '待审核', '公示中', '挂牌中', '已下架'])
    expect(w).toMatchObject({ active: 4, processStatus: 'error' })
    expect(titles(achievement({ status: 'withdrawn' }))).toEqual(['草稿', '待审核', '已下架'])
  })
})
