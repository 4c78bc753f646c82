import { describe, expect, it } from 'vitest'
import { creditCheckChar, diffJson, formatTime } from '@/utils/format'
import { formatFigure, FIGURES } from '@/utils/figures'

describe('creditCheckChar (GB 32100-2015)', () => {
  it('matches codes the server accepts', () => {
    // From the demo data, accepted by the server's CreditCode::parse.
    for (const code of ['9141900153X7NY200K', '9141900163UFDY500J']) {
      expect(creditCheckChar(code.slice(0, 17))).toBe(code[17])
    }
  })
  it('rejects characters outside the charset and wrong lengths', () => {
    expect(creditCheckChar('91419001I3X7NY200')).toBeNull()
    expect(creditCheckChar('123')).toBeNull()
  })
})

describe('diffJson', () => {
  it('flags changed, added and removed fields, nested keys flattened', () => {
    const d = diffJson('{"name":"甲","kind":"enterprise","figures":{"employees":10}}', '{"name":"乙","kind":"enterprise","figures":{"employees":12},"industry":"C39"}')
    const by = Object.fromEntries(d.map((r) => [r.key, r]))
    expect(by.name).toMatchObject({ before: '甲', after: '乙', changed: true })
    expect(by.kind.changed).toBe(false)
    expect(by['figures.employees']).toMatchObject({ before: '10', after: '12', changed: true })
    expect(by.industry).toMatchObject({ before: '', after: 'C39', changed: true })
  })
  it('handles a create (no before) and bad JSON without throwing', () => {
    expect(diffJson(null, '{"a":1}')).toEqual([{ key: 'a', before: '', after: '1', changed: true }])
    expect(diffJson('not json', null)[0]).toMatchObject({ key: '原文', before: 'not json' })
  })
})

describe('formatting', () => {
  it('shows instants in Asia/Shanghai', () => {
    expect(formatTime(Date.UTC(2026, 10, 23, 16, 30, 5))).toBe('2026-11-24 00:30:05')
    expect(formatTime(null)).toBe('')
  })
  it('formats figures by kind', () => {
    const spec = (k: string) => FIGURES.find((f) => f.key === k)!
    expect(formatFigure(spec('revenue'), '1234567.5')).toBe('1,234,567.50')
    expect(formatFigure(spec('hte_valid'), true)).toBe('是')
    expect(formatFigure(spec('employees'), null)).toBe('—')
  })
})
