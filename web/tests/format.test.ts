import { afterEach, describe, expect, it, vi } from 'vitest'
import { creditCheckChar, formatDate, formatNumber, formatTime, formatWan, formatYuan, regionLabel, todayShanghai } from '@/utils/format'
import { formatFigure, FIGURES } from '@/utils/figures'
import { ApiError } from '@/api/http'
import { fieldsMessage } from '@/utils/forms'

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

describe('times in Asia/Shanghai', () => {
  const original = process.env.TZ
  afterEach(() => {
    process.env.TZ = original
    vi.useRealTimers()
  })

  it('formats instants as YYYY-MM-DD HH:mm in China Standard Time', () => {
    expect(formatTime(Date.UTC(2026, 10, 23, 16, 30, 5))).toBe('2026-11-24 00:30')
    expect(formatTime(Date.UTC(2026, 10, 23, 16, 30, 5), true)).toBe('2026-11-24 00:30:05')
    expect(formatTime(null)).toBe('')
    expect(formatTime(undefined)).toBe('')
  })

  it('does not follow the browser time zone', () => {
    // The bug of the finding: a stamp 8 h off the others on a browser set to UTC or elsewhere.
    for (const tz of ['UTC', 'America/New_York', 'Asia/Shanghai']) {
      process.env.TZ = tz
      expect(formatTime(Date.UTC(2026, 0, 1, 2, 5))).toBe('2026-01-01 10:05')
      expect(formatDate(Date.UTC(2025, 11, 31, 17, 0))).toBe('2026-01-01')
    }
  })

  it('gives today as the bureau sees it', () => {
    vi.useFakeTimers()
    vi.setSystemTime(Date.UTC(2026, 2, 31, 20, 0)) // 04:00 on 1 April in 济源
    expect(todayShanghai()).toBe('2026-04-01')
  })

  it('keeps date strings as they are', () => {
    expect(formatDate('2026-05-01')).toBe('2026-05-01')
    expect(formatDate(null)).toBe('—')
  })
})

describe('numbers and amounts', () => {
  it('groups thousands', () => {
    expect(formatNumber(23821400)).toBe('23,821,400')
    expect(formatNumber('1234.5')).toBe('1,234.5')
    expect(formatNumber(300.2345, 0)).toBe('300')
    expect(formatNumber(null)).toBe('—')
    expect(formatNumber('abc')).toBe('—')
  })
  it('shows 元 with two decimals and 万元 from 元', () => {
    expect(formatYuan('1234567.5')).toBe('1,234,567.50')
    expect(formatWan(23821400)).toBe('2,382.14')
    expect(formatWan('500000')).toBe('50.00')
    expect(formatWan(undefined)).toBe('—')
  })
  it('formats figures by kind', () => {
    const spec = (k: string) => FIGURES.find((f) => f.key === k)!
    expect(formatFigure(spec('revenue'), '1234567.5')).toBe('1,234,567.50')
    expect(formatFigure(spec('hte_valid'), true)).toBe('是')
    expect(formatFigure(spec('employees'), null)).toBe('—')
  })
})

describe('names instead of codes', () => {
  it('drops the 直辖 placeholder level of a region', () => {
    expect(regionLabel('河南省/省直辖县级行政区划/济源市')).toBe('河南省 / 济源市')
    expect(regionLabel('河南省/焦作市/孟州市', 1)).toBe('孟州市')
    expect(regionLabel('')).toBe('—')
  })
  it('never puts a field key in an error toast', () => {
    const many = new ApiError(422, 'validation', '提交的数据有2处错误：credit_code: 校验位错误；name: 单位名称不能为空', [
      { field: 'credit_code', code: 'credit_code.check_char', message: '统一社会信用代码校验位错误' },
      { field: 'name', code: 'name.required', message: '单位名称不能为空' },
    ])
    const text = fieldsMessage(many)
    expect(text).toBe('提交的数据有2处错误：统一社会信用代码校验位错误；单位名称不能为空')
    expect(text).not.toMatch(/credit_code|name:/)
    const one = new ApiError(422, 'validation', 'budget[0]: 预算金额不是有效金额', [{ field: 'budget[0]', code: 'amount', message: '预算金额不是有效金额' }])
    expect(fieldsMessage(one)).toBe('预算金额不是有效金额')
    expect(fieldsMessage(new ApiError(409, 'x', '数据冲突'))).toBe('数据冲突')
  })
})
