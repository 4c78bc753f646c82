import { describe, expect, it } from 'vitest'
import { ApiError } from '@/api/http'
import {
  addDays, amountProblem, bookingErrorField, bookingWindow, calendarDays, canAct, checkBookingForm, checkInstrument, checkLoan, checkOrder, checkProvider,
  emptyInstrumentForm, emptyLoanForm, emptyOrderForm, emptyProviderForm, endTimes, failingChecks, fenWan, fenYuan, hoursToMinutes, meetsSlot,
  minutesTime, minutesToHours, orderSide, rateProblem, refusalText, sharingTotals, splitCodes, startTimes, timeMinutes, usageFeeFen, voucherRowActions,
  weekday, windowMinutes, windowText,
} from '@/utils/funds-services'

describe('amounts', () => {
  it('show fen in 万元 and as exact 元 text', () => {
    expect(fenWan(8_000_000)).toBe('8.00')
    expect(fenWan(123_456_789)).toBe('123.46')
    expect(fenWan(null)).toBe('—')
    expect(fenYuan(8_000_000)).toBe('80000')
    expect(fenYuan(12_345)).toBe('123.45')
    expect(fenYuan(12_340)).toBe('123.4')
    expect(fenYuan(-500)).toBe('-5')
    expect(fenYuan(0)).toBe('0')
  })
  it('check what is typed in 元 as the server does', () => {
    expect(amountProblem('合同金额', '')).toBe('请填写合同金额（元）')
    expect(amountProblem('合同金额', '0')).toBe('合同金额必须大于零')
    expect(amountProblem('对外收费', '0', { positive: false })).toBe('')
    expect(amountProblem('合同金额', '1.234')).toBe('合同金额最多保留两位小数（分）')
    expect(amountProblem('合同金额', 'abc')).toMatch(/不是有效金额/)
    expect(amountProblem('合同金额', '100,000.50')).toBe('')
  })
})

describe('hours ↔ minutes', () => {
  it('takes hours with one decimal and sends whole minutes', () => {
    expect(hoursToMinutes('1.5')).toBe(90)
    expect(hoursToMinutes('2')).toBe(120)
    expect(hoursToMinutes('0.1')).toBe(6)
    expect(hoursToMinutes(' 3.0 ')).toBe(180)
    expect(hoursToMinutes('0')).toBeNull()
    expect(hoursToMinutes('1.25')).toBeNull()
    expect(hoursToMinutes('-1')).toBeNull()
    expect(hoursToMinutes('')).toBeNull()
    expect(hoursToMinutes('一小时')).toBeNull()
  })
  it('shows minutes as hours with one decimal', () => {
    expect(minutesToHours(90)).toBe('1.5')
    expect(minutesToHours(120)).toBe('2')
    expect(minutesToHours(100)).toBe('1.7')
    expect(minutesToHours(null)).toBe('—')
  })
  it('round trips every tenth of an hour', () => {
    for (let t = 1; t <= 240; t++) {
      const h = String(t / 10)
      expect(minutesToHours(hoursToMinutes(h))).toBe(h)
    }
  })
})

describe('half-hour booking windows', () => {
  it('offers whole and half hours', () => {
    const s = startTimes()
    expect(s).toHaveLength(48)
    expect(s[0]).toBe('00:00')
    expect(s[1]).toBe('00:30')
    expect(s.at(-1)).toBe('23:30')
    expect(startTimes('08:00', '10:00')).toEqual(['08:00', '08:30', '09:00', '09:30', '10:00'])
  })
  it('ends after the start, up to midnight', () => {
    expect(endTimes('22:30')).toEqual(['23:00', '23:30', '24:00'])
    expect(endTimes('09:00', '10:30')).toEqual(['09:30', '10:00', '10:30'])
    expect(endTimes('')).toEqual([])
  })
  it('reads and writes times', () => {
    expect(timeMinutes('09:30')).toBe(570)
    expect(timeMinutes('24:00')).toBe(1440)
    expect(timeMinutes('9:30')).toBeNaN()
    expect(minutesTime(570)).toBe('09:30')
    expect(minutesTime(1440)).toBe('24:00')
  })
  it('builds the body the server parses, midnight as the next day', () => {
    expect(bookingWindow('2026-12-08', '09:00', '11:30')).toEqual({ starts_at: '2026-12-08 09:00', ends_at: '2026-12-08 11:30' })
    expect(bookingWindow('2026-12-31', '22:00', '24:00')).toEqual({ starts_at: '2026-12-31 22:00', ends_at: '2027-01-01 00:00' })
  })
  it('counts days across months and years', () => {
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02')
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29')
    expect(weekday('2026-12-06')).toBe('周日')
  })
  it('checks the form before sending; the past and overlaps are the server’s', () => {
    expect(checkBookingForm({ date: '', start: '', end: '', purpose: ' ' })).toEqual({
      date: '请选择预约日期',
      start: '请选择开始时间',
      end: '请选择结束时间',
      purpose: '请填写用途（测试内容）',
    })
    expect(checkBookingForm({ date: '2026-12-08', start: '10:00', end: '09:30', purpose: '送样' }).end).toBe('结束时间必须晚于开始时间')
    expect(checkBookingForm({ date: '2026-12-08', start: '10:00', end: '24:00', purpose: '送样' })).toEqual({})
    expect(checkBookingForm({ date: '2026-12-08', start: '10:00', end: '11:00', purpose: '测'.repeat(201) }).purpose).toMatch(/200/)
  })
  it('puts a refusal beside the field it is about', () => {
    expect(bookingErrorField(new ApiError(409, 'booking.overlap', '该时段与已有预约（…）重叠', [{ field: 'starts_at', code: 'booking.overlap', message: 'x' }]))).toBe('start')
    expect(bookingErrorField(new ApiError(422, 'booking.past', '不能预约已过去的时间'))).toBe('start')
    expect(bookingErrorField(new ApiError(422, 'booking.order', 'x', [{ field: 'ends_at', code: 'booking.order', message: 'x' }]))).toBe('end')
    expect(bookingErrorField(new ApiError(409, 'booking.not_open', 'x', [{ field: 'instrument_id', code: 'booking.not_open', message: 'x' }]))).toBeNull()
    expect(bookingErrorField(new Error('x'))).toBeNull()
  })
})

describe('the 14-day calendar', () => {
  const slots = [
    { starts_at: '2026-12-07 09:00', ends_at: '2026-12-07 11:30', mine: false },
    { starts_at: '2026-12-07 14:00', ends_at: '2026-12-07 15:00', mine: true },
    { starts_at: '2026-12-08 22:00', ends_at: '2026-12-09 02:00', mine: false },
  ]
  it('has a row per day with its windows placed on 24 hours', () => {
    const days = calendarDays('2026-12-06', 14, slots)
    expect(days).toHaveLength(14)
    expect(days[0]).toMatchObject({ date: '2026-12-06', label: '12-06 周日', weekend: true, windows: [] })
    expect(days[13].date).toBe('2026-12-19')
    const d7 = days[1].windows
    expect(d7.map((w) => [w.start, w.end, w.mine])).toEqual([['09:00', '11:30', false], ['14:00', '15:00', true]])
    expect(d7[0].left).toBeCloseTo(37.5)
    expect(d7[0].width).toBeCloseTo((150 / 1440) * 100)
  })
  it('shows a window across midnight on both days', () => {
    const days = calendarDays('2026-12-08', 2, slots)
    expect(days[0].windows.map((w) => [w.start, w.end])).toEqual([['22:00', '24:00']])
    expect(days[1].windows.map((w) => [w.start, w.end])).toEqual([['00:00', '02:00']])
    expect(days[0].windows[0].title).toBe('2026-12-08 22:00 至 2026-12-09 02:00')
  })
  it('hints at an overlap as the server counts it (back to back is free)', () => {
    expect(meetsSlot('2026-12-07', '10:00', '12:00', slots)?.starts_at).toBe('2026-12-07 09:00')
    expect(meetsSlot('2026-12-07', '11:30', '14:00', slots)).toBeNull()
    expect(meetsSlot('2026-12-09', '01:00', '03:00', slots)?.starts_at).toBe('2026-12-08 22:00')
    expect(meetsSlot('2026-12-07', '', '', slots)).toBeNull()
  })
  it('reads windows', () => {
    expect(windowMinutes('2026-12-07 09:00', '2026-12-07 11:30')).toBe(150)
    expect(windowMinutes('2026-12-08 22:00', '2026-12-09 02:00')).toBe(240)
    expect(windowText('2026-12-07 09:00', '2026-12-07 11:30')).toBe('2026-12-07 09:00 – 11:30')
    expect(windowText('2026-12-07 22:00', '2026-12-08 00:00')).toBe('2026-12-07 22:00 – 24:00')
    expect(windowText('2026-12-07 22:00', '2026-12-08 02:00')).toBe('2026-12-07 22:00 – 2026-12-08 02:00')
  })
  it('prices a use as the server does, own use free', () => {
    expect(usageFeeFen(30_000, 90, true)).toBe(45_000)
    expect(usageFeeFen(10_001, 1, true)).toBe(167)
    expect(usageFeeFen(30_000, 90, false)).toBe(0)
  })
})

describe('sharing totals', () => {
  it('recomputes the rate from the summed hours, never averaging rates', () => {
    const t = sharingTotals([
      { used_hours: '10', external_hours: '9', income: '900', users: 2 },
      { used_hours: '90', external_hours: '0', income: '0', users: 0 },
      { used_hours: '0', external_hours: '0', income: '0', users: 0 },
    ])
    expect(t).toEqual({ used: '100', external: '9', rate: '9%', income: 900, users: 2 })
    expect(sharingTotals([{ used_hours: '0', external_hours: '0', income: '0', users: 0 }]).rate).toBe('—')
    expect(sharingTotals([{ used_hours: '2.5', external_hours: '0.5', income: '12.34', users: 1 }])).toMatchObject({ used: '2.5', external: '0.5', rate: '20%', income: 12.34 })
  })
})

describe('redemption', () => {
  const checks = [
    { code: 'voucher.valid', label: '创新券有效', passed: true, detail: '有效期至2027-03-01' },
    { code: 'voucher.related_party', label: '服务机构与企业无关联关系', passed: false, detail: '服务机构与企业的法定代表人相同（张三），属关联方' },
    { code: 'voucher.amount', label: '抵扣金额在比例、上限和余额之内', passed: false, detail: '…' },
  ]
  it('lists the failing checks in the server’s order', () => {
    expect(failingChecks(checks).map((c) => c.code)).toEqual(['voucher.related_party', 'voucher.amount'])
    expect(failingChecks(null)).toEqual([])
  })
  it('keeps a refusal to be read on the page', () => {
    const e = new ApiError(409, 'voucher.related_party', '不予兑付：服务机构与企业无关联关系。服务机构与企业的法定代表人相同（张三），属关联方')
    expect(refusalText(e)).toMatch(/^不予兑付：.*法定代表人相同（张三）/)
    expect(refusalText(new ApiError(409, 'funds.over_budget', '兑付后项目累计 … 将超过预算 …'))).toMatch(/超过预算/)
    expect(refusalText(new ApiError(500, 'internal', '服务器内部错误'))).toBe('')
  })
})

describe('forms', () => {
  it('checks an order as the server does', () => {
    const bad = checkOrder(emptyOrderForm(), '2026-12-06')
    expect(Object.keys(bad).sort()).toEqual(['contract_name', 'contract_no', 'fee', 'provider_id', 'service', 'signed_on'])
    const ok = { provider_id: 3, service: 'testing', contract_name: '检测合同', contract_no: 'HT-1', fee: '50000', signed_on: '2026-12-01' }
    expect(checkOrder(ok, '2026-12-06', '2027-03-01')).toEqual({})
    expect(checkOrder({ ...ok, signed_on: '2026-12-07' }, '2026-12-06').signed_on).toBe('合同签订日期不能晚于今天')
    expect(checkOrder({ ...ok, signed_on: '2026-12-05' }, '2026-12-06', '2026-12-01').signed_on).toMatch(/晚于创新券有效期2026-12-01/)
  })
  it('checks a provider, its related credit codes by shape', () => {
    expect(Object.keys(checkProvider(emptyProviderForm())).sort()).toEqual(['org_id', 'qualifications', 'services'])
    const p = { ...emptyProviderForm(), org_id: 1, services: ['testing'], qualifications: 'CMA 证书', related_codes: ['91419001MA44Q8YT1X'] }
    expect(checkProvider(p)).toEqual({})
    expect(checkProvider({ ...p, related_codes: ['123'] }).related_codes).toMatch(/“123”格式错误/)
    expect(splitCodes(['91419001ma44q8yt1x, 91419001MA44Q8YT1X', ' '])).toEqual(['91419001MA44Q8YT1X'])
  })
  it('checks an instrument and a loan', () => {
    expect(Object.keys(checkInstrument(emptyInstrumentForm())).sort()).toEqual(['category', 'host_org_id', 'location', 'model', 'name', 'original_value'])
    const l = { ...emptyLoanForm(), programme_id: 1, org_id: 2, bank_org_id: 3, contract_no: 'JK-1', amount: '1000000', rate: '3.65', start_on: '2026-01-01', end_on: '2027-01-01' }
    expect(checkLoan(l)).toEqual({})
    expect(checkLoan({ ...l, end_on: '2026-01-01' }).end_on).toBe('到期日期必须晚于放款日期')
    expect(rateProblem('3.65%')).toBe('')
    expect(rateProblem('36')).not.toBe('')
    expect(rateProblem('3.123456')).not.toBe('')
    expect(rateProblem('0')).not.toBe('')
  })
})

describe('actions and sides', () => {
  it('offers only what the server lists', () => {
    expect(canAct(['issue', 'refuse'], 'issue')).toBe(true)
    expect(canAct(['order'], 'issue')).toBe(false)
    expect(canAct(null, 'issue')).toBe(false)
  })
  it('offers 发放 / 不予发放 on a list row only for an application and an officer', () => {
    expect(voucherRowActions('applied', true)).toEqual(['issue', 'refuse'])
    expect(voucherRowActions('issued', true)).toEqual([])
    expect(voucherRowActions('applied', false)).toEqual([])
  })
  it('tells the buyer from the provider', () => {
    const o = { org_id: 1, provider_org_id: 2 }
    expect(orderSide(o, 1)).toBe('buyer')
    expect(orderSide(o, 2)).toBe('provider')
    expect(orderSide(o, 3)).toBeNull()
    expect(orderSide(o, null)).toBeNull()
  })
})
