import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { ElMessage } from 'element-plus'
import { setAuthHandlers } from '@/api/http'
import { useAuth } from '@/stores/auth'
import Layout from '@/layout/Layout.vue'
import { SEARCH_PERMS } from '@/utils/search'

declare module 'vue-router' {
  interface RouteMeta {
    title?: string
    /** Any one of these permissions shows the page (`*` holds them all). */
    perm?: string | string[]
    icon?: string
    /** Shown in the side menu. */
    menu?: boolean
    group?: string
    public?: boolean
    /** The route name of the page this one is opened from (a detail's list): the breadcrumb shows it. */
    parent?: string
  }
}

export const appRoutes: RouteRecordRaw[] = [
  { path: '', name: 'home', component: () => import('@/views/Dashboard.vue'), meta: { title: '首页', icon: 'HomeFilled', menu: true } },
  { path: 'organizations', name: 'orgs', component: () => import('@/views/registry/Organizations.vue'), meta: { title: '单位管理', perm: 'org:read', icon: 'OfficeBuilding', menu: true, group: '科技资源' } },
  { path: 'organizations/:id', name: 'org-detail', component: () => import('@/views/registry/OrganizationDetail.vue'), meta: { title: '单位详情', perm: 'org:read', parent: 'orgs' } },
  { path: 'enterprise-years', name: 'years', component: () => import('@/views/registry/EnterpriseYears.vue'), meta: { title: '企业年度数据', perm: 'year:read', icon: 'DataLine', menu: true, group: '科技资源' } },
  { path: 'platforms', name: 'platforms', component: () => import('@/views/registry/Platforms.vue'), meta: { title: '创新平台', perm: 'platform:read', icon: 'Platform', menu: true, group: '科技资源' } },
  { path: 'platforms/:id', name: 'platform-detail', component: () => import('@/views/registry/PlatformDetail.vue'), meta: { title: '平台详情', perm: 'platform:read', parent: 'platforms' } },
  { path: 'persons', name: 'persons', component: () => import('@/views/registry/Persons.vue'), meta: { title: '人才专家', perm: 'person:read', icon: 'User', menu: true, group: '科技资源' } },
  { path: 'persons/:id', name: 'person-detail', component: () => import('@/views/registry/PersonDetail.vue'), meta: { title: '人员详情', perm: 'person:read', parent: 'persons' } },
  { path: 'review/rounds', name: 'review-rounds', component: () => import('@/views/review/Rounds.vue'), meta: { title: '评审轮次', perm: 'review:read', icon: 'Tickets', menu: true, group: '专家评审' } },
  { path: 'review/rounds/:id', name: 'review-round', component: () => import('@/views/review/RoundDetail.vue'), meta: { title: '评审详情', perm: 'review:read', parent: 'review-rounds' } },
  { path: 'review/experts', name: 'review-experts', component: () => import('@/views/review/Experts.vue'), meta: { title: '专家库', perm: 'review:read', icon: 'Medal', menu: true, group: '专家评审' } },
  { path: 'review/my', name: 'review-my', component: () => import('@/views/review/MyReviews.vue'), meta: { title: '我的评审', perm: 'review:score', icon: 'EditPen', menu: true, group: '专家评审' } },
  { path: 'projects/calls', name: 'project-calls', component: () => import('@/views/projects/Calls.vue'), meta: { title: '项目指南', perm: 'project:read', icon: 'Promotion', menu: true, group: '科技计划项目' } },
  { path: 'projects/calls/:id', name: 'project-call', component: () => import('@/views/projects/CallDetail.vue'), meta: { title: '指南详情', perm: 'project:read', parent: 'project-calls' } },
  { path: 'projects/calls/:id/panel', name: 'project-panel', component: () => import('@/views/projects/Panel.vue'), meta: { title: '会审决策', perm: 'project:manage', parent: 'project-calls' } },
  { path: 'projects/apply/:callId', name: 'project-apply', component: () => import('@/views/projects/ApplicationForm.vue'), meta: { title: '项目申报', perm: 'project:apply', parent: 'project-calls' } },
  { path: 'projects/applications', name: 'project-applications', component: () => import('@/views/projects/Applications.vue'), meta: { title: '项目管理', perm: 'project:read', icon: 'Briefcase', menu: true, group: '科技计划项目' } },
  { path: 'projects/applications/:id', name: 'project-detail', component: () => import('@/views/projects/ApplicationDetail.vue'), meta: { title: '项目详情', perm: 'project:read', parent: 'project-applications' } },
  { path: 'projects/applications/:id/edit', name: 'project-edit', component: () => import('@/views/projects/ApplicationForm.vue'), meta: { title: '修改申报书', perm: 'project:apply', parent: 'project-detail' } },
  { path: 'projects/demands', name: 'project-demands', component: () => import('@/views/projects/Demands.vue'), meta: { title: '企业出题', perm: 'project:read', icon: 'Opportunity', menu: true, group: '科技计划项目' } },
  { path: 'projects/sanctions', name: 'project-sanctions', component: () => import('@/views/projects/Sanctions.vue'), meta: { title: '科研诚信', perm: 'project:manage', icon: 'Warning', menu: true, group: '科技计划项目' } },
  { path: 'market/hall', name: 'market-hall', component: () => import('@/views/market/Achievements.vue'), meta: { title: '成果大厅', perm: 'market:read', icon: 'Shop', menu: true, group: '技术市场' } },
  { path: 'market/achievements', name: 'market-achievements', component: () => import('@/views/market/Achievements.vue'), meta: { title: '成果管理', perm: 'market:read', icon: 'Notebook', menu: true, group: '技术市场' } },
  { path: 'market/demands', name: 'market-demands', component: () => import('@/views/market/DemandHall.vue'), meta: { title: '需求大厅', perm: 'market:read', icon: 'Opportunity', menu: true, group: '技术市场' } },
  // Any one searchable kind opens it (成果/需求 market:read, 单位 org:read, 人才专家 person:read); the server searches only those kinds.
  { path: 'search', name: 'search', component: () => import('@/views/search/Search.vue'), meta: { title: '全文检索', icon: 'Search', menu: true, group: '技术市场', perm: SEARCH_PERMS } },
  { path: 'market/achievements/:id', name: 'market-achievement', component: () => import('@/views/market/AchievementDetail.vue'), meta: { title: '成果详情', perm: 'market:read', parent: 'market-achievements' } },
  { path: 'market/contracts', name: 'market-contracts', component: () => import('@/views/market/Contracts.vue'), meta: { title: '技术合同登记', perm: 'contract:read', icon: 'DocumentChecked', menu: true, group: '技术市场' } },
  { path: 'market/contracts/:id', name: 'market-contract', component: () => import('@/views/market/ContractDetail.vue'), meta: { title: '合同详情', perm: 'contract:read', parent: 'market-contracts' } },
  { path: 'market/contract-stats', name: 'market-contract-stats', component: () => import('@/views/market/ContractStats.vue'), meta: { title: '技术合同统计', perm: 'contract:read', icon: 'PieChart', menu: true, group: '技术市场' } },
  { path: 'market/events', name: 'market-events', component: () => import('@/views/market/Events.vue'), meta: { title: '对接活动', perm: 'market:read', icon: 'Connection', menu: true, group: '技术市场' } },
  { path: 'market/events/:id', name: 'market-event', component: () => import('@/views/market/EventDetail.vue'), meta: { title: '活动详情', perm: 'market:read', parent: 'market-events' } },
  { path: 'market/brokers', name: 'market-brokers', component: () => import('@/views/market/Brokers.vue'), meta: { title: '技术经纪人', perm: 'market:read', icon: 'Avatar', menu: true, group: '技术市场' } },
  { path: 'market/brokers/:id', name: 'market-broker', component: () => import('@/views/market/BrokerDetail.vue'), meta: { title: '经纪人详情', perm: 'market:read', parent: 'market-brokers' } },
  { path: 'funds/programmes', name: 'funds-programmes', component: () => import('@/views/funds/Programmes.vue'), meta: { title: '资金项目', perm: 'funds:read', icon: 'Wallet', menu: true, group: '资金与服务' } },
  { path: 'funds/programmes/:id', name: 'funds-programme', component: () => import('@/views/funds/ProgrammeDetail.vue'), meta: { title: '项目详情', perm: 'funds:read', parent: 'funds-programmes' } },
  { path: 'funds/grants/:id', name: 'funds-grant', component: () => import('@/views/funds/GrantDetail.vue'), meta: { title: '资金安排详情', perm: ['funds:read', 'funds:apply'], parent: 'funds-ledger' } },
  { path: 'funds/ledger', name: 'funds-ledger', component: () => import('@/views/funds/Ledger.vue'), meta: { title: '拨付台账', perm: 'funds:read', icon: 'Notebook', menu: true, group: '资金与服务' } },
  { path: 'funds/received', name: 'funds-received', component: () => import('@/views/funds/Received.vue'), meta: { title: '我获得的资金', perm: 'funds:apply', icon: 'Money', menu: true, group: '资金与服务' } },
  { path: 'funds/vouchers', name: 'funds-vouchers', component: () => import('@/views/funds/Vouchers.vue'), meta: { title: '科技创新券', perm: ['funds:read', 'funds:apply'], icon: 'Ticket', menu: true, group: '资金与服务' } },
  { path: 'funds/vouchers/:id', name: 'funds-voucher', component: () => import('@/views/funds/VoucherDetail.vue'), meta: { title: '创新券详情', perm: ['funds:read', 'funds:apply'], parent: 'funds-vouchers' } },
  { path: 'funds/orders', name: 'funds-orders', component: () => import('@/views/funds/Orders.vue'), meta: { title: '服务订单', perm: ['funds:read', 'funds:apply'], icon: 'List', menu: true, group: '资金与服务' } },
  { path: 'funds/orders/:id', name: 'funds-order', component: () => import('@/views/funds/OrderDetail.vue'), meta: { title: '订单详情', perm: ['funds:read', 'funds:apply'], parent: 'funds-orders' } },
  { path: 'funds/providers', name: 'funds-providers', component: () => import('@/views/funds/Providers.vue'), meta: { title: '服务机构', perm: ['funds:read', 'funds:apply'], icon: 'Shop', menu: true, group: '资金与服务' } },
  { path: 'funds/instruments', name: 'funds-instruments', component: () => import('@/views/funds/Instruments.vue'), meta: { title: '仪器共享', perm: ['funds:read', 'funds:apply'], icon: 'Cpu', menu: true, group: '资金与服务' } },
  { path: 'funds/instruments/:id', name: 'funds-instrument', component: () => import('@/views/funds/InstrumentDetail.vue'), meta: { title: '仪器详情', perm: ['funds:read', 'funds:apply'], parent: 'funds-instruments' } },
  { path: 'funds/bookings', name: 'funds-bookings', component: () => import('@/views/funds/Bookings.vue'), meta: { title: '仪器预约', perm: ['funds:read', 'funds:apply'], icon: 'Calendar', menu: true, group: '资金与服务' } },
  { path: 'funds/loans', name: 'funds-loans', component: () => import('@/views/funds/Loans.vue'), meta: { title: '科技贷', perm: 'funds:read', icon: 'CreditCard', menu: true, group: '资金与服务' } },
  { path: 'funds/loans/:id', name: 'funds-loan', component: () => import('@/views/funds/LoanDetail.vue'), meta: { title: '贷款详情', perm: 'funds:read', parent: 'funds-loans' } },
  { path: 'people/my', name: 'people-my', component: () => import('@/views/people/MyService.vue'), meta: { title: '我的服务', perm: 'people:serve', icon: 'Guide', menu: true, group: '人才与特派员' } },
  { path: 'people/commissioners', name: 'people-commissioners', component: () => import('@/views/people/Commissioners.vue'), meta: { title: '科技特派员', perm: 'people:read', icon: 'Van', menu: true, group: '人才与特派员' } },
  { path: 'people/commissioners/:id', name: 'people-commissioner', component: () => import('@/views/people/CommissionerDetail.vue'), meta: { title: '特派员详情', perm: ['people:read', 'people:serve'], parent: 'people-commissioners' } },
  { path: 'people/dispatches/:id', name: 'people-dispatch', component: () => import('@/views/people/DispatchDetail.vue'), meta: { title: '派驻详情', perm: ['people:read', 'people:apply', 'people:serve'], parent: 'people-commissioners' } },
  { path: 'people/map', name: 'people-map', component: () => import('@/views/people/DispatchMap.vue'), meta: { title: '派驻分布', perm: 'people:read', icon: 'MapLocation', menu: true, group: '人才与特派员' } },
  { path: 'people/logs', name: 'people-logs', component: () => import('@/views/people/Logs.vue'), meta: { title: '服务日志', perm: ['people:read', 'people:apply'], icon: 'Memo', menu: true, group: '人才与特派员' } },
  { path: 'people/assessments', name: 'people-assessments', component: () => import('@/views/people/Assessments.vue'), meta: { title: '年度考核', perm: 'people:read', icon: 'Stamp', menu: true, group: '人才与特派员' } },
  { path: 'people/applications', name: 'people-applications', component: () => import('@/views/people/Applications.vue'), meta: { title: '人才认定', perm: ['people:read', 'people:apply'], icon: 'Trophy', menu: true, group: '人才与特派员' } },
  { path: 'people/applications/:id', name: 'people-application', component: () => import('@/views/people/ApplicationDetail.vue'), meta: { title: '认定申请详情', perm: ['people:read', 'people:apply'], parent: 'people-applications' } },
  { path: 'people/talents', name: 'people-talents', component: () => import('@/views/people/Talents.vue'), meta: { title: '认定人才', perm: ['people:read', 'people:apply'], icon: 'Star', menu: true, group: '人才与特派员' } },
  { path: 'people/talents/:id', name: 'people-talent', component: () => import('@/views/people/TalentDetail.vue'), meta: { title: '人才详情', perm: ['people:read', 'people:apply'], parent: 'people-talents' } },
  { path: 'people/library', name: 'people-library', component: () => import('@/views/people/Library.vue'), meta: { title: '人才资源库', perm: 'people:read', icon: 'Collection', menu: true, group: '人才与特派员' } },
  { path: 'people/teams', name: 'people-teams', component: () => import('@/views/people/Teams.vue'), meta: { title: '创新团队', perm: ['people:read', 'people:apply'], icon: 'UserFilled', menu: true, group: '人才与特派员' } },
  { path: 'people/stations', name: 'people-stations', component: () => import('@/views/people/Stations.vue'), meta: { title: '院士（学者）工作站', perm: 'people:read', icon: 'School', menu: true, group: '人才与特派员' } },
  { path: 'people/demands', name: 'people-demands', component: () => import('@/views/people/Demands.vue'), meta: { title: '人才需求', perm: ['people:read', 'people:apply'], icon: 'Promotion', menu: true, group: '人才与特派员' } },
  { path: 'awards/calls', name: 'award-calls', component: () => import('@/views/awards/Calls.vue'), meta: { title: '奖励评审', perm: 'award:manage', icon: 'Trophy', menu: true, group: '科技奖励' } },
  { path: 'awards/calls/:id', name: 'award-call', component: () => import('@/views/awards/CallDetail.vue'), meta: { title: '奖励评审详情', perm: 'award:manage', parent: 'award-calls' } },
  { path: 'awards/nominations', name: 'award-nominations', component: () => import('@/views/awards/Nominations.vue'), meta: { title: '提名', perm: 'award:nominate', icon: 'EditPen', menu: true, group: '科技奖励' } },
  { path: 'awards/notice', name: 'award-notice', component: () => import('@/views/awards/Notice.vue'), meta: { title: '公示', perm: 'award:read', icon: 'Notebook', menu: true, group: '科技奖励' } },
  { path: 'awards/wins', name: 'award-wins', component: () => import('@/views/awards/Wins.vue'), meta: { title: '上级奖励', perm: 'award:manage', icon: 'Medal', menu: true, group: '科技奖励' } },
  // 平台载体: paths outside `platforms/` so the menu does not mark 创新平台 (科技资源) for them.
  { path: 'platform-recognitions', name: 'platform-recognitions', component: () => import('@/views/platforms/Recognitions.vue'), meta: { title: '认定申报', perm: 'platform:read', icon: 'DocumentChecked', menu: true, group: '平台载体' } },
  { path: 'platform-reports', name: 'platform-reports', component: () => import('@/views/platforms/Reports.vue'), meta: { title: '平台年报', perm: 'platform:read', icon: 'Notebook', menu: true, group: '平台载体' } },
  { path: 'platform-pool', name: 'platform-pool', component: () => import('@/views/platforms/Pool.vue'), meta: { title: '培育后备库', perm: 'platform:evaluate', icon: 'Aim', menu: true, group: '平台载体' } },
  { path: 'carriers', name: 'carriers', component: () => import('@/views/platforms/Carriers.vue'), meta: { title: '孵化载体', perm: 'platform:evaluate', icon: 'School', menu: true, group: '平台载体' } },
  { path: 'carriers/:id', name: 'carrier', component: () => import('@/views/platforms/CarrierDetail.vue'), meta: { title: '载体详情', perm: ['platform:evaluate', 'platform:apply'], parent: 'carriers' } },
  { path: 'plans', name: 'plans', component: () => import('@/views/plans/Plans.vue'), meta: { title: '规划管理', perm: 'plan:read', icon: 'Files', menu: true, group: '规划监测' } },
  { path: 'plans/:id', name: 'plan-detail', component: () => import('@/views/plans/PlanDetail.vue'), meta: { title: '规划详情', perm: 'plan:read', parent: 'plans' } },
  { path: 'indicators/dashboard', name: 'indicator-dashboard', component: () => import('@/views/plans/IndicatorDashboard.vue'), meta: { title: '指标看板', perm: 'plan:read', icon: 'TrendCharts', menu: true, group: '规划监测' } },
  { path: 'indicators/ranking', name: 'indicator-ranking', component: () => import('@/views/plans/Ranking.vue'), meta: { title: '指标排名', perm: 'plan:read', icon: 'Histogram', menu: true, group: '规划监测' } },
  { path: 'rules/results', name: 'rules-results', component: () => import('@/views/rules/Results.vue'), meta: { title: '评价结果', perm: 'rules:read', icon: 'DataAnalysis', menu: true, group: '梯次培育' } },
  { path: 'rules/evaluate', name: 'rules-evaluate', component: () => import('@/views/rules/Evaluate.vue'), meta: { title: '政策试算', perm: 'rules:read', icon: 'Odometer', menu: true, group: '梯次培育' } },
  { path: 'rules/entitlements', name: 'rules-entitlements', component: () => import('@/views/rules/Entitlements.vue'), meta: { title: '免申即享', perm: 'rules:read', icon: 'Present', menu: true, group: '梯次培育' } },
  { path: 'system/users', name: 'users', component: () => import('@/views/system/Users.vue'), meta: { title: '用户管理', perm: 'user:read', icon: 'Avatar', menu: true, group: '系统管理' } },
  { path: 'system/roles', name: 'roles', component: () => import('@/views/system/Roles.vue'), meta: { title: '角色管理', perm: 'user:read', icon: 'Key', menu: true, group: '系统管理' } },
  { path: 'system/audit', name: 'audit', component: () => import('@/views/system/Audit.vue'), meta: { title: '审计日志', perm: 'audit:read', icon: 'Document', menu: true, group: '系统管理' } },
  { path: 'profile', name: 'profile', component: () => import('@/views/Profile.vue'), meta: { title: '个人中心' } },
  { path: 'profile/password', name: 'password', component: () => import('@/views/ChangePassword.vue'), meta: { title: '修改密码', parent: 'profile' } },
  { path: ':rest(.*)*', name: 'not-found', component: () => import('@/views/NotFound.vue'), meta: { title: '页面不存在' } },
]

const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('@/views/Login.vue'), meta: { title: '登录', public: true } },
  { path: '/', component: Layout, children: appRoutes },
]

export const router = createRouter({ history: createWebHistory(), routes })

let leaving = false
setAuthHandlers(
  (e) => {
    const auth = useAuth()
    auth.clear()
    if (leaving || router.currentRoute.value.name === 'login') return
    leaving = true
    ElMessage.warning(e.message || '登录状态已过期，请重新登录')
    const redirect = router.currentRoute.value.fullPath
    router.replace({ name: 'login', query: { redirect, expired: '1' } }).finally(() => (leaving = false))
  },
  () => {
    const auth = useAuth()
    auth.mustChange = true
    if (router.currentRoute.value.name !== 'password') router.replace({ name: 'password' })
  },
)

router.beforeEach(async (to) => {
  const auth = useAuth()
  if (!auth.checked) {
    try {
      await auth.restore()
    } catch {
      // The server is unreachable: the login page says so when it is used.
    }
  }
  if (to.meta.public) {
    if (to.name === 'login' && auth.loggedIn) return { path: '/' }
    return true
  }
  if (!auth.loggedIn) return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  if (auth.mustChange && to.name !== 'password') return { name: 'password' }
  if (to.meta.perm && !auth.can(to.meta.perm)) return { name: 'not-found', params: { rest: to.path.slice(1).split('/') }, query: { denied: '1' } }
  return true
})

router.afterEach((to) => {
  document.title = `${to.meta.title ?? ''} - 科创 · 区域科技创新管理平台`
})
